"""Build times: cold build, no-change rebuild, and the two floors (bench/floor.py), run by run.

Each run is, in this order: a cold build (`mkdocs build --strict`, the command `make build` runs, with
no docs/generated/ and no site/), a no-change rebuild right after, the plain floor and the figure
floor. The ratios are taken within each run (run i's cold build over run i's plain floor), so that
the load of the moment, which moves all four, cancels out as far as it can; their medians are the result.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from pathlib import Path

import floor
from common import ROOT, build_command, clean, log, run_timed, stats

FLOOR_SCRIPT = ROOT / "bench" / "floor.py"


def measure_builds(project: Path, runs: int, scratch: Path) -> dict:
    cold, nochange, plain, figures, timings = [], [], [], [], []
    plain_dir, figures_dir = scratch / "plain-floor", scratch / "figure-floor"
    published = None
    for run in range(1, runs + 1):
        clean(project)
        # The speed caches are opt-in for `mkdocs build` (scripts/hooks_speed.py): on in both, so the
        # cold build fills .cache/speed/ (clean() deletes it) and the rebuild reads it.
        cold.append(run_timed(build_command(project / "site"), project, "cold build", LR_GALLERY_CACHE="1"))
        nochange.append(run_timed(build_command(project / "site"), project, "no-change rebuild", LR_GALLERY_CACHE="1"))
        published = floor.published_figures(project / "site")
        for out in (plain_dir, figures_dir):
            shutil.rmtree(out, ignore_errors=True)
        plain.append(
            run_timed([sys.executable, str(FLOOR_SCRIPT), "plain", str(published), str(plain_dir)], project, "plain floor", MPLBACKEND="Agg")
        )
        figures.append(
            run_timed([sys.executable, str(FLOOR_SCRIPT), "figures", str(project), str(figures_dir)], project, "figure floor", MPLBACKEND="Agg")
        )
        timings.append(json.loads((figures_dir / "timings.json").read_text(encoding="utf-8")))
        log(
            f"run {run}/{runs}: cold {cold[-1]:.2f} s, no-change {nochange[-1]:.2f} s, "
            f"plain floor {plain[-1]:.2f} s, figure floor {figures[-1]:.2f} s"
        )
    return {
        "cold_build_s": stats(cold),
        "nochange_rebuild_s": stats(nochange),
        "plain_floor_s": stats(plain),
        "figure_floor_s": stats(figures),
        # Pair by pair: run i's numbers over run i's.
        "cold_over_plain_floor": stats([c / p for c, p in zip(cold, plain)]),
        "cold_over_figure_floor": stats([c / f for c, f in zip(cold, figures)]),
        "figure_floor_over_plain_floor": stats([f / p for f, p in zip(figures, plain)]),
        "nochange_over_cold": stats([n / c for n, c in zip(nochange, cold)]),
        "figures_published": published,
        "figure_floor_timings": {name: statistics.median(t[name] for t in timings) for name in timings[0]},
        "figure_floor_matches_site": floor.matches_site(figures_dir, project / "site"),
    }
