"""Formulas: every one in a page's source reaches the reader as MathML, inside its sentence."""

from __future__ import annotations

import re

import pytest
from conftest import LANGUAGES, ROOT
from selectolax.lexbor import LexborHTMLParser as HTMLParser

DOCS = ROOT / "docs"
# Counted from the Markdown source, independently of how the build finds formulas: `$...$` outside
# code spans and fenced blocks, and ```math fences.
FENCE = re.compile(r"^(```|~~~)([^\n]*)\n.*?^\1[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+).+?\1", re.S)
INLINE_MATH = re.compile(r"(?<![\\$\w])\$(?=\S)[^$\n]+?(?<=\S)\$(?![\w$])")
# Elements a sentence lives in: an inline formula anywhere else has been torn out of its sentence.
TEXT_ELEMENTS = {"p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "a", "span", "summary", "figcaption"}
TEX_LEFT = re.compile(r"\$[^$\s][^$]*\$|\\\(|\\\)|\\\[|\\\]|\\(?:frac|mathrm|cdot|eta|left|right)\b")


def source_formulas(markdown: str) -> int:
    fences = list(FENCE.finditer(markdown))
    display = sum(1 for fence in fences if fence[2].strip() == "math")
    prose = CODE_SPAN.sub("", FENCE.sub("", markdown))
    return display + len(INLINE_MATH.findall(prose))


def sources():
    for source in sorted(DOCS.rglob("*.md")):
        relative = source.relative_to(DOCS)
        if relative.parts[0] == "generated":
            continue
        stem, language = relative.with_suffix("").as_posix(), LANGUAGES[0]
        for other in LANGUAGES[1:]:
            if stem.endswith(f".{other}"):
                stem, language = stem[: -len(other) - 1], other
        page = "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html"
        prefix = "" if language == LANGUAGES[0] else f"{language}/"
        yield relative.as_posix(), prefix + page


@pytest.mark.parametrize("source, page", list(sources()))
def test_every_formula_is_mathml_inside_its_sentence(site, source, page):
    expected = source_formulas((DOCS / source).read_text(encoding="utf-8"))
    tree = HTMLParser((site / page).read_text(encoding="utf-8"))
    article = tree.css_first("article")
    formulas = article.css("math")
    assert len(formulas) == expected, f"docs/{source}: {expected} formulas in the source, {len(formulas)} on {page}"
    for formula in formulas:
        if formula.attributes.get("display") == "block":
            assert formula.parent.attributes.get("class") == "math-display", f"{page}: a display formula lost its box"
            continue
        assert formula.parent.tag in TEXT_ELEMENTS, (
            f"{page}: an inline formula sits in <{formula.parent.tag}>, torn out of its sentence: "
            f"{formula.parent.text()[:80]!r}"
        )
    for node in article.css("pre, code, math"):
        node.decompose()
    left = TEX_LEFT.findall(article.text())
    assert left == [], f"{page}: TeX left in the visible text: {left[:3]}"


def test_names_are_one_upright_identifier(site):
    html = (site / "schedulers" / "onecyclelr-cos" / "index.html").read_text(encoding="utf-8")
    assert '<mi mathvariant="normal">max_lr</mi>' in html
    assert '<mi mathvariant="normal">m</mi><mi mathvariant="normal">a</mi>' not in html


def test_the_counter_sees_a_formula(tmp_path):
    """The source count is what the page test holds the build to: prove it counts what it should."""
    text = "A $x$ and `$not$` then\n```math\ny\n```\n```python\nz = '$no$'\n```\nand $\\eta_t$, 5$ 6$."
    assert source_formulas(text) == 3
