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

  var FIELDS = ["t", "m", "b"];
  var K1 = 1.2, B = 0.75;

  /* lunr.js's scores (its field vectors' components) from what the index files hold: each
     posting's term frequency, and each document's field lengths (`lengths`, by document number; a
     ref is that number in hexadecimal). The arithmetic is lunr.js's Builder's, to the operation:
     BM25 with k1 1.2 and b 0.75 over the field's average length, idf over every field posting,
     times the field's boost, rounded to three decimals, so the scores are exactly lunr.js's.
     Returns, for a term's posting and a field, the function from a ref to its score: a query
     scores only the postings it matches, instead of every posting of every shard it loads. */
  function scoring(lunr, lengths, m) {
    var averages = {};
    FIELDS.forEach(function (field) {
      var list = lengths[field], total = 0;
      for (var i = 0; i < list.length; i++) total += list[i];
      averages[field] = total / list.length;
    });
    return function (posting, field) {
      var idf = lunr.idf(posting, m.documents), frequencies = posting[field], list = lengths[field];
      var average = averages[field], boost = m.boosts[field];
      return function (ref) {
        var tf = frequencies[ref];
        var score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (list[parseInt(ref, 16)] / average)) + tf);
        score *= boost;
        return Math.round(score * 1000) / 1000;
      };
    };
  }

  function createEngine(options) {
    var lunr = options.lunr;
    var fetchJSON = options.fetchJSON;
    var manifest = null;
    var shards = {};
    var scorers = {};
    var stores = {};
    var fragments = {};
    var stemPipeline = new lunr.Pipeline();
    stemPipeline.add(lunr.stemmer);

    function load() {
      if (!manifest) manifest = fetchJSON(options.manifestUrl).then(function (m) { manifest = Promise.resolve(m); return m; });
      return Promise.resolve(manifest);
    }

    /* A download kept in `table` under `key`; a failed one is forgotten, so the next call tries again. */
    function remembered(table, key, start) {
      if (!table[key]) {
        table[key] = start();
        table[key].catch(function () { delete table[key]; });
      }
      return table[key];
    }

    /* A shard as a lunr index (its postings hold term frequencies, it has no field vectors), with
       `scores`, the scoring of its postings. */
    function shardIndex(m, number) {
      return remembered(shards, number, function () {
        var scores = remembered(scorers, "all", function () {
          return fetchJSON(m.lengths).then(function (lengths) { return scoring(lunr, lengths, m); });
        });
        return Promise.all([fetchJSON(m.shards[number][1]), scores]).then(function (loaded) {
          var index = lunr.Index.load(loaded[0]);
          index.scores = loaded[1];
          return index;
        });
      });
    }

    /* Start downloading the shards a query will need, as it is typed (before the pause or the Enter
       key that runs it), so the search finds them arriving or arrived. Clauses that would need
       many shards (fuzzy terms, leading wildcards) are left to the search itself. */
    var PRELOAD_SHARDS = 2;
    function preload(text) {
      return load().then(function (m) {
        parse(m, text).forEach(function (clause) {
          var numbers = shardsFor(m, clause);
          if (numbers.length <= PRELOAD_SHARDS) numbers.forEach(function (number) { shardIndex(m, number).catch(function () {}); });
        });
      }).catch(function () {});
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
      var query = new lunr.Query(FIELDS);
      var rewritten = rewrite(m, text);
      try {
        new lunr.QueryParser(rewritten, query).parse();
      } catch (error) {
        query = new lunr.Query(FIELDS);
        var plain = rewritten.replace(/[:~^+*\-"'()]/g, " ").trim();
        if (plain) new lunr.QueryParser(plain, query).parse();
      }
      return query.clauses;
    }

    /* The index terms a clause stands for in this shard: its term run through the pipeline, then
       expanded by lunr's token sets (wildcards, edit distance), as lunr's Index.query does. */
    function expand(index, clause) {
      var terms = clause.usePipeline ? index.pipeline.runString(clause.term) : [clause.term];
      var expanded = [];
      terms.forEach(function (term) {
        var tokenSet = clause.editDistance ? lunr.TokenSet.fromFuzzyString(term, clause.editDistance) : lunr.TokenSet.fromString(term);
        expanded = expanded.concat(index.tokenSet.intersect(tokenSet).toArray());
      });
      return expanded;
    }

    /* lunr's scoring of these clauses in one shard, without its per-match bookkeeping (which
       costs most of a query's time on common words). Per field: the query vector (each expanded
       term's clause boosts summed, like lunr's upserts), its squared length, and its dot product
       with every matching document's field vector (whose components `scoring` makes from the
       postings), added to `dots` (per field, by document), where the other shards add theirs. lunr
       divides the dot product by the length; the caller does that once for all shards. Returns the
       squared lengths per field. */
    function score(index, clauses, dots) {
      var weights = {}, terms = {}, squared = {};
      FIELDS.forEach(function (field) { weights[field] = {}; squared[field] = 0; });
      clauses.forEach(function (clause) {
        expand(index, clause).forEach(function (term) {
          var position = index.invertedIndex[term]._index;
          terms[position] = term;
          clause.fields.forEach(function (field) {
            weights[field][position] = (weights[field][position] || 0) + clause.boost;
          });
        });
      });
      FIELDS.forEach(function (field) {
        var fieldDots = dots[field];
        for (var key in weights[field]) {
          var weight = weights[field][key];
          var posting = index.invertedIndex[terms[key]], score = index.scores(posting, field);
          squared[field] += weight * weight;
          for (var ref in posting[field]) fieldDots[ref] = (fieldDots[ref] || 0) + weight * score(ref);
        }
      });
      return squared;
    }

    /* Documents matching a clause in any of its fields (for + and - presence). */
    function matching(index, clause) {
      var refs = {};
      expand(index, clause).forEach(function (expanded) {
        clause.fields.forEach(function (field) {
          Object.keys(index.invertedIndex[expanded][field] || {}).forEach(function (ref) { refs[ref] = true; });
        });
      });
      return refs;
    }

    /* Ranked results of a query; a query that needs several shards (a leading wildcard or an edit
       distance needs them all) calls onProgress(soFar, shards loaded, shards needed) as they
       arrive, so a page can show results before the last shard is in: soFar() ranks the results
       found so far (a sort of thousands of results: only worth it for a page that will show them). */
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
        var must = clauses.map(function (c, p) { return c.presence === lunr.Query.presence.REQUIRED ? p : -1; })
          .filter(function (p) { return p >= 0; });
        var prohibited = {};
        var loaded = 0;
        return Promise.all(numbers.map(function (number) {
          return shardIndex(m, number).then(function (index) {
            var mine = plan[number].map(function (p) { return clauses[p]; });
            var squared = score(index, mine.filter(function (c) { return c.presence !== lunr.Query.presence.PROHIBITED; }), dots);
            FIELDS.forEach(function (field) { lengths[field] += squared[field]; });
            plan[number].forEach(function (p) {
              var clause = clauses[p];
              if (clause.presence === lunr.Query.presence.REQUIRED) Object.assign(required[p], matching(index, clause));
              if (clause.presence === lunr.Query.presence.PROHIBITED) Object.assign(prohibited, matching(index, clause));
            });
            loaded += 1;
            if (onProgress && loaded < numbers.length) onProgress(ranked, loaded, numbers.length);
          });
        })).then(ranked);

        /* The results from the shards loaded so far (all of them: the final ranking). */
        function ranked() {
          var scores = {};
          FIELDS.forEach(function (field) {
            var norm = Math.sqrt(lengths[field]);
            if (!norm) return;
            for (var ref in dots[field]) scores[ref] = (scores[ref] || 0) + dots[field][ref] / norm;
          });
          var results = [];
          for (var ref in scores) {
            if (prohibited[ref] || (must.length && !must.every(function (p) { return required[p][ref]; }))) continue;
            results.push({ ref: ref, score: scores[ref] });
          }
          results.sort(function (a, b) { return b.score - a.score || parseInt(a.ref, 16) - parseInt(b.ref, 16); });
          return results;
        }
      });
    }

    function storeBlock(m, block) {
      return remembered(stores, block, function () { return fetchJSON(m.stores[block]); });
    }

    function record(ref) {
      return load().then(function (m) {
        var number = parseInt(ref, 16);
        return storeBlock(m, Math.floor(number / m.storeBlock)).then(function (records) {
          return records[number % m.storeBlock];
        });
      });
    }

    /* Download the rest of the document store, a few blocks at a time, each when `idle` calls
       back (the page passes requestIdleCallback): started after the first results, so that later
       queries need one download (their index shard), not two (the shard, then the titles of what
       it found). Resolves with the number of blocks fetched. */
    var PREFETCH_LANES = 4;
    function prefetchStore(idle) {
      return load().then(function (m) {
        var next = 0, fetched = 0;
        function lane() {
          while (next < m.stores.length && stores[next]) next++;
          if (next >= m.stores.length) return null;
          var block = next++;
          return new Promise(function (resolve) { idle(resolve); }).then(function () {
            if (stores[block]) return lane();
            fetched += 1;
            return storeBlock(m, block).then(lane, function () { return null; });
          });
        }
        var lanes = [];
        for (var i = 0; i < PREFETCH_LANES; i++) lanes.push(lane());
        return Promise.all(lanes).then(function () { return fetched; });
      });
    }

    /* A document's text, for its snippet; `signal` abandons the download when the results it
       was for are replaced (a failed or abandoned download is tried again next time). */
    function text(ref, signal) {
      return record(ref).then(function (item) {
        if (typeof item.x === "string") return item.x;
        return load().then(function (m) {
          var path = m.fragments + item.f;
          return remembered(fragments, path, function () {
            return fetchJSON(path, signal).then(function (fragment) { return fragment.x; });
          });
        });
      });
    }

    function terms(text) {
      return normalise(text).toLowerCase().split(/[\s\-:~^+*"()]+/).map(function (w) {
        return w.replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, "");
      }).filter(function (w) { return w.length > 1; });
    }

    return { search: search, record: record, text: text, terms: terms, load: load, prefetchStore: prefetchStore,
             preload: preload };
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { createEngine: createEngine, scoring: scoring, normalise: normalise, rewrite: rewrite };
    return;
  }

  /* ---------------------------------------------------------------------------------------- */
  /* The page: header box with a dropdown, the search page, "/" to focus, arrows and Enter.    */

  var body = document.body;
  var siteRoot = body.getAttribute("data-root") || "./";
  var engine = null;

  function siteUrl(path) { return siteRoot + path; }

  function fetchJSON(path, signal) {
    return fetch(siteUrl(path), signal ? { signal: signal } : undefined).then(function (response) {
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

  function preload(query) {
    if (query.trim()) getEngine().then(function (e) { e.preload(query); }, function () {});
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
  var TYPING_PAUSE = 80;    /* ms without a keystroke before searching */
  var PAGE_RESULTS = 10;    /* results shown at a time on the search page: the store blocks and snippet
                               texts a query fetches are those of the results it shows */
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

  /* Fold accents and case but keep a map back to the original text, to mark matches in it (no
     map: the folded text lines up with the original, as in most texts, which are then folded in
     one call rather than character by character). */
  function folded(text) {
    var decomposed = text.normalize("NFD");
    if (decomposed.length === text.length && !/[\u0300-\u036f]/.test(decomposed)) {
      var lower = decomposed.toLowerCase();
      if (lower.length === text.length) return { text: lower, map: null };
    }
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
        var start = match.index + match[1].length, end = start + match[2].length;
        found.push(f.map ? [f.map[start], f.map[end]] : [start, end]);
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

  function renderResult(item, ref, words, snippets, list, id) {
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
    if (snippets) {
      engine.then(function (e) { return e.text(ref, snippets.signal); }).then(function (text) {
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

  /* Snippet downloads per results container: a new query abandons the last one's, so they never
     hold up the index and store files the new query needs. */
  var snippetDownloads = {};

  /* The newest run per results container: an older query's results never replace a newer one's. */
  var latestRun = {};
  var storePrefetch = null;
  var whenIdle = root.requestIdleCallback ? function (callback) { root.requestIdleCallback(callback, { timeout: 500 }); }
    : function (callback) { setTimeout(callback, 20); };
  var PROGRESS_PAUSE = 150; /* ms between redraws of partial results */

  /* Runs a query and fills `container`; returns the number of results. A query still loading
     index shards after PROGRESS_PAUSE shows the results found so far while the rest arrive (not
     sooner: drawing them fetches their store blocks, which the final results would wait behind). */
  function run(query, container, limit, withSnippets, status) {
    if (snippetDownloads[container.id]) snippetDownloads[container.id].abort();
    var downloads = withSnippets && typeof AbortController !== "undefined" ? new AbortController() : null;
    snippetDownloads[container.id] = downloads;
    var token = latestRun[container.id] = {};
    return getEngine().then(function (e) {
      var words = e.terms(query);
      var drawn = Promise.resolve(), lastDrawn = Date.now();
      var show = function (results, progress) {
        var shown = results.slice(0, limit);
        return Promise.all(shown.map(function (r) { return e.record(r.ref); })).then(function (items) {
          if (latestRun[container.id] !== token) return results.length;
          var snippets = withSnippets && !progress ? { signal: downloads ? downloads.signal : undefined } : null;
          if (items.length || !progress) fill(container, query, items, shown, words, snippets);
          if (status) status.textContent = progress ? "Searching\u2026 " + results.length + " found in " + progress : summary(results.length);
          return results.length;
        });
      };
      var onProgress = function (soFar, loaded, total) {
        var now = Date.now();
        if (now - lastDrawn < PROGRESS_PAUSE) return;
        lastDrawn = now;
        var results = soFar();
        drawn = drawn.then(function () { return show(results, loaded + " of " + total + " parts of the index"); });
      };
      return e.search(query, onProgress).then(function (results) {
        return drawn.then(function () { return show(results, ""); });
      }).then(function (count) {
        if (!storePrefetch) storePrefetch = e.prefetchStore(whenIdle);
        return count;
      });
    }).catch(function () {
      container.textContent = "";
      container.appendChild(el("p", "search-empty", "Search is not available right now."));
      if (status) status.textContent = "No results: search is not available right now";
      return 0;
    });
  }

  function summary(count) {
    return count ? count + " result" + (count === 1 ? "" : "s") : "No results";
  }

  function fill(container, query, items, shown, words, snippets) {
    container.textContent = "";
    var card = null;
    items.some(function (item) { card = glossaryCard(item, words, query); return card; });
    if (card) container.appendChild(card);
    var list = el("ol", "search-results");
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    items.forEach(function (item, i) { renderResult(item, shown[i].ref, words, snippets, list, container.id + "-r" + i); });
    if (items.length) container.appendChild(list);
    else container.appendChild(el("p", "search-empty", "No results for \u201c" + query + "\u201d."));
  }

  function debounce(fn, wait) {
    var timer = null;
    var debounced = function () { var args = arguments; clearTimeout(timer); timer = setTimeout(function () { fn.apply(null, args); }, wait); };
    debounced.cancel = function () { clearTimeout(timer); };
    return debounced;
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
    }, TYPING_PAUSE);
    input.addEventListener("input", update);
    input.addEventListener("input", function () { preload(input.value); });
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
    var shown = null;
    var update = function (query, record, limit) {
      limit = limit || PAGE_RESULTS;
      if (shown && shown.query === query && shown.limit === limit) return;
      shown = { query: query, limit: limit };
      if (record) {
        var url = location.pathname + (query ? "?q=" + encodeURIComponent(query) : "");
        history.replaceState(null, "", url);
      }
      if (!query) { results.textContent = ""; status.textContent = ""; return; }
      status.textContent = "Searching\u2026";
      run(query, results, limit, true, status).then(function (count) {
        if (count <= limit || input.value.trim() !== query) return;
        var more = el("button", "search-more", "Show more results");
        more.type = "button";
        more.addEventListener("click", function () { update(query, false, limit + PAGE_RESULTS); });
        results.appendChild(more);
      });
    };
    input.value = params.get("q") || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "true");
    keyboard(input, results);
    var typed = debounce(function () { update(input.value.trim(), true); }, TYPING_PAUSE);
    input.addEventListener("input", typed);
    input.addEventListener("input", function () { preload(input.value); });
    input.form.addEventListener("submit", function (event) { event.preventDefault(); typed.cancel(); update(input.value.trim(), true); });
    getEngine();
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
