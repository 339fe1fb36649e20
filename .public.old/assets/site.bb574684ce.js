/* site-gen default theme: colour-scheme toggle, popovers for glossary terms and notes,
   search-result highlighting, and links that work when the site is opened from disk.
   Everything here is an enhancement: without JavaScript every term and note is a plain link. */
(function () {
  "use strict";
  var doc = document.documentElement;
  var STORAGE_KEY = "site-gen-theme";

  /* Links end in "/" so they work on every web host; a browser opening files from disk needs index.html. */
  function fixFileLinks() {
    if (location.protocol !== "file:") return;
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^[a-z]+:/i.test(href) || href.charAt(0) === "#") return;
      a.setAttribute("href", href.replace(/(^|\/)(#|\?|$)/, "$1index.html$2").replace(/^\.\/index\.html/, "index.html"));
    });
  }

  function currentTheme() {
    var set = doc.getAttribute("data-theme");
    if (set) return set;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function setupThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    button.hidden = false;
    var sync = function () { button.setAttribute("aria-pressed", String(currentTheme() === "dark")); };
    sync();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      doc.setAttribute("data-theme", next);
      try { localStorage.setItem(STORAGE_KEY, next); } catch (e) { /* private mode: not remembered */ }
      sync();
    });
  }

  /* Popovers -------------------------------------------------------------------------------- */
  var popover = null;
  var popoverTrigger = null;
  var returningFocus = false;
  var wide = window.matchMedia ? window.matchMedia("(min-width: 1100px)") : { matches: false };

  function popoverContent(trigger) {
    var box = document.createDocumentFragment();
    var title = document.createElement("span");
    title.className = "popover-title";
    var body = document.createElement("span");
    body.className = "popover-body";
    if (trigger.classList.contains("term")) {
      var slug = trigger.getAttribute("data-term");
      var definition = document.getElementById("def-" + slug);
      title.textContent = definition ? definition.textContent.trim() : trigger.textContent;
      var text = definition && definition.nextElementSibling;
      body.textContent = text ? text.textContent.trim() : "";
      var more = document.createElement("a");
      more.className = "popover-link";
      more.href = trigger.getAttribute("href");
      more.textContent = "Read the full entry \u2192";
      box.append(title, body, document.createElement("br"), more);
    } else {
      var number = trigger.getAttribute("data-note");
      var item = document.getElementById("fn" + number);
      title.textContent = "Note " + number;
      if (item) {
        var copy = item.cloneNode(true);
        copy.querySelectorAll(".footnote-backref").forEach(function (el) { el.remove(); });
        copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
        while (copy.firstChild) body.appendChild(copy.firstChild);
      }
      box.append(title, body);
    }
    return box;
  }

  function closePopover(returnFocus) {
    if (!popover) return;
    var trigger = popoverTrigger;
    popover.remove();
    popover = null;
    popoverTrigger = null;
    if (trigger) {
      trigger.setAttribute("aria-expanded", "false");
      trigger.removeAttribute("aria-describedby");
      if (returnFocus) {
        returningFocus = true;
        trigger.focus();
        returningFocus = false;
      }
    }
  }

  function openPopover(trigger) {
    if (popoverTrigger === trigger) return;
    closePopover(false);
    popover = document.createElement("span");
    popover.className = "popover";
    popover.id = "popover";
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-live", "polite");
    popover.setAttribute("aria-label", trigger.classList.contains("term") ? "Definition" : "Note");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "popover-close";
    close.setAttribute("aria-label", "Close");
    close.textContent = "\u00d7";
    close.addEventListener("click", function () { closePopover(true); });
    popover.appendChild(close);
    popover.appendChild(popoverContent(trigger));
    var anchor = trigger.closest(".footnote-ref") || trigger;
    anchor.after(popover);
    popoverTrigger = trigger;
    trigger.setAttribute("aria-expanded", "true");
    trigger.setAttribute("aria-describedby", "popover");
    place(trigger);
  }

  function place(trigger) {
    if (getComputedStyle(popover).position !== "absolute") return;
    var rect = trigger.getBoundingClientRect();
    var parent = popover.offsetParent || document.body;
    var origin = parent.getBoundingClientRect();
    var width = popover.offsetWidth;
    var left = Math.min(rect.left, window.innerWidth - width - 16);
    popover.style.left = Math.max(8, left) - origin.left + "px";
    popover.style.top = rect.bottom - origin.top + 6 + "px";
  }

  function highlightSidenote(trigger) {
    var note = document.getElementById("sn" + trigger.getAttribute("data-note"));
    if (!note) return false;
    document.querySelectorAll(".sidenote.is-highlighted").forEach(function (el) { el.classList.remove("is-highlighted"); });
    note.classList.add("is-highlighted");
    return true;
  }

  function isTrigger(el) {
    return el && el.matches && (el.matches("a.term") || el.matches(".footnote-ref a"));
  }

  function onActivate(trigger, event) {
    if (trigger.matches(".footnote-ref a") && wide.matches && highlightSidenote(trigger)) {
      if (event) event.preventDefault();
      return;
    }
    if (event) event.preventDefault();
    if (popoverTrigger === trigger && event && event.type === "click") closePopover(false);
    else openPopover(trigger);
  }

  function setupPopovers() {
    document.querySelectorAll("a.term, .footnote-ref a").forEach(function (trigger) {
      trigger.setAttribute("aria-expanded", "false");
      trigger.setAttribute("aria-haspopup", "dialog");
    });
    document.addEventListener("click", function (event) {
      var trigger = event.target.closest && event.target.closest("a.term, .footnote-ref a");
      if (trigger) { onActivate(trigger, event); return; }
      if (popover && !popover.contains(event.target)) closePopover(false);
    });
    document.addEventListener("focusin", function (event) {
      var target = event.target;
      if (returningFocus) return;
      if (isTrigger(target) && target.matches(":focus-visible")) onActivate(target, null);
      else if (popover && !popover.contains(target) && target !== popoverTrigger) closePopover(false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && popover) { event.preventDefault(); closePopover(true); }
    });
    window.addEventListener("resize", function () { if (popover && popoverTrigger) place(popoverTrigger); });
  }

  /* ?highlight=words: mark the words a search matched, scroll to the first, then tidy the URL. */
  function highlightFromQuery() {
    var params = new URLSearchParams(location.search);
    var words = (params.get("highlight") || "").toLowerCase().split(/\s+/).filter(function (w) { return w.length > 1; });
    if (!words.length) return;
    var root = document.querySelector(".article-body") || document.querySelector("main");
    var pattern = new RegExp("(" + words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|") + ")\\w*", "gi");
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("script, style, .sidenote") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var first = null;
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      pattern.lastIndex = 0;
      if (!pattern.test(text)) return;
      var fragment = document.createDocumentFragment();
      var last = 0;
      text.replace(pattern, function (match, _word, offset) {
        fragment.append(text.slice(last, offset));
        var mark = document.createElement("mark");
        mark.className = "search-hit";
        mark.textContent = match;
        fragment.append(mark);
        if (!first) first = mark;
        last = offset + match.length;
        return match;
      });
      fragment.append(text.slice(last));
      node.replaceWith(fragment);
    });
    if (first && !location.hash) first.scrollIntoView({ block: "center" });
    params.delete("highlight");
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function start() {
    fixFileLinks();
    setupThemeToggle();
    setupPopovers();
    highlightFromQuery();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
