"""The site's benchmark, `make bench` (or `.venv/bin/python bench/run.py`; see --help).

It measures what README "Speed and size" sets goals for, against a scratch copy of the project (never
in the work tree, where others build), and writes bench/results.md and bench/results.json, stamped
with the commit measured, the machine, the load average before and after every part, and the site's
page and script counts. The parts, in order:

* builds.py     cold build, no-change rebuild, and the two floors of floor.py, run by run;
* weight.py     the bytes of a first visit in headless Chromium, and the size of site/ and its figures;
* explorer.py   the explorer's recompute-and-redraw times and first-visit weight (its own report,
                bench/explorer.md; it also runs alone: `.venv/bin/python bench/explorer.py --help`);
* serve.py      time from saving a gallery script (or a page) under `mkdocs serve` to the served page
                showing it;
* measure_suite (here) wall time of `make test` and `make check`, as the Makefile runs them, in the
                checkout measured (the suite makes its own scratch copies);
* profiling.py  only with --profile: py-spy profiles of a cold build and a no-change rebuild.

report.py writes results.md. Timings are medians of whole processes (serve: write to visible) over
--runs runs (--suite-runs for the test suite, whose runs are long). Goals are reported next to each
number, never asserted: this is a measuring tool, not a test. `--quick` proves the harness works in a
few minutes (one run of each part, the suite limited to one file) and writes elsewhere than bench/.
Other measuring tools here: lighthouse.py (Lighthouse scores, bench/lighthouse.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

import builds
import profiling
import report
import serve
import weight
from common import BIN, GOALS, RESULTS_DIR, ROOT, commit, copy_project, log, machine, make_recipe, run_timed, site_counts, stats
from scratch import PROJECT_FILES

QUICK_SUITE = ["tests/test_twins.py"]  # --quick: the suite's commands on one file that needs no build


def measure_builds(project, scratch, args, results):
    log(f"{args.runs} run(s) of: cold build, no-change rebuild, plain floor, figure floor")
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
    quick = ["--runs", "15", "--warmup", "1", "--output", str(args.out / "explorer.md")] if args.quick else []
    explorer_bench.main(["--site", str(project / "site"), *quick])


def measure_serve(project, scratch, args, results):
    results["serve"] = serve.measure_serve(project, args.runs, args.serve_timeout)


def measure_suite(project, scratch, args, results):
    """`make test` and `make check`, --suite-runs times each, alternating so that a change in the
    machine's load falls on both. The goals hold at a load below 2: the load before each run is kept."""
    log(f"{args.suite_runs} run(s) each of make test and make check in {args.source}")
    extra = QUICK_SUITE if args.quick else []
    results["suite"] = {}
    for target in ("test", "check"):
        command = [sys.executable, "-m", "pytest", *make_recipe(target, "-m pytest", args.source / "Makefile"), *extra]
        results["suite"][target] = {"command": shlex.join(["python", *command[1:]]), "argv": command, "seconds": [], "load_before": []}
    for run in range(1, args.suite_runs + 1):
        for target, result in results["suite"].items():
            load = os.getloadavg()[0]
            result["seconds"].append(run_timed(result["argv"], args.source, f"make {target}"))
            result["load_before"].append(round(load, 2))
            log(f"run {run}/{args.suite_runs}: make {target} {result['seconds'][-1]:.0f} s (load before {load:.2f})")
    for target, result in results["suite"].items():
        del result["argv"]
        result.update(stats(result["seconds"]), goal_s=GOALS[f"make_{target}_s"])


def measure_profile(project, scratch, args, results):
    log("profiling a cold build and a no-change rebuild")
    results["profile"] = profiling.measure_profile(project, scratch, results["builds"])


# In order: weight and the explorer read the site the builds left; the profiles need the builds' medians.
PARTS = [measure_builds, measure_weight, measure_explorer, measure_serve, measure_suite, measure_profile]
OPTIONAL = {"profile"}  # run only when asked for (--profile)


def name_of(part) -> str:
    return part.__name__.removeprefix("measure_")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per build and serve timing (default 3)")
    parser.add_argument("--suite-runs", type=int, default=1, help="runs of make test and of make check (default 1)")
    parser.add_argument("--profile", action="store_true", help="also profile a cold build and a no-change rebuild with py-spy")
    parser.add_argument("--quick", action="store_true", help="prove the harness works: one run of each part, the suite on one file")
    parser.add_argument("--serve-timeout", type=float, default=30.0, help="seconds to wait for an edit to show (default 30)")
    parser.add_argument("--out", type=Path, help="where results.md and results.json go (default bench/; with --quick a scratch folder)")
    parser.add_argument("--parts", default=",".join(name_of(p) for p in PARTS if name_of(p) not in OPTIONAL), help="which parts to run (default all)")
    parser.add_argument("--source", type=Path, default=ROOT, help="measure another checkout of the project (e.g. `git worktree add` of an older commit)")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.suite_runs = 1, 1
    args.out = args.out or (Path(tempfile.gettempdir()) / "lr-bench-quick" if args.quick else RESULTS_DIR)
    wanted = set(args.parts.split(",")) | ({"profile"} if args.profile else set())
    chosen = [part for part in PARTS if name_of(part) in wanted]
    if not (BIN / "mkdocs").exists():
        sys.exit(f"bench: {BIN / 'mkdocs'} not found: run with the project's venv (make bench)")
    args.out.mkdir(parents=True, exist_ok=True)

    # Other work on the machine slows every number down: the load average says how busy it was.
    results = {"runs": args.runs, "suite_runs": args.suite_runs, "quick": args.quick, "machine": machine(),
               "commit": commit(args.source), "load_average": {"start": os.getloadavg()}}
    with tempfile.TemporaryDirectory(prefix="lr-bench-") as scratch_name:
        scratch = Path(scratch_name)
        project = copy_project(scratch / "project") if args.source == ROOT else copy_source(args.source, scratch / "project")
        log(f"measuring {results['commit']}; project copied to {project}")
        for part in chosen:
            part(project, scratch, args, results)
            results["load_average"][name_of(part)] = os.getloadavg()
        if (project / "site").is_dir():
            results["site_counts"] = site_counts(args.source, project / "site")

    results["load_average"]["end"] = os.getloadavg()
    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    complete = not {name_of(part) for part in PARTS} - OPTIONAL - wanted
    if complete:
        (args.out / "results.md").write_text(report.report(results), encoding="utf-8")
    log(f"wrote {args.out / 'results.json'}" + (f" and {args.out / 'results.md'}" if complete else " (results.md needs every part)"))


def copy_source(source: Path, target: Path) -> Path:
    """copy_project's copy (the files a build reads, no gallery output), from another checkout."""
    for name in PROJECT_FILES:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("generated", "__pycache__"))
        elif (source / name).is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, target / name)
    return target


if __name__ == "__main__":
    main()
