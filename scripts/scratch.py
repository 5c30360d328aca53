"""Scratch copies of the project, the browser set-up and a static server, shared by the tests, the
benchmark and the Lighthouse script: one list of what a build reads, one way to build, one Chromium
command line, one way to serve a built site."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import threading
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


def build(project: Path, site_dir: Path | None = None, environ: dict | None = None, **env) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project copy, as `make build` runs it. `environ`: the environment to
    start from (default: this process's, read now), for a build started in a thread while a test may
    be changing os.environ."""
    site_dir = site_dir or project / "site"
    environment = {**(os.environ if environ is None else environ), "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
    )


class _QuietServer(http.server.ThreadingHTTPServer):
    """The browser drops connections it no longer needs (a lazy image, a page left): not an error."""

    def handle_error(self, request, client_address):
        pass


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """A built site under `sub_path` only (elsewhere: 404), optionally gzip-compressed."""

    sub_path, compress = "/", False
    COMPRESSIBLE = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt"}

    def translate_path(self, path):
        if not path.startswith(self.sub_path):
            return str(Path(self.directory) / "does-not-exist")
        return super().translate_path("/" + path[len(self.sub_path) :])

    def do_GET(self):
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if path.is_dir():
            path = path / "index.html"
        if not (self.compress and "gzip" in self.headers.get("Accept-Encoding", "") and path.is_file() and path.suffix in self.COMPRESSIBLE):
            return super().do_GET()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def static_server(site: Path, sub_path: str = "/", compress: bool = False):
    """Serve a built site over HTTP on 127.0.0.1 (a free port) under `sub_path`, as GitHub Pages
    serves a project site (a link that works only at a host's root fails, as it would for readers).
    `compress`: text goes out gzipped, as GitHub Pages sends it (Lighthouse weighs that); without it,
    byte counts are the files' own. Yields the URL of the site's root, ending in a slash."""
    handler = type("Handler", (_SiteHandler,), {"sub_path": sub_path, "compress": compress})
    server = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{sub_path}"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------------------------------
# The explorer's first visit: one definition, asserted by tests/test_explorer.py and reported by
# bench/explorer.py.

FIRST_VISIT_BUDGET = 60 * 1024  # bytes gzipped that a first visit to the explorer may add
# Material's search (worker, index, lunr) and the favicon load on every page, after `load`: on a busy
# machine one visit may still be fetching them when networkidle is declared, the other not.
ON_EVERY_PAGE = ("/search/", "/lunr/", "/workers/", "favicon")


def _fetched(browser, url: str) -> set[str]:
    """The URL paths a first visit (fresh context, empty cache) to `url` fetches."""
    from urllib.parse import urlsplit

    context = browser.new_context()
    page = context.new_page()
    paths = set()
    page.on("requestfinished", lambda request: paths.add(urlsplit(request.url).path))
    page.goto(url, wait_until="networkidle")
    context.close()
    return paths


def first_visit_extra(browser, base: str, site: Path, page: str, over: str) -> dict:
    """What a first visit to `page` adds over one to `over` (site-relative, e.g. "explorer/"), in
    bytes gzipped at level 9 from the built files: each resource `page` fetches that `over` does not
    (not the ones every page fetches), plus the HTML's difference, max(0, page's - over's), since the
    page's HTML takes the place of the other's (both carry the whole nav, which grows with the site,
    not with the page). Returns {"resources": {path: (bytes, gzipped)}, "html": (page's, over's,
    difference), "total": gzipped bytes added, "over_fetched": paths the other visit fetched}."""
    from urllib.parse import urlsplit

    root = urlsplit(base).path  # the site may be served under a sub-path
    seen_over = _fetched(browser, base + over)
    seen_page = _fetched(browser, base + page)
    resources = {}
    for path in sorted(seen_page - seen_over):
        local = path.removeprefix(root).lstrip("/")
        if local.rstrip("/") == page.rstrip("/") or any(part in path for part in ON_EVERY_PAGE):
            continue
        body = (site / local / "index.html" if local.endswith("/") or not local else site / local).read_bytes()
        resources[local] = (len(body), len(gzip.compress(body, 9)))
    html = [len(gzip.compress((site / name / "index.html").read_bytes(), 9)) for name in (page, over)]
    difference = max(0, html[0] - html[1])
    total = sum(gzipped for _, gzipped in resources.values()) + difference
    return {"resources": resources, "html": (*html, difference), "total": total, "over_fetched": seen_over}
