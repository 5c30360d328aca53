"""Where a build's time goes: py-spy samples a cold build and a no-change rebuild (and, from
bench/serve.py, rebuilds under `mkdocs serve`), and the samples are summed by place and by package.

py-spy samples from outside the process: its pauses slow all code alike, so each place's share of the
samples is true. An in-process profiler (cProfile, pyinstrument) hooks every call instead and inflates
call-heavy Python (YAML parsing, matplotlib layout) two to four times more than the rest.
"""

from __future__ import annotations

import sys
from pathlib import Path

from common import BIN, build_command, clean, run_timed

SAMPLE_RATE = 200  # per second
# Where a build's time goes, as (label, function, file). A row counts every sample whose stack holds
# the function anywhere, once: nested or recursive calls are not counted twice. Indented rows are part
# of the row above them. Project files appear in py-spy's stacks under their bare names (hooks.py).
PLACES = [
    ("MkDocs start-up: load_config (incl. importing scripts/hooks.py)", "load_config", "mkdocs/config/base.py"),
    ("  importing scripts/hooks.py (torch via manifest.py, matplotlib via figures.py)", "<module>", "hooks.py"),
    ("mkdocs-gallery, all of it (on_pre_build, both languages)", "generate_gallery_md", "mkdocs_gallery/gen_gallery.py"),
    ("  running the scripts' cells (incl. saving figures)", "execute_code_block", "mkdocs_gallery/gen_single.py"),
    ("    figures.scrape: saving each figure light + dark", "scrape", "figures.py"),
    ("    importing torch._dynamo (on the first optimizer)", "<module>", "torch/_dynamo/__init__.py"),
    ("  gc.collect() the gallery runs before each script", "gc.collect", "mkdocs_gallery/gen_single.py"),
    ("summary figure: summary.render (light + dark)", "render", "summary.py"),
    ("second language: static-i18n's nested zh build", "on_post_build", "mkdocs_static_i18n/plugin.py"),
    ("pages: Markdown to HTML (_populate_page), en + zh", "_populate_page", "mkdocs/commands/build.py"),
    ("  hooks.on_page_markdown (placeholders, MathML)", "on_page_markdown", "hooks.py"),
    ("    mathml.render_math (LaTeX to MathML)", "render_math", "mathml.py"),
    ("  catalog.load_catalog (every page asks for the catalog)", "load_catalog", "catalog.py"),
    ("pages: templates and page plugins (_build_page), en + zh", "_build_page", "mkdocs/commands/build.py"),
    ("  search plugin indexing pages (on_page_context)", "on_page_context", "material/plugins/search/plugin.py"),
    ("    jieba segmentation (incl. its dictionary load)", "cut", "jieba/__init__.py"),
    ("      jieba dictionary load (initialize)", "initialize", "jieba/__init__.py"),
    ("search index written (search on_post_build)", "on_post_build", "material/plugins/search/plugin.py"),
    ("hooks.on_post_build (search index split per language)", "on_post_build", "hooks.py"),
    ("theme templates: 404.html, sitemap (_build_theme_template)", "_build_theme_template", "mkdocs/commands/build.py"),
    ("copying static files: theme assets, figures (copy_static_files)", "copy_static_files", "mkdocs/structure/files.py"),
    ("import torch, wherever it happens", "<module>", "torch/__init__.py"),
    ("import matplotlib, wherever it happens", "<module>", "matplotlib/__init__.py"),
]


def gc_collect_lines() -> set[int]:
    """The lines of mkdocs-gallery's gen_single.py that call gc.collect(): py-spy shows no C frame for
    gc.collect itself, only the Python line that called it."""
    import mkdocs_gallery

    source = Path(mkdocs_gallery.__file__).parent / "gen_single.py"
    return {number for number, line in enumerate(source.read_text().splitlines(), start=1) if line.strip() == "gc.collect()"}


def parse_frame(frame: str) -> tuple[str, str, int]:
    """'Class.method (package/module.py:123)' -> ('Class.method', 'package/module.py', 123)."""
    function, _, where = frame.rpartition(" (")
    file, _, line = where.rstrip(")").rpartition(":")
    return function, file, int(line) if line.isdigit() else 0


def frame_matches(frame: tuple[str, str, int], function: str, file: str, gc_lines: set[int]) -> bool:
    name, path, line = frame
    if function == "gc.collect":  # see gc_collect_lines
        return path.endswith(file) and line in gc_lines
    same_file = path == file or path.endswith("/" + file)
    return same_file and (name == function or name.endswith("." + function))


def read_samples(raw_file: Path, within: str | None = None) -> list[tuple[list[tuple[str, str, int]], int]]:
    """Main-thread stacks and their sample counts from `py-spy record --threads -f raw`.

    within: keep only stacks that pass through this function (e.g. the serve builder)."""
    samples = []
    for line in raw_file.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        thread, *frames = stack.split(";")
        if "MainThread" not in thread or not count.isdigit():
            continue
        parsed = [parse_frame(frame) for frame in frames]
        if within and not any(name.endswith(within) for name, _, _ in parsed):
            continue
        samples.append((parsed, int(count)))
    return samples


def package_of(path: str) -> str:
    """py-spy names files relative to their sys.path entry: 'matplotlib/text.py', 'pathlib.py', 'hooks.py'."""
    if path.startswith("<frozen"):
        return "(import machinery)"
    top = path.split("/", 1)[0].removesuffix(".py")
    if top in sys.stdlib_module_names:
        return f"stdlib {top}"
    if "/" not in path:
        return f"project {path}"  # scripts/*.py, gallery/*.py (a site package would have a folder)
    return top


def analyse(samples, seconds: float) -> dict:
    """Seconds per place and per package (of the innermost frame), scaled so the samples add up to `seconds`."""
    gc_lines = gc_collect_lines()
    total = sum(count for _, count in samples) or 1
    per_sample = seconds / total
    places = {}
    for label, function, file in PLACES:
        hits = sum(count for frames, count in samples if any(frame_matches(f, function, file, gc_lines) for f in frames))
        places[label] = hits * per_sample
    packages: dict[str, float] = {}
    for frames, count in samples:
        if any(frame_matches(f, "execute_code_block", "mkdocs_gallery/gen_single.py", gc_lines) for f in frames):
            continue  # the gallery scripts' own work is the floor's; this table is about the rest
        package = package_of(frames[-1][1]) if frames else "(no Python frame)"
        packages[package] = packages.get(package, 0.0) + count * per_sample
    top = sorted(((name, value) for name, value in packages.items() if value >= 0.05), key=lambda item: -item[1])
    return {"seconds": seconds, "samples": total, "places": places, "self_by_package": dict(top)}


def spy_command(raw_file: Path) -> list[str]:
    return [str(BIN / "py-spy"), "record", "--rate", str(SAMPLE_RATE), "--idle", "--threads", "--format", "raw", "--output", str(raw_file)]


def profile_build(project: Path, raw_file: Path, what: str, unprofiled_s: float) -> dict:
    """Seconds per place: its share of the samples times the unprofiled median of the same build.
    py-spy pauses the process at each sample, which slows all code alike, so shares stay true."""
    command = [*spy_command(raw_file), "--", *build_command(project / "site")]
    seconds = run_timed(command, project, f"profiled {what}")
    return {"wall_s": seconds, **analyse(read_samples(raw_file), unprofiled_s)}


def measure_profile(project: Path, scratch: Path, builds: dict) -> dict:
    if not (BIN / "py-spy").exists():
        sys.exit(f"bench: {BIN / 'py-spy'} not found: pip install -r requirements-test.txt (make bench does)")
    clean(project)
    cold = profile_build(project, scratch / "cold.raw", "cold build", builds["cold_build_s"]["median"])
    nochange = profile_build(project, scratch / "nochange.raw", "no-change rebuild", builds["nochange_rebuild_s"]["median"])
    return {"cold": cold, "nochange": nochange}


