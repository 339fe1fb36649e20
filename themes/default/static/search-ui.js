/* site-gen search, the page's side: the header box and its results, the search page, "/" to focus,
   arrow keys and Tab through the results, and the words a search matched marked on the page it
   opens. lunr.js and search-engine.js are loaded when the reader first uses search (or opens a
   page from a result). Everything shown is inserted as text, never as HTML. */
(function () {
  "use strict";

  var body = document.body;
  var siteRoot = body.getAttribute("data-root") || "./";
  var manifestUrl = body.getAttribute("data-search-manifest");
  var fromDisk = location.protocol === "file:";
  var KINDS = { article: "Article", page: "Page", glossary: "Glossary" };
  var TYPING_PAUSE = 80;     /* ms without a keystroke before searching */
  var PAGE_RESULTS = 10;     /* results shown at a time on the search page */
  var DROPDOWN_RESULTS = 8;
  var PROGRESS_PAUSE = 150;  /* ms between redraws of partial results */
  var PREFETCH_RESULTS = 40; /* results after those shown whose store blocks are fetched when idle ... */
  var PREFETCH_BLOCKS = 4;   /* ... at most this many blocks, whatever the size of the site */
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];

  function siteUrl(path) { return siteRoot + path; }

  /* A page of the site; opened from disk, a folder's address needs its index.html. */
  function pageUrl(path) { return siteUrl(fromDisk ? path.replace(/(^|\/)(\?|#|$)/, "$1index.html$2") : path); }

  function loadScript(src, name) {
    return new Promise(function (resolve, reject) {
      if (window[name]) { resolve(window[name]); return; }
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(window[name]); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  var tools = null;
  function getTools() {
    if (!tools) {
      tools = Promise.all([loadScript(body.getAttribute("data-lunr"), "lunr"),
                           loadScript(body.getAttribute("data-search-engine"), "siteGenSearchEngine")]);
    }
    return tools;
  }

  /* A search file, fetched (its data unwrapped), or from disk loaded as a script that hands its
     data to window.siteGenSearch. */
  var arriving = {};
  window.siteGenSearch = function (data) {
    var script = document.currentScript;
    if (script && arriving[script.src]) arriving[script.src].data = data;
  };

  function load(path, signal) {
    if (fromDisk) {
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = siteUrl(path);
        var key = script.src, entry = arriving[key] = {};
        var done = function () {
          delete arriving[key];
          script.remove();
          if ("data" in entry) resolve(entry.data);
          else reject(new Error("search file missing: " + path));
        };
        script.onload = done;
        script.onerror = done;
        document.head.appendChild(script);
      });
    }
    return fetch(siteUrl(path), signal ? { signal: signal } : undefined).then(function (response) {
      if (!response.ok) throw new Error("search file missing: " + path);
      return response.text();
    }).then(function (text) { return window.siteGenSearchEngine.parseFile(text); });
  }

  var engine = null;
  function getEngine() {
    if (!engine) {
      engine = getTools().then(function (loaded) {
        var created = loaded[1].createEngine({ lunr: loaded[0], load: load, manifestUrl: manifestUrl });
        return created.load().then(function () { return created; });
      });
    }
    return engine;
  }

  /* As the reader types: the index shards of the words, then the texts of the `shown` results. */
  function preload(query, shown) {
    if (query.trim()) getEngine().then(function (e) { e.preload(query, shown); }, function () {});
  }

  /* "2012-06-08" as "8 June 2012", like the pages themselves (render.py: display_date). */
  function displayDate(iso) {
    var parts = iso.split("-");
    if (parts.length === 3) return parseInt(parts[2], 10) + " " + MONTHS[parseInt(parts[1], 10) - 1] + " " + parts[0];
    if (parts.length === 2) return MONTHS[parseInt(parts[1], 10) - 1] + " " + parts[0];
    return iso;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* `text` from passage.start to passage.end, its marks in <mark>. */
  function showPassage(node, text, passage) {
    node.textContent = "";
    if (passage.start > 0) node.append("\u2026");
    var at = passage.start;
    passage.marks.forEach(function (mark) {
      node.append(text.slice(at, mark[0]));
      node.appendChild(el("mark", "search-hit", text.slice(mark[0], mark[1])));
      at = mark[1];
    });
    node.append(text.slice(at, passage.end) + (passage.end < text.length ? "\u2026" : ""));
  }

  /* The result's address, with the terms to highlight on its page (removed from the address there). */
  function resultLink(item, terms) {
    return pageUrl(item.u) + (terms.length ? "?highlight=" + encodeURIComponent(terms.slice(0, 20).join(" ")) : "");
  }

  function allTerms(outcome) {
    var terms = [];
    outcome.matched.forEach(function (found) { for (var term in found) if (terms.indexOf(term) < 0) terms.push(term); });
    return terms;
  }

  /* "Matches: detention" when the words a document matched are not the words typed (a stem shared
     with another word, a typo forgiven, a word completed), so a reader sees why it was found. */
  function matchedNote(node, passage, outcome) {
    var typed = outcome.words.map(function (w) { return window.siteGenSearchEngine.normalise(w.surface || "").toLowerCase(); });
    var other = passage.words.filter(function (w) { return typed.indexOf(w) < 0; });
    node.textContent = other.length ? "Matches: " + passage.words.join(", ") : "";
  }

  /* A text not in the site's language says its own (`l`) and direction (`r`), as its page does. */
  function inItsLanguage(node, item) {
    if (item.l) node.lang = item.l;
    if (item.r) node.dir = item.r;
    return node;
  }

  function renderResult(e, item, ref, outcome, list, signal) {
    var li = el("li", "search-result");
    var a = el("a");
    a.href = resultLink(item, allTerms(outcome));
    a.appendChild(inItsLanguage(el("span", "search-result-title", item.t), item));
    var meta = KINDS[item.k] || item.k;
    if (item.d) meta += " \u00b7 " + displayDate(item.d);
    a.appendChild(el("span", "search-result-meta", meta));
    var snippet = inItsLanguage(el("span", "search-result-snippet"), item), note = el("span", "search-result-matched");
    showPassage(snippet, item.e || "", e.passage(item.e || "", outcome));
    a.appendChild(snippet);
    a.appendChild(note);
    li.appendChild(a);
    list.appendChild(li);
    if (signal === null) return;
    e.snippet(ref, outcome, signal).then(function (found) {
      showPassage(snippet, found.text, found.passage);
      matchedNote(note, found.passage, outcome);
      if (found.passage.terms.length) a.href = resultLink(item, found.passage.terms);
    }).catch(function () { /* keep the excerpt */ });
  }

  function glossaryCard(item, query) {
    var normalise = window.siteGenSearchEngine.normalise;
    var wanted = normalise(query).toLowerCase().trim();
    var names = [item.t].concat(item.a || []).map(function (n) { return normalise(n).toLowerCase(); });
    if (item.k !== "glossary" || !names.some(function (n) { return n === wanted || (wanted.length > 2 && n.indexOf(wanted) === 0); })) return null;
    var card = el("div", "search-card");
    card.setAttribute("role", "note");
    card.appendChild(inItsLanguage(el("strong", "search-card-term", item.t), item));
    card.appendChild(inItsLanguage(el("p", "search-card-definition", item.e), item));
    var link = el("a", "search-card-link", "Open the glossary entry \u2192");
    link.href = pageUrl(item.u);
    card.appendChild(link);
    return card;
  }

  function quoted(words) {
    return words.map(function (w) { return "\u201c" + w + "\u201d"; }).join(", ");
  }

  /* What the status line says about a search. */
  function summary(outcome) {
    var count = outcome.results.length;
    if (outcome.onlyStopWords) {
      return "No results: " + quoted(outcome.stopWords) + (outcome.stopWords.length === 1 ? " is a word" : " are words")
        + " too common to search for; add a less common one";
    }
    if (!count) return "No results";
    var text = count + " result" + (count === 1 ? "" : "s");
    if (outcome.similar) text = "No exact match; " + text + " for similar words";
    if (outcome.limited) {
      text += " (limited: searched " + outcome.limited.searched + " of the " + outcome.limited.needed
        + " parts of the index this query needs; more letters before * or ~ narrow it)";
    }
    return text;
  }

  /* Downloads per results container: a new query abandons the last one's. */
  var downloads = {};
  /* The newest run per results container: an older query's results never replace a newer one's. */
  var latestRun = {};
  var whenIdle = window.requestIdleCallback ? function (callback) { window.requestIdleCallback(callback, { timeout: 500 }); }
    : function (callback) { setTimeout(callback, 20); };

  /* Runs a query and fills `container`; resolves with the outcome (null when overtaken). A query
     still loading index shards after PROGRESS_PAUSE shows the results found so far meanwhile. */
  function run(query, container, limit, status) {
    if (downloads[container.id]) downloads[container.id].abort();
    var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
    var signal = controller ? controller.signal : undefined;
    downloads[container.id] = controller;
    var token = latestRun[container.id] = {};
    var current = function () { return latestRun[container.id] === token; };
    return getEngine().then(function (e) {
      var drawn = Promise.resolve(), lastDrawn = Date.now();
      var show = function (outcome, progress) {
        var shown = outcome.results.slice(0, limit);
        /* The texts of the final results are asked for first: they hold the results' records too. */
        if (!progress) shown.forEach(function (r) { e.text(r.ref, signal).catch(function () {}); });
        return Promise.all(shown.map(function (r) { return e.record(r.ref); })).then(function (items) {
          if (!current()) return null;
          if (items.length || !progress) fill(e, container, query, items, shown, outcome, progress ? null : signal);
          if (status) status.textContent = progress ? "Searching\u2026 " + outcome.results.length + " found in " + progress : summary(outcome);
          return outcome;
        });
      };
      var onProgress = function (soFar, loaded, total) {
        var now = Date.now();
        if (now - lastDrawn < PROGRESS_PAUSE) return;
        lastDrawn = now;
        var partial = { results: soFar(), words: [], matched: [] };
        drawn = drawn.then(function () { return show(partial, loaded + " of " + total + " parts of the index"); });
      };
      return e.search(query, onProgress, signal).then(function (outcome) {
        return drawn.then(function () { return show(outcome, ""); });
      }).then(function (outcome) {
        if (outcome) e.prefetch(outcome.results.slice(limit, limit + PREFETCH_RESULTS).map(function (r) { return r.ref; }), PREFETCH_BLOCKS, whenIdle);
        return outcome;
      });
    }).catch(function () {
      if (!current()) return null;
      container.textContent = "";
      container.appendChild(el("p", "search-empty", "Search is not available right now."));
      if (status) status.textContent = "No results: search is not available right now";
      return null;
    });
  }

  function fill(e, container, query, items, shown, outcome, signal) {
    var hadFocus = container.contains(document.activeElement);
    container.textContent = "";
    var card = null;
    items.some(function (item) { card = glossaryCard(item, query); return card; });
    if (card) container.appendChild(card);
    var list = el("ol", "search-results");
    list.setAttribute("aria-label", "Search results");
    items.forEach(function (item, i) { renderResult(e, item, shown[i].ref, outcome, list, signal); });
    if (items.length) container.appendChild(list);
    else container.appendChild(el("p", "search-empty", outcome.onlyStopWords ? summary(outcome) + "." : "No results for \u201c" + query + "\u201d."));
    if (hadFocus) container.dispatchEvent(new CustomEvent("search-refilled"));
  }

  function debounce(fn, wait) {
    var timer = null;
    var debounced = function () { var args = arguments; clearTimeout(timer); timer = setTimeout(function () { fn.apply(null, args); }, wait); };
    debounced.cancel = function () { clearTimeout(timer); };
    return debounced;
  }

  /* Arrow keys move the focus from the box to the result links and between them (Tab does too);
     Enter follows the focused link, as links do, so it never opens a result no longer shown. */
  function keyboard(input, container, onEscape) {
    var links = function () { return Array.prototype.slice.call(container.querySelectorAll(".search-result a")); };
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !container.hidden && links().length) {
        event.preventDefault();
        links()[0].focus();
      } else if (event.key === "Escape" && onEscape) {
        onEscape();
      }
    });
    container.addEventListener("keydown", function (event) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault();
        input.focus();
        if (onEscape) onEscape();
      } else if (at >= 0 && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus();
        else if (next < all.length) all[next].focus();
      }
    });
    container.addEventListener("search-refilled", function () { input.focus(); });
  }

  function setupHeaderSearch() {
    var input = document.getElementById("search-input");
    var dropdown = document.getElementById("search-results");
    if (!input || !dropdown || !manifestUrl) return;
    var status = el("p", "visually-hidden");
    status.setAttribute("role", "status");
    input.form.appendChild(status);
    var close = function () { dropdown.hidden = true; };
    input.addEventListener("focus", function () { getEngine(); });
    var update = debounce(function () {
      var query = input.value.trim();
      if (!query) { close(); status.textContent = ""; return; }
      run(query, dropdown, DROPDOWN_RESULTS, status).then(function (outcome) {
        if (!outcome || input.value.trim() !== query) return;
        var count = outcome.results.length;
        var more = el("a", "search-all", count > DROPDOWN_RESULTS ? "All " + count + " results \u2192" : "Open the search page \u2192");
        more.href = pageUrl(body.getAttribute("data-search-page")) + "?q=" + encodeURIComponent(query);
        dropdown.appendChild(more);
        dropdown.hidden = false;
      });
    }, TYPING_PAUSE);
    input.addEventListener("input", update);
    input.addEventListener("input", function () { preload(input.value, DROPDOWN_RESULTS); });
    keyboard(input, dropdown, close);
    document.addEventListener("click", function (event) {
      if (!dropdown.contains(event.target) && event.target !== input) close();
    });
    input.form.addEventListener("focusout", function (event) {
      if (!input.form.contains(event.relatedTarget)) close();
    });
  }

  function setupSearchPage() {
    var input = document.getElementById("search-page-input");
    var results = document.getElementById("search-page-results");
    var status = document.querySelector(".search-status");
    if (!input || !results) return;
    var params = new URLSearchParams(location.search);
    var shown = null;
    var update = function (query, record, limit) {
      limit = limit || PAGE_RESULTS;
      if (shown && shown.query === query && shown.limit === limit) return;
      shown = { query: query, limit: limit };
      if (record) history.replaceState(null, "", location.pathname + (query ? "?q=" + encodeURIComponent(query) : ""));
      if (!query) { results.textContent = ""; status.textContent = ""; return; }
      status.textContent = "Searching\u2026";
      run(query, results, limit, status).then(function (outcome) {
        if (!outcome || outcome.results.length <= limit || input.value.trim() !== query) return;
        var more = el("button", "search-more", "Show more results");
        more.type = "button";
        more.addEventListener("click", function () { update(query, false, limit + PAGE_RESULTS); });
        results.appendChild(more);
      });
    };
    input.value = params.get("q") || "";
    keyboard(input, results);
    var typed = debounce(function () { update(input.value.trim(), true); }, TYPING_PAUSE);
    input.addEventListener("input", typed);
    input.addEventListener("input", function () { preload(input.value, PAGE_RESULTS); });
    input.form.addEventListener("submit", function (event) { event.preventDefault(); typed.cancel(); update(input.value.trim(), true); });
    getEngine();
    if (input.value) update(input.value.trim(), false);
    input.focus();
  }

  /* ?highlight=terms: mark the whole words of those terms on this page, scroll to the first, and
     take the parameter out of the address (shared links stay clean). */
  function highlightFromQuery() {
    var params = new URLSearchParams(location.search);
    var terms = (params.get("highlight") || "").split(/\s+/).filter(Boolean);
    if (!terms.length) return;
    params.delete("highlight");
    var rest = params.toString();
    history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
    var wanted = {};
    terms.forEach(function (term) { wanted[term] = true; });
    var scope = document.querySelector(".article-body") || document.querySelector("main");
    getTools().then(function (loaded) {
      var text = loaded[1].createText(loaded[0]), merged = loaded[1].merged, first = null;
      var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          return node.parentElement.closest("script, style, .sidenote") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      nodes.forEach(function (node) {
        var value = node.nodeValue;
        var marks = merged(text.tokenize(value).filter(function (token) { return wanted[token.term]; }), 0, value.length);
        if (!marks.length) return;
        var fragment = document.createDocumentFragment(), at = 0;
        marks.forEach(function (mark) {
          fragment.append(value.slice(at, mark[0]));
          var node = el("mark", "search-hit", value.slice(mark[0], mark[1]));
          fragment.append(node);
          if (!first) first = node;
          at = mark[1];
        });
        fragment.append(value.slice(at));
        node.replaceWith(fragment);
      });
      if (first && !location.hash) first.scrollIntoView({ block: "center" });
    }).catch(function () { /* the page reads as it is */ });
  }

  function setupSlashKey() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      if (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName)) return;
      var input = document.getElementById("search-page-input") || document.getElementById("search-input");
      if (input) { event.preventDefault(); input.focus(); }
    });
  }

  function start() {
    setupSlashKey();
    setupHeaderSearch();
    setupSearchPage();
    highlightFromQuery();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
