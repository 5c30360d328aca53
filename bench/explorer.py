"""The explorer's speed and weight, measured in headless Chromium against the built site over HTTP.

    .venv/bin/python bench/explorer.py            # build a scratch copy of the project, then measure
    .venv/bin/python bench/explorer.py --site site --runs 25

What it measures, and writes to bench/explorer.md (and prints):

* update time after a settings change (a form field's text set and its `input` event dispatched,
  as a reader's typing does), for a run of 32 steps (the gallery's 4 x 8) and of 100,000 steps: the
  explorer's own record of each update (`lrExplorer.app.timings`: from the start of the update, after
  its typing debounce, to uPlot's draw hook: simulate, redraw, numbers, code, URL), and the time from
  the input event to the first animation frame after the draw. Medians of --runs changes after
  --warmup unmeasured ones, alternating between two values so that every change changes the curve;
* first-visit weight: what a reader's first visit to the explorer adds to a first visit to a
  scheduler page (fresh browser contexts, empty caches), by the definition tests/test_explorer.py
  asserts (scripts/scratch.py `first_visit_extra`, the one definition).

The site is served under a sub-path (/REPO/), as GitHub Pages serves a fork. Goals are reported
beside each number, never asserted: this is a measuring tool, not a test.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import http.server
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from catalog import load_catalog  # noqa: E402  (after the path)
from scratch import CHROMIUM, CHROMIUM_ARGS, FIRST_VISIT_BUDGET, build, copy_project, first_visit_extra  # noqa: E402

RESULTS = ROOT / "bench" / "explorer.md"
SUB_PATH = "REPO"
EXPLORER_PAGE = "explorer/"
KB = 1000

# The runs measured: a query of the explorer, the form field changed, and the two values it takes.
RUNS = {
    "32 steps": (
        "scheduler=OneCycleLR&max_lr=0.001&lr=0.001&momentum=0.9&epochs=4&steps_per_epoch=8&step_every=batch",
        "max_lr",
        ("0.001", "0.002"),
    ),
    "100,000 steps": (
        "scheduler=OneCycleLR&max_lr=0.001&lr=0.001&momentum=0.9&epochs=100&steps_per_epoch=1000&step_every=batch",
        "max_lr",
        ("0.001", "0.002"),
    ),
    "1,000,000 steps": (
        "scheduler=OneCycleLR&max_lr=0.001&lr=0.001&momentum=0.9&epochs=1000&steps_per_epoch=1000&step_every=batch",
        "max_lr",
        ("0.001", "0.002"),
    ),
}
# ms, ms, ms, kB gzipped: 60 KiB, the budget tests/test_explorer.py holds the first visit to.
GOALS = {"32 steps": 16.0, "100,000 steps": 50.0, "1,000,000 steps": 300.0, "weight_kb": FIRST_VISIT_BUDGET / KB}

# One settings change, in the page, as a reader's typing makes it: set a field's text and dispatch
# its `input` event. The explorer (docs/assets/explorer/explorer.js) waits DEBOUNCE_MS for more typing,
# then recomputes, redraws and records in `lrExplorer.app.timings` the time from the start of that
# update to uPlot's draw hook. Resolves with that time, and with the time from the input event to the
# first animation frame after the draw (the frame that shows the new curve, debounce included).
CHANGE = """
async ([name, value]) => {
  const app = window.lrExplorer.app;
  const field = document.querySelector(`.lrx-field[data-param="${name}"] input.lrx-input`);
  if (!field) throw new Error(`no form field for ${name}`);
  const before = app.timings.length;
  const start = performance.now();
  field.value = value;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  const frame = await new Promise((resolve, reject) => {
    // performance.now(), not the frame's timestamp: that is the frame's start, which a long update delays.
    const check = () => {
      if (app.timings.length > before) resolve(performance.now());
      else if (performance.now() - start > 10000) reject(new Error("the chart was not redrawn within 10 s"));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  return { update: app.timings[app.timings.length - 1].ms, inputToFrame: frame - start };
}
"""


# engine.simulate alone, in the page, on the settings the explorer hands it: the share of an update
# that is the computation. The page runs explorer.min.js, bundled from the same engine.js (build.mjs;
# tests/test_explorer.py checks that the bundle is current); this imports the published engine.js.
SIMULATE = """
async ([runs]) => {
  const base = new URL("../assets/explorer/", location.href);
  const engine = await import(new URL("engine.js", base).href);
  const settings = window.lrExplorer.state.engineSettings(window.lrExplorer.app.settings);
  const times = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    engine.simulate(settings);
    times.push(performance.now() - start);
  }
  return times;
}
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path, scratch: Path):
    """The site at http://127.0.0.1:PORT/REPO/, as a fork's GitHub Pages serves it."""
    root = scratch / "served"
    root.mkdir(parents=True, exist_ok=True)
    link = root / SUB_PATH
    if not link.exists():
        link.symlink_to(site.resolve(), target_is_directory=True)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"


def measure_updates(browser, base: str, runs: int, warmup: int) -> dict:
    results = {}
    for label, (query, field, values) in RUNS.items():
        context = browser.new_context()
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        page.goto(f"{base}{EXPLORER_PAGE}?{query}", wait_until="networkidle")
        page.wait_for_function("window.lrExplorer && document.querySelector('[data-ready=true]')")
        updates, frames = [], []
        for index in range(warmup + runs):
            measured = page.evaluate(CHANGE, [field, values[(index + 1) % 2]])
            if index >= warmup:
                updates.append(measured["update"])
                frames.append(measured["inputToFrame"])
        steps = page.evaluate("window.lrExplorer.app.result.lr.length")
        simulate = page.evaluate(SIMULATE, [runs])
        context.close()
        results[label] = {
            "steps": steps,
            "runs": len(updates),
            "update_ms": summary(updates),
            "input_to_frame_ms": summary(frames),
            "simulate_ms": summary(simulate),
            "page_errors": errors,
        }
    return results


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure_weight(browser, base: str, site: Path) -> dict:
    """What tests/test_explorer.py asserts, by the same function (scratch.first_visit_extra), over
    the same page: the catalog's first example."""
    over = load_catalog().examples[0].page_url("en")
    return {"over": over, **first_visit_extra(browser, base, site, EXPLORER_PAGE, over)}


def debounce_ms() -> str:
    source = (ROOT / "docs" / "assets" / "explorer" / "explorer.js").read_text(encoding="utf-8")
    match = re.search(r"DEBOUNCE_MS = (\d+)", source)
    return match[1] if match else "?"


def machine() -> dict:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "python": platform.python_version(),
        "chromium": chromium,
        "cpus": os.cpu_count(),
        "load": os.getloadavg()[0],  # other processes' share of the CPUs: it inflates every time below
    }


def ratio(value: float | None, goal: float) -> str:
    if value is None:
        return "not measured"
    return f"{value / goal:.2f} of the goal ({'met' if value <= goal else 'missed'})"


def report(results: dict) -> str:
    lines = [
        "# The explorer: update time and first-visit weight",
        "",
        f"Measured {results['date']} by `bench/explorer.py` (headless {results['machine']['chromium']}, "
        f"{results['machine']['cpus']} CPUs shared with other work, Python {results['machine']['python']}), "
        f"against the built site served over HTTP under `/{SUB_PATH}/`. Load average (1 min) when the timings "
        f"started: {results['load_before']:.1f}, when they ended: {results['machine']['load']:.1f}; on a busy "
        "machine every time below is inflated, so compare runs made at a similar load.",
        "",
        "## Recompute and redraw after a settings change",
        "",
        f"Medians of {results['runs']} changes of OneCycleLR's `max_lr` field (after {results['warmup']} unmeasured), "
        "typed as a reader types: the field's text set and its `input` event dispatched.",
        "",
        "- **Update**: from the start of the explorer's update (after its debounce) to uPlot's draw hook, as the",
        "  explorer records it (`lrExplorer.app.timings`): simulate, redraw both charts, numbers, code, URL.",
        "- **Input to frame**: from the `input` event to the first animation frame after the draw, the frame that",
        f"  shows the new curve: the update plus the explorer's {results['debounce_ms']} ms debounce and the wait for a frame.",
        "- **Of which simulate**: `engine.simulate` alone on the same settings, called in the page",
        "  (median of as many calls).",
        "",
        "| Run | Steps | Update: median (min-max), ms | Goal (ms) | Ratio | Of which simulate, ms | Input to frame, ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, value in results["updates"].items():
        update, frame = value["update_ms"], value["input_to_frame_ms"]
        lines.append(
            f"| {label} | {value['steps']:,} | {update['median']:.1f} ({update['min']:.1f}-{update['max']:.1f}) | "
            f"{GOALS[label]:.0f} | {ratio(update['median'], GOALS[label])} | {value['simulate_ms']['median']:.1f} | "
            f"{frame['median']:.1f} |"
        )
        if value["page_errors"]:
            lines.append(f"|  | page errors: {value['page_errors']} | | | | | |")
    weight = results["weight"]
    extra_kb = weight["total"] / KB
    page_html, over_html, html_extra = weight["html"]
    lines += [
        "",
        "## First-visit weight over a scheduler page",
        "",
        f"A first visit to `/{EXPLORER_PAGE}` adds **{extra_kb:.1f} kB gzipped** over a first visit to "
        f"`/{weight['over']}`: goal {GOALS['weight_kb']:.1f} kB (60 KiB), {ratio(extra_kb, GOALS['weight_kb'])}. "
        "The same definition as tests/test_explorer.py (scripts/scratch.py `first_visit_extra`): each "
        "resource the explorer fetches that the scheduler page does not, gzipped at level 9 from the built "
        "files, plus what the explorer's HTML adds over the scheduler page's, which it replaces "
        f"({page_html / KB:.1f} - {over_html / KB:.1f} = {html_extra / KB:.1f} kB).",
        "",
        "| Extra resource | kB gzipped | kB |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{path}` | {gzipped / KB:.1f} | {size / KB:.1f} |"
        for path, (size, gzipped) in sorted(weight["resources"].items(), key=lambda item: -item[1][1])
    ]
    lines += ["", "Rerun: `.venv/bin/python bench/explorer.py` (see `--help`).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="Writes bench/explorer.md.")
    parser.add_argument(
        "--site", type=Path, help="a built site to measure (default: build a scratch copy of the project)"
    )
    parser.add_argument(
        "--runs", type=int, default=25, help="measured settings changes per run length (default 25, at least 15)"
    )
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured changes first (default 5)")
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help=f"the report (default {RESULTS.relative_to(ROOT)})"
    )
    args = parser.parse_args(argv)
    if args.runs < 15:
        parser.error("--runs must be at least 15: a median of fewer says little on a shared machine")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="explorer-bench-") as scratch:
        scratch = Path(scratch)
        site = args.site
        if site is None:
            print("building a scratch copy of the project ...", flush=True)
            project = copy_project(scratch / "project")
            built = build(project)
            if built.returncode != 0:
                sys.exit(f"the site does not build:\n{built.stderr[-3000:]}")
            site = project / "site"
        server, base = serve(site, scratch)
        load_before = os.getloadavg()[0]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                updates = measure_updates(browser, base, args.runs, args.warmup)
                weight = measure_weight(browser, base, site)
                browser.close()
        finally:
            server.shutdown()
    results = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "load_before": load_before,
        "runs": args.runs,
        "warmup": args.warmup,
        "debounce_ms": debounce_ms(),
        "updates": updates,
        "weight": weight,
    }
    text = report(results)
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
