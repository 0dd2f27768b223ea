// Save once, even after Back. Each create form carries a save-once key (request_key). When
// Back re-fetches a page, the server renders a new key, while the browser fills in again what
// had been typed: saving would then save it a second time. So each page's history entry keeps
// the keys its forms were first given, and a re-fetched page gets them back; the server then
// finds the record already saved and says so. A form htmx swaps in afterwards (after a save,
// empty, with a new key) replaces its slot, so the next thing typed there saves as new.
(() => {
  const FIELD = 'input[name="request_key"]';

  const slotOf = (input) => input.id || (input.form && input.form.getAttribute("action")) || "";

  function keep(inputs, { restore }) {
    const state = history.state && typeof history.state === "object" ? history.state : {};
    const keys = { ...(state.requestKeys || {}) };
    for (const input of inputs) {
      const slot = slotOf(input);
      if (restore && keys[slot]) {
        input.value = keys[slot];
      } else {
        keys[slot] = input.value;
      }
    }
    history.replaceState({ ...state, requestKeys: keys }, "");
  }

  function start() {
    keep(document.querySelectorAll(FIELD), { restore: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  document.addEventListener("htmx:afterSwap", (event) => {
    const root = event.detail && event.detail.elt;
    if (!root || !root.querySelectorAll) return;
    const inputs = [...root.querySelectorAll(FIELD)];
    if (root.matches && root.matches(FIELD)) inputs.push(root);
    if (inputs.length) keep(inputs, { restore: false });
  });
})();
