// A site-gen index read the way search-engine.js reads it (lunr.Index.load on each shard, scores from
// `scoring`), written back as one serialized lunr.js index with its field vectors, to compare with
// the index lunr.js itself builds from the same documents.
// usage: node expand.js MANIFEST_JSON OUT_JSON   (the manifest's file paths are relative to its folder)
const fs = require("fs");
const path = require("path");
const lunr = require(path.join(__dirname, "../../themes/default/static/vendor/lunr.js"));
const { scoring } = require(path.join(__dirname, "../../themes/default/static/search-engine.js"));
const [manifestFile, outFile] = process.argv.slice(2);
const read = (p) => JSON.parse(fs.readFileSync(path.join(path.dirname(manifestFile), p), "utf8"));
const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
const scores = scoring(lunr, read(manifest.lengths), manifest);
const joined = { invertedIndex: [], fieldVectors: {} };
for (const [, file] of manifest.shards) {
  const index = lunr.Index.load(read(file));
  Object.assign(joined, { version: lunr.version, fields: index.fields, pipeline: index.pipeline.toJSON() });
  for (const term of Object.keys(index.invertedIndex).sort()) {
    const posting = index.invertedIndex[term];
    joined.invertedIndex.push([term, posting]);
    for (const field of index.fields) {
      const score = scores(posting, field);
      for (const ref of Object.keys(posting[field])) {
        (joined.fieldVectors[`${field}/${ref}`] ||= []).push(posting._index, score(ref));
      }
    }
  }
}
joined.fieldVectors = Object.entries(joined.fieldVectors);
fs.writeFileSync(outFile, JSON.stringify(joined));
