"""Chinese typography: each class of defect a native editor found, checked over the text of every
built Chinese page (prose, nav, headings, image alt text) and the catalog's titles.

What is checked (code, formulas and torch's own messages are left out: they are quoted as printed):
- no space before 约 ("降到 约 3.49e-4" is "降到约 3.49e-4");
- no space after a full-width closing bracket （…） or before an opening one;
- half-width brackets hold code or Latin only: Chinese text goes in full-width （）;
- full-width brackets are not nested or doubled （（…）） ;
- no doubled punctuation (。。, ，。) and no "1.。";
- numbers of five digits or more are grouped by thousands, as on every page: 20,000, not 20000.
The stray space between two Chinese characters is checked by tests/test_build.py.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from conftest import ROOT

CJK = "\u3400-\u9fff\uf900-\ufaff"
CHECKS = {
    "a space before 约": re.compile(rf"[{CJK}，。、；：（）]([ \u00a0\u3000]+)约"),
    # (a list separator after ）, " · " or " - ", keeps its spaces)
    "a space after ） or before （": re.compile(r"）[ \u00a0](?![·\-–—|])|(?<=\S)[ \u00a0]（"),
    "half-width brackets around Chinese text (write （…）)": re.compile(rf"\([^()]*[{CJK}][^()]*\)"),
    "nested or doubled full-width brackets": re.compile(r"（[^（）]*（|）[^（）]*）|（（|））"),
    "doubled punctuation": re.compile(r"[。，、；：！？][。，、；：！？]|\d\.[。，；]"),
    "a long number without thousands separators (write 20,000)": re.compile(r"(?<![\d.,_eE\-−/#\w])\d{5,}(?![\d_])"),
}
# Elements whose text is not prose: code, formulas, torch's messages in code, scripts. Each leaves a
# mark (§) so that the spaces around it are still seen; block elements end a line, inline ones nothing.
NOT_PROSE = re.compile(r"<(pre|code|math|script|style|svg|kbd)\b.*?</\1>", re.S)
BLOCK = re.compile(r"</?(?:p|li|ul|ol|h\d|td|th|tr|table|div|nav|header|footer|br|hr|label|details|summary)\b[^>]*>")


def defects(text: str) -> list[str]:
    found = []
    for name, pattern in CHECKS.items():
        for match in pattern.finditer(text):
            start = max(0, match.start() - 12)
            found.append(f"{name}: …{text[start : match.end() + 12]}…")
    return found


def page_text(html: str) -> str:
    """The prose of a built page: the article, the nav and the image alt texts, without code."""
    html = NOT_PROSE.sub("§", html)
    alts = re.findall(r'\balt="([^"]*)"', html)
    titles = re.findall(r'\btitle="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", "", BLOCK.sub("\n", html))
    return unescape("\n".join([text, *alts, *titles]))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("降到 约 3.49e-4", "a space before 约"),
        ("降到约 3.49e-4", None),
        ("（见上文） 然后", "a space after ） or before （"),
        ("自定义调度器 (继承 LRScheduler)", "half-width brackets"),
        ("PolynomialLR\u00a0(power=1)", None),
        ("（OneCycleLR（cos））", "nested"),
        ("见第 1.。", "doubled punctuation"),
        ("结束。。", "doubled punctuation"),
        ("长达 20000 步", "a long number"),
        ("长达 20,000 步", None),
        ("`1e-5`、1e-12", None),
    ],
)
def test_each_check_finds_its_defect_and_nothing_else(text, expected):
    found = defects(text)
    if expected is None:
        assert found == []
    else:
        assert found and all(defect.startswith(expected) for defect in found), found


def test_built_chinese_pages_have_none_of_the_defects(site):
    problems = []
    for path in sorted((site / "zh").rglob("*.html")):
        for defect in defects(page_text(path.read_text(encoding="utf-8"))):
            problems.append(f"{path.relative_to(site)}: {defect}")
    assert problems == [], "\n".join(problems[:40])


def test_catalog_titles_have_none_of_the_defects_and_no_gloss(catalog):
    for example in catalog.examples:
        title = example.title["zh"]
        assert defects(title) == [], (example.id, defects(title))
        # A class name stands alone: no Chinese gloss in brackets after it (gloss all titles or none).
        assert not re.fullmatch(rf"[A-Za-z]+\s*[（(][^)）]*[{CJK}][^)）]*[)）]", title), f"{example.id}: {title!r} glosses a class name"
    for section in catalog.sections:
        assert defects(section.title["zh"]) == [], section.id
    assert defects((ROOT / "gallery" / "catalog.yml").read_text(encoding="utf-8").split("\nnot_shown:")[1]) == []
