"""Real-browser quality: every page of both languages, in both palettes, as a reader meets it.

The site is built with a GitHub Pages project URL and served under /lr-gallery/, as it is published.
The checks come in two layers, so that the run stays short on two cores without a page going unseen:

- cheap, on every page of both languages in both palettes: console errors and uncaught exceptions,
  failed or third-party requests, images that do not decode, the palette the page shows, each
  figure's pixels against the palette, and (on example pages) the language switcher;
- expensive, once per page template per language per palette (TEMPLATE_PAGES): axe at desktop width
  in both palettes, the 375 px phone layout (with axe in the light palette), the copy buttons and the
  lightbox. The pages are chosen from the built site itself: for each template, the fewest pages
  that together carry every component any page of that template has (see `template_pages`). On the
  site as it is, in each language: the home page and gallery/ (one page each); the first example
  page in path order (every example carries a formula, figures with their lightbox, code with its
  copy buttons, the parameter table and the download buttons); explorer/ (its axe and phone checks
  are tests/test_explorer.py's); summary/ (the big figure and its lightbox); among the prose pages
  choosing/ (code and a table), glossary/ (formulas) and, where the first two have no number kept
  whole, pitfalls/; and the 404 page.

One browser context per palette visits each page once and runs every check due on that visit; the
class fixture `survey`, one per palette, records what each check found, and one test per check
reports it. Each palette is a test class (pytest.ini: --dist loadscope keeps a class on one worker),
so the two workers survey one palette each. A survey also counts what it checked, so a test whose check never ran (no
figure found, no copy button clicked) fails instead of passing on nothing.
"""

from __future__ import annotations

import io
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import LANGUAGES, SUB_PATH
from furniture import FURNITURE

pytestmark = pytest.mark.browser

# Material's palette for each prefers-color-scheme (mkdocs.yml: the palette follows the system).
PALETTES = {"light": "default", "dark": "slate"}
# The light pass enters the example pages' twins from English, the dark pass from Chinese: both
# directions of the language switcher.
FIRST_LANGUAGE = {"light": LANGUAGES[0], "dark": LANGUAGES[1]}
DESKTOP = {"width": 1280, "height": 900}
PHONE_WIDTH = 375
# Mean luminance (0-255) of a figure's pixels as shown: the light figures are white paper (measured
# about 250), the dark ones Material's slate background #1e2129 (about 40). The midpoint parts them.
DARK_FIGURE_BELOW = 128
# Visible <img> in the content: the other palette's twin is display: none, so it has no box.
VISIBLE_IMAGES = "[...document.querySelectorAll('article img')].filter(img => img.getClientRects().length > 0)"

# What a page's content may carry, found in its built HTML (the <article>): each is something an
# expensive check looks at (axe and the phone layout look at everything; the copy buttons at code;
# the lightbox at figures). A component added to the site's pages belongs here.
COMPONENTS = {
    "formula": r"<math\b",
    "figure": r"<img\b",
    "lightbox": r'class="glightbox"',
    "code": r"<pre\b",
    "table": r"<table\b",
    "number kept whole": r'class="nowrap"',
    "button": r'class="md-button',
    "admonition": r'class="admonition\b',
    "details": r"<details\b",
    "tabs": r'class="tabbed-set',
}
# What a template must carry whatever its pages say: an example page is the site's reason to exist,
# and its formula, figure, code and lightbox are what the expensive checks are there for. Without
# this, a site that lost its lightbox would choose pages without one and test nothing.
REQUIRED = {"example": {"formula", "figure", "code", "lightbox"}}
# Expensive checks another test already makes on a template: not run twice.
CHECKED_ELSEWHERE = {
    # tests/test_explorer.py, test_axe_finds_nothing_and_phones_do_not_scroll_sideways: axe and 375 px on
    # the explorer in both languages and palettes, in five states (the survey sees only the first).
    "explorer": {"axe", "phone"},
}


@dataclass
class Survey:
    """What the visits of one palette found, per check (check name -> list of findings), and what
    they checked."""

    palette: str
    pages: list[str]
    templates: dict[str, str]  # page -> its template, for the pages the expensive checks run on
    code_blocks: int = 0  # on the template pages, from their HTML: each has a copy button to click
    lightbox_links: int = 0  # template pages whose HTML has a figure that opens in the lightbox
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    checked: Counter = field(default_factory=Counter)
    lightbox_pages: list[str] = field(default_factory=list)


def site_pages(site: Path) -> list[str]:
    """Every page of the built site as a URL path relative to its root ('' is the home page, a
    404 page is its file name)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if path.name == "404.html":
            pages.append(relative)
            continue
        folder = path.parent.relative_to(site).as_posix()
        pages.append("" if folder == "." else folder + "/")
    return pages


def template_of(page: str) -> str:
    """The page template a page is made from, by its place in the site (the same in every language)."""
    if language_of(page) != LANGUAGES[0]:
        page = page.split("/", 1)[1]
    if page == "":
        return "home"
    if page.endswith("404.html"):
        return "404"
    if is_example(page):
        return "example"
    if page in ("gallery/", "explorer/", "summary/"):
        return page.rstrip("/")
    return "prose"  # choosing, pitfalls, glossary: Markdown pages of text, tables and code


def article(site: Path, page: str) -> str:
    """The content of a page as built: its <article> (without the header, navigation and footer
    that every page shares)."""
    html = (site / (page if page.endswith(".html") else page + "index.html")).read_text(encoding="utf-8")
    found = re.search(r"<article\b.*?</article>", html, re.S)
    return found[0] if found else ""


def components_of(site: Path, page: str) -> set[str]:
    content = article(site, page)
    return {name for name, pattern in COMPONENTS.items() if re.search(pattern, content)}


def template_pages(site: Path, pages: list[str]) -> dict[str, str]:
    """For each template and language, the pages the expensive checks run on: the page carrying the
    most of the template's components, then (if some are still missing) the one carrying most of
    those, and so on until every component any page of that template has is covered (ties: the first
    page in path order). Page -> template."""
    found = {page: components_of(site, page) for page in pages}
    chosen = {}
    for language in LANGUAGES:
        by_template = defaultdict(list)
        for page in pages:
            if language_of(page) == language:
                by_template[template_of(page)].append(page)
        for template, members in sorted(by_template.items()):
            missing = set().union(*(found[page] for page in members))
            first = True
            while missing or first:
                best = max(members, key=lambda page: (len(found[page] & missing), -members.index(page)))
                chosen[best], first = template, False
                missing -= found[best]
    required = [
        f"{template} pages in {language} carry no {sorted(needed - covered)}"
        for template, needed in REQUIRED.items()
        for language in LANGUAGES
        for covered in [set().union(*(found[p] for p, t in chosen.items() if t == template and language_of(p) == language))]
        if needed - covered
    ]
    assert required == [], "; ".join(required)
    return chosen


def language_of(page: str) -> str:
    first = page.split("/", 1)[0]
    return first if first in LANGUAGES[1:] else LANGUAGES[0]


def twin_of(page: str) -> str:
    """The same page in the other language (the site has two)."""
    if language_of(page) == LANGUAGES[0]:
        return f"{LANGUAGES[1]}/{page}"
    return page.split("/", 1)[1]


def is_example(page: str) -> bool:
    parts = page.strip("/").split("/")
    return len(parts) >= 2 and parts[-2] == "schedulers"


class Visitor:
    """One browser page in one palette; records what goes wrong while it loads each site page."""

    def __init__(self, context, root: str):
        self.root, self.host = root, urlsplit(root).netloc
        self.page = context.new_page()
        self.events: list[str] = []
        self.in_flight: set = set()
        page = self.page
        page.on("console", lambda message: message.type == "error" and self.events.append(f"console error: {message.text}"))
        page.on("pageerror", lambda error: self.events.append(f"uncaught exception: {error}"))
        page.on("request", self._request)
        page.on("requestfinished", lambda request: self.in_flight.discard(request))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.events.append(f"HTTP {r.status}: {r.url}"))

    def _request(self, request):
        self.in_flight.add(request)
        if request.url.startswith(("http:", "https:")) and urlsplit(request.url).netloc != self.host:
            self.events.append(f"request to another host: {request.url}")

    def _failed(self, request):
        self.in_flight.discard(request)
        # ERR_ABORTED: the browser cancelled a fetch because the test moved on (the search worker
        # still loading, say). A missing file shows as HTTP 404 above, a blocked host as another host.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.events.append(f"failed request: {request.url} ({request.failure})")

    def settle(self, timeout: float = 10.0):
        """Wait until no request is pending, so none is cut off (and reported) by the next page."""
        deadline = time.monotonic() + timeout
        while self.in_flight and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)


def decode_visible_images(page) -> list[str]:
    """Scroll each visible image into view (they are lazy) and decode it; list those that fail."""
    return page.evaluate(
        """async () => {
          const failed = [];
          const visible = [...document.querySelectorAll('img')].filter(img => img.getClientRects().length > 0);
          for (const img of visible) {
            img.scrollIntoView({block: 'center'});
            try { await img.decode(); } catch (error) {}
            if (!(img.complete && img.naturalWidth > 0)) failed.push(img.getAttribute('src'));
          }
          window.scrollTo(0, 0);
          return failed;
        }"""
    )


def mean_luminance(png: bytes) -> float:
    from PIL import Image, ImageStat

    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).mean[0]


def check_figures_match_palette(page, url: str, palette: str, survey: Survey):
    """Measure the pixels of every visible figure: dark palette, dark figure; light, light."""
    figures = page.locator("article img").all()
    for figure in figures:
        if not figure.is_visible():
            continue
        luminance = mean_luminance(figure.screenshot())
        is_dark = luminance < DARK_FIGURE_BELOW
        survey.checked["figures measured"] += 1
        if is_dark != (palette == "dark"):
            survey.problems["figure palette"].append(
                f"{url} ({palette} palette): figure {figure.get_attribute('src')} has mean luminance "
                f"{luminance:.0f}, a {'dark' if is_dark else 'light'} figure; the page must show the "
                f"{'_dark.svg#only-dark' if palette == 'dark' else '.svg#only-light'} twin"
            )


def check_copy_buttons(page, url: str, survey: Survey):
    """Each copy button puts exactly the code its block shows on the clipboard."""
    buttons = page.locator("button[data-md-type=copy], button.md-clipboard").all()
    for button in buttons:
        target = button.get_attribute("data-clipboard-target")
        # A sentinel first, so a button that copies nothing cannot pass on an earlier copy.
        page.evaluate("navigator.clipboard.writeText('nothing copied yet')")
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        # innerText is what the block shows; Material drops the one newline that ends every block.
        shown = page.locator(target).inner_text().removesuffix("\n")
        survey.checked["copy buttons clicked"] += 1
        if copied != shown:
            survey.problems["copy button"].append(
                f"{url}: the copy button of {target} copied {len(copied)} characters that differ from the "
                f"{len(shown)} shown (first 80 copied: {copied[:80]!r})"
            )


def check_lightbox(page, url: str, palette: str, survey: Survey):
    """Clicking a figure opens it enlarged in GLightbox, with only this palette's twins; Escape closes it."""
    figure = next((link for link in page.locator("article a.glightbox").all() if link.is_visible()), None)
    if figure is None:
        return
    survey.lightbox_pages.append(url)
    image = figure.locator("img")
    src, inline_width = image.get_attribute("src"), image.bounding_box()["width"]
    where = f"{url} ({palette}), figure {src}"
    figure.click()
    try:  # open, and done zooming in (GLightbox animates with g<effect>In/Out classes)
        page.wait_for_function(
            """() => {
              const slide = document.querySelector('.glightbox-container .gslide.current');
              const img = slide && slide.querySelector('img');
              return img && img.complete && ![...slide.classList].some(c => /^g(zoom|fade|slide)(In|Out)/.test(c));
            }""",
            timeout=5000,
        )
    except Exception:
        survey.problems["lightbox"].append(f"{where}: clicking the figure opened no lightbox")
        return
    language = language_of(url.split(SUB_PATH, 1)[-1])
    labels = page.evaluate(
        "[...document.querySelectorAll('.glightbox-container .gbtn')].map(b => b.getAttribute('aria-label'))"
    )
    strings = FURNITURE[language]
    expected = [strings["lightbox_close"], strings["lightbox_previous"], strings["lightbox_next"]]
    if labels != expected:
        survey.problems["lightbox"].append(f"{where}: the lightbox's buttons are named {labels}, not {expected}")
    opened = page.locator(".glightbox-container .gslide.current img")
    shown_src, box = opened.get_attribute("src") or "", opened.bounding_box()
    # The lightbox's gallery: the slides prev/next would show. Only this palette's twins belong there.
    gallery = page.evaluate("typeof lightbox === 'undefined' ? [] : lightbox.elements.map(e => e.href)")
    page.keyboard.press("Escape")
    try:  # GLightbox marks the box as closing at once, then fades it out
        page.wait_for_function(
            "() => { const box = document.querySelector('.glightbox-container');"
            " return !box || box.classList.contains('glightbox-closing'); }",
            timeout=2000,
        )
        closed = True
    except Exception:
        closed = False
    survey.checked["lightboxes opened"] += 1

    if not shown_src.endswith(src.rsplit("/", 1)[-1]):
        survey.problems["lightbox"].append(f"{where}: the lightbox shows {shown_src}, not the figure clicked")
    # Enlarged: no smaller than inline, unless a tall figure already fills the window's height.
    window_height = page.viewport_size["height"]
    if box["width"] < inline_width - 1 and box["height"] < 0.9 * window_height:
        survey.problems["lightbox"].append(
            f"{where}: the lightbox shows it {box['width']:.0f}x{box['height']:.0f} px, smaller than inline ({inline_width:.0f} px wide)"
        )
    suffix = "#only-dark" if palette == "dark" else "#only-light"
    wrong = [href for href in gallery if not href.endswith(suffix)]
    if wrong:
        survey.problems["lightbox"].append(
            f"{where}: prev/next would show the other palette's twins {wrong}: set `auto_themed: true` for glightbox"
        )
    if not closed:
        survey.problems["lightbox"].append(f"{where}: Escape did not close the lightbox")


def check_phone_width(axe, page, url: str, palette: str, survey: Survey):
    """At a 375-pixel phone width nothing scrolls sideways and every figure fits the width; in the
    light palette axe checks the phone layout too (tables and formulas scroll in their own boxes)."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page.wait_for_timeout(50)  # one layout after the resize
    if palette == "light":  # once: the phone layout's own problems do not depend on the palette
        check_axe(axe, page, url, f"{palette}, {PHONE_WIDTH} px", survey)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_WIDTH:
        survey.problems["phone"].append(
            f"{url} ({palette}): at {PHONE_WIDTH} px wide the page is {width} px wide and scrolls sideways"
        )
    overflowing = page.evaluate(
        f"""{VISIBLE_IMAGES}
          .map(img => [img.getAttribute('src'), img.getBoundingClientRect()])
          .filter(([src, box]) => box.left < -0.5 || box.right > {PHONE_WIDTH} + 0.5)
          .map(([src, box]) => `${{src}} spans ${{Math.round(box.left)}}..${{Math.round(box.right)}} px`)"""
    )
    for figure in overflowing:
        survey.problems["phone"].append(f"{url} ({palette}): at {PHONE_WIDTH} px wide figure {figure}, wider than the screen")
    # A number like 7.8e-6 must not break at its minus sign (Chinese text has no spaces to break at
    # instead): each stays on one line.
    broken = page.evaluate(
        r"""[...document.querySelectorAll('article p, article li, article td')]
          .flatMap(block => [...block.textContent.matchAll(/\d(?:\.\d+)?e-\d+/g)].map(m => [block, m[0]]))
          .filter(([block, number]) => {
            const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
            for (let node; (node = walker.nextNode()); ) {
              const at = node.data.indexOf(number);
              if (at < 0) continue;
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + number.length);
              return range.getClientRects().length > 1;
            }
            return false;  // split across elements: measured where it is whole
          })
          .map(([block, number]) => number)"""
    )
    survey.checked["numbers measured"] += 1
    for number in broken:
        survey.problems["phone"].append(f"{url} ({palette}): at {PHONE_WIDTH} px the number {number} breaks across two lines")
    survey.checked["phone layouts"] += 1
    page.set_viewport_size(DESKTOP)


def check_axe(axe, page, url: str, palette: str, survey: Survey):
    # Let CSS transitions end (a resize slides and fades Material's navigation): axe would measure
    # the contrast of text half-faded in.
    try:
        page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')", timeout=3000)
    except Exception:
        pass  # an endless animation: run axe all the same
    results = axe.run(page).response
    survey.checked["axe runs"] += 1
    for violation in results["violations"]:
        for node in violation["nodes"]:
            detail = (node.get("any") or node.get("all") or node.get("none") or [{}])[0].get("message", "")
            survey.problems["axe"].append(
                f"{url} ({palette}): {violation['id']} at {' '.join(map(str, node['target']))}: {detail} "
                f"[{violation['helpUrl']}]"
            )


def visit_order(pages: list[str], first_language: str) -> list[tuple[str, str | None]]:
    """(page, how it is reached): an example page in `first_language` by URL, its twin by clicking
    the language switcher there; every other page by URL. Each page appears once."""
    order = []
    for page in pages:
        if is_example(page):
            if language_of(page) == first_language:
                order += [(page, None), (twin_of(page), "switcher")]
        else:
            order.append((page, None))
    return order


def run_survey(browser, site: Path, root: str, palette: str) -> Survey:
    """Visit every page of the site served at `root` in one palette; run the cheap checks on each
    and the expensive ones on the template pages."""
    from axe_playwright_python.sync_playwright import Axe

    pages = site_pages(site)
    result = Survey(palette=palette, pages=pages, templates=template_pages(site, pages))
    for path in result.templates:
        content = article(site, path)
        result.code_blocks += len(re.findall(COMPONENTS["code"], content))
        result.lightbox_links += bool(re.search(COMPONENTS["lightbox"], content))
    axe = Axe()
    context = browser.new_context(viewport=DESKTOP, color_scheme=palette)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    visitor = Visitor(context, root)
    page = visitor.page
    for path, how in visit_order(pages, FIRST_LANGUAGE[palette]):
        url = root + path
        visitor.events.clear()
        if how == "switcher":
            try:
                page.locator(".md-header .md-select").hover()
                with page.expect_navigation(wait_until="load", timeout=10000):
                    page.locator(f".md-select a[hreflang={language_of(path)}]").click(timeout=5000)
            except Exception as error:  # no switcher, no link to the language, or it goes nowhere
                result.problems["language switcher"].append(f"{root + twin_of(path)}: switching to {language_of(path)} failed: {error}")
            result.checked["language switches"] += 1
            if page.url != url:
                result.problems["language switcher"].append(
                    f"{page.url}: the language switcher of {root + twin_of(path)} leads here, not to its twin {url}"
                )
                visitor.settle()
                visitor.events.clear()
                page.goto(url, wait_until="load")  # the twin still gets its visit
        else:
            page.goto(url, wait_until="load")
        result.checked["visits"] += 1

        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        if scheme != PALETTES[palette]:
            result.problems["palette"].append(f"{url}: prefers-color-scheme {palette} shows palette {scheme!r}")
        template = result.templates.get(path)
        skipped = CHECKED_ELSEWHERE.get(template, set())
        # axe (and the phone layout with its own axe run) first, on the page as loaded: later steps
        # scroll and click, and axe would catch their animations half-way (a fading header title,
        # the "Copied" toast).
        if template and "axe" not in skipped:
            check_axe(axe, page, url, palette, result)
        if template and "phone" not in skipped:
            check_phone_width(axe, page, url, palette, result)
        undecoded = decode_visible_images(page)
        result.checked["images decoded"] += 1
        for src in undecoded:
            result.problems["images"].append(f"{url} ({palette}): image {src} did not decode (naturalWidth 0)")
        measured = result.checked["figures measured"]
        check_figures_match_palette(page, url, palette, result)
        if is_example(path) and result.checked["figures measured"] == measured:
            result.problems["figure palette"].append(f"{url} ({palette}): an example page that shows no figure")
        if template:
            check_copy_buttons(page, url, result)
            check_lightbox(page, url, palette, result)  # last: its overlay fades out as we move on
        visitor.settle()
        result.problems["loading"] += [f"{url} ({palette}): {event}" for event in visitor.events]
    context.close()
    return result


@pytest.fixture(scope="class")
def survey(request, browser, site, site_server) -> Survey:
    """The survey of the requesting class's palette, made once for its tests."""
    return run_survey(browser, site, site_server, request.cls.palette)


def report(problems: list[str], limit: int = 40) -> str:
    shown = problems[:limit]
    more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} problem(s):\n" + "\n".join(shown) + more


class Checks:
    """One test per check, on the survey of the class's palette (the subclasses below)."""

    palette: str

    def test_every_page_of_both_languages_was_visited(self, survey, catalog):
        assert survey.problems["palette"] == [], report(survey.problems["palette"])
        examples = [example.page_url(language) for example in catalog.examples for language in LANGUAGES]
        assert set(examples) <= set(survey.pages), f"example pages missing from the site: {set(examples) - set(survey.pages)}"
        assert survey.checked["visits"] == len(survey.pages), survey.checked

    def test_the_expensive_checks_run_on_every_template_in_both_languages(self, survey):
        templates = {(template, language_of(page)) for page, template in survey.templates.items()}
        expected = {(template_of(page), language_of(page)) for page in survey.pages}
        assert templates == expected, f"templates without a page to check: {sorted(expected - templates)}"

    def test_pages_load_without_errors_failed_or_third_party_requests(self, survey):
        assert survey.problems["loading"] == [], report(survey.problems["loading"])

    def test_every_visible_image_decodes(self, survey):
        assert survey.problems["images"] == [], report(survey.problems["images"])
        assert survey.checked["images decoded"] == len(survey.pages), survey.checked

    def test_each_palette_shows_its_own_figures_measured_in_pixels(self, survey, catalog):
        assert survey.problems["figure palette"] == [], report(survey.problems["figure palette"])
        # At least the figure of every example page, in both languages.
        assert survey.checked["figures measured"] >= 2 * len(catalog.examples), survey.checked

    def test_the_language_switcher_leads_to_the_twin_page(self, survey, catalog):
        assert survey.problems["language switcher"] == [], report(survey.problems["language switcher"])
        # Every example is entered once from this palette's first language.
        assert survey.checked["language switches"] == len(catalog.examples), survey.checked

    def test_the_copy_button_copies_exactly_the_code_shown(self, survey):
        assert survey.problems["copy button"] == [], report(survey.problems["copy button"])
        # Every code block of the template pages has its button (Material adds one to each).
        assert survey.checked["copy buttons clicked"] >= survey.code_blocks > 0, (survey.code_blocks, survey.checked)

    def test_nothing_scrolls_sideways_on_a_phone(self, survey):
        assert survey.problems["phone"] == [], report(survey.problems["phone"])
        expected = sum("phone" not in CHECKED_ELSEWHERE.get(template, set()) for template in survey.templates.values())
        assert survey.checked["phone layouts"] == expected, survey.checked

    def test_axe_finds_no_accessibility_violation_in_either_palette(self, survey):
        assert survey.problems["axe"] == [], report(survey.problems["axe"]) + (
            "\nFix at the source: theme overrides in overrides/, colours and layout in docs/assets/site.css."
        )
        # Every template page at desktop width, and in the light palette at phone width too.
        pages = sum("axe" not in CHECKED_ELSEWHERE.get(template, set()) for template in survey.templates.values())
        assert survey.checked["axe runs"] == pages * (2 if survey.palette == "light" else 1), survey.checked

    def test_clicking_a_figure_opens_it_enlarged_and_escape_closes_it(self, survey):
        assert survey.lightbox_pages, "no lightbox on the site: mkdocs-glightbox is not configured (no a.glightbox on any page)"
        assert survey.problems["lightbox"] == [], report(survey.problems["lightbox"])
        # Every template page whose HTML has a lightbox link opened it.
        assert survey.checked["lightboxes opened"] == survey.lightbox_links > 0, (survey.lightbox_links, survey.checked)


class TestLightPalette(Checks):
    palette = "light"


class TestDarkPalette(Checks):
    palette = "dark"
