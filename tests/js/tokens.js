// Prints the JS tokenizer's output for each input string (stdin: JSON list), for parity tests.
"use strict";
const path = require("path");
const core = require(path.join(__dirname, "..", "..", "templates", "assets", "search-core.js"));
let input = "";
process.stdin.on("data", (d) => { input += d; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map((s) => ({ tokens: core.tokens(s), query: core.query(s) }));
  process.stdout.write(JSON.stringify(out));
});
