// Builds what the explorer page loads: explorer.js with the modules it imports (engine.js, state.js,
// python.js, strings.js), bundled and minified by esbuild, once per language (explorer.min.js for
// English, explorer.zh.min.js for Chinese: each carries only its own language's strings), and
// explorer.css minified as explorer.min.css. The paste box (paste.js with parse.js and
// strings-code.js, both languages) is split off as lrx-paste.min.js, which either bundle fetches the
// first time it is used. That keeps the first visit within its budget (tests/test_explorer.py:
// <= 60 KiB gzipped with uPlot and the page itself).
// The sources stay the modules node and the tests import; each built file's first line records
// their hash, and tests/test_explorer.py fails when a source changed after the last build.
//
//   node docs/assets/explorer/build.mjs            (runs esbuild 0.24.2 through npx; ESBUILD=path to use another)
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const SOURCES = ["engine.js", "explorer.js", "parse.js", "paste.js", "python.js", "spec.js", "state.js", "strings.js", "strings-code.js", "explorer.css", "../vendor/uplot/uPlot.min.css"];
export const ESBUILD_VERSION = "0.24.2";
export const BUNDLES = { en: "explorer.min.js", zh: "explorer.zh.min.js" };
export const STYLESHEET = "explorer.min.css";
// The chunks the bundles load later: fixed names (no hash), so a rebuild replaces what it wrote.
export const CHUNK = /^lrx-.*\.min\.js$/;
const here = dirname(fileURLToPath(import.meta.url));

/** The sources' sha256, its first 16 hex digits: enough to tell a stale build, and the first visit's
 * budget counts every byte of the banners that carry it. */
export function sourcesHash() {
  const hash = createHash("sha256");
  for (const name of SOURCES) hash.update(`${name}\0${readFileSync(join(here, name), "utf8")}\0`);
  return hash.digest("hex").slice(0, 16);
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
  // Short: the first visit's budget counts it (SOURCES lists what the hash covers).
  const banner = (name, what) => `/* ${name}: build.mjs, esbuild ${ESBUILD_VERSION}, ${what}; sources sha256 ${hash} */\n`;
  const scratch = mkdtempSync(join(tmpdir(), "explorer-build-"));
  try {
    const chunks = new Map(); // name -> text, the same for every language (checked)
    for (const [language, outfile] of Object.entries(BUNDLES)) {
      for (const name of SOURCES) if (name.endsWith(".js")) copyFileSync(join(here, name), join(scratch, name));
      writeFileSync(join(scratch, "strings.js"), await stringsFor(language));
      const out = join(scratch, `out-${language}`);
      const args = ["explorer.js", "--bundle", "--splitting", "--minify", "--format=esm", "--target=es2020", "--legal-comments=none", `--outdir=${out}`, "--entry-names=[name].min", "--chunk-names=lrx-[name].min"];
      execFileSync(command, [...prefix, ...args], { cwd: scratch, stdio: "inherit" });
      for (const name of readdirSync(out)) {
        const body = readFileSync(join(out, name), "utf8");
        if (name === "explorer.min.js") {
          writeFileSync(join(here, outfile), banner(outfile, `${language} strings`) + body);
        } else if (CHUNK.test(name)) {
          // One file serves both bundles: a chunk that took one language's strings would not.
          if (chunks.has(name) && chunks.get(name) !== body) throw new Error(`${name} differs between languages: keep strings.js out of what the page loads later`);
          chunks.set(name, body);
        } else {
          throw new Error(`esbuild wrote ${name}, which build.mjs does not expect`);
        }
      }
    }
    for (const name of readdirSync(here)) if (CHUNK.test(name) && !chunks.has(name)) rmSync(join(here, name));
    for (const [name, body] of chunks) writeFileSync(join(here, name), banner(name, "loaded when first used") + body);
    // uPlot's own stylesheet first (vendored, MIT), then the page's: one request, one gzip stream.
    // The page hides uPlot's legend and title (legend: {show: false}, no title): their rules go, and
    // with them the font of their text (the axes are drawn on the canvas, in the axes' own font).
    const uplotCss = readFileSync(join(here, "..", "vendor", "uplot", "uPlot.min.css"), "utf8")
      .split("}")
      .filter((rule) => !/\.u-(legend|inline|series|title)\b/.test(rule.split("{")[0]))
      .join("}")
      .replace(/(\.uplot \{)font-family:[^;}]*;/, "$1");
    writeFileSync(join(scratch, "all.css"), `${uplotCss}\n${readFileSync(join(here, "explorer.css"), "utf8")}`);
    const cssBanner = `/* ${STYLESHEET}: build.mjs, uPlot.min.css + explorer.css; sources sha256 ${hash} */`;
    execFileSync(command, [...prefix, "all.css", "--minify", `--banner:css=${cssBanner}`, `--outfile=${join(here, STYLESHEET)}`], { cwd: scratch, stdio: "inherit" });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
