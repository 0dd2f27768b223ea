// The offline queue, page side. Sending the log form or the danger-sign form first asks the
// server for a fresh CSRF token: if that fails (no connection), the entry is kept in
// IndexedDB (queue_store.js) with the form's request key instead of being lost; a danger
// sign shows the urgent screen at once. Otherwise the form is sent as it always is.
// Kept entries are sent when the connection returns and on the next visit, each with a fresh
// token; the server saves each once, however often it is sent. After an expired sign-in the
// entries stay and the patient is asked to sign in; an entry the server refuses stays, marked,
// and opening it (/log/?fix=<key>) puts its values and the server's messages into the form.
(() => {
  const status = document.getElementById("offline-queue");
  const account = document.body.dataset.offlineAccount;
  if (!status || !account || !window.OfflineQueue) return;
  const Queue = window.OfflineQueue;
  const SIGNED_OUT = "signed out";
  let sending = false;
  let signedOut = false;
  const sent = { sessions: 0, reports: 0 };

  // {token} with a connection and a sign-in; SIGNED_OUT; or null when the network failed.
  async function freshToken() {
    try {
      const response = await fetch(status.dataset.tokenUrl, {
        cache: "no-store",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!(response.headers.get("Content-Type") || "").includes("json")) return SIGNED_OUT;
      return { token: (await response.json()).csrf_token };
    } catch (error) {
      return null;
    }
  }

  const checkedLabels = (form, name) =>
    [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) =>
      input.closest("label") ? input.closest("label").textContent.trim() : input.value,
    );

  function describe(form, danger) {
    if (danger) return `Danger sign: ${checkedLabels(form, "danger_signs").join(", ")}`;
    const activity = form.elements.namedItem("activity");
    const name = activity && activity.selectedOptions ? activity.selectedOptions[0].text : "Session";
    const minutes = form.elements.namedItem("minutes");
    const date = form.elements.namedItem("date");
    const day = date && date.value ? new Date(`${date.value}T12:00`) : null;
    const parts = [name];
    if (minutes && minutes.value) parts.push(`${minutes.value} minutes`);
    if (day) parts.push(day.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" }));
    return parts.join(", ");
  }

  async function keepOffline(form) {
    const fields = [...new FormData(form)].filter(([name]) => name !== "csrfmiddlewaretoken");
    const danger = fields.some(([name]) => name === "danger_signs");
    const key = form.elements.namedItem("request_key");
    await Queue.put({
      id: key.value,
      account,
      action: form.getAttribute("action") || location.pathname,
      fields,
      danger,
      summary: describe(form, danger),
      signs: danger ? checkedLabels(form, "danger_signs") : [],
      keptAt: new Date().toISOString(),
      state: "waiting",
    });
    key.value = crypto.randomUUID(); // the next entry is a new one, never this one again
    if (danger) {
      showUrgent(form);
    } else {
      form.reset();
      clearFixMarks(form);
      window.scrollTo(0, 0);
    }
    await render({ justKept: !danger });
  }

  // The urgent screen, from the page's own template: the same words as online, the call
  // button first (a call needs no data), and what was kept to send.
  function showUrgent(form) {
    const template = document.getElementById("offline-urgent");
    const main = document.getElementById("main");
    const screen = template.content.cloneNode(true);
    const list = screen.querySelector("[data-signs]");
    for (const label of checkedLabels(form, "danger_signs")) {
      const item = document.createElement("li");
      item.textContent = label;
      list.append(item);
    }
    for (const child of [...main.children]) {
      if (child.id !== "offline-banner" && child.id !== "offline-queue") child.hidden = true;
    }
    main.prepend(screen);
    document.title = "Get urgent help now · Rehab tracker";
    const urgent = document.getElementById("urgent");
    urgent.focus();
    urgent.scrollIntoView();
  }

  async function onSubmit(event) {
    const form = event.target;
    if (!form.matches("[data-offline-queue]") || form.dataset.online) return;
    event.preventDefault();
    const fixing = form.dataset.fixing;
    const answer = await freshToken();
    if (answer === null) {
      await keepOffline(form);
      return;
    }
    if (answer !== SIGNED_OUT) form.elements.namedItem("csrfmiddlewaretoken").value = answer.token;
    // The fixed entry is in the form now, and the form keeps its values if refused again.
    if (fixing) await Queue.remove(fixing);
    form.dataset.online = "1";
    form.submit();
  }

  // What the server answered a kept entry: saved (sent on to a page, or the urgent screen),
  // refused (the form back with messages), signed out (the sign-in page), or try later.
  async function outcome(response) {
    const path = new URL(response.url).pathname;
    if (path.startsWith(status.dataset.loginUrl)) return { kind: SIGNED_OUT };
    if (!response.ok) return { kind: "later" };
    // Sent before (the answer was lost, or another tab sent it): the server kept the one.
    if (response.redirected && path === status.dataset.historyUrl) return { kind: "already" };
    if (response.redirected) return { kind: "saved" };
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    if (page.getElementById("urgent")) return { kind: "saved" };
    const errors = [];
    for (const region of page.querySelectorAll(".live-errors")) {
      for (const item of region.querySelectorAll(".errorlist li")) {
        const field = region.closest(".field, fieldset");
        const label = field && field.querySelector("legend, label");
        errors.push({ region: region.id, label: label ? label.textContent.trim() : "", text: item.textContent.trim() });
      }
    }
    for (const item of page.querySelectorAll("#form-errors p:not(:first-child)")) {
      errors.push({ region: "", label: "", text: item.textContent.trim() });
    }
    // No form at all: the plan was paused or ended meanwhile, and the page says why.
    const banner = !page.querySelector("form[data-offline-queue]") && page.querySelector("main .banner");
    if (!errors.length && banner) errors.push({ region: "", label: "", text: banner.textContent.trim() });
    return errors.length ? { kind: "refused", errors } : { kind: "later" };
  }

  async function send(entry) {
    const answer = await freshToken();
    if (answer === null || answer === SIGNED_OUT) return { kind: answer === null ? "later" : SIGNED_OUT };
    const body = new URLSearchParams(entry.fields);
    body.set("csrfmiddlewaretoken", answer.token);
    try {
      const response = await fetch(entry.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": answer.token },
      });
      return await outcome(response);
    } catch (error) {
      return { kind: "later" };
    }
  }

  async function sendWaiting() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      for (const entry of await Queue.all(account)) {
        if (entry.state !== "waiting") continue;
        const result = await send(entry);
        signedOut = result.kind === SIGNED_OUT;
        if (result.kind === "saved") {
          await Queue.remove(entry.id);
          sent[entry.danger ? "reports" : "sessions"] += 1;
        } else if (result.kind === "already") {
          await Queue.remove(entry.id);
        } else if (result.kind === "refused") {
          await Queue.put({ ...entry, state: "refused", errors: result.errors });
        } else {
          break; // no connection, or no sign-in: everything stays for the next try
        }
      }
    } finally {
      sending = false;
      await render({});
    }
  }

  function line(text, tag = "p") {
    const element = document.createElement(tag);
    element.textContent = text;
    return element;
  }

  async function render({ justKept = false }) {
    const entries = await Queue.all(account);
    const waiting = entries.filter((entry) => entry.state === "waiting");
    // The entry open in the form below is not listed again above it.
    const open = document.querySelector("form[data-fixing]");
    const refused = entries.filter(
      (entry) => entry.state === "refused" && (!open || open.dataset.fixing !== entry.id),
    );
    const box = status.querySelector("[data-queue-body]");
    box.replaceChildren();
    if (waiting.length) {
      box.append(line(`Waiting to send (${waiting.length})`, "h2"));
      if (justKept) box.append(line("Kept on this phone: nothing is lost."));
      const list = document.createElement("ul");
      waiting.forEach((entry) => list.append(line(entry.summary, "li")));
      box.append(list);
      const them = waiting.length === 1 ? "it" : "them";
      if (signedOut) {
        box.append(line(`Your sign-in has expired. Sign in again to send ${them}: until then ${waiting.length === 1 ? "it stays" : "they stay"} on this phone.`));
        const link = document.createElement("a");
        link.href = `${status.dataset.loginUrl}?next=${encodeURIComponent(location.pathname)}`;
        link.textContent = "Sign in to send";
        link.setAttribute("role", "button");
        const row = line("");
        row.append(link);
        box.append(row);
      } else {
        box.append(line(`${waiting.length === 1 ? "It is" : "They are"} sent as soon as this phone is back online.`));
      }
    } else if (sent.sessions || sent.reports) {
      box.append(line("Sent", "h2"));
      if (sent.reports) box.append(line("Your danger sign report has reached your care team."));
      if (sent.sessions) {
        const saved = line(`${sent.sessions === 1 ? "1 session" : `${sent.sessions} sessions`} saved. `);
        const link = document.createElement("a");
        link.href = status.dataset.historyUrl;
        link.textContent = "See your history";
        saved.append(link);
        box.append(saved);
      }
    }
    if (refused.length) {
      box.append(line(`Not sent: needs a change (${refused.length})`, "h2"));
      const list = document.createElement("ul");
      for (const entry of refused) {
        const item = line(`${entry.summary}: ${entry.errors.map((error) => error.text).join(" ")} `, "li");
        const open = document.createElement("a");
        open.href = `${status.dataset.logUrl}?fix=${encodeURIComponent(entry.id)}`;
        open.textContent = "Open it to correct and send";
        item.append(open);
        list.append(item);
      }
      box.append(list);
    }
    status.hidden = !box.children.length;
    status.classList.toggle("queue-refused", refused.length > 0 && !waiting.length);
  }

  function clearFixMarks(form) {
    delete form.dataset.fixing;
    document.getElementById("fix-note")?.remove();
  }

  // /log/?fix=<key>: the refused entry's values in the form, its messages at the fields.
  async function openForFix() {
    const id = new URLSearchParams(location.search).get("fix");
    const form = document.querySelector("form[data-offline-queue]");
    if (!id || !form) return;
    const entry = await Queue.get(id);
    if (!entry || entry.account !== account) return;
    for (const input of form.querySelectorAll("input[type=checkbox], input[type=radio]")) input.checked = false;
    for (const [name, value] of entry.fields) {
      for (const field of form.querySelectorAll(`[name="${name}"]`)) {
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === value) field.checked = true;
        } else {
          field.value = value;
        }
      }
    }
    const note = document.createElement("div");
    note.id = "fix-note";
    note.className = "form-error";
    note.tabIndex = -1;
    note.setAttribute("role", "alert");
    note.append(line("Not saved yet. When it was sent, the answer was:", "strong"));
    const reasons = document.createElement("ul");
    entry.errors.forEach((error) => reasons.append(line(error.text, "li")));
    note.append(reasons);
    note.append(line("What you entered is below and stays on this phone until it is saved."));
    for (const error of entry.errors) {
      const region = error.region && document.getElementById(error.region);
      if (region) {
        const list = region.querySelector(".errorlist") || region.appendChild(document.createElement("ul"));
        list.className = "errorlist";
        list.append(line(error.text, "li"));
        region.closest(".field, fieldset")?.classList.add("has-error");
      }
    }
    form.prepend(note);
    form.dataset.fixing = id;
    note.focus();
  }

  document.addEventListener("submit", onSubmit);
  window.addEventListener("online", sendWaiting);
  // A page served from the kept copy holds the request key it was kept with, which an
  // earlier visit may have used already: each visit's entry gets a key of its own.
  function freshKeysOnKeptCopy() {
    if (!document.documentElement.dataset.offlineAsOf) return;
    for (const form of document.querySelectorAll("form[data-offline-queue]")) {
      const key = form.elements.namedItem("request_key");
      if (key) key.value = crypto.randomUUID();
    }
  }

  const start = async () => {
    freshKeysOnKeptCopy();
    await openForFix();
    await render({});
    await sendWaiting();
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
