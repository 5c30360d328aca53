"""The explorer's specification: every fact the explorer needs that has a source outside its JS,
read from that source once, by the build, and handed to the page as JSON (`{{ explorerspec }}` in
docs/explorer.md -> `<script type="application/json" id="lr-explorer-spec">` -> spec.js).

    page_spec() = {
      "schedulers": {Class: {"signature": [every parameter, in order],
                             "params": [{name, kind, required, default?, choices?, nullable?}],
                             "momentum": bool, "composite": bool}},
      "lambdas": {name: {"python": source, "for": [classes]}},
      "metrics": {name: {"python": source, "values"?: [...]}},
      "custom": {Class: source},
    }

Where each fact comes from:

* torch's classes (the public ones of torch.optim.lr_scheduler, in its `__all__` order): names,
  order, defaults and whether an argument is required from `inspect.signature` of the installed
  torch; its kind (and a choice's values) from torch's annotation (KINDS); `momentum` when the class
  has `cycle_momentum`, `composite` when it takes `schedulers`. A torch upgrade changes the explorer
  with no JS edited; an annotation this file cannot read fails the build, naming it.
* the gallery's own class (CUSTOM_SCRIPTS): its source and signature from the script's syntax tree
  (annotations as for torch's).
* the named lambdas (LAMBDAS): a gallery page's from its script (the lambda its scheduler is built
  with), so the explorer shows and runs the function the page shows; the explorer's own written
  here. The metric curves likewise (METRICS).

engine.js holds the arithmetic (each port and JS twin, proven by tests/test_explorer_engine.py).
torch's part is kept in docs/generated/cache until torch or this file changes: a rebuild never imports torch.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import importlib.metadata
import inspect
import json
import os
import re
from pathlib import Path

import manifest

GALLERY = Path(__file__).resolve().parent.parent / "gallery"
# The environment variable through which a node process outside the page (the tests) receives the
# spec: spec.js reads it where there is no page (see node_environment).
NODE_VARIABLE = "LR_EXPLORER_SPEC"


class SpecError(Exception):
    pass


# torch's annotation (as torch writes it) -> the explorer's kind of value (engine.js documents them).
KINDS = {
    "int": "int", "int | None": "int", "float": "float", "bool": "bool",
    "float | list[float]": "float_or_list", "list[float] | float": "float_or_list",
    "Iterable[int]": "int_list", "list[int]": "int_list",
    "Callable[[int], float] | list[Callable[[int], float]]": "lambda",
    "list[LRScheduler]": "schedulers", "Sequence[LRScheduler]": "schedulers",
}  # fmt: skip
# Where torch's annotation says less than torch accepts: CyclicLR formats its momentums per
# parameter group (_format_param), so a list works there as for OneCycleLR, whose annotation says so.
KIND_OVERRIDES = {("CyclicLR", "base_momentum"): "float_or_list", ("CyclicLR", "max_momentum"): "float_or_list"}
# Parameters the explorer's form does not offer: it builds the optimizer itself, never resumes
# (last_epoch), and cannot express CyclicLR's scale_fn (a function; scale_mode only serves it).
LEFT_OUT = frozenset({"self", "optimizer", "last_epoch", "scale_fn", "scale_mode"})
BASES = frozenset({"LRScheduler"})

# Scheduler classes a gallery script defines itself that the engine ports, with that script.
CUSTOM_SCRIPTS = {"WarmupCosineLR": "plot_custom_warmup_cosine.py"}

# The named lambdas, in the order the form offers them: the explorer's own by source; a gallery
# page's by its script (the lambda its scheduler is built with). "for": the classes it suits.
LAMBDA = ["LambdaLR"]
LAMBDAS = {
    "warmup": {"python": "lambda step: min(1.0, (step + 1) / 10)", "for": LAMBDA},
    "inverse_sqrt": {"python": "lambda step: 1 / math.sqrt(step + 1)", "for": LAMBDA},
    "exponential": {"python": "lambda step: 0.95 ** step", "for": LAMBDA},
    "step_halving": {"python": "lambda step: 0.5 ** (step // 10)", "for": LAMBDA},
    "warmup_cosine": {
        "python": "lambda step: (step + 1) / 8 if step < 8 else 0.5 * (1 + math.cos(math.pi * min(step - 8, 56) / 56))",
        "for": LAMBDA,
    },
    "gallery_warmup_inverse_sqrt": {"script": "plot_lambdalr.py", "for": LAMBDA},
    "gallery_recipe_inverse_sqrt": {"script": "plot_recipe_inverse_sqrt.py", "for": LAMBDA},
    "constant_0.9": {"script": "plot_multiplicativelr.py", "for": ["MultiplicativeLR", "LambdaLR"]},
    "constant_0.99": {"python": "lambda step: 0.99", "for": ["MultiplicativeLR"]},
    "halve_every_10": {"python": "lambda step: 0.5 if step % 10 == 0 else 1.0", "for": ["MultiplicativeLR"]},
    "gallery_wsd_1_sqrt": {"script": "plot_wsd_1_sqrt.py", "for": LAMBDA},
    "gallery_warmup_from_zero_4": {"script": "plot_d2z_vs_cosine.py", "for": LAMBDA},
    "gallery_warmup_from_zero_8": {"script": "plot_warmup_from_zero.py", "for": LAMBDA},
    "gallery_timm_cosine": {"script": "plot_timm_cosine.py", "for": LAMBDA},
    "gallery_timm_warmup": {"script": "plot_timm_step.py", "for": LAMBDA},
    "gallery_timm_poly": {"script": "plot_timm_poly.py", "for": LAMBDA},
    "gallery_timm_tanh": {"script": "plot_timm_tanh.py", "for": LAMBDA},
}

# ReduceLROnPlateau's metric curves, t = 0, 1, 2, ... (the number of scheduler.step(metric) calls
# before this one). Only + - * / on small integers and decimal constants, so Python and JS compute
# the same double. A gallery curve: its script's constant (its source and its values), then `python`.
METRICS = {
    "validation_loss": {
        "script": "plot_reducelronplateau.py",
        "constant": "VALIDATION_LOSS",
        "python": "def metric(t):\n"
        "    # the gallery's 32 values, then the last one held\n"
        "    return VALIDATION_LOSS[min(t, len(VALIDATION_LOSS) - 1)]\n",
    },
    "improve_then_plateau": {
        "python": "def metric(t):\n    # a steady improvement for 20 steps, then flat\n    return 1.0 - 0.025 * t if t < 20 else 0.5\n",
    },
    "noisy_loss": {
        "python": "def metric(t):\n"
        "    # a slowing decay with a deterministic wobble of +-0.03\n"
        "    return 0.5 + 0.5 / (1 + t / 10) + ((t * 7919) % 13 - 6) / 200\n",
    },
    "noisy_accuracy": {
        "python": "def metric(t):\n"
        "    # an accuracy (mode='max') rising towards 0.9 with a deterministic wobble of +-0.01\n"
        "    return 0.9 - 0.4 / (1 + t / 5) + ((t * 37) % 11 - 5) / 500\n",
    },
}


def page_spec(cache_dir: Path | None = None) -> dict:
    """The spec (above). With `cache_dir`, torch's part is read from there when it is current."""
    custom = {name: _custom_class(name) for name in CUSTOM_SCRIPTS}
    return {
        "schedulers": {**torch_schedulers(cache_dir), **{name: spec for name, (_, spec) in custom.items()}},
        "lambdas": named_lambdas(),
        "metrics": {name: _metric(name, entry) for name, entry in METRICS.items()},
        "custom": {name: source for name, (source, _) in custom.items()},
    }


def page_spec_html(cache_dir: Path | None = None) -> str:
    """page_spec() as the page's `<script type="application/json" id="lr-explorer-spec">`, on one
    line. `<`, `>`, `&`, `*`, `_` and backticks as JSON's \\u escapes: neither the HTML parser (which
    would end the element at `</`) nor Markdown (emphasis, code) can read anything into it."""
    text = json.dumps(page_spec(cache_dir), ensure_ascii=True, separators=(",", ":"))
    text = re.sub(r"[<>&*_`]", lambda match: f"\\u{ord(match[0]):04x}", text)
    return f'<script type="application/json" id="lr-explorer-spec">{text}</script>'


def node_environment(spec_json: str | None = None) -> dict:
    """This environment plus the spec (page_spec() once per process, or `spec_json`) for node (tests)."""
    return {**os.environ, NODE_VARIABLE: spec_json or _spec_json()}


_spec_json = functools.cache(lambda: json.dumps(page_spec()))


def lambda_names() -> dict[str, str]:
    """Python source -> name of each named lambda (scripts/explorer.py maps a page's lambda to it)."""
    return {entry["python"]: name for name, entry in named_lambdas().items()}


_READ: dict = {}  # what named_lambdas read, with the scripts' text it read it from


def named_lambdas() -> dict:
    """Name -> {"python": source, "for": classes}, in the order the form offers them. Kept while the
    scripts read the same: every scheduler page's link asks (scripts/explorer.py)."""
    scripts = sorted({entry["script"] for entry in LAMBDAS.values() if "script" in entry})
    key = tuple((GALLERY / script).read_text(encoding="utf-8") for script in scripts)
    if _READ.get("lambdas", (None,))[0] != key:
        _READ["lambdas"] = (key, {name: _lambda(name, entry) for name, entry in LAMBDAS.items()})
    return _READ["lambdas"][1]



def gallery_metrics() -> dict[str, list[float]]:
    """Name -> values of each metric curve that is a gallery script's constant."""
    return {name: _metric(name, entry)["values"] for name, entry in METRICS.items() if "script" in entry}


# ------------------------------------------------------------------------------------- torch


def torch_schedulers(cache_dir: Path | None = None) -> dict:
    if cache_dir is None:
        return _torch_schedulers()
    inputs = f"{importlib.metadata.version('torch')}\0{Path(__file__).read_text(encoding='utf-8')}"
    cached = cache_dir / f"explorer-spec-{hashlib.sha256(inputs.encode()).hexdigest()[:16]}.json"
    if cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    schedulers = _torch_schedulers()
    cache_dir.mkdir(parents=True, exist_ok=True)
    for stale in cache_dir.glob("explorer-spec-*.json"):
        stale.unlink()
    cached.write_text(json.dumps(schedulers), encoding="utf-8")
    return schedulers


def _torch_schedulers() -> dict:
    module, out = importlib.import_module("torch.optim.lr_scheduler"), {}
    for name in (name for name in module.__all__ if name not in BASES):
        parameters = inspect.signature(getattr(module, name)).parameters.values()
        out[name] = _scheduler(name, [(p.name, p.annotation, None if p.default is p.empty else (p.default,)) for p in parameters])
    return out


def _scheduler(class_name: str, parameters: list[tuple[str, str, tuple | None]]) -> dict:
    """One class from its parameters: (name, annotation as text, (default,) or None when required)."""
    params = []
    for name, annotation, default in parameters:
        if name in LEFT_OUT:
            continue
        kind = KIND_OVERRIDES.get((class_name, name)) or _kind(class_name, name, annotation)
        param = {"name": name, "kind": kind, "required": default is None}
        if kind == "choice":
            param["choices"] = list(ast.literal_eval(annotation[len("Literal[") : -1]))
        if default is not None:
            param["default"] = default[0]
            if default[0] is None:
                param["nullable"] = True
        params.append(param)
    return {
        "signature": [name for name, _, _ in parameters if name != "self"],
        "params": params,
        "momentum": any(p["name"] == "cycle_momentum" for p in params),
        "composite": any(p["kind"] == "schedulers" for p in params),
    }


def _kind(class_name: str, name: str, annotation) -> str:
    if isinstance(annotation, str) and annotation.startswith("Literal[") and annotation.endswith("]"):
        return "choice"
    if annotation in KINDS:
        return KINDS[annotation]
    raise SpecError(
        f"{class_name}({name}: {annotation}): scripts/explorer_spec.py cannot tell the explorer what kind of value "
        "this is. Add the annotation to KINDS there (or the parameter to LEFT_OUT, if the explorer does not offer it)"
    )


# ----------------------------------------------------------------------------------- gallery


def _custom_class(name: str) -> tuple[str, dict]:
    """A class of CUSTOM_SCRIPTS: its source as the gallery page shows it, and its spec."""
    script = CUSTOM_SCRIPTS[name]
    constructed = manifest.Constructions(GALLERY / script)
    if name not in constructed.classes:
        raise SpecError(
            f"gallery/{script}: no class {name}, which the explorer copies from it; "
            "define it there or name its script in CUSTOM_SCRIPTS in scripts/explorer_spec.py"
        )
    node = constructed.classes[name]
    init = next((item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None)
    if init is None or init.args.vararg or init.args.kwarg or init.args.kwonlyargs:
        raise SpecError(f"gallery/{script}: {name} needs an __init__ with named parameters only, for the explorer's form")
    arguments = init.args.args
    defaults = [None] * (len(arguments) - len(init.args.defaults)) + [(ast.literal_eval(d),) for d in init.args.defaults]
    parameters = [(a.arg, ast.unparse(a.annotation) if a.annotation else None, d) for a, d in zip(arguments, defaults)]
    return ast.get_source_segment(constructed.source, node), _scheduler(name, parameters)


def _lambda(name: str, entry: dict) -> dict:
    if "python" in entry:
        return {"python": entry["python"], "for": entry["for"]}
    script = entry["script"]
    constructed = manifest.Constructions(GALLERY / script)
    built = constructed.assigned.get("scheduler")
    sources = set(_lambdas_in(constructed, built, set())) if built is not None else set()
    if len(sources) != 1:
        raise SpecError(
            f"gallery/{script}: the explorer's lambda {name} is the one its `scheduler = ...` is built with, "
            f"but that builds with {len(sources)} different lambdas; name another script for it in LAMBDAS of "
            "scripts/explorer_spec.py"
        )
    return {"python": sources.pop(), "for": entry["for"]}


def _lambdas_in(constructed, node: ast.AST, seen: set) -> list[str]:
    """The lambdas in a construction, through the top-level variables it names (sub-schedulers).
    Read from the syntax tree alone: describing the call would import torch."""
    found = []
    for child in ast.walk(node):
        if isinstance(child, ast.Lambda):
            found.append(ast.get_source_segment(constructed.source, child))
        elif isinstance(child, ast.Name) and isinstance(constructed.assigned.get(child.id), ast.Call) and child.id not in seen:
            seen.add(child.id)
            found += _lambdas_in(constructed, constructed.assigned[child.id], seen)
    return found


def _metric(name: str, entry: dict) -> dict:
    if "script" not in entry:
        return {"python": entry["python"]}
    script, constant = entry["script"], entry["constant"]
    constructed = manifest.Constructions(GALLERY / script)
    values = constructed.constants.get(constant)
    if not isinstance(values, list) or not all(isinstance(value, (int, float)) for value in values):
        raise SpecError(f"gallery/{script}: no list of numbers {constant}, the explorer's metric curve {name}")
    assigned = ast.get_source_segment(constructed.source, constructed.assigned[constant])
    return {"python": f"{constant} = {assigned}\n\n\n{entry['python']}", "values": [float(value) for value in values]}
