// Material's own search worker (as shipped, not a copy) run in node on a built search index, for
// tests/test_search.py. Usage: node search_worker.cjs MATERIAL_JAVASCRIPTS_DIR INDEX_JSON < queries.json
// Prints {"words": [...], "lookup": [...], "results": [...]}: the index's words, the words its trie
// (lunr's TokenSet, what a query is expanded against) holds, and for each query the worker's answer
// (sections in rank order, or the warning the worker logged instead of answering).
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [assets, indexFile] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const workerDir = path.join(assets, "workers");
const workerFile = fs.readdirSync(workerDir).find((name) => /^search\.\w+\.min\.js$/.test(name));

// The worker's global scope: it answers postMessage'd requests and loads lunr's language support
// with importScripts, relative to its own folder, as in the browser.
const listeners = [];
let answer = null;
const warnings = [];
const scope = {
  console: { ...console, warn: (...args) => warnings.push(args.map((a) => (a && a.stack) || String(a)).join(" ")) },
  addEventListener: (type, listener) => listeners.push(listener),
  postMessage: (message) => answer(message),
  importScripts: (...urls) => {
    for (const url of urls) vm.runInContext(fs.readFileSync(path.resolve(workerDir, url), "utf8"), scope);
  },
};
scope.self = scope;
vm.createContext(scope);
vm.runInContext(fs.readFileSync(path.join(workerDir, workerFile), "utf8"), scope);
const send = (message) => new Promise((resolve) => { answer = resolve; for (const listener of listeners) listener({ data: message }); });

(async () => {
  const data = JSON.parse(fs.readFileSync(indexFile, "utf8"));
  // The one instrument: remember the lunr index the worker built, to read its words and its trie.
  let index = null;
  const query = scope.lunr.Index.prototype.query;
  scope.lunr.Index.prototype.query = function (...args) { index = this; return query.apply(this, args); };
  // Message types of Material's worker: 0 set-up, 2 query (1 and 3 are its answers).
  await send({ type: 0, data: { ...data, options: { suggest: false } } });
  const results = [];
  for (const text of [...queries, "x"]) {
    warnings.length = 0;
    const { data: { items } } = await send({ type: 2, data: text });
    results.push({ query: text, warning: warnings.join(" ") || null, sections: items.flat().map((item) => item.location) });
  }
  process.stdout.write(JSON.stringify({
    words: Object.keys(index.invertedIndex),
    lookup: index.tokenSet.toArray(),
    results: results.slice(0, -1),
  }));
})();
