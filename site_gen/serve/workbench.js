/* site-gen live preview: the annotation workbench. Select a passage: a toolbar offers "Note" and
   "Glossary term"; notes and terms on the page get "Edit" and "Delete"; orphaned notes listed in
   the problems overlay can be anchored again. Every change is a same-origin POST carrying the
   session's token; the server writes content/notes/ or content/glossary/, and the page reloads
   once the site is rebuilt. Injected by the preview server only while editing is on. */
(function () {
  "use strict";
  var tag = document.querySelector("script[data-token]");
  var shared = window.siteGenPreview;
  if (!tag || !shared) return;
  var TOKEN = tag.getAttribute("data-token");
  var element = shared.element;
  var host = shared.shadowHost;
  var SKIP = ".sidenote, .footnote-ref, .site-gen-ui, script, style";
  var BLOCKS = "p, li, blockquote, h1, h2, h3, h4, h5, h6, dd, dt, td, th, figcaption";
  var info = { article: null, terms: {} };
  var selected = null;
  var reanchoring = null;
  var ui = {};

  function api(action, payload) {
    return fetch("/__site-gen/api/" + action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Site-Gen-Token": TOKEN },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) throw new Error(answer.error || "the preview server refused the change");
        return answer;
      });
    });
  }

  /* While a form is open or a note is being re-anchored, a rebuild does not reload the page. */
  function busy(on) {
    if (on) { document.documentElement.setAttribute("data-site-gen-busy", ""); return; }
    if (ui.dialog.open || reanchoring) return;
    document.documentElement.removeAttribute("data-site-gen-busy");
    document.dispatchEvent(new CustomEvent("site-gen:free"));
  }

  function announce(text) {
    ui.status.textContent = text;
    ui.status.hidden = !text;
  }

  /* The selection ---------------------------------------------------------------------------- */

  /* The text of ``block`` up to (node, offset), without note markers, sidenotes and our controls. */
  function textUpTo(block, node, offset) {
    var range = document.createRange();
    range.setStart(block, 0);
    if (node) range.setEnd(node, offset); else range.selectNodeContents(block);
    var copy = range.cloneContents();
    copy.querySelectorAll(SKIP).forEach(function (el) { el.remove(); });
    return copy.textContent;
  }

  /* The selection as the server needs it: the text, and the text around it in its block. */
  function readSelection() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    var end = range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement;
    var block = start.closest(BLOCKS);
    if (!block || !block.closest("main") || start.closest(SKIP) || block !== end.closest(BLOCKS)) return null;
    var whole = textUpTo(block, null);
    var from = textUpTo(block, range.startContainer, range.startOffset).length;
    var to = textUpTo(block, range.endContainer, range.endOffset).length;
    var exact = whole.slice(from, to);
    if (!exact.trim()) return null;
    return { block: block, range: range.cloneRange(), inArticle: !!block.closest(".article-body"),
             exact: exact, prefix: whole.slice(Math.max(0, from - 60), from), suffix: whole.slice(to, to + 60) };
  }

  function onSelection() {
    if (ui.dialog.open) return;
    var found = readSelection();
    if (!found) { if (!ui.toolbar.contains(document.activeElement)) hideToolbar(); return; }
    selected = found;
    showToolbar();
  }

  function button(label, action, extra) {
    var node = element("button", Object.assign({ type: "button" }, extra || {}), label);
    node.addEventListener("click", action);
    return node;
  }

  function showToolbar() {
    var bar = ui.bar;
    bar.textContent = "";
    if (reanchoring) {
      if (selected.inArticle) bar.appendChild(button("Anchor the note here", reanchor, { class: "primary" }));
    } else {
      if (selected.inArticle && info.article) bar.appendChild(button("Note", openNoteForm));
      bar.appendChild(button("Glossary term", openTermForm));
    }
    if (!bar.firstChild) { hideToolbar(); return; }
    selected.block.after(ui.toolbar);
    var rect = selected.range.getBoundingClientRect();
    bar.style.left = Math.max(8, Math.min(rect.left, window.innerWidth - 260)) + "px";
    var top = rect.bottom + 8 > window.innerHeight - 48 ? rect.top - 44 : rect.bottom + 8;
    bar.style.top = Math.max(8, Math.min(top, window.innerHeight - 48)) + "px";
    if (bar.hidden) ui.hint.textContent = "Annotate the selection: press Alt+Shift+A.";
    bar.hidden = false;
    announce("");
  }

  function hideToolbar() {
    ui.bar.hidden = true;
    ui.hint.textContent = "";
  }

  /* Forms ------------------------------------------------------------------------------------ */

  function field(form, label, name, value, kind) {
    var id = "site-gen-field-" + name;
    var wrap = element("p", { class: "field" });
    wrap.appendChild(element("label", { for: id }, label));
    var input = kind === "textarea" ? element("textarea", { id: id, name: name, rows: "5" }) :
      element("input", { id: id, name: name, type: "text" });
    input.value = value || "";
    wrap.appendChild(input);
    form.appendChild(wrap);
    return input;
  }

  function lines(text) { return text.split("\n").map(function (s) { return s.trim(); }).filter(Boolean); }

  function commas(text) { return text.split(",").map(function (s) { return s.trim(); }).filter(Boolean); }

  /* Open the dialog titled ``title``; ``build(form)`` adds the fields and returns the function
     that sends the request (a promise of the server's answer). */
  function openDialog(title, build, saveLabel, danger) {
    var dialog = ui.dialog;
    dialog.textContent = "";
    var form = element("form", { method: "dialog" });
    form.appendChild(element("h2", { id: "site-gen-dialog-title" }, title));
    var send = build(form);
    var error = element("p", { class: "error", role: "alert" });
    form.appendChild(error);
    var actions = element("p", { class: "actions" });
    var save = element("button", { type: "submit", class: danger ? "danger" : "primary" }, saveLabel || "Save");
    var cancel = button("Cancel", function () { dialog.close(); });
    actions.append(save, cancel);
    form.appendChild(actions);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save.disabled = true;
      error.textContent = "";
      send().then(function (answer) {
        dialog.close();
        announce(answer.message + " The page reloads once the site is rebuilt.");
      }, function (failure) {
        error.textContent = failure.message;
        save.disabled = false;
      });
    });
    dialog.appendChild(form);
    hideToolbar();
    busy(true);
    dialog.showModal();
    var first = form.querySelector("textarea, input, select");
    (first || save).focus();
  }

  function quoteLine(form, text) {
    var quote = element("blockquote", {}, text.length > 300 ? text.slice(0, 300) + "\u2026" : text);
    form.appendChild(quote);
  }

  function openNoteForm() {
    var selection = selected;
    openDialog("Add a note", function (form) {
      quoteLine(form, selection.exact.trim());
      var note = field(form, "Note (Markdown)", "note", "", "textarea");
      var sources = field(form, "Sources (one per line)", "sources", "", "textarea");
      return function () {
        return api("note-add", { slug: info.article.slug, hash: info.article.hash, selection: asSelection(selection),
                                 note: note.value, sources: lines(sources.value) });
      };
    });
  }

  function asSelection(selection) {
    return { exact: selection.exact, prefix: selection.prefix, suffix: selection.suffix };
  }

  function openTermForm() {
    var selection = selected;
    openDialog("Add a glossary term", function (form) {
      var kinds = element("fieldset", {});
      kinds.appendChild(element("legend", {}, "Add it as"));
      var asNew = element("input", { type: "radio", name: "kind", id: "site-gen-kind-new", value: "new", checked: "" });
      var asAlias = element("input", { type: "radio", name: "kind", id: "site-gen-kind-alias", value: "alias" });
      kinds.append(asNew, element("label", { for: "site-gen-kind-new" }, "a new entry"),
                   asAlias, element("label", { for: "site-gen-kind-alias" }, "an alias of an entry"));
      form.appendChild(kinds);
      var term = field(form, "Term", "term", selection.exact.trim().replace(/\s+/g, " "));
      var fresh = element("div", {});
      form.appendChild(fresh);
      var definition = field(fresh, "Definition (Markdown; the first paragraph is the short one)", "definition", "", "textarea");
      var category = field(fresh, "Category (person, place, organisation...)", "category", "");
      var aliases = field(fresh, "Aliases (separated by commas)", "aliases", "");
      var sources = field(fresh, "Sources (one per line)", "sources", "", "textarea");
      var pick = element("p", { class: "field", hidden: "" });
      pick.appendChild(element("label", { for: "site-gen-field-entry" }, "The entry it is an alias of"));
      var entries = element("select", { id: "site-gen-field-entry" });
      pick.appendChild(entries);
      form.appendChild(pick);
      var hashes = {};
      function sync() {
        fresh.hidden = asAlias.checked;
        pick.hidden = !asAlias.checked;
        if (asAlias.checked && !entries.options.length) {
          api("glossary", {}).then(function (answer) {
            answer.entries.forEach(function (entry) {
              hashes[entry.slug] = entry.hash;
              entries.appendChild(element("option", { value: entry.slug }, entry.term));
            });
          });
        }
      }
      asNew.addEventListener("change", sync);
      asAlias.addEventListener("change", sync);
      return function () {
        if (asAlias.checked) {
          return api("term-alias", { slug: entries.value, alias: term.value, hash: hashes[entries.value] || "" });
        }
        return api("term-add", { term: term.value, definition: definition.value, category: category.value,
                                 aliases: commas(aliases.value), sources: lines(sources.value) });
      };
    });
  }

  function openNoteEdit(note) {
    openDialog("Edit note " + note.number, function (form) {
      quoteLine(form, note.quote);
      var text = field(form, "Note (Markdown)", "note", note.note, "textarea");
      var sources = field(form, "Sources (one per line)", "sources", note.sources.join("\n"), "textarea");
      return function () {
        return api("note-edit", { slug: info.article.slug, hash: info.article.hash, line: note.line,
                                  note: text.value, sources: lines(sources.value) });
      };
    });
  }

  function openNoteDelete(note) {
    openDialog("Delete note " + note.number + "?", function (form) {
      quoteLine(form, note.quote);
      form.appendChild(element("p", {}, "It is removed from " + info.article.file + "."));
      return function () {
        return api("note-delete", { slug: info.article.slug, hash: info.article.hash, line: note.line });
      };
    }, "Delete", true);
  }

  function openTermEdit(slug) {
    var entry = info.terms[slug];
    openDialog("Edit the glossary entry \u201c" + entry.term + "\u201d", function (form) {
      var term = field(form, "Term", "term", entry.term);
      var definition = field(form, "Definition (Markdown)", "definition", entry.definition, "textarea");
      var category = field(form, "Category", "category", entry.category);
      var aliases = field(form, "Aliases (separated by commas)", "aliases", entry.aliases.join(", "));
      var sources = field(form, "Sources (one per line)", "sources", entry.sources.join("\n"), "textarea");
      return function () {
        return api("term-edit", { slug: slug, hash: entry.hash, term: term.value, definition: definition.value,
                                  category: category.value, aliases: commas(aliases.value),
                                  sources: lines(sources.value) });
      };
    });
  }

  function openTermDelete(slug) {
    var entry = info.terms[slug];
    openDialog("Delete the glossary entry \u201c" + entry.term + "\u201d?", function (form) {
      form.appendChild(element("p", {}, entry.file + " is deleted; the term is no longer linked anywhere."));
      return function () { return api("term-delete", { slug: slug, hash: entry.hash }); };
    }, "Delete", true);
  }

  /* Re-anchoring an orphaned note -------------------------------------------------------------- */

  function startReanchor(event) {
    var orphan = (info.article && info.article.orphans || []).filter(function (o) { return o.line === event.detail.line; })[0];
    if (!orphan) { announce("This note changed since the page loaded: reload the page."); return; }
    reanchoring = orphan;
    busy(true);
    ui.banner.textContent = "";
    ui.banner.appendChild(element("span", {}, "Re-anchoring the note on \u201c" + orphan.quote +
      "\u201d: select its new passage in the article, then choose \u201cAnchor the note here\u201d. "));
    ui.banner.appendChild(button("Cancel re-anchoring", function () {
      reanchoring = null;
      ui.banner.hidden = true;
      busy(false);
    }));
    ui.banner.hidden = false;
    var body = document.querySelector(".article-body");
    if (body) { body.setAttribute("tabindex", "-1"); body.focus(); }
  }

  function reanchor() {
    var orphan = reanchoring;
    api("note-reanchor", { slug: info.article.slug, hash: info.article.hash, line: orphan.line,
                           selection: asSelection(selected) }).then(function (answer) {
      reanchoring = null;
      ui.banner.hidden = true;
      hideToolbar();
      announce(answer.message + " The page reloads once the site is rebuilt.");
      busy(false);
    }, function (failure) { announce(failure.message); });
  }

  /* Edit and Delete on the notes and terms of the page ------------------------------------------ */

  function tools(label, onEdit, onDelete) {
    var node = host("span");
    var box = element("span", { class: "tools", role: "group", "aria-label": label });
    box.append(button("Edit", onEdit, { "aria-label": "Edit " + label }),
               button("Delete", onDelete, { "aria-label": "Delete " + label, class: "danger" }));
    node.shadow.appendChild(box);
    return node;
  }

  function noteTools(note) {
    return tools("note " + note.number, function () { openNoteEdit(note); }, function () { openNoteDelete(note); });
  }

  function termTools(slug) {
    var label = "the glossary entry " + info.terms[slug].term;
    return tools(label, function () { openTermEdit(slug); }, function () { openTermDelete(slug); });
  }

  function addTools() {
    var notes = (info.article && info.article.notes) || [];
    notes.forEach(function (note) {
      var sidenote = document.getElementById("sn" + note.number);
      if (sidenote) sidenote.appendChild(noteTools(note));
    });
    if (info.entry && info.terms[info.entry] && !info.terms[info.entry].problem) {
      var heading = document.querySelector("main h1");
      if (heading) heading.after(termTools(info.entry));
    }
    new MutationObserver(function () {
      var popover = document.getElementById("popover");
      if (!popover || popover.querySelector(".site-gen-ui")) return;
      var trigger = document.querySelector("[aria-describedby='popover']");
      if (!trigger) return;
      var number = trigger.getAttribute("data-note");
      var slug = trigger.getAttribute("data-term");
      var note = notes.filter(function (n) { return String(n.number) === number; })[0];
      if (note) popover.appendChild(noteTools(note));
      else if (slug && info.terms[slug] && !info.terms[slug].problem) popover.appendChild(termTools(slug));
    }).observe(document.body, { childList: true, subtree: true });
  }

  /* Start ---------------------------------------------------------------------------------------- */

  function setup() {
    var main = host("div", "site-gen-workbench");
    ui.dialog = element("dialog", { "aria-labelledby": "site-gen-dialog-title" });
    ui.dialog.addEventListener("close", function () { busy(false); });
    ui.status = element("p", { class: "status", role: "status", hidden: "" });
    ui.banner = element("p", { class: "banner", role: "region", "aria-label": "Re-anchoring", hidden: "" });
    ui.hint = element("p", { class: "visually-hidden", role: "status" });
    main.shadow.append(ui.dialog, ui.status, ui.banner, ui.hint);
    document.body.appendChild(main);
    ui.toolbar = host("span", "site-gen-toolbar");
    ui.bar = element("span", { class: "toolbar", role: "toolbar", "aria-label": "Annotate the selection", hidden: "" });
    ui.toolbar.shadow.appendChild(ui.bar);
    document.body.appendChild(ui.toolbar);
    var waiting = null;
    document.addEventListener("selectionchange", function () {
      clearTimeout(waiting);
      waiting = setTimeout(onSelection, 150);
    });
    document.addEventListener("keydown", function (event) {
      if (event.altKey && event.shiftKey && event.code === "KeyA" && !ui.bar.hidden) {
        event.preventDefault();
        ui.bar.querySelector("button").focus();
      } else if (event.key === "Escape" && !ui.bar.hidden && !ui.dialog.open) {
        hideToolbar();
      }
    });
    document.addEventListener("site-gen:reanchor", startReanchor);
    window.addEventListener("scroll", function () { if (!ui.bar.hidden && selected) showToolbar(); }, { passive: true });
  }

  function start() {
    setup();
    var terms = {};
    document.querySelectorAll("[data-term]").forEach(function (el) { terms[el.getAttribute("data-term")] = true; });
    api("page", { path: location.pathname, terms: Object.keys(terms).slice(0, 1000) }).then(function (answer) {
      info = answer;
      addTools();
      window.dispatchEvent(new Event("resize"));  // the theme sets its sidenotes again, tools included
      document.documentElement.setAttribute("data-site-gen-workbench", "ready");
    }, function (failure) { announce("The annotation workbench is not available: " + failure.message); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
