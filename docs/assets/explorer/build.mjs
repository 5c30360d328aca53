// Builds what the explorer page loads: explorer.js with the modules it imports (engine.js, state.js,
// python.js, strings.js), bundled and minified by esbuild, once per language (explorer.min.js for
// English, explorer.zh.min.js for Chinese: each carries only its own language's strings), and
// explorer.css minified as explorer.min.css. That keeps the first visit within its budget
// (tests/test_explorer.py: <= 60 KiB gzipped with uPlot and the page itself).
// The sources stay the modules node and the tests import; each built file's first line records
// their hash, and tests/test_explorer.py fails when a source changed after the last build.
//
//   node docs/assets/explorer/build.mjs            (runs esbuild 0.24.2 through npx; ESBUILD=path to use another)
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const SOURCES = ["engine.js", "explorer.js", "python.js", "state.js", "strings.js", "explorer.css", "../vendor/uplot/uPlot.min.css"];
export const ESBUILD_VERSION = "0.24.2";
export const BUNDLES = { en: "explorer.min.js", zh: "explorer.zh.min.js" };
export const STYLESHEET = "explorer.min.css";
const here = dirname(fileURLToPath(import.meta.url));

export function sourcesHash() {
  const hash = createHash("sha256");
  for (const name of SOURCES) hash.update(`${name}\0${readFileSync(join(here, name), "utf8")}\0`);
  return hash.digest("hex");
}

/** strings.js with one language's table: both keys point at it, so text() and helpText() work as
 * they are and the other language's strings stay out of the bundle. */
async function stringsFor(language) {
  const source = readFileSync(join(here, "strings.js"), "utf8");
  const { STRINGS } = await import(pathToFileURL(join(here, "strings.js")).href);
  const start = source.indexOf("export const STRINGS = {");
  const end = source.indexOf("\n};\n", start);
  if (start < 0 || end < 0) throw new Error("strings.js: `export const STRINGS = {` ... `};` not found");
  const table = `const ONE = ${JSON.stringify(STRINGS[language])};\nexport const STRINGS = { en: ONE, zh: ONE };\n`;
  return source.slice(0, start) + table + source.slice(end + 4);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, prefix] = process.env.ESBUILD ? [process.env.ESBUILD, []] : ["npx", ["--yes", `esbuild@${ESBUILD_VERSION}`]];
  const hash = sourcesHash();
  const scratch = mkdtempSync(join(tmpdir(), "explorer-build-"));
  try {
    for (const [language, outfile] of Object.entries(BUNDLES)) {
      const banner = `/* ${outfile}: built by build.mjs (esbuild ${ESBUILD_VERSION}) from ${SOURCES.join(", ")}, ${language} strings; sources sha256 ${hash} */`;
      for (const name of SOURCES) if (name.endsWith(".js")) copyFileSync(join(here, name), join(scratch, name));
      writeFileSync(join(scratch, "strings.js"), await stringsFor(language));
      const args = ["explorer.js", "--bundle", "--minify", "--format=esm", "--target=es2020", "--legal-comments=none", `--banner:js=${banner}`, `--outfile=${join(here, outfile)}`];
      execFileSync(command, [...prefix, ...args], { cwd: scratch, stdio: "inherit" });
    }
    // uPlot's own stylesheet first (vendored, MIT), then the page's: one request, one gzip stream.
    const banner = `/* ${STYLESHEET}: built by build.mjs from ../vendor/uplot/uPlot.min.css and explorer.css; sources sha256 ${hash} */`;
    // The page hides uPlot's legend and title (legend: {show: false}, no title): their rules go.
    const uplotCss = readFileSync(join(here, "..", "vendor", "uplot", "uPlot.min.css"), "utf8")
      .split("}")
      .filter((rule) => !/\.u-(legend|inline|series|title)\b/.test(rule.split("{")[0]))
      .join("}");
    writeFileSync(join(scratch, "all.css"), `${uplotCss}\n${readFileSync(join(here, "explorer.css"), "utf8")}`);
    execFileSync(command, [...prefix, "all.css", "--minify", `--banner:css=${banner}`, `--outfile=${join(here, STYLESHEET)}`], { cwd: scratch, stdio: "inherit" });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
