// A link drawn and announced as a button ("Log a session") answers the Space bar as a
// button does, not only Enter. Without JavaScript, Enter still follows it.
document.addEventListener("keydown", (event) => {
  if (event.key === " " && event.target.matches('a[role="button"]')) {
    event.preventDefault();
    event.target.click();
  }
});
