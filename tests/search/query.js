// Run queries with site-gen's search engine (search.js) against a built site, under Node.
// usage: node query.js SITE_DIR QUERIES_JSON [--single | --progress | --prefetch | --preload | --retry]   -> prints JSON: [[{ref, score}], ...]
// --single: ignore the shards and query the one-file index SITE_DIR/single.json with plain lunr.js
// (index.search on the same rewritten query): the reference the sharded engine must equal.
// --progress: each query's {hits, progress: [[shards loaded, shards needed, results so far], ...]}.
// --prefetch: run the queries and fetch the top ten results' records, then prefetch the store:
// {before: store files fetched for the results, prefetched: blocks the prefetch fetched, all: every
// store file fetched, in order (repeats included)}.
// --preload: for each query, {preloaded: shard files engine.preload(query) fetched, searched: shard
// files the search itself then fetched, hits: its result count}.
// --retry: every shard's first download fails; each query is searched twice:
// [[first attempt's result count or "failed", second attempt's result count], ...].
const fs = require("fs");
const path = require("path");
const [site, queriesFile, mode] = process.argv.slice(2);
const lunr = require(path.join(__dirname, "../../themes/default/static/vendor/lunr.js"));
const { createEngine, rewrite } = require(path.join(__dirname, "../../themes/default/static/search.js"));
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
const read = (p) => JSON.parse(fs.readFileSync(path.join(site, p), "utf8"));

async function main() {
  const out = [];
  const manifestName = fs.readdirSync(path.join(site, "search")).find((f) => f.startsWith("manifest."));
  if (mode === "--single") {
    const index = lunr.Index.load(read("single.json"));
    const manifest = read("search/" + manifestName);
    for (const q of queries) {
      let hits;
      try { hits = index.search(rewrite(manifest, q)); } catch (e) { hits = []; }
      out.push(hits.map((h) => ({ ref: h.ref, score: h.score })));
    }
  } else if (mode === "--prefetch") {
    const fetched = [];
    const engine = createEngine({ lunr, fetchJSON: async (p) => { fetched.push(p); return read(p); },
                                  manifestUrl: "search/" + manifestName });
    for (const q of queries) {
      const hits = await engine.search(q);
      await Promise.all(hits.slice(0, 10).map((h) => engine.record(h.ref)));
    }
    const stores = () => fetched.filter((p) => p.startsWith("search/s/"));
    const before = stores();
    const prefetched = await engine.prefetchStore((callback) => setImmediate(callback));
    process.stdout.write(JSON.stringify({ before, prefetched, all: stores() }));
    return;
  } else if (mode === "--preload") {
    let fetched = [];
    const engine = createEngine({ lunr, fetchJSON: async (p) => { fetched.push(p); return read(p); },
                                  manifestUrl: "search/" + manifestName });
    const shards = () => fetched.filter((p) => p.startsWith("search/i/"));
    for (const q of queries) {
      fetched = [];
      await engine.preload(q);
      await new Promise((resolve) => setImmediate(resolve));
      const preloaded = shards();
      fetched = [];
      const hits = await engine.search(q);
      out.push({ preloaded, searched: shards(), hits: hits.length });
    }
  } else if (mode === "--retry") {
    const failed = new Set();
    const engine = createEngine({ lunr, manifestUrl: "search/" + manifestName, fetchJSON: async (p) => {
      if (p.startsWith("search/i/") && !failed.has(p)) { failed.add(p); throw new Error("offline"); }
      return read(p);
    } });
    for (const q of queries) {
      const first = await engine.search(q).then((hits) => hits.length, () => "failed");
      out.push([first, (await engine.search(q)).length]);
    }
  } else {
    const engine = createEngine({ lunr, fetchJSON: async (p) => read(p), manifestUrl: "search/" + manifestName });
    for (const q of queries) {
      const progress = [];
      const hits = (await engine.search(q, (soFar, loaded, total) => progress.push([loaded, total, soFar().length])))
        .map((h) => ({ ref: h.ref, score: h.score }));
      out.push(mode === "--progress" ? { hits, progress } : hits);
    }
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch((e) => { console.error(e); process.exit(1); });
