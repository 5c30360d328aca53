"""mkdocs-gallery's configuration script (`conf_script` in mkdocs.yml; the gallery keeps it out of
the site). It holds what mkdocs.yml cannot: Python callables.

* `image_scrapers`: scripts/figures.py's `scrape` saves each figure as SVG for both palettes and
  records the run's series, in place of the gallery's PNG scraper.
* `reset_modules`: before each script it runs, matplotlib's defaults plus the house style
  (`figures.reset_style`), then `freeze_long_lived`.
"""

import gc
import sys
from pathlib import Path

SCRIPTS = str(Path(__file__).resolve().parent.parent / "scripts")
if "figures" not in sys.modules:  # the hooks imported it already in a build; a lone run imports it here
    sys.path.insert(0, SCRIPTS)
    try:
        import figures  # noqa: F401
    finally:
        sys.path.remove(SCRIPTS)
figures = sys.modules["figures"]


def freeze_long_lived(gallery_conf, file) -> None:
    """Python's `gc.freeze()`, once torch is imported: the gallery runs a full `gc.collect()` before
    each script (to make its memory report exact, which we do not publish), and with torch loaded a
    full collection walks hundreds of thousands of long-lived objects: about 0.3 s a script, a third
    of a cold build. Frozen objects are left out of every later collection; what the scripts make is
    still collected. One collection first, so that no garbage is frozen."""
    if gc.get_freeze_count() == 0 and "torch" in sys.modules:
        gc.collect()
        gc.freeze()


conf = {
    "image_scrapers": (figures.scrape,),
    "reset_modules": (figures.reset_style, freeze_long_lived),
}
