// The facts the build writes into the explorer's page, each read from its one source by
// scripts/explorer.py (page_spec): today the Python of the classes a gallery script defines itself
// (WarmupCosineLR, from gallery/plot_custom_warmup_cosine.py), which the page's program prints as the
// gallery page shows it. No DOM needed: node (the tests) hands the same JSON over with useSpec.

let spec = null;

/** Use `value` (scripts/explorer.py page_spec(), as JSON) instead of the page's. */
export function useSpec(value) {
  spec = value;
}

/** The page's spec: the JSON in <script type="application/json" id="lr-explorer-spec">. */
export function pageSpec() {
  if (spec === null) {
    const element = globalThis.document && document.getElementById("lr-explorer-spec");
    if (!element) throw new Error("the explorer's page has no #lr-explorer-spec ({{ explorerspec }} in docs/explorer.md)");
    spec = JSON.parse(element.textContent);
  }
  return spec;
}
