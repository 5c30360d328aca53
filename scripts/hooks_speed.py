"""Room: speed. The one place that replaces functions inside other packages, for `mkdocs serve` and for
rebuilds that opt in; a plain `mkdocs build` (`make build`, the tests' shared build, the Pages workflow)
runs MkDocs, Material, static-i18n and mkdocs-gallery as shipped.

Active under `mkdocs serve`, and under `mkdocs build` when the environment sets LR_GALLERY_CACHE=1;
only with the exact versions in `WRITTEN_FOR` (on any other, it does nothing and says so in one line).
Its files are in .cache/speed/ at the project root (Material's convention; git-ignored; `make clean`
deletes them). tests/test_speed.py proves that a cached rebuild, an edit-then-revert rebuild and the
pages served after edits equal a clean build byte for byte.

* Each page's Markdown-to-HTML (`Page.render`) and its pass through the theme (`build._build_page`),
  remembered and done again only when something it reads changed (keys: `_key`). MkDocs builds every
  page of both languages on every build, whatever changed (`--dirty` is no help: static-i18n and the
  search index need every page). A step that logged a warning is not remembered, so `--strict` fails
  again on the next build.
* jieba's segmentation of each Chinese run, for Material's search (`JiebaMemo`): loading jieba's
  dictionary is a tenth of a rebuild in which no script changed.
* Under serve only: the list of the theme's static files (`Files.add_files_from_theme` walks
  Material's thousands of icons for each language on each rebuild) and their copies (`File.copy_file`:
  a file is copied again only when its source changed, a generated file or a remembered page written
  again only when its bytes changed: rewriting a file costs more than reading it; `utils.clean_directory`
  no longer empties site/, and what a rebuild did not write is deleted after it); the theme's templates
  compiled once (`TemplateMemo`); torch imported in the background once the first build is served.
Events: on_startup, on_config, on_env, on_post_build.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import threading
import time
from pathlib import Path

from mkdocs.plugins import event_priority

from speed_memo import CACHE_DIR, CountWarnings, JiebaMemo, Store, TemplateMemo, digest, nav_tree, same_bytes, toc_tree

ROOT = Path(__file__).resolve().parent.parent
OPT_IN = "LR_GALLERY_CACHE"
WRITTEN_FOR = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.1", "mkdocs-static-i18n": "1.3.1", "jieba": "0.42.1"}
# What turns Markdown into pages besides the page itself: part of every key.
PACKAGES = ("markdown", "pymdown-extensions", "pygments", "mkdocs-glightbox", "jinja2", *WRITTEN_FOR)
log = logging.getLogger("mkdocs.hooks.speed")
state = {"active": False, "serve": False, "store": None, "build_started": None, "previous": None, "templates": None}


def on_startup(command, dirty):
    """Once per process (MkDocs keeps hook modules across the rebuilds of `mkdocs serve`)."""
    if state["active"] or (command != "serve" and os.environ.get(OPT_IN) != "1"):
        return
    found = {package: _version(package) for package in WRITTEN_FOR}
    if found != WRITTEN_FOR:
        others = ", ".join(f"{p} {v}" for p, v in found.items() if WRITTEN_FOR[p] != v)
        log.info(f"speed caches off: written for {WRITTEN_FOR}, found {others}")
        return
    state.update(active=True, serve=command == "serve", store=Store(in_memory=command == "serve"), templates=TemplateMemo())
    _remember_pages()
    if state["serve"]:
        _serve_incrementally()


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


@event_priority(90)  # before Material's search reads search.jieba_dict (it calls jieba.set_dictionary)
def on_config(config):
    from material.plugins.search import plugin as search_plugin

    if state["active"] and search_plugin.jieba is not None and not isinstance(search_plugin.jieba, JiebaMemo):
        search_plugin.jieba = JiebaMemo(search_plugin.jieba)
    return config


def on_env(env, config, files):
    """Each build's new jinja environment compiles the theme's templates once, for all builds."""
    if state["serve"]:
        env.bytecode_cache = state["templates"]
    return env


@event_priority(-300)  # after every other on_post_build, static-i18n's nested builds included
def on_post_build(config):
    if not state["active"] or config.plugins["i18n"].building:
        return
    from material.plugins.search import plugin as search_plugin

    if isinstance(search_plugin.jieba, JiebaMemo):
        search_plugin.jieba.save()
    state["store"].forget_unused()
    if state["serve"]:
        _remove_stale(Path(config["site_dir"]))
        _warm_up()


# -------------------------------------------------------------------------------------- pages


def _remember_pages() -> None:
    from mkdocs.commands import build as build_module
    from mkdocs.structure.pages import Page

    render, build_page = Page.render, build_module._build_page

    def memo_render(page, config, files):
        slot = ("render", getattr(page.file, "locale", ""), page.file.src_uri)
        key = _key(slot, page.markdown, page.url, _uris_digest(files), config)
        remembered = state["store"].recall(slot, key)
        if remembered is not None:
            attributes, links = remembered
            for name, value in attributes.items():
                setattr(page, name, value)
            found = {uri: files.get_file_from_path(uri) for uri in links}
            page.links_to_anchors = {found[uri]: anchors for uri, anchors in links.items() if found[uri]}
            return
        with CountWarnings() as warnings:
            render(page, config, files)
        if not warnings.count:
            names = ("content", "toc", "_title_from_render", "present_anchor_ids")
            links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
            state["store"].remember(slot, key, ({name: getattr(page, name) for name in names}, links))

    def memo_build_page(page, config, doc_files, nav, env, dirty=False, excluded=False):
        plugin = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(plugin, "search_index", None)
        if not hasattr(index, "entries") or dirty:
            return build_page(page, config, doc_files, nav, env, dirty, excluded)
        slot = ("page", getattr(page.file, "locale", ""), page.file.src_uri)
        toc = [toc_tree(item) for item in page.toc]
        key = _key(
            slot, page.content, page.title, repr(sorted(page.meta.items())), toc, nav_tree(nav.items),
            sorted(file.src_uri for file in doc_files), config["theme"]["language"], page.url, page.file.dest_uri,
            excluded, config,
        )
        remembered = state["store"].recall(slot, key)
        if remembered is not None:
            output, entries = remembered
            if not same_bytes(page.file.abs_dest_path, output):
                Path(page.file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
                Path(page.file.abs_dest_path).write_bytes(output)
            index.entries.extend(entries)
            return
        before = len(index.entries)
        with CountWarnings() as warnings:
            build_page(page, config, doc_files, nav, env, dirty, excluded)
        output = Path(page.file.abs_dest_path)
        if not warnings.count and output.is_file():
            state["store"].remember(slot, key, (output.read_bytes(), list(index.entries[before:])))

    Page.render = memo_render
    build_module._build_page = memo_build_page


def _uris_digest(files) -> str:
    """A digest of the build's file names, made again only when they change (a page's links read
    them; about 2,800 names, for each of 94 pages)."""
    uris = tuple(files.src_uris)
    if state.get("uris", (None,))[0] != uris:
        state["uris"] = (uris, digest(sorted(uris)))
    return state["uris"][1]


def _key(*parts) -> str:
    """A digest of `parts`; the config, last, stands for mkdocs.yml, overrides/, scripts/ (the hooks
    run on every page), the site's address and the versions of what turns Markdown into pages."""
    config = parts[-1]
    config_digest = getattr(config, "_speed_digest", None)
    if config_digest is None:
        sources = sorted(
            (str(path.relative_to(ROOT)), hashlib.sha256(path.read_bytes()).hexdigest())
            for folder in ("overrides", "scripts")
            for path in (ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        )
        versions = [_version(package) for package in PACKAGES]
        mkdocs_yml = Path(config["config_file_path"]).read_bytes().hex()
        config_digest = digest(mkdocs_yml, sources, versions, config["site_url"], os.environ.get("SOURCE_DATE_EPOCH"))
        config._speed_digest = config_digest  # a new config each build; both languages share it
    return digest(*parts[:-1], config_digest)


# -------------------------------------------------------------------------------------- serve


def _serve_incrementally() -> None:
    from mkdocs import utils
    from mkdocs.structure.files import File, Files

    add_files_from_theme, copy_file, listing = Files.add_files_from_theme, File.copy_file, {}

    def clean_later(site_dir):
        """Instead of emptying site/ before the build, note when it began; `_remove_stale` deletes
        after it what it did not write. static-i18n 1.3.1 replaces this function during its nested
        builds of the other languages and puts back what it found."""
        state["previous"], state["build_started"] = state["build_started"] or state["previous"], time.time()

    def theme_files(files, env, config):
        key = (tuple(config.theme.dirs), tuple(config.theme.static_templates), config.site_dir, config.use_directory_urls)
        if key not in listing:
            found = Files([])
            add_files_from_theme(found, env, config)
            listing[key] = [(file.src_uri, file.abs_src_path) for file in found]
        for src_uri, abs_src_path in listing[key]:
            if files.get_file_from_path(src_uri) is None:  # docs files override theme files
                directory = abs_src_path[: -len(src_uri)].rstrip("/")
                files.append(File(src_uri, directory, config.site_dir, config.use_directory_urls))

    def copy_if_changed(file, dirty=False):
        """Copy a static file only when its source changed since the last rebuild began (or its copy
        is missing), write a generated one only when its bytes changed; touch the copy otherwise, so
        that `_remove_stale` keeps it."""
        destination, previous, content = file.abs_dest_path, state["previous"], file._content
        if content is not None and same_bytes(destination, content.encode() if isinstance(content, str) else content):
            return
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

    utils.clean_directory = clean_later
    Files.add_files_from_theme = theme_files
    File.copy_file = copy_if_changed


def _remove_stale(site_dir: Path) -> None:
    if state["build_started"] is None:
        return
    started = state["build_started"] - 1  # 1 s: coarse file system clocks
    state.update(build_started=None, previous=started)
    for path in sorted(site_dir.rglob("*"), reverse=True):
        if path.is_file() and path.stat().st_mtime < started:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _warm_up() -> None:
    """After the first build of serve, in the background: import what the first saved gallery script
    would otherwise wait for (torch and torch._dynamo, which torch imports on the first optimizer, and
    matplotlib's pyplot). An edit saved meanwhile waits for the import under Python's import lock."""
    if state.get("warmed"):
        return
    state["warmed"] = True

    def warm():
        import figures
        import torch

        torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=0.1)
        figures.pyplot()  # no figure: a script running meanwhile would scrape it as its own

    threading.Thread(target=warm, name="warm-up", daemon=True).start()
