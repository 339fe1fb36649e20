/* site-gen live preview: reload when a build is published; list the build's errors and warnings
   over the page (errors open, warnings behind a small badge), each linking to its place.
   Injected by the preview server only; built sites never contain it. Its elements live in a shadow
   root, so the theme's styles cannot make them unreadable, and its styles never touch the page. */
(function () {
  "use strict";
  var script = document.currentScript;
  var epoch = script ? script.getAttribute("data-epoch") : null;
  var STYLES = "/__site-gen/preview.css";
  var root, panel, badge, announcer;
  var open = false;
  var last = { held: false, items: [] };

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  /* The page's colour scheme, as the theme chose it (its toggle, else the system's). */
  function scheme() {
    var set = document.documentElement.getAttribute("data-theme");
    if (set === "dark" || set === "light") return set;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  /* A host element whose shadow root holds the preview's controls, out of reach of the theme's
     styles; its data-scheme follows the page's colour scheme. */
  var hosts = [];
  function shadowHost(tag, id) {
    var host = element(tag, { class: "site-gen-ui", "data-scheme": scheme() });
    if (id) host.id = id;
    host.shadow = host.attachShadow({ mode: "open" });
    host.shadow.appendChild(element("link", { rel: "stylesheet", href: STYLES }));
    hosts.push(host);
    return host;
  }

  new MutationObserver(function () {
    hosts.forEach(function (host) { host.setAttribute("data-scheme", scheme()); });
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  window.siteGenPreview = { element: element, shadowHost: shadowHost };

  function setup() {
    var host = shadowHost("div", "site-gen-preview");
    document.body.appendChild(host);
    root = host.shadow;
    announcer = element("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    badge = element("button", { type: "button", id: "site-gen-badge", class: "badge", "aria-controls": "site-gen-overlay",
                                "aria-expanded": "false", hidden: "" });
    badge.addEventListener("click", function () { open = !open; render(); if (open) panel.focus(); });
    panel = element("section", { id: "site-gen-overlay", class: "panel", tabindex: "-1", "aria-labelledby": "site-gen-title",
                                 hidden: "" });
    root.append(announcer, panel, badge);
  }

  function count(items, severity) {
    return items.filter(function (item) { return item.severity === severity; }).length;
  }

  function plural(number, word) { return number + " " + word + (number === 1 ? "" : "s"); }

  function title(problems) {
    var errors = count(problems.items, "error");
    var warnings = count(problems.items, "warning");
    if (problems.held) return "Not updated: " + plural(errors, "error") + ". The page shows the last good version.";
    if (errors) return plural(errors, "error") + ": what they name is left out of the pages.";
    return plural(warnings, "warning");
  }

  function here(url) { return location.pathname === "/" + url; }

  /* Scroll to the place a problem names on this page and mark it for a moment. */
  function show(item) {
    var target = item.target ? document.getElementById(item.target) : findText(item.text_on_page);
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    var outline = target.style.outline;
    target.style.outline = "3px solid #c2410c";
    if (target.matches("a, button, [tabindex]")) target.focus();
    setTimeout(function () { target.style.outline = outline; }, 2500);
  }

  function findText(text) {
    if (!text) return null;
    var wanted = text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, "\"").toLowerCase();
    var blocks = document.querySelectorAll("main p, main li, main blockquote");
    for (var i = 0; i < blocks.length; i++) {
      var plain = blocks[i].textContent.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, "\"").toLowerCase();
      if (plain.indexOf(wanted) >= 0) return blocks[i];
    }
    return null;
  }

  function placeOf(item) {
    var box = element("p", { class: "place" });
    if (item.orphan && here(item.url) && document.getElementById("site-gen-workbench")) {
      var reanchor = element("button", { type: "button" }, "Re-anchor this note");
      reanchor.addEventListener("click", function () {
        document.dispatchEvent(new CustomEvent("site-gen:reanchor", { detail: item.orphan }));
      });
      box.appendChild(reanchor);
    } else if (item.url && here(item.url) && (item.target || item.text_on_page)) {
      var button = element("button", { type: "button" }, "Show it on the page");
      button.addEventListener("click", function () { show(item); });
      box.appendChild(button);
    } else if (item.url && !here(item.url)) {
      box.appendChild(element("a", { href: "/" + item.url + (item.target ? "#" + item.target : "") }, "Open the page it is on"));
    }
    return box.firstChild ? box : null;
  }

  function render() {
    var problems = last;
    var errors = count(problems.items, "error");
    badge.hidden = !problems.items.length || open;
    badge.className = "badge " + (errors ? "has-errors" : "has-warnings");
    badge.textContent = errors ? plural(errors, "error") : plural(problems.items.length, "warning");
    badge.setAttribute("aria-expanded", String(open));
    panel.hidden = !open || !problems.items.length;
    panel.className = "panel " + (errors ? "has-errors" : "has-warnings");
    panel.textContent = "";
    var head = element("div", { class: "head" });
    head.appendChild(element("h2", { id: "site-gen-title" }, title(problems)));
    var hide = element("button", { type: "button", class: "hide" }, "Hide");
    hide.addEventListener("click", function () { open = false; render(); badge.focus(); });
    hide.setAttribute("aria-controls", "site-gen-overlay");
    head.appendChild(hide);
    panel.appendChild(head);
    if (problems.held) panel.appendChild(element("p", {}, "Fix the file and save again: the page reloads, with your other changes too."));
    var list = element("ul", {});
    problems.items.forEach(function (item) {
      var entry = element("li", { class: item.severity });
      entry.appendChild(element("pre", {}, item.text));
      var place = placeOf(item);
      if (place) entry.appendChild(place);
      list.appendChild(entry);
    });
    panel.appendChild(list);
  }

  function update(problems) {
    var errors = count(problems.items, "error");
    var before = count(last.items, "error");
    last = problems;
    if (errors && !before) open = true;
    if (!problems.items.length) open = false;
    render();
    announcer.textContent = problems.items.length ? title(problems) : "";
  }

  function start() {
    setup();
    var source = new EventSource("/__site-gen/events");
    var waiting = false;
    /* A form of the workbench is open: the page reloads when it closes, not under the editor's typing. */
    source.addEventListener("epoch", function (event) {
      if (epoch === null || event.data === epoch) return;
      if (document.documentElement.hasAttribute("data-site-gen-busy")) waiting = true;
      else location.reload();
    });
    document.addEventListener("site-gen:free", function () { if (waiting) location.reload(); });
    source.addEventListener("problems", function (event) { update(JSON.parse(event.data)); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
