"""The built site in headless Chromium, as a reader meets it."""

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


DECODE_SHOWN_IMAGES = """async images => {
    const shown = images.filter(image => image.offsetParent !== null);
    for (const image of shown) {
        image.scrollIntoView();
        await image.decode().catch(() => {});
    }
    return shown.filter(image => !(image.complete && image.naturalWidth > 0)).map(image => image.src);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_chinese_example_page_loads_cleanly(page, site_server, catalog, scheme):
    page.emulate_media(color_scheme=scheme)
    for example in catalog.examples:
        url = site_server + example.page_url("zh")
        problems = visit(page, url)
        assert problems == [], f"{url}: {problems}"
        # Figures are lazy: the other palette's twin is never fetched, and a shown one is fetched
        # when scrolled to. So scroll to each shown image, as a reader does, and let it decode.
        undecoded = page.eval_on_selector_all("img", DECODE_SHOWN_IMAGES)
        assert undecoded == [], f"{url}: images not decoded: {undecoded}"
        visible = page.eval_on_selector_all(
            "article img", "images => images.filter(i => i.offsetParent !== null).map(i => i.src)"
        )
        suffix = "_dark.svg#only-dark" if scheme == "dark" else ".svg#only-light"
        assert visible and all(src.endswith(suffix) for src in visible), f"{url} ({scheme}): {visible}"


@pytest.mark.parametrize(
    "language, query, expected",
    [("zh", "余弦", "zh/schedulers/cosineannealinglr/"), ("en", "cosine", "schedulers/cosineannealinglr/")],
)
def test_search_finds_the_page_a_reader_means(page, site_server, language, query, expected):
    home = site_server + ("zh/" if language == "zh" else "")
    assert visit(page, home) == []
    page.locator(".md-search__input").fill(query)
    page.locator(".md-search__input").press("End")
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=10000)
    assert re.split(r"[?#]", first.get_attribute("href"))[0] == site_server + expected


def test_a_figure_opens_enlarged_and_escape_closes_it(page, site_server, catalog):
    example = catalog.examples[0]
    assert visit(page, site_server + example.page_url("zh")) == []
    page.locator("article img.schedule-figure").first.click()
    lightbox = page.locator(".glightbox-container")
    lightbox.wait_for(state="visible", timeout=5000)
    assert page.locator(".gslide-image img").first.get_attribute("src").endswith("#only-light")
    page.keyboard.press("Escape")
    lightbox.wait_for(state="detached", timeout=5000)
