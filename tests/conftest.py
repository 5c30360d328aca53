"""Shared fixtures: real builds of the real site, in scratch copies of the project."""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from catalog import LANGUAGES, load_catalog  # noqa: E402
from scratch import CHROMIUM, CHROMIUM_ARGS, build, copy_project  # noqa: E402, F401  (fixtures' helpers)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site, built once per test session from a clean copy of the project."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    result = build(project)
    assert result.returncode == 0, f"the site does not build:\n{result.stdout}\n{result.stderr}"
    return project / "site"


@pytest.fixture(scope="session")
def site_server(site):
    """The built site over HTTP on 127.0.0.1, as a reader's browser gets it."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright. In CI a missing browser is a failure, not a skip."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: install Debian's chromium and fonts-noto-cjk (make browser)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def html_pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")}


def expected_pages(catalog) -> set[str]:
    """Every page the site must have, in every language, as HTML paths under site/."""
    fixed = [f"{page}/index.html" for page in ("gallery", "explorer", "summary", "choosing", "pitfalls", "glossary")]
    fixed.append("index.html")
    examples = [f"schedulers/{example.id}/index.html" for example in catalog.examples]
    pages = set()
    for language in LANGUAGES:
        prefix = "" if language == LANGUAGES[0] else f"{language}/"
        pages.update(prefix + page for page in fixed + examples)
    return pages | {"404.html"}
