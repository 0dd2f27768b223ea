// The log form: choosing another activity brings that activity's minutes for this week, as
// the plan prescribes them (the minutes field carries them, from the server). Minutes the
// patient typed themselves are kept. Without JavaScript, the form names each activity's
// minutes beside the field, and /log/?activity=<id> starts from that activity.
document.addEventListener("DOMContentLoaded", () => {
  const minutes = document.querySelector('input[name="minutes"][data-suggested-minutes]');
  if (!minutes || !minutes.form) {
    return;
  }
  const suggested = JSON.parse(minutes.dataset.suggestedMinutes);
  const chosen = () => {
    const field = minutes.form.elements.namedItem("activity");
    return field ? field.value : "";
  };
  let offered = suggested[chosen()];
  minutes.form.addEventListener("change", (event) => {
    if (event.target.name !== "activity") {
      return;
    }
    const next = suggested[chosen()];
    const untouched = minutes.value === "" || String(offered) === minutes.value;
    if (next !== undefined && untouched) {
      minutes.value = String(next);
    }
    offered = next;
  });
});
