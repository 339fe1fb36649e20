// Build a Lunr index with lunr.js itself from the terms site-gen's browser engine makes of the same
// texts (search-engine.js: tokenize), for cross-checking the index and the terms site-gen writes.
// usage: node build_lunr.js DOCS_JSON OUT_JSON   (DOCS_JSON: [{ref, t, m, b}])
const fs = require("fs");
const path = require("path");
const lunr = require(path.join(__dirname, "../../themes/default/static/vendor/lunr.js"));
const { createText } = require(path.join(__dirname, "../../themes/default/static/search-engine.js"));
const [docsFile, outFile] = process.argv.slice(2);
const docs = JSON.parse(fs.readFileSync(docsFile, "utf8"));
const text = createText(lunr);

const index = lunr(function () {
  this.pipeline.reset();
  this.tokenizer = (value) => (value ? text.tokenize(value).filter((t) => t.term).map((t) => new lunr.Token(t.term)) : []);
  this.ref("ref");
  this.field("t", { boost: 10 });
  this.field("m", { boost: 5 });
  this.field("b");
  docs.forEach((d) => this.add(d));
});
fs.writeFileSync(outFile, JSON.stringify(index));
