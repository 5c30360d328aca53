"""Room: the second language. Fixes for what mkdocs-static-i18n 1.3.1, Material 9.8.1 and
mkdocs-glightbox do with a two-language site; each function names the behaviour it answers.

Owns: Chinese line joining in the Markdown; the `lang` of Chinese pages; each language's search index
(and what it ranks first for a scheduler's name: scripts/search_ranking.py) and 404 page; the
lightbox's button names. The words themselves are data: scripts/furniture.yml.
Events: on_page_markdown, on_post_page, on_post_template, on_post_build.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from catalog import LANGUAGES
from furniture import FURNITURE
from mathml import outside_code
from search_ranking import search_meta

# The `lang` of each language's pages where the locale alone does not say enough. Material writes the
# locale ("zh"); a browser then may pick Traditional glyphs for characters the two scripts share.
HTML_LANG = {"zh": "zh-CN"}

# A line break between two Chinese characters (or full-width punctuation) is only a source line wrap,
# also when the next line is indented (a list item's continuation): Markdown renders it as a space,
# which Chinese text does not have.
CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
CJK_LINE_BREAK = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")


def join_cjk_lines(markdown: str) -> str:
    return outside_code(markdown, lambda prose: CJK_LINE_BREAK.sub("", prose))


@event_priority(-50)  # after the placeholders, which may write Chinese text too
def on_page_markdown(markdown, page, config, files):
    language = getattr(page.file, "locale", LANGUAGES[0])
    if language == "zh":
        markdown = join_cjk_lines(markdown)
    # Material's search plugin reads `search.boost` and `tags` from page.meta when it indexes the page
    # (on_page_context, after this event).
    source = re.sub(rf"\.{language}\.md$", ".md", page.file.src_uri) if language != LANGUAGES[0] else page.file.src_uri
    page.meta = search_meta(page.meta, source, language)
    return markdown


@event_priority(-100)  # after glightbox has put its script in the page
def on_post_page(output, page, config):
    output = drop_head_alternates(output)
    language = getattr(page.file, "locale", LANGUAGES[0])
    if language != LANGUAGES[0]:
        output = html_lang(output, language)
        output = search_base(output, language)
        output = lightbox_labels(output, language)
    return output


def html_lang(output: str, language: str) -> str:
    """Material 9.8.1 writes `<html lang="{{ lang.t('language') }}">`, the locale static-i18n gives it."""
    if language not in HTML_LANG:
        return output
    output, found = re.subn(rf'<html lang="{language}"', f'<html lang="{HTML_LANG[language]}"', output, count=1)
    if not found:
        raise PluginError(f"Material's <html lang> has changed: cannot name the script of the {language} pages")
    return output


HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def drop_head_alternates(output: str) -> str:
    """Material fetches `sitemap.xml` relative to every `<link rel="alternate" hreflang>` in the head,
    to find the twin page for its language switcher. static-i18n points those links at the twin pages
    themselves, so each fetch is a 404 (`/zh/schedulers/x/sitemap.xml`). The switcher's own links
    already lead to the twin pages, and sitemap.xml lists the language alternates for search engines,
    so the head links are only a cost: two failed requests on every page view."""
    return HEAD_ALTERNATE.sub("", output)


# Material's search finds its index at `<config.base>/search/search_index.json`, and config.base is
# the site root for every page; static-i18n merges every language into that one index. A Chinese page
# then searches the English pages too ("cosine" on the Chinese site led to Chinese pages that merely
# quote the class name). So each language gets its own index under its own root (split_search_index),
# and that language's pages get their root as base.
CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"base": ")([^"]*)(")')


def search_base(output: str, language: str) -> str:
    output, found = CONFIG_BASE.subn(lambda m: f"{m[1]}{m[2]}/{language}/{m[3]}", output, count=1)
    if not found:
        raise PluginError("Material's page config has changed: cannot point the page at its language's search index")
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


def lightbox_labels(output: str, language: str) -> str:
    """mkdocs-glightbox names its buttons in English and has no setting for the names, only for its
    whole markup: give it its own markup with the names in the page's language."""
    if GLIGHTBOX_INIT not in output:
        if "glightbox" in output:
            raise PluginError("mkdocs-glightbox's page script has changed: cannot name its buttons in " + language)
        return output
    strings = FURNITURE[language]
    markup = GLIGHTBOX_MARKUP.format(
        close=strings["lightbox_close"], previous=strings["lightbox_previous"], next=strings["lightbox_next"]
    )
    return output.replace(GLIGHTBOX_INIT, f"{GLIGHTBOX_INIT}lightboxHTML: {json.dumps(markup, ensure_ascii=False)}, ", 1)


# static-i18n builds each language into the same site_dir, and each build renders the theme's
# 404.html to the same site/404.html, the last one winning: keep each language's page here and write
# them to their own places once every language is built (on_post_build).
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
    output = drop_head_alternates(output)  # as on every page (on_post_page, which a 404 page skips)
    if language != LANGUAGES[0]:
        output = html_lang(output, language)
    _not_found_pages[language] = output
    return output


@event_priority(-200)  # after static-i18n has built every language and merged their search entries
def on_post_build(config):
    if config.plugins["i18n"].building:
        return  # inside static-i18n's nested build of another language: the index is not final yet
    write_not_found_pages(Path(config["site_dir"]))
    split_search_index(Path(config["site_dir"]))


def write_not_found_pages(site_dir: Path) -> None:
    missing = set(LANGUAGES) - set(_not_found_pages)
    if missing:
        raise PluginError(f"no 404 page was rendered for {sorted(missing)}: check overrides/404.html")
    for language, html in _not_found_pages.items():
        target = site_dir / ("404.html" if language == LANGUAGES[0] else f"{language}/404.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    _not_found_pages.clear()


def split_search_index(site_dir: Path) -> None:
    """One index per language, each under its language's root (see `search_base`)."""
    index_file = site_dir / "search" / "search_index.json"
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
        target = index_file if language == LANGUAGES[0] else site_dir / language / "search" / index_file.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({**index, "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
