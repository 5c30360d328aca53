"""The built site in headless Chromium: what the survey of every page (tests/test_quality.py) does not
do, a reader's search. Loading, images, palettes and the lightbox are the survey's."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

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
        pytest.param(
            "zh", "余弦", "zh/schedulers/cosineannealinglr/",
            # Known defect, kept failing on purpose (strict): Chinese titles carry no gloss now, so
            # lunr's title boost sends 余弦 to the D2Z page, whose title holds the word.
            marks=pytest.mark.xfail(strict=True, reason="余弦 ranks the D2Z page above CosineAnnealingLR"),
        ),
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
