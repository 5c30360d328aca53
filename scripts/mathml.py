"""Formulas rendered to MathML at build time: no math library for the browser to fetch, nothing
from a CDN, and it works offline. Browsers have rendered MathML Core natively since 2023.

In the prose pages, `$...$` is inline math and a fenced block tagged `math` is display math; both
are plain LaTeX. Code (fenced blocks and `code spans`) is left untouched.
"""

from __future__ import annotations

import re

from latex2mathml.converter import convert

FENCE = re.compile(r"^(?P<fence>```|~~~)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
# ASCII word characters only around the dollars: a formula may touch a Chinese character.
INLINE_MATH = re.compile(r"(?<![\\$A-Za-z0-9_])\$(?=\S)(?P<tex>[^$\n]+?)(?<=\S)\$(?![A-Za-z0-9_$])")


def outside_code(markdown: str, transform) -> str:
    """Apply `transform` to the prose of a Markdown text, not to its fenced code blocks."""
    out, position = [], 0
    for fence in FENCE.finditer(markdown):
        out.append(transform(markdown[position : fence.start()]))
        out.append(fence[0])
        position = fence.end()
    out.append(transform(markdown[position:]))
    return "".join(out)


def render_math(markdown: str) -> str:
    out, position = [], 0
    for fence in FENCE.finditer(markdown):
        out.append(_inline(markdown[position : fence.start()]))
        if fence["info"].strip() == "math":
            mathml = convert(fence["body"].strip(), display="block")
            # tabindex: a formula wider than a phone scrolls in its box, which the keyboard can only
            # scroll if the box takes focus (axe: scrollable-region-focusable).
            out.append(f'<div class="math-display" tabindex="0" markdown="0">{mathml}</div>')
        else:
            out.append(fence[0])
        position = fence.end()
    out.append(_inline(markdown[position:]))
    return "".join(out)


def _inline(text: str) -> str:
    """Inline math in prose, leaving code spans as they are."""
    out, position = [], 0
    for span in CODE_SPAN.finditer(text):
        out.append(INLINE_MATH.sub(_inline_mathml, text[position : span.start()]))
        out.append(span[0])
        position = span.end()
    out.append(INLINE_MATH.sub(_inline_mathml, text[position:]))
    return "".join(out)


def _inline_mathml(match) -> str:
    return convert(match["tex"])
