"""Room: the catalog (gallery/catalog.yml) and what the site publishes from the runs.

Owns: the scheduler sections of the nav and their Chinese titles; refusing to build incomplete docs
(a page without its twin, a catalog example without pages or figure: site_files.docs_problems); the
data files made from the runs the gallery recorded (schedules.json, one CSV per example) and the
summary figure; the build date of the sitemap.
Events: on_config, on_files.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path, PurePosixPath

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File

import figure_text
import figures
import manifest
import summary
from catalog import DOCS_DIR, LANGUAGES, CatalogError, load_catalog
from site_files import GENERATED, MANIFEST, docs_problems, summary_src

NAV_PLACEHOLDER = "Schedulers"  # the nav entry in mkdocs.yml that the catalog's sections replace


def _catalog():
    try:
        return load_catalog()
    except CatalogError as error:
        raise PluginError(str(error)) from None


def on_config(config):
    _pin_build_date()
    _write_nav(config, _catalog())
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


def _write_nav(config, catalog) -> None:
    """Replace the `Schedulers` placeholder of the nav by one sub-section per catalog section, and
    give static-i18n the sections' titles in the other languages (nav_translations)."""
    nav = config["nav"]
    for index, entry in enumerate(nav):
        if isinstance(entry, dict) and entry.get(NAV_PLACEHOLDER) == "catalog":
            nav[index] = {
                NAV_PLACEHOLDER: [
                    {section.title["en"]: [example.page_src() for example in catalog.in_section(section.id)]}
                    for section in catalog.sections
                ]
            }
    for language in config.plugins["i18n"].config.languages:
        if language.locale != LANGUAGES[0]:
            translations = language.nav_translations or {}
            translations.update({section.title["en"]: section.title[language.locale] for section in catalog.sections})
            language.nav_translations = translations


@event_priority(100)  # on the raw docs tree, before static-i18n sorts it by language
def _check_docs(files, config):
    problems = docs_problems(_catalog(), files.src_uris)
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
    figure_text.add_language_figures(files, config, LANGUAGES)
    for language in LANGUAGES:
        for layout in summary.LAYOUTS:
            light, dark = _summary_figures(catalog, document, generated_dir, language, layout)
            path = summary_src(language, layout)
            files.append(File.generated(config, path, content=light))
            files.append(File.generated(config, str(figures.dark_variant_path(PurePosixPath(path))), content=dark))
    return files


on_files = CombinedEvent(_check_docs, _add_data_files)


def _cached(generated_dir: Path, name: str, inputs: bytes, make) -> str:
    """`make()`, kept in docs/generated/cache/ beside the gallery's own cache (deleted with it by
    `make clean`) and made again only when its inputs change: a rebuild in which no script changed
    then never imports torch. Our own outputs, keyed by all they read: nothing of MkDocs is involved.
    The file keeps its name and its key is written beside it (`NAME.key`, after the file): a name
    that changed with the runs would change the build's list of files, on which every page's
    remembered render under `mkdocs serve` depends (hooks_speed.py)."""
    key = hashlib.sha256(inputs).hexdigest()[:16]
    target = generated_dir / "cache" / name
    stamp = target.with_name(f"{name}.key")
    if not (target.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == key):
        for stale in target.parent.glob(f"{name}-*"):  # named by their key before
            stale.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(make(), encoding="utf-8")
        stamp.write_text(key, encoding="utf-8")
    return target.read_text(encoding="utf-8")


def _manifest_document(catalog, runs, generated_dir: Path) -> str:
    inputs = [json.dumps(runs, sort_keys=True), manifest.TORCH_VERSION, repr(catalog), Path(manifest.__file__).read_text()]
    inputs += [example.script_path.read_text(encoding="utf-8") for example in catalog.examples]
    return _cached(
        generated_dir, "schedules.json", "\0".join(inputs).encode(), lambda: manifest.manifest(catalog.examples, runs)
    )


def _summary_figures(catalog, document: str, generated_dir: Path, language: str, layout: str) -> tuple[str, str]:
    """Rendered only when the runs (or the summary's code or titles) change, not on every build."""
    inputs = document.encode() + Path(summary.__file__).read_bytes() + Path(figures.__file__).read_bytes()
    inputs += repr([example.title[language] for example in catalog.examples]).encode()
    rendered = {}

    def render(variant):
        if not rendered:
            runs = {entry["id"]: entry for entry in json.loads(document)["examples"]}
            rendered["light"], rendered["dark"] = summary.render(catalog.examples, runs, language, layout)
        return rendered[variant]

    light = _cached(generated_dir, f"summary_{language}_{layout}.svg", inputs, lambda: render("light"))
    dark = _cached(generated_dir, f"summary_{language}_{layout}_dark.svg", inputs, lambda: render("dark"))
    return light, dark
