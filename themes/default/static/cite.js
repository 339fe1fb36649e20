/* site-gen default theme: citing an article and its passages.
   - A link to a passage id that no passage has any more (it was deleted or merged) leads to the nearest
     surviving passage, from the map the page carries; without JavaScript it lands at the top of the page.
   - The pilcrow beside each passage copies the passage's URL.
   - Selecting text offers "Copy link to this passage" (the passage URL with a text fragment, which
     browsers scroll to and highlight) and "Copy citation".
   - The "Cite this article" box copies its references.
   Everything here is an enhancement: without JavaScript the pilcrows are plain links to the passages. */
(function () {
  "use strict";
  var article = document.querySelector("[data-citation]");

  function pageUrl() {
    var canonical = document.querySelector('link[rel="canonical"]');
    var url = canonical ? canonical.href : location.href;
    return url.split("#")[0];
  }

  function passageUrl(id) { return pageUrl() + "#" + id; }

  function copy(text, done) {
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  var status = null;
  function announce(message) {
    if (!status) {
      status = document.createElement("div");
      status.className = "copy-status";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = message;
    status.classList.add("is-shown");
    clearTimeout(announce.timer);
    announce.timer = setTimeout(function () { status.classList.remove("is-shown"); }, 2000);
  }

  /* Retired ids ----------------------------------------------------------------------------- */
  function resolveRetired() {
    var data = document.getElementById("retired-passages");
    if (!data) return;
    var map;
    try { map = JSON.parse(data.textContent); } catch (e) { return; }
    function follow() {
      var wanted = decodeURIComponent(location.hash.slice(1));
      if (!wanted || document.getElementById(wanted) || !Object.prototype.hasOwnProperty.call(map, wanted)) return;
      var target = map[wanted] ? document.getElementById(map[wanted]) : null;
      history.replaceState(history.state, "", location.pathname + location.search + (target ? "#" + target.id : ""));
      document.querySelectorAll(".is-target").forEach(function (el) { el.classList.remove("is-target"); });
      if (target) {
        target.classList.add("is-target");
        target.scrollIntoView({ block: "start" });
      } else {
        window.scrollTo(0, 0);
      }
    }
    follow();
    window.addEventListener("hashchange", follow);
  }

  /* Pilcrows -------------------------------------------------------------------------------- */
  function setupPilcrows() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".passage-link");
      if (!link) return;
      var id = link.getAttribute("href").slice(1);
      copy(passageUrl(id), function (ok) { announce(ok ? "Link to this passage copied" : "Copy the address from the address bar"); });
    });
  }

  /* Selection: "Cite this passage" ----------------------------------------------------------- */
  var toolbar = null;

  function fragmentText(text) {
    var encode = function (s) { return encodeURIComponent(s).replace(/-/g, "%2D"); };
    var words = text.split(/\s+/).filter(Boolean);
    if (words.length <= 12) return encode(words.join(" "));
    return encode(words.slice(0, 5).join(" ")) + "," + encode(words.slice(-5).join(" "));
  }

  function selectedPassage() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    if (!start || !start.closest(".article-body") || start.closest(".sidenote, .footnotes, .cite-popover")) return null;
    var passage = start.closest("[data-passage]");
    var text = selection.toString().replace(/¶/g, "").replace(/\s+/g, " ").trim();
    if (!passage || !text) return null;
    return { passage: passage, text: text, range: range };
  }

  function hideToolbar() {
    if (toolbar) { toolbar.remove(); toolbar = null; }
  }

  function citationText(quote, url) {
    var reference = article ? article.getAttribute("data-citation") : document.title;
    var own = article ? article.getAttribute("data-citation-url") : "";
    var cited = own && reference.indexOf(own) >= 0 ? reference.replace(own, url) : reference + " " + url;
    return "\u201c" + quote + "\u201d " + cited;
  }

  function button(label, action) {
    var item = document.createElement("button");
    item.type = "button";
    item.textContent = label;
    item.addEventListener("mousedown", function (event) { event.preventDefault(); });
    item.addEventListener("click", function () {
      action(function (ok) {
        item.textContent = ok ? "Copied" : "Could not copy";
        setTimeout(hideToolbar, 900);
      });
    });
    return item;
  }

  function showToolbar(found) {
    hideToolbar();
    var link = passageUrl(found.passage.id) + ":~:text=" + fragmentText(found.text);
    toolbar = document.createElement("div");
    toolbar.className = "cite-popover";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Cite this passage");
    toolbar.append(
      button("Copy link to this passage", function (done) { copy(link, done); }),
      button("Copy citation", function (done) { copy(citationText(found.text, passageUrl(found.passage.id)), done); })
    );
    document.body.appendChild(toolbar);
    var rect = found.range.getBoundingClientRect();
    var left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + window.innerWidth - toolbar.offsetWidth - 8));
    toolbar.style.left = left + "px";
    toolbar.style.top = window.scrollY + place(rect, toolbar.offsetHeight) + "px";
  }

  /* Above the selection, or below it when there is no room above. In live preview the annotation
     workbench shows its own toolbar for a selection, below it (above it near the window's bottom,
     within 56 px): this one then takes the other side, or goes under the workbench's. */
  function place(rect, height) {
    var workbench = document.documentElement.getAttribute("data-site-gen-workbench") === "ready";
    var below = rect.bottom + 8;
    if (workbench && below > window.innerHeight - 48) return below;
    if (rect.top - height - 8 >= 0) return rect.top - height - 8;
    return workbench ? below + 52 : below;
  }

  function setupSelection() {
    var pending = null;
    document.addEventListener("selectionchange", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        var found = selectedPassage();
        if (found) showToolbar(found);
        else if (!(toolbar && toolbar.contains(document.activeElement))) hideToolbar();
      }, 250);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hideToolbar();
    });
  }

  /* "Cite this article" ---------------------------------------------------------------------- */
  function setupCiteBox() {
    document.querySelectorAll("[data-copy-from]").forEach(function (control) {
      control.hidden = false;
      control.addEventListener("click", function () {
        var source = document.getElementById(control.getAttribute("data-copy-from"));
        if (!source) return;
        copy(source.textContent.replace(/\s+/g, " ").trim(), function (ok) { announce(ok ? "Reference copied" : "Could not copy"); });
      });
    });
  }

  function start() {
    resolveRetired();
    setupPilcrows();
    setupSelection();
    setupCiteBox();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
