"""Room: the page's HTML after Markdown.

Owns: formulas as MathML (mathml.py; no JavaScript, no CDN), numbers like 7.8e-6 kept in one piece,
and the heading links' title in the page's language.
Events: on_page_content.
"""

from __future__ import annotations

import functools
import re

from mkdocs.exceptions import PluginError

from catalog import LANGUAGES
from furniture import FURNITURE
from mathml import render_math


def on_page_content(html, page, config, files):
    return page_html(html, getattr(page.file, "locale", LANGUAGES[0]))


# The same HTML gives the same result: under `mkdocs serve` each rebuild renders every page again, and
# MathML is the slow part. A plain memo of a pure function, kept for the process.
@functools.lru_cache(maxsize=512)
def page_html(html: str, language: str) -> str:
    html = render_math(html)
    html = outside_tags(html, ("pre", "script", "style", "math"), keep_numbers_whole)
    if language != LANGUAGES[0]:
        permalink = f'title="{FURNITURE[LANGUAGES[0]]["permalink"]}"'
        if permalink not in html and 'class="headerlink"' in html:
            raise PluginError("the toc extension's permalink_title in mkdocs.yml and scripts/furniture.yml differ")
        html = html.replace(permalink, f'title="{FURNITURE[language]["permalink"]}"')
    return html


# A number in scientific notation (7.8e-6): a browser may break the line at its minus sign, which in
# Chinese text, with no spaces to break at, it does ("7.8e-" / "6"). Keep each in one piece.
SCIENTIFIC = re.compile(r"(?<![\w.\-])[+-]?\d+(?:\.\d+)?e[+-]?\d+(?![\w.])")


def keep_numbers_whole(text: str) -> str:
    return SCIENTIFIC.sub(lambda number: f'<span class="nowrap">{number[0]}</span>', text)


def outside_tags(html: str, skipped: tuple[str, ...], transform) -> str:
    """Apply `transform` to the text between the tags of `html`, except inside the `skipped` elements."""
    skip = re.compile(rf"<({'|'.join(skipped)})\b.*?</\1>", re.S)
    out, position = [], 0
    for element in skip.finditer(html):
        out.append(_text_only(html[position : element.start()], transform))
        out.append(element[0])
        position = element.end()
    out.append(_text_only(html[position:], transform))
    return "".join(out)


def _text_only(html: str, transform) -> str:
    return re.sub(r"(?<=>)[^<]+|^[^<]+", lambda text: transform(text[0]), html)
