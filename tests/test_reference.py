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
import summary
from html import unescape


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


def test_sub_schedulers_and_callables_are_described_as_written(site, catalog):
    entries = {entry["id"]: entry for entry in load_manifest(site)["examples"]}
    sequential = entries["sequentiallr"]["scheduler"]
    assert [sub["class"] for sub in sequential["kwargs"]["schedulers"]] == ["LinearLR", "CosineAnnealingLR"]
    # The values are read from the scripts' source (not from a run, and not typed here): an author who
    # changes an argument and runs `make golden` changes what is expected with it.
    script = catalog.example("sequentiallr").script_path
    assert sequential["kwargs"]["milestones"] == keyword_arguments(script, "SequentialLR")["milestones"]
    assert entries["lambdalr"]["scheduler"]["kwargs"]["lr_lambda"].startswith("lambda")
    script = catalog.example("steplr").script_path
    assert entries["steplr"]["scheduler"] == {"class": "StepLR", "kwargs": keyword_arguments(script, "StepLR")}
    optimizer = keyword_arguments(script, "SGD")
    assert entries["steplr"]["optimizer"] == {"class": "SGD", "kwargs": optimizer}


def keyword_arguments(script, callee: str) -> dict:
    """The keyword arguments of the first call to `callee` (`torch.optim.SGD(...)` matches "SGD") in a
    gallery script, as Python values: literals as written, a name as the module-level constant it is
    assigned. Read from the source with `ast`, independently of how the build describes a run."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                constants[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass  # not a constant: a model, an optimizer
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func).rsplit(".", 1)[-1] == callee:
            values = {}
            for keyword in node.keywords:
                if isinstance(keyword.value, ast.Name) and keyword.value.id in constants:
                    values[keyword.arg] = constants[keyword.value.id]
                else:
                    try:
                        values[keyword.arg] = ast.literal_eval(keyword.value)
                    except ValueError:  # an expression (other schedulers, a lambda): its source
                        values[keyword.arg] = ast.unparse(keyword.value)
            return values
    raise AssertionError(f"{script.name}: no call to {callee}")


def test_troubleshooting_shows_what_pytorch_really_said(site):
    messages = [
        "UserWarning: Detected call of `lr_scheduler.step()` before `optimizer.step()`",
        "ValueError: Tried to step 33 times. The specified number of total steps is 32",
        "ValueError: Expected integer T_mult &gt;= 1, but got 1.5",
        "ValueError: SequentialLR does not support `ReduceLROnPlateau`",
    ]
    for language_prefix in ("", "zh/"):
        html = (site / language_prefix / "troubleshooting" / "index.html").read_text(encoding="utf-8")
        text = html.replace("<span>", "").replace("</span>", "")
        for message in messages:
            assert message in text, f"{language_prefix}troubleshooting: {message!r} not shown"


def test_the_summary_shows_every_curve_in_both_palettes(site, catalog):
    """Each language has its own summary figure, and each panel is titled as the list under it."""
    for language, language_prefix in zip(LANGUAGES, ("", "zh/")):
        figure = "summary.svg" if language == LANGUAGES[0] else f"summary_{language}.svg"
        html = (site / language_prefix / "summary" / "index.html").read_text(encoding="utf-8")
        assert f"generated/{figure}#only-light" in html and f"generated/{figure[:-4]}_dark.svg#only-dark" in html
        listed = []
        for example in catalog.examples:
            link = re.search(rf'<a href="[./]*schedulers/{example.id}/">(.*?)</a>', html)
            assert link, f"{language_prefix}summary: no link to {example.id}"
            listed.append(unescape(re.sub(r"<[^>]+>", "", link[1])))
        svg = (site / "generated" / figure).read_text(encoding="utf-8")
        # A panel title is one <text> per line (matplotlib writes each line as its own element).
        shown = [unescape(text) for text in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)]
        joined = " ".join(shown).replace("\u00a0", " ")
        for title in listed:
            parts = [part.strip() for part in summary.TITLE_BREAK.split(title.replace("\u00a0", " "))]
            assert all(part.replace("\u00a0", " ") in joined for part in parts), f"{figure}: no panel titled {title!r}"
        lines = [line for line in shown if re.search(r"[^\d.\-\u2212e\s]", line)]
        assert len(lines) >= len(catalog.examples), f"{figure}: fewer titles than examples"


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
