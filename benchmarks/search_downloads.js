// Which search files a query makes the browser fetch, cold and warm, using site-gen's search engine.
// usage: node search_downloads.js PUBLIC_DIR QUERIES_JSON  -> JSON {first: [[files]...], later: [[files]...]}
// "first": each query alone on a cold cache (manifest, shards, store blocks and snippet fragments of
// the top 10 results); "later": the queries in sequence on one warm engine (only what is new).
const fs = require("fs");
const path = require("path");
const [site, queriesFile] = process.argv.slice(2);
const repo = path.join(__dirname, "..");
const lunr = require(path.join(repo, "themes/default/static/vendor/lunr.js"));
const { createEngine, parseFile } = require(path.join(repo, "themes/default/static/search-engine.js"));
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));

function engine(fetched) {
  return createEngine({
    lunr,
    manifestUrl: "search/manifest.json",
    fetchJSON: async (p) => { fetched.push(p); return JSON.parse(fs.readFileSync(path.join(site, p), "utf8")); },
  });
}

async function run(e, query) {
  const results = (await e.search(query)).slice(0, 10);
  await Promise.all(results.map((r) => e.record(r.ref).then(() => e.text(r.ref))));
  return results.length;
}

async function main() {
  const first = [], later = [], counts = [];
  for (const q of queries) {
    const fetched = [];
    counts.push(await run(engine(fetched), q));
    first.push([...new Set(fetched)]);
  }
  let current = [];
  const warm = createEngine({ lunr, manifestUrl: "search/manifest.json", fetchJSON: async (p) => {
    current.push(p); return JSON.parse(fs.readFileSync(path.join(site, p), "utf8")); } });
  for (const q of queries) {
    current = [];
    await run(warm, q);
    later.push(current);
  }
  process.stdout.write(JSON.stringify({ first, later, counts }));
}
main().catch((e) => { console.error(e); process.exit(1); });
