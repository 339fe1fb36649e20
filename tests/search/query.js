// Run queries with site-gen's search engine (search.js) against a built site, under Node.
// usage: node query.js SITE_DIR QUERIES_JSON [--single | --progress]   -> prints JSON: [[{ref, score}], ...]
// --single: ignore the shards and query the one-file index SITE_DIR/single.json with plain lunr.js
// (index.search on the same rewritten query): the reference the sharded engine must equal.
// --progress: each query's {hits, progress: [[shards loaded, shards needed, results so far], ...]}.
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
  } else {
    const engine = createEngine({ lunr, fetchJSON: async (p) => read(p), manifestUrl: "search/" + manifestName });
    for (const q of queries) {
      const progress = [];
      const hits = (await engine.search(q, (partial, loaded, total) => progress.push([loaded, total, partial.length])))
        .map((h) => ({ ref: h.ref, score: h.score }));
      out.push(mode === "--progress" ? { hits, progress } : hits);
    }
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch((e) => { console.error(e); process.exit(1); });
