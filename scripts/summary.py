"""The summary figure: every example's learning-rate curve in one grid, from the recorded runs.

Drawn from the series each gallery script recorded (figures.py), so it shows the very numbers the
example pages show; a new catalog entry appears here with no edit to this file or to the page.

Each panel is drawn as its own small matplotlib figure, cut from a grid of fixed margins, and the
grid is put together as SVG text (`_compose`): a panel is drawn again only when its own run (or its
place in the grid) changed, so under `mkdocs serve` a saved gallery script redraws one panel, not 22
(`_PANELS` lives as long as the serve process). The panels share one scale, set explicitly. The
dark twin is the same SVG with its colours mapped (figures.dark_svg). With one figure of 22 linked
axes under constrained layout, matplotlib recomputed every shared limit and every panel's extent
several times per save, and drew the whole grid twice (light and dark): most of the summary's time.
"""

from __future__ import annotations

import hashlib
import json
import math
import re

import figures

# Wide: four panels to a row, 7.2 inches as every figure. Narrow, for phones (site.css): two to a
# row, 4 inches, and 8 pt text, which a 340 px wide screen shows about 9.5 px tall.
LAYOUTS = {"wide": {"columns": 4, "width": 7.2, "font": 7}, "narrow": {"columns": 2, "width": 4.0, "font": 8}}
PANEL_HEIGHT = 1.45  # inches per row of small panels
# Fixed margins, in inches: room for the y tick labels on the left, for a
# two-line panel title above each row, and for the step numbers under the bottom panels.
LEFT, RIGHT, TOP, BOTTOM = 0.42, 0.08, 0.36, 0.24
COLUMN_GAP, ROW_GAP = 0.18, 0.52
Y_TICKS = [0, 5e-4, 1e-3]
# Written out rather than as matplotlib's "1e-3" offset above the axis, which ran into the titles.
Y_LABELS = ["0", "5e-4", "1e-3"]
POINTS = 72  # SVG units (pt) per inch, as matplotlib writes them

_PANELS: dict[str, str] = {}  # panel inputs -> its SVG, for as long as the process lives


# Where a title breaks onto the panel's second line: before its parenthesis (a mode, a gloss).
TITLE_BREAK = re.compile(r"[\s\u00a0]+(?=\()|(?=（)")
TITLE_WIDTH = 26  # characters that fit on one line of a panel title


def label(example, language: str) -> str:
    """The panel title: the example's title in the page's language, as the list under the figure
    and the nav give it; a long one breaks before its parenthesis, or at its last space that fits."""
    title = example.title[language]
    first, *rest = TITLE_BREAK.split(title, maxsplit=1)
    if rest:
        return f"{first}\n{rest[0]}"
    if len(title) > TITLE_WIDTH and " " in title[:TITLE_WIDTH]:
        cut = title.rindex(" ", 0, TITLE_WIDTH)
        return f"{title[:cut]}\n{title[cut + 1:]}"
    return title


def render(examples, runs: dict, language: str, layout: str = "wide") -> tuple[str, str]:
    """The light and dark SVG of the summary grid, its panels titled in `language`."""
    light = render_light(examples, runs, language, layout)
    return light, figures.dark_svg(light)


def render_light(examples, runs: dict, language: str, layout: str = "wide") -> str:
    per_row, width, font = (LAYOUTS[layout][key] for key in ("columns", "width", "font"))
    rows = math.ceil(len(examples) / per_row)
    height = PANEL_HEIGHT * rows
    series = [runs[example.id]["lr"] for example in examples]
    steps = max(len(lr) for lr in series)
    low, high = min(min(lr) for lr in series), max(max(lr) for lr in series)
    # One scale for every panel, so they compare at a glance: matplotlib's own 5% margins around
    # the longest run and around the lowest and highest learning rate of all runs.
    margin = 0.05
    scale = {
        "x_limits": (-margin * (steps - 1), (1 + margin) * (steps - 1)),
        "y_limits": (low - margin * (high - low), high + margin * (high - low)),
        # Tick every epoch; all examples share one epoch length today, and a shared axis can show one.
        "x_ticks": list(range(0, steps + 1, runs[examples[0].id]["steps_per_epoch"])),
    }
    axes_width = (width - LEFT - RIGHT - COLUMN_GAP * (per_row - 1)) / per_row
    axes_height = (height - TOP - BOTTOM - ROW_GAP * (rows - 1)) / rows
    # Cells tile the figure: each panel's axes, with half of each gap around it, and the margins.
    columns = [0.0, *(LEFT + column * axes_width + (column - 0.5) * COLUMN_GAP for column in range(1, per_row)), width]
    tops = [0.0, *(TOP + row * axes_height + (row - 0.5) * ROW_GAP for row in range(1, rows)), height]
    panels = []
    for index, example in enumerate(examples):
        row, column = divmod(index, per_row)
        cell = (columns[column], tops[row], columns[column + 1] - columns[column], tops[row + 1] - tops[row])
        axes = (
            LEFT + column * (axes_width + COLUMN_GAP) - cell[0],  # from the cell's left
            TOP + row * (axes_height + ROW_GAP) - tops[row],  # from the cell's top
            axes_width,
            axes_height,
        )
        panel = {
            "lr": runs[example.id]["lr"],
            "title": label(example, language),
            "cell": cell,
            "axes": axes,
            # Numbers only on the outer panels: the left column's learning rates, and the steps
            # under each panel that has no panel below it.
            "left_labels": column == 0,
            "bottom_labels": index + per_row >= len(examples),
            "font": font,
            **scale,
        }
        key = hashlib.sha256(json.dumps(panel, sort_keys=True).encode()).hexdigest()
        if key not in _PANELS:
            _PANELS[key] = _draw_panel(panel)
        panels.append((cell, _PANELS[key]))
    return _compose(panels, width, height)


def _draw_panel(panel: dict) -> str:
    plt = figures.pyplot()  # imported only when drawn (see figures.py)
    cell_width, cell_height = panel["cell"][2:]
    left, top, width, height = panel["axes"]
    style = {**figures.HOUSE_STYLE, "font.size": panel["font"], "figure.constrained_layout.use": False}
    with plt.rc_context(style), figures.cjk_measured():
        figure = plt.figure(figsize=(cell_width, cell_height))
        axes = figure.add_axes((left / cell_width, 1 - (top + height) / cell_height, width / cell_width, height / cell_height))
        axes.plot(panel["lr"])  # no markers: 700 of them would triple the SVG for dots too small to see
        axes.set_title(panel["title"], fontsize=panel["font"])
        axes.set(xlim=panel["x_limits"], ylim=panel["y_limits"], xticks=panel["x_ticks"])
        axes.set_yticks(Y_TICKS, labels=Y_LABELS)
        axes.grid(axis="x")
        axes.tick_params(labelleft=panel["left_labels"], labelbottom=panel["bottom_labels"])
        svg = figures.to_svg(figure)
        plt.close(figure)
    return svg


SVG_ELEMENT = re.compile(r"<svg\b[^>]*>(.*)</svg>", re.S)
PANEL_BOILERPLATE = re.compile(r"\s*<metadata>.*?</metadata>|\s*<defs>\s*<style\b.*?</style>\s*</defs>", re.S)
ID = re.compile(r'\sid="([^"]*)"')
REFERENCE = re.compile(r'url\(#([^)]+)\)|href="#([^"]+)"')
STYLE = '<defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>'


def _compose(panels, width: float, height: float) -> str:
    """One SVG of the panels' SVGs, each nested at its cell, with matplotlib's per-figure metadata
    and style once, not per panel. The ids a panel refers to (clip paths, markers) are made unique
    to it; its other ids (matplotlib names every group) are dropped. Text may overflow its cell, as
    it would in one figure."""
    parts = [
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
        f'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="{width * POINTS:g}pt" height="{height * POINTS:g}pt" '
        f'viewBox="0 0 {width * POINTS:g} {height * POINTS:g}" xmlns="http://www.w3.org/2000/svg" version="1.1">\n'
        f'{STYLE}\n<rect width="{width * POINTS:g}" height="{height * POINTS:g}" style="fill: #ffffff"/>\n'
    ]
    for number, ((x, y, cell_width, cell_height), svg) in enumerate(panels, start=1):
        body = PANEL_BOILERPLATE.sub("", SVG_ELEMENT.search(svg)[1])
        referenced = {first or second for first, second in REFERENCE.findall(body)}
        body = ID.sub(lambda match: f' id="s{number}-{match[1]}"' if match[1] in referenced else "", body)
        body = REFERENCE.sub(lambda match: match[0].replace("#", f"#s{number}-"), body)
        parts.append(
            f'<svg x="{x * POINTS:g}" y="{y * POINTS:g}" width="{cell_width * POINTS:g}" height="{cell_height * POINTS:g}" '
            f'viewBox="0 0 {cell_width * POINTS:g} {cell_height * POINTS:g}" overflow="visible">{body}</svg>\n'
        )
    parts.append("</svg>\n")
    return "".join(parts)
