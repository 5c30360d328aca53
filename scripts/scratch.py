"""Scratch copies of the project and the browser set-up, shared by the tests, the benchmark and the
Lighthouse script: one list of what a build reads, one way to build, one Chromium command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a build reads; everything else (the venv, old builds, the gallery's cache) stays behind.
PROJECT_FILES = ("mkdocs.yml", "gallery", "docs", "scripts", "pitfalls", "overrides", "experiments")

# Debian's Chromium (Playwright's own browser download does not work offline), unless the environment
# variable CHROMIUM names another Chromium or Chrome executable, as the GitHub workflow does with the
# runner's preinstalled Google Chrome. The flags keep it from calling Google's hosts, which this
# machine's closed network refuses.
CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def copy_project(target: Path, gallery_cache: Path | None = None) -> Path:
    """A copy of the project's sources. Without `gallery_cache` it is clean (no docs/generated/), so
    every gallery script runs; with it, that folder of an earlier build of the same sources becomes
    the copy's docs/generated/, and the gallery runs only the scripts changed since."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("generated", "__pycache__"))
        else:
            shutil.copy2(source, target / name)
    if gallery_cache is not None:
        shutil.copytree(gallery_cache, target / "docs" / "generated")
    return target


def build(project: Path, site_dir: Path | None = None, **env) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project copy, as `make build` runs it."""
    site_dir = site_dir or project / "site"
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
    )
