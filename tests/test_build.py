"""The built site: its pages in both languages, their links to each other, their furniture."""

from __future__ import annotations

import ast
import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import LANGUAGES, ROOT, SITE_URL, expected_pages, html_pages
from furniture import FURNITURE


def material_strings(language: str) -> dict[str, str]:
    """Material's labels in one language, from the theme's own translation file."""
    import material

    source = Path(material.__file__).parent / "templates" / "partials" / "languages" / f"{language}.html"
    return dict(re.findall(r'^\s*"([\w.]+)": "((?:[^"\\]|\\.)*)",?$', source.read_text(encoding="utf-8"), re.M))


def english_furniture(catalog) -> dict[str, str]:
    """Every label the theme, the plugins and our hooks put on pages, as the English pages show it,
    where the Chinese pages must show something else: {where it comes from: the English string}.
    Taken from the strings themselves (Material's translations, mkdocs.yml, the hooks' FURNITURE,
    the catalog), so a new label is checked the day it is added."""
    import yaml

    english, chinese = material_strings("en"), material_strings("zh")
    found = {f"Material {key}": value for key, value in english.items() if chinese.get(key) != value and len(value) > 3}
    for key, value in FURNITURE["en"].items():
        # Every label of ours is translated (a Chinese label left in English is itself the defect).
        # Templates ("{title}: figure {number}"): their longest literal part.
        found[f"hooks FURNITURE {key}"] = max(re.split(r"\{\w+\}", value), key=len).strip(" :")
    class Loader(yaml.SafeLoader):
        """mkdocs.yml's tags (!ENV, !!python/...) name values read at build time: here they are None."""

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    zh = next(language for language in config["plugins"][-1]["i18n"]["languages"] if language["locale"] == "zh")
    for key in ("site_name", "site_description", "copyright"):
        found[f"mkdocs.yml {key}"] = config[key]
    for title in zh["nav_translations"]:
        found[f"mkdocs.yml nav {title}"] = title
    for number, palette in enumerate(config["theme"]["palette"]):
        found[f"mkdocs.yml palette toggle {number}"] = palette["toggle"]["name"]
    for section in catalog.sections:
        if section.title["en"] != section.title["zh"]:
            found[f"catalog section {section.id}"] = section.title["en"]
    for example in catalog.examples:
        if example.title["en"].split(" (")[0] not in example.title["zh"]:
            found[f"catalog title {example.id}"] = example.title["en"]
    return found



class PageText(HTMLParser):
    """The text a reader sees or hears (text, alt, title, aria-label), code blocks left out."""

    # <cite>: the title of a cited work, quoted as published (an English article's original title).
    SKIPPED = {"pre", "code", "script", "style", "cite"}

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
    pages = sorted(page for page in expected_pages(catalog) if not page.endswith("404.html"))  # own test below
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
    furniture = english_furniture(catalog)
    assert len(furniture) > 40, f"found too few labels to check: {furniture}"
    zh_pages = sorted(page for page in expected_pages(catalog) if page.startswith("zh/"))
    for page in zh_pages:
        parsed = parse(site / page)
        assert parsed.lang == "zh-CN", f"{page}: <html lang={parsed.lang!r}> (Simplified Chinese: zh-CN)"
        html = (site / page).read_text(encoding="utf-8")
        # What Material's JavaScript shows later (tooltips, "copied") comes from the page's config.
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)[1])
        text = parsed.text + " " + " ".join(config["translations"].values())
        found = [f"{where}: {value!r}" for where, value in furniture.items() if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text)]
        assert found == [], f"{page}: English furniture on a Chinese page: {found}"
        assert re.search(r"[\u4e00-\u9fff]{20,}", text.replace(" ", "")), f"{page}: hardly any Chinese text"


def test_each_language_has_its_own_404_page(site):
    for language, page, heading in (("en", "404.html", "Page not found"), ("zh", "zh/404.html", "页面不存在")):
        parsed = parse(site / page)
        assert parsed.lang == {"en": "en", "zh": "zh-CN"}[language] and heading in parsed.text, f"{page}: lang={parsed.lang!r}, {parsed.text[:200]!r}"
        switch = {link["hreflang"]: link["href"] for link in parsed.links if link.get("hreflang")}
        # A page that is no page: the switcher leads to each language's home page.
        assert switch == {"en": "/lr-gallery/", "zh": "/lr-gallery/zh/"}, f"{page}: switcher {switch}"
    # GitHub Pages answers every missing address with the root 404.html: it sends zh/ on.
    assert 'location.replace("/lr-gallery/zh/404.html")' in (site / "404.html").read_text(encoding="utf-8")


def test_heading_anchors_read_as_the_heading(site, catalog):
    for page in sorted(expected_pages(catalog)):
        html = (site / page).read_text(encoding="utf-8")
        for level, anchor, title in re.findall(r'<h([23]) id="([^"]+)">(.*?)<a class="headerlink"', html, re.S):
            if title.startswith("<code>"):  # a message quoted as printed (troubleshooting): its anchor names the entry
                continue
            words = re.findall(r"[\u4e00-\u9fff]+|[a-z0-9]+", unescape(re.sub(r"<[^>]+>", "", title)).lower())
            assert words and words[0] in anchor, f"{page}: <h{level}> {title!r} has the anchor #{anchor}"
        permalink = FURNITURE["zh" if page.startswith("zh/") else "en"]["permalink"]
        assert html.count('class="headerlink"') == html.count(f'title="{permalink}"'), f"{page}: heading link names"


def language_of_page(page: str) -> str:
    first = page.split("/", 1)[0]
    return first if first in LANGUAGES[1:] else LANGUAGES[0]


def test_search_never_leads_to_the_other_language(site, catalog):
    """Each language searches its own index (static-i18n merges them; scripts/hooks_language.py splits them)."""
    for language in LANGUAGES:
        prefix = "" if language == LANGUAGES[0] else f"{language}/"
        index = json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
        pages = {doc["location"].split("#")[0] for doc in index["docs"]}
        own = [page for page in expected_pages(catalog) if not page.endswith("404.html") and language_of_page(page) == language]
        expected = {page.removeprefix(prefix).removesuffix("index.html") for page in own}
        assert pages == expected, f"{prefix}search/search_index.json: extra {sorted(pages - expected)[:5]}, missing {sorted(expected - pages)[:5]}"
        titles = " ".join(doc["title"] for doc in index["docs"])
        if language == "zh":
            assert re.search(r"[\u4e00-\u9fff]", titles)
        else:
            assert not re.search(r"[\u4e00-\u9fff]", titles), "Chinese entries in the English search index"


def test_every_example_page_shows_its_figures_code_and_downloads(site, catalog):
    for example in catalog.examples:
        for language in LANGUAGES:
            page = site / example.page_url(language) / "index.html"
            html = page.read_text(encoding="utf-8")
            parsed = parse(page)
            sources = [urljoin(f"http://site/{example.page_url(language)}", img["src"]) for img in parsed.images]
            suffix = "" if language == LANGUAGES[0] else f"_{language}"  # figures in the page's language
            light = f"http://site/generated/images/mkd_glr_{example.script_stem}_001{suffix}.svg#only-light"
            dark = f"http://site/generated/images/mkd_glr_{example.script_stem}_001{suffix}_dark.svg#only-dark"
            assert light in sources and dark in sources, f"{page}: figure missing"
            assert all(img.get("alt") for img in parsed.images), f"{page}: an image without alt text"
            script = (Path(__file__).parent.parent / "gallery" / example.script).read_text(encoding="utf-8")
            # The script's program, once; a page may show snippets besides it (recipe-wsd's per-group decay).
            blocks = [block for block in code_blocks(html) if "plt.show()" in block]
            assert len(blocks) == 1, f"{page}: expected the program once, found {len(blocks)}"
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


def svg_colours(svg: str, element: str, prop: str) -> list[str]:
    """The `prop` colours (fill, stroke) of every `element` in a matplotlib SVG, with SVG's defaults
    where none is set: black fill, no stroke."""
    colours = []
    for attributes in re.findall(rf"<{element}\b([^>]*)>", svg):
        style = re.search(r'style="([^"]*)"', attributes)
        value = re.search(rf"(?:^|;)\s*{prop}:\s*([^;]+)", style[1]) if style else None
        colours.append(value[1].strip() if value else {"fill": "#000000", "stroke": "none"}[prop])
    return [colour for colour in colours if colour.startswith("#")]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first[:7]), luminance(second[:7])), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_dark_figures_are_drawn_for_a_dark_page(site, catalog):
    """Measured from the drawing, not from how it was made: on the dark palette's background, every
    text reads (contrast 4.5:1), every line and marker shows (3:1, grid lines 1.5:1), and nothing is
    painted in a light box."""
    import figures

    background = figures.DARK_BACKGROUND
    images = sorted((site / "generated" / "images").glob("*_dark.svg")) + [site / "generated" / "summary_dark.svg"]
    assert len(images) >= len(catalog.examples)
    for image in images:
        svg = image.read_text(encoding="utf-8")
        name = image.name
        # Mathtext (10^-3 on a log axis) is a <text> of <tspan>s, each with its own fill.
        plain_text = re.sub(r"<text\b[^>]*>(?=\s*<tspan)", "", svg)
        for colour in svg_colours(plain_text, "text", "fill") + svg_colours(svg, "tspan", "fill"):
            assert contrast(colour, background) >= 4.5, f"{name}: text in {colour} does not read on {background}"
        strokes = [colour for colour in svg_colours(svg, "path", "stroke") + svg_colours(svg, "use", "stroke")]
        for colour in strokes:
            needed = 1.5 if colour == figures.DARK_GRID else 3
            assert contrast(colour, background) >= needed, f"{name}: a line in {colour} hardly shows on {background}"
        for colour in svg_colours(svg, "path", "fill"):
            assert contrast(colour, "#ffffff") >= 1.5, f"{name}: a {colour} area glares on the dark page"
        light = (image.parent / name.replace("_dark.svg", ".svg")).read_text(encoding="utf-8")
        assert background not in light, f"{name}: the light twin is dark"


def test_each_example_page_is_titled_as_the_catalog_says(site, catalog):
    """The nav shows a page's heading, the gallery cards the catalog's title: one name in both places
    (in Chinese, half-width brackets after a no-break space around code, full-width ones around
    Chinese text, see gallery/catalog.yml; tests/test_typography.py checks the brackets)."""
    for example in catalog.examples:
        for language in LANGUAGES:
            html = (site / example.page_url(language) / "index.html").read_text(encoding="utf-8")
            heading = re.search(r"<h1\b[^>]*>(.*?)</h1>", html, re.S)[1]
            heading = unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="headerlink".*?</a>', "", heading))).strip()
            assert heading == example.title[language], f"{example.page_url(language)}: <h1> {heading!r}, catalog {example.title[language]!r}"
            for inside in re.findall(r"（([^）]*)）", heading):
                assert re.search(r"[\u4e00-\u9fff]", inside), f"{example.page_url(language)}: full-width brackets around code in the title"
