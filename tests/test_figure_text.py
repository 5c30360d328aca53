"""Figures in the page's language: a Chinese page shows figures with Chinese words
(scripts/figure_text.py maps the text of each light SVG from gallery/figure_text.yml)."""

from __future__ import annotations

import math
import re
from html import unescape

import figure_text
import pytest
from conftest import LANGUAGES

TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)


def texts(svg: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", inner)).strip() for inner in TEXT.findall(svg)]


def test_every_language_but_english_has_a_table_and_no_entry_is_left_english():
    table = figure_text.load_table()
    assert sorted(table) == sorted(LANGUAGES[1:])
    for language, words in table.items():
        # A translation that is still English (or empty) would pass the check below unnoticed.
        left = [word for word, translated in words.items() if not translated.strip() or (translated == word and word != "epoch")]
        assert left == [], f"gallery/figure_text.yml `{language}:` leaves these in English: {left}"


def test_a_word_the_table_lacks_fails_naming_the_figure_and_the_line_to_add():
    svg = '<svg><text x="1">step</text><text x="2">warmup</text><text>gamma=0.5</text><text>1e\u22124</text></svg>'
    with pytest.raises(figure_text.FigureTextError) as error:
        figure_text.translated(svg, {"step": "步"}, "gallery/plot_x.py", "zh")
    message = str(error.value)
    assert message.startswith("gallery/plot_x.py draws words that gallery/figure_text.yml does not translate")
    assert "add under `zh:`\n    warmup: <the zh text>" in message and "gamma" not in message and "step:" not in message
    done = figure_text.translated(svg.replace("warmup", "step"), {"step": "步"}, "gallery/plot_x.py", "zh")
    assert texts(done) == ["步", "步", "gamma=0.5", "1e\u22124"]


@pytest.mark.parametrize("text, neutral", [("0.0010", True), ("\u22121.5", True), ("T_mult=2", True), ("LambdaLR", True),
                                           ("ChainedScheduler", True), ("lr", False), ("best", False), ("Best", False), ("warm up", False)])
def test_numbers_and_code_are_drawn_as_they_are_and_words_are_not(text, neutral):
    assert figure_text.is_neutral(text) is neutral


def test_chinese_pages_show_chinese_figures_with_no_english_word(site, catalog):
    table = figure_text.load_table()["zh"]
    images = site / "generated" / "images"
    english = set(table) - set(table.values())
    for light in sorted(images.glob("mkd_glr_*_[0-9][0-9][0-9].svg")):
        for variant in ("_zh", "_zh_dark"):
            translated = images / f"{light.stem}{variant}.svg"
            assert translated.is_file(), f"{light.name} has no {variant} rendering"
            shown = texts(translated.read_text(encoding="utf-8"))
            assert len(shown) == len(texts(light.read_text(encoding="utf-8"))), translated.name
            leftover = [text for text in shown if not figure_text.is_neutral(text) and text not in table.values()]
            assert leftover == [] and not english & set(shown), f"{translated.name} shows English: {leftover}"
        assert "步" in texts((images / f"{light.stem}_zh.svg").read_text(encoding="utf-8")) or "_002" in light.name, light.name
    for example in catalog.examples:
        html = (site / "zh" / "schedulers" / example.id / "index.html").read_text(encoding="utf-8")
        sources = re.findall(r'src="[^"]*generated/images/([^"#]+)#only-(?:light|dark)"', html)
        assert sources and all(re.search(r"_zh(_dark)?\.svg$", source) for source in sources), (example.id, sources)
        english_html = (site / "schedulers" / example.id / "index.html").read_text(encoding="utf-8")
        assert "_zh" not in "".join(re.findall(r'src="[^"]*generated/images/[^"]+"', english_html)), example.id
    gallery = (site / "zh" / "gallery" / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'src="[^"]*generated/images/([^"#]+)#', gallery)
    assert len(cards) == 2 * len(catalog.examples) and all("_zh" in card for card in cards)
    summary = (site / "zh" / "summary" / "index.html").read_text(encoding="utf-8")
    assert "generated/summary_zh.svg#only-light" in summary and "generated/summary_zh_dark.svg#only-dark" in summary


PHONE_COLUMN = 343  # CSS px: the content column of Material at a 375 px wide viewport (measured)
NARROW_BELOW = 560  # CSS px (35em): below this width pages show the narrow renderings (site.css)
READABLE = 9  # CSS px: the smallest text a figure may show on a phone


def smallest_text(svg: str, shown_width: float, element: str = "text") -> float:
    """The smallest font size of an SVG's `<text>` (or `<tspan>`: mathtext exponents) elements, in
    CSS px, with the SVG shown `shown_width` px wide."""
    # Sizes are in the units of the viewBox (matplotlib's points), which spans the shown width.
    width = float(re.search(r'<svg\b[^>]*\bviewBox="0 0 ([\d.]+) ', svg)[1])
    sizes = [float(size) for size in re.findall(rf'<{element}\b[^>]*style="[^"]*font-size: ([\d.]+)px', svg)]
    return min(sizes, default=math.inf) * shown_width / width


def test_every_figure_is_readable_on_a_phone_and_shown_by_width(site, catalog):
    """Every figure (and the summary) has a narrow rendering whose smallest text is at least 9 px
    at a 375 px wide viewport; the wide one is not, which is why the narrow one exists."""
    images = site / "generated" / "images"
    narrow = sorted(images.glob("mkd_glr_*_narrow*.svg")) + sorted((site / "generated").glob("summary_narrow*.svg"))
    assert len(narrow) == 4 * (len(list(images.glob("mkd_glr_*_[0-9][0-9][0-9].svg"))) + 1)
    for path in narrow:
        svg = path.read_text(encoding="utf-8")
        assert smallest_text(svg, PHONE_COLUMN) >= READABLE, path.name
        # An exponent (the -4 of 10 to the -4 on a log axis) is set at 70% of its text: 8.3 px.
        assert smallest_text(svg, PHONE_COLUMN, "tspan") >= 8, path.name
    wide = (images / "mkd_glr_plot_steplr_001.svg").read_text(encoding="utf-8")
    assert smallest_text(wide, PHONE_COLUMN) < READABLE  # the problem the narrow rendering solves
    # Largest column width that still shows the wide rendering: its text is readable there too.
    assert smallest_text(wide, NARROW_BELOW - 32) >= READABLE
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    assert "@media screen and (max-width: 35em)" in css and "img.figure-wide" in css and "img.figure-narrow" in css
    for language, prefix in zip(LANGUAGES, ("", "zh/")):
        html = (site / prefix / "schedulers" / "steplr" / "index.html").read_text(encoding="utf-8")
        classes = re.findall(r'<img[^>]*class="([^"]*schedule-figure[^"]*)"', html)
        assert sorted(classes) == sorted(["schedule-figure figure-wide"] * 2 + ["schedule-figure figure-narrow"] * 2), classes
        gallery = (site / prefix / "gallery" / "index.html").read_text(encoding="utf-8")
        assert all("_narrow" in src for src in re.findall(r'<img[^>]*src="([^"]*generated/images/[^"]+)"', gallery))
        # Each rendering declares its SVG's size, so the browser reserves its box before the lazy image
        # loads and the text below does not shift (Lighthouse measured CLS 0.13 on StepLR without it).
        for img in re.findall(r"<img[^>]*schedule-figure[^>]*>", html):
            src = re.search(r'src="([^"#]+)', img)[1]
            svg = (site / prefix / "schedulers" / "steplr" / src).resolve().read_text(encoding="utf-8")
            width, height = (re.search(r'\s%s="(\d+)"' % name, img) for name in ("width", "height"))
            assert width and height and (int(width[1]), int(height[1])) == figure_text.svg_size(svg), (img, figure_text.svg_size(svg))


def test_a_chinese_y_label_reads_upright_and_a_latin_one_stays_turned():
    turned = '<text style="font-size: 10px; text-anchor: middle" x="10.5" y="128" transform="rotate(-90 10.5 128)">{}</text>'
    upright = figure_text.translated(turned.format("lr"), {"lr": "学习率"}, "gallery/plot_x.py", "zh")
    assert "rotate" not in upright and "writing-mode: vertical-rl" in upright and 'x="7"' in upright, upright
    kept = figure_text.translated(turned.format("epoch"), {"epoch": "epoch"}, "gallery/plot_x.py", "zh")
    assert kept == turned.format("epoch")


def test_troubleshootings_figures_go_through_the_same_table(site):
    """The silent mistakes' figures (scripts/troubleshooting.py) are drawn in English and mapped like
    the gallery's: the same texts in the same places, Chinese words from the table, and the y-axis
    label upright in Chinese, turned in English."""
    table = figure_text.load_table()["zh"]
    figures = sorted((site / "generated" / "troubleshooting").glob("*.en.svg"))
    assert len(figures) >= 6, figures
    for english in figures:
        for variant in (".zh.svg", ".zh_dark.svg"):
            chinese = english.with_name(english.name.replace(".en.svg", variant))
            svg = chinese.read_text(encoding="utf-8")
            drawn = texts(english.read_text(encoding="utf-8"))
            assert texts(svg) == [table.get(text, text) for text in drawn], chinese.name
            assert "学习率" in texts(svg) and "原写法" in texts(svg), chinese.name
            label = re.search(r"<text\b([^>]*)>学习率</text>", svg)[1]
            assert "writing-mode: vertical-rl" in label and "rotate(-90" not in label, f"{chinese.name}: {label}"
        assert re.search(r'<text\b[^>]*rotate\(-90[^>]*>learning rate</text>', english.read_text(encoding="utf-8")), english.name
