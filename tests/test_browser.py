"""The built site in headless Chromium: what the survey of every page (tests/test_quality.py) does not
do, a reader's search. Loading, images, palettes and the lightbox are the survey's."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from conftest import LANGUAGES, searched

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def visit(page, url):
    """Load a page and report what went wrong on the way: failed and third-party requests, errors."""
    own_host = urlsplit(url).netloc
    problems = []
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("response", lambda response: response.status >= 400 and problems.append(f"{response.status}: {response.url}"))
    page.on(
        "request",
        lambda request: urlsplit(request.url).netloc not in (own_host, "")
        and request.url.startswith("http")
        and problems.append(f"third-party: {request.url}"),
    )
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.goto(url, wait_until="networkidle")
    return problems


@pytest.mark.parametrize(
    "language, query, expected",
    [
        # Chinese titles carry no gloss of a class name: the glossary's term is the page's search tag
        # (scripts/search_ranking.py), or the D2Z page, whose title holds 余弦, would come first.
        ("zh", "余弦", "zh/schedulers/cosineannealinglr/"),
        ("en", "cosine", "schedulers/cosineannealinglr/"),
        # timm's classes by their names (issue #22), in both languages
        ("en", "PolyLRScheduler", "schedulers/timm-poly/"),
        ("zh", "PolyLRScheduler", "zh/schedulers/timm-poly/"),
        ("en", "TanhLRScheduler", "schedulers/timm-tanh/"),
        ("zh", "TanhLRScheduler", "zh/schedulers/timm-tanh/"),
    ],
)
def test_search_finds_the_page_a_reader_means(page, site_server, language, query, expected):
    home = site_server + ("zh/" if language == "zh" else "")
    assert visit(page, home) == []
    page.locator(".md-search__input").fill(query)
    page.locator(".md-search__input").press("End")
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=10000)
    assert re.split(r"[?#]", first.get_attribute("href"))[0] == site_server + expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_class_name_finds_its_page_first(page, site_server, catalog, language):
    """Each class that titles a page ("StepLR", "CyclicLR (triangular)"), typed into the search, lists
    one of its pages first: not timm's StepLRScheduler, nor troubleshooting's messages that name it."""
    home = site_server + ("" if language == LANGUAGES[0] else f"{language}/")
    pages: dict[str, set[str]] = {}
    for example in catalog.examples:
        name = example.title[LANGUAGES[0]].split(" (")[0]
        if name in example.classes:
            pages.setdefault(name, set()).add(site_server + example.page_url(language))
    assert len(pages) >= 15, sorted(pages)
    assert visit(page, home) == []
    wrong = {}
    for name, expected in pages.items():
        links = searched(page, name)
        first = re.split(r"[?#]", links[0])[0] if links else None
        if first not in expected:
            wrong[name] = first
    assert wrong == {}, f"class names whose first result is another page: {wrong}"
