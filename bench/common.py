"""What every part of the benchmark shares: paths, the goals, running and timing a process, medians,
the machine's description. No measurement here."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
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
# scripts/scratch.py (scratch copies of the project, the Chromium command line) is shared with the tests.
sys.path.insert(0, str(ROOT / "scripts"))

from scratch import CHROMIUM, CHROMIUM_ARGS, copy_project  # noqa: E402, F401  (re-exported for the parts)

KB = 1000  # bytes; all sizes are in kB = 1000 bytes

# The goals of issue #12 (and the page-weight goals before it). Reported next to each number, never asserted.
GOALS = {
    "cold_over_plain_floor": 1.5,  # cold build within 1.5x the plain floor
    "nochange_over_cold": 0.25,  # no-change rebuild at most 1/4 of the cold build
    "serve_script_s": 3.0,  # a saved gallery script (its page and figure) visible within 3 s
    "serve_markdown_s": 1.5,  # a saved Markdown page visible within 1.5 s
    "example_page_kb": 300,  # an example page's first visit under 300 kB
    "figure_kb": 40,  # every figure under 40 kB
}


def environment(**extra) -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


def stats(values: list[float]) -> dict:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
        "values": [round(value, 3) for value in values],
    }


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


def machine() -> dict:
    cpu_model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    versions = {}
    for package in ("torch", "matplotlib", "mkdocs", "mkdocs-material", "mkdocs-gallery", "mkdocs-static-i18n", "jieba", "py-spy", "playwright"):
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


