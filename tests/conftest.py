"""Shared fixtures: real builds of the real site, in scratch copies of the project."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from catalog import LANGUAGES, load_catalog  # noqa: E402
from scratch import CHROMIUM, CHROMIUM_ARGS, build, copy_project, static_server  # noqa: E402, F401  (fixtures' helpers)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


# The site is built as GitHub Pages publishes a project site, and served under the same sub-path:
# a link that only works at the root of a host fails here as it would for readers.
SUB_PATH = "/lr-gallery/"
SITE_URL = f"https://example.github.io{SUB_PATH}"


@pytest.fixture(scope="session")
def built_project(tmp_path_factory, worker_id) -> Path:
    """A clean copy of the project, built once per test run and shared by every test that only reads
    the result. Under pytest-xdist each worker is its own process with its own session fixtures: the
    first worker to get here builds while the other waits on the lock, then both read the same copy."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the directory all workers' base temps live in
    project, report = shared / "built-project", shared / "built-project.json"
    with FileLock(str(shared / "built-project.lock")):
        if not report.exists():
            copy_project(project)
            result = build(project, SITE_URL=SITE_URL)
            report.write_text(json.dumps({"returncode": result.returncode, "output": result.stdout + result.stderr}))
    outcome = json.loads(report.read_text())
    assert outcome["returncode"] == 0, f"the site does not build:\n{outcome['output']}"
    return project


@pytest.fixture(scope="session")
def site(built_project) -> Path:
    """The built site (read only: tests that change sources build a scratch copy of their own)."""
    return built_project / "site"


@pytest.fixture(scope="session")
def site_server(site):
    """The built site over HTTP on 127.0.0.1 under SUB_PATH, as GitHub Pages serves it; the URL of
    its home page, ending in a slash."""
    with static_server(site, SUB_PATH) as url:
        yield url


@pytest.fixture
def project(tmp_path, built_project) -> Path:
    """A scratch copy of the project to change, with the shared build's gallery cache: only the
    scripts a test changes run again (a cold gallery run per test would be most of the suite)."""
    return copy_project(tmp_path / "project", gallery_cache=built_project / "docs" / "generated")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (or the browser CHROMIUM names) through Playwright. In CI a missing browser is
    a failure, not a skip."""
    if not Path(CHROMIUM).exists():
        message = (
            f"{CHROMIUM} not found: install Debian's chromium and fonts-noto-cjk (make browser), "
            "or set the environment variable CHROMIUM to a Chromium or Chrome executable"
        )
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
    fixed = [f"{page}/index.html" for page in ("gallery", "explorer", "summary", "choosing", "evidence", "pitfalls", "troubleshooting", "glossary")]
    fixed.append("index.html")
    examples = [f"schedulers/{example.id}/index.html" for example in catalog.examples]
    pages = set()
    for language in LANGUAGES:
        prefix = "" if language == LANGUAGES[0] else f"{language}/"
        pages.update(prefix + page for page in fixed + examples)
    return pages | {"404.html"} | {f"{language}/404.html" for language in LANGUAGES[1:]}


def searched(page, query: str) -> list[str]:
    """The links the site's search lists for `query` (each result's page, then its sections), once the
    search worker has answered. No fixed wait: Material writes the count of results, or that there is
    none, over the list when the worker's answer arrives, and its placeholder when the box is empty."""
    placeholder = page.evaluate(
        "JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']"
    )
    meta, box = ".md-search-result__meta", page.locator(".md-search__input")
    for text, answered in (("", "==="), (query, "!==")):  # empty the box first: the same query twice sends nothing
        box.fill(text)
        box.press("End")  # Material reads the box on keyup, which fill() does not send
        page.wait_for_function(
            f"([meta, placeholder]) => document.querySelector(meta).textContent {answered} placeholder",
            arg=[meta, placeholder], timeout=30000,
        )
    return page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.getAttribute('href'))")
