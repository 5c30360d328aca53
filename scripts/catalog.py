"""The catalog of examples (gallery/catalog.yml): the one list the site, the manifest and the tests read."""

from __future__ import annotations

import re

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOG_FILE = ROOT / "gallery" / "catalog.yml"
GALLERY_DIR = ROOT / "gallery"
DOCS_DIR = ROOT / "docs"
LANGUAGES = ("en", "zh")  # the first is the default language, built at the site root
EXAMPLE_PAGES_DIR = "schedulers"  # docs/<this>/<id>.md and <id>.zh.md


class CatalogError(Exception):
    """gallery/catalog.yml is inconsistent with itself or with the files it names."""


@dataclass(frozen=True)
class Section:
    id: str
    title: dict[str, str]


@dataclass(frozen=True)
class Example:
    id: str
    script: str
    section: str
    classes: tuple[str, ...]
    title: dict[str, str]
    label: str | None = None  # the summary panel's title where the title is prose (see catalog.yml)

    @property
    def script_path(self) -> Path:
        return GALLERY_DIR / self.script

    @property
    def script_stem(self) -> str:
        return Path(self.script).stem

    def page_src(self, language: str = LANGUAGES[0]) -> str:
        """The page's source path under docs/, in the suffix layout of mkdocs-static-i18n."""
        suffix = "" if language == LANGUAGES[0] else f".{language}"
        return f"{EXAMPLE_PAGES_DIR}/{self.id}{suffix}.md"

    def page_url(self, language: str = LANGUAGES[0]) -> str:
        """The page's URL relative to the site root."""
        prefix = "" if language == LANGUAGES[0] else f"{language}/"
        return f"{prefix}{EXAMPLE_PAGES_DIR}/{self.id}/"


@dataclass(frozen=True)
class Catalog:
    sections: tuple[Section, ...]
    examples: tuple[Example, ...]
    not_shown: dict[str, str]  # scheduler class -> why it has no example

    def example(self, example_id: str) -> Example:
        for example in self.examples:
            if example.id == example_id:
                return example
        raise KeyError(example_id)

    def in_section(self, section_id: str) -> list[Example]:
        return [example for example in self.examples if example.section == section_id]


def _bilingual(value, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES) or not all(value.values()):
        raise CatalogError(f"{CATALOG_FILE}: {where} needs a non-empty text for each of {', '.join(LANGUAGES)}")
    return dict(value)


def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    """The catalog as the file says now: read again only when the file changes (every page of a
    build asks for it; `mkdocs serve` must see an edit)."""
    stat = path.stat()
    return _load_catalog(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _load_catalog(path: Path, mtime_ns: int, size: int) -> Catalog:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    sections = tuple(
        Section(id=item["id"], title=_bilingual(item.get("title"), f"section {item['id']!r}: title"))
        for item in raw["sections"]
    )
    section_ids = {section.id for section in sections}
    examples = []
    for item in raw["examples"]:
        missing = {"id", "script", "section", "classes", "title"} - set(item)
        if missing:
            raise CatalogError(f"{path}: example {item.get('id', item)!r} lacks {', '.join(sorted(missing))}")
        example = Example(
            id=item["id"],
            script=item["script"],
            section=item["section"],
            classes=tuple(item["classes"]),
            title=_bilingual(item["title"], f"example {item['id']!r}: title"),
            label=item.get("label"),
        )
        if example.label is not None and not re.fullmatch(r"[\w.=\"()]+", example.label):
            raise CatalogError(f"{path}: example {example.id!r}: label {example.label!r} must be code, with no spaces")
        if example.section not in section_ids:
            raise CatalogError(f"{path}: example {example.id!r} names unknown section {example.section!r}")
        if not example.script_path.is_file():
            raise CatalogError(f"{path}: example {example.id!r} names {example.script_path}, which does not exist")
        examples.append(example)
    for label, values in (("id", [e.id for e in examples]), ("script", [e.script for e in examples])):
        duplicates = sorted({value for value in values if values.count(value) > 1})
        if duplicates:
            raise CatalogError(f"{path}: more than one example has the {label} {', '.join(duplicates)}")
    scripts_on_disk = {p.name for p in GALLERY_DIR.glob("plot_*.py")}
    unlisted = sorted(scripts_on_disk - {e.script for e in examples})
    if unlisted:
        raise CatalogError(f"{path}: gallery/{unlisted[0]} is not in the catalog; add an entry for it")
    not_shown = dict(raw.get("not_shown") or {})
    return Catalog(sections=sections, examples=tuple(examples), not_shown=not_shown)
