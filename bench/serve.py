"""Edits under `mkdocs serve`, as `make serve` runs it: the time from saving a file to the served
page (or figure) showing the change.

The served resource is fetched every 50 ms after the file is written; the livereload server holds a
request while it rebuilds, so a changed answer is a finished rebuild. The file is restored, and the
server left idle, between runs. A script edit is timed to its figure and, separately, to its page
(the page embeds the figure; the figure is the later of the two), in both languages.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from common import BIN, environment, free_port, log, make_recipe, stats

# The edits made under `mkdocs serve`. The gallery edit must change the figure, so it changes a
# parameter: StepLR's gamma, to a value chosen from the one the script has (script_edit).
EDITED_SCRIPT = "gallery/plot_steplr.py"
EDITED_FIGURE = "generated/images/mkd_glr_plot_steplr_001.svg"
EDITED_PAGE_SOURCE = "docs/schedulers/steplr.md"
EDITED_PAGE = "schedulers/steplr/"
POLL_SECONDS = 0.05
# Idle for the benchmark: at most this share of one core (livereload's polling stays below it).
IDLE_CPU = 0.15
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # the unit of /proc/PID/stat's CPU times


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
        """Every rebuild that started has finished, nothing was logged for `quiet` seconds, and the
        process used at most IDLE_CPU of a core over the last `quiet` seconds (after its first build,
        serve warms torch up in the background: a developer's first save comes later than a
        benchmark's). Not zero: MkDocs' livereload watches with watchdog's PollingObserver, which
        lists the watched folders twice a second, a few percent of a core for ever."""
        start = time.monotonic()
        samples = [(time.monotonic(), self.cpu_seconds())]
        while time.monotonic() - start < timeout:
            time.sleep(0.1)
            samples.append((time.monotonic(), self.cpu_seconds()))
            window = [sample for sample in samples if sample[0] >= samples[-1][0] - quiet]
            spanned = samples[-1][0] - window[0][0] >= quiet * 0.9
            busy = (window[-1][1] - window[0][1]) / CLOCK_TICKS > IDLE_CPU * quiet
            quiet_log = time.monotonic() - self.last_activity > quiet
            if self.detected == self.reloaded and quiet_log and spanned and not busy:
                return
        sys.exit(f"bench: mkdocs serve stayed busy for {timeout} s:\n{''.join(self.lines[-40:])}")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the serve process so far (Linux /proc), in clock ticks."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return float(int(fields[11]) + int(fields[12]))

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


def page_text(body: bytes | None) -> str:
    """The text of an HTML page, without its tags (highlighted code is split into many spans)."""
    return re.sub(r"<[^>]+>", "", (body or b"").decode("utf-8", errors="replace"))


def complete_svg(body: bytes) -> bool:
    return body.rstrip().endswith(b"</svg>")


def script_edit(original: str) -> tuple[str, str]:
    """(the script with another gamma, the new `gamma=...` as the pages show it)."""
    found = re.search(r"\bgamma=([0-9.e+-]+)", original)
    if found is None:
        sys.exit(f"bench: {EDITED_SCRIPT} passes no numeric gamma=...: update script_edit in bench/serve.py")
    new = f"gamma={0.6 if float(found[1]) != 0.6 else 0.7}"
    return original[: found.start()] + new + original[found.end() :], new


def edit_script_runs(server: Serve, project: Path, runs: int, timeout: float) -> list[float | None]:
    """Save plot_steplr.py with another gamma; time until the served figure differs. Restore after each."""
    script = project / EDITED_SCRIPT
    original = script.read_text(encoding="utf-8")
    edited, shown = script_edit(original)
    figure_before = server.get(EDITED_FIGURE)
    if figure_before is None:
        sys.exit(f"bench: the served site has no /{EDITED_FIGURE}: update EDITED_FIGURE in bench/serve.py")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        script.write_text(edited, encoding="utf-8")
        seconds = server.until(EDITED_FIGURE, lambda body: body != figure_before and complete_svg(body), start, timeout)
        times.append(seconds)
        if seconds is not None:
            # The same rebuild wrote the pages: both languages must show the new code by now.
            for page in (EDITED_PAGE, f"zh/{EDITED_PAGE}"):
                if shown not in page_text(server.get(page)):
                    sys.exit(f"bench: /{page} does not show {shown} once the figure has changed")
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
    """What `make serve` passes to `mkdocs serve`, but its --dev-addr (the bench picks a free port)."""
    words, args = iter(make_recipe("serve", "mkdocs serve")), []
    for word in words:
        if word in ("--dev-addr", "-a"):
            next(words, None)
        elif not word.startswith("--dev-addr="):
            args.append(word)
    return args


def measure_serve(project: Path, runs: int, timeout: float) -> dict:
    """One `mkdocs serve` as `make serve` runs it: gallery script edits, then Markdown edits."""
    args = make_serve_args()
    results = {"args": args}
    log(f"mkdocs serve {' '.join(args)}: starting")
    server = Serve(project, args)
    try:
        results["startup_s"] = server.wait_ready()
        server.wait_idle()
        results["watched"] = next((line.split("changes:", 1)[1].strip() for line in server.lines if "Watching paths" in line), None)
        log(f"serve up in {results['startup_s']:.1f} s, watching {results['watched']}; editing {EDITED_SCRIPT}")
        results["script_edit_s"] = edit_stats(edit_script_runs(server, project, runs, timeout), timeout)
        log(f"editing {EDITED_PAGE_SOURCE}")
        results["markdown_edit_s"] = edit_stats(edit_markdown_runs(server, project, runs, timeout), timeout)
    finally:
        server.stop()
    return results
