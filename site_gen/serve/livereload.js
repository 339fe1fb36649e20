/* site-gen live preview: reload when a build finishes; show build problems over the page.
   Injected by the preview server only; built sites never contain it. */
(function () {
  "use strict";
  var script = document.currentScript;
  var epoch = script ? script.getAttribute("data-epoch") : null;
  var overlay = null;

  function showProblems(problems) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "site-gen-overlay";
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.maxHeight = "60vh"; s.overflow = "auto";
      s.zIndex = "2147483647"; s.background = "#2b0b0b"; s.color = "#fde8e8"; s.padding = "1rem 1.25rem";
      s.font = "14px/1.5 ui-monospace, Menlo, Consolas, monospace"; s.borderTop = "4px solid #e5484d";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Build failed: the last good version is shown. Fix the file and save again.";
    overlay.appendChild(title);
    problems.forEach(function (problem) {
      var line = document.createElement("pre");
      line.style.margin = "0.75rem 0 0"; line.style.whiteSpace = "pre-wrap";
      line.textContent = problem.text;
      overlay.appendChild(line);
    });
  }

  function hideProblems() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  var source = new EventSource("/__site-gen/events");
  source.addEventListener("epoch", function (event) {
    if (epoch !== null && event.data !== epoch) location.reload();
  });
  source.addEventListener("problem", function (event) { showProblems(JSON.parse(event.data)); });
  source.addEventListener("ok", hideProblems);
})();
