"""The site's performance benchmark: `make bench` (or `.venv/bin/python scripts/bench.py --runs 5`).

Everything runs in ONE invocation, against a scratch copy of the project (never in the work tree, where
others build), and is written to bench/results.md and bench/results.json:

* cold build: `mkdocs build --strict` (the command `make build` runs) with no docs/generated/ and no site/;
* no-change rebuild: the same build again right after, with the gallery's MD5 cache warm;
* the floor: one fresh Python process that does only the unavoidable work, i.e. imports torch and
  matplotlib, runs every gallery script with the house style, saves its figures light and dark with
  figures.scrape itself, and draws the summary figure; cold build / floor is taken pair by pair;
* edit under `mkdocs serve`: time from saving a gallery script (or a Markdown page) to the served
  figure (or page) showing the change, polled every 50 ms;
* page weight: the bytes a first visit fetches in headless Chromium, and the size of site/ and its figures;
* a profile (py-spy) of a cold build, a no-change rebuild and two rebuilds under serve, by place.

Each timing is a whole process (or, for serve, write-to-visible) median over --runs runs. Goals are
reported next to each number, never asserted: this is a measuring tool, not a test.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import http.server
import itertools
import importlib.metadata
import importlib.util
import json
import os
import platform
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from scratch import CHROMIUM, CHROMIUM_ARGS, copy_project

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench"
BIN = Path(sys.executable).parent  # make bench runs .venv/bin/python: mkdocs sits beside it


# The edits made under `mkdocs serve`. The gallery edit must change the figure, so it changes a parameter.
EDITED_SCRIPT = "gallery/plot_steplr.py"
SCRIPT_EDIT = ("gamma=0.5", "gamma=0.6")
EDITED_FIGURE = "generated/images/mkd_glr_plot_steplr_001.svg"
EDITED_PAGE_SOURCE = "docs/schedulers/steplr.md"
EDITED_PAGE = "schedulers/steplr/"
POLL_SECONDS = 0.05

# Pages whose first visit is weighed; the example pages are the ones the goal is about.
WEIGHED_PAGES = ["", "schedulers/steplr/", "zh/", "zh/schedulers/steplr/", "gallery/", "summary/"]
EXAMPLE_PAGES = {"schedulers/steplr/", "zh/schedulers/steplr/"}
KB = 1000  # bytes; all sizes below are in kB = 1000 bytes

GOALS = {
    "cold_over_floor": 1.5,  # cold build within 1.5x the floor
    "nochange_over_cold": 0.25,  # no-change rebuild under 1/4 of the cold build
    "serve_script_s": 3.0,  # a saved gallery script visible within 3 s
    "serve_markdown_s": 1.5,  # a saved Markdown page visible within 1.5 s
    "example_page_kb": 300,  # an example page's first visit under 300 kB
    "figure_kb": 40,  # every figure under 40 kB
}


# ------------------------------------------------------------------------------------------ helpers




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
    shutil.rmtree(project / "site", ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# ------------------------------------------------------------------------------------------ machine


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


# -------------------------------------------------------------------------------------------- floor


def render_floor(project: Path, out: Path) -> None:
    """The floor, run in its own process: the gallery's unavoidable work and nothing else.

    The same scripts, figures.reset_style before each (as the gallery's reset_modules does), then
    figures.scrape itself (light + dark SVG and the run's data), then summary.render; no MkDocs."""
    sys.path.insert(0, str(project / "scripts"))
    import json as json_module
    from types import SimpleNamespace

    import matplotlib.pyplot as plt

    import figures
    import summary
    from catalog import load_catalog

    plt.show = lambda *args, **kwargs: None  # the gallery replaces show() too: figures are scraped, not shown
    out.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog()
    runs = {}
    for example in catalog.examples:
        figures.reset_style(None, None)
        namespace = {"__name__": "__main__"}
        source = example.script_path.read_text(encoding="utf-8")
        exec(compile(source, str(example.script_path), "exec"), namespace)
        # The parts of mkdocs-gallery's GalleryScript that figures.scrape reads, with the gallery's file names.
        names = (out / f"mkd_glr_{example.script_stem}_{number:03d}.png" for number in itertools.count(1))
        script = SimpleNamespace(
            src_py_file=example.script_path,
            script_stem=example.script_stem,
            gallery=SimpleNamespace(generated_dir=out),
            run_vars=SimpleNamespace(example_globals=namespace, image_path_iterator=names),
        )
        figures.scrape(None, script)
        runs[example.id] = json_module.loads(figures.data_path(out, example.script_stem).read_text(encoding="utf-8"))
    light, dark = summary.render(catalog.examples, runs)
    (out / "summary.svg").write_text(light, encoding="utf-8")
    (out / "summary_dark.svg").write_text(dark, encoding="utf-8")


def floor_matches_site(floor_dir: Path, site: Path) -> dict:
    """Did the floor draw the very files the site publishes? Byte-for-byte, or it is not the same work."""
    built = {path.name: path for path in (site / "generated" / "images").glob("*.svg")}
    built.update({path.name: path for path in (site / "generated").glob("summary*.svg")})
    drawn = {path.name: path for path in floor_dir.glob("*.svg")}
    same = sorted(name for name in drawn if name in built and drawn[name].read_bytes() == built[name].read_bytes())
    return {
        "figures_drawn": len(drawn),
        "figures_published": len(built),
        "identical": len(same),
        "different": sorted(name for name in drawn if name in built and name not in same),
        "only_in_floor": sorted(set(drawn) - set(built)),
        "only_in_site": sorted(set(built) - set(drawn)),
    }


# ------------------------------------------------------------------------------------------- builds


def measure_builds(project: Path, runs: int, scratch: Path) -> dict:
    cold, nochange, floor, ratios = [], [], [], []
    floor_dir = scratch / "floor"
    for run in range(1, runs + 1):
        clean(project)
        cold.append(run_timed(build_command(project / "site"), project, "cold build"))
        nochange.append(run_timed(build_command(project / "site"), project, "no-change rebuild"))
        shutil.rmtree(floor_dir, ignore_errors=True)
        floor.append(
            run_timed(
                [sys.executable, str(project / "scripts" / "bench.py"), "--floor", str(project), str(floor_dir)],
                project,
                "floor",
                MPLBACKEND="Agg",
            )
        )
        ratios.append(cold[-1] / floor[-1])
        log(f"run {run}/{runs}: cold {cold[-1]:.2f} s, no-change {nochange[-1]:.2f} s, floor {floor[-1]:.2f} s")
    return {
        "cold_build_s": stats(cold),
        "nochange_rebuild_s": stats(nochange),
        "floor_s": stats(floor),
        "cold_over_floor": stats(ratios),  # pair by pair: run i's cold build / run i's floor
        "nochange_over_cold": stats([n / c for n, c in zip(nochange, cold)]),
        "floor_matches_site": floor_matches_site(floor_dir, project / "site"),
    }


# -------------------------------------------------------------------------------------------- serve


class Serve:
    """`mkdocs serve` in the project copy, with its log read to know when it is busy."""

    def __init__(self, project: Path, extra_args: list[str]):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}/"
        self.command = [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}", *extra_args]
        self.detected = self.reloaded = 0
        self.last_activity = time.monotonic()
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            self.command, cwd=project, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_log(self):
        for line in self.process.stdout:
            self.lines.append(line)
            self.last_activity = time.monotonic()
            # One "Detected file changes" starts a rebuild; "Reloading browsers" ends it.
            if "Detected file changes" in line:
                self.detected += 1
            elif "Reloading browsers" in line:
                self.reloaded += 1

    def get(self, path: str) -> bytes | None:
        # The livereload server holds a request while it rebuilds, so the answer is a finished build.
        try:
            with urllib.request.urlopen(self.base + path, timeout=120) as response:
                return response.read()
        except OSError:  # not up yet, 404 mid-rebuild, reset: all mean 'not visible yet'
            return None

    def wait_ready(self, timeout: float = 300) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.process.poll() is not None:
                sys.exit(f"bench: {' '.join(self.command)} exited:\n{''.join(self.lines[-40:])}")
            if self.get("") is not None:
                return time.perf_counter() - start
            time.sleep(0.2)
        sys.exit(f"bench: mkdocs serve did not serve within {timeout} s:\n{''.join(self.lines[-40:])}")

    def wait_idle(self, quiet: float = 1.0, timeout: float = 300) -> None:
        """Every rebuild that started has finished, and nothing was logged for `quiet` seconds."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.detected == self.reloaded and time.monotonic() - self.last_activity > quiet:
                return
            time.sleep(0.1)
        sys.exit(f"bench: mkdocs serve stayed busy for {timeout} s:\n{''.join(self.lines[-40:])}")

    def until(self, path: str, condition, start: float, timeout: float) -> float | None:
        """Seconds from `start` until GET path satisfies condition, polling every 50 ms; None on timeout."""
        while True:
            body = self.get(path)
            now = time.perf_counter()
            if body is not None and condition(body):
                return now - start
            if now - start > timeout:
                return None
            time.sleep(POLL_SECONDS)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def complete_svg(body: bytes) -> bool:
    return body.rstrip().endswith(b"</svg>")


def edit_script_runs(server: Serve, project: Path, runs: int, timeout: float) -> list[float | None]:
    """Save plot_steplr.py with another gamma; time until the served figure differs. Restore after each."""
    script = project / EDITED_SCRIPT
    original = script.read_text(encoding="utf-8")
    if SCRIPT_EDIT[0] not in original:
        sys.exit(f"bench: {EDITED_SCRIPT} no longer contains {SCRIPT_EDIT[0]!r}: update SCRIPT_EDIT in scripts/bench.py")
    edited = original.replace(SCRIPT_EDIT[0], SCRIPT_EDIT[1], 1)
    figure_before = server.get(EDITED_FIGURE)
    if figure_before is None:
        sys.exit(f"bench: the served site has no /{EDITED_FIGURE}: update EDITED_FIGURE in scripts/bench.py")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        script.write_text(edited, encoding="utf-8")
        seconds = server.until(EDITED_FIGURE, lambda body: body != figure_before and complete_svg(body), start, timeout)
        times.append(seconds)
        script.write_text(original, encoding="utf-8")
        if seconds is None:
            break  # the change never shows: more runs would only repeat the timeout
        server.until(EDITED_FIGURE, lambda body: body == figure_before, time.perf_counter(), 300)
        server.wait_idle()
    server.wait_idle()
    return times


def edit_markdown_runs(server: Serve, project: Path, runs: int, timeout: float) -> list[float | None]:
    """Append a sentence to docs/schedulers/steplr.md; time until the served page contains it."""
    page = project / EDITED_PAGE_SOURCE
    original = page.read_text(encoding="utf-8")
    times = []
    for _ in range(runs):
        marker = f"Benchmark edit {uuid.uuid4().hex}"
        start = time.perf_counter()
        page.write_text(f"{original}\n{marker}\n", encoding="utf-8")
        seconds = server.until(EDITED_PAGE, lambda body: marker.encode() in body, start, timeout)
        times.append(seconds)
        page.write_text(original, encoding="utf-8")
        if seconds is None:
            break
        server.until(EDITED_PAGE, lambda body: marker.encode() not in body, time.perf_counter(), 300)
        server.wait_idle()
    server.wait_idle()
    return times


def edit_stats(times: list[float | None], timeout: float) -> dict:
    seen = [seconds for seconds in times if seconds is not None]
    if len(seen) < len(times):
        return {"median": None, "n": len(times), "visible": False, "timeout_s": timeout, "values": times}
    return {**stats(seen), "visible": True}


def make_serve_args() -> list[str]:
    """What `make serve` passes to `mkdocs serve`, read from the Makefile so the bench measures what a
    developer runs; --dev-addr is dropped (the bench picks a free port)."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    recipe = itertools.takewhile(lambda line: line.startswith("\t"), lines[lines.index(next(l for l in lines if l.startswith("serve:"))) + 1 :])
    command = next((line for line in recipe if "mkdocs serve" in line), None)
    if command is None:
        sys.exit("bench: no `mkdocs serve` line in the Makefile's serve recipe: update make_serve_args in scripts/bench.py")
    words, args = iter(shlex.split(command.split("mkdocs serve", 1)[1])), []
    for word in words:
        if word in ("--dev-addr", "-a"):
            next(words, None)
        elif not word.startswith("--dev-addr="):
            args.append(word)
    return args


def serve_session(project: Path, args: list[str], runs: int, timeout: float, scratch: Path, markdown: bool) -> dict:
    """One `mkdocs serve`: gallery script edits, then (if asked) Markdown edits, each also profiled once."""
    results = {"args": args}
    log(f"mkdocs serve {' '.join(args)}: starting")
    server = Serve(project, args)
    try:
        results["startup_s"] = server.wait_ready()
        server.wait_idle()
        results["watched"] = next((line.split("changes:", 1)[1].strip() for line in server.lines if "Watching paths" in line), None)
        log(f"serve up in {results['startup_s']:.1f} s, watching {results['watched']}; editing {EDITED_SCRIPT}")
        results["script_edit_s"] = edit_stats(edit_script_runs(server, project, runs, timeout), timeout)
        if results["script_edit_s"]["visible"]:
            log("profiling one more gallery script edit")
            results["script_rebuild_profile"] = profile_script_edit(server, project, scratch / "serve-script.raw")
        if markdown:
            log(f"editing {EDITED_PAGE_SOURCE}")
            results["markdown_edit_s"] = edit_stats(edit_markdown_runs(server, project, runs, timeout), timeout)
            log("profiling one more Markdown edit")
            results["markdown_rebuild_profile"] = profile_markdown_edit(server, project, scratch / "serve-markdown.raw")
    finally:
        server.stop()
    return results


def measure_serve(project: Path, runs: int, timeout: float, scratch: Path) -> dict:
    results = {"make_serve": serve_session(project, make_serve_args(), runs, timeout, scratch, markdown=True)}
    if not results["make_serve"]["script_edit_s"]["visible"]:
        # A saved script never showed: measure what watching gallery/ too would give.
        results["watch_gallery"] = serve_session(
            project, [*make_serve_args(), "--watch", "gallery"], runs, timeout, scratch, markdown=False
        )
    return results


# ------------------------------------------------------------------------------------------- weight


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def measure_weight(site: Path) -> dict:
    """First visits in headless Chromium (fresh context: empty cache) against http.server, which does
    not compress: the sums are uncompressed body bytes, what GitHub Pages would send before gzip."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for path in WEIGHED_PAGES:
                context = browser.new_context()
                page = context.new_page()
                responses = []
                page.on("response", lambda response: responses.append(response))
                page.goto(base + path, wait_until="networkidle")
                resources = []
                for response in responses:
                    try:
                        body = response.body()
                    except Exception:  # a redirect has no body
                        body = b""
                    resources.append(
                        {
                            "url": response.url.removeprefix(base),
                            "bytes": len(body),
                            # What a server that gzips text (GitHub Pages does) would send instead; PNG is not recompressed.
                            "gzip_bytes": len(body) if response.url.endswith(".png") else len(gzip.compress(body, 6)),
                            "type": response.request.resource_type,
                            "status": response.status,
                        }
                    )
                context.close()
                resources.sort(key=lambda resource: -resource["bytes"])
                pages[path or "/"] = {
                    "bytes": sum(resource["bytes"] for resource in resources),
                    "gzip_bytes": sum(resource["gzip_bytes"] for resource in resources),
                    "requests": len(resources),
                    "errors": [resource for resource in resources if resource["status"] >= 400],
                    "resources": resources,
                }
            browser.close()
    finally:
        server.shutdown()
    return pages


def measure_site(site: Path) -> dict:
    files = [path for path in site.rglob("*") if path.is_file()]
    by_type: dict[str, int] = {}
    for path in files:
        by_type[path.suffix or "(none)"] = by_type.get(path.suffix or "(none)", 0) + path.stat().st_size
    figures = sorted(
        ((path.relative_to(site).as_posix(), path.stat().st_size) for path in (site / "generated").rglob("*.svg")),
        key=lambda item: -item[1],
    )
    limit = GOALS["figure_kb"] * KB
    return {
        "bytes": sum(path.stat().st_size for path in files),
        "files": len(files),
        "bytes_by_type": dict(sorted(by_type.items(), key=lambda item: -item[1])),
        "figures": len(figures),
        "figure_bytes": sum(size for _, size in figures),
        "largest_figures": figures[:8],
        "figures_over_goal": [name for name, size in figures if size >= limit],
    }


# ------------------------------------------------------------------------------------------ profile

# py-spy samples the build from outside the process: its pauses slow all code alike, so each place's
# share of the samples is true. An in-process profiler (cProfile, pyinstrument) hooks every call instead
# and inflates call-heavy Python (YAML parsing, matplotlib layout) two to four times more than the rest.
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


def profile_serve_edit(server: Serve, raw_file: Path, source: Path, edited: str, served: str, visible, restored) -> dict:
    """py-spy attached to `mkdocs serve` during one edit: what a rebuild under serve spends.

    source is written with `edited`; served is polled until visible(body); py-spy stops there, before the
    source is restored (and restored(body) awaited), so the profile holds exactly one rebuild."""
    original = source.read_text(encoding="utf-8")
    spy = subprocess.Popen(
        [*spy_command(raw_file), "--pid", str(server.process.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    time.sleep(1.0)  # let py-spy attach before the edit
    try:
        start = time.perf_counter()
        source.write_text(edited, encoding="utf-8")
        seconds = server.until(served, visible, start, 120)
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        _, errors = spy.communicate(timeout=60)
        source.write_text(original, encoding="utf-8")
    server.until(served, restored, time.perf_counter(), 300)
    server.wait_idle()
    if not raw_file.exists():
        sys.exit(f"bench: py-spy wrote no profile of mkdocs serve:\n{errors}")
    # Only the stacks of the rebuild itself: the main thread otherwise waits for file changes.
    samples = read_samples(raw_file, within="builder")
    rebuild = sum(count for _, count in samples) / SAMPLE_RATE
    return {"edit_visible_s": seconds, **analyse(samples, rebuild)}


def profile_markdown_edit(server: Serve, project: Path, raw_file: Path) -> dict:
    page = project / EDITED_PAGE_SOURCE
    marker = f"Benchmark edit {uuid.uuid4().hex}".encode()
    edited = f"{page.read_text(encoding='utf-8')}\n{marker.decode()}\n"
    return profile_serve_edit(
        server, raw_file, page, edited, EDITED_PAGE, lambda body: marker in body, lambda body: marker not in body
    )


def profile_script_edit(server: Serve, project: Path, raw_file: Path) -> dict:
    script = project / EDITED_SCRIPT
    edited = script.read_text(encoding="utf-8").replace(SCRIPT_EDIT[0], SCRIPT_EDIT[1], 1)
    before = server.get(EDITED_FIGURE)
    return profile_serve_edit(
        server, raw_file, script, edited, EDITED_FIGURE,
        lambda body: body != before and complete_svg(body), lambda body: body == before,
    )


# ------------------------------------------------------------------------------------------- report


def seconds_cell(value: dict) -> str:
    if value.get("median") is None:
        return f"not visible within {value['timeout_s']:.0f} s"
    return f"{value['median']:.2f} s (min {value['min']:.2f}, max {value['max']:.2f}, n={value['n']})"


def met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def report(results: dict) -> str:
    m, b, s, w, site = results["machine"], results["builds"], results["serve"], results["weight"], results["site"]
    lines = [
        "# Benchmark results",
        "",
        f"Made by `make bench` (scripts/bench.py, --runs {results['runs']}) on {m['date']}. Medians of whole-process "
        "wall-clock times, measured in a scratch copy of the project.",
        "",
        f"- Machine: {m['nproc']} CPUs ({m['cpu_model']}), {m['ram_gb']} GB RAM, {m['platform']}, Python {m['python']}",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in m["versions"].items() if version),
        f"- Browser: {m['chromium']}",
        "- Load average (1, 5, 15 min) at start: "
        + ", ".join(f"{x:.2f}" for x in results["load_average"]["start"])
        + "; at end: "
        + ", ".join(f"{x:.2f}" for x in results["load_average"]["end"])
        + f" (on {m['nproc']} CPUs: other work on the machine slows every number down)",
        "",
        "## Against the goals",
        "",
        "| Goal | Measured | Goal | Met |",
        "|---|---|---|---|",
    ]
    ratio = b["cold_over_floor"]["median"]
    lines.append(f"| Cold build within 1.5x the floor | {ratio:.2f}x (cold {b['cold_build_s']['median']:.2f} s / floor {b['floor_s']['median']:.2f} s) | ≤ {GOALS['cold_over_floor']}x | {met(ratio <= GOALS['cold_over_floor'])} |")
    ratio = b["nochange_over_cold"]["median"]
    lines.append(f"| No-change rebuild under 1/4 of the cold build | {ratio:.2f} ({b['nochange_rebuild_s']['median']:.2f} s) | < {GOALS['nochange_over_cold']} | {met(ratio < GOALS['nochange_over_cold'])} |")
    served = s["make_serve"]
    edits = [
        (served["script_edit_s"], "Saved gallery script visible (`make serve`)", "serve_script_s"),
        (served["markdown_edit_s"], "Saved Markdown page visible (`make serve`)", "serve_markdown_s"),
    ]
    if "watch_gallery" in s:
        edits.insert(1, (s["watch_gallery"]["script_edit_s"], "Saved gallery script visible (`make serve` + `--watch gallery`)", "serve_script_s"))
    for value, label, goal in edits:
        ok = value["median"] is not None and value["median"] <= GOALS[goal]
        lines.append(f"| {label} | {seconds_cell(value)} | ≤ {GOALS[goal]} s | {met(ok)} |")
    for path in WEIGHED_PAGES:
        if path in EXAMPLE_PAGES:
            size = w[path]["bytes"] / KB
            gzipped = w[path]["gzip_bytes"] / KB
            lines.append(
                f"| First visit of /{path} | {size:.0f} kB uncompressed in {w[path]['requests']} requests "
                f"(≈ {gzipped:.0f} kB if gzipped) | < {GOALS['example_page_kb']} kB | {met(size < GOALS['example_page_kb'])} |"
            )
    largest_name, largest = site["largest_figures"][0]
    lines.append(f"| Every figure under 40 kB | largest {largest / KB:.1f} kB ({largest_name}); {len(site['figures_over_goal'])} of {site['figures']} over | < {GOALS['figure_kb']} kB | {met(not site['figures_over_goal'])} |")

    lines += [
        "",
        "## Builds",
        "",
        "| Measurement | Median | Min | Max | n | Runs |",
        "|---|---|---|---|---|---|",
    ]
    for key, label, unit in (
        ("cold_build_s", "Cold build: no docs/generated, no site (`mkdocs build --strict`)", "s"),
        ("nochange_rebuild_s", "No-change rebuild, right after", "s"),
        ("floor_s", "Floor: one Python process, torch + matplotlib, every figure light + dark, summary", "s"),
        ("cold_over_floor", "Cold build / floor, pair by pair", "x"),
        ("nochange_over_cold", "No-change rebuild / cold build, pair by pair", "x"),
    ):
        v = b[key]
        lines.append(f"| {label} | {v['median']:.2f} {unit} | {v['min']:.2f} | {v['max']:.2f} | {v['n']} | {', '.join(f'{x:.2f}' for x in v['values'])} |")
    check = b["floor_matches_site"]
    lines += [
        "",
        f"The floor drew {check['figures_drawn']} SVG files; the site publishes {check['figures_published']}; "
        f"{check['identical']} are byte-identical"
        + (f"; different: {', '.join(check['different'])}" if check["different"] else "")
        + (f"; only in the site: {', '.join(check['only_in_site'])}" if check["only_in_site"] else "")
        + (f"; only in the floor: {', '.join(check['only_in_floor'])}" if check["only_in_floor"] else "")
        + ". So the floor does the same figure work as the build, minus MkDocs.",
        "",
        "## Edit under `mkdocs serve`",
        "",
        f"`mkdocs serve {' '.join(served['args'])}` (what `make serve` runs, on a free port) served its first page "
        f"{served['startup_s']:.1f} s after start, watching {served['watched']}. "
        f"Each edit: the file is written, then the served resource is fetched every {POLL_SECONDS * 1000:.0f} ms until it shows the change "
        "(the livereload server holds a request while it rebuilds, so a changed answer is a finished rebuild). "
        "The file is restored, and the server left idle, between runs.",
        "",
        "| Edit | Polled | Time to visible |",
        "|---|---|---|",
        f"| {EDITED_SCRIPT}: {SCRIPT_EDIT[0]} → {SCRIPT_EDIT[1]} | /{EDITED_FIGURE} | {seconds_cell(served['script_edit_s'])} |",
        *(
            [f"| the same, with `--watch gallery` added | /{EDITED_FIGURE} | {seconds_cell(s['watch_gallery']['script_edit_s'])} |"]
            if "watch_gallery" in s
            else []
        ),
        f"| {EDITED_PAGE_SOURCE}: one sentence appended | /{EDITED_PAGE} | {seconds_cell(served['markdown_edit_s'])} |",
        "",
        "## Page weight (first visit)",
        "",
        "Headless Chromium, empty cache, light colour scheme, 1280x720, against the built site served by Python's "
        "`http.server`, **which does not compress**: kB are uncompressed body bytes. GitHub Pages gzips text, so "
        "HTML, CSS, JS, JSON and SVG travel smaller there: the gzipped column compresses each body with gzip -6 as an estimate.",
        "",
        "| Page | kB | ≈ kB gzipped | Requests | Largest resources (kB) |",
        "|---|---|---|---|---|",
    ]
    for path in WEIGHED_PAGES:
        page = w[path or "/"]
        largest = ", ".join(f"{r['url'] or '/'} {r['bytes'] / KB:.0f}" for r in page["resources"][:5])
        failed = ", ".join(f"{r['status']} {r['url']}" for r in page["errors"])
        errors = f" Errors: {failed}" if failed else ""
        lines.append(f"| /{path} | {page['bytes'] / KB:.0f} | {page['gzip_bytes'] / KB:.0f} | {page['requests']} | {largest}{errors} |")
    lines += [
        "",
        "## Site size",
        "",
        f"site/: {site['bytes'] / KB:.0f} kB in {site['files']} files; by type (kB): "
        + ", ".join(f"{suffix} {size / KB:.0f}" for suffix, size in list(site["bytes_by_type"].items())[:8])
        + ".",
        "",
        f"Figures (SVG under site/generated/): {site['figures']}, {site['figure_bytes'] / KB:.0f} kB in all. Largest (kB): "
        + ", ".join(f"{name} {size / KB:.1f}" for name, size in site["largest_figures"])
        + ".",
    ]
    p = results["profile"]
    markdown = served["markdown_rebuild_profile"]
    # The script edit's rebuild, from whichever session showed it (none if gallery/ was never watched).
    script = served.get("script_rebuild_profile") or s.get("watch_gallery", {}).get("script_rebuild_profile")
    columns = [p["cold"], p["nochange"], markdown, *([script] if script else [])]
    script_header = " Serve: script edit s |" if script else ""
    lines += [
        "",
        "## Where the time goes (py-spy)",
        "",
        f"py-spy sampled, {SAMPLE_RATE} times a second from outside the process: one cold build ({p['cold']['wall_s']:.1f} s "
        f"while sampled), one no-change rebuild ({p['nochange']['wall_s']:.1f} s while sampled) and, attached to "
        f"`mkdocs serve`, the rebuild after one Markdown edit (visible after {markdown['edit_visible_s']:.1f} s) and "
        + (f"the rebuild after one gallery script edit (visible after {script['edit_visible_s']:.1f} s). " if script else "no script edit (it never showed). ")
        + "py-spy pauses the process at each sample, which slows all code alike: so the build columns give each place's "
        "share of the samples times the unprofiled median of that build (the whole-build row); the serve columns give "
        "sampled seconds of the rebuild itself. A row counts every sample whose stack passes through its function, once; "
        "indented rows are part of the row above; the import rows overlap the others.",
        "",
        f"| Place | Cold build s | No-change rebuild s | Serve: Markdown edit s |{script_header}",
        "|---" * len(columns) + "|---|",
        "| whole build | " + " | ".join(f"{column['seconds']:.2f}" for column in columns) + " |",
    ]
    for label, _, _ in PLACES:
        shown = label.replace("  ", "&nbsp;&nbsp;")
        lines.append(f"| {shown} | " + " | ".join(f"{column['places'][label]:.2f}" for column in columns) + " |")
    lines += [
        "",
        "Innermost frame by package, outside the gallery scripts' own cells (seconds): where the rest goes.",
        "",
        f"| Package | Cold build | No-change rebuild | Serve: Markdown edit |{script_header.replace(' s |', ' |')}",
        "|---" * len(columns) + "|---|",
    ]
    packages = list(p["cold"]["self_by_package"])[:12]
    for column in columns[1:]:
        packages += [name for name in list(column["self_by_package"])[:5] if name not in packages]
    for package in packages:
        lines.append(f"| {package} | " + " | ".join(f"{column['self_by_package'].get(package, 0.0):.2f}" for column in columns) + " |")
    lines += [
        "",
        "## How to rerun",
        "",
        "`make bench`, or `.venv/bin/python scripts/bench.py --runs 5` (see `--help`). It takes several minutes: "
        "each run is a cold build, a no-change rebuild and a floor; then the browser, `mkdocs serve` as `make serve` runs it (plus `--watch gallery` if a saved script never shows), with one profiled edit of each kind, and two profiled builds.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per timing (default 3)")
    parser.add_argument("--serve-timeout", type=float, default=30.0, help="seconds to wait for an edit to show (default 30)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="where results.md and results.json go (default bench/)")
    parser.add_argument("--floor", nargs=2, type=Path, metavar=("PROJECT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        render_floor(*args.floor)
        return
    if not (BIN / "mkdocs").exists():
        sys.exit(f"bench: {BIN / 'mkdocs'} not found: run with the project's venv (make bench)")

    # Other work on the machine slows every number down: the load average says how busy it was.
    results = {"runs": args.runs, "machine": machine(), "load_average": {"start": os.getloadavg()}}
    with tempfile.TemporaryDirectory(prefix="lr-bench-") as scratch_name:
        scratch = Path(scratch_name)
        project = copy_project(scratch / "project")
        log(f"project copied to {project}; {args.runs} runs of cold build, no-change rebuild, floor")
        results["builds"] = measure_builds(project, args.runs, scratch)
        log("page weight in headless Chromium")
        results["weight"] = measure_weight(project / "site")
        results["site"] = measure_site(project / "site")
        results["serve"] = measure_serve(project, args.runs, args.serve_timeout, scratch)
        log("profiling a cold build and a no-change rebuild")
        results["profile"] = measure_profile(project, scratch, results["builds"])

    results["load_average"]["end"] = os.getloadavg()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(report(results), encoding="utf-8")
    log(f"wrote {args.out / 'results.md'} and {args.out / 'results.json'}")


if __name__ == "__main__":
    main()
