// Run queries with site-gen's search engine (search-engine.js) against a built site, under Node.
// usage: node query.js SITE_DIR QUERIES_JSON [--single | --progress | --prefetch | --preload | --read-ahead | --retry]
//   -> prints JSON: [[{ref, score}], ...]
// The engine here has no cap on the shards a query loads (the page's engine has: MAX_SHARDS).
// --single: ignore the shards and query the one-file index SITE_DIR/single.json with plain lunr.js
// (index.search on the same query, field names mapped): the reference the sharded engine's scores must equal.
// --progress: each query's {hits, progress: [[shards loaded, shards needed, results so far], ...]}.
// --prefetch: run the queries and fetch the top ten results' records, then prefetch the store
// blocks of the next 40 results, at most 4: {before: store files fetched for the results,
// prefetched: blocks the prefetch fetched, all: every store file fetched, in order (repeats included)}.
// --preload: for each query, {preloaded: shard files engine.preload(query) fetched, searched: shard
// files the search itself then fetched, hits: its result count}.
// --read-ahead: the queries preloaded in turn as typed, each as soon as the one before has asked for
// its texts (text files take 20 ms to arrive): {asked: per query, the text files its preload asked for;
// aborted: those abandoned; searched: the files the last query's search and its first ten snippets
// then fetched themselves; prepared: whether that search was the one preload prepared; same: whether
// its ranking and passages equal those of a search on a fresh engine}.
// --retry: every shard's first download fails; each query is searched twice:
// [[first attempt's result count or "failed", second attempt's result count], ...].
const fs = require("fs");
const path = require("path");
const [site, queriesFile, mode] = process.argv.slice(2);
const lunr = require(path.join(__dirname, "../../themes/default/static/vendor/lunr.js"));
const { createEngine, normalise, parseFile } = require(path.join(__dirname, "../../themes/default/static/search-engine.js"));
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
const read = (p) => parseFile(fs.readFileSync(path.join(site, p), "utf8"));
const manifestUrl = "search/manifest.js";

function engine(load) {
  return createEngine({ lunr, load, manifestUrl, maxShards: Infinity });
}

async function main() {
  const out = [];
  if (mode === "--single") {
    const index = lunr.Index.load(JSON.parse(fs.readFileSync(path.join(site, "single.json"), "utf8")));
    const manifest = read(manifestUrl);
    for (const q of queries) {
      const rewritten = normalise(q).replace(/\b([a-z]+):/gi, (all, name) => (manifest.fields[name.toLowerCase()] || name) + ":");
      let hits;
      try { hits = index.search(rewritten); } catch (e) { hits = []; }
      out.push(hits.map((h) => ({ ref: h.ref, score: h.score })));
    }
  } else if (mode === "--prefetch") {
    const fetched = [];
    const e = engine(async (p) => { fetched.push(p); return read(p); });
    const stores = () => fetched.filter((p) => p.startsWith("search/s/"));
    let before = [], prefetched = 0;
    for (const q of queries) {
      const hits = (await e.search(q)).results;
      await Promise.all(hits.slice(0, 10).map((h) => e.record(h.ref)));
      before = stores();
      prefetched = await e.prefetch(hits.slice(10, 50).map((h) => h.ref), 4, (callback) => setImmediate(callback));
    }
    process.stdout.write(JSON.stringify({ before, prefetched, all: stores() }));
    return;
  } else if (mode === "--preload") {
    let fetched = [];
    const e = engine(async (p) => { fetched.push(p); return read(p); });
    const shards = () => fetched.filter((p) => p.startsWith("search/i/"));
    for (const q of queries) {
      fetched = [];
      await e.preload(q);
      await new Promise((resolve) => setImmediate(resolve));
      const preloaded = shards();
      fetched = [];
      const hits = (await e.search(q)).results;
      out.push({ preloaded, searched: shards(), hits: hits.length });
    }
  } else if (mode === "--read-ahead") {
    const asked = [], aborted = [];
    let files = [];
    const e = engine((p, signal) => new Promise((resolve, reject) => {
      files.push(p);
      if (!p.startsWith("search/f/")) { resolve(read(p)); return; }
      const timer = setTimeout(() => resolve(read(p)), 20);
      if (signal) {
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          aborted.push(p);
          reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
        });
      }
    }));
    const texts = () => files.filter((p) => p.startsWith("search/f/"));
    for (const q of queries) {
      files = [];
      e.preload(q);
      for (let waited = 0; !texts().length && waited < 500; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
      asked.push(texts());
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    files = [];
    const last = queries[queries.length - 1], outcome = await e.search(last);
    const shown = await Promise.all(outcome.results.slice(0, 10).map((r) => e.snippet(r.ref, outcome)));
    const searched = files, prepared = (await e.search(last)) === outcome;
    const fresh = engine(async (p) => read(p)), expected = await fresh.search(last);
    const same = JSON.stringify(outcome.results.map((r) => [r.ref, r.score])) === JSON.stringify(expected.results.map((r) => [r.ref, r.score]))
      && JSON.stringify(shown.map((found) => found.passage)) === JSON.stringify(await Promise.all(
        expected.results.slice(0, 10).map((r) => fresh.snippet(r.ref, expected).then((found) => found.passage))));
    process.stdout.write(JSON.stringify({ asked, aborted, searched, prepared, same }));
    return;
  } else if (mode === "--retry") {
    const failed = new Set();
    const e = engine(async (p) => {
      if (p.startsWith("search/i/") && !failed.has(p)) { failed.add(p); throw new Error("offline"); }
      return read(p);
    });
    for (const q of queries) {
      const first = await e.search(q).then((outcome) => outcome.results.length, () => "failed");
      out.push([first, (await e.search(q)).results.length]);
    }
  } else {
    const e = engine(async (p) => read(p));
    for (const q of queries) {
      const progress = [];
      const hits = (await e.search(q, (soFar, loaded, total) => progress.push([loaded, total, soFar().length]))).results
        .map((h) => ({ ref: h.ref, score: h.score }));
      out.push(mode === "--progress" ? { hits, progress } : hits);
    }
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch((e) => { console.error(e); process.exit(1); });
