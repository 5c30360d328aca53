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
import random
import re
import traceback
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
    """The code the page shows (as scripts/placeholders.py puts it there), without the plotting cell."""
    _, blocks = split_code_and_text_blocks(str(script))
    code = [content for label, content, _ in blocks if label == "code"]
    assert "plt.show()" in code[-1] and "scheduler" not in code[-1], f"{script.name}: the last cell must be the plot"
    return "\n\n".join(code[:-1])


class _Settings(ast.NodeTransformer):
    """Replace the value of top-level `NAME = ...` constants and of lambda defaults `name=...`;
    `expressions` replaces the value of top-level assignments by source text (a page's "replace
    the decay with ..." instructions)."""

    def __init__(self, settings: dict, expressions: dict | None = None):
        self.settings = settings
        self.expressions = expressions or {}
        self.replaced = set()

    def visit_Module(self, node):
        for statement in node.body:
            if not (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
            ):
                continue
            name = statement.targets[0].id
            if name in self.settings:
                statement.value = ast.Constant(self.settings[name])
                self.replaced.add(name)
            elif name in self.expressions:
                statement.value = ast.parse(self.expressions[name], mode="eval").body
                self.replaced.add(name)
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


def run_page_code(script: Path, settings: dict | None = None, expressions: dict | None = None) -> tuple[list[float], dict]:
    """The lrs the page's code records, with `settings` in place of the script's own values."""
    tree = ast.parse(page_code(script))
    if settings or expressions:
        transformer = _Settings(settings or {}, expressions)
        tree = ast.fix_missing_locations(transformer.visit(tree))
        wanted = set(settings or {}) | set(expressions or {})
        assert transformer.replaced == wanted, f"{script.name} has no setting {wanted - transformer.replaced}"
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
    # One optimizer.step(), before the first scheduler.step(): torch checks the order of the two only
    # at the scheduler's first step, and SGD's step without gradients changes no lr. A step per
    # training step cost as much as the scheduler's own step and changed nothing compared.
    optimizer.step()
    lrs = []
    for step in range(settings["NUM_TRAINING_STEPS"]):
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
    elsewhere drifts from transformers' closed form: to about 1e-11 near the troughs of a cosine down
    to 0, by more than 1e-12 where the WSD cosine comes back up to its peak."""
    cosine = RECIPES["recipe-cosine"]
    crash = {"LEARNING_RATE": 1e-3, "NUM_WARMUP_STEPS": 8, "NUM_TRAINING_STEPS": 40, "NUM_CYCLES": 3, "EPOCHS": 1, "STEPS_IN_EPOCH": 40}
    with pytest.raises(ZeroDivisionError, match="float division by zero") as error:
        run_page_code(cosine.script, crash)
    frames = [frame for frame, _ in traceback.walk_tb(error.tb) if frame.f_code.co_filename == str(cosine.script)]
    assert frames and len(frames[0].f_locals["lrs"]) == 25  # steps 0..24 ran; computing step 25 divides by 0
    near_trough = {"LEARNING_RATE": 1e-3, "NUM_WARMUP_STEPS": 34, "NUM_TRAINING_STEPS": 1005, "NUM_CYCLES": 1.0,
                   "EPOCHS": 1, "STEPS_IN_EPOCH": 1005}
    ours, _ = run_page_code(cosine.script, near_trough)
    theirs = run_transformers(cosine, near_trough)
    worst = max(abs(a - b) / max(abs(a), abs(b)) for a, b in zip(ours, theirs) if a != b)
    assert 1e-11 < worst < 1e-10  # "about 1e-11"
    wsd = RECIPES["recipe-wsd"]
    crash = {"LEARNING_RATE": 1e-3, "NUM_WARMUP_STEPS": 4, "NUM_TRAINING_STEPS": 32, "NUM_DECAY_STEPS": 8,
             "MIN_LR_RATIO": 0.1, "NUM_CYCLES": 3, "EPOCHS": 1, "STEPS_IN_EPOCH": 32}
    with pytest.raises(ZeroDivisionError, match="float division by zero"):
        run_page_code(wsd.script, crash)
    drift = {"LEARNING_RATE": 1e-3, "NUM_WARMUP_STEPS": 187, "NUM_TRAINING_STEPS": 2640, "NUM_DECAY_STEPS": 2352,
             "MIN_LR_RATIO": 0.1, "NUM_CYCLES": 2.3888203011121214, "EPOCHS": 1, "STEPS_IN_EPOCH": 2640}
    ours, _ = run_page_code(wsd.script, drift)
    theirs = run_transformers(wsd, drift)
    worst = max(abs(a - b) / max(abs(a), abs(b)) for a, b in zip(ours, theirs))
    assert 1e-12 < worst < 1e-10


def _random_runs(recipe_id: str, count: int, **overrides) -> list[dict]:
    """`count` of the recipe's random settings (not its edge cases), with some values overridden."""
    return [{**settings, **overrides} for settings in all_settings(recipe_id)[-count:]]


def _run(recipe_id, settings, expressions=None, transformers=None):
    recipe = RECIPES[recipe_id]
    ours, _ = run_page_code(recipe.script, settings, expressions)
    theirs = run_transformers(Recipe(recipe.script, transformers or recipe.transformers, None), settings)
    return ours, theirs


def test_the_usual_warmup_answer_differs_as_the_cosine_page_says():
    """recipe-cosine.md: SequentialLR([LinearLR(start_factor=s, total_iters=W), CosineAnnealingLR(T_max=N - W)],
    milestones=[W]) is higher than transformers by lr * s * (1 - t / W) at steps t < W, and agrees after."""
    import torch

    rng = random.Random("usual answer")
    for _ in range(30):
        training = rng.randint(2, 300)
        warmup = rng.randint(1, training - 1)
        lr, s = rng.choice([1e-3, 0.1, rng.uniform(1e-5, 1.0)]), rng.choice([0.1, 0.01, 1e-3, 1 / warmup])
        optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=lr, momentum=0.9)
        scheduler = torch.optim.lr_scheduler.SequentialLR(
            optimizer,
            [
                torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=s, total_iters=warmup),
                torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=training - warmup),
            ],
            milestones=[warmup],
        )
        usual = []
        for _ in range(training):
            optimizer.step()
            usual.append(optimizer.param_groups[0]["lr"])
            scheduler.step()
        settings = {"LEARNING_RATE": lr, "NUM_WARMUP_STEPS": warmup, "NUM_TRAINING_STEPS": training, "NUM_CYCLES": 0.5}
        theirs = run_transformers(RECIPES["recipe-cosine"], settings)
        for t, (a, b) in enumerate(zip(usual, theirs)):
            stated = lr * s * (1 - t / warmup) if t < warmup else 0.0
            assert abs((a - b) - stated) <= 1e-12 * lr, (t, a, b, stated, s, warmup, training)


def test_the_other_powers_and_decay_types_behave_as_the_pages_say():
    # recipe-polynomial.md: PolynomialLR in place of the decay is exact with lr_end=0; with lr_end > 0
    # it is lower by lr_end * (1 - (1 - k / (N - W)) ** power) at step k of the decay.
    polynomial = "torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=NUM_TRAINING_STEPS - NUM_WARMUP_STEPS or 1, power=%r)"
    rng = random.Random("powers")
    for settings in _random_runs("recipe-polynomial", 40):
        power = rng.choice([0.5, 2.0, 3.0, rng.uniform(0.1, 4.0)])
        for lr_end in (0.0, settings["LEARNING_RATE"] * rng.choice([1e-4, 0.1, 0.5])):
            settings = {**settings, "LR_END": lr_end}
            ours, theirs = _run(
                "recipe-polynomial",
                settings,
                {"decay": polynomial % power},
                lambda optimizer, s: transformers_optimization.get_polynomial_decay_schedule_with_warmup(
                    optimizer, s["NUM_WARMUP_STEPS"], s["NUM_TRAINING_STEPS"], lr_end=s["LR_END"], power=power
                ),
            )
            warmup, training, lr = settings["NUM_WARMUP_STEPS"], settings["NUM_TRAINING_STEPS"], settings["LEARNING_RATE"]
            if lr_end == 0.0:
                assert first_difference(ours, theirs, lr) is None, (settings, power)
            for t, (a, b) in enumerate(zip(ours, theirs)):
                stated = lr_end * (1 - (1 - (t - warmup) / (training - warmup)) ** power) if t >= warmup else 0.0
                assert abs((b - a) - stated) <= 1e-12 * lr, (t, a, b, stated, settings, power)
    # recipe-wsd.md: decay_type="linear" is the LinearLR of the table.
    linear = "LinearLR(optimizer, start_factor=1.0, end_factor=MIN_LR_RATIO, total_iters=NUM_DECAY_STEPS or 1)"
    for settings in _random_runs("recipe-wsd", 40):
        ours, theirs = _run(
            "recipe-wsd",
            settings,
            {"decay": linear},
            lambda optimizer, s: transformers_optimization.get_wsd_schedule(
                optimizer,
                s["NUM_WARMUP_STEPS"],
                s["NUM_DECAY_STEPS"],
                num_training_steps=s["NUM_TRAINING_STEPS"],
                decay_type="linear",
                min_lr_ratio=s["MIN_LR_RATIO"],
            ),
        )
        assert first_difference(ours, theirs, settings["LEARNING_RATE"]) is None, settings


def test_what_transformers_itself_does_at_the_edges():
    import torch

    # recipe-polynomial.md: lr_end must be below the optimizer's lr ...
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1e-3)
    with pytest.raises(ValueError, match=r"^lr_end \(0\.001\) must be smaller than initial lr \(0\.001\)$"):
        transformers_optimization.get_polynomial_decay_schedule_with_warmup(optimizer, 8, 32, lr_end=1e-3)
    # ... and a warmup as long as the training divides by zero at the last scheduler.step().
    scheduler = transformers_optimization.get_polynomial_decay_schedule_with_warmup(optimizer, 5, 5)
    for _ in range(4):
        optimizer.step()
        scheduler.step()
    optimizer.step()
    with pytest.raises(ZeroDivisionError, match="^division by zero$"):
        scheduler.step()


@pytest.mark.parametrize(
    "recipe_id, after",
    [
        ("recipe-constant-with-warmup", "same"),
        ("recipe-linear", "same"),  # both 0
        ("recipe-cosine", "same"),  # both rise again
        ("recipe-polynomial", "same"),  # both lr_end
        ("recipe-cosine-hard-restarts", "differ"),  # transformers 0, PyTorch restarts
        ("recipe-wsd", "differ"),  # transformers holds the floor, the cosine rises
    ],
)
def test_after_num_training_steps(recipe_id, after):
    """What the pages say happens if training goes on past num_training_steps."""
    import torch

    recipe = RECIPES[recipe_id]
    # WSD: the pages speak of the default num_cycles; polynomial: transformers itself cannot go on
    # past a warmup as long as the training (see test_what_transformers_itself_does_at_the_edges).
    overrides = {"NUM_CYCLES": 0.5} if recipe_id == "recipe-wsd" else {}
    runs = [s for s in _random_runs(recipe_id, 12, **overrides) if s["NUM_WARMUP_STEPS"] < s["NUM_TRAINING_STEPS"]]
    for settings in [None, *runs]:
        if settings is None:
            _, namespace = run_page_code(recipe.script)
            settings = {name: value for name, value in namespace.items() if name.isupper()}
        training = settings["NUM_TRAINING_STEPS"]
        longer = {**settings, "EPOCHS": 1, "STEPS_IN_EPOCH": 2 * training + 5}
        ours, _ = run_page_code(recipe.script, longer)
        optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=settings["LEARNING_RATE"], momentum=0.9)
        scheduler = recipe.transformers(optimizer, settings)
        theirs = []
        for _ in range(2 * training + 5):
            optimizer.step()
            theirs.append(optimizer.param_groups[0]["lr"])
            scheduler.step()
        difference = first_difference(ours, theirs, settings["LEARNING_RATE"])
        if after == "same":
            assert difference is None, (settings, difference)
        elif recipe_id == "recipe-cosine-hard-restarts" and training > settings["NUM_WARMUP_STEPS"]:
            assert theirs[training:] == [0.0] * (training + 5) and ours[training] == settings["LEARNING_RATE"], settings
        elif recipe_id == "recipe-wsd" and settings["NUM_DECAY_STEPS"] > 1 and settings["MIN_LR_RATIO"] < 1:
            floor = settings["MIN_LR_RATIO"] * settings["LEARNING_RATE"]
            assert all(close(value, floor, settings["LEARNING_RATE"]) for value in theirs[training:]), settings
            assert close(ours[training], floor, settings["LEARNING_RATE"]) and ours[training + 1] > floor * (1 + 1e-9), settings


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


def test_the_second_round_of_edge_cases_the_pages_state():
    """recipe-linear, recipe-cosine-hard-restarts: with the warmup as long as the training, step N
    gives the initial lr in the page's code (and in transformers' hard restarts), then 0.
    recipe-polynomial: W = N = 0 raises at transformers' construction, not in the page's code.
    recipe-inverse-sqrt: the decay starts at the initial lr whatever the timescale, and a timescale
    left at 8 under a longer warmup decays faster than transformers (slower under a shorter one)."""
    import torch

    for recipe_id, theirs_at_n in (("recipe-linear", 0.0), ("recipe-cosine-hard-restarts", 1.0)):
        _, namespace = run_page_code(RECIPES[recipe_id].script)
        settings = {name: value for name, value in namespace.items() if name.isupper()}
        settings.update(NUM_WARMUP_STEPS=10, NUM_TRAINING_STEPS=10, EPOCHS=1, STEPS_IN_EPOCH=13, LEARNING_RATE=1.0)
        ours, _ = run_page_code(RECIPES[recipe_id].script, settings)
        optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
        scheduler, theirs = RECIPES[recipe_id].transformers(optimizer, settings), []
        for _ in range(13):
            optimizer.step()
            theirs.append(optimizer.param_groups[0]["lr"])
            scheduler.step()
        assert ours[10] == 1.0 and theirs[10:] == [theirs_at_n, 0.0, 0.0], (recipe_id, ours, theirs)
        assert recipe_id != "recipe-linear" or ours[11:] == [0.0, 0.0], ours
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1e-3)
    with pytest.raises(ZeroDivisionError, match="^division by zero$"):
        transformers_optimization.get_polynomial_decay_schedule_with_warmup(optimizer, 0, 0)
    run_page_code(RECIPES["recipe-polynomial"].script, {"NUM_WARMUP_STEPS": 0, "NUM_TRAINING_STEPS": 0})
    inverse = RECIPES["recipe-inverse-sqrt"]
    for warmup, faster in ((16, True), (4, False)):
        settings = {"NUM_WARMUP_STEPS": warmup, "EPOCHS": 1, "STEPS_IN_EPOCH": 40}
        ours, namespace = run_page_code(inverse.script, settings)
        theirs = run_transformers(inverse, {**settings, "LEARNING_RATE": namespace["LEARNING_RATE"], "NUM_TRAINING_STEPS": 40})
        assert ours[warmup] == theirs[warmup] == namespace["LEARNING_RATE"]
        assert all((a < b) == faster and a != b for a, b in zip(ours[warmup + 1 :], theirs[warmup + 1 :])), warmup


def test_trainer_needs_num_decay_steps_and_takes_a_fractional_warmup():
    """recipe-wsd.md: get_scheduler without num_decay_steps, and TrainingArguments in 5.x."""
    import dataclasses
    import math
    import types

    import torch
    from transformers import TrainingArguments, get_scheduler

    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1e-3)
    message = "get_wsd_schedule() missing 1 required positional argument: 'num_decay_steps'"
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        get_scheduler("warmup_stable_decay", optimizer, num_warmup_steps=4, num_training_steps=32)
    get_scheduler("warmup_stable_decay", optimizer, 4, 32, scheduler_specific_kwargs={"num_decay_steps": 8})
    # Read from the dataclass itself: constructing TrainingArguments needs accelerate, which the
    # site's tests do not install.
    assert "warmup_ratio" not in {field.name for field in dataclasses.fields(TrainingArguments)}
    for fraction, training in ((0.1, 32), (0.05, 1001), (0.5, 3)):
        arguments = types.SimpleNamespace(warmup_steps=fraction)
        assert TrainingArguments.get_warmup_steps(arguments, training) == math.ceil(training * fraction)
    assert TrainingArguments.get_warmup_steps(types.SimpleNamespace(warmup_steps=8), 32) == 8


def test_the_per_group_wsd_decay_of_the_page_equals_transformers_in_every_group():
    """recipe-wsd.md, "Several parameter groups": its LambdaLR in place of the decay, two groups."""
    import torch

    page = (ROOT / "docs" / "schedulers" / "recipe-wsd.md").read_text(encoding="utf-8")
    snippet = re.search(r"## Several parameter groups\n.*?```python\n(.*?)```", page, re.S)[1]
    decay = next(node for node in ast.parse(snippet).body if isinstance(node, ast.Assign) and node.targets[0].id == "decay")
    assert "eta_min" not in snippet and "LambdaLR" in snippet
    two_groups = (
        "torch.optim.SGD([{'params': [model.weight], 'lr': LEARNING_RATE}, "
        "{'params': [model.bias], 'lr': 10 * LEARNING_RATE}], lr=LEARNING_RATE, momentum=0.9)"
    )
    script = RECIPES["recipe-wsd"].script
    for settings in [None, *_random_runs("recipe-wsd", 40)]:
        for group in (0, 1):
            code = "import math\nfrom torch.optim.lr_scheduler import LambdaLR\n" + page_code(script).replace('param_groups[0]["lr"]', f'param_groups[{group}]["lr"]')
            transformer = _Settings(settings or {}, {"optimizer": two_groups, "decay": ast.unparse(decay.value)})
            tree = ast.fix_missing_locations(transformer.visit(ast.parse(code)))
            namespace = {"__name__": "recipe"}
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                exec(compile(tree, str(script), "exec"), namespace)
            s = {name: value for name, value in namespace.items() if name.isupper()}
            model = torch.nn.Linear(2, 1)
            optimizer = torch.optim.SGD(
                [{"params": [model.weight], "lr": s["LEARNING_RATE"]}, {"params": [model.bias], "lr": 10 * s["LEARNING_RATE"]}],
                lr=s["LEARNING_RATE"],
            )
            scheduler = RECIPES["recipe-wsd"].transformers(optimizer, s)
            theirs = []
            for _ in range(s["NUM_TRAINING_STEPS"]):
                optimizer.step()
                theirs.append(optimizer.param_groups[group]["lr"])
                scheduler.step()
            initial = s["LEARNING_RATE"] * (10 if group else 1)
            assert first_difference(namespace["lrs"], theirs, initial) is None, (settings, group)
