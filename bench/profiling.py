"""Where a build's time goes (`bench/run.py --profile`, off by default): py-spy samples one cold build
and one no-change rebuild, and the samples are summed by function (every function a sample's stack
passes through, once) and by package (the innermost frame).

py-spy samples from outside the process: its pauses slow all code alike, so each place's share of the
samples is true, and each share is scaled to the unprofiled median of the same build. An in-process
profiler (cProfile, pyinstrument) hooks every call instead and inflates call-heavy Python (YAML
parsing, matplotlib layout) two to four times more than the rest. The places are read from the
samples, not listed by hand, so moving code between files does not leave a table behind.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from common import BIN, build_command, clean, run_timed

SAMPLE_RATE = 200  # per second
TOP = 25  # functions shown, by inclusive time


def read_samples(raw_file: Path) -> list[tuple[list[str], int]]:
    """Main-thread stacks (outermost first, 'function (file:line)') and their counts, from
    `py-spy record --threads --format raw`."""
    samples = []
    for line in raw_file.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        thread, *frames = stack.split(";")
        if "MainThread" in thread and count.isdigit():
            samples.append((frames, int(count)))
    return samples


def place(frame: str) -> str:
    """'Class.method (package/module.py:123)' -> 'Class.method (package/module.py)': a function, not a line."""
    function, _, where = frame.rpartition(" (")
    return f"{function} ({where.rstrip(')').rpartition(':')[0]})"


def package_of(frame: str) -> str:
    """py-spy names files relative to their sys.path entry: 'matplotlib/text.py', 'pathlib.py', 'hooks.py'."""
    path = frame.rpartition(" (")[2].rstrip(")").rpartition(":")[0]
    if path.startswith("<frozen"):
        return "(import machinery)"
    top = path.split("/", 1)[0].removesuffix(".py")
    if top in sys.stdlib_module_names:
        return f"stdlib {top}"
    return f"project {path}" if "/" not in path else top  # scripts/*.py, gallery/*.py have no folder


def analyse(samples, seconds: float) -> dict:
    """Seconds per function (inclusive) and per package (self), scaled so the samples add up to `seconds`."""
    total = sum(count for _, count in samples) or 1
    per_sample = seconds / total
    inclusive, by_package = Counter(), Counter()
    for frames, count in samples:
        for name in {place(frame) for frame in frames}:
            inclusive[name] += count * per_sample
        by_package[package_of(frames[-1]) if frames else "(no Python frame)"] += count * per_sample
    return {
        "seconds": seconds,
        "samples": total,
        # Without the frames nearly every sample passes through (MkDocs' command line, click): they say nothing.
        "functions": dict([(name, value) for name, value in inclusive.most_common() if value < 0.9 * seconds][:TOP]),
        "self_by_package": {name: value for name, value in by_package.most_common(15) if value >= 0.05},
    }


def profile_build(project: Path, raw_file: Path, what: str, unprofiled_s: float) -> dict:
    spy = [str(BIN / "py-spy"), "record", "--rate", str(SAMPLE_RATE), "--idle", "--threads", "--format", "raw", "--output", str(raw_file)]
    seconds = run_timed([*spy, "--", *build_command(project / "site")], project, f"profiled {what}")
    return {"wall_s": seconds, **analyse(read_samples(raw_file), unprofiled_s)}


def measure_profile(project: Path, scratch: Path, builds: dict) -> dict:
    if not (BIN / "py-spy").exists():
        sys.exit(f"bench: {BIN / 'py-spy'} not found: pip install -r requirements-test.txt (make bench does)")
    clean(project)
    cold = profile_build(project, scratch / "cold.raw", "cold build", builds["cold_build_s"]["median"])
    nochange = profile_build(project, scratch / "nochange.raw", "no-change rebuild", builds["nochange_rebuild_s"]["median"])
    return {"cold": cold, "nochange": nochange}
