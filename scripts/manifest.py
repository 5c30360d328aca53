"""The numbers behind every figure: `schedules.json` at the site root and one CSV per example.

The series (lr, momentum, metric) are the ones the gallery run recorded while it drew the figure
(see figures.py); nothing is computed a second time. How the scheduler and the optimizer were
constructed is read from the script's own source, so the manifest says what the code says.
"""

from __future__ import annotations

import ast
import csv
import importlib
import importlib.metadata
import inspect
import io
import json
from pathlib import Path

import figures
from catalog import LANGUAGES

# torch's version without importing torch: a rebuild with nothing to run must not pay for torch.
TORCH_VERSION = importlib.metadata.version("torch").split("+")[0]

# The per-step series, in the column order of the CSV files.
SERIES = tuple(figures.SERIES.values())  # lr, momentum, metric


class ManifestError(Exception):
    pass


def csv_path(example) -> str:
    """The example's CSV, relative to the site root."""
    return f"data/{example.id}.csv"


def load_run(generated_dir: Path, example) -> dict:
    path = figures.data_path(generated_dir, example.script_stem)
    if not path.is_file():
        raise ManifestError(
            f"{path}: no recorded run of gallery/{example.script}. The gallery's cache says the script "
            "ran but its data is gone: delete docs/generated/ (make clean) and build again."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def to_csv(run: dict) -> str:
    columns = [name for name in SERIES if name in run]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["step", *columns])
    for step, values in enumerate(zip(*(run[name] for name in columns))):
        writer.writerow([step, *(repr(value) for value in values)])
    return buffer.getvalue()


def entry(example, run: dict) -> dict:
    constructed = Constructions(example.script_path)
    return {
        "id": example.id,
        "title": dict(example.title),
        "page": {language: example.page_url(language) for language in LANGUAGES},
        "data": csv_path(example),
        "scheduler": constructed.describe("scheduler"),
        "optimizer": constructed.describe("optimizer"),
        "steps": len(run["lr"]),
        "steps_per_epoch": run["steps_per_epoch"],
        **{name: run[name] for name in SERIES if name in run},
    }


def manifest(examples, runs: dict) -> str:
    document = {
        "torch": TORCH_VERSION,
        "examples": [entry(example, runs[example.id]) for example in examples],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


class Constructions:
    """How the script builds its objects, read from its top-level assignments.

    `describe("scheduler")` gives `{"class": ..., "kwargs": {...}}` with every argument as written:
    constants resolved to their values, sub-schedulers described the same way, and callables
    (lambdas, functions) given as their source text. The optimizer and the model's parameters,
    which every constructor takes first, are left out.
    """

    SKIPPED = {"optimizer", "params"}

    def __init__(self, script: Path):
        self.script = script
        self.source = script.read_text(encoding="utf-8")
        tree = ast.parse(self.source)
        self.assigned = {}
        self.functions = {}
        self.classes = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                self.assigned[node.targets[0].id] = node.value
            elif isinstance(node, ast.FunctionDef):
                self.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                self.classes[node.name] = node
        self.constants = {}
        for name, value in self.assigned.items():
            if name.isupper():
                self.constants[name] = self._evaluate(value)

    def describe(self, variable: str) -> dict:
        if variable not in self.assigned or not isinstance(self.assigned[variable], ast.Call):
            raise ManifestError(f"{self.script}: no top-level `{variable} = SomeClass(...)` to describe")
        return self._call(self.assigned[variable])

    def _call(self, call: ast.Call) -> dict:
        name = call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id
        parameters = self._parameter_names(name)
        kwargs = {}
        for position, argument in enumerate(call.args):
            if position >= len(parameters):
                raise ManifestError(f"{self.script}: cannot name positional argument {position} of {name}")
            kwargs[parameters[position]] = argument
        kwargs.update({keyword.arg: keyword.value for keyword in call.keywords})
        return {
            "class": name,
            "kwargs": {key: self._value(value) for key, value in kwargs.items() if key not in self.SKIPPED},
        }

    def _parameter_names(self, class_name: str) -> list[str]:
        if class_name in self.classes:  # a scheduler class the script defines itself
            for node in self.classes[class_name].body:
                if isinstance(node, ast.FunctionDef) and node.name == "__init__":
                    return [argument.arg for argument in node.args.args[1:]]
            return []
        torch = importlib.import_module("torch")  # only here: names of positional arguments
        for module in (torch.optim.lr_scheduler, torch.optim):
            if hasattr(module, class_name):
                return list(inspect.signature(getattr(module, class_name)).parameters)
        raise ManifestError(f"{self.script}: unknown class {class_name}")

    def _value(self, node):
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self._value(element) for element in node.elts]
        if isinstance(node, ast.Lambda):
            return ast.get_source_segment(self.source, node)
        if isinstance(node, ast.Name):
            if node.id in self.functions:
                return ast.get_source_segment(self.source, self.functions[node.id])
            if isinstance(self.assigned.get(node.id), ast.Call) and not node.id.isupper():
                return self._call(self.assigned[node.id])  # a sub-scheduler
        return self._evaluate(node)

    def _evaluate(self, node):
        """Literals and arithmetic on the script's constants (e.g. `EPOCHS * STEPS_IN_EPOCH`)."""
        try:
            return eval(compile(ast.Expression(node), str(self.script), "eval"), {"__builtins__": {}}, self.constants)
        except Exception:
            return ast.get_source_segment(self.source, node)
