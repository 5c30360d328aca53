"""A Python script in another language: its comments and docstrings replaced from a table.

The Evidence page shows each experiment's script and offers it for download; the Chinese page shows
and offers the same script with Chinese comments and docstrings, and nothing else changed. The English
script is the one source of the code; its Chinese lives in a table beside it (experiments/zh/NAME.yml):

    - en: the English as the script writes it (line breaks and spaces do not matter)
      zh: its Chinese (the line breaks are kept: a comment block or docstring is wrapped as written)

An entry translates a *unit*: a docstring, a comment after code on its line, or a block of comment
lines (consecutive, at one indentation), so a sentence that the English wraps over three lines is
translated as one sentence, not three fragments.

Why a table and not the troubleshooting page's `# zh:` lines under each English comment
(troubleshooting.py): those snippets are shown, never downloaded or run from the repository, while an
experiment script is run from the repository (`make experiments`), published as it is, and its
results are recorded against its SHA-256. Chinese lines inside it would ship in the English download,
could not carry a translated docstring, and a fix to a Chinese word would make every recorded result
stale. With the table, the script stays the English program a reader downloads, its hash changes only
with its code and English, and the two versions are compared token by token (tests/test_evidence.py).

A unit with no entry, or an entry whose English is no longer in the script, is an error naming the
script, the line and the table: the page is never published with an English comment or a stale entry.
"""

from __future__ import annotations

import ast
import functools
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

import yaml


class TranslationError(Exception):
    pass


@dataclass(frozen=True)
class Unit:
    kind: str  # "docstring", "comment" (after code on its line) or "block" (comment lines on their own)
    english: str  # whitespace-normalised: the key into the table
    start: tuple[int, int]  # (line, column) of its first character, as tokenize counts them
    end: tuple[int, int]  # (line, column) just past its last character
    indent: str  # the indentation of its continuation lines
    closes_alone: bool = False  # a docstring whose closing quotes have a line of their own


def _normal(text: str) -> str:
    return " ".join(text.split())


def units(source: str) -> list[Unit]:
    """Every docstring, trailing comment and block of comment lines of `source`, in order."""
    docstring_lines = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and ast.get_docstring(node, clean=False) is not None:
            docstring_lines.add(node.body[0].lineno)
    found, lines = [], source.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        (row, column), end = token.start, token.end
        if token.type == tokenize.STRING and row in docstring_lines:
            text = ast.literal_eval(token.string)
            alone = token.string.splitlines()[-1].strip() in ('"""', "'''")
            found.append(Unit("docstring", _normal(text), token.start, end, " " * column, alone))
        elif token.type == tokenize.COMMENT:
            text = token.string[1:].strip()
            if lines[row - 1][:column].strip():
                found.append(Unit("comment", _normal(text), token.start, end, ""))
                continue
            previous = found[-1] if found else None
            if previous and previous.kind == "block" and previous.end[0] == row - 1 and previous.start[1] == column:
                found[-1] = Unit("block", _normal(previous.english + " " + text), previous.start, end, previous.indent)
            else:
                found.append(Unit("block", _normal(text), token.start, end, " " * column))
    return found


def load_table(path: Path) -> dict[str, str]:
    """The table of `path`: normalised English -> Chinese (its line breaks kept)."""
    if not path.is_file():
        return {}
    return _parsed_table(str(path), path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=64)
def _parsed_table(path: str, text: str) -> dict[str, str]:
    """Read only: shared by every call while the file's text is the same."""
    entries = yaml.safe_load(text) or []
    table = {}
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or set(entry) != {"en", "zh"} or not all(isinstance(v, str) for v in entry.values()):
            raise TranslationError(f"{path}: entry {number} must have exactly `en` and `zh`, both text")
        table[_normal(entry["en"])] = entry["zh"].strip("\n")
    return table


def translate(source: str, table: dict[str, str], *, script: str, table_name: str) -> str:
    """`source` with every unit replaced by its entry of `table`; raises naming what is missing."""
    found = units(source)
    missing = [unit for unit in found if unit.english not in table]
    if missing:
        where = "\n  ".join(f"{script}, line {unit.start[0]}: {unit.english[:70]!r}" for unit in missing)
        raise TranslationError(f"{table_name} has no Chinese for these comments or docstrings; add an entry "
                               f"(`- en: ...` and `zh: ...`) for each:\n  {where}")
    stale = set(table) - {unit.english for unit in found}
    if stale:
        raise TranslationError(f"{table_name}: these entries translate nothing in {script}; update or delete them: "
                               + "; ".join(repr(english[:70]) for english in sorted(stale)))
    lines = source.splitlines(keepends=True)
    for unit in reversed(found):  # from the end, so that earlier positions stay valid
        (first, start), (last, end) = unit.start, unit.end
        lines[first - 1 : last] = [lines[first - 1][:start] + _written(unit, table[unit.english], script) + lines[last - 1][end:]]
    return "".join(lines)


def _written(unit: Unit, chinese: str, script: str) -> str:
    text = chinese.splitlines()
    if unit.kind == "comment":
        if len(text) != 1:
            raise TranslationError(f"{script}, line {unit.start[0]}: a comment after code takes one line of Chinese")
        return f"# {text[0]}"
    if unit.kind == "block":
        return f"\n{unit.indent}".join(f"# {line}".rstrip() for line in text)
    if '"""' in chinese or "\\" in chinese:
        raise TranslationError(f"{script}, line {unit.start[0]}: a docstring's Chinese may hold neither \"\"\" nor \\")
    body = "\n".join([text[0].rstrip(), *(f"{unit.indent}{line.rstrip()}" if line.strip() else "" for line in text[1:])])
    return f'"""{body}\n{unit.indent}"""' if unit.closes_alone else f'"""{body}"""'
