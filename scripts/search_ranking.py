"""What the site's search ranks first for the name of a scheduler, in each language: page metadata
that Material's search plugin documents and reads into each page's index entries (`search.boost`,
`tags`), set by scripts/hooks_language.py. No MkDocs events here; tests/test_search.py calls it.

- A page of one of torch's classes (titled by the class: `StepLR`, `CyclicLR (triangular)`) weighs
  CLASS_PAGE_BOOST times its neighbours: Material appends `*` to every word the reader types, so
  "StepLR" also matches timm's "StepLRScheduler", a rarer word that would otherwise rank its page first.
  A boost in the page's front matter is relative to its kind and multiplies this one (CosineAnnealingLR
  has 2, to rank first for "cosine", before CosineAnnealingWarmRestarts, also a class page).
- On the Chinese site, a scheduler page gets as `tags` the glossary's Chinese term that links to it
  (docs/glossary.zh.md: [余弦退火](schedulers/cosineannealinglr.md)). Chinese titles carry no gloss of
  a class name (gallery/catalog.yml), so without it 余弦 finds the pages whose titles hold the word
  (预热 + 余弦退火, D2Z) before CosineAnnealingLR. English titles need none: "cosine" is the start
  of "CosineAnnealingLR", which the wildcard matches. Material shows the tag under the result.
- A page of a class that readers also search by another name gets that name as `tags`, in every
  language (ALSO_KNOWN_AS): OneCycleLR implements "the 1cycle learning rate policy" (torch's
  docstring), which none of them says. "1cycle" is a word (mkdocs.yml's separator keeps its digit),
  so the tag is not the word "cycle", which every query ending in "c" would reach.
- The troubleshooting page weighs TROUBLESHOOTING_BOOST times its neighbours: a pasted message
  should find its entry, whose heading is the message, and Material appends `*` to every word of
  it, so a message made of short words ("Linear is not an Optimizer") also matches rarer words of
  headings elsewhere ("is" and "an" in recipe-cosine's "The usual answer, and how far it is":
  lunr's 2375 against the entry's 2295). Little more than a tie-break: of 38 common queries, it
  changes the first result of five near-ties ("learning rate", "transformers", "checkpoint" and
  恢复训练 now list a troubleshooting entry); at 1.5, "one cycle" lists `cycle_momentum`'s entry.
- A tag's words are reached by every piece of a word they start with: Material weighs a tag a
  million times the text, and a pasted message cut at 60 characters ends in such a piece ("`c" of
  `cycle_momentum`), which Material extends with "*" too. Hence "1cycle" as a word of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from catalog import DOCS_DIR, LANGUAGES, load_catalog

CLASS_PAGE_BOOST = 1.5
TROUBLESHOOTING = "troubleshooting.md"
TROUBLESHOOTING_BOOST = 1.2
ALSO_KNOWN_AS = {"OneCycleLR": ("1cycle",)}
TAGGED_LANGUAGES = ("zh",)
# A glossary row whose term links to a scheduler page: | [余弦退火](schedulers/cosineannealinglr.md) | ...
GLOSSARY_LINK = re.compile(r"^\| \[([^\]]+)\]\((schedulers/[\w-]+\.md)\) \|", re.M)


def glossary_file(language: str, docs_dir: Path = DOCS_DIR) -> Path:
    return docs_dir / ("glossary.md" if language == LANGUAGES[0] else f"glossary.{language}.md")


@lru_cache(maxsize=None)
def _glossary_terms(path: Path, mtime_ns: int) -> dict[str, tuple[str, ...]]:
    terms: dict[str, tuple[str, ...]] = {}
    for term, target in GLOSSARY_LINK.findall(path.read_text(encoding="utf-8")):
        terms[target] = terms.get(target, ()) + (term,)
    return terms


def glossary_terms(language: str, docs_dir: Path = DOCS_DIR) -> dict[str, tuple[str, ...]]:
    """{page source in the default language ("schedulers/x.md"): the glossary terms linking to it}."""
    path = glossary_file(language, docs_dir)
    return _glossary_terms(path, path.stat().st_mtime_ns)


def class_pages() -> dict[str, str]:
    """{source ("schedulers/x.md"): class} of the pages titled by one of torch's classes."""
    return {
        example.page_src(): example.title[LANGUAGES[0]].split(" (")[0]
        for example in load_catalog().examples
        if example.title[LANGUAGES[0]].split(" (")[0] in example.classes
    }


def search_meta(meta: dict, page_src: str, language: str, docs_dir: Path = DOCS_DIR) -> dict:
    """The page's metadata with its search ranking added; `page_src` in the default language."""
    meta = dict(meta)
    titled_by = class_pages().get(page_src)
    boost = CLASS_PAGE_BOOST if titled_by else TROUBLESHOOTING_BOOST if page_src == TROUBLESHOOTING else None
    if boost:
        search = dict(meta.get("search") or {})
        search["boost"] = boost * search.get("boost", 1)
        meta["search"] = search
    terms = ALSO_KNOWN_AS.get(titled_by, ())
    if language in TAGGED_LANGUAGES:
        terms += glossary_terms(language, docs_dir).get(page_src, ())
    if terms:
        meta["tags"] = list(dict.fromkeys([*(meta.get("tags") or []), *terms]))
    return meta
