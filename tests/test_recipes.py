"""The recipes: each schedule of `transformers.optimization` against the plain-PyTorch code of its page.

A recipe page (gallery/plot_recipe_*.py) shows code that rebuilds one of transformers' schedules
with torch alone. This test runs that very code, the code blocks of the script as the page shows
them (the figure's cell aside), once with the page's own settings and then with at least 100
seeded random settings, each given by replacing the script's settings constants (and, for the
inverse square root, the default of its lambda's `timescale`). Among the settings: no warmup, a
warmup as long as the training, one training step, one warmup step, and long runs. transformers
runs the same settings on its own optimizer; the two must agree at every training step.

Agreement is a relative error of at most 1e-12, with one allowance for floating point, not for
the schedule: a value below 1e-4 of the initial learning rate is measured against 1e-4 of the
initial learning rate, so there the error must stay below 1e-16 of the initial learning rate (see
`close`). Such values occur only where a cosine comes down to 0: `1 + cos(x)` cancels there, and
transformers (a closed form) and CosineAnnealingLR (a recursive update), which round differently,
then agree to a few 1e-11 of that tiny value.

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
# Values below this share of the initial lr are measured against it (see the module docstring).
FLOOR = 1e-4
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
    return abs(ours - theirs) <= RELATIVE_TOLERANCE * max(abs(ours), abs(theirs), FLOOR * initial_lr)


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


def _settings_cosine(rng, lr, warmup, training):
    # Up to half a wave: the cosine never passes a trough during training (see
    # test_past_a_trough_cosineannealinglr_is_not_exact for more).
    cycles = rng.choice([0.5, 0.5, 0.25, rng.uniform(0.01, 0.5)])
    return {**_settings_constant(rng, lr, warmup, training), "NUM_CYCLES": cycles}


def _settings_hard_restarts(rng, lr, warmup, training):
    # The page's composition needs NUM_CYCLES to divide the steps after the warmup (its T_0 is a
    # whole number of steps): shorten the training to the nearest such length.
    cycles = rng.randint(1, 5)
    decay = training - warmup
    decay -= decay % cycles
    if warmup + decay == 0:
        decay = cycles
    return {**_settings_constant(rng, lr, warmup, warmup + decay), "NUM_CYCLES": cycles}


def _settings_polynomial(rng, lr, warmup, training):
    lr_end = rng.choice([0.0, 1e-7 * lr / 1e-3, lr * rng.uniform(0.0, 0.99)])
    return {**_settings_constant(rng, lr, warmup, training), "LR_END": lr_end}


def _settings_inverse_sqrt(rng, lr, warmup, training):
    # transformers' default timescale is num_warmup_steps, or 10_000 without warmup.
    timescale = rng.choice([warmup or 10_000, rng.randint(1, 1000)])
    return {**_settings_constant(rng, lr, warmup, training), "timescale": timescale}


def _settings_wsd(rng, lr, warmup, training):
    decay = rng.choice([0, training - warmup, rng.randint(0, training - warmup)])
    ratio = rng.choice([0.0, 0.0, 0.1, rng.uniform(0.0, 0.9)])
    cycles = rng.choice([0.5, 0.5, 0.25, rng.uniform(0.01, 0.5)])
    return {
        **_settings_constant(rng, lr, warmup, training),
        "NUM_DECAY_STEPS": decay,
        "MIN_LR_RATIO": ratio,
        "NUM_CYCLES": cycles,
    }


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
    "recipe-cosine": Recipe(
        "plot_recipe_cosine.py",
        lambda optimizer, s: transformers_optimization.get_cosine_schedule_with_warmup(
            optimizer,
            num_warmup_steps=s["NUM_WARMUP_STEPS"],
            num_training_steps=s["NUM_TRAINING_STEPS"],
            num_cycles=s["NUM_CYCLES"],
        ),
        _settings_cosine,
    ),
    "recipe-cosine-hard-restarts": Recipe(
        "plot_recipe_cosine_hard_restarts.py",
        lambda optimizer, s: transformers_optimization.get_cosine_with_hard_restarts_schedule_with_warmup(
            optimizer,
            num_warmup_steps=s["NUM_WARMUP_STEPS"],
            num_training_steps=s["NUM_TRAINING_STEPS"],
            num_cycles=s["NUM_CYCLES"],
        ),
        _settings_hard_restarts,
    ),
    "recipe-polynomial": Recipe(
        "plot_recipe_polynomial.py",
        lambda optimizer, s: transformers_optimization.get_polynomial_decay_schedule_with_warmup(
            optimizer,
            num_warmup_steps=s["NUM_WARMUP_STEPS"],
            num_training_steps=s["NUM_TRAINING_STEPS"],
            lr_end=s["LR_END"],
            power=1.0,
        ),
        _settings_polynomial,
    ),
    "recipe-inverse-sqrt": Recipe(
        "plot_recipe_inverse_sqrt.py",
        lambda optimizer, s: transformers_optimization.get_inverse_sqrt_schedule(
            optimizer, num_warmup_steps=s["NUM_WARMUP_STEPS"], timescale=s.get("timescale")
        ),
        _settings_inverse_sqrt,
    ),
    "recipe-wsd": Recipe(
        "plot_recipe_wsd.py",
        lambda optimizer, s: transformers_optimization.get_wsd_schedule(
            optimizer,
            num_warmup_steps=s["NUM_WARMUP_STEPS"],
            num_decay_steps=s["NUM_DECAY_STEPS"],
            num_training_steps=s["NUM_TRAINING_STEPS"],
            min_lr_ratio=s["MIN_LR_RATIO"],
            num_cycles=s["NUM_CYCLES"],
        ),
        _settings_wsd,
    ),
}


def all_settings(recipe_id: str) -> list[dict]:
    recipe = RECIPES[recipe_id]
    rng = random.Random(recipe_id)  # seeded: the same settings on every run
    settings = []
    for index in range(RANDOM_SETTINGS):
        warmup, training = _lengths(rng, index)
        lr = rng.choice([1e-3, 0.1, 3e-4, rng.uniform(1e-5, 1.0)])
        recipe_settings = recipe.settings(rng, lr, warmup, training)
        settings.append({**recipe_settings, "EPOCHS": 1, "STEPS_IN_EPOCH": recipe_settings["NUM_TRAINING_STEPS"]})
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


def test_past_a_trough_cosineannealinglr_is_not_exact():
    """What the cosine and WSD pages say of num_cycles above 0.5, where the cosine passes a trough
    and rises again during training: CosineAnnealingLR's recursive update then divides by
    1 + cos(...) = 0 when a trough falls on a whole step but T_max is not a whole number, and
    elsewhere drifts from transformers' closed form by more than 1e-12."""
    cosine = RECIPES["recipe-cosine"]
    crash = {"LEARNING_RATE": 1e-3, "NUM_WARMUP_STEPS": 8, "NUM_TRAINING_STEPS": 40, "NUM_CYCLES": 3, "EPOCHS": 1, "STEPS_IN_EPOCH": 40}
    with pytest.raises(ZeroDivisionError, match="float division by zero") as error:
        run_page_code(cosine.script, crash)
    frames = [frame for frame, _ in __import__("traceback").walk_tb(error.tb) if frame.f_code.co_filename == str(cosine.script)]
    assert frames and len(frames[0].f_locals["lrs"]) == 25  # steps 0..24 ran; computing step 25 divides by 0
    wsd = RECIPES["recipe-wsd"]
    drift = {"LEARNING_RATE": 1e-3, "NUM_WARMUP_STEPS": 187, "NUM_TRAINING_STEPS": 2640, "NUM_DECAY_STEPS": 2352,
             "MIN_LR_RATIO": 0.1, "NUM_CYCLES": 2.3888203011121214, "EPOCHS": 1, "STEPS_IN_EPOCH": 2640}
    ours, _ = run_page_code(wsd.script, drift)
    theirs = run_transformers(wsd, drift)
    worst = max(abs(a - b) / max(abs(a), abs(b)) for a, b in zip(ours, theirs))
    assert 1e-12 < worst < 1e-10


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
    assert not close(1e-5, 1e-5 + 2e-16, 1.0) and close(1e-5, 1e-5 + 5e-17, 1.0)
