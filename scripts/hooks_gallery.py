"""Room: mkdocs-gallery inside a two-language MkDocs build.

Owns: letting the gallery configure itself once per language build, and keeping out of the site the
CSS and templates the gallery adds for its own pages (which we do not publish: the prose pages embed
its figures). The gallery's own settings (our image scraper and matplotlib resetter) are in
docs/gallery_conf.py, the gallery's documented `conf_script`.
Events: on_config.
"""

from __future__ import annotations

import copy
from pathlib import Path

from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs_gallery import glr_path_static

# The gallery's options as MkDocs read them from mkdocs.yml, per plugin instance (MkDocs keeps one
# instance for the whole process, and reads mkdocs.yml into it again at each rebuild of serve).
_OPTIONS: dict[int, dict] = {}


@event_priority(100)  # before the gallery's own on_config
def _options_as_written(config):
    """mkdocs-static-i18n 1.3.1 builds each extra language by calling MkDocs' `build` again with the
    same config (its on_post_build), and `build` runs every plugin's on_config again. mkdocs-gallery
    0.10.4's on_config replaces its options by their parsed form (`self.config = parse_config(...)`),
    which it cannot parse a second time (KeyError: 'conf_script', then "Unknown key(s)"). So before
    each of its runs, its options are again what mkdocs.yml says: the gallery parses the same input
    each time, through its own code. (Its on_config also adds its CSS and templates again: see below.)"""
    gallery = config.plugins["gallery"]
    if "conf_script" in gallery.config:  # as MkDocs loaded them: not parsed yet in this build
        _OPTIONS[id(gallery)] = copy.deepcopy(dict(gallery.config))
    else:  # parsed by this build's first on_config: give the gallery its options back
        gallery.config.clear()
        gallery.config.update(copy.deepcopy(_OPTIONS[id(gallery)]))
    return config


@event_priority(-100)  # after the gallery's own on_config
def _without_gallery_static(config):
    """The gallery adds its CSS and templates for the pages it writes, which the site does not publish."""
    static = Path(glr_path_static())
    config["theme"].dirs[:] = [folder for folder in config["theme"].dirs if Path(folder) != static]
    config["extra_css"] = [css for css in config["extra_css"] if not (static / css).is_file()]
    return config


on_config = CombinedEvent(_options_as_written, _without_gallery_static)
