"""The built site: its pages in both languages, their links to each other, their furniture."""

from __future__ import annotations

import ast
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import LANGUAGES, SITE_URL, expected_pages, html_pages

# English that Material, mkdocs-gallery or our hooks would print if a Chinese page fell back to
# English furniture. None of these may appear in a Chinese page outside its code blocks.
ENGLISH_FURNITURE = (
    "Download",
    "Previous",
    "Next",
    "Search",
    "Table of contents",
    "Back to top",
    "Copy to clipboard",
    "Gallery",
    "Schedulers",
    "Home",
    "Decay",
    "Made with",
    "Click here",
    "Total running time",
    "Switch to",
    "Skip to content",
    "learning rate",
)


class PageText(HTMLParser):
    """The text a reader sees or hears (text, alt, title, aria-label), code blocks left out."""

    SKIPPED = {"pre", "code", "script", "style"}

    def __init__(self):
        super().__init__()
        self.parts, self.links, self.images, self.lang = [], [], [], None
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in self.SKIPPED:
            self._skipping += 1
        if tag == "a":
            self.links.append(attrs)
        if tag == "img":
            self.images.append(attrs)
        if not self._skipping:
            self.parts.extend(attrs[name] for name in ("alt", "title", "aria-label", "placeholder") if attrs.get(name))

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)

    @property
    def text(self):
        return " ".join(" ".join(self.parts).split())


def parse(path: Path) -> PageText:
    parser = PageText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def code_blocks(html: str) -> list[str]:
    """The text of each highlighted code block, as the copy button copies it."""
    return [unescape(re.sub(r"<[^>]+>", "", block)) for block in re.findall(r"<pre\b[^>]*>(.*?)</pre>", html, re.S)]


def code_lines(script: str) -> list[str]:
    """The script's lines of code: no docstring, no comment lines, no blank lines."""
    tree = ast.parse(script)
    docstring_end = tree.body[0].end_lineno if isinstance(tree.body[0], ast.Expr) else 0
    lines = script.splitlines()[docstring_end:]
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_the_site_has_exactly_the_expected_pages_in_both_languages(site, catalog):
    assert html_pages(site) == expected_pages(catalog)


def test_gallery_bookkeeping_is_not_published(site):
    published = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
    leaked = sorted(p for p in published if p.endswith((".md5", ".pickle", ".md")) or "sg_gallery" in p)
    assert leaked == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_switcher_leads_to_the_twin_page(site, catalog, language):
    pages = sorted(page for page in expected_pages(catalog) if page != "404.html")
    for page in pages:
        page_language = LANGUAGES[1] if page.startswith(f"{LANGUAGES[1]}/") else LANGUAGES[0]
        neutral = page.removeprefix(f"{LANGUAGES[1]}/")
        twin = neutral if language == LANGUAGES[0] else f"{language}/{neutral}"
        switch = [link for link in parse(site / page).links if link.get("hreflang") == language]
        assert len(switch) == 1, f"{page}: expected one switcher link to {language}"
        page_url = SITE_URL + page.removesuffix("index.html")
        target = urljoin(page_url, switch[0]["href"])
        assert target == SITE_URL + twin.removesuffix("index.html"), (
            f"{page} ({page_language}): the {language} link leads to {target}"
        )


def test_chinese_pages_are_chinese_throughout(site, catalog):
    zh_pages = sorted(page for page in expected_pages(catalog) if page.startswith("zh/"))
    for page in zh_pages:
        parsed = parse(site / page)
        assert parsed.lang == "zh", f"{page}: <html lang={parsed.lang!r}>"
        text = parsed.text
        found = [word for word in ENGLISH_FURNITURE if re.search(rf"\b{re.escape(word)}\b", text)]
        assert found == [], f"{page}: English furniture on a Chinese page: {found}"
        assert re.search(r"[\u4e00-\u9fff]{20,}", text.replace(" ", "")), f"{page}: hardly any Chinese text"


def test_every_example_page_shows_its_figures_code_and_downloads(site, catalog):
    for example in catalog.examples:
        for language in LANGUAGES:
            page = site / example.page_url(language) / "index.html"
            html = page.read_text(encoding="utf-8")
            parsed = parse(page)
            sources = [urljoin(f"http://site/{example.page_url(language)}", img["src"]) for img in parsed.images]
            light = f"http://site/generated/images/mkd_glr_{example.script_stem}_001.svg#only-light"
            dark = f"http://site/generated/images/mkd_glr_{example.script_stem}_001_dark.svg#only-dark"
            assert light in sources and dark in sources, f"{page}: figure missing"
            assert all(img.get("alt") for img in parsed.images), f"{page}: an image without alt text"
            script = (Path(__file__).parent.parent / "gallery" / example.script).read_text(encoding="utf-8")
            blocks = code_blocks(html)
            assert len(blocks) == 1, f"{page}: expected one code block, found {len(blocks)}"
            missing = [line for line in code_lines(script) if line not in blocks[0].splitlines()]
            assert missing == [], f"{page}: lines of {example.script} missing from the code shown: {missing}"
            assert example.script in html, f"{page}: code block not titled with the script name"
            downloads = {urljoin(f"http://site/{example.page_url(language)}", link["href"]) for link in parsed.links}
            assert f"http://site/data/{example.id}.csv" in downloads, f"{page}: no CSV link"
            for suffix in (".py", ".ipynb"):
                assert f"http://site/generated/{example.script_stem}{suffix}" in downloads, f"{page}: no {suffix}"
                assert (site / "generated" / f"{example.script_stem}{suffix}").is_file()
            assert (site / "generated" / example.script).read_text(encoding="utf-8") == script


def test_pages_reference_no_third_party_host(site):
    # Links readers click (the PyTorch docs) are fine; what a page *loads* must be the site's own.
    # (<link rel="canonical"> names the page's public address; browsers do not load it.)
    loads = re.compile(r'<(?:script|link(?! rel="canonical")|img|iframe|source)\b[^>]*\b(?:src|href)="(https?:)?//', re.I)
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert not loads.search(html), f"{page.relative_to(site)} loads from another host"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_dark_figures_have_a_dark_background(site, catalog):
    import figures

    for example in catalog.examples:
        svg = (site / "generated" / "images" / f"mkd_glr_{example.script_stem}_001_dark.svg").read_text()
        assert figures.DARK_BACKGROUND in svg, f"{example.script}: dark variant has no dark background"
        light = (site / "generated" / "images" / f"mkd_glr_{example.script_stem}_001.svg").read_text()
        assert figures.DARK_BACKGROUND not in light
