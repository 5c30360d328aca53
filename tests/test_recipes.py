"""The recipes: each schedule of `transformers.optimization` against the plain-PyTorch code of its page.

A recipe page (gallery/plot_recipe_*.py) shows code that rebuilds one of transformers' schedules
with torch alone. This test runs that very code, the code blocks of the script as the page shows
them (the figure's cell aside), once with the page's own settings and then with at least 100
seeded random settings, each given by replacing the script's settings constants (and, for the
inverse square root, the default of its lambda's `timescale`). Among the settings: no warmup, a
warmup as long as the training, one training step, one warmup step, and long runs. transformers
runs the same settings on its own optimizer; the two must agree at every training step.

Agreement is a relative error of at most 1e-12. The one exception is floating-point, not the
schedule: where a cosine comes down to (nearly) 0, `1 + cos(x)` cancels, and transformers and
torch, which round `x` differently, then agree only to a few 1e-12 of that tiny value. There the
absolute error must stay below 1e-18 of the initial learning rate (see `close`).

transformers is a test dependency only: no gallery script imports it (checked below), so the
site builds with torch alone.
"""

from __future__ import annotations

import ast
import math
import random
import warnings
from pathlib import Path

import pytest
from conftest import ROOT
from mkdocs_gallery.py_source_parser import split_code_and_text_blocks

transformers_optimization = pytest.importorskip("transformers.optimization")

GALLERY = ROOT / "gallery"
RELATIVE_TOLERANCE = 1e-12
# Below this share of the initial lr, only the absolute error is held (to ABSOLUTE_TOLERANCE of it).
TINY = 1e-6
ABSOLUTE_TOLERANCE = 1e-18
RANDOM_SETTINGS = 100
LONG_RUN = 20_000


# ----------------------------------------------------------------------------------- the page code


def page_code(script: Path) -> str:
    """The code the page shows (as scripts/hooks.py puts it there), without the plotting cell."""
    _, blocks = split_code_and_text_blocks(str(script))
    code = [content for label, content, _ in blocks if label == "code"]
    assert "plt.show()" in code[-1] and "scheduler" not in code[-1], f"{script.name}: the last cell must be the plot"
    return "\n\n".join(code[:-1])


class _Settings(ast.NodeTransformer):
    """Replace the value of top-level `NAME = ...` constants and of lambda defaults `name=...`."""

    def __init__(self, settings: dict):
        self.settings = settings
        self.replaced = set()

    def visit_Module(self, node):
        for statement in node.body:
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and statement.targets[0].id in self.settings
            ):
                statement.value = ast.Constant(self.settings[statement.targets[0].id])
                self.replaced.add(statement.targets[0].id)
        self.generic_visit(node)
        return node

    def visit_Lambda(self, node):
        arguments = node.args.args[len(node.args.args) - len(node.args.defaults) :]
        for argument, index in zip(arguments, range(len(node.args.defaults))):
            if argument.arg in self.settings:
                node.args.defaults[index] = ast.Constant(self.settings[argument.arg])
                self.replaced.add(argument.arg)
        self.generic_visit(node)
        return node


def run_page_code(script: Path, settings: dict | None = None) -> tuple[list[float], dict]:
    """The lrs the page's code records, with `settings` in place of the script's own values."""
    tree = ast.parse(page_code(script))
    if settings:
        transformer = _Settings(settings)
        tree = ast.fix_missing_locations(transformer.visit(tree))
        assert transformer.replaced == set(settings), f"{script.name} has no setting {set(settings) - transformer.replaced}"
    namespace = {"__name__": "recipe"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a page must not teach code that warns
        exec(compile(tree, str(script), "exec"), namespace)
    return namespace["lrs"], namespace


def run_transformers(recipe, settings: dict) -> list[float]:
    """transformers' schedule for the same settings: the lr in effect at each of the training steps."""
    import torch

    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=settings["LEARNING_RATE"], momentum=0.9)
    scheduler = recipe.transformers(optimizer, settings)
    lrs = []
    for step in range(settings["NUM_TRAINING_STEPS"]):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        if step < settings["NUM_TRAINING_STEPS"] - 1:  # the lr after the last step is not trained with
            scheduler.step()
    return lrs


# ------------------------------------------------------------------------------------- comparison


def close(ours: float, theirs: float, initial_lr: float) -> bool:
    if ours == theirs:
        return True
    if max(abs(ours), abs(theirs)) < TINY * initial_lr:
        return abs(ours - theirs) <= ABSOLUTE_TOLERANCE * initial_lr
    return abs(ours - theirs) <= RELATIVE_TOLERANCE * max(abs(ours), abs(theirs))


def first_difference(ours: list[float], theirs: list[float], initial_lr: float) -> str | None:
    if len(ours) != len(theirs):
        return f"the page's code recorded {len(ours)} steps, transformers {len(theirs)}"
    for step, (mine, wanted) in enumerate(zip(ours, theirs)):
        if not close(mine, wanted, initial_lr):
            error = abs(mine - wanted) / max(abs(mine), abs(wanted))
            return f"step {step}: page code {mine!r}, transformers {wanted!r} (relative error {error:.1e})"
    return None


# ---------------------------------------------------------------------------------------- recipes


class Recipe:
    def __init__(self, script, transformers, settings):
        self.script = GALLERY / script
        self.transformers = transformers  # (optimizer, settings) -> transformers' scheduler
        self.settings = settings  # (rng, lr, warmup, training) -> the recipe's settings


def _lengths(rng: random.Random, index: int) -> tuple[int, int]:
    """(num_warmup_steps, num_training_steps): the edge cases first, then random ones."""
    edge_cases = [(0, 1), (1, 1), (0, 37), (1, 37), (37, 37), (2, 3), (5, 6), (300, LONG_RUN), (0, LONG_RUN)]
    if index < len(edge_cases):
        return edge_cases[index]
    training = rng.choice([rng.randint(1, 20), rng.randint(1, 200), rng.randint(1, 2000)])
    warmup = rng.choice([0, 1, training, rng.randint(0, training), rng.randint(0, max(0, training // 5))])
    return warmup, training


def _settings_constant(rng, lr, warmup, training):
    return {"LEARNING_RATE": lr, "NUM_WARMUP_STEPS": warmup, "NUM_TRAINING_STEPS": training}


RECIPES = {
    "recipe-constant-with-warmup": Recipe(
        "plot_recipe_constant_with_warmup.py",
        lambda optimizer, s: transformers_optimization.get_constant_schedule_with_warmup(
            optimizer, num_warmup_steps=s["NUM_WARMUP_STEPS"]
        ),
        _settings_constant,
    ),
    "recipe-linear": Recipe(
        "plot_recipe_linear.py",
        lambda optimizer, s: transformers_optimization.get_linear_schedule_with_warmup(
            optimizer, num_warmup_steps=s["NUM_WARMUP_STEPS"], num_training_steps=s["NUM_TRAINING_STEPS"]
        ),
        _settings_constant,
    ),
}


def all_settings(recipe_id: str) -> list[dict]:
    recipe = RECIPES[recipe_id]
    rng = random.Random(recipe_id)  # seeded: the same settings on every run
    settings = []
    for index in range(RANDOM_SETTINGS):
        warmup, training = _lengths(rng, index)
        lr = rng.choice([1e-3, 0.1, 3e-4, rng.uniform(1e-5, 1.0)])
        settings.append({**recipe.settings(rng, lr, warmup, training), "EPOCHS": 1, "STEPS_IN_EPOCH": training})
    return settings


# ------------------------------------------------------------------------------------------ tests


@pytest.mark.parametrize("recipe_id", sorted(RECIPES))
def test_the_page_code_equals_transformers_with_the_page_settings(recipe_id):
    recipe = RECIPES[recipe_id]
    ours, namespace = run_page_code(recipe.script)
    settings = {name: value for name, value in namespace.items() if name.isupper()}
    settings.update({name: namespace[name] for name in ("timescale",) if name in namespace})
    theirs = run_transformers(recipe, settings)
    assert len(ours) == settings["NUM_TRAINING_STEPS"], f"{recipe.script.name}: the run is not NUM_TRAINING_STEPS long"
    difference = first_difference(ours, theirs, settings["LEARNING_RATE"])
    assert difference is None, f"{recipe.script.name} with its own settings: {difference}"


@pytest.mark.parametrize("recipe_id", sorted(RECIPES))
def test_the_page_code_equals_transformers_for_random_settings(recipe_id):
    recipe = RECIPES[recipe_id]
    settings_list = all_settings(recipe_id)
    assert len(settings_list) >= 100
    failures = []
    for settings in settings_list:
        ours, _ = run_page_code(recipe.script, settings)
        theirs = run_transformers(recipe, settings)
        difference = first_difference(ours, theirs, settings["LEARNING_RATE"])
        if difference:
            failures.append(f"{settings}: {difference}")
    assert not failures, f"{recipe.script.name}: {len(failures)} of {len(settings_list)} settings differ:\n  " + "\n  ".join(
        failures[:5]
    )


def test_every_recipe_script_is_tested_and_none_imports_transformers():
    scripts = {path.name for path in GALLERY.glob("plot_recipe_*.py")}
    assert scripts == {recipe.script.name for recipe in RECIPES.values()}
    for name in sorted(scripts):
        tree = ast.parse((GALLERY / name).read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        assert "transformers" not in imported, f"gallery/{name} imports transformers: the site must build with torch alone"


def test_the_comparison_can_fail():
    # A wrong schedule must be caught: the linear recipe is not transformers' cosine.
    recipe = RECIPES["recipe-linear"]
    settings = {"LEARNING_RATE": 1e-3, "NUM_WARMUP_STEPS": 3, "NUM_TRAINING_STEPS": 10, "EPOCHS": 1, "STEPS_IN_EPOCH": 10}
    ours, _ = run_page_code(recipe.script, settings)
    import torch

    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1e-3)
    cosine = transformers_optimization.get_cosine_schedule_with_warmup(optimizer, 3, 10)
    theirs = []
    for _ in range(10):
        optimizer.step()
        theirs.append(optimizer.param_groups[0]["lr"])
        cosine.step()
    assert first_difference(ours, theirs, 1e-3).startswith("step 4:")
    assert not close(1.0, 1.0 + 2e-12, 1.0) and close(1.0, 1.0 + 5e-13, 1.0)
