/* site-gen search engine: lunr.js over a sharded index, loaded lazily, queries read as readers type them.

   Independent of the page, so Node tests and benchmarks run it against the built files: it reads
   the manifest, loads only the index shards a query's words live in (never more than MAX_SHARDS),
   scores them exactly as one lunr.js index would, ranks documents with all the words first and,
   among those, the ones where the words stand together in the order typed, and picks each
   result's best passage. Text becomes terms exactly as site_gen/search/terms.py makes them. */
(function (root) {
  "use strict";

  var MAX_SHARDS = 10;          /* the most index shards one search may load */
  var PREFIX_SHARDS = 2;        /* ... of which a word still being typed may take, as a prefix */
  var TYPO_SHARDS = 3;          /* ... and a word retried with one typo (the no-results pass) */
  var PROXIMITY_DOCUMENTS = 20; /* documents whose texts are read for word order and nearness */
  var SHOWN = 10;               /* results whose texts a query typed is expected to show */
  var NEAR = 12;                /* "near": every word within this many words */
  var SNIPPET = 200;            /* characters of a snippet */
  var FIELDS = ["t", "m", "b"];
  var K1 = 1.2, B = 0.75;
  var OPTIONAL = 1, REQUIRED = 2, PROHIBITED = 3;

  /* ---- Text to terms (site_gen/search/terms.py and scripts.py: the same rules) ---------------- */

  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]/g;
  var ARABIC_FORMS = { "\u0671": "\u0627", "\u0629": "\u0647", "\u0649": "\u064a" };
  var CJK = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+";
  var CJK_SPACE = new RegExp(CJK, "g"), CJK_RUN = new RegExp(CJK, "g"), CJK_TEST = new RegExp(CJK);
  var DICTIONARY = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff]/;
  var DASHES = "\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d\\-";
  var SEPARATOR = new RegExp("[\\s" + DASHES + "]+");
  var PART = new RegExp("[^\\s" + DASHES + "]+", "g");
  var WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u, WORD_END = /[\p{L}\p{M}\p{N}_]$/u;
  var TRIM = /^[^\p{L}\p{M}\p{N}_]+|[^\p{L}\p{M}\p{N}_]+$/gu;
  var POSSESSIVE = /(?<=[\p{L}\p{N}_])'s(?![\p{L}\p{N}_])/gu;
  var ARABIC_PREFIXES = [["\u0648\u0628\u0627\u0644", 2], ["\u0648\u0643\u0627\u0644", 2], ["\u0648\u0627\u0644", 2],
    ["\u0641\u0627\u0644", 2], ["\u0628\u0627\u0644", 2], ["\u0643\u0627\u0644", 2], ["\u0648\u0644\u0644", 2],
    ["\u0644\u0644", 2], ["\u0627\u0644", 2], ["\u0648", 3], ["\u0641", 4], ["\u0628", 4], ["\u0644", 4], ["\u0643", 4]];

  function normalise(text) {
    if (!/[^\x00-\x7f]/.test(text)) return text.replace(POSSESSIVE, "");
    return text.normalize("NFD").replace(MARKS, "").normalize("NFC").replace(/[\u2018\u2019\u02bc]/g, "'")
      .replace(POSSESSIVE, "").replace(/[\u0671\u0629\u0649]/g, function (c) { return ARABIC_FORMS[c]; })
      .replace(CJK_SPACE, " $& ");
  }

  function withoutArabicPrefix(word) {
    if (!/^[\u0620-\u064a]/.test(word)) return word;
    for (var i = 0; i < ARABIC_PREFIXES.length; i++) {
      var prefix = ARABIC_PREFIXES[i][0];
      if (word.lastIndexOf(prefix, 0) === 0 && word.length - prefix.length >= ARABIC_PREFIXES[i][1]) return word.slice(prefix.length);
    }
    return word;
  }

  /* Terms of words and texts. term(word) of a normalised, lower-cased word: its index term, "" for a
     stop word, null for punctuation. tokenize(text): every word of `text` with where it is (start,
     end), its place in the word order (position) and its term; a CJK run gives each character and
     each pair of adjacent characters (pair: true), at the position of its first character. */
  function createText(lunr) {
    var known = new Map(), parts = new Map();
    var segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("th", { granularity: "word" }) : null;

    function term(word) {
      var found = known.get(word);
      if (found !== undefined) return found;
      var trimmed = word.replace(TRIM, "");
      if (!trimmed) found = null;
      else if (lunr.stopWordFilter(new lunr.Token(trimmed)) === undefined) found = "";
      else found = lunr.stemmer(new lunr.Token(withoutArabicPrefix(trimmed))).toString();
      known.set(word, found);
      return found;
    }

    /* A part of a text between separators, with no CJK or dictionary-script letters: its term and
       where its word characters start and end, worked out once per distinct part. */
    function simple(part) {
      var found = parts.get(part);
      if (found) return found;
      var start = 0, end = part.length;
      while (start < end && !WORD_CHAR.test(part[start])) start++;
      while (end > start && !WORD_CHAR.test(part[end - 1])) end--;
      found = { term: start < end ? term(normalise(part).toLowerCase()) : null, start: start, end: end };
      parts.set(part, found);
      return found;
    }

    /* Thai-family text is cut into words after normalising (which reorders some marks, as the
       index does); the words keep their places when normalising kept the length. */
    function plain(piece, offset, position, tokens) {
      var folded = normalise(piece).toLowerCase();
      if (segmenter && DICTIONARY.test(folded)) {
        var aligned = folded.length === piece.length, segments = segmenter.segment(folded)[Symbol.iterator](), next;
        while (!(next = segments.next()).done) {
          var segment = next.value, start = aligned ? segment.index : 0;
          if (!/[\p{L}\p{N}]/u.test(segment.segment)) continue;
          tokens.push({ start: offset + start, end: offset + (aligned ? start + segment.segment.length : piece.length),
                        position: position++, term: term(segment.segment), joined: true });
        }
        return position;
      }
      var found = simple(piece);
      if (found.term === null) return position;
      tokens.push({ start: offset + found.start, end: offset + found.end, position: position, term: found.term });
      return position + 1;
    }

    function cjk(run, offset, position, tokens) {
      var text = run.normalize("NFD").replace(MARKS, "").normalize("NFC"), exact = text.length === run.length;
      for (var i = 0; i < text.length; i++) {
        var start = offset + (exact ? i : 0);
        tokens.push({ start: start, end: exact ? start + 1 : offset + run.length, position: position + i, term: text[i], joined: true });
        if (i + 1 < text.length) {
          tokens.push({ start: start, end: exact ? start + 2 : offset + run.length, position: position + i,
                        term: text.slice(i, i + 2), joined: true, pair: true });
        }
      }
      return position + text.length;
    }

    function tokenize(text, keep) {
      var tokens = [], position = 0, match, run, found;
      var mixed = CJK_TEST.test(text) || DICTIONARY.test(text);
      PART.lastIndex = 0;
      while ((match = PART.exec(text))) {
        var part = match[0], offset = match.index, last = 0;
        if (!mixed) {
          found = simple(part);
          if (found.term === null) continue;
          if (!keep || keep[found.term]) tokens.push({ start: offset + found.start, end: offset + found.end, position: position, term: found.term });
          position++;
          continue;
        }
        CJK_RUN.lastIndex = 0;
        while ((run = CJK_RUN.exec(part))) {
          if (run.index > last) position = plain(part.slice(last, run.index), offset + last, position, tokens);
          position = cjk(run[0], offset + run.index, position, tokens);
          last = run.index + run[0].length;
        }
        if (last < part.length) position = plain(part.slice(last), offset + last, position, tokens);
      }
      return keep ? tokens.filter(function (token) { return keep[token.term]; }) : tokens;
    }

    return { term: term, tokenize: tokenize };
  }

  /* ---- A query as the reader wrote it -------------------------------------------------------- */

  var SYNTAX = /^([+-]?)(?:([A-Za-z]+):(?=\S))?(.*?)((?:[~^]\d+)*)$/;

  /* The words of a query: lunr.js syntax (+word -word field:word word~1 word^10 wor*), "quoted
     phrases", punctuation trimmed, CJK and Thai runs as words that must all be there. Each word has
     a term (or a wildcard pattern), its position (stop words count, for word order), presence,
     fields, boost, edit distance; the last word, unless the query ends with a space, may also be
     the start of a word (prefix). */
  function understand(text, tools, m) {
    var words = [], stopWords = [], phrases = 0, position = 0;
    var pieces = text.split('"');
    pieces.forEach(function (piece, i) {
      var quoted = i % 2 === 1 && (pieces.length % 2 === 1 || i < pieces.length - 1);
      var phrase = quoted ? phrases++ : -1;
      piece.split(/\s+/).forEach(function (raw) { if (raw) position = read(raw, phrase); });
    });

    function read(raw, phrase) {
      var syntax = phrase >= 0 ? ["", "", "", raw, ""] : SYNTAX.exec(raw);
      var name = (syntax[2] || "").toLowerCase(), field = name && (m.fields[name] || (FIELDS.indexOf(name) >= 0 ? name : ""));
      var core = name && !field ? syntax[2] + " " + syntax[3] : syntax[3];
      var base = { presence: phrase >= 0 || syntax[1] === "+" ? REQUIRED : syntax[1] === "-" ? PROHIBITED : OPTIONAL,
                   fields: field ? [field] : FIELDS, boost: 1, distance: 0, phrase: phrase };
      (syntax[4].match(/[~^]\d+/g) || []).forEach(function (modifier) {
        var n = parseInt(modifier.slice(1), 10);
        if (modifier[0] === "^") base.boost = n || 1;
        else base.distance = Math.min(n, 2);
      });
      core.split(SEPARATOR).forEach(function (sub) {
        if (sub.indexOf("*") >= 0) {
          var pattern = normalise(sub).toLowerCase().replace(/^[^\p{L}\p{M}\p{N}_*]+|[^\p{L}\p{M}\p{N}_*]+$/gu, "");
          if (pattern.replace(/\*/g, "")) words.push(word(base, { pattern: pattern.replace(/\*+/g, "*"), position: position, surface: sub }));
          position += 1;
          return;
        }
        var tokens = tools.tokenize(sub), joined = tokens.filter(function (t) { return t.joined; }).length > 1;
        var pairs = tokens.some(function (t) { return t.pair; });
        tokens.forEach(function (token) {
          if (token.term === "") stopWords.push(sub.slice(token.start, token.end));
          else if (!(pairs && token.term.length === 1 && token.joined)) {
            words.push(word(base, { term: token.term, position: position + token.position, surface: sub.slice(token.start, token.end),
                                    presence: joined && base.presence === OPTIONAL ? REQUIRED : base.presence, joined: token.joined }));
          }
        });
        if (tokens.length) position += tokens[tokens.length - 1].position + 1;
      });
      return position;
    }

    var last = words[words.length - 1];
    if (last && /[^\s"]$/.test(text) && last.term && !last.joined && !last.distance && last.phrase < 0 && last.presence !== PROHIBITED) {
      var base = withoutArabicPrefix(normalise(last.surface).toLowerCase().replace(TRIM, ""));
      if (base.length >= 3) last.prefix = base;
    }
    return { words: words, stopWords: stopWords, phrases: phrases };
  }

  function word(base, extra) {
    var made = {};
    Object.keys(base).forEach(function (key) { made[key] = base[key]; });
    Object.keys(extra).forEach(function (key) { made[key] = extra[key]; });
    return made;
  }

  /* ---- Scoring, as lunr.js does ------------------------------------------------------------- */

  /* lunr.js's scores (its field vectors' components) from what the index files hold: each
     posting's term frequency, and each document's field lengths (`lengths`, by document number; a
     ref is that number in hexadecimal). The arithmetic is lunr.js's Builder's, to the operation:
     BM25 with k1 1.2 and b 0.75 over the field's average length, idf over every field posting,
     times the field's boost, rounded to three decimals, so the scores are exactly lunr.js's.
     Returns, for a term's posting and a field, the function from a ref to its score. */
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

  /* The index terms a word stands for in one shard: its term, or what its pattern or edit distance
     expands to (lunr.js's token sets). */
  function expand(lunr, index, w) {
    if (w.pattern) return index.tokens().intersect(lunr.TokenSet.fromString(w.pattern)).toArray();
    if (w.distance) return index.tokens().intersect(lunr.TokenSet.fromFuzzyString(w.term, w.distance)).toArray();
    return index.invertedIndex[w.term] ? [w.term] : [];
  }

  /* ---- The engine ---------------------------------------------------------------------------- */

  function createEngine(options) {
    var lunr = options.lunr, load = options.load, maxShards = options.maxShards || MAX_SHARDS;
    var tools = createText(lunr);
    var manifest = null, ready = null, raw = {}, shards = {}, scorers = {}, stores = {}, texts = {}, arrived = {};
    var guessed = {}, latestPreload = null, prepared = null;

    function start() {
      if (!manifest) manifest = load(options.manifestUrl).then(function (m) { ready = m; manifest = Promise.resolve(m); return m; });
      return Promise.resolve(manifest);
    }

    /* A download kept in `table` under `key`; a failed one is forgotten, so the next call tries again. */
    function remembered(table, key, begin) {
      if (!table[key]) {
        table[key] = begin();
        table[key].catch(function () { delete table[key]; });
      }
      return table[key];
    }

    /* A shard's data, downloaded (and parsed) once: preloading stops there. */
    function shardData(m, number) {
      return remembered(raw, number, function () { return load(m.shards[number][1]); });
    }

    /* A shard ready to search: its postings by term (term frequencies), `scores`, the scoring of a
       posting, and `tokens()`, lunr.js's token set of its terms, made only when a wildcard or an
       edit distance needs it (most queries look their words up). */
    function shardIndex(m, number) {
      return remembered(shards, number, function () {
        var scores = remembered(scorers, "all", function () {
          return load(m.lengths).then(function (lengths) { return scoring(lunr, lengths, m); });
        });
        return Promise.all([shardData(m, number), scores]).then(function (loaded) {
          var inverted = Object.create(null), terms = [], tokenSet = null;
          loaded[0].invertedIndex.forEach(function (entry) { inverted[entry[0]] = entry[1]; terms.push(entry[0]); });
          return { invertedIndex: inverted, scores: loaded[1],
                   tokens: function () { return tokenSet || (tokenSet = lunr.TokenSet.fromArray(terms)); } };
        });
      });
    }

    function locate(m, term) {
      var low = 0, high = m.shards.length - 1;
      while (low < high) {
        var mid = (low + high + 1) >> 1;
        if (m.shards[mid][0] <= term) low = mid; else high = mid - 1;
      }
      return low;
    }

    function range(m, prefix) {
      var list = [];
      for (var i = locate(m, prefix), last = locate(m, prefix + "\uffff"); i <= last; i++) list.push(i);
      return list;
    }

    /* Shards in order of distance from `home`: where words a typo away most likely are. */
    function around(list, home) {
      return list.slice().sort(function (a, b) { return Math.abs(a - home) - Math.abs(b - home) || a - b; });
    }

    /* The shards a word needs: those it must have (its term's), then those its expansions may be
       in, nearest first. */
    function wanted(m, w) {
      if (m.shards.length === 1) return { must: [0], extra: [] };
      if (w.pattern) {
        var prefix = w.pattern.slice(0, w.pattern.indexOf("*"));
        return { must: [], extra: prefix ? range(m, prefix) : range(m, "") };
      }
      var home = locate(m, w.term);
      if (w.typo) return { must: [home], extra: around(range(m, w.term.slice(0, 2)), home).slice(0, TYPO_SHARDS) };
      if (w.distance) return { must: [home], extra: around(range(m, ""), home) };
      return { must: [home], extra: [] };
    }

    /* Which shards a search loads: every word's own shard first, then its expansions', up to the cap. */
    function plan(m, words) {
      var chosen = [], needed = {};
      function take(number) {
        needed[number] = true;
        if (chosen.indexOf(number) < 0 && chosen.length < maxShards) chosen.push(number);
      }
      var wants = words.map(function (w) { return wanted(m, w); });
      wants.forEach(function (want) { want.must.forEach(take); });
      wants.forEach(function (want) { want.extra.forEach(take); });
      return { shards: chosen, needed: Object.keys(needed).length };
    }

    /* Start downloading what a query will need as it is typed, so the search finds it arriving or
       arrived: the shards of its words and, once they are in, the texts of the results the search
       would read (the first `shown`, and those ranked by word order). A word of one or two letters
       still being typed (the last, no space or punctuation after it) and words needing many shards
       are left to the search itself, and a query with such a word fetches no texts. Each call
       abandons the texts the one before asked for that it does not want; one that starts
       downloading a shard abandons them all at once, so they do not queue ahead of it. Meanwhile
       the search for `text` is prepared (`prepare`): a search for the same text takes it. */
    function preload(text, shown) {
      if (latestPreload) latestPreload.abort();
      var call = latestPreload = typeof AbortController !== "undefined" ? new AbortController() : { abort: function () {} };
      return start().then(function (m) {
        var query = understand(text, tools, m), loading = [], complete = query.words.length > 0, fresh = false;
        var typing = WORD_END.test(text) ? query.words[query.words.length - 1] : null;
        query.words.forEach(function (w) {
          if (w === typing && w.term && w.term.length < 3 && !w.joined) { complete = false; return; }
          var want = wanted(m, w), numbers = want.must.concat(want.extra.length <= 2 ? want.extra : []);
          if (want.extra.length > 2) complete = false;
          if (w.prefix) numbers = numbers.concat(range(m, w.prefix).slice(0, PREFIX_SHARDS));
          numbers.forEach(function (number) {
            fresh = fresh || !raw[number];
            loading.push(shardData(m, number));
          });
        });
        loading.forEach(function (data) { data.catch(function () {}); });
        if (fresh) readAhead(m, []);
        if (!complete || !m.texts) return;
        Promise.all(loading).then(function () {
          return call === latestPreload ? ranking(m, query) : null;
        }).then(function (outcome) {
          if (!outcome || call !== latestPreload) return;
          var first = outcome.results.slice(0, shown || SHOWN);
          readAhead(m, ordered(query, outcome).concat(first));
          prepared = { text: text, outcome: prepare(query, outcome, first, call.signal) };
          prepared.outcome.catch(function () {});
        }).catch(function () {});
      }).catch(function () {});
    }

    /* Download the texts of these results, abandoning those an earlier call asked for and these
       do not need (`guessed`: their downloads, by file). */
    function readAhead(m, results) {
      var paths = {};
      results.forEach(function (r) { paths[textPath(m, r.ref)] = r.ref; });
      Object.keys(guessed).forEach(function (path) {
        if (!(path in paths)) { guessed[path].abort(); delete guessed[path]; }
      });
      Object.keys(paths).forEach(function (path) {
        if (texts[path] || guessed[path]) return;
        var controller = typeof AbortController !== "undefined" ? new AbortController() : null;
        if (controller) guessed[path] = controller;
        documentOf(paths[path], controller && controller.signal).catch(function () {}).then(function () {
          if (guessed[path] === controller) delete guessed[path];
        });
      });
    }

    /* A search done ahead, as its text is typed and in the pause after: ranked by word order, with
       the matches in the texts of the results it shows (`first`) found as the texts arrive.
       `signal` abandons it (the reader typed on). */
    function prepare(query, outcome, first, signal) {
      var keep = wordsOf(outcome);
      outcome.hits = {};
      return Promise.all(first.map(function (r) {
        return documentOf(r.ref, signal).then(function (item) {
          if (signal && signal.aborted) throw new Error("typed on");
          if (!outcome.hits[r.ref]) outcome.hits[r.ref] = tools.tokenize(item.x, keep);
        });
      }).concat([arrange(query, outcome, signal)])).then(function () { return outcome; });
    }

    /* One pass over the shards: lunr's score for every document the words match (per field, the
       dot product of query and document vectors over the query vector's length, added up across
       shards), which words each document has, and the index terms each word matched. */
    function pass(m, words, onProgress) {
      var scored = words.map(function (w, i) { return { word: w, index: i, refs: {}, terms: Object.create(null) }; });
      var dots = { t: {}, m: {}, b: {} }, squared = { t: {}, m: {}, b: {} };
      var planned = plan(m, words), loaded = 0, indexes = {};

      function add(index, entry) {
        var w = entry.word;
        expand(lunr, index, w).forEach(function (term) {
          if (entry.terms[term]) return;
          entry.terms[term] = true;
          var posting = index.invertedIndex[term];
          w.fields.forEach(function (field) {
            for (var ref in posting[field]) entry.refs[ref] = true;
            if (w.presence === PROHIBITED) return;
            var key = term + "/" + field, score = index.scores(posting, field), fieldDots = dots[field];
            squared[field][key] = (squared[field][key] || 0) + w.boost;
            for (ref in posting[field]) fieldDots[ref] = (fieldDots[ref] || 0) + w.boost * score(ref);
          });
        });
      }

      function ranked() {
        var scores = {}, results = [];
        FIELDS.forEach(function (field) {
          var total = 0;
          for (var key in squared[field]) total += squared[field][key] * squared[field][key];
          var norm = Math.sqrt(total);
          if (!norm) return;
          for (var ref in dots[field]) scores[ref] = (scores[ref] || 0) + dots[field][ref] / norm;
        });
        for (var ref in scores) {
          var coverage = 0, keep = true;
          scored.forEach(function (entry) {
            var has = entry.refs[ref];
            if (entry.word.presence === PROHIBITED) keep = keep && !has;
            else if (has) coverage += 1;
            else if (entry.word.presence === REQUIRED) keep = false;
          });
          if (keep) results.push({ ref: ref, score: scores[ref], coverage: coverage });
        }
        results.sort(function (a, b) {
          return b.coverage - a.coverage || b.score - a.score || parseInt(a.ref, 16) - parseInt(b.ref, 16);
        });
        return results;
      }

      return Promise.all(planned.shards.map(function (number) {
        return shardIndex(m, number).then(function (index) {
          indexes[number] = index;
          scored.forEach(function (entry) { if (!entry.word.prefix) add(index, entry); });
          loaded += 1;
          if (onProgress && loaded < planned.shards.length) onProgress(ranked, loaded, planned.shards.length);
        });
      })).then(function () {
        /* A word being typed is the word itself when the index has it, else the start of a word. */
        var typing = scored.filter(function (entry) { return entry.word.prefix; });
        return Promise.all(typing.map(function (entry) {
          var w = entry.word, home = indexes[locate(m, w.term)];
          if (home && home.invertedIndex[w.term]) { add(home, entry); return null; }
          var prefixed = word(w, { pattern: w.prefix + "*" });
          entry.word = prefixed;
          return Promise.all(range(m, w.prefix).slice(0, PREFIX_SHARDS).map(function (number) {
            return shardIndex(m, number).then(function (index) { add(index, entry); });
          }));
        }));
      }).then(function () {
        return { results: ranked(), matched: scored.map(function (entry) { return entry.terms; }),
                 limited: planned.needed > planned.shards.length ? { searched: planned.shards.length, needed: planned.needed } : null };
      });
    }

    /* Ranked results of a query, as {results: [{ref, score, coverage}], words, matched (per word,
       the index terms it matched), stopWords, onlyStopWords, limited ({searched, needed} shards,
       when the cap cut the search short), similar (true: found by the one-typo pass)}. A query
       that needs several shards calls onProgress(soFar, shards loaded, shards needed) as they
       arrive; soFar() ranks the results found so far. `signal` abandons the texts it reads.
       Ranking by word order keeps the matches it found in each text it read (hits, by ref), so
       the snippets need not look for them again. The search preload prepared for the same text
       is taken as it is, unless it was abandoned. */
    function search(text, onProgress, signal) {
      var ahead = prepared && prepared.text === text ? prepared.outcome : null;
      if (ahead) return ahead.catch(function () { return searched(text, onProgress, signal); });
      return searched(text, onProgress, signal);
    }

    function searched(text, onProgress, signal) {
      return start().then(function (m) {
        var query = understand(text, tools, m);
        return ranking(m, query, onProgress).then(function (outcome) { return arrange(query, outcome, signal); });
      });
    }

    /* The results of a query ranked by lunr's scores and by how many of its words they have (the
       one-typo pass when there are none), before word order is read from the texts. */
    function ranking(m, query, onProgress) {
      var outcome = { words: query.words, stopWords: query.stopWords, results: [], matched: [], limited: null, similar: false };
      outcome.onlyStopWords = !query.words.length && query.stopWords.length > 0;
      if (!query.words.some(function (w) { return w.presence !== PROHIBITED; })) return Promise.resolve(outcome);
      return pass(m, query.words, onProgress).then(function (found) {
        var typos = query.words.map(function (w) {
          return w.term && !w.distance && !w.joined && w.presence !== PROHIBITED && w.surface.replace(TRIM, "").length >= 5
            ? word(w, { distance: 1, typo: true, prefix: undefined }) : w;
        });
        if (found.results.length || !typos.some(function (w) { return w.typo; })) return found;
        return pass(m, typos).then(function (retried) { retried.similar = true; return retried; });
      }).then(function (found) {
        outcome.results = found.results;
        outcome.matched = found.matched;
        outcome.limited = found.limited;
        outcome.similar = !!found.similar;
        return outcome;
      });
    }

    /* The indexes of the words a document is searched for (those not prohibited). */
    function positiveWords(query) {
      var positive = [];
      query.words.forEach(function (w, i) { if (w.presence !== PROHIBITED) positive.push(i); });
      return positive;
    }

    /* The results whose texts decide their order: the best PROXIMITY_DOCUMENTS of those with every
       word, when there are two words or more. */
    function ordered(query, outcome) {
      var positive = positiveWords(query);
      if (positive.length < 2) return [];
      return outcome.results.filter(function (r) { return r.coverage === positive.length; }).slice(0, PROXIMITY_DOCUMENTS);
    }

    /* Among the documents with every word, those where the words stand together in the order typed
       (and the quoted phrases are found) come first, then those where they are near each other:
       read from the texts of the best PROXIMITY_DOCUMENTS of them, fetched for that only. */
    function arrange(query, outcome, signal) {
      var positive = positiveWords(query), top = ordered(query, outcome);
      if (!top.length) return outcome;
      var keep = wordsOf(outcome);
      outcome.hits = outcome.hits || {};
      return Promise.all(top.map(function (r) {
        return documentOf(r.ref, signal).then(function (item) {
          if (signal && signal.aborted) throw new Error("abandoned");
          var hits = outcome.hits[r.ref] = outcome.hits[r.ref] || tools.tokenize(item.x, keep);
          var occurrences = places([tools.tokenize(item.t, keep), hits], positive, outcome.matched);
          r.tier = tier(occurrences, positive.map(function (i) { return query.words[i]; }), query.phrases);
        });
      })).then(function () {
        outcome.results.sort(function (a, b) {
          return b.coverage - a.coverage || (b.tier || 0) - (a.tier || 0) || b.score - a.score || parseInt(a.ref, 16) - parseInt(b.ref, 16);
        });
        return outcome;
      });
    }

    /* For each of the words, the positions where a term it matched stands (the texts kept apart). */
    function places(lists, words, matched) {
      var found = words.map(function () { return []; });
      lists.forEach(function (list, number) {
        list.forEach(function (token) {
          words.forEach(function (w, i) { if (matched[w][token.term]) found[i].push(number * 1e9 + token.position); });
        });
      });
      return found;
    }

    function tier(occurrences, words, phrases) {
      if (occurrences.some(function (list) { return !list.length; })) return 0;
      var quoted = true;
      for (var p = 0; p < phrases; p++) {
        var members = [];
        words.forEach(function (w, i) { if (w.phrase === p) members.push(i); });
        quoted = quoted && inOrder(occurrences, words, members);
      }
      return (phrases && quoted ? 4 : 0) + (inOrder(occurrences, words, words.map(function (w, i) { return i; })) ? 2 : 0)
        + (span(occurrences) <= NEAR + words.length ? 1 : 0);
    }

    /* Do the words `members` stand at the distances from each other they were typed at? */
    function inOrder(occurrences, words, members) {
      if (!members.length) return true;
      var sets = members.map(function (i) { return new Set(occurrences[i]); }), first = words[members[0]].position;
      return occurrences[members[0]].some(function (at) {
        return members.every(function (i, k) { return sets[k].has(at + words[i].position - first); });
      });
    }

    /* The fewest consecutive positions holding every word. */
    function span(occurrences) {
      var events = [];
      occurrences.forEach(function (list, i) { list.forEach(function (at) { events.push([at, i]); }); });
      events.sort(function (a, b) { return a[0] - b[0]; });
      var counts = occurrences.map(function () { return 0; }), covered = 0, best = Infinity, left = 0;
      events.forEach(function (event) {
        if (counts[event[1]]++ === 0) covered++;
        while (covered === occurrences.length) {
          best = Math.min(best, event[0] - events[left][0] + 1);
          if (--counts[events[left][1]] === 0) covered--;
          left++;
        }
      });
      return best;
    }

    function storeBlock(m, block) {
      return remembered(stores, block, function () { return load(m.stores[block]); });
    }

    function blockRecord(ref) {
      return start().then(function (m) {
        var number = parseInt(ref, 16);
        return storeBlock(m, Math.floor(number / m.storeBlock)).then(function (records) { return records[number % m.storeBlock]; });
      });
    }

    function textPath(m, ref) {
      return m.fragments + ref + "." + m.texts[Math.floor(parseInt(ref, 16) / m.storeBlock)] + ".js";
    }

    /* A document's store record: from its text file when that has arrived or is on its way (it
       holds the record too: the page asks for the texts of the results it shows first, so they
       need no store block), else from its store block. */
    function record(ref) {
      if (arrived[ref]) return Promise.resolve(arrived[ref]);
      var coming = ready && ready.texts && texts[textPath(ready, ref)];
      if (coming) return coming.catch(function () { return blockRecord(ref); });
      return blockRecord(ref);
    }

    /* A document's store record with its text (x): the record itself on a small site, else a file
       of its own whose name follows from the ref and the manifest (no store block needed first).
       Once the manifest is in, the download is registered at once, so a record asked for next
       waits for it. `signal` abandons the download; a failed one is tried again next time. */
    function documentOf(ref, signal) {
      if (!ready) return start().then(function () { return documentOf(ref, signal); });
      if (!ready.texts) return record(ref);
      return remembered(texts, textPath(ready, ref), function () {
        return load(textPath(ready, ref), signal).then(function (item) { arrived[ref] = item; return item; });
      }).catch(function (error) {
        /* abandoned by the search (or the read-ahead) that started it, not by this one: start again */
        if (error && error.name === "AbortError" && !(signal && signal.aborted)) return documentOf(ref, signal);
        throw error;
      });
    }

    function textOf(ref, signal) {
      return documentOf(ref, signal).then(function (item) { return item.x; });
    }

    /* The best passage of a document for a search: its text, and where the snippet starts and ends,
       the spans of the whole words whose terms the search matched (marks)... (see `passage`). */
    function snippet(ref, outcome, signal) {
      return textOf(ref, signal).then(function (text) {
        return { text: text, passage: passage(text, tools, outcome, outcome.hits && outcome.hits[ref]) };
      });
    }

    /* Download the store blocks of these results when the browser is idle (`idle` calls back): the
       next page of results, and the queries that refine this one, need them. At most `blocks`. */
    function prefetch(refs, blocks, idle) {
      return start().then(function (m) {
        var wanted = [];
        refs.forEach(function (ref) {
          var block = Math.floor(parseInt(ref, 16) / m.storeBlock);
          if (wanted.indexOf(block) < 0 && !stores[block] && wanted.length < blocks) wanted.push(block);
        });
        return Promise.all(wanted.map(function (block) {
          return new Promise(function (resolve) { idle(resolve); }).then(function () {
            return storeBlock(m, block).catch(function () { return null; });
          });
        })).then(function () { return wanted.length; });
      });
    }

    return { search: search, record: record, text: textOf, snippet: snippet, preload: preload, prefetch: prefetch,
             load: start, tokenize: tools.tokenize, passage: function (text, outcome) { return passage(text, tools, outcome); } };
  }

  /* ---- Passages and marks -------------------------------------------------------------------- */

  /* Which of the search's words a term stands for. */
  function wordsOf(outcome) {
    var found = Object.create(null);
    outcome.matched.forEach(function (terms, i) {
      if (outcome.words[i].presence === PROHIBITED) return;
      for (var term in terms) (found[term] = found[term] || []).push(i);
    });
    return found;
  }

  /* The snippet of `text` with the most of the search's words close together (then the most
     matches), wherever it is: {start, end, marks: [[start, end]...], terms: the terms matched in the
     text, words: the first few words that matched them, as written (lower-cased)}. `found`: the
     matches in `text`, when ranking by word order has read them already. */
  function passage(text, tools, outcome, found) {
    var of = wordsOf(outcome), hits = found || tools.tokenize(text, of);
    var terms = Object.create(null), words = [];
    hits.forEach(function (hit) {
      terms[hit.term] = true;
      var surface = normalise(text.slice(hit.start, hit.end)).toLowerCase();
      if (words.length < 6 && words.indexOf(surface) < 0 && !hit.pair) words.push(surface);
    });
    var best = { score: -1, first: 0 }, counts = {}, distinct = 0, left = 0;
    hits.forEach(function (hit, right) {
      of[hit.term].forEach(function (i) { counts[i] = (counts[i] || 0) + 1; if (counts[i] === 1) distinct++; });
      while (hit.end - hits[left].start > SNIPPET - 40) {
        of[hits[left].term].forEach(function (i) { counts[i] -= 1; if (!counts[i]) distinct--; });
        left++;
      }
      var score = distinct * 1000 + (right - left + 1);
      if (score > best.score) best = { score: score, first: left };
    });
    var start = hits.length ? Math.max(0, hits[best.first].start - 30) : 0;
    if (start > 0) start = Math.max(text.lastIndexOf(" ", start) + 1, start - 20);
    var end = Math.min(text.length, start + SNIPPET), space = text.indexOf(" ", end);
    if (end < text.length && space >= 0 && space - end < 20) end = space;
    return { start: start, end: end, marks: merged(hits, start, end), terms: Object.keys(terms), words: words };
  }

  /* The spans of `hits` between start and end, overlapping ones (CJK pairs) joined. */
  function merged(hits, start, end) {
    var marks = [];
    hits.forEach(function (hit) {
      if (hit.start < start || hit.end > end) return;
      var last = marks[marks.length - 1];
      if (last && hit.start <= last[1]) last[1] = Math.max(last[1], hit.end);
      else marks.push([hit.start, hit.end]);
    });
    return marks;
  }

  /* A search file: the JSON of its data, wrapped in a call that registers it when the file is loaded
     as a script (from disk, where browsers refuse fetch); fetched, the wrapper is taken off. */
  var WRAPPER = "siteGenSearch(";
  function parseFile(text) {
    return JSON.parse(text.slice(text.indexOf(WRAPPER) + WRAPPER.length, text.lastIndexOf(")")));
  }

  var api = { createEngine: createEngine, createText: createText, scoring: scoring, normalise: normalise,
              understand: understand, parseFile: parseFile, merged: merged, MAX_SHARDS: MAX_SHARDS };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.siteGenSearchEngine = api;
})(typeof window !== "undefined" ? window : globalThis);
