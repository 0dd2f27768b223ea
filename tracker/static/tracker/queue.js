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

  // {token} with a connection and a sign-in; SIGNED_OUT only when the answer is the sign-in
  // page; null for anything else (no network, a slow one, a server error, a Wi-Fi portal).
  async function freshToken() {
    if (!navigator.onLine) return null;
    try {
      const response = await fetch(status.dataset.tokenUrl, {
        cache: "no-store",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: AbortSignal.timeout(4000),
      });
      if (new URL(response.url).pathname.startsWith(status.dataset.loginUrl)) return SIGNED_OUT;
      if (!response.ok || !(response.headers.get("Content-Type") || "").includes("json")) return null;
      const token = (await response.json()).csrf_token;
      return token ? { token } : null;
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

  // What the form holds, as a queue entry. It is stored before the form is sent ("sending")
  // and removed only when the server's answer says it is saved.
  function entryOf(form) {
    const fields = [...new FormData(form)].filter(([name]) => name !== "csrfmiddlewaretoken");
    const danger = fields.some(([name]) => name === "danger_signs");
    const action = form.getAttribute("action") || location.pathname;
    return {
      id: form.elements.namedItem("request_key").value,
      account,
      action,
      fields,
      danger,
      summary: describe(form, danger),
      session: danger && action === status.dataset.logUrl ? describe(form, false) : "",
      signs: danger ? checkedLabels(form, "danger_signs") : [],
      keptAt: new Date().toISOString(),
      state: "sending",
    };
  }

  async function keepOffline(form, entry) {
    await Queue.put({ ...entry, state: "waiting" });
    const key = form.elements.namedItem("request_key");
    key.value = crypto.randomUUID(); // the next entry is a new one, never this one again
    if (entry.danger) {
      showUrgent(entry.signs);
    } else {
      form.reset();
      clearFixMarks(form);
      window.scrollTo(0, 0);
    }
    await render({ justKept: !entry.danger });
  }

  // The urgent screen, from the page's own template: the same words as online, the call
  // button first (a call needs no data), and what was kept to send.
  function showUrgent(signs) {
    const template = document.getElementById("offline-urgent");
    const main = document.getElementById("main");
    if (!template || document.getElementById("urgent")) return;
    const screen = template.content.cloneNode(true);
    const list = screen.querySelector("[data-signs]");
    for (const label of signs) {
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

  // The urgent screen shown from the kept page, once the report is filed: say so.
  function showFiled() {
    const urgent = document.getElementById("urgent");
    if (!urgent) return;
    for (const strong of urgent.querySelectorAll("strong")) {
      if (!strong.textContent.startsWith("Your care team has not been told yet")) continue;
      const call = urgent.querySelector(".urgent-button");
      strong.parentElement.replaceChildren(
        line("Your care team has been alerted.", "strong"),
        ` They are told in the app and by e-mail, but they cannot respond like an emergency service: ${call ? call.textContent.toLowerCase() : "call"}.`,
      );
    }
    const note = document.querySelector("[data-sent-note]");
    if (note) note.textContent = "Sent to your care team.";
  }

  async function onSubmit(event) {
    const form = event.target;
    if (!form.matches("[data-offline-queue]") || form.dataset.online) return;
    event.preventDefault();
    if (form.dataset.busy) return; // a second tap while the first is on its way
    form.dataset.busy = "1";
    const fixing = form.dataset.fixing;
    const entry = entryOf(form);
    // Kept before anything is sent: if the answer never comes, the entry is still here.
    await Queue.put(entry);
    if (fixing && fixing !== entry.id) await Queue.remove(fixing);
    const answer = await freshToken();
    if (answer === null) {
      await keepOffline(form, entry);
      delete form.dataset.busy;
      return;
    }
    if (answer !== SIGNED_OUT) form.elements.namedItem("csrfmiddlewaretoken").value = answer.token;
    form.dataset.online = "1";
    form.submit();
  }

  // This page's own form after it was sent: the server's answer (a refused form shows the
  // same request key: its values and messages are on the page now). A kept copy served for a
  // send that never arrived (the worker's answer to a failed POST): it waits to be sent.
  async function settleSending() {
    const kept = Boolean(document.documentElement.dataset.offlineAsOf);
    for (const entry of await Queue.all(account)) {
      if (entry.state !== "sending") continue;
      const onPage = [...document.querySelectorAll("form[data-offline-queue]")].some(
        (form) => form.elements.namedItem("request_key")?.value === entry.id,
      );
      if (onPage && !kept) {
        await Queue.remove(entry.id);
      } else if (kept && Date.now() - Date.parse(entry.keptAt) < 120000) {
        await Queue.put({ ...entry, state: "waiting" });
        if (entry.danger) showUrgent(entry.signs);
      }
    }
  }

  // What the server answered a kept entry: saved (sent on to a page, or the urgent screen),
  // refused (the form back with messages), signed out (the sign-in page), or try later.
  // The server says which in its Offline-Result header, for this entry's key: "already" is
  // this same entry saved before (its answer lost, or another tab sent it). No header (a
  // server error, a Wi-Fi portal's page) is no answer: the entry waits.
  async function outcome(response) {
    const path = new URL(response.url).pathname;
    if (path.startsWith(status.dataset.loginUrl)) return { kind: SIGNED_OUT };
    const result = response.headers.get("Offline-Result");
    if (result === "saved" || result === "already") {
      return { kind: result, sessionNotSaved: response.headers.get("Offline-Session") === "not-saved" };
    }
    if (result !== "refused") return { kind: "later" };
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
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
    const noForm = !page.querySelector("form[data-offline-queue]");
    const banner = noForm && page.querySelector("main .banner:not(#offline-banner)");
    if (!errors.length && banner) errors.push({ region: "", label: "", text: banner.textContent.trim() });
    if (!errors.length) errors.push({ region: "", label: "", text: "It was not saved." });
    return { kind: "refused", errors, noForm };
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
        headers: { "X-CSRFToken": answer.token, "Offline-Queue": "replay" },
      });
      return await outcome(response);
    } catch (error) {
      return { kind: "later" };
    }
  }

  // A danger sign sent from the log form: the report is filed. If its session was not saved
  // (the plan paused, a field empty), the session stays, without the signs, to finish later.
  async function keepSessionOf(entry) {
    const id = crypto.randomUUID();
    const fields = entry.fields
      .filter(([name]) => name !== "danger_signs" && name !== "request_key")
      .concat([["request_key", id], ["no_danger_signs", "on"]]);
    const text = "Your danger sign report was sent; this session is not saved yet. Finish it when you feel well again and your care team says it is safe.";
    await Queue.put({
      ...entry, id, fields, danger: false, signs: [], summary: entry.session || "Session",
      state: "refused", errors: [{ region: "", label: "", text }],
    });
  }

  // One tab sends at a time; the others find the queue already emptied.
  const oneAtATime = (work) =>
    navigator.locks ? navigator.locks.request("rehab-offline-send", work) : work();

  async function sendWaiting() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      await oneAtATime(sendEach);
    } finally {
      sending = false;
      await render({});
    }
  }

  async function sendEach() {
    const open = document.querySelector("form[data-offline-queue]")?.elements.namedItem("request_key")?.value;
    for (const entry of await Queue.all(account)) {
      if (entry.state !== "waiting" && entry.state !== "sending") continue;
      if (entry.state === "sending" && entry.id === open) continue;
      const result = await send(entry);
      signedOut = result.kind === SIGNED_OUT;
      if (result.kind === "saved" || result.kind === "already") {
        await Queue.remove(entry.id);
        if (entry.danger && result.sessionNotSaved && entry.session) await keepSessionOf(entry);
        if (result.kind === "saved") {
          if (entry.danger) sent.reports += 1;
          if (!entry.danger || (entry.session && !result.sessionNotSaved)) sent.sessions += 1;
        }
        if (entry.danger) showFiled();
      } else if (result.kind === "refused") {
        await Queue.put({ ...entry, state: "refused", errors: result.errors, noForm: result.noForm });
      } else {
        break; // no connection, or no sign-in: everything stays for the next try
      }
    }
  }

  function line(text, tag = "p") {
    const element = document.createElement(tag);
    element.textContent = text;
    return element;
  }

  async function render({ justKept = false }) {
    const entries = await Queue.all(account);
    const waiting = entries.filter((entry) => entry.state === "waiting" || entry.state === "sending");
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
        if (entry.noForm) {
          // The plan is paused (or ended): there is no form to correct it in yet.
          item.append("It stays on this phone until sessions can be logged again.");
        } else {
          const open = document.createElement("a");
          open.href = `${status.dataset.logUrl}?fix=${encodeURIComponent(entry.id)}`;
          open.textContent = "Open it to correct and send";
          item.append(open);
        }
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
    await settleSending();
    freshKeysOnKeptCopy();
    await openForFix();
    await render({});
    await sendWaiting();
  };
  const ready =
    document.readyState === "loading"
      ? new Promise((resolve) => document.addEventListener("DOMContentLoaded", () => resolve(start())))
      : start();
  // Signing out (offline.js) first lets this page finish sending: an entry the server has
  // just saved is still in the queue until its answer comes back, and is not "not sent".
  window.OfflineQueueSettled = () => ready;
})();
