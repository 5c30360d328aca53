"""The summary figure: every example's learning-rate curve in one grid, from the recorded runs.

Drawn from the series each gallery script recorded (figures.py), so it shows the very numbers the
example pages show; a new catalog entry appears here with no edit to this file or to the page.
"""

from __future__ import annotations

import io
import math

import matplotlib.pyplot as plt

import figures

COLUMNS = 4
PANEL_HEIGHT = 1.45  # inches per row of small panels


def label(example, run: dict) -> str:
    """A language-neutral panel title, code only: the class name, then the mode on its own line. A
    title that is prose ("Custom scheduler ...") gives way to the class the script constructs."""
    name, _, mode = example.title["en"].partition(" (")
    if not name.isidentifier():
        return run["scheduler"]["class"]
    return f"{name}\n({mode}" if mode else name


def render(examples, runs: dict) -> tuple[str, str]:
    """The light and dark SVG of the summary grid."""
    rows = math.ceil(len(examples) / COLUMNS)
    with plt.rc_context({**figures.HOUSE_STYLE, "font.size": 7}):
        # One shared scale, so the panels compare at a glance; few ticks, so the SVG stays small.
        figure, axes = plt.subplots(
            rows, COLUMNS, figsize=(7.2, PANEL_HEIGHT * rows), sharex=True, sharey=True, squeeze=False
        )
        for panel, example in zip(axes.flat, examples):
            lr = runs[example.id]["lr"]
            panel.plot(lr)  # no markers: 700 of them would triple the SVG for dots too small to see
            panel.set_title(label(example, runs[example.id]), fontsize=7)
            panel.set_xticks(range(0, len(lr) + 1, runs[example.id]["steps_per_epoch"]))
            panel.set_yticks([0, 5e-4, 1e-3])
            panel.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
            panel.grid(axis="x")
        for panel in axes.flat[len(examples):]:
            panel.set_visible(False)
        light = _svg(figure)
        figures.restyle_for_dark_background(figure)
        dark = _svg(figure, facecolor=figures.DARK_BACKGROUND)
        plt.close(figure)
    return light, dark


def _svg(figure, **options) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, **figures.SAVE_OPTIONS, **options)
    return buffer.getvalue()
