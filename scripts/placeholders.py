"""The placeholders of the prose pages: `{{ name argument }}` in a page's Markdown, replaced by Markdown.

`PLACEHOLDERS` is the one table from a placeholder's name to its handler. A handler receives the
placeholder's argument (the text after the name, or None) and a `Context`, and returns Markdown or
raises `PlaceholderError` saying what to write instead; `expand` adds the page's name to the message.

To add a placeholder: write `def handler(argument, context) -> str` (in this file, or as a pure
function in a module of its own imported here) and add one line to `PLACEHOLDERS`:

    "name": Placeholder(handler, argument=OPTIONAL, example_only=False),

`example_only` placeholders work only on the example pages (docs/schedulers/), where `context.example`
is the page's catalog entry. The hook that calls `expand` is hooks_placeholders.py (on_page_markdown).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable

import evidence
import explorer
import explorer_spec
import figure_text
import figures
import manifest
import prose_numbers
import troubleshooting
import summary as summary_figure
from catalog import EXAMPLE_PAGES_DIR, Example
from furniture import FURNITURE
from mkdocs.structure.files import File
from mkdocs_gallery.py_source_parser import split_code_and_text_blocks
from site_files import GENERATED, MANIFEST, figure_src, relative, summary_src

PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[a-z]+)(?:\s+(?P<argument>[^}]*?))?\s*\}\}")
NONE, OPTIONAL, REQUIRED = "none", "optional", "required"  # what a placeholder takes after its name


class PlaceholderError(Exception):
    """A placeholder that cannot be filled; the message says what to write instead."""


@dataclass(frozen=True)
class Context:
    """What a handler may read about the page it fills."""

    page_src: str  # the page's source under docs/, e.g. "schedulers/steplr.zh.md"
    language: str
    example: Example | None  # the page's catalog entry, on the pages of docs/schedulers/
    catalog: Any
    files: Any  # MkDocs' Files of this build (the gallery's figures, schedules.json)
    docs_dir: Path
    before: str = ""  # the page's Markdown before the placeholder (for the "about" rule of numbers)
    config: Any = None  # MkDocs' config, for a handler that needs it


@dataclass(frozen=True)
class Placeholder:
    handler: Callable[[str | None, Context], str]
    argument: str = NONE
    example_only: bool = False


def expand(markdown: str, context: Context) -> str:
    """The page with every placeholder replaced; the first bad one raises, naming the page."""

    def one(match):
        name, argument = match["name"], match["argument"]
        where = f"docs/{context.page_src}: {match[0]}"
        placeholder = PLACEHOLDERS.get(name)
        if placeholder is None:
            raise PlaceholderError(f"docs/{context.page_src}: unknown placeholder {match[0]!r}")
        if placeholder.argument == NONE and argument:
            raise PlaceholderError(f"{where}: {{{{ {name} }}}} takes nothing after its name")
        if placeholder.argument == REQUIRED and not argument:
            raise PlaceholderError(f"{where}: write {{{{ {name} ARGUMENT }}}}")
        if placeholder.example_only and context.example is None:
            raise PlaceholderError(
                f"docs/{context.page_src}: {{{{ {name} }}}} only works on the pages of docs/{EXAMPLE_PAGES_DIR}/"
            )
        try:
            return placeholder.handler(argument, _at(context, match))
        except (PlaceholderError, prose_numbers.ProseNumberError, troubleshooting.PitfallError, explorer.ExplorerError, explorer_spec.SpecError) as error:
            raise PlaceholderError(f"{where}: {error}") from None

    return PLACEHOLDER.sub(one, markdown)


def _at(context: Context, match) -> Context:
    return Context(**{**context.__dict__, "before": match.string[: match.start()]})


# ------------------------------------------------------------------------------------ handlers


def figure(argument: str | None, context: Context) -> str:
    """`{{ figure }}`, `{{ figure 2 }}` or `{{ figure 2: alt text }}`: the light and dark SVG of a
    figure the page's script drew; under figure 1, the link that opens the example in the explorer."""
    example, language = context.example, context.language
    number, alt = 1, None
    if argument:
        number_text, _, alt = argument.partition(":")
        if not number_text.strip().isdigit():
            raise PlaceholderError(f"write {{{{ figure N: alt text }}}}, not {{{{ figure {argument} }}}}")
        number, alt = int(number_text), alt.strip() or None
    wide = figure_src(example, number, False, language), figure_src(example, number, True, language)
    narrow = figure_src(example, number, False, language, True), figure_src(example, number, True, language, True)
    for image in (*wide, *narrow):
        if image not in context.files.src_uris:
            raise PlaceholderError(
                f"figure {number} of {example.script} does not exist (docs/{image}); "
                f"the script draws fewer figures, or the gallery did not run"
            )
    if alt is None:
        template = FURNITURE[language]["figure_alt"] if number == 1 else FURNITURE[language]["figure_alt_n"]
        alt = template.format(title=example.title[language], number=number)
    # loading=lazy: the browser then fetches only the rendering it shows (palette and width, site.css).
    sizes = [figure_text.svg_size(context.files.get_file_from_path(image).content_string) for image in (*wide, *narrow)]
    markdown = figure_text.figure_markdown(alt, [relative(path, context.page_src) for path in (*wide, *narrow)], sizes)
    if number != 1:
        return markdown  # an extra figure: the link opens the page's main example once, under figure 1
    return f"{markdown}\n\n{explorer_link(context)}"


def explorer_link(context: Context) -> str:
    """The page's example, opened in the explorer of the page's language (see explorer.py)."""
    entry = prose_numbers.manifest_entry(_manifest_text(context), context.example.id)
    query = explorer.query(explorer.settings(context.example, entry))
    label = FURNITURE[context.language]["explorer_link"]
    return f"[:material-tune-variant: {label}]({relative(explorer.PAGE, context.page_src)}?{query}){{ .md-button .explorer-link }}"


def code(argument: None, context: Context) -> str:
    """`{{ code }}`: the code the gallery executed, without the prose of its docstring and text cells."""
    script = context.example.script_path
    return _code_of(str(script), script.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=256)  # both languages show the same code: parse each script once
def _code_of(script_path: str, source: str) -> str:
    """`source` is the script's text: the key that makes a changed script parsed again."""
    _, blocks = split_code_and_text_blocks(script_path)
    body = "\n\n".join(content.strip("\n") for label, content, _ in blocks if label == "code")
    return f'```python title="{Path(script_path).name}"\n{body}\n```'


def downloads(argument: None, context: Context) -> str:
    """`{{ downloads }}`: the script as .py and .ipynb, and the run's numbers as CSV."""
    example, strings = context.example, FURNITURE[context.language]
    links = [
        (strings["download_py"], f"{GENERATED}/{example.script}"),
        (strings["download_ipynb"], f"{GENERATED}/{example.script_stem}.ipynb"),
        (strings["download_csv"], manifest.csv_path(example)),
    ]
    buttons = " ".join(
        f"[:material-download: {label}]({relative(target, context.page_src)}){{ .md-button download }}"
        for label, target in links
    )
    return f"**{strings['download_title']}**\n\n{buttons}"


def summary(argument: None, context: Context) -> str:
    """`{{ summary }}`: every example's curve in one figure (hooks_catalog.py draws it), and links."""
    language, src = context.language, context.page_src
    alt = FURNITURE[language]["summary_alt"]
    lights = [summary_src(language, layout) for layout in summary_figure.LAYOUTS]
    paths = [relative(str(path), src) for light in lights for path in (light, figures.dark_variant_path(PurePosixPath(light)))]
    links = " · ".join(f"[{e.title[language]}]({relative(e.page_src(), src)})" for e in context.catalog.examples)
    return f"{figure_text.figure_markdown(alt, paths)}\n\n{links}"


def gallery(argument: None, context: Context) -> str:
    """`{{ gallery }}`: one card per example, by catalog section."""
    language, src, parts = context.language, context.page_src, []
    for section in context.catalog.sections:
        parts.append(f"## {section.title[language]}\n\n<div class=\"grid cards\" markdown>\n")
        for example in context.catalog.in_section(section.id):
            title, link = example.title[language], relative(example.page_src(), src)
            light, dark = figure_src(example, 1, False, language, True), figure_src(example, 1, True, language, True)
            parts.append(
                f"-   [{title}]({link})\n\n"
                f"    [![{title}]({relative(light, src)}#only-light){{ .skip-lightbox loading=lazy }}]({link})"
                f"[![{title}]({relative(dark, src)}#only-dark){{ .skip-lightbox loading=lazy }}]({link})\n"
            )
        parts.append("</div>\n")
    return "\n".join(parts)


def pitfall(argument: str, context: Context) -> str:
    """`{{ pitfall NAME }}` / `{{ pitfall NAME fix }}`: an entry of the troubleshooting page, from
    pitfalls/NAME.py run at build time (troubleshooting.py). Its figures join the build's files here:
    MkDocs copies them after every page's Markdown is done."""
    files, config = context.files, context.config

    def add_file(path: str, content: str) -> None:
        if files.get_file_from_path(path) is None:
            files.append(File.generated(config, path, content=content))

    return troubleshooting.placeholder(
        argument, page_src=context.page_src, language=context.language, docs_dir=context.docs_dir, add_file=add_file
    )


def prose_number(name: str, argument: str | None, context: Context) -> str:
    """`{{ lr 9 }}`, `{{ arg gamma }}`, ...: a number of the page's own run (prose_numbers.py)."""
    entry = prose_numbers.manifest_entry(_manifest_text(context), context.example.id)
    source = context.example.script_path.read_text(encoding="utf-8")
    return prose_numbers.expand(
        name, argument, entry=entry, source=source, language=context.language, before=context.before
    )


def evidence_value(argument: str | None, context: Context) -> str:
    """`{{ evidence ... }}`: a figure, table, script or number the experiments recorded (evidence.py)."""
    return evidence.placeholder(argument or "", page_src=context.page_src, language=context.language, before=context.before)


def _manifest_text(context: Context) -> str:
    """schedules.json as this build publishes it (hooks_catalog.py adds it to the files)."""
    return context.files.get_file_from_path(MANIFEST).content_string


PLACEHOLDERS: dict[str, Placeholder] = {
    "gallery": Placeholder(gallery),
    # The explorer page's facts from their one source (explorer_spec.py), for spec.js to read.
    "explorerspec": Placeholder(lambda argument, context: explorer_spec.page_spec_html(context.docs_dir / "generated" / "cache")),
    "summary": Placeholder(summary),
    "pitfall": Placeholder(pitfall, argument=REQUIRED),
    "evidence": Placeholder(evidence_value, argument=REQUIRED),
    "figure": Placeholder(figure, argument=OPTIONAL, example_only=True),
    "code": Placeholder(code, example_only=True),
    "downloads": Placeholder(downloads, example_only=True),
    # The numbers of the run, one name each: {{ arg gamma }}, {{ lr 9 }}, {{ count drops }}, ...
    **{
        name: Placeholder(functools.partial(prose_number, name), argument=OPTIONAL, example_only=True)
        for name in prose_numbers.NAMES
    },
}
