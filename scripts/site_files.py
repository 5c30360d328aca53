"""Where things are in the docs tree, and the checks that the docs are complete (pure functions).

Read by the hooks (hooks_catalog.py, placeholders.py) and by the tests, which call `docs_problems`
directly with the file lists they want to try."""

from __future__ import annotations

from pathlib import PurePosixPath

import figure_text
import figures
from catalog import DOCS_DIR, EXAMPLE_PAGES_DIR, LANGUAGES

GENERATED = "generated"  # docs/generated/: mkdocs-gallery's output, git-ignored
SUMMARY_FIGURE = f"{GENERATED}/summary.svg"
MANIFEST = "schedules.json"


def twin(source: str) -> str:
    """The same page in the other language: `a/b.md` <-> `a/b.zh.md`."""
    path = PurePosixPath(source)
    stem, suffix = path.stem, path.suffix
    for language in LANGUAGES[1:]:
        if stem.endswith(f".{language}"):
            return str(path.with_name(stem[: -len(language) - 1] + suffix))
    return str(path.with_name(f"{stem}.{LANGUAGES[1]}{suffix}"))


def figure_src(example, number: int, dark: bool = False, language: str = LANGUAGES[0], narrow: bool = False) -> str:
    """The SVG of figure `number` of `example`'s script for a palette, a language and a width: the
    gallery saved the light one, wide and narrow (figures.scrape); figure_text.py the other languages."""
    light = PurePosixPath(GENERATED, "images", f"mkd_glr_{example.script_stem}_{number:03d}.svg")
    light = PurePosixPath(figure_text.language_path(str(figures.narrow_variant_path(light) if narrow else light), language))
    return str(figures.dark_variant_path(light) if dark else light)


def summary_src(language: str, layout: str) -> str:
    """The summary figure's light SVG for a language and a layout (summary.LAYOUTS)."""
    light = PurePosixPath(SUMMARY_FIGURE)
    return figure_text.language_path(str(light if layout == "wide" else figures.narrow_variant_path(light)), language)


def relative(target: str, page_src: str) -> str:
    """A link from the page's source file to another file under docs/ (MkDocs resolves it per language)."""
    depth = len(PurePosixPath(page_src).parts) - 1
    return "../" * depth + target


def docs_problems(catalog, src_uris) -> list[str]:
    """What keeps the docs from being built, one sentence per problem naming the file and what to do:
    a page without its twin, a catalog example without its pages or its first figure, a page under
    docs/schedulers/ that is no example. `src_uris` are the files of the docs tree, as MkDocs lists them."""
    src_uris = set(src_uris)
    sources = {uri for uri in src_uris if uri.endswith(".md") and not uri.startswith(f"{GENERATED}/")}
    problems = [
        f"docs/{source} has no twin: write docs/{twin(source)} (every page exists in both languages)"
        for source in sorted(sources)
        if twin(source) not in sources
    ]
    for example in catalog.examples:
        for language in LANGUAGES:
            if example.page_src(language) not in sources:
                problems.append(
                    f"gallery/catalog.yml lists {example.id!r} but docs/{example.page_src(language)} does not exist"
                )
    listed = {example.page_src(language) for example in catalog.examples for language in LANGUAGES}
    for source in sorted(sources):
        if source.startswith(f"{EXAMPLE_PAGES_DIR}/") and source not in listed:
            problems.append(f"docs/{source} is not an example of gallery/catalog.yml; add it there or move it")
    for example in catalog.examples:
        if figure_src(example, 1) not in src_uris:
            script = example.script_path.relative_to(DOCS_DIR.parent)
            problems.append(f"{script} drew no figure: every gallery script must plot its schedule")
    return problems
