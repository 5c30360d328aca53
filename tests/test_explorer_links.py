"""The explorer's numbers, held to what the site publishes and to torch.

* Every example page's "Open in the explorer" link, parsed as the explorer parses it (state.js) and
  run by its engine (engine.js), gives the example's published series (schedules.json) at every step.
* The Python program the explorer offers for its settings (python.js), run with torch in a fresh
  process, records the same lrs and momentums as the engine, for a sample that covers every class,
  every choice and switch of the parameter spec, every named lambda and metric curve, and both ways
  of stepping; and it warns only where the engine says torch warns.
* Every example page, in both languages, has exactly one explorer link, to its own language's explorer.
* An example the explorer cannot express (a lambda the engine does not know, ...) fails the build,
  naming its script; the names scripts/explorer.py gives the gallery's lambdas and metric curves are
  engine.js's, and a class a script defines itself is the one the explorer's program writes out.

The JavaScript is the built site's (site/assets/explorer/), run by node without a browser; a failure
names the example (or the settings) and the first wrong step.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import LANGUAGES, ROOT, SUB_PATH
from test_build import parse

sys.path.insert(0, str(ROOT / "scripts"))
import explorer  # noqa: E402
import explorer_spec  # noqa: E402

from furniture import FURNITURE  # noqa: E402

REL = 1e-12
NODE = shutil.which("node")
# In CI a missing node is a failure (run_node says so), not a skip.
pytestmark = pytest.mark.skipif(
    NODE is None and not os.environ.get("CI"), reason="node (20 or later) is needed to run the explorer's modules"
)

# Runs the explorer's modules on a batch of jobs read from stdin: {"op": ..., ...} -> one result each.
NODE_RUNNER = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const dir = process.argv[1];
const load = (name) => import(pathToFileURL(`${dir}/${name}`).href);
const engine = await load("engine.js");
const state = await load("state.js");
const python = await load("python.js");
// The explorer's state (state.js) as the engine takes it, as the page hands it over.
const simulate = (settings) => {
  try {
    const { lr, momentum, warnings } = engine.simulate(state.engineSettings(settings));
    return { lr: Array.from(lr), momentum: Array.from(momentum), warnings };
  } catch (error) {
    return { error: `${error.name}: ${error.message}` };
  }
};
const ops = {
  spec: () => ({
    schedulers: engine.SCHEDULERS,
    lambdas: engine.LAMBDAS,  // functions do not survive JSON: name -> {python, for}
    metrics: engine.METRICS,  // name -> {python}
  }),
  link: ({ query }) => {
    const parsed = state.parseQuery(query);
    return { settings: parsed.settings, errors: parsed.errors, ...simulate(parsed.settings) };
  },
  program: ({ settings }) => ({ program: python.pythonProgram(settings), ...simulate(settings) }),
};
const jobs = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(jobs.map((job) => ops[job.op](job))));
"""

# Runs explorer programs, each in its own namespace, and returns what each recorded. Warnings are
# recorded, not raised, so the test can hold them to the ones the engine reports (torch's own).
PYTHON_RUNNER = """
import json, sys, warnings
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
results = []
for program in json.load(sys.stdin):
    namespace = {"__name__": "__main__"}
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(compile(program, "<explorer program>", "exec"), namespace)
        except Exception as exception:
            error = f"{type(exception).__name__}: {exception}"
    plt.close("all")
    results.append({
        "error": error,
        "lr": [float(v) for v in namespace.get("lrs", [])],
        "momentum": [float(v) for v in namespace.get("momentums", [])],
        # matplotlib's note that Agg cannot open a window: plt.show() on a machine without a screen
        "warnings": [f"{w.category.__name__}: {w.message}" for w in caught if "FigureCanvasAgg is non-interactive" not in str(w.message)],
    })
print(json.dumps(results))
"""


def run_node(site, jobs: list[dict]) -> list[dict]:
    assert NODE, "node (20 or later) is needed to run the explorer's modules"
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", NODE_RUNNER, str(site / "assets" / "explorer")],
        input=json.dumps(jobs),
        # The spec the built page carries (its #lr-explorer-spec), as the page's modules read it.
        env=explorer_spec.node_environment(page_spec(site)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"node failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout)


def page_spec(site, language: str = LANGUAGES[0]) -> str:
    """The JSON the built explorer page of `language` carries in its #lr-explorer-spec."""
    page = site / ("" if language == LANGUAGES[0] else language) / "explorer" / "index.html"
    html = page.read_text(encoding="utf-8")
    spec = re.search(r'<script type="application/json" id="lr-explorer-spec">([^<]*)</script>', html)
    assert spec, "the explorer page has no #lr-explorer-spec"
    return spec[1]


def run_programs(programs: list[str]) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-c", PYTHON_RUNNER], input=json.dumps(programs), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"the program runner failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def first_difference(what: str, expected: list[float], actual: list[float]) -> str | None:
    """None, or the first step at which `actual` is not `expected` to a relative error of REL."""
    if len(expected) != len(actual):
        return f"{what}: {len(actual)} steps, expected {len(expected)}"
    for step, (want, got) in enumerate(zip(expected, actual)):
        if abs(got - want) > REL * abs(want) or (want == 0 and got != 0):
            return f"{what}: first wrong at step {step}: {got!r}, expected {want!r}"
    return None


def published(site) -> dict:
    return {entry["id"]: entry for entry in json.loads((site / "schedules.json").read_text())["examples"]}


def links_to_explorer(site, example, language) -> list[str]:
    """The page's links that open the explorer with settings (the nav's plain link to it left out)."""
    page = site / example.page_url(language) / "index.html"
    return [href for link in parse(page).links if "explorer/?" in (href := link.get("href") or "")]


def explorer_url(language: str) -> str:
    return ("" if language == LANGUAGES[0] else f"{language}/") + "explorer/"


def link_query(site, example) -> str:
    """The query of the example page's explorer link (English; the test below checks both agree)."""
    links = links_to_explorer(site, example, LANGUAGES[0])
    assert len(links) == 1, f"{example.id}: {len(links)} explorer links"
    return urlsplit(links[0]).query


# ------------------------------------------------------------------------------------- links


def test_every_example_page_has_one_explorer_link_to_its_languages_explorer(site, catalog):
    queries = {}
    for example in catalog.examples:
        for language in LANGUAGES:
            page_url = f"http://site{SUB_PATH}{example.page_url(language)}"  # served under a sub-path
            links = links_to_explorer(site, example, language)
            assert len(links) == 1, f"{example.page_url(language)}: {len(links)} explorer links, expected one"
            target = urlsplit(urljoin(page_url, links[0]))
            assert target.path == f"{SUB_PATH}{explorer_url(language)}", (
                f"{example.page_url(language)}: the explorer link leads to {target.path}, "
                f"not to {SUB_PATH}{explorer_url(language)}"
            )
            assert (site / explorer_url(language) / "index.html").is_file()
            queries.setdefault(example.id, set()).add(target.query)
            html = (site / example.page_url(language) / "index.html").read_text(encoding="utf-8")
            assert FURNITURE[language]["explorer_link"] in html, f"{example.page_url(language)}: link label"
        assert len(queries[example.id]) == 1, f"{example.id}: the two languages link different settings"


def test_every_explorer_link_gives_the_published_series(site, catalog):
    entries = published(site)
    jobs = [{"op": "link", "query": link_query(site, example)} for example in catalog.examples]
    for example, result in zip(catalog.examples, run_node(site, jobs)):
        entry = entries[example.id]
        assert result["errors"] == [], f"{example.id}: the explorer rejects its link: {result['errors']}"
        assert "error" not in result, f"{example.id}: the engine raises {result.get('error')}"
        problem = first_difference(f"{example.id} lr", entry["lr"], result["lr"])
        assert problem is None, problem
        # Published where the script records it (CyclicLR, OneCycleLR); elsewhere SGD's own, unchanged.
        momentum = entry.get("momentum") or [entry["optimizer"]["kwargs"]["momentum"]] * len(entry["lr"])
        problem = first_difference(f"{example.id} momentum", momentum, result["momentum"])
        assert problem is None, problem


def test_the_engine_knows_the_gallerys_lambdas_and_metric_curves(site):
    """The built engine, loaded with the built page's spec, holds every named lambda and metric curve
    of scripts/explorer_spec.py (the names the links use), with their Python as the spec gives it;
    a gallery metric's Python, run, gives the gallery script's constant."""
    spec = run_node(site, [{"op": "spec"}])[0]
    names = explorer_spec.named_lambdas()
    assert list(spec["lambdas"]) == list(names), "engine.js LAMBDAS are not the spec's, in its order"
    for name, entry in names.items():
        assert spec["lambdas"][name]["python"] == entry["python"], f"the page's lambda {name!r} is not the spec's"
    for name, values in explorer_spec.gallery_metrics().items():
        namespace = {}
        exec(spec["metrics"][name]["python"], namespace)  # defines metric(t), t = 0, 1, 2, ...
        engine_values = [namespace["metric"](t) for t in range(len(values))]
        assert engine_values == values, f"the page's METRICS[{name!r}] is not the gallery's curve"


def test_a_scheduler_class_of_a_script_is_the_class_of_the_explorers_program(site, catalog):
    for example in catalog.examples:
        constructed = explorer.manifest.Constructions(example.script_path)
        for name in set(constructed.classes) & explorer.CUSTOM_CLASSES:
            settings = run_node(site, [{"op": "link", "query": link_query(site, example)}])[0]["settings"]
            program = run_node(site, [{"op": "program", "settings": settings}])[0]["program"]
            source = ast.get_source_segment(constructed.source, constructed.classes[name])
            assert source in program, (
                f"{example.id}: the explorer's program defines {name} otherwise than {example.script}"
            )


def test_both_explorer_pages_carry_the_spec_read_from_its_sources(site):
    """The page's spec is page_spec() of the sources built, the same in every language; its
    WarmupCosineLR is the gallery script's class to the character (the program prints it)."""
    specs = [json.loads(page_spec(site, language)) for language in LANGUAGES]
    computed = explorer_spec.page_spec()  # from torch and the gallery now, no cache
    for spec in specs:
        for name, entry in computed["schedulers"].items():  # a stale cache shows as class.parameter
            assert name in spec["schedulers"], f"the page's spec has no {name}"
            for want, have in zip(entry["params"], spec["schedulers"][name]["params"]):
                assert have == want, f"{name}.{want['name']}: the page's spec says {have}, torch {want}"
        assert spec == computed, "the explorer pages' #lr-explorer-spec"
    script = explorer_spec.GALLERY / explorer_spec.CUSTOM_SCRIPTS["WarmupCosineLR"]
    assert specs[0]["custom"]["WarmupCosineLR"] in script.read_text(encoding="utf-8")


def test_what_the_spec_cannot_read_from_torch_is_named(monkeypatch):
    """An annotation scripts/explorer_spec.py has no kind for (a torch that annotates otherwise) fails
    naming class, parameter and annotation; a default torch changes reaches the spec, named in the
    comparison with torch (tests/test_explorer_engine.py) by class and parameter."""
    monkeypatch.delitem(explorer_spec.KINDS, "int")
    with pytest.raises(explorer_spec.SpecError, match=r"StepLR\(step_size: int\): .* Add the annotation to KINDS"):
        explorer_spec.torch_schedulers()  # no cache: as the build reads torch on a new version
    with pytest.raises(explorer_spec.SpecError, match=r"WarmupCosineLR\(warmup_steps: int\): .* Add the annotation"):
        explorer_spec.page_spec()
    monkeypatch.undo()
    import torch

    monkeypatch.setattr(torch.optim.lr_scheduler.StepLR.__init__, "__defaults__", (0.5, -1))  # gamma=0.5
    gamma = next(p for p in explorer_spec.page_spec()["schedulers"]["StepLR"]["params"] if p["name"] == "gamma")
    assert gamma["default"] == 0.5


def test_a_custom_class_missing_from_its_script_is_named(monkeypatch):
    monkeypatch.setitem(explorer_spec.CUSTOM_SCRIPTS, "WarmupCosineLR", "plot_steplr.py")
    with pytest.raises(explorer_spec.SpecError, match=r"gallery/plot_steplr.py: no class WarmupCosineLR"):
        explorer_spec.page_spec()


def test_an_example_the_explorer_cannot_express_fails_the_build_naming_its_script(site, catalog):
    """In-process, as the build fills the page's `{{ figure }}` (hooks_placeholders' on_page_markdown,
    whose explorer link reads the run's entry of schedules.json): plot_lambdalr.py's entry with a
    lambda the explorer does not know, as the gallery would record it after that edit of the script."""
    from mkdocs.exceptions import PluginError
    from types import SimpleNamespace

    import hooks_placeholders
    from site_files import figure_src

    manifest = json.loads((site / "schedules.json").read_text(encoding="utf-8"))
    entry = next(entry for entry in manifest["examples"] if entry["id"] == "lambdalr")
    assert entry["scheduler"]["kwargs"]["lr_lambda"] == "lambda step: min((step + 1) / 8, (8 / (step + 1)) ** 0.5)"
    entry["scheduler"]["kwargs"]["lr_lambda"] = "lambda step: 0.97 ** step"
    lambdalr = catalog.example("lambdalr")
    drawn = {figure_src(lambdalr, 1, dark, narrow=narrow) for dark in (False, True) for narrow in (False, True)}
    page = SimpleNamespace(file=SimpleNamespace(src_uri="schedulers/lambdalr.md", locale="en"))
    files = SimpleNamespace(src_uris=drawn, get_file_from_path=lambda uri: SimpleNamespace(content_string=json.dumps(manifest)))
    with pytest.raises(PluginError) as failure:
        hooks_placeholders.on_page_markdown("{{ figure 1: the learning rate }}\n", page, {"docs_dir": str(ROOT / "docs")}, files)
    assert "gallery/plot_lambdalr.py: the explorer does not know the function 'lambda step: 0.97 ** step'" in str(failure.value)


def test_what_the_explorer_cannot_express_is_named_without_a_build(site, catalog):
    entries = published(site)
    cases = {
        "reducelronplateau": ("metric", [0.5] * 32, "ReduceLROnPlateau's metric is not a curve the explorer knows"),
        "steplr": ("optimizer", {"class": "Adam", "kwargs": {"lr": 1e-3}}, "the explorer models SGD"),
        "constantlr": ("steps", 31, "the run recorded 31 steps"),
    }
    for example_id, (key, value, message) in cases.items():
        entry = {**json.loads(json.dumps(entries[example_id])), key: value}
        with pytest.raises(explorer.ExplorerError, match=re.escape(message)) as raised:
            explorer.settings(catalog.example(example_id), entry)
        assert f"gallery/{catalog.example(example_id).script}" in str(raised.value)


# ----------------------------------------------------------------------------------- programs


def sample_settings(site, catalog) -> list[tuple[str, dict]]:
    """The gallery examples as their links give them, then variations of them that reach every
    choice and switch of the spec, every lambda and metric curve, and stepping once per epoch."""
    spec = run_node(site, [{"op": "spec"}])[0]
    examples = [(example.id, link_query(site, example)) for example in catalog.examples]
    parsed = run_node(site, [{"op": "link", "query": query} for _, query in examples])
    sample = [(f"link of {name}", result["settings"]) for (name, _), result in zip(examples, parsed)]
    by_class = {}
    for _, settings in sample:
        by_class.setdefault(settings["scheduler"], settings)
    missing = sorted(set(spec["schedulers"]) - set(by_class))
    assert missing == [], f"classes of the engine with no gallery example to start from: {missing}"

    def variant(scheduler, label, change):
        settings = json.loads(json.dumps(by_class[scheduler]))
        change(settings)
        sample.append((f"{scheduler} {label}", settings))

    def seen(scheduler, name, value):
        return any(s["scheduler"] == scheduler and s["kwargs"].get(name) == value for _, s in sample)

    for scheduler, entry in spec["schedulers"].items():
        for param in entry["params"]:
            values = (
                param.get("choices") if param["kind"] == "choice" else [True, False] if param["kind"] == "bool" else []
            )
            for value in values:
                if not seen(scheduler, param["name"], value):
                    variant(
                        scheduler,
                        f"{param['name']}={value}",
                        lambda s, n=param["name"], v=value: s["kwargs"].update({n: v}),
                    )
            if param["kind"] == "lambda":
                for name in (name for name, item in spec["lambdas"].items() if scheduler in item["for"]):
                    if not seen(scheduler, param["name"], name):
                        variant(
                            scheduler,
                            f"{param['name']}={name}",
                            lambda s, n=param["name"], v=name: s["kwargs"].update({n: v}),
                        )
    for name in spec["metrics"]:
        if not any(s.get("metric") == name for _, s in sample):
            variant("ReduceLROnPlateau", f"metric={name}", lambda s, v=name: s.update(metric=v))
    # Stepping once per epoch, on a longer run with other numbers than the gallery's.
    for scheduler in ("StepLR", "CosineAnnealingLR", "ReduceLROnPlateau", "SequentialLR", "LambdaLR"):
        variant(scheduler, "per epoch", lambda s: s.update(step_every="epoch", epochs=12, steps_per_epoch=5, lr=0.1))
    for scheduler in ("OneCycleLR", "CyclicLR", "CosineAnnealingWarmRestarts", "WarmupCosineLR", "ChainedScheduler"):
        variant(scheduler, "longer", lambda s: s.update(epochs=9, steps_per_epoch=7, lr=0.05, momentum=0.95))
    # Arguments the gallery leaves at their defaults.
    variant("OneCycleLR", "total_steps=50", lambda s: s["kwargs"].update(total_steps=50, pct_start=0.25))
    variant("CyclicLR", "step_size_down=6", lambda s: s["kwargs"].update(step_size_down=6, base_momentum=0.85))
    variant("ReduceLROnPlateau", "min_lr", lambda s: s["kwargs"].update(min_lr=2e-4, patience=1, cooldown=0))
    return sample


def test_the_python_program_records_what_the_engine_computes(site, catalog):
    sample = sample_settings(site, catalog)
    assert len(sample) >= 25
    computed = run_node(site, [{"op": "program", "settings": settings} for _, settings in sample])
    for (label, _), result in zip(sample, computed):
        assert "error" not in result, f"{label}: the engine refuses the sample: {result['error']}"
    programs = [result["program"] for result in computed]
    half = len(programs) // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        ran = [item for batch in pool.map(run_programs, (programs[:half], programs[half:])) for item in batch]
    failures = []
    for (label, settings), engine, python in zip(sample, computed, ran):
        if python["error"]:
            failures.append(f"{label}: the program raises {python['error']}")
            continue
        for series in ("lr", "momentum"):
            problem = first_difference(f"{label} {series}", engine[series], python[series])
            if problem:
                failures.append(f"{problem}\n    settings: {json.dumps(settings)}")
        unexpected = [w for w in python["warnings"] if not any(str(e) in w for e in engine["warnings"])]
        if unexpected:
            failures.append(f"{label}: the program warns {unexpected}; the engine reports {engine['warnings']}")
    assert failures == [], "\n".join(failures)
