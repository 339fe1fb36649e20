// Build a Lunr index with lunr.js itself, using site-gen's text pipeline, for cross-checking.
// usage: node build_lunr.js DOCS_JSON OUT_JSON   (DOCS_JSON: [{ref, t, m, b}])
const fs = require("fs");
const path = require("path");
const lunr = require(path.join(__dirname, "../../themes/default/static/vendor/lunr.js"));
const { normalise } = require(path.join(__dirname, "../../themes/default/static/search.js"));
const [docsFile, outFile] = process.argv.slice(2);
const docs = JSON.parse(fs.readFileSync(docsFile, "utf8"));

// site-gen's trimmer: keep letters, marks and digits of every script; drop tokens that trim to nothing.
function siteTrimmer(token) {
  const trimmed = token.toString().replace(/^[^\p{L}\p{M}\p{N}_]+|[^\p{L}\p{M}\p{N}_]+$/gu, "");
  return trimmed ? token.update(() => trimmed) : undefined;
}
lunr.Pipeline.registerFunction(siteTrimmer, "siteTrimmer");

const index = lunr(function () {
  this.pipeline.reset();
  this.pipeline.add(siteTrimmer, lunr.stopWordFilter, lunr.stemmer);
  this.ref("ref");
  this.field("t", { boost: 10 });
  this.field("m", { boost: 5 });
  this.field("b");
  docs.forEach((d) => this.add({ ref: d.ref, t: normalise(d.t), m: normalise(d.m), b: normalise(d.b) }));
});
fs.writeFileSync(outFile, JSON.stringify(index));
