// The passage search-engine.js picks for a snippet, and its marks, for texts and the terms a search matched.
// usage: node passage.js CASES_JSON   (CASES_JSON: [{text, terms: [[term, ...] per query word]}])
//   -> JSON [{snippet: the passage's text, marks: [marked text, ...]}]
const fs = require("fs");
const path = require("path");
const lunr = require(path.join(__dirname, "../../themes/default/static/vendor/lunr.js"));
const { createEngine } = require(path.join(__dirname, "../../themes/default/static/search-engine.js"));
const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const engine = createEngine({ lunr, load: async () => { throw new Error("no files here"); }, manifestUrl: "" });
const out = cases.map(({ text, terms }) => {
  const matched = terms.map((list) => Object.fromEntries(list.map((term) => [term, true])));
  const found = engine.passage(text, { words: terms.map(() => ({ presence: 1 })), matched });
  return { snippet: text.slice(found.start, found.end), marks: found.marks.map(([start, end]) => text.slice(start, end)) };
});
process.stdout.write(JSON.stringify(out));
