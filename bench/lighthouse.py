"""Lighthouse 12 scores of the built site: the home page, one example page and the explorer, in both languages.

    .venv/bin/python bench/lighthouse.py [--site DIR] [--page Explorer] [--runs 3] [--keep DIR]

Builds the site in a scratch copy of the project (or takes an already built --site DIR), serves it
on 127.0.0.1, runs Lighthouse from npm (installed on first use into .lighthouse/, git-ignored) with
Debian's Chromium, and writes the four category scores to bench/lighthouse.md, with the audits that
hold any score below 0.95. Lighthouse's default is used: a mid-range phone on a throttled network
(simulated), the stricter of its two presets.

Simulated throttling scales the CPU time Lighthouse observes, so a busy machine lowers the
performance score: --runs N runs every page N times, the pages interleaved (a burst of load then
weighs on all of them alike), and reports each page's median run (by performance score). --page
keeps the pages whose name contains it (repeatable; the table then goes to stdout only, leaving
bench/lighthouse.md as the full run wrote it); --keep DIR keeps the JSON reports, whose audits name
the long tasks, the LCP element and the layout shifts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # scripts/scratch.py: shared with the tests and bench/run.py

from scratch import CHROMIUM, build, copy_project, static_server  # noqa: E402
LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE_DIR = ROOT / ".lighthouse"  # npm's node_modules for Lighthouse; not part of the project
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "Home (en)": "",
    "Home (zh)": "zh/",
    "StepLR (en)": "schedulers/steplr/",
    "StepLR (zh)": "zh/schedulers/steplr/",
    # The explorer builds itself in the browser: its layout shift and blocking time are what to watch.
    "Explorer (en)": "explorer/",
    "Explorer (zh)": "zh/explorer/",
}
GOOD = 0.95
OUTPUT = ROOT / "bench" / "lighthouse.md"


def install_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    command = ["npm", "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"]
    subprocess.run(command, check=True)


def build_site(scratch: Path) -> Path:
    """`mkdocs build --strict` of a clean copy of the project (never inside the work tree)."""
    project = copy_project(scratch / "project")
    site = scratch / "site"
    result = build(project, site)
    if result.returncode != 0:
        sys.exit(f"the site does not build:\n{result.stdout}\n{result.stderr}")
    return site


def run_lighthouse(url: str, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    return json.loads(report.read_text())


def holding_back(result: dict, category: str) -> list[str]:
    """The audits of a category that lose it points, heaviest first, as readable lines."""
    audits = result["audits"]
    lines = []
    refs = sorted(result["categories"][category]["auditRefs"], key=lambda ref: -ref["weight"])
    for ref in refs:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            lines.append(f"{audit['title']}{value}: score {audit['score']:.2f}, weight {ref['weight']}")
    if category == "performance":
        # The metrics say how slow; these audits say why: each estimates what fixing it would save.
        for audit in audits.values():
            savings = {metric: ms for metric, ms in (audit.get("metricSavings") or {}).items() if ms}
            if savings and audit["score"] is not None and audit["score"] < 0.9:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                saved = ", ".join(f"{metric} {ms:.0f} ms" for metric, ms in savings.items())
                lines.append(f"why: {audit['title']}{value}; estimated savings {saved}")
    return lines


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score (the lower middle one of an even count)."""
    ordered = sorted(runs, key=lambda result: result["categories"]["performance"]["score"])
    return ordered[(len(ordered) - 1) // 2]


def metrics_line(name: str, runs: list[dict]) -> str:
    """Each run's performance and its two heaviest metrics: how far apart the runs are."""
    cells = []
    for result in runs:
        audits = result["audits"]
        tbt, lcp = audits["total-blocking-time"]["numericValue"], audits["largest-contentful-paint"]["numericValue"]
        cells.append(f"{result['categories']['performance']['score']:.2f} (TBT {tbt:.0f} ms, LCP {lcp / 1000:.1f} s, CLS {audits['cumulative-layout-shift']['numericValue']:.3f})")
    return f"- {name}: " + "; ".join(cells) + f"; median TBT {statistics.median(r['audits']['total-blocking-time']['numericValue'] for r in runs):.0f} ms"


def markdown(results: dict[str, dict], runs: dict[str, list[dict]] | None = None) -> str:
    first = next(iter(results.values()))
    header = ["Page", *[first["categories"][category]["title"] for category in CATEGORIES]]
    lines = [
        "# Lighthouse scores",
        "",
        f"Lighthouse {LIGHTHOUSE_VERSION} (default: phone, simulated throttling) with Debian's Chromium, "
        "on the site built locally and served from 127.0.0.1, gzip-compressed as GitHub Pages serves it. "
        f"Made by `bench/lighthouse.py`; load average {' / '.join(f'{load:.1f}' for load in os.getloadavg())} (1 / 5 / 15 min) when it finished.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for name, result in results.items():
        scores = [result["categories"][category]["score"] for category in CATEGORIES]
        lines.append(f"| {name} | " + " | ".join(f"{score:.2f}" for score in scores) + " |")
    if runs and any(len(each) > 1 for each in runs.values()):
        lines += ["", f"Each page ran {len(next(iter(runs.values())))} times, interleaved; the table gives the median run. Every run:", ""]
        lines += [metrics_line(name, each) for name, each in runs.items()]
    lines += ["", f"## What holds a score below {GOOD}", ""]
    found = False
    for name, result in results.items():
        for category in CATEGORIES:
            score = result["categories"][category]["score"]
            if score < GOOD:
                found = True
                lines.append(f"- **{name}, {category} {score:.2f}**")
                lines += [f"  - {line}" for line in holding_back(result, category)]
    if not found:
        lines.append(f"Nothing: every score is {GOOD} or more.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site/ (default: build one in a scratch copy)")
    parser.add_argument("--page", action="append", help="only the pages whose name contains this (repeatable), e.g. Explorer or (zh)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page, interleaved; the median run is reported")
    parser.add_argument("--keep", type=Path, help="a folder to keep every JSON report in")
    args = parser.parse_args()
    pages = {name: path for name, path in PAGES.items() if not args.page or any(part in name for part in args.page)}
    if not pages:
        sys.exit(f"no page matches {args.page}: the pages are {', '.join(PAGES)}")
    install_lighthouse()
    runs: dict[str, list[dict]] = {name: [] for name in pages}
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch:
        site = args.site or build_site(Path(scratch))
        # Text gzipped as GitHub Pages sends it: Lighthouse would otherwise blame the page for the
        # server ("Enable text compression").
        with static_server(site, compress=True) as root:
            for attempt in range(args.runs):
                for i, (name, path) in enumerate(pages.items()):
                    report = Path(scratch) / f"report-{i}-{attempt}.json"
                    runs[name].append(run_lighthouse(root + path, report))
                    if args.keep:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        shutil.copy(report, args.keep / f"{path.strip('/').replace('/', '-') or 'home'}-{attempt}.json")
    text = markdown({name: median_run(each) for name, each in runs.items()}, runs)
    if pages == PAGES:
        OUTPUT.parent.mkdir(exist_ok=True)
        OUTPUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
