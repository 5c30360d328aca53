"""Figures in the page's language: each gallery figure's words, mapped from one table.

A gallery script draws its figure once, with English labels (`step`, `lr`, a legend). With
`svg.fonttype: none` every word is a `<text>` element of the SVG, so a page in another language
gets the same SVG with those words replaced from gallery/figure_text.yml, as `figures.dark_svg`
maps the colours for the dark palette: one run, one geometry, one rendering per language and
palette. Numbers and code (`gamma=0.5`, `LambdaLR`) stay as drawn; any other word the table lacks
fails the build, naming the figure and the line to add. The build calls `add_language_figures`
from hooks_catalog.py (on_files), and a page asks `language_path` for its language's file.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path, PurePosixPath

import yaml

TABLE_PATH = Path(__file__).resolve().parent.parent / "gallery" / "figure_text.yml"
# A light figure of the gallery, wide or narrow (not a dark twin, not a translation):
# mkd_glr_<script>_001.svg, mkd_glr_<script>_001_narrow.svg
LIGHT_FIGURE = re.compile(r"(?:^|/)mkd_glr_(\w+?)_\d{3}(?:_narrow)?\.svg$")
TEXT = re.compile(r"(<text\b[^>]*>)(.*?)(</text>)", re.S)
TAG = re.compile(r"<[^>]+>")
# Drawn as they are in every language: numbers (tick labels, with matplotlib's minus sign and
# mathtext exponents), `name=value` (a legend naming an argument) and CamelCase class names.
NUMBER = re.compile(r"[\d.,+\-\u2212e×\s]+")
CODE = re.compile(r"[A-Za-z_]\w*=\S+|[A-Z][a-z0-9]*[A-Z]\w*")
# Notation the pages write the same way in every language: `1-sqrt`, `10x`, `n = 16`. A translated
# legend longer than the drawn one would run out of its box (the layout is the English figure's).
NOTATION = re.compile(r"\d+-[a-z]+|\d+x|[a-z] = \d+")


CJK = re.compile(r"[\u3400-\u9fff]")
# A y-axis label, drawn turned a quarter left. Chinese set vertically reads upright, one character
# under the other: the same anchor, in vertical writing mode instead of rotated.
SIDEWAYS = re.compile(r'\stransform="rotate\(-90 ([\d.\-]+) ([\d.\-]+)\)"')


def _upright(start_tag: str) -> str:
    """Turned text has its glyphs left of its anchor, between ascent and descent; a vertical column
    is centred on it: move the anchor left by about a third of the font size, to the glyphs' middle."""
    size = float(re.search(r"font-size: ([\d.]+)px", start_tag)[1])
    start_tag = SIDEWAYS.sub("", start_tag)
    start_tag = re.sub(r'\sx="([\d.\-]+)"', lambda match: f' x="{float(match[1]) - 0.35 * size:g}"', start_tag, count=1)
    return re.sub(r'style="([^"]*)"', r'style="\1; writing-mode: vertical-rl"', start_tag, count=1)


class FigureTextError(Exception):
    """A figure draws a word the table does not translate."""


def load_table(path: Path = TABLE_PATH) -> dict[str, dict[str, str]]:
    """The table (read only: it is shared by every call while the file's text is the same; each
    rebuild of `mkdocs serve` asks for it once per figure page)."""
    return _parsed_table(path.name, path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def _parsed_table(name: str, text: str) -> dict[str, dict[str, str]]:
    table = yaml.safe_load(text)
    if not isinstance(table, dict) or not all(
        isinstance(words, dict) and all(isinstance(w, str) and isinstance(t, str) for w, t in words.items())
        for words in table.values()
    ):
        raise FigureTextError(f"{name}: write one mapping per language, `language: {{text: translation}}`")
    return table


def language_path(light: str, language: str, default: str = "en") -> str:
    """The file of a light figure for `language`: mkd_glr_x_001.svg -> mkd_glr_x_001_zh.svg (its dark
    twin is then figures.dark_variant_path of that, mkd_glr_x_001_zh_dark.svg)."""
    if language == default:
        return light
    path = PurePosixPath(light)
    return str(path.with_name(f"{path.stem}_{language}{path.suffix}"))


def is_neutral(text: str) -> bool:
    return not text or bool(NUMBER.fullmatch(text) or CODE.fullmatch(text) or NOTATION.fullmatch(text))


def translated(svg: str, words: dict[str, str], figure: str, language: str) -> str:
    """`svg` with every word of its `<text>` elements in `language`."""
    missing = []

    def replace(match):
        start, inner, end = match.groups()
        text = html.unescape(TAG.sub("", inner)).strip()
        if is_neutral(text):
            return match[0]
        if text in words and "<" not in inner:
            translation = words[text]
            if CJK.search(translation) and SIDEWAYS.search(start):
                start = _upright(start)
            return start + inner.replace(html.escape(text, quote=False), html.escape(translation, quote=False)) + end
        missing.append(text)
        return match[0]

    result = TEXT.sub(replace, svg)
    if missing:
        lines = "".join(f"\n    {text}: <the {language} text>" for text in sorted(set(missing)))
        raise FigureTextError(
            f"{figure} draws words that gallery/figure_text.yml does not translate; add under `{language}:`{lines}"
            "\n  (a word drawn with mathtext markup cannot be translated: draw it as plain text)"
        )
    return result


def add_language_figures(files, config, languages: list[str]) -> None:
    """Add, beside each light gallery figure, its light and dark rendering in every other language."""
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File

    import figures

    table = load_table()
    for language in languages[1:]:
        if language not in table:
            raise PluginError(f"gallery/figure_text.yml: no `{language}:` table; the figures need one per language")
    for file in [file for file in files if LIGHT_FIGURE.search(file.src_uri)]:
        light = file.content_string
        for language in languages[1:]:
            try:
                script = f"gallery/{LIGHT_FIGURE.search(file.src_uri)[1]}.py"
                text = translated(light, table[language], script, language)
            except FigureTextError as error:
                raise PluginError(str(error)) from None
            path = language_path(file.src_uri, language, languages[0])
            files.append(File.generated(config, path, content=text))
            files.append(File.generated(config, str(figures.dark_variant_path(PurePosixPath(path))), content=figures.dark_svg(text)))


# The size an SVG declares on its root (matplotlib writes points: 518.4pt), in CSS pixels.
SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)(pt|px)?"[^>]*?\sheight="([\d.]+)(pt|px)?"')


def svg_size(text: str) -> tuple[int, int] | None:
    """(width, height) in CSS pixels of an SVG's root element, or None when it declares none."""
    match = SVG_SIZE.search(text[:2000])
    if not match:
        return None
    scale = {"pt": 4 / 3, "px": 1, None: 1}
    return round(float(match[1]) * scale[match[2]]), round(float(match[3]) * scale[match[4]])


def figure_markdown(alt: str, paths: list[str], sizes: list | None = None) -> str:
    """The Markdown of one figure: its wide light and dark renderings, then its narrow ones (paths in
    that order). Material shows the palette's twin (#only-light / #only-dark); site.css shows the
    wide or the narrow one by the width of the screen. `sizes`, (width, height) of each SVG, become
    the img's width and height: with site.css's `width: 100%; height: auto` the browser reserves the
    figure's box before the lazy image arrives, so the text under it does not jump (layout shift)."""
    classes = ["figure-wide", "figure-wide", "figure-narrow", "figure-narrow"]
    palettes = ["only-light", "only-dark"] * 2
    sizes = sizes or [None] * len(paths)
    box = lambda size: f" width={size[0]} height={size[1]}" if size else ""  # noqa: E731
    return "\n".join(
        f"![{alt}]({path}#{palette}){{ .schedule-figure .{width} loading=lazy{box(size)} }}"
        for path, palette, width, size in zip(paths, palettes, classes, sizes)
    )
