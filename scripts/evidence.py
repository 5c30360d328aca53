"""The Evidence page: what the experiments of experiments/ recorded, on the page.

The experiments do not run in the build (`make experiments` runs them, experiments/run.py). The
build reads their results (experiments/results/<name>.json) and:

* refuses to build when a result is missing, or when its script (or experiments/task.py) changed
  after the result was recorded (the SHA-256 recorded with it), naming the experiment and the command;
* publishes each script under evidence/ (in Chinese, with the comments and docstrings of
  experiments/zh/NAME.yml, under evidence/zh/) so the page can offer it for download (`add_files`, on_files);
* draws each experiment's figure from the recorded numbers, in each language and palette
  (evidence_figures.py), and fills the page's placeholders (`placeholder`, on_page_markdown):

    {{ evidence figure NAME }}     the figure (light and dark twins)
    {{ evidence table NAME }}      each arm: mean final error, 95% interval, range, failed runs
    {{ evidence code NAME }}       the script as it ran (comments in the page's language), and its download
                                   link (NAME may be `task`)
    {{ evidence NAME / ARM / STAT }}  one number: STAT is mean, low, high (the 95% interval), median, min,
                                   max, failed, runs, or `diff OTHER`, `difflow OTHER`, `diffhigh OTHER`
                                   (the paired difference ARM - OTHER, seed by seed, and its interval),
                                   trainmode, trainmodediff[low|high] (schedule-free without eval())
    {{ evidence provenance }}      each experiment's provenance, a table
    {{ evidence NAME / provenance / KEY }}  torch, threads, date, cpu_seconds, sha256 (first 12)

A rounded number needs "about" (约) before it in its sentence, as on the example pages.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import statistics
from functools import lru_cache
from pathlib import Path, PurePosixPath

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

import evidence_figures  # at import: the hooks' folder is on sys.path only while MkDocs loads them
import prose_numbers
import script_comments

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENTS_DIR = ROOT / "experiments"
PUBLISHED_DIR = "evidence"  # where the scripts and figures are published, under the site root
COMMAND = "make experiments"
# Two-sided 95% quantiles of Student's t, by degrees of freedom (seeds - 1).
T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}
STRINGS = {
    "en": {
        "arm": "Arm",
        "mean": "Final error, mean [95% interval]",
        "range": "Min – max",
        "failed": "Failed runs",
        "download": "Download {name}",
        "alt": "Held-out error during training, mean and range over seeds: {title}",
        "provenance": ("Script", "Seeds per arm", "torch", "Threads", "CPU seconds", "Recorded", "SHA-256 of script and task"),
    },
    "zh": {
        "arm": "实验组",
        "mean": "最终误差：均值 [95% 区间]",
        "range": "最小 – 最大",
        "failed": "失败的运行",
        "download": "下载 {name}",
        "alt": "训练过程中的留出集误差，各种子的均值与范围：{title}",
        "provenance": ("脚本", "每组种子数", "torch", "线程数", "CPU 秒数", "记录时间", "脚本与任务的 SHA-256"),
    },
}


def _runner():
    spec = importlib.util.spec_from_file_location("evidence_runner", EXPERIMENTS_DIR / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # run.py imports torch only when it runs an experiment
    return module


@lru_cache(maxsize=4)
def _load(fingerprint: str) -> dict:
    runner = _runner()
    results, problems = {}, []
    for name in runner.EXPERIMENTS:
        path = EXPERIMENTS_DIR / "results" / f"{name}.json"
        command = f"`{COMMAND}` (or `.venv/bin/python experiments/run.py {name}`) and commit {path.relative_to(ROOT)}"
        if not path.is_file():
            problems.append(f"experiment {name!r} has no results ({path.relative_to(ROOT)}): run {command}")
            continue
        result = json.loads(path.read_text(encoding="utf-8"))
        if result["provenance"]["sha256"] != runner.source_hash(name):
            problems.append(
                f"experiment {name!r}: experiments/{name}.py or experiments/task.py changed after its results "
                f"were recorded: run {command}"
            )
        results[name] = result
    if problems:
        raise PluginError("\n  ".join(["the Evidence page's results are missing or stale:", *problems]))
    return results


def results() -> dict:
    """Every experiment's results, checked against its script (cached while no file changes)."""
    files = sorted(EXPERIMENTS_DIR.glob("*.py")) + sorted((EXPERIMENTS_DIR / "results").glob("*.json"))
    fingerprint = hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()
    return _load(fingerprint)


# ------------------------------------------------------------------------------------- statistics


def finals(runs: list[dict]) -> list[float]:
    """The held-out error at the end of each run; a run that diverged counts as infinitely bad."""
    return [math.inf if run["diverged"] or run["errors"][-1] is None else run["errors"][-1] for run in runs]


def failed(run: dict) -> bool:
    """Diverged, or ended with more than half the untrained network's error: such a run has stopped
    learning (on the task of experiments/task.py, predicting the mean everywhere scores about 0.59,
    the untrained network about 0.61, and every run that trains ends below 0.15)."""
    return run["diverged"] or run["errors"][-1] is None or run["errors"][-1] > run["errors"][0] / 2


def interval(values: list[float]) -> tuple[float, float, float]:
    """Mean and its 95% t interval."""
    mean = statistics.fmean(values)
    if len(values) < 2 or not all(math.isfinite(value) for value in values):
        return mean, -math.inf, math.inf
    half = T_975[len(values) - 1] * statistics.stdev(values) / math.sqrt(len(values))
    return mean, mean - half, mean + half


def statistic(result: dict, arm: str, stat: str) -> float | int:
    arms = result["arms"]
    if arm not in arms:
        raise KeyError(f"no arm {arm!r}; the arms are {', '.join(arms)}")
    values = finals(arms[arm])
    kind, _, other = stat.partition(" ")
    if kind.startswith("trainmode"):  # schedule-free measured without optimizer.eval(): minus with it
        if "train_mode_errors" not in arms[arm][0]:
            raise KeyError(f"arm {arm!r} recorded no errors in train mode")
        train_mode = [run["train_mode_errors"][-1] for run in arms[arm]]
        if kind == "trainmode":
            return interval(train_mode)[0]
        differences = [a - b for a, b in zip(train_mode, values)]
        return interval(differences)[("trainmodediff", "trainmodedifflow", "trainmodediffhigh").index(kind)]
    if kind in ("diff", "difflow", "diffhigh"):
        if other not in arms:
            raise KeyError(f"no arm {other!r} to compare with; the arms are {', '.join(arms)}")
        by_seed = dict(zip((run["seed"] for run in arms[other]), finals(arms[other])))
        differences = [value - by_seed[run["seed"]] for run, value in zip(arms[arm], values)]
        return interval(differences)[("diff", "difflow", "diffhigh").index(kind)]
    table = {
        "mean": lambda: interval(values)[0],
        "low": lambda: interval(values)[1],
        "high": lambda: interval(values)[2],
        "min": lambda: min(values),
        "max": lambda: max(values),
        "failed": lambda: sum(failed(run) for run in arms[arm]),
        "runs": lambda: len(values),
        "median": lambda: statistics.median(values),
    }
    if stat not in table:
        raise KeyError(f"no statistic {stat!r}; write one of {', '.join(table)}, diff ARM, difflow ARM, diffhigh ARM")
    return table[stat]()


# ------------------------------------------------------------------------------------ placeholders


def placeholder(argument: str, *, page_src: str, language: str, before: str = "") -> str:
    """The Markdown for `{{ evidence ARGUMENT }}` on page `page_src` (see the module's docstring)."""
    try:
        return _expand(argument.strip(), page_src, language, before)
    except (KeyError, ValueError) as error:
        raise PluginError(f"docs/{page_src}: {{{{ evidence {argument} }}}}: {error.args[0]}") from None


def _expand(argument: str, page_src: str, language: str, before: str) -> str:
    everything = results()
    if argument == "provenance":
        return _provenance(everything, language)
    kind, _, name = argument.partition(" ")
    if kind in ("figure", "table", "code") and "/" not in argument:
        if name not in everything and not (kind == "code" and name == "task"):
            raise KeyError(f"no experiment {name!r}; the experiments are {', '.join(everything)}")
        return {"figure": _figure, "table": _table, "code": _code}[kind](name, everything, page_src, language)
    parts = [part.strip() for part in argument.split("/")]
    if len(parts) != 3 or parts[0] not in everything:
        raise KeyError(f"write NAME / ARM / STAT with NAME one of {', '.join(everything)}")
    name, arm, stat = parts
    if arm == "provenance":
        provenance = everything[name]["provenance"]
        if stat not in provenance:
            raise KeyError(f"no provenance {stat!r}; recorded: {', '.join(provenance)}")
        value = provenance[stat]
        return f"`{value[:12]}`" if stat == "sha256" else str(value)
    value = statistic(everything[name], arm, stat)
    text = prose_numbers.format_number(value)
    if isinstance(value, float) and not prose_numbers.is_exact(value) and not _said_about(before):
        raise ValueError(f"that is {value!r}, written {text}: rounded, so say so (\"about\" or \"≈\"; 约 in Chinese)")
    return text


def _said_about(before: str) -> bool:
    sentence = prose_numbers.SENTENCE_END.split(before)[-1]
    return bool(prose_numbers.ABOUT.search(sentence))


def _relative(target: str, page_src: str) -> str:
    return "../" * (len(PurePosixPath(page_src).parts) - 1) + target


def _figure(name, everything, page_src, language) -> str:
    alt = STRINGS[language]["alt"].format(title=evidence_figures.title(name, language))
    light, dark = (figure_path(name, language, palette) for palette in ("light", "dark"))
    return (
        f"![{alt}]({_relative(light, page_src)}#only-light){{ .schedule-figure loading=lazy }}\n"
        f"![{alt}]({_relative(dark, page_src)}#only-dark){{ .schedule-figure loading=lazy }}"
    )


def _table(name, everything, page_src, language) -> str:
    strings, result = STRINGS[language], everything[name]
    rows = [f"| {strings['arm']} | {strings['mean']} | {strings['range']} | {strings['failed']} |", "|---|---|---|---|"]
    for arm in result["arms"]:
        stat = {key: prose_numbers.format_number(statistic(result, arm, key)) for key in ("mean", "low", "high", "min", "max")}
        label = evidence_figures.label(name, arm, language)
        rows.append(
            f"| {label} | {stat['mean']} [{stat['low']}, {stat['high']}] | {stat['min']} – {stat['max']} "
            f"| {statistic(result, arm, 'failed')} / {statistic(result, arm, 'runs')} |"
        )
    return "\n".join(rows)


def _provenance(everything, language) -> str:
    strings = STRINGS[language]
    rows = [f"| {' | '.join(strings['provenance'])} |", "|---|---|---|---|---|---|---|"]
    for name, result in everything.items():
        p = result["provenance"]
        rows.append(
            f"| `{p['script']}` | {len(p['seeds'])} | {p['torch']} | {p['threads']} | {p['cpu_seconds']} | {p['date']} | `{p['sha256'][:12]}` |"
        )
    return "\n".join(rows)


def _code(name, everything, page_src, language) -> str:
    source = script_text(name, language).rstrip("\n")
    link = STRINGS[language]["download"].format(name=f"{name}.py")
    target = _relative(script_path(name, language), page_src)
    return f'```python title="experiments/{name}.py"\n{source}\n```\n\n[:material-download: {link}]({target}){{ .md-button download }}'


def script_text(name: str, language: str) -> str:
    """experiments/NAME.py as a page of `language` shows it and offers it: in Chinese, its comments
    and docstrings from experiments/zh/NAME.yml, its code unchanged (script_comments.py)."""
    source = (EXPERIMENTS_DIR / f"{name}.py").read_text(encoding="utf-8")
    if language == "en":
        return source
    table = EXPERIMENTS_DIR / language / f"{name}.yml"
    try:
        return script_comments.translate(
            source, script_comments.load_table(table), script=f"experiments/{name}.py", table_name=str(table.relative_to(ROOT))
        )
    except script_comments.TranslationError as error:
        raise PluginError(f"the Evidence page's {language} scripts: {error}") from None


# ------------------------------------------------------------------------------------------ files


def script_path(name: str, language: str) -> str:
    """The download: evidence/NAME.py, evidence/zh/NAME.py (a folder per language, so that the saved
    file keeps the name its neighbours import, `task`)."""
    return f"{PUBLISHED_DIR}/{'' if language == 'en' else language + '/'}{name}.py"


def figure_path(name: str, language: str, palette: str) -> str:
    # `name-zh.svg`, not `name.zh.svg`: static-i18n would take the latter for the Chinese twin of a file.
    return f"{PUBLISHED_DIR}/{name}-{language}{'' if palette == 'light' else '_dark'}.svg"


@event_priority(-200)  # after static-i18n, as hooks.py's own generated files
def add_files(files, config):
    """Publish the scripts and the figures (on_files). The figures are drawn once per change of the
    results, kept in docs/generated/cache/."""
    everything = results()
    cache = Path(config["docs_dir"]) / "generated" / "cache"
    for path in sorted(EXPERIMENTS_DIR.glob("*.py")):
        for language in STRINGS if path.name != "run.py" else ():
            files.append(File.generated(config, script_path(path.stem, language), content=script_text(path.stem, language)))
    for name, result in everything.items():
        for language in STRINGS:
            light, dark = evidence_figures.cached(cache, name, result, language)
            files.append(File.generated(config, figure_path(name, language, "light"), content=light))
            files.append(File.generated(config, figure_path(name, language, "dark"), content=dark))
    return files
