// Builds explorer.min.js, the one file the explorer page loads: explorer.js with the modules it
// imports (engine.js, state.js, python.js, strings.js), bundled and minified by esbuild, which keeps
// the first visit within its budget (tests/test_explorer.py: <= 60 KB gzipped with uPlot).
// The sources stay the modules node and the tests import; the bundle's first line records their
// hash, and tests/test_explorer.py fails when a source changed after the last build.
//
//   node docs/assets/explorer/build.mjs            (runs esbuild 0.24.2 through npx; ESBUILD=path to use another)
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const SOURCES = ["engine.js", "explorer.js", "parse.js", "paste.js", "python.js", "state.js", "strings.js", "strings-code.js"];
export const ESBUILD_VERSION = "0.24.2";
const here = dirname(fileURLToPath(import.meta.url));

export function sourcesHash() {
  const hash = createHash("sha256");
  for (const name of SOURCES) hash.update(`${name}\0${readFileSync(join(here, name), "utf8")}\0`);
  return hash.digest("hex");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const banner = `/* explorer.min.js: built by build.mjs (esbuild ${ESBUILD_VERSION}) from ${SOURCES.join(", ")}; sources sha256 ${sourcesHash()} */`;
  // Split: paste.js and parse.js (the paste box, `?code=`) are a chunk of their own, fetched when
  // first used (they import nothing the page holds). Fixed names, so a rebuild replaces the files it wrote.
  const args = ["explorer.js", "--bundle", "--splitting", "--minify", "--format=esm", "--target=es2020", "--legal-comments=none", `--banner:js=${banner}`, "--outdir=.", "--entry-names=[name].min", "--chunk-names=lrx-[name].min"];
  const [command, prefix] = process.env.ESBUILD ? [process.env.ESBUILD, []] : ["npx", ["--yes", `esbuild@${ESBUILD_VERSION}`]];
  execFileSync(command, [...prefix, ...args], { cwd: here, stdio: "inherit" });
}
