"""What every part of the benchmark shares: paths, the goals, running and timing a process, medians,
the Makefile's recipes, and the stamp every result carries (machine, commit, load, site). No
measurement here."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench"
BIN = Path(sys.executable).parent  # make bench runs .venv/bin/python: mkdocs sits beside it
# scripts/scratch.py (scratch copies, the Chromium command line, the static server) is shared with the tests.
sys.path.insert(0, str(ROOT / "scripts"))

from scratch import CHROMIUM, CHROMIUM_ARGS, copy_project, static_server  # noqa: E402, F401  (re-exported for the parts)

KB = 1000  # bytes; all sizes are in kB = 1000 bytes

# The goals (issues #6, #12 and #18), reported next to each number, never asserted.
GOALS = {
    "cold_over_plain_floor": 1.5,  # cold build within 1.5x the plain floor
    "nochange_over_cold": 0.25,  # no-change rebuild at most 1/4 of the cold build
    "serve_script_s": 3.0,  # a saved gallery script (its page and figure) visible within 3 s
    "serve_markdown_s": 1.5,  # a saved Markdown page visible within 1.5 s
    "example_page_kb": 300,  # an example page's first visit under 300 kB
    "figure_kb": 40,  # every figure under 40 kB
    "make_test_s": 360,  # `make test` within 6 minutes ...
    "make_check_s": 90,  # ... and `make check` within 90 s,
    "load_below": 2.0,  # on this 2-core machine at a load average below 2
}


def environment(**extra) -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


def stats(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values), "values": [round(v, 3) for v in values]}


def run_timed(command: list[str], cwd: Path, what: str, **env) -> float:
    """Wall-clock seconds of one whole process; a failure stops the benchmark and says which step."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=environment(**env), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"bench: {what} failed ({' '.join(map(str, command))} in {cwd}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


def build_command(site_dir: Path) -> list[str]:
    return [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir)]


def clean(project: Path) -> None:
    shutil.rmtree(project / "docs" / "generated", ignore_errors=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)  # scripts/hooks_speed.py's caches
    shutil.rmtree(project / "site", ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def make_recipe(target: str, program: str, makefile: Path = ROOT / "Makefile") -> list[str]:
    """The words after `program` in the Makefile recipe of `target` (`$(BIN)/python -m pytest -m
    "not browser"` gives ['-m', 'not browser']): the bench times what a developer runs, and a
    changed recipe changes the measurement with it."""
    lines = makefile.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{target}:")), None)
    recipe = []
    for line in lines[start + 1 :] if start is not None else []:
        if not line.startswith("\t"):
            break
        recipe.append(line)
    command = next((line for line in recipe if program in line), None)
    if command is None:
        sys.exit(f"bench: no `{program}` in the Makefile's {target} recipe: update bench/common.py make_recipe's callers")
    return shlex.split(command.split(program, 1)[1])


def commit(source: Path) -> str:
    """The commit measured, and whether the checkout had uncommitted changes to tracked files."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=source, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "HEAD") or "unknown (not a git checkout)"
    return head + (" + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def site_counts(source: Path, site: Path) -> dict:
    """The size of what was measured: pages (HTML files in both languages, the 404 pages apart) and
    gallery scripts."""
    pages = [path for path in site.rglob("*.html") if path.name != "404.html"]
    return {"pages": len(pages), "scripts": len(list((source / "gallery").glob("plot_*.py")))}


def machine() -> dict:
    cpu_model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "unknown")
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    versions = {}
    for package in ("torch", "matplotlib", "mkdocs", "mkdocs-material", "mkdocs-gallery", "mkdocs-static-i18n", "pytest", "pytest-xdist", "playwright"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip() if Path(CHROMIUM).exists() else None
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model,
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "chromium": chromium,
    }
