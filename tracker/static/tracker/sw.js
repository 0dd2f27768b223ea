// The service worker, at the site's root scope. CONFIG (its version, the static files to keep
// and the pages that work offline) is written above this line by tracker/views/offline.py.
//
// Static files: kept on install and served from the cache first. Pages: always asked of the
// network first; a signed-in patient's own offline pages (the server marks them
// `Offline-Copy: keep`) are kept in a cache named for the account, and served from it only
// when the network fails, marked with the time they were kept. Any page answered for another
// account wipes the kept pages first, so no page of one account is shown to another.
const STATIC_CACHE = `static-${CONFIG.version}`;
const PAGES = "pages-";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => cache.addAll(CONFIG.assets))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("static-") && name !== STATIC_CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The page tells the worker a patient is signed in (offline.js): the offline pages not kept
// yet are fetched now, so a patient who only opened Today still has My plan and the log form
// without a signal. Each is kept, as on a visit, only if the server marks it for this account.
self.addEventListener("message", (event) => {
  if (event.data === "keep-pages") event.waitUntil(keepMissingPages());
});

async function keepMissingPages() {
  const names = (await caches.keys()).filter((name) => name.startsWith(PAGES));
  const cache = names.length === 1 ? await caches.open(names[0]) : null;
  for (const page of CONFIG.pages) {
    if (cache && (await cache.match(page, { ignoreVary: true }))) continue;
    try {
      const response = await fetch(page, { credentials: "same-origin" });
      await keep(new URL(page, self.location.origin), response);
    } catch (error) {
      return; // no connection: the next page asks again
    }
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate" && CONFIG.pages.includes(url.pathname)) {
    // A form sent on a patchy signal that never arrives: the kept page again, not the
    // browser's offline page. The entry was kept before it was sent (queue.js), and waits.
    event.respondWith(fetch(request).catch(() => offlineCopy(url)));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, url));
  }
});

async function staticFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(event, url) {
  let response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    return offlineCopy(url);
  }
  event.waitUntil(keep(url, response.clone()));
  return response;
}

async function forgetOthers(account) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES) && name !== PAGES + account) await caches.delete(name);
  }
}

async function keep(url, response) {
  const account = response.headers.get("Offline-Account");
  if (!account) return;
  await forgetOthers(account);
  if (response.headers.get("Offline-Copy") !== "keep" || response.redirected) return;
  const headers = new Headers(response.headers);
  headers.set("Offline-Kept-At", new Date().toISOString());
  const body = await response.blob();
  const cache = await caches.open(PAGES + account);
  await cache.put(url.pathname, new Response(body, { status: 200, headers }));
}

async function offlineCopy(url) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PAGES)) continue;
    const cache = await caches.open(name);
    const kept = await cache.match(url.pathname, { ignoreVary: true, ignoreSearch: true });
    if (kept) return marked(kept);
    return notKept(cache);
  }
  return Response.error();
}

// The page's own script (offline.js) shows the banner from this mark: no script is added.
async function marked(kept) {
  const at = (kept.headers.get("Offline-Kept-At") || "").replace(/[^0-9TZ:.-]/g, "");
  const html = (await kept.text()).replace("<html", `<html data-offline-as-of="${at}"`);
  return new Response(html, { status: 200, headers: kept.headers });
}

// A page that is not kept, asked for offline by a patient who has kept pages: say so, and
// link to the ones that work.
async function notKept(cache) {
  const names = { "/today/": "Today", "/plan/": "My plan", "/log/": "Log a session", "/report-danger/": "Report a danger sign" };
  const links = [];
  for (const page of CONFIG.pages) {
    if (await cache.match(page, { ignoreVary: true })) {
      links.push(`<li><a href="${page}">${names[page] || page}</a></li>`);
    }
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline · Rehab tracker</title>
<link rel="stylesheet" href="${CONFIG.assets[0]}"><link rel="stylesheet" href="${CONFIG.assets[1]}">
</head><body><main class="container"><h1>You are offline</h1>
<p>This page was not kept on this phone, so it needs a connection. These work without one, as of your last visit:</p>
<ul>${links.join("")}</ul>
<p>In an emergency, call <a href="tel:${CONFIG.emergency}"><strong>${CONFIG.emergency}</strong></a>: a call needs no data.</p>
</main></body></html>`;
  return new Response(html, {
    status: 200,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'self'; script-src 'none'; object-src 'none'",
    },
  });
}
