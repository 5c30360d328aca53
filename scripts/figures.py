"""How gallery figures look and what is kept of each run.

mkdocs-gallery calls `reset_style` before every script and `scrape` after every code cell (both
registered in docs/gallery_conf.py, the gallery's conf_script). The scraper saves each open matplotlib
figure twice, as SVG: once as drawn (for Material's light palette) and once for the dark palette, so
one run of a script serves both palettes and both languages. It also records the series the script computed (`lrs`, and
`momentums` / `metrics` where the script has them), so the published numbers are the very numbers
the figure was drawn from.

The dark twin is not drawn a second time: `dark_svg` maps the colours of the light SVG's text
(white to the page background, black to the page's text colour, matplotlib's grey grid and legend
edge to a dim grid colour, every data colour lifted to a lightness that reads on the dark page).
A second matplotlib render (restyle every artist, lay out and save again) cost as much as the
first, a quarter of a cold build; the mapping costs a few milliseconds and gives the very same
geometry, so the twins cannot drift apart.
"""

from __future__ import annotations

import colorsys
import contextlib
import functools
import io
import json
import re
import warnings
from pathlib import Path

# matplotlib is imported when a figure is made (`pyplot`), not with this module: the hooks (through
# manifest.py) import this module on every build, and `dark_svg` works on the SVG text alone.

# House style, applied to every script from outside so the scripts stay plain matplotlib.
HOUSE_STYLE = {
    "figure.figsize": (7.2, 3.6),  # 7.2 in: the widest a figure can be without being scaled down
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "font.size": 10,
    "axes.spines.right": False,
    "lines.markersize": 4,
    "grid.alpha": 0.6,
    # SVG: sharp at every pixel density; text stays text (smaller, selectable, found by search).
    "svg.fonttype": "none",
    # A fixed salt makes the ids inside each SVG the same from build to build.
    "svg.hashsalt": "lr-scheduler-gallery",
}
SAVE_OPTIONS = {"format": "svg", "metadata": {"Date": None, "Creator": None}}
# The rendering for phones: a 7.2 in figure shown 340 px wide scales its 10 pt text to about 6.5 px.
# Laid out again at this width (and 5/6 of the height), the same text is about 12 px there, and
# gallery cards (one to three to a row) use it at every width. The page switches by CSS (site.css).
NARROW_WIDTH = 4.0
NARROW_HEIGHT_RATIO = 5 / 6
NARROW_LEGEND_FONT_SIZE = 8.5  # points, against the 10 of every other text

# Material's slate palette background and text colours, so a dark figure sits flush on the page.
DARK_BACKGROUND = "#1e2129"
DARK_FOREGROUND = "#d5d8e2"
DARK_GRID = "#5c6170"
# In the dark variant, every data colour is lifted to at least this HLS lightness.
DARK_MIN_LIGHTNESS = 0.68

# The series a script may record, and the name each is published under.
SERIES = {"lrs": "lr", "momentums": "momentum", "metrics": "metric"}
# Module-level constants of every script, published beside the series.
CONSTANTS = {"EPOCHS": "epochs", "STEPS_IN_EPOCH": "steps_per_epoch", "LEARNING_RATE": "learning_rate"}


class GalleryScriptError(Exception):
    """A gallery script broke one of the conventions the site depends on."""


def pyplot():
    import matplotlib

    matplotlib.use("agg")  # before pyplot: the gallery renders off-screen
    import matplotlib.pyplot as plt

    return plt


@contextlib.contextmanager
def cjk_measured():
    """Drawing Chinese text: it stays text in the SVG (svg.fonttype none) and the browser draws it in
    the page's CJK font; matplotlib only measures it, with a font that lacks the glyphs, and warns once
    per glyph (about 200 warnings in a cold build, from the summary's titles alone)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        yield


def reset_style(gallery_conf, file) -> None:
    """Start every script from matplotlib's defaults plus the house style, and from no outputs: the
    gallery calls this only before a script it is about to run."""
    plt = pyplot()
    plt.close("all")
    plt.rcdefaults()
    plt.rcParams.update(HOUSE_STYLE)
    if file is not None:
        _forget_previous_run(gallery_conf, Path(file))


def _forget_previous_run(gallery_conf, script: Path) -> None:
    """Delete what an earlier run of this script left in the gallery's output. The gallery overwrites
    only the figures a run saves: a script changed to draw fewer figures (or none), or to record no
    `lrs`, would otherwise publish the old run's figures and numbers as its own."""
    for examples_dir, generated_dir in zip(gallery_conf["examples_dirs"], gallery_conf["gallery_dirs"]):
        if Path(examples_dir).resolve() == script.parent.resolve():
            generated = Path(generated_dir)
            data_path(generated, script.stem).unlink(missing_ok=True)
            for image in (generated / "images").glob(f"mkd_glr_{script.stem}_*.svg"):
                image.unlink()


def dark_variant_path(light_path: Path) -> Path:
    return light_path.with_name(f"{light_path.stem}_dark{light_path.suffix}")


def narrow_variant_path(light_path: Path) -> Path:
    return light_path.with_name(f"{light_path.stem}_narrow{light_path.suffix}")


def data_path(generated_dir: Path, script_stem: str) -> Path:
    return generated_dir / "data" / f"{script_stem}.json"


def scrape(block, script, **kwargs) -> str:
    """mkdocs-gallery image scraper: save the open figures (light and dark) and the run's data."""
    plt = pyplot()
    figures = [plt.figure(number) for number in plt.get_fignums()]
    if not figures:
        return ""
    for figure, path in zip(figures, script.run_vars.image_path_iterator):
        light = Path(path).with_suffix(".svg")
        height = figure.get_size_inches()[1]
        for target, size in ((light, None), (narrow_variant_path(light), (NARROW_WIDTH, height * NARROW_HEIGHT_RATIO))):
            if size is not None:
                _narrow(figure, size)
            svg = to_svg(figure)
            target.write_text(svg, encoding="utf-8")
            dark_variant_path(target).write_text(dark_svg(svg), encoding="utf-8")
    plt.close("all")
    _save_run_data(script)
    # The gallery's own example pages are not published (the prose pages embed the figures),
    # so there is no Markdown to return.
    return ""


def _narrow(figure, size) -> None:
    """Lay the figure out again for phones. Its legends' text goes down a step (about 10 px on a
    phone still): at full size a legend of several entries is wider than the narrow axes."""
    figure.set_size_inches(*size)  # constrained layout lays the figure out again when saved
    for axes in figure.axes:
        if axes.get_legend() is not None:
            for text in axes.get_legend().get_texts():
                text.set_fontsize(NARROW_LEGEND_FONT_SIZE)


def _save_run_data(script) -> None:
    example_globals = script.run_vars.example_globals
    if "lrs" not in example_globals:
        raise GalleryScriptError(
            f"{script.src_py_file}: draws a figure but defines no `lrs` list. Record the learning "
            "rate in effect at each step in `lrs` before plotting, as every gallery script does."
        )
    data = {name: example_globals[name] for name in CONSTANTS if name in example_globals}
    data = {CONSTANTS[name]: value for name, value in data.items()}
    for variable, name in SERIES.items():
        if variable in example_globals:
            data[name] = [float(value) for value in example_globals[variable]]
    target = data_path(script.gallery.generated_dir, script.script_stem)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def to_svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, **SAVE_OPTIONS)
    return buffer.getvalue()


# Colours matplotlib's defaults paint the frame with (rcParams figure.facecolor, axes.edgecolor,
# grid.color, legend.edgecolor), and what each becomes on the dark page. Every other colour is data
# (a line, a marker, a filled band) and is lifted (`_lifted`).
DARK_FRAME_COLOURS = {
    "#ffffff": DARK_BACKGROUND,  # figure and axes background, legend box
    "#000000": DARK_FOREGROUND,  # spines, ticks
    "#b0b0b0": DARK_GRID,  # grid lines
    "#cccccc": DARK_GRID,  # legend edge
}
STYLE = re.compile(r'(<(\w+)\b[^>]*?\sstyle=")([^"]*)(")')
STYLE_COLOUR = re.compile(r"\b(fill|stroke): (#[0-9a-fA-F]{6})\b")
TEXT_FILL = re.compile(r";\s*fill: #[0-9a-fA-F]{6}|fill: #[0-9a-fA-F]{6};?\s*")


@functools.lru_cache(maxsize=1024)  # each rebuild of `mkdocs serve` maps the same figures again
def dark_svg(light: str) -> str:
    """The light SVG of a figure, recoloured for the dark palette. All text is set in the page's text
    colour, as Material sets it (black text has no fill in the light SVG: it is SVG's default; a
    formula's `<text>` has no style at all, only its `<tspan>`s); every fill and stroke is mapped."""

    def restyle(match):
        start, element, style, end = match.groups()
        if element in ("text", "tspan"):
            return f"{start}{TEXT_FILL.sub('', style)}; fill: {DARK_FOREGROUND}{end}"
        return start + STYLE_COLOUR.sub(lambda colour: f"{colour[1]}: {_dark_colour(colour[2].lower())}", style) + end

    return STYLE.sub(restyle, light).replace("<text>", f'<text style="fill: {DARK_FOREGROUND}">')


@functools.lru_cache(maxsize=None)
def _dark_colour(colour: str) -> str:
    if colour in DARK_FRAME_COLOURS:
        return DARK_FRAME_COLOURS[colour]
    return _lifted(colour)


def _lifted(colour: str) -> str:
    """The same hue (an #rrggbb colour), light enough to read on the dark background. Opacity is
    not part of the colour in SVG (fill-opacity, stroke-opacity) and stays as it is."""
    red, green, blue = (int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    red, green, blue = colorsys.hls_to_rgb(hue, max(lightness, DARK_MIN_LIGHTNESS), saturation)
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in (red, green, blue))
