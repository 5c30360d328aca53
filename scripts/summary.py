"""The summary figure: every example's learning-rate curve in one grid, from the recorded runs.

Drawn from the series each gallery script recorded (figures.py), so it shows the very numbers the
example pages show; a new catalog entry appears here with no edit to this file or to the page.

Drawn once, for the light palette; the dark twin is the same SVG with its colours mapped
(figures.dark_svg). The panels share one scale, set explicitly rather than with `sharex`/`sharey`,
and the margins are fixed rather than left to constrained layout: with 22 linked axes matplotlib
recomputed every shared limit and every panel's extent several times per save, and that was most
of the summary's time (bench/results.md, "Where the time goes").
"""

from __future__ import annotations

import io
import math

import figures

COLUMNS = 4
PANEL_HEIGHT = 1.45  # inches per row of small panels
# Fixed margins, in inches: room for the y tick labels and their 1e-3 offset on the left, for a
# two-line panel title above each row, and for the step numbers under the bottom panels.
LEFT, RIGHT, TOP, BOTTOM = 0.42, 0.08, 0.36, 0.24
COLUMN_GAP, ROW_GAP = 0.18, 0.52
Y_TICKS = [0, 5e-4, 1e-3]


def label(example, run: dict) -> str:
    """A language-neutral panel title, code only: the class name, then the mode on its own line. A
    title that is prose ("Custom scheduler ...") gives way to the class the script constructs."""
    name, _, mode = example.title["en"].partition(" (")
    if not name.isidentifier():
        return run["scheduler"]["class"]
    return f"{name}\n({mode}" if mode else name


def render(examples, runs: dict) -> tuple[str, str]:
    """The light and dark SVG of the summary grid."""
    light = render_light(examples, runs)
    return light, figures.dark_svg(light)


def render_light(examples, runs: dict) -> str:
    plt = figures.pyplot()  # imported only when drawn (see figures.py)
    rows = math.ceil(len(examples) / COLUMNS)
    series = [runs[example.id]["lr"] for example in examples]
    steps = max(len(lr) for lr in series)
    low, high = min(min(lr) for lr in series), max(max(lr) for lr in series)
    # One scale for every panel, so they compare at a glance: matplotlib's own 5% margins around
    # the longest run and around the lowest and highest learning rate of all runs.
    margin = 0.05
    x_limits = (-margin * (steps - 1), (1 + margin) * (steps - 1))
    y_limits = (low - margin * (high - low), high + margin * (high - low))
    # Tick every epoch; all examples share one epoch length today, and a shared axis can show one.
    steps_per_epoch = runs[examples[0].id]["steps_per_epoch"]
    width, height = 7.2, PANEL_HEIGHT * rows
    style = {**figures.HOUSE_STYLE, "font.size": 7, "figure.constrained_layout.use": False}
    with plt.rc_context(style):
        figure, axes = plt.subplots(rows, COLUMNS, figsize=(width, height), squeeze=False)
        figure.subplots_adjust(
            left=LEFT / width,
            right=1 - RIGHT / width,
            top=1 - TOP / height,
            bottom=BOTTOM / height,
            wspace=COLUMN_GAP / ((width - LEFT - RIGHT - COLUMN_GAP * (COLUMNS - 1)) / COLUMNS),
            hspace=ROW_GAP / ((height - TOP - BOTTOM - ROW_GAP * (rows - 1)) / rows),
        )
        for index, (panel, example) in enumerate(zip(axes.flat, examples)):
            lr = runs[example.id]["lr"]
            panel.plot(lr)  # no markers: 700 of them would triple the SVG for dots too small to see
            panel.set_title(label(example, runs[example.id]), fontsize=7)
            panel.set(xlim=x_limits, ylim=y_limits, xticks=range(0, steps + 1, steps_per_epoch), yticks=Y_TICKS)
            panel.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
            panel.grid(axis="x")
            # Numbers only on the outer panels: the left column's learning rates, and the steps
            # under each panel that has no panel below it.
            first_column = index % COLUMNS == 0
            panel.tick_params(labelleft=first_column, labelbottom=index + COLUMNS >= len(examples))
            panel.yaxis.get_offset_text().set_visible(first_column)
        for panel in axes.flat[len(examples) :]:
            panel.set_visible(False)
        buffer = io.StringIO()
        figure.savefig(buffer, **figures.SAVE_OPTIONS)
        plt.close(figure)
    return buffer.getvalue()
