"""MkDocs hooks: the glue between mkdocs-gallery, mkdocs-static-i18n, Material and the catalog.

What they do, in build order:

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
  static-i18n merges into one index per language.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File
from mkdocs_gallery import gen_single, glr_path_static
from mkdocs_gallery.py_source_parser import split_code_and_text_blocks

import explorer
import figures
import manifest
import prose_numbers
import summary
from catalog import DOCS_DIR, EXAMPLE_PAGES_DIR, LANGUAGES, CatalogError, load_catalog
from mathml import outside_code, render_math
from pitfalls import PitfallError, pitfall_markdown

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


# --------------------------------------------------------------------------------------- config


@event_priority(100)  # before mkdocs-gallery's own on_config
def on_config(config):
    _pin_build_date()
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
                return pitfall_markdown(argument, Path(config["docs_dir"]) / GENERATED / "cache")
            except PitfallError as error:
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
    _, blocks = split_code_and_text_blocks(example.script_path)
    code = "\n\n".join(content.strip("\n") for label, content, _ in blocks if label == "code")
    return f'```python title="{example.script}"\n{code}\n```'


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
