"""MkDocs hooks: the glue between mkdocs-gallery, mkdocs-static-i18n, Material and the catalog.

What they do, in build order:

* `on_startup` (once per process): remember each page's build across builds (`_PageMemo`) and,
  under `mkdocs serve`, more across rebuilds (`_ServeMemo`).
* `on_config`: let mkdocs-gallery configure itself only once (static-i18n re-runs every plugin's
  `on_config` for each extra language, and the gallery's is not re-entrant), register our figure
  scraper, and write the scheduler sections of the nav from gallery/catalog.yml.
* `on_files`: refuse to build when a page lacks its twin in the other language, or when a catalog
  example lacks a page or a figure; then add the data files (`schedules.json`, one CSV per example)
  and the summary figure, all made from the runs the gallery recorded.
* `on_page_markdown`: expand the placeholders of the prose pages (`{{ figure }}`, `{{ code }}`,
  `{{ downloads }}`, `{{ gallery }}`, `{{ summary }}`, `{{ pitfall NAME }}`) into Markdown that points
  at what the gallery produced, write the numbers of the run (`{{ lr 9 }}`, `{{ arg gamma }}`:
  see prose_numbers.py), and put the link that opens the example in the explorer under its first
  figure (explorer.py).
* `on_page_content`: turn the formulas Markdown found (pymdownx.arithmatex) into MathML, keep
  numbers like 7.8e-6 from breaking at their minus sign, and name heading links in the page's language.
* `on_post_page`: drop the `<link rel="alternate" hreflang>` tags from each page's head, point
  each language's pages at that language's own search index, and name the lightbox's buttons in it.
* `on_post_template`: keep each language's 404 page (both builds render it to the same file).
* `on_post_build`: write each language's 404 page to its place, and split the search index that
  static-i18n merges into one index per language; keep jieba's segmentations and forget the page
  entries this build did not use.

Speed (bench/results.md): every cache below is keyed by everything its result reads, lives in
docs/generated/cache/ (or, under serve, in memory), and is empty in a clean build, which stays
byte-identical. The manifest, the summary figure and the pitfall outputs (`_cached`); jieba's
segmentation of each Chinese run (`_JiebaMemo`); each page's Markdown-to-HTML and pass through the
theme, and the theme's 404 and sitemap (`_PageMemo`). Under `mkdocs serve` also the theme's static
files, and site/ is not emptied before each rebuild (`_ServeMemo`). So a rebuild in which nothing changed renders no page
and does not import torch, and a saved page costs its own Markdown and template.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
import re
import subprocess
import sys
import threading
import time
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs_gallery import gen_single, glr_path_static
from mkdocs_gallery.py_source_parser import split_code_and_text_blocks

import explorer
import figures
import manifest
import prose_numbers
import summary
from catalog import DOCS_DIR, EXAMPLE_PAGES_DIR, LANGUAGES, CatalogError, load_catalog
from mathml import outside_code, render_math
import troubleshooting

GENERATED = "generated"  # docs/generated/: mkdocs-gallery's output, git-ignored
SUMMARY_FIGURE = f"{GENERATED}/summary.svg"
MANIFEST = "schedules.json"
# example id -> its entry in schedules.json as this build publishes it (on_files), for the pages' links
PUBLISHED = {}
NAV_PLACEHOLDER = "Schedulers"  # the nav entry in mkdocs.yml that the catalog's sections replace

# Page furniture that the hooks write, in each language.
FURNITURE = {
    "en": {
        "download_py": "Python script",
        "download_ipynb": "Jupyter notebook",
        "download_title": "Download",
        "download_csv": "Data (CSV)",
        "summary_alt": "The learning rate of every example, step by step, one panel per example",
        "figure_alt": "{title}: the learning rate at each step",
        "figure_alt_n": "{title}: figure {number}",
        "explorer_link": "Open in the explorer",
        # Set for Markdown's toc extension in mkdocs.yml (one value for every language), translated here.
        "permalink": "Permanent link",
        # glightbox's buttons; it has no setting for their names, only for its whole markup.
        "lightbox_close": "Close",
        "lightbox_previous": "Previous",
        "lightbox_next": "Next",
    },
    "zh": {
        "download_py": "Python 脚本",
        "download_ipynb": "Jupyter 笔记本",
        "download_title": "下载",
        "download_csv": "数据（CSV）",
        "summary_alt": "所有示例逐步的学习率，每个示例一幅小图",
        "figure_alt": "{title}：每一步的学习率",
        "figure_alt_n": "{title}：图 {number}",
        "explorer_link": "在交互式探索中打开",
        "permalink": "本节链接",
        "lightbox_close": "关闭",
        "lightbox_previous": "上一张",
        "lightbox_next": "下一张",
    },
}
assert set(FURNITURE) == set(LANGUAGES)

# A line break between two Chinese characters (or full-width punctuation) is only a source line
# wrap: Markdown would render it as a space, which Chinese text does not have.
CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
CJK_LINE_BREAK = re.compile(rf"(?<=[{CJK}])\n(?=[{CJK}])")

PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[a-z]+)(?:\s+(?P<argument>[^}]*?))?\s*\}\}")


def _catalog():
    try:
        return load_catalog()
    except CatalogError as error:
        raise PluginError(str(error)) from None


# -------------------------------------------------------------------------------------- startup


def on_startup(command, dirty):
    """Once per process (MkDocs loads this module once, and keeps it across the rebuilds of
    `mkdocs serve`): remember each page's build (`_PageMemo`); under serve, more (`_ServeMemo`)."""
    _PageMemo.install(in_memory=command == "serve")
    if command == "serve":
        _ServeMemo.install()


# --------------------------------------------------------------------------------------- config


@event_priority(100)  # before mkdocs-gallery's own on_config
def on_config(config):
    _pin_build_date()
    _JiebaMemo.install(config, Path(config["docs_dir"]) / GENERATED / "cache")
    gallery = config.plugins["gallery"]
    events = config.plugins.events["config"]
    original = gallery.on_config
    if original in events:
        events[events.index(original)] = _once(gallery, original)
    _write_nav(config)
    return config


def _pin_build_date() -> None:
    """The same commit builds the same site: date the sitemap (and its gzip header) by the commit,
    not by the day of the build. MkDocs reads SOURCE_DATE_EPOCH; an explicit value wins."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return
    try:
        commit_time = subprocess.run(
            ["git", "-C", str(DOCS_DIR.parent), "log", "-1", "--format=%ct"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:  # no git: MkDocs dates the build by today
        return
    if commit_time.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = commit_time


def _once(gallery, on_config):
    def configure_once(config):
        if getattr(gallery, "configured", False):
            return config
        config = on_config(config)
        gallery.configured = True
        # The gallery adds its own CSS and images for pages we do not publish: take them back.
        static = Path(glr_path_static())
        config["theme"].dirs.remove(str(static))
        config["extra_css"] = [css for css in config["extra_css"] if not (static / css).is_file()]
        # Our scraper and resetter replace the gallery's matplotlib defaults (see figures.py).
        gallery.config["image_scrapers"] = (figures.scrape,)
        gallery.config["reset_modules"] = (figures.reset_style,)
        # The gallery runs a full gc.collect() before each script, only to make its memory report
        # (which we do not publish) exact; with torch loaded that is ~0.3 s a script, a third of a
        # cold build. Each script starts from fresh objects anyway.
        gen_single.gc = SimpleNamespace(collect=lambda: 0)
        return config

    return configure_once


def _write_nav(config) -> None:
    """Replace the `Schedulers` placeholder of the nav by one sub-section per catalog section."""
    catalog = _catalog()
    nav = config["nav"]
    for index, entry in enumerate(nav):
        if isinstance(entry, dict) and entry.get(NAV_PLACEHOLDER) == "catalog":
            nav[index] = {
                NAV_PLACEHOLDER: [
                    {section.title["en"]: [example.page_src() for example in catalog.in_section(section.id)]}
                    for section in catalog.sections
                ]
            }
    i18n = config.plugins["i18n"]
    for language in i18n.config.languages:
        if language.locale != LANGUAGES[0]:
            translations = language.nav_translations or {}
            translations.update({section.title["en"]: section.title[language.locale] for section in catalog.sections})
            language.nav_translations = translations


# ---------------------------------------------------------------------------------------- files


@event_priority(100)  # on the raw docs tree, before static-i18n sorts it by language
def _check_docs(files, config):
    catalog = _catalog()
    sources = {file.src_uri for file in files if file.src_uri.endswith(".md")}
    problems = []
    for source in sorted(sources):
        if source.startswith(f"{GENERATED}/"):
            continue
        twin = _twin(source)
        if twin not in sources:
            problems.append(f"docs/{source} has no twin: write docs/{twin} (every page exists in both languages)")
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
        if _figure_src(example, 1) not in files.src_uris:
            problems.append(
                f"{example.script_path.relative_to(DOCS_DIR.parent)} drew no figure: every gallery script must plot its schedule"
            )
    if problems:
        raise PluginError("\n  ".join(["the docs are incomplete:", *problems]))
    return files


@event_priority(-200)  # after static-i18n, which only knows files that exist on disk
def _add_data_files(files, config):
    """Publish what the runs recorded. Added in every language's build, at the same root paths,
    so pages in every language can link to them."""
    catalog = _catalog()
    generated_dir = Path(config["docs_dir"]) / GENERATED
    try:
        runs = {example.id: manifest.load_run(generated_dir, example) for example in catalog.examples}
        document = _manifest_document(catalog, runs, generated_dir)
    except manifest.ManifestError as error:
        raise PluginError(str(error)) from None
    for example in catalog.examples:
        files.append(File.generated(config, manifest.csv_path(example), content=manifest.to_csv(runs[example.id])))
    files.append(File.generated(config, MANIFEST, content=document))
    PUBLISHED.update((entry["id"], entry) for entry in json.loads(document)["examples"])
    light, dark = _summary_figures(document, generated_dir)
    files.append(File.generated(config, SUMMARY_FIGURE, content=light))
    files.append(File.generated(config, str(figures.dark_variant_path(PurePosixPath(SUMMARY_FIGURE))), content=dark))
    return files


on_files = CombinedEvent(_check_docs, _add_data_files)

def _cached(generated_dir: Path, name: str, inputs: bytes, make) -> str:
    """`make()`, kept in docs/generated/ beside the gallery's own cache and made again only when its
    inputs change: a rebuild in which no script changed then never imports torch."""
    key = hashlib.sha256(inputs).hexdigest()[:16]
    target = generated_dir / "cache" / f"{name}-{key}"
    if not target.is_file():
        for stale in target.parent.glob(f"{name}-*"):
            stale.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(make(), encoding="utf-8")
    return target.read_text(encoding="utf-8")


def _manifest_document(catalog, runs, generated_dir: Path) -> str:
    inputs = [json.dumps(runs, sort_keys=True), manifest.TORCH_VERSION, repr(catalog), Path(manifest.__file__).read_text()]
    inputs += [example.script_path.read_text(encoding="utf-8") for example in catalog.examples]
    return _cached(
        generated_dir, "schedules.json", "\0".join(inputs).encode(), lambda: manifest.manifest(catalog.examples, runs)
    )


def _summary_figures(document: str, generated_dir: Path) -> tuple[str, str]:
    """Rendered only when the runs (or the summary's code) change, not on every build and language."""
    inputs = document.encode() + Path(summary.__file__).read_bytes() + Path(figures.__file__).read_bytes()
    rendered = {}

    def render(variant):
        if not rendered:
            runs = {entry["id"]: entry for entry in json.loads(document)["examples"]}
            rendered["light"], rendered["dark"] = summary.render(_catalog().examples, runs)
        return rendered[variant]

    light = _cached(generated_dir, "summary.svg", inputs, lambda: render("light"))
    dark = _cached(generated_dir, "summary_dark.svg", inputs, lambda: render("dark"))
    return light, dark


def _twin(source: str) -> str:
    path = PurePosixPath(source)
    stem, suffix = path.stem, path.suffix
    for language in LANGUAGES[1:]:
        if stem.endswith(f".{language}"):
            return str(path.with_name(stem[: -len(language) - 1] + suffix))
    return str(path.with_name(f"{stem}.{LANGUAGES[1]}{suffix}"))


def _figure_src(example, number: int, dark: bool = False) -> str:
    light = PurePosixPath(GENERATED, "images", f"mkd_glr_{example.script_stem}_{number:03d}.svg")
    return str(figures.dark_variant_path(light) if dark else light)


# ----------------------------------------------------------------------------------------- pages


def on_page_markdown(markdown, page, config, files):
    language = getattr(page.file, "locale", LANGUAGES[0])
    src = page.file.src_uri
    catalog = _catalog()
    example = None
    if src.startswith(f"{EXAMPLE_PAGES_DIR}/"):
        example_id = PurePosixPath(src).name.split(".")[0]
        example = catalog.example(example_id)

    def expand(match):
        name, argument = match["name"], match["argument"]
        if name == "gallery" and not argument:
            return _gallery_cards(catalog, src, language)
        if name == "summary" and not argument:
            return _summary(catalog, src, language)
        if name == "pitfall" and argument:
            try:
                return troubleshooting.placeholder(  # figures are added to `files` (copied after pages)
                    argument, page_src=src, language=language, docs_dir=Path(config["docs_dir"]),
                    add_file=lambda path, content: files.get_file_from_path(path) or files.append(File.generated(config, path, content=content)),
                )
            except troubleshooting.PitfallError as error:
                raise PluginError(f"docs/{src}: {error}") from None
        if example is None:
            raise PluginError(f"docs/{src}: {{{{ {name} }}}} only works on the pages of docs/{EXAMPLE_PAGES_DIR}/")
        if name == "figure":
            figure = _figure(example, src, language, argument, files)
            if argument and argument.partition(":")[0].strip() != "1":
                return figure  # an extra figure: the link opens the page's main example
            return f"{figure}\n\n{_explorer_link(example, src, language)}"
        if name == "code" and not argument:
            return _code(example)
        if name == "downloads" and not argument:
            return _downloads(example, src, language)
        if name in prose_numbers.NAMES:  # the numbers of the run: {{ lr 9 }}, {{ arg gamma }}, ...
            try:
                run = prose_numbers.manifest_entry(files.get_file_from_path(MANIFEST).content_string, example.id)
                source = example.script_path.read_text(encoding="utf-8")
                return prose_numbers.expand(
                    name, argument, entry=run, source=source, language=language, before=match.string[: match.start()]
                )
            except prose_numbers.ProseNumberError as error:
                raise PluginError(f"docs/{src}: {match[0]}: {error}") from None
        raise PluginError(f"docs/{src}: unknown placeholder {match[0]!r}")

    markdown = PLACEHOLDER.sub(expand, markdown)
    if language == "zh":
        markdown = outside_code(markdown, lambda prose: CJK_LINE_BREAK.sub("", prose))
    return markdown


def _relative(target: str, page_src: str) -> str:
    """A link from the page's source file to another file under docs/ (MkDocs resolves it per language)."""
    depth = len(PurePosixPath(page_src).parts) - 1
    return "../" * depth + target


def _figure(example, page_src: str, language: str, argument: str | None, files) -> str:
    number, alt = 1, None
    if argument:
        number_text, _, alt = argument.partition(":")
        if not number_text.strip().isdigit():
            raise PluginError(f"docs/{page_src}: write {{{{ figure N: alt text }}}}, not {{{{ figure {argument} }}}}")
        number, alt = int(number_text), alt.strip() or None
    light, dark = _figure_src(example, number), _figure_src(example, number, dark=True)
    for image in (light, dark):
        if image not in files.src_uris:
            raise PluginError(
                f"docs/{page_src}: figure {number} of {example.script} does not exist (docs/{image}); "
                f"the script draws fewer figures, or the gallery did not run"
            )
    strings = FURNITURE[language]
    if alt is None:
        template = strings["figure_alt"] if number == 1 else strings["figure_alt_n"]
        alt = template.format(title=example.title[language], number=number)
    # loading=lazy: the browser then fetches only the twin of the palette it shows.
    return (
        f"![{alt}]({_relative(light, page_src)}#only-light){{ .schedule-figure loading=lazy }}\n"
        f"![{alt}]({_relative(dark, page_src)}#only-dark){{ .schedule-figure loading=lazy }}"
    )


def _explorer_link(example, page_src: str, language: str) -> str:
    """The page's example, opened in the explorer of the page's language (see explorer.py)."""
    try:
        query = explorer.query(explorer.settings(example, PUBLISHED[example.id]))
    except explorer.ExplorerError as error:
        raise PluginError(f"docs/{page_src}: {error}") from None
    label = FURNITURE[language]["explorer_link"]
    return f"[:material-tune-variant: {label}]({_relative(explorer.PAGE, page_src)}?{query}){{ .md-button .explorer-link }}"


def _code(example) -> str:
    """The code the gallery executed, without the prose of its docstring and text cells."""
    return _code_of(str(example.script_path), example.script_path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=256)  # both languages show the same code: parse each script once
def _code_of(script_path: str, source: str) -> str:
    """`source` is the script's text: the key that makes a changed script parsed again."""
    _, blocks = split_code_and_text_blocks(script_path)
    code = "\n\n".join(content.strip("\n") for label, content, _ in blocks if label == "code")
    return f'```python title="{Path(script_path).name}"\n{code}\n```'


def _downloads(example, page_src: str, language: str) -> str:
    strings = FURNITURE[language]
    links = [
        (strings["download_py"], f"{GENERATED}/{example.script}"),
        (strings["download_ipynb"], f"{GENERATED}/{example.script_stem}.ipynb"),
        (strings["download_csv"], manifest.csv_path(example)),
    ]
    buttons = " ".join(
        f"[:material-download: {label}]({_relative(target, page_src)}){{ .md-button download }}"
        for label, target in links
    )
    return f"**{strings['download_title']}**\n\n{buttons}"


def _summary(catalog, page_src: str, language: str) -> str:
    alt = FURNITURE[language]["summary_alt"]
    dark = str(figures.dark_variant_path(PurePosixPath(SUMMARY_FIGURE)))
    links = " · ".join(f"[{e.title[language]}]({_relative(e.page_src(), page_src)})" for e in catalog.examples)
    return (
        f"![{alt}]({_relative(SUMMARY_FIGURE, page_src)}#only-light){{ .schedule-figure loading=lazy }}\n"
        f"![{alt}]({_relative(dark, page_src)}#only-dark){{ .schedule-figure loading=lazy }}\n\n{links}"
    )


def _gallery_cards(catalog, page_src: str, language: str) -> str:
    parts = []
    for section in catalog.sections:
        parts.append(f"## {section.title[language]}\n\n<div class=\"grid cards\" markdown>\n")
        for example in catalog.in_section(section.id):
            title = example.title[language]
            link = _relative(example.page_src(), page_src)
            light, dark = _figure_src(example, 1), _figure_src(example, 1, dark=True)
            parts.append(
                f"-   [{title}]({link})\n\n"
                f"    [![{title}]({_relative(light, page_src)}#only-light){{ .skip-lightbox loading=lazy }}]({link})"
                f"[![{title}]({_relative(dark, page_src)}#only-dark){{ .skip-lightbox loading=lazy }}]({link})\n"
            )
        parts.append("</div>\n")
    return "\n".join(parts)


# ------------------------------------------------------------------------------------------ html


def on_page_content(html, page, config, files):
    language = getattr(page.file, "locale", LANGUAGES[0])
    if _ServeMemo.installed:  # under serve: the same HTML gives the same result (MathML is slow)
        slot = (language, page.file.src_uri)
        remembered = _ServeMemo.contents.get(slot)
        if remembered and remembered[0] == html:
            return remembered[1]
        _ServeMemo.contents[slot] = (html, _page_content(html, language))
        return _ServeMemo.contents[slot][1]
    return _page_content(html, language)


def _page_content(html: str, language: str) -> str:
    html = render_math(html)
    html = outside_tags(html, ("pre", "script", "style", "math"), _keep_numbers_whole)
    if language != LANGUAGES[0]:
        permalink = f'title="{FURNITURE[LANGUAGES[0]]["permalink"]}"'
        if permalink not in html and 'class="headerlink"' in html:
            raise PluginError("the toc extension's permalink_title in mkdocs.yml and FURNITURE differ")
        html = html.replace(permalink, f'title="{FURNITURE[language]["permalink"]}"')
    return html


# A number in scientific notation (7.8e-6): a browser may break the line at its minus sign, which in
# Chinese text, with no spaces to break at, it does ("7.8e-" / "6"). Keep each in one piece.
SCIENTIFIC = re.compile(r"(?<![\w.\-])[+-]?\d+(?:\.\d+)?e[+-]?\d+(?![\w.])")


def _keep_numbers_whole(text: str) -> str:
    return SCIENTIFIC.sub(lambda number: f'<span class="nowrap">{number[0]}</span>', text)


def outside_tags(html: str, skipped: tuple[str, ...], transform) -> str:
    """Apply `transform` to the text between the tags of `html`, except inside the `skipped` elements."""
    skip = re.compile(rf"<({'|'.join(skipped)})\b.*?</\1>", re.S)
    out, position = [], 0
    for element in skip.finditer(html):
        out.append(_text_only(html[position : element.start()], transform))
        out.append(element[0])
        position = element.end()
    out.append(_text_only(html[position:], transform))
    return "".join(out)


def _text_only(html: str, transform) -> str:
    return re.sub(r"(?<=>)[^<]+|^[^<]+", lambda text: transform(text[0]), html)


HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


@event_priority(-100)  # after glightbox has put its script in the page
def on_post_page(output, page, config):
    output = _drop_head_alternates(output)
    language = getattr(page.file, "locale", LANGUAGES[0])
    if language != LANGUAGES[0]:
        output = _search_base(output, language)
        output = _lightbox_labels(output, language)
    return output


GLIGHTBOX_INIT = "const lightbox = GLightbox({"
# glightbox 3's own markup (its `lightboxHTML` default) with the buttons' names as placeholders.
GLIGHTBOX_MARKUP = (
    '<div id="glightbox-body" class="glightbox-container" tabindex="-1" role="dialog" aria-hidden="false">'
    '<div class="gloader visible"></div><div class="goverlay"></div><div class="gcontainer">'
    '<div id="glightbox-slider" class="gslider"></div>'
    '<button class="gclose gbtn" aria-label="{close}" data-taborder="3">{{closeSVG}}</button>'
    '<button class="gprev gbtn" aria-label="{previous}" data-taborder="2">{{prevSVG}}</button>'
    '<button class="gnext gbtn" aria-label="{next}" data-taborder="1">{{nextSVG}}</button>'
    "</div></div>"
)


def _lightbox_labels(output, language):
    """glightbox names its buttons in English and has no setting for the names, only for its whole
    markup: give it its own markup with the names in the page's language."""
    if GLIGHTBOX_INIT not in output:
        if "glightbox" in output:
            raise PluginError("mkdocs-glightbox's page script has changed: cannot name its buttons in " + language)
        return output
    strings = FURNITURE[language]
    markup = GLIGHTBOX_MARKUP.format(
        close=strings["lightbox_close"], previous=strings["lightbox_previous"], next=strings["lightbox_next"]
    )
    return output.replace(GLIGHTBOX_INIT, f"{GLIGHTBOX_INIT}lightboxHTML: {json.dumps(markup, ensure_ascii=False)}, ", 1)


# Each language's build renders the theme's 404.html to the same site/404.html, the last one winning:
# keep each language's page here and write them to their own places once every language is built.
_not_found_pages: dict[str, str] = {}


def on_post_template(output, template_name, config):
    if template_name != "404.html":
        return output
    language = config["theme"]["language"]
    # static-i18n's language switcher on a page that is no page leads to whichever page it saw last:
    # on a 404 page, lead to the home page of each language.
    root = urlsplit(config["site_url"] or "/").path.rstrip("/") + "/"
    for other in LANGUAGES:
        home = root if other == LANGUAGES[0] else f"{root}{other}/"
        output = re.sub(rf'href="[^"]*"( hreflang="{other}")', rf'href="{home}"\1', output)
    _not_found_pages[language] = output
    return output


def _drop_head_alternates(output):
    """Material fetches `sitemap.xml` relative to every `<link rel="alternate" hreflang>` in the head,
    to find the twin page for its language switcher. static-i18n points those links at the twin pages
    themselves, so each fetch is a 404 (`/zh/schedulers/x/sitemap.xml`). The switcher's own links
    already lead to the twin pages, and sitemap.xml lists the language alternates for search engines,
    so the head links are only a cost: two failed requests on every page view."""
    return HEAD_ALTERNATE.sub("", output)


# Material's search finds its index at `<config.base>/search/search_index.json`, and config.base is
# the site root for every page. A Chinese page then searches the English pages too ("cosine" on the
# Chinese site led to Chinese pages that merely quote the class name). So each language gets its own
# index under its own root, and that language's pages get their root as base.
CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"base": ")([^"]*)(")')


def _search_base(output, language):
    output, found = CONFIG_BASE.subn(lambda m: f"{m[1]}{m[2]}/{language}/{m[3]}", output, count=1)
    if not found:
        raise PluginError("Material's page config has changed: cannot point the page at its language's search index")
    return output


@event_priority(-200)  # after static-i18n has built every language and merged their search entries
def on_post_build(config):
    if config.plugins["i18n"].building:
        return  # inside static-i18n's nested build of another language: the index is not final yet
    _write_not_found_pages(Path(config["site_dir"]))
    _split_search_index(config)
    _JiebaMemo.save()
    _PageMemo.forget_unused()
    if _ServeMemo.installed:
        _ServeMemo.remove_stale(Path(config["site_dir"]))
        _ServeMemo.warm_up()


def _write_not_found_pages(site_dir: Path) -> None:
    missing = set(LANGUAGES) - set(_not_found_pages)
    if missing:
        raise PluginError(f"no 404 page was rendered for {sorted(missing)}: check overrides/404.html")
    for language, html in _not_found_pages.items():
        target = site_dir / ("404.html" if language == LANGUAGES[0] else f"{language}/404.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    _not_found_pages.clear()


def _split_search_index(config) -> None:
    index_file = Path(config["site_dir"]) / "search" / "search_index.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))
    others = tuple(f"{language}/" for language in LANGUAGES[1:])
    by_language = {LANGUAGES[0]: [doc for doc in index["docs"] if not doc["location"].startswith(others)]}
    for language in LANGUAGES[1:]:
        prefix = f"{language}/"
        by_language[language] = [
            {**doc, "location": doc["location"][len(prefix) :]}
            for doc in index["docs"]
            if doc["location"].startswith(prefix)
        ]
    for language, docs in by_language.items():
        target = index_file if language == LANGUAGES[0] else Path(config["site_dir"]) / language / "search" / index_file.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({**index, "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# ------------------------------------------------------------------------------------ memoizing


class _JiebaMemo:
    """jieba's segmentation of each run of Chinese characters, kept in docs/generated/cache/.

    Material's search plugin segments every run of Han characters of every page with `jieba.cut`,
    and the first call loads jieba's dictionary: 0.3 to 0.6 s, a tenth of a rebuild with no changed
    script. The segmentation of a run depends only on the run and the dictionary, so the runs of the
    last build are kept with their words (keyed by jieba's version and dictionary), and jieba
    itself, with its dictionary, is only loaded for a run it has not segmented before."""

    jieba = None
    words: dict[str, list[str]] = {}
    used: dict[str, list[str]] = {}
    target: Path | None = None

    @classmethod
    def install(cls, config, cache_dir: Path) -> None:
        from material.plugins.search import plugin as search_plugin

        if cls.jieba is None:
            if not isinstance(search_plugin.jieba, type(sys)):
                return  # jieba is not installed (or someone else wraps it): leave the plugin alone
            cls.jieba = search_plugin.jieba
        if cls.target is None or cls.target.parent != cache_dir:
            # The dictionaries the search plugin would give jieba (search.jieba_dict, jieba_dict_user).
            search = config.plugins.get("material/search") or config.plugins.get("search")
            dictionaries = [getattr(search.config, name, None) for name in ("jieba_dict", "jieba_dict_user")] if search else []
            dictionaries = [Path(path).read_bytes().hex() if path and Path(path).is_file() else path for path in dictionaries]
            key = _digest(cls.jieba.__version__, cls.jieba.dt.dictionary, dictionaries)[:16]
            cls.target = cache_dir / f"jieba-{key}.json"
            cls.words = json.loads(cls.target.read_text(encoding="utf-8")) if cls.target.is_file() else {}
            cls.used = {}
        search_plugin.jieba = cls

    @classmethod
    def cut(cls, sentence, *args, **kwargs):
        text = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence
        if args or kwargs:  # not the plain call Material makes: no memo
            return cls.jieba.cut(sentence, *args, **kwargs)
        if text not in cls.words:
            cls.words[text] = list(cls.jieba.cut(sentence))
        cls.used[text] = cls.words[text]
        return iter(cls.words[text])

    @classmethod
    def save(cls) -> None:
        """Keep what this build used (both languages), when it differs from what is on disk."""
        if cls.target is None or not cls.used:
            return
        used = dict(sorted(cls.used.items()))
        if not cls.target.is_file() or json.loads(cls.target.read_text(encoding="utf-8")) != used:
            for stale in cls.target.parent.glob("jieba-*.json"):
                stale.unlink()
            cls.target.parent.mkdir(parents=True, exist_ok=True)
            cls.target.write_text(json.dumps(used, ensure_ascii=False, indent=0), encoding="utf-8")
        cls.used = {}


class _PageMemo:
    """Each page's build, remembered in docs/generated/cache/pages/ and done again only when something
    it reads changed.

    MkDocs builds every page of both languages on every build, and so on every rebuild under
    `mkdocs serve`, whatever changed (`--dirty` is no help: static-i18n and the search index need
    every page). Building the 56 pages is most of a rebuild in which no script changed. Each of the
    two steps of a page's build is remembered, keyed by everything it reads:

    * Markdown to HTML (`Page.render`): the page's Markdown after `on_page_markdown` (so after the
      placeholders took the current code, figures and catalog), its source and address, the list of
      files its links resolve against, and the configuration (`_config_digest`);
    * the page through the theme (`_build_page`: the search plugin's index entries, the template,
      `on_post_page`): the page's HTML, title, meta and table of contents, the whole nav (every
      title and address the sidebar shows), the list of pages, the language and the configuration;
    * the theme's own templates (404.html, sitemap.xml: `_build_template`): the nav, the pages,
      the language and the configuration.

    A hit sets what `Page.render` sets, or writes the remembered page and gives the search plugin the
    entries it made. A step that logged a warning is not remembered (so `--strict` fails again on
    the next build). Entries a build did not use are deleted after it; `make clean` deletes them
    all, and a clean build (CI, the tests) starts without any. Under `mkdocs serve` the entries are
    also kept in memory."""

    memory: dict | None = None  # (kind, language, src_uri) -> (key, value), under serve
    used: set[str] = set()
    cache_dir: Path | None = None

    @classmethod
    def install(cls, in_memory: bool) -> None:
        from mkdocs.commands import build as build_module
        from mkdocs.structure.pages import Page

        if cls.memory is not None or getattr(Page.render, "memoized", False):
            return
        cls.memory = {} if in_memory else None
        render, build_page, build_template = Page.render, build_module._build_page, build_module._build_template

        def memo_render(page, config, files):
            slot = ("render", getattr(page.file, "locale", LANGUAGES[0]), page.file.src_uri)
            key = _digest(slot, page.markdown, page.url, _linkable(files), _config_digest(config))
            remembered = cls.recall(config, slot, key)
            if remembered is not None:
                attributes, links = remembered
                for name, value in attributes.items():
                    setattr(page, name, value)
                page.links_to_anchors = {
                    files.get_file_from_path(uri): anchors for uri, anchors in links.items() if files.get_file_from_path(uri)
                }
                return
            with _CountWarnings() as warnings:
                render(page, config, files)
            if warnings.count:
                return
            attributes = {name: getattr(page, name) for name in ("content", "toc", "_title_from_render", "present_anchor_ids")}
            links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
            cls.remember(config, slot, key, (attributes, links))

        def memo_build_page(page, config, doc_files, nav, env, dirty=False, excluded=False):
            index = _search_index(config)
            if index is None or dirty:
                return build_page(page, config, doc_files, nav, env, dirty, excluded)
            slot = ("page", getattr(page.file, "locale", LANGUAGES[0]), page.file.src_uri)
            key = _digest(
                slot, page.content, page.title, repr(sorted(page.meta.items())), [_toc_tree(item) for item in page.toc],
                _nav_digest(nav), sorted(file.src_uri for file in doc_files), config["theme"]["language"], page.url,
                page.file.dest_uri, excluded, _config_digest(config),
            )
            remembered = cls.recall(config, slot, key)
            if remembered is not None:
                output, entries = remembered
                Path(page.file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
                Path(page.file.abs_dest_path).write_bytes(output)
                index.entries.extend(entries)
                return
            before = len(index.entries)
            with _CountWarnings() as warnings:
                build_page(page, config, doc_files, nav, env, dirty, excluded)
            output = Path(page.file.abs_dest_path)
            if not warnings.count and output.is_file():
                cls.remember(config, slot, key, (output.read_bytes(), list(index.entries[before:])))

        def memo_build_template(name, template, files, config, nav):
            """The theme's own templates (404.html, sitemap.xml), keyed by the nav, the pages, the
            language and the configuration."""
            language = config["theme"]["language"]
            slot = ("template", language, name)
            pages = sorted((file.src_uri, file.url) for file in files.documentation_pages())
            key = _digest(slot, _nav_digest(nav), pages, _config_digest(config))
            output = cls.recall(config, slot, key)
            if output is not None:
                if name == "404.html":
                    _not_found_pages[language] = output  # what on_post_template keeps, as it kept it
                return output
            with _CountWarnings() as warnings:
                output = build_template(name, template, files, config, nav)
            if not warnings.count:
                cls.remember(config, slot, key, output)
            return output

        memo_render.memoized = True
        Page.render = memo_render
        build_module._build_page = memo_build_page
        build_module._build_template = memo_build_template

    @classmethod
    def _file(cls, config, key: str) -> Path:
        cls.cache_dir = Path(config["docs_dir"]) / GENERATED / "cache" / "pages"
        return cls.cache_dir / f"{key[:32]}.pickle"

    @classmethod
    def recall(cls, config, slot, key):
        path = cls._file(config, key)
        cls.used.add(path.name)
        if cls.memory is not None and slot in cls.memory and cls.memory[slot][0] == key:
            return cls.memory[slot][1]
        if not path.is_file():
            return None
        value = pickle.loads(path.read_bytes())  # written by `remember` below, in this project's own cache
        if cls.memory is not None:
            cls.memory[slot] = (key, value)
        return value

    @classmethod
    def remember(cls, config, slot, key, value) -> None:
        path = cls._file(config, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        if cls.memory is not None:
            cls.memory[slot] = (key, value)

    @classmethod
    def forget_unused(cls) -> None:
        if cls.cache_dir is not None and cls.cache_dir.is_dir():
            for path in cls.cache_dir.glob("*.pickle"):
                if path.name not in cls.used:
                    path.unlink()
        cls.used = set()


class _CountWarnings(logging.Handler):
    """Counts the warnings MkDocs logs while it is installed (a `with` block)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1

    def __enter__(self):
        logging.getLogger("mkdocs").addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger("mkdocs").removeHandler(self)


class _ServeMemo:
    """Under `mkdocs serve` only, on top of `_PageMemo`: what MkDocs does again on every rebuild
    though nothing it reads changed.

    * the list of the theme's static files (MkDocs walks Material's thousands of icons for each
      language on each rebuild), and their copies in site/: MkDocs empties site/ before each
      rebuild and copies every theme asset again. Here site/ is not emptied: a static file is
      copied when its source changed since the last rebuild began, and what a rebuild did not write
      (a deleted page) is deleted after it;
    * `hooks.on_page_content` (MathML) of an unchanged page;
    * and, once the first build is served, torch imported in the background (`warm_up`)."""

    theme_listing = {}  # theme folders -> their static files
    contents = {}  # (language, src_uri) -> (HTML from Markdown, HTML after hooks.on_page_content)
    installed = warmed = False
    build_started = previous_build_started = None

    @classmethod
    def install(cls) -> None:
        if cls.installed:
            return
        from mkdocs.commands import build as build_module

        cls.installed = True
        add_files_from_theme, copy_file = Files.add_files_from_theme, File.copy_file

        def clean_later(site_dir):
            """Instead of emptying site/ before the build, delete after it what the build did not
            write (a page or file that no longer exists): the same site, without writing every
            theme asset twice. Only the outermost build: static-i18n's nested one keeps site/."""
            cls.previous_build_started, cls.build_started = cls.build_started or cls.previous_build_started, time.time()

        def theme_files(files, env, config):
            """The theme's static files: MkDocs walks every theme folder (Material's holds thousands
            of icons) for each language on each rebuild; the folders do not change under serve."""
            key = (tuple(config.theme.dirs), tuple(config.theme.static_templates), config.site_dir, config.use_directory_urls)
            if key not in cls.theme_listing:
                listing = Files([])
                add_files_from_theme(listing, env, config)
                cls.theme_listing[key] = [(file.src_uri, file.abs_src_path) for file in listing]
            for src_uri, abs_src_path in cls.theme_listing[key]:
                if files.get_file_from_path(src_uri) is None:  # docs files override theme files
                    directory = abs_src_path[: -len(src_uri)].rstrip("/")
                    files.append(File(src_uri, directory, config.site_dir, config.use_directory_urls))

        def copy_if_changed(file, dirty=False):
            """Copy a static file only when its source changed since the last rebuild began (or its
            copy is missing); touch the copy otherwise, so that `remove_stale` keeps it."""
            destination = file.abs_dest_path
            previous = cls.previous_build_started
            if (
                previous is not None
                and file.generated_by is None
                and file.abs_src_path is not None
                and os.path.isfile(destination)
                and os.path.getmtime(file.abs_src_path) < previous
            ):
                os.utime(destination)
                return
            copy_file(file, dirty)

        build_module.utils.clean_directory = clean_later
        Files.add_files_from_theme = theme_files
        File.copy_file = copy_if_changed

    @classmethod
    def warm_up(cls) -> None:
        """After the first build of serve, in the background while serve waits for a change: import
        what the first saved gallery script would otherwise wait for (torch, and torch._dynamo,
        which torch imports on the first optimizer: 2 to 3 s) and matplotlib's pyplot.
        An edit saved meanwhile waits for the import under Python's import lock, as it would anyway."""
        if cls.warmed:
            return
        cls.warmed = True

        def warm():
            import torch

            torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=0.1)
            figures.pyplot()  # no figure: a script running meanwhile would scrape it as its own

        threading.Thread(target=warm, name="warm-up", daemon=True).start()

    @classmethod
    def remove_stale(cls, site_dir: Path) -> None:
        if cls.build_started is None:
            return
        started, cls.build_started = cls.build_started - 1, None  # 1 s: coarse file system clocks
        cls.previous_build_started = started
        for path in sorted(site_dir.rglob("*"), reverse=True):
            if path.is_file() and path.stat().st_mtime < started:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def _linkable(files) -> list[str]:
    """The files a page's links resolve against; not our own cache, whose names change with it."""
    return sorted(uri for uri in files.src_uris if not uri.startswith(f"{GENERATED}/cache/"))


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=repr, ensure_ascii=False).encode()).hexdigest()


def _toc_tree(item) -> list:
    return [item.title, item.url, item.level, [_toc_tree(child) for child in item.children]]


def _nav_digest(nav) -> str:
    def tree(items):
        return [
            [type(item).__name__, item.title, getattr(item, "url", None), tree(getattr(item, "children", None) or [])]
            for item in items
        ]

    return _digest(tree(nav.items))


def _config_digest(config) -> str:
    """What every page's build reads besides the page: mkdocs.yml, the theme overrides, this file
    (its hooks run on every page), the site's address, and the versions of what turns Markdown into
    pages. Read once per build (both languages share the config object), kept on the config."""
    digest = getattr(config, "_lr_gallery_digest", None)
    if digest is None:
        import importlib.metadata

        root = Path(config["config_file_path"]).parent
        overrides = sorted(
            (str(path.relative_to(root)), hashlib.sha256(path.read_bytes()).hexdigest())
            for path in (root / "overrides").rglob("*")
            if path.is_file()
        )
        packages = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments", "mkdocs-static-i18n", "mkdocs-glightbox", "jinja2")
        versions = [importlib.metadata.version(package) for package in packages]
        sources = [Path(config["config_file_path"]).read_bytes().hex(), Path(__file__).read_bytes().hex()]
        digest = _digest(sources, overrides, versions, config["site_url"], os.environ.get("SOURCE_DATE_EPOCH"))
        config._lr_gallery_digest = digest
    return digest


def _search_index(config):
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    return index if hasattr(index, "entries") else None
