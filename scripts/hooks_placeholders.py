"""Room: the placeholders of the prose pages (`{{ figure }}`, `{{ lr 9 }}`, ...).

Owns: filling each page's placeholders from what the gallery produced. The table of placeholders and
their handlers is `PLACEHOLDERS` in placeholders.py; add a placeholder there, not here.
Events: on_page_markdown.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from mkdocs.exceptions import PluginError

from catalog import EXAMPLE_PAGES_DIR, LANGUAGES, CatalogError, load_catalog
from placeholders import Context, PlaceholderError, expand


def on_page_markdown(markdown, page, config, files):
    try:
        catalog = load_catalog()
    except CatalogError as error:
        raise PluginError(str(error)) from None
    src = page.file.src_uri
    example = None
    if src.startswith(f"{EXAMPLE_PAGES_DIR}/"):
        example = catalog.example(PurePosixPath(src).name.split(".")[0])
    context = Context(
        page_src=src,
        language=getattr(page.file, "locale", LANGUAGES[0]),  # static-i18n's language of the page
        example=example,
        catalog=catalog,
        files=files,
        docs_dir=Path(config["docs_dir"]),
        config=config,
    )
    try:
        return expand(markdown, context)
    except PlaceholderError as error:
        raise PluginError(str(error)) from None
