"""The site's performance benchmark, `make bench` (or `.venv/bin/python bench/run.py --runs 5`).

Everything runs in one invocation, against a scratch copy of the project (never in the work tree,
where others build), and is written to bench/results.md and bench/results.json. The parts, in order:

* builds.py     cold build, no-change rebuild, and the two floors of floor.py, run by run;
* weight.py     the bytes of a first visit in headless Chromium, and the size of site/ and its figures;
* serve.py      time from saving a gallery script (or a page) under `mkdocs serve` to the served page
                showing it, and a py-spy profile of each kind of rebuild;
* profiling.py  py-spy profiles of a cold build and a no-change rebuild, by place and by package;
* report.py     bench/results.md from all of it.

A new part (bench/explorer.py, say) is a module plus a `measure_<part>(project, scratch, args, results)`
step here, added to PARTS; report.py gets its section.
Each timing is a whole process (or, for serve, write-to-visible) median over --runs runs. Goals are
reported next to each number, never asserted: this is a measuring tool, not a test.
Other measuring tools here: lighthouse.py (Lighthouse scores, bench/lighthouse.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import builds
import profiling
import report
import serve
import weight
from common import BIN, RESULTS_DIR, copy_project, log, machine


def measure_builds(project, scratch, args, results):
    log(f"{args.runs} runs of: cold build, no-change rebuild, plain floor, figure floor")
    results["builds"] = builds.measure_builds(project, args.runs, scratch)


def measure_weight(project, scratch, args, results):
    log("page weight in headless Chromium")
    results["weight"] = weight.measure_weight(project / "site")
    results["site"] = weight.measure_site(project / "site")


def measure_serve(project, scratch, args, results):
    results["serve"] = serve.measure_serve(project, args.runs, args.serve_timeout, scratch)


def measure_profile(project, scratch, args, results):
    log("profiling a cold build and a no-change rebuild")
    results["profile"] = profiling.measure_profile(project, scratch, results["builds"])


# In order: weight reads the site the builds left; the profiles need the builds' medians.
PARTS = [measure_builds, measure_weight, measure_serve, measure_profile]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per timing (default 3)")
    parser.add_argument("--serve-timeout", type=float, default=30.0, help="seconds to wait for an edit to show (default 30)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="where results.md and results.json go (default bench/)")
    args = parser.parse_args()
    if not (BIN / "mkdocs").exists():
        sys.exit(f"bench: {BIN / 'mkdocs'} not found: run with the project's venv (make bench)")

    # Other work on the machine slows every number down: the load average says how busy it was.
    results = {"runs": args.runs, "machine": machine(), "load_average": {"start": os.getloadavg()}}
    with tempfile.TemporaryDirectory(prefix="lr-bench-") as scratch_name:
        scratch = Path(scratch_name)
        project = copy_project(scratch / "project")
        log(f"project copied to {project}")
        for part in PARTS:
            part(project, scratch, args, results)
            results["load_average"][part.__name__.removeprefix("measure_")] = os.getloadavg()

    results["load_average"]["end"] = os.getloadavg()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(report.report(results), encoding="utf-8")
    log(f"wrote {args.out / 'results.md'} and {args.out / 'results.json'}")


if __name__ == "__main__":
    main()
