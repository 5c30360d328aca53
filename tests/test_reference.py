"""The full reference: every scheduler covered, and the numbers behind every figure published."""

from __future__ import annotations

import ast
import csv
import inspect
import json
import math
import re

import torch
from conftest import LANGUAGES

import figures


def public_scheduler_classes() -> set[str]:
    module = torch.optim.lr_scheduler
    return {
        name
        for name, value in vars(module).items()
        if inspect.isclass(value) and not name.startswith("_") and value.__module__ == module.__name__
    }


def test_every_public_scheduler_class_has_an_example_or_a_written_reason(catalog):
    shown = {name for example in catalog.examples for name in example.classes}
    missing = sorted(public_scheduler_classes() - shown - set(catalog.not_shown))
    assert missing == [], f"no example and no reason in gallery/catalog.yml `not_shown` for: {missing}"
    unknown = sorted((shown | set(catalog.not_shown)) - public_scheduler_classes())
    assert unknown == [], f"gallery/catalog.yml names classes torch {torch.__version__} does not have: {unknown}"


def load_manifest(site):
    return json.loads((site / "schedules.json").read_text(encoding="utf-8"))


def test_the_manifest_lists_every_example_in_catalog_order(site, catalog):
    document = load_manifest(site)
    assert document["torch"] == torch.__version__.split("+")[0]
    assert [entry["id"] for entry in document["examples"]] == [example.id for example in catalog.examples]


def test_every_example_has_pages_figures_csv_and_a_manifest_entry(site, catalog):
    entries = {entry["id"]: entry for entry in load_manifest(site)["examples"]}
    for example in catalog.examples:
        entry = entries[example.id]
        for language in LANGUAGES:
            assert (site / example.page_url(language) / "index.html").is_file()
            assert entry["page"][language] == example.page_url(language)
            assert entry["title"][language] == example.title[language]
        light = site / "generated" / "images" / f"mkd_glr_{example.script_stem}_001.svg"
        assert light.is_file() and figures.dark_variant_path(light).is_file(), example.id
        assert entry["data"] == f"data/{example.id}.csv" and (site / entry["data"]).is_file()
        assert entry["scheduler"]["class"] in example.classes or entry["scheduler"]["class"] not in dir(
            torch.optim.lr_scheduler
        ), f"{example.id}: the manifest says {entry['scheduler']['class']}"
        assert entry["optimizer"]["class"] == "SGD"
        assert entry["steps"] == len(entry["lr"]) == 32 and entry["steps_per_epoch"] == 8


def test_each_csv_holds_the_manifest_series(site, catalog):
    for entry in load_manifest(site)["examples"]:
        with open(site / entry["data"], newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        columns = ["step", *(name for name in ("lr", "momentum", "metric") if name in entry)]
        assert list(rows[0]) == columns, entry["id"]
        assert [int(row["step"]) for row in rows] == list(range(entry["steps"]))
        for name in columns[1:]:
            assert [float(row[name]) for row in rows] == entry[name], f"{entry['id']}: {name}"


def test_cyclic_schedulers_publish_their_momentum(site):
    for entry in load_manifest(site)["examples"]:
        if entry["scheduler"]["class"] in ("CyclicLR", "OneCycleLR"):
            assert len(entry.get("momentum", [])) == entry["steps"], entry["id"]
            assert len(set(entry["momentum"])) > 2, f"{entry['id']}: momentum does not cycle"


def test_sub_schedulers_and_callables_are_described_as_written(site):
    entries = {entry["id"]: entry for entry in load_manifest(site)["examples"]}
    sequential = entries["sequentiallr"]["scheduler"]
    assert [sub["class"] for sub in sequential["kwargs"]["schedulers"]] == ["LinearLR", "CosineAnnealingLR"]
    assert sequential["kwargs"]["milestones"] == [8]
    assert entries["lambdalr"]["scheduler"]["kwargs"]["lr_lambda"].startswith("lambda")
    assert entries["steplr"]["scheduler"] == {"class": "StepLR", "kwargs": {"step_size": 4, "gamma": 0.5}}
    assert entries["steplr"]["optimizer"] == {"class": "SGD", "kwargs": {"lr": 1e-3, "momentum": 0.9}}


def test_pitfalls_show_what_pytorch_really_said(site):
    messages = [
        "UserWarning: Detected call of `lr_scheduler.step()` before `optimizer.step()`",
        "ValueError: Tried to step 33 times. The specified number of total steps is 32",
        "ValueError: Expected integer T_mult &gt;= 1, but got 1.5",
        "ValueError: SequentialLR does not support `ReduceLROnPlateau`",
    ]
    for language_prefix in ("", "zh/"):
        html = (site / language_prefix / "pitfalls" / "index.html").read_text(encoding="utf-8")
        text = html.replace("<span>", "").replace("</span>", "")
        for message in messages:
            assert message in text, f"{language_prefix}pitfalls: {message!r} not shown"


def test_the_summary_shows_every_curve_in_both_palettes(site, catalog):
    for language_prefix in ("", "zh/"):
        html = (site / language_prefix / "summary" / "index.html").read_text(encoding="utf-8")
        assert "generated/summary.svg#only-light" in html and "generated/summary_dark.svg#only-dark" in html
        for example in catalog.examples:
            assert f'schedulers/{example.id}/"' in html, f"{language_prefix}summary: no link to {example.id}"
    svg = (site / "generated" / "summary.svg").read_text(encoding="utf-8")
    entries = {entry["id"]: entry for entry in load_manifest(site)["examples"]}
    for example in catalog.examples:
        assert entries[example.id]["scheduler"]["class"] in svg, f"summary figure has no panel for {example.id}"
    # One figure serves both languages, so its words must be code: each must occur in the code of a
    # gallery script (a name, an argument or a string), not only in prose.
    code_words = set()
    for example in catalog.examples:
        code_words |= words_of_the_code(example.script_path.read_text(encoding="utf-8"))
        code_words |= set(re.findall(r"[A-Za-z_]\w*", example.label or ""))  # code by catalog.py's rule
    shown = {word for text in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg) for word in re.findall(r"[A-Za-z_]\w*", text)}
    prose = sorted(shown - code_words)
    assert prose == [], f"the summary figure shows words that are not code, so not language-neutral: {prose}"


def words_of_the_code(source: str) -> set[str]:
    """Names, attributes, arguments and the words of string literals, docstrings left out."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree) if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node) is not None}
    words = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            words.add(node.arg)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            words.add(node.name)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words.update(re.findall(r"[A-Za-z_]\w*", node.value))
    return words


def construct(description: dict, optimizer, namespace: dict):
    """A scheduler built from its manifest description alone: class, kwargs, sub-schedulers and
    lambdas as written. A class torch does not have comes from the script's own code (`namespace`)."""
    kwargs = dict(description["kwargs"])
    if "schedulers" in kwargs:
        kwargs["schedulers"] = [construct(sub, optimizer, namespace) for sub in kwargs["schedulers"]]
    if "lr_lambda" in kwargs:
        kwargs["lr_lambda"] = eval(kwargs["lr_lambda"], {"math": math})  # the lambda's source, as published (it may use math)
    scheduler_class = getattr(torch.optim.lr_scheduler, description["class"], None) or namespace[description["class"]]
    if next(iter(inspect.signature(scheduler_class).parameters)) != "optimizer":
        return scheduler_class(**kwargs)  # ChainedScheduler: its schedulers come first, they hold the optimizer
    return scheduler_class(optimizer, **kwargs)


def test_the_manifest_describes_the_run_it_publishes(site, catalog):
    """Rebuild each run from what schedules.json says about it (optimizer, scheduler, metric) and
    compare with the series it publishes: a description that drifts from the script fails here."""
    entries = {entry["id"]: entry for entry in load_manifest(site)["examples"]}
    for example in catalog.examples:
        entry = entries[example.id]
        namespace: dict = {}
        if not hasattr(torch.optim.lr_scheduler, entry["scheduler"]["class"]):
            source = example.script_path.read_text(encoding="utf-8")
            exec(compile(source.split("# %%\n# Plot")[0], str(example.script_path), "exec"), namespace)
        model = torch.nn.Linear(2, 1)
        optimizer = getattr(torch.optim, entry["optimizer"]["class"])(model.parameters(), **entry["optimizer"]["kwargs"])
        scheduler = construct(entry["scheduler"], optimizer, namespace)
        lrs = []
        for step in range(entry["steps"]):
            optimizer.step()
            lrs.append(optimizer.param_groups[0]["lr"])
            scheduler.step(*([entry["metric"][step]] if "metric" in entry else []))
        assert lrs == entry["lr"], f"{example.id}: schedules.json's description does not give its own series"
