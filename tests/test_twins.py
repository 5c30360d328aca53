"""Twin completeness: every Chinese page says everything its English twin says.

A translation can drop a paragraph, a table row or a warning, or carry a number that the English
no longer has, and still read well: nothing else would notice. So each pair of pages is compared
structurally, from its Markdown source rendered with the site's block syntax (tables, admonitions,
fenced code): the same sequence of blocks (headings by level, paragraphs, list items, table rows,
admonitions, code blocks), and in each pair of blocks the same code spans, numbers, link targets
and placeholders. The first difference fails the test, named by page, block and what differs.

What counts as the same, and why:
- numbers compare by value and regardless of order within a block (Chinese word order differs):
  `1e-3` and `0.001`, `10,000` and `10000`, full-width and ASCII digits are the same number;
  digits inside names (`T_0`, `beta1`) are not numbers;
- code spans compare exactly, as a set per block: they hold code, which is not translated, but a
  translation may name `gamma` twice where the English says "it" the second time, and may quote as
  code the English words it translates (the glossary's `learning rate`);
- links compare as a set of targets without the `#fragment`, whose slug comes from a translated
  heading;
- placeholders compare exactly (`{{ lr 9 }}`), except the alt text of `{{ figure N: alt }}`;
- a paragraph inside a list item belongs to the item, so loose and tight lists compare equal.

The source, not the built HTML: the check then needs no build, runs in a second, and its
mutation tests (at the end) edit a copy of a page in tmp_path.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from conftest import ROOT

DOCS = ROOT / "docs"
EXTENSIONS = ["tables", "admonition", "attr_list", "md_in_html", "pymdownx.superfences", "pymdownx.details"]

PLACEHOLDER = re.compile(r"\{\{\s*([a-z]+)(?:\s+([^}]*?))?\s*\}\}")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
NUMBER = re.compile(r"(?<![A-Za-z_\d.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\d)")
BLOCK_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "details", "summary"}
KIND_NAMES = {f"h{level}": f"level-{level} heading" for level in range(1, 7)} | {
    "p": "paragraph",
    "li": "list item",
    "tr": "table row",
    "pre": "code block",
    "details": "collapsible block",
    "summary": "collapsible title",
}


@dataclass
class Block:
    kind: str
    text: str = ""
    codes: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    link_texts: list[str] = field(default_factory=list)

    def snippet(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 50 else text[:47] + "..."

    def numbers(self) -> Counter:
        text = unicodedata.normalize("NFKC", THOUSANDS.sub("", PLACEHOLDER.sub(" ", self.text)))
        return Counter(float(match) for match in NUMBER.findall(text))

    def signature(self) -> tuple:
        return (
            self.kind,
            tuple(sorted(self.numbers().elements())),
            tuple(sorted(set(self.codes))),
            tuple(sorted(set(self.links))),
            tuple(sorted(self.placeholders().elements())),
        )

    def placeholders(self) -> Counter:
        found = Counter()
        for match in PLACEHOLDER.finditer(self.text):
            name, argument = match[1], " ".join((match[2] or "").split())
            if name == "figure":
                argument = argument.partition(":")[0].strip()
            found[f"{{{{ {name} {argument} }}}}".replace("  ", " ")] += 1
        return found


class _Blocks(HTMLParser):
    """The blocks of a rendered page, in order, with the code spans and links of each."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.stack: list[tuple[str, Block | None]] = []  # (tag, block it opened or None)
        self.code: list[str] | None = None
        self.link_text: list[str] | None = None

    def _current(self) -> Block | None:
        for _, block in reversed(self.stack):
            if block is not None:
                return block
        return None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        block = None
        current = self._current()
        if tag == "div" and "admonition" in classes:
            kind = next((c for c in classes if c != "admonition"), "note")
            block = Block(f"admonition ({kind})")
        elif tag == "p" and "admonition-title" in classes:
            block = Block("admonition title")
        elif tag == "p" and current is not None and current.kind == "list item":
            block = None  # a loose list's paragraph belongs to its item
        elif tag in BLOCK_TAGS:
            block = Block(KIND_NAMES[tag])
        if block is not None:
            self.blocks.append(block)
        if tag in ("a", "img") and current is not None or (tag in ("a", "img") and block is not None):
            target = attributes.get("href") if tag == "a" else attributes.get("src")
            if target:
                (block or current).links.append(target.partition("#")[0])
        if tag == "code" and not any(open_tag == "pre" for open_tag, _ in self.stack):
            self.code = []
        if tag == "a":
            self.link_text = []
        if tag not in ("img", "br", "hr", "input"):
            self.stack.append((tag, block))

    def handle_endtag(self, tag):
        if tag == "code" and self.code is not None:
            block = self._current()
            if block is not None:
                block.codes.append("".join(self.code))
            self.code = None
        if tag == "a" and self.link_text is not None:
            block = self._current()
            if block is not None:
                block.link_texts.append("".join(self.link_text))
            self.link_text = None
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        block = self._current()
        if block is not None:
            block.text += data
        if self.code is not None:
            self.code.append(data)
        if self.link_text is not None:
            self.link_text.append(data)


def blocks(source: str) -> list[Block]:
    # Placeholders stand aside while Markdown renders: `{{ calc a * b * c }}` is not emphasis.
    stashed = []

    def stash(match):
        stashed.append(match[0])
        return f"zzplaceholder{len(stashed) - 1}zz"

    html = markdown.markdown(PLACEHOLDER.sub(stash, source), extensions=EXTENSIONS)
    html = re.sub(r"zzplaceholder(\d+)zz", lambda match: stashed[int(match[1])], html)
    parser = _Blocks()
    parser.feed(html)
    return parser.blocks


def first_difference(english: str, chinese: str) -> str | None:
    """The first way in which the Chinese source says something other than the English, or None."""
    en, zh = blocks(english), blocks(chinese)
    # Aligned by kind and content, so that a deleted paragraph is named rather than its neighbour;
    # blocks whose kinds agree but whose content does not are then compared to say what differs.
    matcher = difflib.SequenceMatcher(a=[b.signature() for b in en], b=[b.signature() for b in zh], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1 and all(en[i].kind == zh[j].kind for i, j in zip(range(i1, i2), range(j1, j2))):
            for i, j in zip(range(i1, i2), range(j1, j2)):
                problem = _compare(en[i], zh[j])
                if problem:
                    return f"{_name(en, i)}: {problem}"
            continue
        if i2 - i1 > j2 - j1:
            return f"{_name(en, i1 + _first_unmatched(en[i1:i2], zh[j1:j2]))} of the English has no counterpart"
        if j2 - j1 > i2 - i1:
            return f"{_name(zh, j1 + _first_unmatched(zh[j1:j2], en[i1:i2]), 'Chinese')} has no counterpart in the English"
        return f"{_name(en, i1)} is a {zh[j1].kind} in the Chinese"
    return None


def _first_unmatched(longer: list[Block], shorter: list[Block]) -> int:
    """Within a stretch where one page has more blocks, the first that the other page lacks."""
    kinds = difflib.SequenceMatcher(a=[b.kind for b in longer], b=[b.kind for b in shorter], autojunk=False)
    for tag, i1, _, _, _ in kinds.get_opcodes():
        if tag != "equal":
            return i1
    return len(shorter)


def _name(page_blocks: list[Block], index: int, language: str = "") -> str:
    block = page_blocks[index]
    number = sum(1 for b in page_blocks[: index + 1] if b.kind == block.kind)
    prefix = f"the {language} " if language else ""
    return f'{prefix}{block.kind} {number} ("{block.snippet()}")'


def _compare(en: Block, zh: Block) -> str | None:
    for what, english, chinese in (
        ("placeholder", en.placeholders(), zh.placeholders()),
        ("number", en.numbers(), zh.numbers()),
        ("code span", Counter(set(en.codes)), Counter(set(zh.codes))),
        ("link to", Counter(set(en.links)), Counter(set(zh.links))),
    ):
        if what == "code span":  # a Chinese page may quote the English words it translates as code
            chinese = Counter({span: n for span, n in chinese.items() if span in english or span not in en.text})
        if english != chinese:
            missing, extra = english - chinese, chinese - english
            parts = [f"{what} {_show(x)} missing in the Chinese" for x in missing]
            parts += [f"{what} {_show(x)} only in the Chinese" for x in extra]
            return "; ".join(parts)
    return None


def _show(value) -> str:
    if isinstance(value, float):
        return repr(int(value)) if value == int(value) and abs(value) < 1e6 else f"{value:g}"
    return f"`{value}`"


def page_pairs() -> list[tuple[Path, Path]]:
    pairs = []
    for english in sorted(DOCS.rglob("*.md")):
        if english.name.endswith(".zh.md") or "generated" in english.relative_to(DOCS).parts:
            continue
        pairs.append((english, english.with_name(english.stem + ".zh.md")))
    return pairs


@pytest.mark.parametrize("english, chinese", page_pairs(), ids=lambda path: str(path.relative_to(DOCS)))
def test_every_chinese_page_says_what_its_english_twin_says(english, chinese):
    assert chinese.is_file(), f"docs/{english.relative_to(DOCS)} has no Chinese twin"
    problem = first_difference(english.read_text(encoding="utf-8"), chinese.read_text(encoding="utf-8"))
    assert problem is None, f"docs/{chinese.relative_to(DOCS)}: {problem}"


# ------------------------------------------------------------------- the check catches mutations

STEPLR = DOCS / "schedulers" / "steplr.md"


def _mutated(tmp_path, mutate) -> tuple[str, str]:
    english = STEPLR.read_text(encoding="utf-8")
    chinese = STEPLR.with_name("steplr.zh.md").read_text(encoding="utf-8")
    copy = tmp_path / "steplr.zh.md"
    copy.write_text(mutate(chinese), encoding="utf-8")
    return english, copy.read_text(encoding="utf-8")


def test_a_deleted_chinese_paragraph_is_named(tmp_path):
    chinese = STEPLR.with_name("steplr.zh.md").read_text(encoding="utf-8")
    chunks = chinese.split("\n\n")
    prose = [i for i, chunk in enumerate(chunks) if [b.kind for b in blocks(chunk)] == ["paragraph"] and "{{" not in chunk]
    dropped = prose[1]  # the second paragraph of prose, whichever it is
    number = sum(b.kind == "paragraph" for b in blocks("\n\n".join(chunks[: dropped + 1])))

    english, mutated = _mutated(tmp_path, lambda text: "\n\n".join(chunks[:dropped] + chunks[dropped + 1 :]))
    problem = first_difference(english, mutated)
    assert problem is not None and f"paragraph {number} (" in problem and "has no counterpart" in problem, problem


def test_a_deleted_table_row_is_named(tmp_path):
    def drop_gamma_row(text):
        return "\n".join(line for line in text.splitlines() if not line.startswith("| `gamma`")) + "\n"

    english, chinese = _mutated(tmp_path, drop_gamma_row)
    problem = first_difference(english, chinese)
    assert problem is not None and 'table row 3 ("gamma ' in problem and "has no counterpart" in problem, problem


def test_a_changed_number_is_named(tmp_path):
    english, chinese = _mutated(tmp_path, lambda text: text.replace("`step_size=30`", "`step_size=20`", 1))
    problem = first_difference(english, chinese)
    assert problem is not None and "number 30 missing in the Chinese; number 20 only in the Chinese" in problem, problem


def test_a_dropped_admonition_or_link_is_named():
    english = '# T\n\n!!! warning "Careful"\n    Step 4 breaks [this](a.md#x).\n'
    assert "admonition (warning) 1" in first_difference(english, "# T\n")
    assert "link to `a.md` missing" in first_difference(english, english.replace("[this](a.md#x)", "this"))
    assert first_difference(english, english.replace("a.md#x", "a.md#其他")) is None


def test_numbers_compare_by_value():
    assert first_difference("Down to `x` at 1e-3, after 10,000 steps.\n", "在 10000 步后降到 `x`，即 ０.001。\n") is None
    assert "number 7 only in the Chinese" in first_difference("At step 8.\n", "在第 8 步，第 7 步。\n")
    assert first_difference("`T_0` and beta1.\n", "`T_0` 和 beta1。\n") is None
