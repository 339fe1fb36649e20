/* site-gen default theme: colour-scheme toggle, popovers for glossary terms and notes, sidenotes
   set beside their markers, print touches, and links that work when the site is opened from disk
   (search-ui.js marks the words a search found). Everything here is an enhancement: without
   JavaScript every term and note is a plain link, and the sidenotes stack in the margin. */
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
    popover.lang = document.documentElement.lang;  // definitions and notes are in the site's language,
    popover.dir = document.documentElement.dir;    // also in an article of another one
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
    clearSheet(trigger);
  }

  /* On phones the popover is a sheet at the bottom of the screen: the page scrolls so the link's line stays in view above it. */
  function clearSheet(trigger) {
    if (getComputedStyle(popover).position !== "fixed") return;
    var sheet = popover.getBoundingClientRect().top;
    var line = trigger.getBoundingClientRect();
    if (line.bottom > sheet - 12) window.scrollBy(0, line.bottom - sheet + 12 + line.height);
  }

  /* On wider screens a card under the link, inside the screen. */
  function place(trigger) {
    if (getComputedStyle(popover).position !== "absolute") return;
    var rect = trigger.getBoundingClientRect();
    var parent = popover.offsetParent || document.body;
    var origin = parent.getBoundingClientRect();
    var width = popover.offsetWidth;
    var rtl = getComputedStyle(trigger).direction === "rtl";  // a right-to-left text: the card ends where the link ends
    var left = Math.min(rtl ? rect.right - width : rect.left, window.innerWidth - width - 16);
    popover.style.left = Math.max(8, left) - origin.left + "px";
    popover.style.top = rect.bottom - origin.top + 6 + "px";
  }

  function highlightSidenote(number) {
    var note = document.getElementById("sn" + number);
    if (!note) return false;
    document.querySelectorAll(".sidenote.is-highlighted").forEach(function (el) { el.classList.remove("is-highlighted"); });
    note.classList.add("is-highlighted");
    if (note.classList.contains("is-collapsed")) setExpanded(note, true);
    return true;
  }

  function isTrigger(el) {
    return el && el.matches && (el.matches("a.term") || el.matches(".footnote-ref a"));
  }

  function onActivate(trigger, event) {
    if (trigger.matches(".footnote-ref a") && wide.matches && highlightSidenote(trigger.getAttribute("data-note"))) {
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

  /* Sidenotes ------------------------------------------------------------------------------- */
  /* On wide screens each note starts beside its marker, or as near below it as the notes above
     allow. A note that would reach the next note's marker, or that was pushed down, shows its
     first three lines and a "more" button that expands it in place (as does focus on a link in it). */
  var GAP_REM = 0.75;
  var PUSHED_LINES = 1.5;

  function sidenoteParts() {
    var body = document.querySelector(".article-body");
    var notes = body ? Array.prototype.slice.call(body.querySelectorAll(".sidenote")) : [];
    return { body: body, notes: notes };
  }

  function setExpanded(note, expanded) {
    note.classList.toggle("is-expanded", expanded);
    var button = note.querySelector(".sidenote-more");
    if (button) {
      button.setAttribute("aria-expanded", String(expanded));
      button.firstChild.textContent = expanded ? "less" : "more";
    }
  }

  function addMoreButton(note) {
    if (note.querySelector(".sidenote-more")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sidenote-more";
    button.setAttribute("aria-expanded", "false");
    var label = document.createElement("span");
    label.textContent = "more";
    var what = document.createElement("span");
    what.className = "visually-hidden";
    what.textContent = " of note " + note.id.slice(2);
    button.append(label, what);
    button.addEventListener("click", function () { setExpanded(note, !note.classList.contains("is-expanded")); });
    note.appendChild(button);
  }

  function layoutSidenotes() {
    var parts = sidenoteParts();
    if (!parts.notes.length) return;
    var body = parts.body;
    if (!wide.matches) {
      body.classList.remove("sidenotes-placed");
      body.style.minHeight = "";
      return;
    }
    body.classList.add("sidenotes-placed");
    var rem = parseFloat(getComputedStyle(doc).fontSize);
    var line = parseFloat(getComputedStyle(body).lineHeight) || 1.6 * rem;
    var origin = body.getBoundingClientRect().top;
    var markers = parts.notes.map(function (note) {
      var marker = document.getElementById("fnref" + note.id.slice(2));
      return marker ? marker.getBoundingClientRect().top - origin : 0;
    });
    parts.notes.forEach(function (note) { note.classList.remove("is-collapsed"); });
    var heights = parts.notes.map(function (note) { return note.offsetHeight; });
    var bottom = -Infinity;
    parts.notes.forEach(function (note, i) {
      var top = Math.max(markers[i], bottom + GAP_REM * rem);
      var next = i + 1 < markers.length ? markers[i + 1] : Infinity;
      var pushed = top > markers[i] + PUSHED_LINES * line;
      var height = heights[i];
      if (pushed || top + height + GAP_REM * rem > next) {
        var expanded = note.classList.contains("is-expanded");  // it opens over the notes below
        note.classList.remove("is-expanded");
        note.classList.add("is-collapsed");
        addMoreButton(note);
        height = Math.min(height, note.offsetHeight);
        note.classList.toggle("is-expanded", expanded);
      }
      note.style.top = top + "px";
      bottom = top + height;
    });
    body.style.minHeight = Math.max(0, bottom) + "px";
  }

  function setupSidenotes() {
    if (!sidenoteParts().notes.length) return;
    var pending = false;
    var relayout = function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; layoutSidenotes(); });
    };
    layoutSidenotes();
    window.addEventListener("resize", relayout);
    window.addEventListener("load", relayout);
    if (wide.addEventListener) wide.addEventListener("change", relayout);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(relayout);
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      document.querySelectorAll(".sidenote.is-expanded").forEach(function (note) { setExpanded(note, false); });
    });
    window.addEventListener("hashchange", showTargetNote);
    showTargetNote();
  }

  /* A link to a place inside a note (a term's concordance) while the footnotes are hidden: the sidenote. */
  function showTargetNote() {
    if (!wide.matches || !location.hash) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var item = target && target.closest(".footnote-item");
    if (!item || !highlightSidenote(item.id.slice(2))) return;
    document.getElementById("sn" + item.id.slice(2)).scrollIntoView({ block: "center" });
  }

  /* Print ------------------------------------------------------------------------------------ */
  /* The page's address on paper (set from base_url when there is one), and every concordance line. */
  function setupPrint() {
    document.querySelectorAll(".print-url").forEach(function (el) {
      if (!el.textContent.trim()) el.textContent = location.href.split("#")[0];
    });
    var opened = [];
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details:not([open])").forEach(function (el) { el.open = true; opened.push(el); });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (el) { el.open = false; });
      opened = [];
    });
  }

  function start() {
    fixFileLinks();
    setupThemeToggle();
    setupPopovers();
    setupSidenotes();
    setupPrint();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
