// Stem words with lunr.js's own stemmer. usage: node stem.js WORDS_JSON  -> JSON list of stems
const path = require("path");
const lunr = require(path.join(__dirname, "../../themes/default/static/vendor/lunr.js"));
const words = require(path.resolve(process.argv[2]));
process.stdout.write(JSON.stringify(words.map((w) => lunr.stemmer(new lunr.Token(w)).toString())));
