"""The site's performance benchmark, `make bench` (or `.venv/bin/python bench/run.py --runs 5`).

Everything runs in one invocation, against a scratch copy of the project (never in the work tree,
where others build), and is written to bench/results.md and bench/results.json. The parts, in order:

* builds.py     cold build, no-change rebuild, and the two floors of floor.py, run by run;
* weight.py     the bytes of a first visit in headless Chromium, and the size of site/ and its figures;
* explorer.py   the explorer's recompute-and-redraw times and first-visit weight (its own report,
                bench/explorer.md; it also runs alone: `.venv/bin/python bench/explorer.py --help`);
* serve.py      time from saving a gallery script (or a page) under `mkdocs serve` to the served page
                showing it, and a py-spy profile of each kind of rebuild;
* profiling.py  py-spy profiles of a cold build and a no-change rebuild, by place and by package;
* report.py     bench/results.md from all of it.

A new part is a module plus a `measure_<part>(project, scratch, args, results)` step here, added to
PARTS; report.py gets its section.
Each timing is a whole process (or, for serve, write-to-visible) median over --runs runs. Goals are
reported next to each number, never asserted: this is a measuring tool, not a test.
Other measuring tools here: lighthouse.py (Lighthouse scores, bench/lighthouse.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import builds
import profiling
import report
import serve
import weight
from common import BIN, RESULTS_DIR, copy_project, log, machine
from scratch import PROJECT_FILES


def measure_builds(project, scratch, args, results):
    log(f"{args.runs} runs of: cold build, no-change rebuild, plain floor, figure floor")
    results["builds"] = builds.measure_builds(project, args.runs, scratch)


def measure_weight(project, scratch, args, results):
    log("page weight in headless Chromium")
    results["weight"] = weight.measure_weight(project / "site")
    results["site"] = weight.measure_site(project / "site")


def measure_explorer(project, scratch, args, results):
    """The explorer's own report (bench/explorer.md): recompute and redraw, first-visit weight."""
    log("the explorer in headless Chromium")
    # Loaded by path: scripts/explorer.py (the build's) has the same module name.
    spec = importlib.util.spec_from_file_location("explorer_bench", Path(__file__).with_name("explorer.py"))
    explorer_bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(explorer_bench)
    explorer_bench.main(["--site", str(project / "site")])


def measure_serve(project, scratch, args, results):
    results["serve"] = serve.measure_serve(project, args.runs, args.serve_timeout, scratch)


def measure_profile(project, scratch, args, results):
    log("profiling a cold build and a no-change rebuild")
    results["profile"] = profiling.measure_profile(project, scratch, results["builds"])


# In order: weight and the explorer read the site the builds left; the profiles need the builds' medians.
PARTS = [measure_builds, measure_weight, measure_explorer, measure_serve, measure_profile]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per timing (default 3)")
    parser.add_argument("--serve-timeout", type=float, default=30.0, help="seconds to wait for an edit to show (default 30)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="where results.md and results.json go (default bench/)")
    parser.add_argument(
        "--parts", default=",".join(part.__name__.removeprefix("measure_") for part in PARTS),
        help="which parts to run, in their order (default all; results.md needs all)",
    )
    parser.add_argument(
        "--source", type=Path, default=None,
        help="measure another checkout of the project (e.g. `git archive` of an older commit) instead of this one",
    )
    args = parser.parse_args()
    chosen = [part for part in PARTS if part.__name__.removeprefix("measure_") in args.parts.split(",")]
    if not (BIN / "mkdocs").exists():
        sys.exit(f"bench: {BIN / 'mkdocs'} not found: run with the project's venv (make bench)")

    # Other work on the machine slows every number down: the load average says how busy it was.
    results = {"runs": args.runs, "machine": machine(), "load_average": {"start": os.getloadavg()}}
    with tempfile.TemporaryDirectory(prefix="lr-bench-") as scratch_name:
        scratch = Path(scratch_name)
        project = copy_project(scratch / "project") if args.source is None else copy_source(args.source, scratch / "project")
        log(f"project copied to {project}")
        for part in chosen:
            part(project, scratch, args, results)
            results["load_average"][part.__name__.removeprefix("measure_")] = os.getloadavg()

    results["load_average"]["end"] = os.getloadavg()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if chosen == PARTS:
        (args.out / "results.md").write_text(report.report(results), encoding="utf-8")
    log(f"wrote {args.out / 'results.json'}" + (f" and {args.out / 'results.md'}" if chosen == PARTS else ""))


def copy_source(source: Path, target: Path) -> Path:
    """copy_project's copy (the files a build reads, no gallery output), from another checkout."""
    for name in PROJECT_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("generated", "__pycache__"))
        elif (source / name).is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, target / name)
    # The bench reads the Makefile's serve recipe from this checkout; the project copy is the other one's.
    return target


if __name__ == "__main__":
    main()
