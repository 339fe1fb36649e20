/* site-gen search: lunr.js over a sharded index, loaded lazily, one shard per query term.

   The engine (createEngine) is independent of the page so Node tests can run it against the built
   files: it reads the manifest, loads only the index shards a query's terms live in, runs lunr.js
   on each, and merges the scores exactly (lunr's score is, per field, a sum over query terms
   divided by the query vector's length). The UI below only ever inserts text, never HTML. */
(function (root) {
  "use strict";

  /* Must match site_gen/search/terms.py: normalise. */
  var CJK = /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])/g;
  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, "")
      .normalize("NFC").replace(/[\u2018\u2019\u02bc]/g, "'").replace(/(?<=[\p{L}\p{N}_])'s(?![\p{L}\p{N}_])/gu, "")
      .replace(CJK, " $1 ");
  }

  /* The query as the index understands it: normalised, with readable field names ("title:") mapped. */
  function rewrite(manifest, text) {
    return normalise(text).replace(/\b([a-z]+):/gi, function (all, name) {
      var short = manifest.fields[name.toLowerCase()];
      return short ? short + ":" : all;
    });
  }

  function createEngine(options) {
    var lunr = options.lunr;
    var fetchJSON = options.fetchJSON;
    var manifest = null;
    var shards = {};
    var stores = {};
    var stemPipeline = new lunr.Pipeline();
    stemPipeline.add(lunr.stemmer);

    function load() {
      if (!manifest) manifest = fetchJSON(options.manifestUrl).then(function (m) { manifest = Promise.resolve(m); return m; });
      return Promise.resolve(manifest);
    }

    function shardIndex(m, number) {
      if (!shards[number]) {
        shards[number] = fetchJSON(m.shards[number][1]).then(function (data) { return lunr.Index.load(data); });
      }
      return shards[number];
    }

    /* The shards whose term range can hold the clause's expansions. */
    function shardsFor(m, clause) {
      var count = m.shards.length;
      if (count === 1) return [0];
      var term = clause.term;
      if (clause.editDistance || term.charAt(0) === "*") return range(0, count - 1);
      if (clause.usePipeline) term = stemPipeline.runString(term)[0] || term;
      var star = term.indexOf("*");
      if (star < 0) return [locate(m, term)];
      var prefix = term.slice(0, star);
      return range(locate(m, prefix), locate(m, prefix + "\uffff"));
    }

    function range(first, last) {
      var list = [];
      for (var i = first; i <= last; i++) list.push(i);
      return list;
    }

    function locate(m, term) {
      var low = 0, high = m.shards.length - 1;
      while (low < high) {
        var mid = (low + high + 1) >> 1;
        if (m.shards[mid][0] <= term) low = mid; else high = mid - 1;
      }
      return low;
    }

    function parse(m, text) {
      var query = new lunr.Query(["t", "m", "b"]);
      var rewritten = rewrite(m, text);
      try {
        new lunr.QueryParser(rewritten, query).parse();
      } catch (error) {
        query = new lunr.Query(["t", "m", "b"]);
        var plain = rewritten.replace(/[:~^+*\-"'()]/g, " ").trim();
        if (plain) new lunr.QueryParser(plain, query).parse();
      }
      return query.clauses;
    }

    function fresh(clause, fields) {
      var copy = { term: clause.term, fields: fields, boost: clause.boost, usePipeline: clause.usePipeline,
                   wildcard: clause.wildcard, presence: lunr.Query.presence.OPTIONAL };
      if (clause.editDistance) copy.editDistance = clause.editDistance;
      return copy;
    }

    /* The query vector's squared length for these clauses in this shard and field (lunr's upserts). */
    function squaredLength(index, clauses) {
      var components = {};
      clauses.forEach(function (clause) {
        var terms = clause.usePipeline ? index.pipeline.runString(clause.term) : [clause.term];
        terms.forEach(function (term) {
          var tokenSet = clause.editDistance ? lunr.TokenSet.fromFuzzyString(term, clause.editDistance) : lunr.TokenSet.fromString(term);
          index.tokenSet.intersect(tokenSet).toArray().forEach(function (expanded) {
            var position = index.invertedIndex[expanded]._index;
            components[position] = (components[position] || 0) + clause.boost;
          });
        });
      });
      var sum = 0;
      for (var key in components) sum += components[key] * components[key];
      return sum;
    }

    /* Documents matching a clause in any of its fields (for + and - presence). */
    function matching(index, clause) {
      var refs = {};
      var terms = clause.usePipeline ? index.pipeline.runString(clause.term) : [clause.term];
      terms.forEach(function (term) {
        var tokenSet = clause.editDistance ? lunr.TokenSet.fromFuzzyString(term, clause.editDistance) : lunr.TokenSet.fromString(term);
        index.tokenSet.intersect(tokenSet).toArray().forEach(function (expanded) {
          clause.fields.forEach(function (field) {
            Object.keys(index.invertedIndex[expanded][field] || {}).forEach(function (ref) { refs[ref] = true; });
          });
        });
      });
      return refs;
    }

    function search(text, onProgress) {
      return load().then(function (m) {
        var clauses = parse(m, text);
        var positive = clauses.filter(function (c) { return c.presence !== lunr.Query.presence.PROHIBITED; });
        if (!positive.length) return [];
        var plan = {};
        clauses.forEach(function (clause, position) {
          shardsFor(m, clause).forEach(function (number) { (plan[number] = plan[number] || []).push(position); });
        });
        var numbers = Object.keys(plan).map(Number);
        var dots = { t: {}, m: {}, b: {} }, lengths = { t: 0, m: 0, b: 0 };
        var required = clauses.map(function () { return {}; });
        var prohibited = {};
        return Promise.all(numbers.map(function (number) {
          return shardIndex(m, number).then(function (index) {
            var mine = plan[number].map(function (p) { return clauses[p]; });
            ["t", "m", "b"].forEach(function (field) {
              var scoring = mine.filter(function (c) {
                return c.presence !== lunr.Query.presence.PROHIBITED && c.fields.indexOf(field) >= 0;
              }).map(function (c) { return fresh(c, [field]); });
              if (!scoring.length) return;
              var length = Math.sqrt(squaredLength(index, scoring));
              lengths[field] += length * length;
              index.query(function (q) { scoring.forEach(function (c) { q.clause(c); }); }).forEach(function (hit) {
                dots[field][hit.ref] = (dots[field][hit.ref] || 0) + hit.score * length;
              });
            });
            plan[number].forEach(function (p) {
              var clause = clauses[p];
              if (clause.presence === lunr.Query.presence.REQUIRED) Object.assign(required[p], matching(index, clause));
              if (clause.presence === lunr.Query.presence.PROHIBITED) Object.assign(prohibited, matching(index, clause));
            });
            if (onProgress) onProgress();
          });
        })).then(function () {
          var scores = {};
          ["t", "m", "b"].forEach(function (field) {
            var norm = Math.sqrt(lengths[field]);
            if (!norm) return;
            for (var ref in dots[field]) scores[ref] = (scores[ref] || 0) + dots[field][ref] / norm;
          });
          var results = [];
          for (var ref in scores) {
            if (prohibited[ref]) continue;
            var ok = clauses.every(function (c, p) { return c.presence !== lunr.Query.presence.REQUIRED || required[p][ref]; });
            if (ok) results.push({ ref: ref, score: scores[ref] });
          }
          results.sort(function (a, b) { return b.score - a.score || parseInt(a.ref, 16) - parseInt(b.ref, 16); });
          return results;
        });
      });
    }

    function record(ref) {
      return load().then(function (m) {
        var number = parseInt(ref, 16), block = Math.floor(number / m.storeBlock);
        if (!stores[block]) stores[block] = fetchJSON(m.stores[block]);
        return stores[block].then(function (records) { return records[number % m.storeBlock]; });
      });
    }

    function text(ref) {
      return record(ref).then(function (item) {
        if (typeof item.x === "string") return item.x;
        return load().then(function (m) {
          return fetchJSON(m.fragments + item.f).then(function (fragment) { return fragment.x; });
        });
      });
    }

    function terms(text) {
      return normalise(text).toLowerCase().split(/[\s\-:~^+*"()]+/).map(function (w) {
        return w.replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, "");
      }).filter(function (w) { return w.length > 1; });
    }

    return { search: search, record: record, text: text, terms: terms, load: load };
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { createEngine: createEngine, normalise: normalise, rewrite: rewrite };
    return;
  }

  /* ---------------------------------------------------------------------------------------- */
  /* The page: header box with a dropdown, the search page, "/" to focus, arrows and Enter.    */

  var body = document.body;
  var siteRoot = body.getAttribute("data-root") || "./";
  var engine = null;

  function siteUrl(path) { return siteRoot + path; }

  function fetchJSON(path) {
    return fetch(siteUrl(path)).then(function (response) {
      if (!response.ok) throw new Error("search file missing: " + path);
      return response.json();
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (root.lunr) { resolve(root.lunr); return; }
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(root.lunr); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function getEngine() {
    if (!engine) {
      var manifest = body.getAttribute("data-search-manifest");
      engine = loadScript(body.getAttribute("data-lunr")).then(function (lunr) {
        var created = createEngine({ lunr: lunr, fetchJSON: fetchJSON, manifestUrl: manifest });
        return created.load().then(function () { return created; });
      });
    }
    return engine;
  }

  var KINDS = { article: "Article", page: "Page", glossary: "Glossary" };
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];

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

  /* Fold accents and case but keep a map back to the original text, to mark matches in it. */
  function folded(text) {
    var out = "", map = [];
    for (var i = 0; i < text.length; i++) {
      var plain = text[i].normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
      for (var j = 0; j < plain.length; j++) { out += plain[j]; map.push(i); }
    }
    map.push(text.length);
    return { text: out, map: map };
  }

  function findWords(text, words) {
    var f = folded(text), found = [];
    words.forEach(function (word) {
      var stem = word.length > 4 ? word.slice(0, word.length - 2) : word;
      var pattern = new RegExp("(^|[^\\p{L}\\p{N}])(" + stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "[\\p{L}\\p{N}]*)", "gu");
      var match;
      while ((match = pattern.exec(f.text)) && found.length < 50) {
        var start = match.index + match[1].length;
        found.push([f.map[start], f.map[start + match[2].length]]);
      }
    });
    return found.sort(function (a, b) { return a[0] - b[0]; });
  }

  /* A snippet of about 180 characters around the first match, with the matches marked. */
  function snippet(text, words) {
    var matches = findWords(text, words);
    var fragment = document.createDocumentFragment();
    if (!matches.length) { fragment.append(text.slice(0, 180) + (text.length > 180 ? "\u2026" : "")); return fragment; }
    var start = Math.max(0, matches[0][0] - 60);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + 180);
    if (start > 0) fragment.append("\u2026");
    var position = start;
    matches.forEach(function (m) {
      if (m[0] < position || m[1] > end) return;
      fragment.append(text.slice(position, m[0]));
      fragment.append(el("mark", "search-hit", text.slice(m[0], m[1])));
      position = m[1];
    });
    fragment.append(text.slice(position, end) + (end < text.length ? "\u2026" : ""));
    return fragment;
  }

  function resultLink(item, words) {
    var href = siteUrl(item.u) + (words.length ? "?highlight=" + encodeURIComponent(words.join(" ")) : "");
    return href;
  }

  function renderResult(item, ref, words, withSnippet, list, id) {
    var li = el("li", "search-result");
    li.setAttribute("role", "option");
    li.id = id;
    li.setAttribute("aria-selected", "false");
    var a = el("a");
    a.href = resultLink(item, words);
    a.tabIndex = -1;
    a.appendChild(el("span", "search-result-title", item.t));
    var meta = KINDS[item.k] || item.k;
    if (item.d) meta += " \u00b7 " + displayDate(item.d);
    a.appendChild(el("span", "search-result-meta", meta));
    var snippetNode = el("span", "search-result-snippet");
    snippetNode.appendChild(snippet(item.e || "", words));
    a.appendChild(snippetNode);
    li.appendChild(a);
    list.appendChild(li);
    if (withSnippet) {
      engine.then(function (e) { return e.text(ref); }).then(function (text) {
        if (text) { snippetNode.textContent = ""; snippetNode.appendChild(snippet(text, words)); }
      }).catch(function () { /* keep the excerpt */ });
    }
  }

  function glossaryCard(item, words, query) {
    var wanted = normalise(query).toLowerCase().trim();
    var names = [item.t].concat(item.a || []).map(function (n) { return normalise(n).toLowerCase(); });
    if (item.k !== "glossary" || !names.some(function (n) { return n === wanted || (wanted.length > 2 && n.indexOf(wanted) === 0); })) return null;
    var card = el("div", "search-card");
    card.setAttribute("role", "note");
    card.appendChild(el("strong", "search-card-term", item.t));
    card.appendChild(el("p", "search-card-definition", item.e));
    var link = el("a", "search-card-link", "Open the glossary entry \u2192");
    link.href = siteUrl(item.u);
    card.appendChild(link);
    return card;
  }

  /* Runs a query and fills `container`; returns the number of results. */
  function run(query, container, limit, withSnippets, status) {
    return getEngine().then(function (e) {
      return e.search(query).then(function (results) {
        var words = e.terms(query);
        container.textContent = "";
        var shown = results.slice(0, limit);
        return Promise.all(shown.map(function (r) { return e.record(r.ref); })).then(function (items) {
          var card = null;
          items.some(function (item) { card = glossaryCard(item, words, query); return card; });
          if (card) container.appendChild(card);
          var list = el("ol", "search-results");
          list.setAttribute("role", "listbox");
          list.setAttribute("aria-label", "Search results");
          items.forEach(function (item, i) { renderResult(item, shown[i].ref, words, withSnippets, list, container.id + "-r" + i); });
          if (items.length) container.appendChild(list);
          else container.appendChild(el("p", "search-empty", "No results for \u201c" + query + "\u201d."));
          if (status) status.textContent = results.length ? results.length + " result" + (results.length === 1 ? "" : "s") : "No results";
          return results.length;
        });
      });
    }).catch(function () {
      container.textContent = "";
      container.appendChild(el("p", "search-empty", "Search is not available right now."));
      return 0;
    });
  }

  function debounce(fn, wait) {
    var timer = null;
    return function () { var args = arguments; clearTimeout(timer); timer = setTimeout(function () { fn.apply(null, args); }, wait); };
  }

  /* Arrow keys move through the options of a listbox; Enter opens the selected one. */
  function keyboard(input, container, onEscape) {
    input.addEventListener("keydown", function (event) {
      var options = Array.prototype.slice.call(container.querySelectorAll("[role=option]"));
      var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) return;
        event.preventDefault();
        var next = event.key === "ArrowDown" ? Math.min(options.length - 1, current + 1) : Math.max(0, current - 1);
        options.forEach(function (o, i) { o.setAttribute("aria-selected", String(i === next)); });
        input.setAttribute("aria-activedescendant", options[next].id);
        options[next].scrollIntoView({ block: "nearest" });
      } else if (event.key === "Enter" && current >= 0) {
        event.preventDefault();
        location.href = options[current].querySelector("a").href;
      } else if (event.key === "Escape" && onEscape) {
        onEscape();
      }
    });
  }

  function setupHeaderSearch() {
    var input = document.getElementById("search-input");
    var dropdown = document.getElementById("search-results");
    if (!input || !dropdown || !body.getAttribute("data-search-manifest")) return;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    var close = function () { dropdown.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); };
    input.addEventListener("focus", function () { getEngine(); });
    var update = debounce(function () {
      var query = input.value.trim();
      if (!query) { close(); return; }
      run(query, dropdown, 8, false).then(function (count) {
        if (input.value.trim() !== query) return;
        var more = el("a", "search-all", count > 8 ? "All " + count + " results \u2192" : "Open the search page \u2192");
        more.href = body.getAttribute("data-search-page") + "?q=" + encodeURIComponent(query);
        dropdown.appendChild(more);
        dropdown.hidden = false;
        input.setAttribute("aria-expanded", "true");
      });
    }, 120);
    input.addEventListener("input", update);
    keyboard(input, dropdown, function () { close(); input.blur(); });
    document.addEventListener("click", function (event) {
      if (!dropdown.contains(event.target) && event.target !== input) close();
    });
  }

  function setupSearchPage() {
    var input = document.getElementById("search-page-input");
    var results = document.getElementById("search-page-results");
    var status = document.querySelector(".search-status");
    if (!input || !results) return;
    var params = new URLSearchParams(location.search);
    var update = function (query, record) {
      if (record) {
        var url = location.pathname + (query ? "?q=" + encodeURIComponent(query) : "");
        history.replaceState(null, "", url);
      }
      if (!query) { results.textContent = ""; status.textContent = ""; return; }
      status.textContent = "Searching\u2026";
      run(query, results, 50, true, status);
    };
    input.value = params.get("q") || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "true");
    keyboard(input, results);
    input.addEventListener("input", debounce(function () { update(input.value.trim(), true); }, 150));
    input.form.addEventListener("submit", function (event) { event.preventDefault(); update(input.value.trim(), true); });
    if (input.value) update(input.value.trim(), false);
    input.focus();
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
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : globalThis);
