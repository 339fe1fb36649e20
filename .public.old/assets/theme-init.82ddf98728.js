/* Runs in <head>, before the first paint, so a reader who chose a colour scheme never sees a flash of the other. */
(function () {
  try {
    var choice = localStorage.getItem("site-gen-theme");
    if (choice === "dark" || choice === "light") document.documentElement.setAttribute("data-theme", choice);
  } catch (e) { /* storage blocked: follow the system setting */ }
})();
