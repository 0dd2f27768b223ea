// The installable app, page side: a signed-in patient's pages register the service worker
// (sw.js), which keeps Today, My plan and the log form for offline use. A page the worker
// served from its copy carries data-offline-as-of on <html>; this script shows the banner
// saying so. Signing out deletes the queue, the kept pages and the worker before the form
// is sent (the server's Clear-Site-Data header does the same, for browsers that heed it);
// without a connection it deletes nothing and says signing out needs one.
(() => {
  const account = document.body.dataset.offlineAccount;

  if (account && "serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    // Once the worker runs, it keeps the offline pages this visit did not open.
    if (navigator.onLine) {
      navigator.serviceWorker.ready.then((ready) => ready.active?.postMessage("keep-pages"));
    }
  }

  const when = (iso) => {
    const at = new Date(iso);
    const time = at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    if (at.toDateString() === new Date().toDateString()) return `${time} today`;
    const day = at.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });
    return `${time} on ${day}`;
  };

  function showBanner() {
    const banner = document.getElementById("offline-banner");
    if (!banner) return;
    const asOf = document.documentElement.dataset.offlineAsOf;
    const [title, rest] = banner.children;
    if (asOf && navigator.onLine) {
      title.textContent = "Back online.";
      rest.textContent = `This page is as of ${when(asOf)}: open it again for the latest.`;
    } else if (asOf) {
      title.textContent = `Offline: shown as of ${when(asOf)}.`;
    }
    banner.hidden = !asOf && navigator.onLine;
  }

  // A log form kept yesterday would start from yesterday's date: start from today's.
  function startFromToday() {
    const asOf = document.documentElement.dataset.offlineAsOf;
    const date = document.querySelector('form[data-offline-queue] input[name="date"]');
    if (!asOf || !date || date.value !== date.defaultValue) return;
    const now = new Date();
    if (new Date(asOf).toDateString() === now.toDateString()) return;
    const pad = (n) => String(n).padStart(2, "0");
    date.defaultValue = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    date.value = date.defaultValue; // and after a reset, for the next entry
  }

  async function forgetEverything() {
    const steps = [];
    if (window.OfflineQueue) steps.push(window.OfflineQueue.clear());
    if ("caches" in window) {
      steps.push(caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n)))));
    }
    if ("serviceWorker" in navigator) {
      steps.push(
        navigator.serviceWorker
          .getRegistrations()
          .then((all) => Promise.all(all.map((registration) => registration.unregister()))),
      );
    }
    // Signing out never waits long for the clearing: the server's header clears it too.
    const pause = new Promise((resolve) => setTimeout(resolve, 2000));
    await Promise.race([Promise.all(steps).catch(() => {}), pause]);
  }

  async function signOut(event) {
    const form = event.target;
    if (!form.matches("[data-sign-out]") || form.dataset.cleared) return;
    event.preventDefault();
    if (!navigator.onLine) {
      // The server would not hear it: the account would stay signed in with this phone wiped.
      const banner = document.getElementById("offline-banner");
      if (banner) {
        const [title, rest] = banner.children;
        title.textContent = "Signing out needs a connection.";
        rest.textContent = "You are still signed in, and nothing was deleted from this phone. Sign out again when you are back online.";
        banner.hidden = false;
        banner.tabIndex = -1;
        banner.focus();
        banner.scrollIntoView();
      }
      return;
    }
    if (window.OfflineQueueSettled) {
      const atMost = new Promise((resolve) => setTimeout(resolve, 5000));
      await Promise.race([window.OfflineQueueSettled(), atMost]);
    }
    const waiting = account && window.OfflineQueue ? await window.OfflineQueue.all(account) : [];
    if (
      waiting.length &&
      !window.confirm(
        `${waiting.length === 1 ? "1 entry is" : `${waiting.length} entries are`} not sent yet. ` +
          "Signing out deletes them from this phone. Sign out anyway?",
      )
    ) {
      return;
    }
    await forgetEverything();
    form.dataset.cleared = "1";
    form.submit();
  }

  document.addEventListener("submit", signOut);
  window.addEventListener("online", showBanner);
  window.addEventListener("offline", showBanner);
  showBanner();
  startFromToday();
})();
