"""The Evidence page's figures, drawn from the recorded results (never from a new run).

One figure per experiment: the held-out error against the step, on a log scale, one line per arm
(the mean over seeds) and a band from the best to the worst seed, so the spread is in sight. An
experiment that sweeps the peak learning rate (SWEEPS) is drawn as the final error of every seed
against the peak instead: a curve per peak would be a dozen lines.
Labels in the page's language; the dark twin comes from figures.dark_svg, as for the gallery.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import statistics
from pathlib import Path

import figures

TITLES = {
    "warmup": ("Warmup at a high peak learning rate", "高峰值学习率下的预热"),
    "cosine_length": ("A cosine longer than the run", "比训练更长的余弦"),
    "wsd": ("WSD cooldowns against cosines of each length", "WSD 的冷却与各长度的余弦"),
    "linear_to_zero": ("Linear to zero against cosine to 10%", "线性降到 0 与余弦降到 10%"),
    "schedule_free": ("Schedule-free AdamW against AdamW with a schedule", "schedule-free AdamW 与带调度的 AdamW"),
    "stepping": ("Per batch or per epoch; OneCycleLR or constant", "按批次还是按 epoch；OneCycleLR 还是恒定"),
}
# Words of the arms' names, in Chinese (the arms are named in English in the scripts).
WORDS = [
    ("no warmup", "无预热"),
    ("warmup + cosine", "预热 + 余弦"),
    ("warmup", "有预热"),
    ("peak", "峰值"),
    ("T_max in epochs, per batch (bug)", "T_max 按 epoch 计却按批次调用（错误）"),
    ("2 x run", "2 × 训练长度"),
    ("= run", "= 训练长度"),
    ("per batch", "按批次"),
    ("per epoch", "按 epoch"),
    ("linear to 0", "线性降到 0"),
    ("cosine to", "余弦降到"),
    ("cosine", "余弦"),
    ("constant", "恒定"),
    ("batch ", "批次大小 "),
    (", ", "，"),
]
# Experiments drawn in several panels: which arms go together, and the panel's title.
PANELS = {
    "warmup": lambda arm: arm.split(",")[0],
    "stepping": lambda arm: ("per batch or per epoch", "按批次还是按 epoch")
    if arm.startswith("cosine")
    else ("OneCycleLR or constant", "OneCycleLR 还是恒定"),
}
AXES = {
    "en": ("step", "held-out error (log scale)", "{arm} (without optimizer.eval())"),
    "zh": ("步数", "留出集误差（对数坐标）", "{arm}（未调用 optimizer.eval()）"),
}
# Experiments whose arms sweep the peak: how an arm's name gives its panel, peak and series.
SWEEPS = {"warmup": re.compile(r"(?P<panel>batch \d+), peak (?P<peak>[\d.]+), (?P<series>.+)")}
SWEEP_AXES = {
    "en": ("peak learning rate (log scale)", "final held-out error (log scale)", "{series} (line: median)"),
    "zh": ("峰值学习率（对数坐标）", "最终留出集误差（对数坐标）", "{series}（线：中位数）"),
}


def title(name: str, language: str) -> str:
    return TITLES[name][language == "zh"]


def label(name: str, arm: str, language: str) -> str:
    if language == "en":
        return arm
    for english, chinese in WORDS:
        arm = arm.replace(english, chinese)
    return arm


def cached(cache: Path, name: str, result: dict, language: str) -> tuple[str, str]:
    """The light and dark SVG, drawn again only when the results or this code change."""
    key = hashlib.sha256(
        json.dumps(result, sort_keys=True).encode() + Path(__file__).read_bytes() + Path(figures.__file__).read_bytes()
    ).hexdigest()[:16]
    light_path = cache / f"evidence-{name}-{language}-{key}.svg"
    if not light_path.is_file():
        for stale in cache.glob(f"evidence-{name}-{language}-*.svg"):
            stale.unlink()
        cache.mkdir(parents=True, exist_ok=True)
        light_path.write_text(draw(name, result, language), encoding="utf-8")
    light = light_path.read_text(encoding="utf-8")
    return light, figures.dark_svg(light)


def _panel(name: str, arm: str, language: str) -> str:
    group = PANELS.get(name, lambda arm: "")(arm)
    if isinstance(group, tuple):
        return group[language == "zh"]
    return label(name, group, language)


def draw(name: str, result: dict, language: str) -> str:
    plt = figures.pyplot()
    with plt.rc_context(figures.HOUSE_STYLE), figures.cjk_measured():
        return _draw(plt, name, result, language)


def _draw(plt, name: str, result: dict, language: str) -> str:
    if name in SWEEPS:
        return _draw_sweep(plt, name, result, language)
    panels = {}
    for arm in result["arms"]:
        panels.setdefault(_panel(name, arm, language), []).append(arm)
    figure, axes = plt.subplots(1, len(panels), sharey=True, squeeze=False, figsize=(7.2, 3.4))
    step_label, error_label, train_mode = AXES[language]
    every = result["eval_every"]
    from matplotlib.ticker import FormatStrFormatter

    for ax, (panel, arms) in zip(axes[0], panels.items()):
        for arm in arms:
            runs = result["arms"][arm]
            colour, style = _look(name, arm, list(result["arms"]))
            line = _band(ax, [run["errors"] for run in runs], every, label(name, arm, language), colour, style)
            if "train_mode_errors" in runs[0]:
                _band(ax, [run["train_mode_errors"] for run in runs], every,
                      train_mode.format(arm=label(name, arm, language)), colour=line.get_color(), style="--")
        ax.set(xlabel=step_label, yscale="log", title=panel or None)
        for axis in (ax.yaxis.set_major_formatter, ax.yaxis.set_minor_formatter):
            axis(FormatStrFormatter("%g"))  # 0.06, not 6 x 10^-2
        ax.grid(True, which="both")
        ax.legend(fontsize=7)
    axes[0][0].set_ylabel(error_label)
    svg = figures.to_svg(figure)
    plt.close(figure)
    return svg


def _look(name: str, arm: str, arms: list[str]):
    """WSD: one colour per length, solid for WSD and dashed for the cosine of the same length."""
    if name == "wsd":
        shape, length = arm.split()
        lengths = sorted({int(other.split()[1]) for other in arms})
        return f"C{lengths.index(int(length))}", "-" if shape == "WSD" else ":"
    return None, "-"


def _band(ax, series: list[list], every: int, text: str, colour=None, style="-"):
    """Mean over the seeds that reach each point, and the band from the lowest to the highest seed."""
    length = max(len(values) for values in series)
    steps, means, lows, highs = [], [], [], []
    for index in range(length):
        values = [s[index] for s in series if index < len(s) and s[index] is not None and math.isfinite(s[index])]
        if values:
            steps.append(index * every)
            means.append(sum(values) / len(values))
            lows.append(min(values))
            highs.append(max(values))
    (line,) = ax.plot(steps, means, style, color=colour, label=text, linewidth=1.3)
    ax.fill_between(steps, lows, highs, color=line.get_color(), alpha=0.18, linewidth=0)
    return line


def _draw_sweep(plt, name: str, result: dict, language: str) -> str:
    """Each seed's final error (a dot) against the peak, and the median as a line (one failed run
    would drag a mean far from every other seed); a panel per batch size."""
    from matplotlib.ticker import FixedLocator, FormatStrFormatter, LogLocator, NullLocator

    panels = {}
    for arm, runs in result["arms"].items():
        match = SWEEPS[name].fullmatch(arm)
        panel = panels.setdefault(label(name, match["panel"], language), {})
        panel.setdefault(label(name, match["series"], language), []).append((float(match["peak"]), runs))
    figure, axes = plt.subplots(1, len(panels), sharey=True, squeeze=False, figsize=(7.2, 3.4))
    peak_label, error_label, legend = SWEEP_AXES[language]
    for ax, (panel, series) in zip(axes[0], panels.items()):
        for index, (text, points) in enumerate(series.items()):
            shift = 1.07 ** (index - (len(series) - 1) / 2)  # the series side by side at each peak
            peaks, medians = [], []
            for peak, runs in points:
                finals = [run["errors"][-1] for run in runs if run["errors"][-1] is not None]
                ax.plot([peak * shift] * len(finals), finals, "o", color=f"C{index}", markersize=3.5, linestyle="none")
                peaks.append(peak * shift)
                medians.append(statistics.median(finals))
            ax.plot(peaks, medians, "-", color=f"C{index}", linewidth=1.3, label=legend.format(series=text))
        ax.set(xscale="log", yscale="log", xlabel=peak_label, title=panel)
        ticks = sorted({peak for points in series.values() for peak, _ in points})
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_major_locator(LogLocator(subs=(1, 2, 3, 5)))  # 0.03, 0.05, 0.1, ...: 0.06 to 0.09 would crowd
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_minor_locator(NullLocator())
            axis.set_major_formatter(FormatStrFormatter("%g"))
        ax.grid(True)
        ax.legend(fontsize=7)
    axes[0][0].set_ylabel(error_label)
    svg = figures.to_svg(figure)
    plt.close(figure)
    return svg
