// A count under each free-text field with a limit (data-limit), so a long note is seen to be
// long before it is sent. The server's rule is the one that counts: without JavaScript it
// still refuses a text that is too long, with the text kept and the message at the field.
(() => {
  const format = (n) => n.toLocaleString("en-GB");
  const length = (text) => text.replace(/\r\n/g, "\n").length;

  function attach(field) {
    if (field.dataset.counted) return;
    field.dataset.counted = "1";
    const limit = Number(field.dataset.limit);
    const count = document.createElement("small");
    count.className = "char-count";
    field.insertAdjacentElement("afterend", count);
    const update = () => {
      const used = length(field.value);
      const over = used - limit;
      count.textContent =
        over > 0
          ? `${format(used)} characters: ${format(over)} over the ${format(limit)} that fit.`
          : `${format(used)} of ${format(limit)} characters`;
      count.classList.toggle("over", over > 0);
    };
    field.addEventListener("input", update);
    update();
  }

  const attachAll = (root) => root.querySelectorAll("[data-limit]").forEach(attach);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => attachAll(document));
  } else {
    attachAll(document);
  }
  document.addEventListener("htmx:load", (event) => attachAll(event.target));
})();
