// The explorer's specification, written by the build (scripts/explorer_spec.py, which documents it):
// torch's classes with their parameters and defaults (inspect.signature of the pinned torch), the
// gallery's own class, the named lambdas and metric curves with their Python source, read from the
// gallery scripts that show them. engine.js joins it with the arithmetic (its ports and JS twins).
//
// Read once, when the modules load: on the page, from <script type="application/json"
// id="lr-explorer-spec"> ({{ explorerspec }} in docs/explorer.md, placed before the page's modules,
// which run after the document is parsed); in node (the tests), from the environment variable
// LR_EXPLORER_SPEC, which they fill from the same Python function.

function read() {
  const element = globalThis.document && document.getElementById("lr-explorer-spec");
  if (element) return JSON.parse(element.textContent);
  const variable = globalThis.process && globalThis.process.env && globalThis.process.env.LR_EXPLORER_SPEC;
  if (variable) return JSON.parse(variable);
  throw new Error(
    "the explorer has no spec: a page needs #lr-explorer-spec ({{ explorerspec }} in docs/explorer.md); " +
      "node needs LR_EXPLORER_SPEC (scripts/explorer_spec.py node_environment())",
  );
}

export const SPEC = read();
