// Runs templates/assets/search-core.js in node against a built site, for the parity tests.
// usage: node run_search.js <output dir> <manifest site path> <json: list of queries>
// prints: JSON list, per query, of the ranked result URLs.
"use strict";
const fs = require("fs");
const path = require("path");
const core = require(path.join(__dirname, "..", "..", "templates", "assets", "search-core.js"));

const [out, manifest, queriesJson] = process.argv.slice(2);
const fetcher = (url, kind) => {
  const data = fs.readFileSync(path.join(out, url));
  return Promise.resolve(kind === "json" ? JSON.parse(data.toString("utf-8"))
    : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
};
const index = new core.Index(manifest, fetcher);

(async () => {
  const answers = [];
  for (const q of JSON.parse(queriesJson)) {
    const hits = await index.search(q, null);
    const top = [];
    for (const h of hits.slice(0, 10)) {
      top.push({ url: (await index.fragment(h.doc)).url, score: h.rounded, titleAll: h.titleAll });
    }
    answers.push({ total: hits.length, top });
  }
  process.stdout.write(JSON.stringify(answers));
})();
