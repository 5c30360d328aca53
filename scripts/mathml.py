"""Formulas rendered to MathML at build time: no math library for the browser to fetch, nothing
from a CDN, and it works offline. Browsers have rendered MathML Core natively since 2023.

In the prose pages, `$...$` is inline math and a fenced block tagged `math` is display math; both
are plain LaTeX. Markdown parses the page first: `pymdownx.arithmatex` (generic mode, mkdocs.yml)
finds the formulas where Markdown's own rules say they are (never inside code) and leaves each as
`<span class="arithmatex">\\(...\\)</span>` or `<div class="arithmatex">\\[...\\]</div>` in its
paragraph; `render_math` then swaps those for MathML in the page's HTML. (Replacing `$...$` by raw
`<math>` *before* Markdown made a source line that starts with a formula a block of raw HTML, which
tore the sentence apart.)
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

FENCE = re.compile(r"^(?P<fence>```|~~~)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
# What arithmatex (generic mode) writes; the TeX inside is HTML-escaped.
INLINE = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.S)
DISPLAY = re.compile(r'<div class="arithmatex">\s*\\\[(?P<tex>.*?)\\\]\s*</div>', re.S)
# latex2mathml turns \mathrm{max\_lr} into six identifiers, one letter each, which a screen reader
# spells out and the browser spaces as a product; a name is one upright identifier.
UPRIGHT_LETTERS = re.compile(r'<mrow>((?:<mi mathvariant="normal">[^<]*</mi>){2,})</mrow>')
UPRIGHT_LETTER = re.compile(r'<mi mathvariant="normal">([^<]*)</mi>')


def outside_code(markdown: str, transform) -> str:
    """Apply `transform` to the prose of a Markdown text, not to its fenced code blocks."""
    out, position = [], 0
    for fence in FENCE.finditer(markdown):
        out.append(transform(markdown[position : fence.start()]))
        out.append(fence[0])
        position = fence.end()
    out.append(transform(markdown[position:]))
    return "".join(out)


def render_math(page_html: str) -> str:
    """The page's HTML with every formula arithmatex marked turned into MathML."""
    page_html = DISPLAY.sub(lambda match: _display(match["tex"]), page_html)
    return INLINE.sub(lambda match: _mathml(match["tex"], display="inline"), page_html)


def _display(tex: str) -> str:
    # tabindex: a formula wider than a phone scrolls in its box, which the keyboard can only
    # scroll if the box takes focus (axe: scrollable-region-focusable).
    return f'<div class="math-display" tabindex="0">{_mathml(tex, display="block")}</div>'


def _mathml(tex: str, display: str) -> str:
    mathml = convert(html.unescape(tex).strip(), display=display)
    return UPRIGHT_LETTERS.sub(_one_identifier, mathml)


def _one_identifier(match) -> str:
    name = "".join(html.unescape(letter) for letter in UPRIGHT_LETTER.findall(match[1]))
    return f'<mi mathvariant="normal">{html.escape(name, quote=False)}</mi>'
