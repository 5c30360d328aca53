"""The LLM-era and timm pages: each page's own code against timm's schedulers.

The pages' code (gallery/plot_wsd_1_sqrt.py, plot_wsd_branched_cooldowns.py, plot_timm_*.py) is
run as the page shows it (tests/test_recipes.py's `run_page_code`: the code blocks without the
plot), with the page's settings and with at least 100 seeded random ones, given by replacing the
lambdas' defaults (and the script's constants). timm runs the same settings on its own optimizer,
stepped as timm's train.py steps it per update (`t_in_epochs=False`: `step_update(num_updates)`
after each update); the two must agree at every training step to a relative error of 1e-12, with
test_recipes' allowance below 1e-4 of the initial lr (`close`).

timm is a test dependency only (requirements-test-nodeps.txt, installed with --no-deps): no gallery
script imports it (checked below), so the site builds with torch alone.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import random
import sys
import types
from pathlib import Path

import pytest
from conftest import ROOT
from test_recipes import close, run_page_code


def _timm_schedulers():
    """timm's scheduler modules, as real timm code, without timm's package __init__.

    `import timm` imports timm.layers and timm.models, which need torchvision; torchvision is not
    installed here (its wheel pins another torch). timm.scheduler needs only torch: an empty package
    module whose __path__ is timm's own folder lets `timm.scheduler.*` import from the installed
    files, with nothing of timm's __init__ run."""
    if "timm" not in sys.modules:
        spec = importlib.util.find_spec("timm")
        if spec is None or spec.origin is None:
            if os.environ.get("CI"):
                pytest.fail("timm is not installed: pip install --no-deps -r requirements-test-nodeps.txt")
            pytest.skip("timm is not installed (pip install --no-deps -r requirements-test-nodeps.txt)")
        package = types.ModuleType("timm")
        package.__path__ = [str(Path(spec.origin).parent)]
        sys.modules["timm"] = package
    from timm.scheduler.cosine_lr import CosineLRScheduler
    from timm.scheduler.wsd_lr import WSDLRScheduler

    return types.SimpleNamespace(CosineLRScheduler=CosineLRScheduler, WSDLRScheduler=WSDLRScheduler)


GALLERY = ROOT / "gallery"
RANDOM_SETTINGS = 100
TIMM_VERSION = "1.0.31"


def timm_lrs(make, learning_rate: float, steps: int) -> list[float]:
    """The lr in effect at each of `steps` updates under a timm scheduler stepped per update. No
    optimizer.step() between updates: timm's schedulers read and write only param_groups (they do
    not check the order of calls as torch's do), and SGD's step without gradients changes no lr;
    a step per update cost as much as the page code's own steps (the WSD sweep under cProfile:
    89 s of 125 s in optimizer.step, half of the calls here) and changed nothing compared."""
    import torch

    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=learning_rate, momentum=0.9)
    scheduler = make(optimizer)
    lrs = []
    for num_updates in range(1, steps + 1):
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step_update(num_updates=num_updates)
    return lrs


def first_difference(ours: list[float], theirs: list[float], initial_lr: float) -> str | None:
    if len(ours) != len(theirs):
        return f"the page's code recorded {len(ours)} steps, timm {len(theirs)}"
    for step, (mine, wanted) in enumerate(zip(ours, theirs)):
        if not close(mine, wanted, initial_lr):
            return f"step {step}: the page's code {mine!r}, timm {wanted!r}"
    return None


def _run(settings: dict, learning_rate: float, steps: int) -> dict:
    return {"LEARNING_RATE": learning_rate, "EPOCHS": 1, "STEPS_IN_EPOCH": steps, **settings}


# ------------------------------------------------------------------------------------ timm itself


def test_timm_is_the_pinned_version_and_no_gallery_script_imports_it():
    import importlib.metadata

    _timm_schedulers()
    assert importlib.metadata.version("timm") == TIMM_VERSION  # the pages name this version
    for path in sorted(GALLERY.glob("plot_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        assert "timm" not in imported, f"gallery/{path.name} imports timm: the site must build with torch alone"


# ----------------------------------------------------------------------------- WSD, three cooldowns


def _wsd(timm, w, n, d, decay_fn):
    return lambda optimizer: timm.WSDLRScheduler(
        optimizer, t_initial=n - w, decay_t=d, warmup_t=w, decay_fn=decay_fn, t_in_epochs=False
    )


def _wsd_settings(rng: random.Random, index: int) -> tuple[dict, float]:
    edges = [(0, 1, 1), (0, 5, 5), (1, 2, 1), (3, 4, 1), (4, 32, 28), (0, 20_000, 2_000)]
    if index < len(edges):
        w, n, d = edges[index]
    else:
        n = rng.choice([rng.randint(2, 100), rng.randint(100, 3000)])
        w = rng.randint(0, n - 1)
        d = rng.randint(1, n - w)
    lr = rng.choice([1e-3, 3e-4, rng.uniform(1e-5, 1.0)])
    return {"w": w, "n": n, "d": d}, lr


def test_wsd_page_code_equals_timms_wsd_for_all_three_cooldowns():
    """gallery/plot_wsd_1_sqrt.py: the 1-sqrt scheduler and the linear and cosine cooldowns drawn
    beside it are timm's WSDLRScheduler with decay_fn="1-sqrt", "linear" and "cosine"."""
    timm = _timm_schedulers()
    script = GALLERY / "plot_wsd_1_sqrt.py"
    rng = random.Random("wsd-1-sqrt")
    runs = [({"w": 4, "n": 32, "d": 8}, 1e-3, None)]  # the page's own settings, as it runs them
    runs += [(*_wsd_settings(rng, index), True) for index in range(RANDOM_SETTINGS)]
    failures = []
    for lambda_settings, lr, replace in runs:
        w, n, d = (lambda_settings[key] for key in "wnd")
        settings = _run(lambda_settings, lr, n) if replace else None
        ours, namespace = run_page_code(script, settings)
        curves = {"1-sqrt": ours, **namespace["other_lrs"]}
        assert set(curves) == {"1-sqrt", "linear", "cosine"}
        for decay_fn, values in curves.items():
            theirs = timm_lrs(_wsd(timm, w, n, d, decay_fn), lr, n)
            if difference := first_difference(values, theirs, lr):
                failures.append(f"{decay_fn} {lambda_settings} lr={lr}: {difference}")
    assert not failures, f"{len(failures)} differ:\n  " + "\n  ".join(failures[:5])


# ----------------------------------------------------------------------- branched cooldowns


def test_branched_cooldowns_equal_timms_wsd_of_each_length():
    """gallery/plot_wsd_branched_cooldowns.py: the constant run up to a branch, then the branch's
    cooldown, is timm's WSDLRScheduler (1-sqrt) of that branch's length."""
    timm = _timm_schedulers()
    script = GALLERY / "plot_wsd_branched_cooldowns.py"
    rng = random.Random("wsd-branched-cooldowns")
    runs = [(None, None)]
    for _ in range(RANDOM_SETTINGS):
        w = rng.randint(1, 50)  # step / w: the page's warmup is at least one step
        branches = {}
        for _ in range(rng.randint(1, 3)):
            n = rng.randint(w + 1, w + rng.choice([10, 200, 2000]))
            branches[n] = rng.randint(1, n - w)
        runs.append(({"w": w, "branches": branches}, rng.choice([1e-3, rng.uniform(1e-5, 1.0)])))
    failures = []
    for index, (run, lr) in enumerate(runs):
        if run is None:
            ours, namespace = run_page_code(script)
            w, lr = 4, namespace["LEARNING_RATE"]
        else:
            w, branches = run["w"], run["branches"]
            settings = _run({"w": w}, lr, max(branches))
            ours, namespace = run_page_code(script, settings, {"BRANCHES": repr(branches)})
        assert len(ours) == namespace["EPOCHS"] * namespace["STEPS_IN_EPOCH"]
        for n, d in namespace["BRANCHES"].items():
            branch = ours[: n - d] + namespace["cooldown_lrs"][n]
            theirs = timm_lrs(_wsd(timm, w, n, d, "1-sqrt"), lr, n)
            if difference := first_difference(branch, theirs, lr):
                failures.append(f"run {index}, w={w}, n={n}, d={d}, lr={lr}: {difference}")
    assert not failures, f"{len(failures)} differ:\n  " + "\n  ".join(failures[:5])


# --------------------------------------------------------------------------- timm's cosine


def _cosine_settings(rng: random.Random) -> dict:
    return {
        "t_initial": rng.choice([1, 2, rng.randint(3, 50), rng.randint(50, 2000)]),
        "cycle_mul": rng.choice([1.0, 1.0, 2.0, 1.5, rng.uniform(1.01, 3.0)]),
        "cycle_decay": rng.choice([1.0, 0.5, rng.uniform(0.1, 1.0)]),
        "cycle_limit": rng.choice([1, 2, rng.randint(3, 10)]),
        "k_decay": rng.choice([1.0, 1.0, 0.5, 2.0, rng.uniform(0.2, 4.0)]),
        "warmup_t": rng.choice([0, 1, rng.randint(2, 30), rng.randint(30, 500)]),
        "warmup_ratio": rng.choice([0.0, 0.01, rng.uniform(0.0, 0.5)]),
        "warmup_prefix": rng.choice([True, False]),
        "min_ratio": rng.choice([0.0, 0.01, rng.uniform(0.0, 0.2)]),
    }


def _timm_cosine(timm, s: dict, lr: float):
    return lambda optimizer: timm.CosineLRScheduler(
        optimizer,
        t_initial=s["t_initial"],
        lr_min=s["min_ratio"] * lr,
        cycle_mul=s["cycle_mul"],
        cycle_decay=s["cycle_decay"],
        cycle_limit=s["cycle_limit"],
        warmup_t=s["warmup_t"],
        warmup_lr_init=s["warmup_ratio"] * lr,
        warmup_prefix=s["warmup_prefix"],
        k_decay=s["k_decay"],
        t_in_epochs=False,
    )


def test_timm_cosine_page_code_equals_timm():
    timm = _timm_schedulers()
    script = GALLERY / "plot_timm_cosine.py"
    page = {"t_initial": 8, "cycle_mul": 2.0, "cycle_decay": 0.5, "cycle_limit": 2, "k_decay": 1.0, "warmup_t": 4,
            "warmup_ratio": 0.01, "warmup_prefix": True, "min_ratio": 0.01}
    ours, namespace = run_page_code(script)
    assert first_difference(ours, timm_lrs(_timm_cosine(timm, page, 1e-3), 1e-3, 32), 1e-3) is None
    rng = random.Random("timm-cosine")
    failures = []
    for _ in range(RANDOM_SETTINGS):
        settings = _cosine_settings(rng)
        lr = rng.choice([1e-3, 0.1, rng.uniform(1e-5, 1.0)])
        steps = rng.choice([1, rng.randint(2, 200), rng.randint(200, 5000)])
        ours, _ = run_page_code(script, _run(settings, lr, steps))
        theirs = timm_lrs(_timm_cosine(timm, settings, lr), lr, steps)
        if difference := first_difference(ours, theirs, lr):
            failures.append(f"{settings} lr={lr} steps={steps}: {difference}")
    assert not failures, f"{len(failures)} of {RANDOM_SETTINGS} differ:\n  " + "\n  ".join(failures[:5])


def test_timm_noise_is_what_the_rebuild_leaves_out():
    """timm-cosine.md: with noise_range_t, timm multiplies the lr by 1 + noise drawn from a
    torch.Generator seeded with noise_seed + t; the rebuild has none, so the two differ exactly there."""
    timm = _timm_schedulers()
    page = {"t_initial": 8, "cycle_mul": 2.0, "cycle_decay": 0.5, "cycle_limit": 2, "k_decay": 1.0, "warmup_t": 4,
            "warmup_ratio": 0.01, "warmup_prefix": True, "min_ratio": 0.01}
    ours, _ = run_page_code(GALLERY / "plot_timm_cosine.py")

    def noisy(optimizer):
        scheduler = _timm_cosine(timm, page, 1e-3)(optimizer)
        scheduler.noise_range_t = 16
        return scheduler

    theirs = timm_lrs(noisy, 1e-3, 32)
    # step_update(16) sets the lr of update 16 (step 16 of the page), the first with noise
    assert first_difference(ours[:16], theirs[:16], 1e-3) is None
    assert all(not close(a, b, 1e-3) for a, b in zip(ours[16:], theirs[16:]))


# ---------------------------------------------------------------------- what the pages quote of torch


def test_linearlr_refuses_a_start_factor_of_zero_as_the_pages_quote():
    import torch

    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1e-3)
    with pytest.raises(
        ValueError, match=r"^Starting multiplicative factor expected to be greater than 0 and less or equal to 1\.$"
    ):
        torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.0)


def test_the_warmup_from_zero_is_exact_and_d2z_reaches_zero_after_the_run():
    _, namespace = run_page_code(GALLERY / "plot_warmup_from_zero.py")
    lrs, lr = namespace["lrs"], namespace["LEARNING_RATE"]
    assert lrs[:9] == [lr * step / 8 for step in range(9)] and lrs[0] == 0.0
    # D2Z: one step longer than the page, the lr at TRAINING_STEPS is exactly 0.
    longer = _run({"TRAINING_STEPS": 32}, 1e-3, 33)
    ours, namespace = run_page_code(GALLERY / "plot_d2z_vs_cosine.py", longer)
    assert ours[32] == 0.0 and ours[31] > 0.0
    assert min(namespace["cosine_lrs"][4:]) > 1e-4  # the cosine's floor, a tenth of the peak, comes after the run too


def test_the_comparison_can_fail():
    timm = _timm_schedulers()
    ours, _ = run_page_code(GALLERY / "plot_wsd_1_sqrt.py")
    theirs = timm_lrs(_wsd(timm, 4, 32, 8, "linear"), 1e-3, 32)
    assert first_difference(ours, theirs, 1e-3).startswith("step 25:")


def test_the_built_in_warmup_from_zero_gives_the_same_factors():
    """warmup-from-zero.md: ConstantLR(factor=0.0, total_iters=1), then LinearLR(start_factor=1 / w,
    total_iters=w - 1) from milestone 1, is min(1, t / w) times the initial lr; LinearLR from
    start_factor=1 / w is higher by lr / w * (1 - t / w) during the warmup."""
    import torch
    from torch.optim.lr_scheduler import ConstantLR, LinearLR, SequentialLR

    for w in range(2, 40):
        for make in ("built-in", "linear"):
            optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1e-3, momentum=0.9)
            if make == "built-in":
                zero = ConstantLR(optimizer, factor=0.0, total_iters=1)
                climb = LinearLR(optimizer, start_factor=1 / w, total_iters=w - 1)
                scheduler = SequentialLR(optimizer, [zero, climb], milestones=[1])
            else:
                scheduler = LinearLR(optimizer, start_factor=1 / w, total_iters=w)
            for t in range(2 * w):
                optimizer.step()
                wanted = 1e-3 * min(1.0, t / w) + (1e-3 / w * (1 - t / w) if make == "linear" and t < w else 0.0)
                assert abs(optimizer.param_groups[0]["lr"] - wanted) <= 1e-12 * 1e-3, (make, w, t)
                scheduler.step()


def test_what_the_figures_show_of_the_cooldowns():
    """wsd-1-sqrt.md: the 1-sqrt cooldown is below the linear one at every cooldown step; the cosine
    starts above both and ends below both. d2z-vs-cosine.md: after the warmup the cosine is above the
    linear decay, except at steps 22 to 27, where it dips below it."""
    ours, namespace = run_page_code(GALLERY / "plot_wsd_1_sqrt.py")
    linear, cosine = namespace["other_lrs"]["linear"], namespace["other_lrs"]["cosine"]
    cooldown = range(25, 32)
    assert all(ours[t] < linear[t] for t in cooldown)
    assert cosine[25] > max(ours[25], linear[25]) and cosine[31] < min(ours[31], linear[31])
    ours, namespace = run_page_code(GALLERY / "plot_d2z_vs_cosine.py")
    below = [t for t, (c, d) in enumerate(zip(namespace["cosine_lrs"], ours)) if t > 4 and c <= d]
    assert below == list(range(22, 28))


def test_timm_cosine_stepped_per_epoch_is_the_same_lambda_stepped_per_epoch():
    """timm-cosine.md, timm's stepping: with t_in_epochs=True (timm's default), train.py calls
    step(epoch + 1) after each epoch (and step_update after each update, which then does nothing);
    the page's LambdaLR stepped once per epoch gives the same lr at every update."""
    import torch

    timm = _timm_schedulers()
    _, namespace = run_page_code(GALLERY / "plot_timm_cosine.py")
    lr_lambda = namespace["scheduler"].lr_lambdas[0]
    page = {"t_initial": 8, "cycle_mul": 2.0, "cycle_decay": 0.5, "cycle_limit": 2, "k_decay": 1.0, "warmup_t": 4,
            "warmup_ratio": 0.01, "warmup_prefix": True, "min_ratio": 0.01}
    epochs, updates_per_epoch = 40, 3
    runs = []
    for kind in ("timm", "torch"):
        optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1e-3, momentum=0.9)
        if kind == "timm":
            scheduler = timm.CosineLRScheduler(
                optimizer, t_initial=8, lr_min=1e-5, cycle_mul=2.0, cycle_decay=0.5, cycle_limit=2, warmup_t=4,
                warmup_lr_init=1e-5, warmup_prefix=True, t_in_epochs=True,
            )
        else:
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
        lrs, num_updates = [], 0
        for epoch in range(epochs):
            for _ in range(updates_per_epoch):
                optimizer.step()
                lrs.append(optimizer.param_groups[0]["lr"])
                num_updates += 1
                if kind == "timm":
                    scheduler.step_update(num_updates=num_updates)
            scheduler.step(epoch + 1) if kind == "timm" else scheduler.step()
        runs.append(lrs)
    assert page and first_difference(runs[1], runs[0], 1e-3) is None


# ----------------------------------------------------------------------- timm's step and multistep


def _step_settings(rng: random.Random, multistep: bool) -> dict:
    settings = {"w": rng.choice([1, 2, rng.randint(3, 50)]), "r": rng.choice([0.0, 0.01, rng.uniform(0.0, 0.9)])}
    settings["WARMUP_T"] = settings["w"]
    settings["DECAY_RATE"] = rng.choice([0.5, 0.1, rng.uniform(0.05, 1.0)])
    if multistep:
        settings["DECAY_T"] = sorted(rng.sample(range(1, 400), rng.randint(1, 5)))
    else:
        settings["DECAY_T"] = rng.choice([1, 2, rng.randint(3, 100)])
    return settings


@pytest.mark.parametrize("name", ["step", "multistep"])
def test_timm_step_and_multistep_page_code_equals_timm(name):
    """timm-step.md, timm-multistep.md: warmup (prefix) then StepLR / MultiStepLR with milestones
    m - 1 is timm's StepLRScheduler / MultiStepLRScheduler stepped per update."""
    timm = _timm_schedulers()
    from timm.scheduler.multistep_lr import MultiStepLRScheduler
    from timm.scheduler.step_lr import StepLRScheduler

    script = GALLERY / f"plot_timm_{name}.py"
    timm_class = MultiStepLRScheduler if name == "multistep" else StepLRScheduler
    assert timm  # loaded timm.scheduler without timm's __init__

    def make(settings, lr):
        return lambda optimizer: timm_class(
            optimizer, decay_t=settings["DECAY_T"], decay_rate=settings["DECAY_RATE"], warmup_t=settings["w"],
            warmup_lr_init=settings["r"] * lr, warmup_prefix=True, t_in_epochs=False,
        )

    ours, namespace = run_page_code(script)
    page = {"w": 4, "r": 0.01, "DECAY_T": namespace["DECAY_T"], "DECAY_RATE": namespace["DECAY_RATE"]}
    assert namespace["WARMUP_T"] == 4
    assert first_difference(ours, timm_lrs(make(page, 1e-3), 1e-3, 32), 1e-3) is None
    rng = random.Random(f"timm-{name}")
    failures = []
    for _ in range(RANDOM_SETTINGS):
        settings = _step_settings(rng, name == "multistep")
        lr = rng.choice([1e-3, 0.1, rng.uniform(1e-5, 1.0)])
        steps = rng.choice([1, rng.randint(2, 100), rng.randint(100, 2000)])
        replaced = {key: value for key, value in settings.items() if key != "DECAY_T"}
        ours, _ = run_page_code(script, _run(replaced, lr, steps), {"DECAY_T": repr(settings["DECAY_T"])})
        if difference := first_difference(ours, timm_lrs(make(settings, lr), lr, steps), lr):
            failures.append(f"{settings} lr={lr} steps={steps}: {difference}")
    assert not failures, f"{len(failures)} of {RANDOM_SETTINGS} differ:\n  " + "\n  ".join(failures[:5])


def test_timm_multistep_applies_each_milestone_one_step_before_multisteplr():
    """timm-multistep.md: MultiStepLR given timm's decay_t unchanged is one step late at each milestone."""
    _timm_schedulers()
    from timm.scheduler.multistep_lr import MultiStepLRScheduler

    script = GALLERY / "plot_timm_multistep.py"
    ours, _ = run_page_code(script, None, {"decay": "MultiStepLR(optimizer, milestones=DECAY_T, gamma=DECAY_RATE)"})
    theirs = timm_lrs(
        lambda optimizer: MultiStepLRScheduler(optimizer, decay_t=[10, 20, 26], decay_rate=0.5, warmup_t=4,
                                               warmup_lr_init=1e-5, t_in_epochs=False), 1e-3, 32)
    differ = [t for t, (a, b) in enumerate(zip(ours, theirs)) if not close(a, b, 1e-3)]
    assert differ == [13, 23, 29]  # 4 + m - 1 for each m: timm has decayed, MultiStepLR not yet


# ------------------------------------------------------------------------------ timm's poly and tanh

# The pages' own settings, by the lambdas' names (gallery/plot_timm_poly.py, plot_timm_tanh.py).
POLY_PAGE = {"t_initial": 12, "power": 0.5, "cycle_mul": 1.0, "cycle_decay": 0.5, "cycle_limit": 2, "k_decay": 1.0,
             "warmup_t": 4, "warmup_ratio": 0.01, "warmup_prefix": True, "min_ratio": 0.01}
TANH_PAGE = {"t_initial": 28, "lb": -7.0, "ub": 3.0, "cycle_mul": 1.0, "cycle_decay": 1.0, "cycle_limit": 1,
             "warmup_t": 4, "warmup_ratio": 0.01, "warmup_prefix": False, "min_ratio": 0.01}


def _timm_class(name: str):
    _timm_schedulers()
    from timm.scheduler.poly_lr import PolyLRScheduler
    from timm.scheduler.tanh_lr import TanhLRScheduler

    return {"poly": PolyLRScheduler, "tanh": TanhLRScheduler}[name]


def _timm_cycles(name: str, s: dict, lr: float, t_in_epochs: bool = False):
    """timm's PolyLRScheduler / TanhLRScheduler on the settings of the page's lambda."""
    shape = {"power": s["power"], "k_decay": s["k_decay"]} if name == "poly" else {"lb": s["lb"], "ub": s["ub"]}
    return lambda optimizer: _timm_class(name)(
        optimizer, t_initial=s["t_initial"], lr_min=s["min_ratio"] * lr, cycle_mul=s["cycle_mul"],
        cycle_decay=s["cycle_decay"], cycle_limit=s["cycle_limit"], warmup_t=s["warmup_t"],
        warmup_lr_init=s["warmup_ratio"] * lr, warmup_prefix=s["warmup_prefix"], t_in_epochs=t_in_epochs, **shape,
    )


def _cycle_settings(name: str, rng: random.Random, index: int) -> dict:
    """Edge cases first (a cycle of one step, no warmup, warmup_prefix either way, a cycle_limit of
    0), then random settings."""
    settings = {
        "t_initial": rng.choice([1, 2, rng.randint(3, 50), rng.randint(50, 2000)]),
        "cycle_mul": rng.choice([1.0, 1.0, 2.0, 1.5, rng.uniform(1.01, 3.0)]),
        "cycle_decay": rng.choice([1.0, 0.5, rng.uniform(0.1, 1.0)]),
        "cycle_limit": rng.choice([1, 2, rng.randint(3, 10)]),
        "warmup_t": rng.choice([0, 1, rng.randint(2, 30), rng.randint(30, 500)]),
        "warmup_ratio": rng.choice([0.0, 0.01, rng.uniform(0.0, 0.5)]),
        "warmup_prefix": rng.choice([True, False]),
        "min_ratio": rng.choice([0.0, 0.01, rng.uniform(0.0, 0.2)]),
    }
    if name == "poly":
        settings["power"] = rng.choice([0.5, 1.0, 2.0, 0.1, rng.uniform(0.1, 4.0)])
        settings["k_decay"] = rng.choice([1.0, 1.0, 0.5, 2.0, rng.uniform(0.2, 4.0)])
    else:
        settings["lb"], settings["ub"] = rng.choice([(-7.0, 3.0), (-7.0, 3.0), tuple(sorted(rng.sample(range(-12, 13), 2)))])
        settings["lb"], settings["ub"] = float(settings["lb"]), float(settings["ub"] + rng.random())
    edges = [
        {"t_initial": 1, "cycle_mul": 1.0, "cycle_limit": 1, "warmup_t": 0},
        {"t_initial": 1, "cycle_mul": 2.0, "cycle_limit": 3, "warmup_t": 1, "warmup_prefix": False},
        {"t_initial": 5, "cycle_limit": 0, "warmup_t": 3, "warmup_prefix": True},
        {"t_initial": 5, "cycle_limit": 0, "warmup_t": 3, "warmup_prefix": False},
        {"t_initial": 5, "cycle_limit": 0, "warmup_t": 0},
        {"t_initial": 7, "cycle_mul": 1.0, "cycle_limit": 2, "warmup_t": 7, "warmup_prefix": False, "warmup_ratio": 0.0},
        {"t_initial": 7, "cycle_mul": 1.0, "cycle_limit": 2, "warmup_t": 9, "warmup_prefix": False, "min_ratio": 0.0},
    ]
    return {**settings, **(edges[index] if index < len(edges) else {})}


@pytest.mark.parametrize("name", ["poly", "tanh"])
def test_timm_poly_and_tanh_page_code_equals_timm(name):
    """timm-poly.md, timm-tanh.md: the page's LambdaLR, stepped per batch, is timm's scheduler
    stepped with step_update, on the page's settings and on RANDOM_SETTINGS seeded random ones."""
    script = GALLERY / f"plot_timm_{name}.py"
    page = POLY_PAGE if name == "poly" else TANH_PAGE
    ours, namespace = run_page_code(script)
    assert len(ours) == namespace["EPOCHS"] * namespace["STEPS_IN_EPOCH"] == 32
    assert first_difference(ours, timm_lrs(_timm_cycles(name, page, 1e-3), 1e-3, 32), 1e-3) is None
    rng = random.Random(f"timm-{name}")
    failures = []
    without_warmup = 0
    for index in range(RANDOM_SETTINGS):
        settings = _cycle_settings(name, rng, index)
        lr = rng.choice([1e-3, 0.1, rng.uniform(1e-5, 1.0)])
        steps = rng.choice([1, rng.randint(2, 200), rng.randint(200, 5000)])
        ours, namespace = run_page_code(script, _run(settings, lr, steps))
        theirs = timm_lrs(_timm_cycles(name, settings, lr), lr, steps)
        if settings["warmup_t"] == 0:
            # The stated difference: without a warmup timm sets no lr before its first call, so
            # step 0 keeps the initial lr; the lambda gives its value at t = 0 (the same for poly
            # with cycle_limit >= 1: (1 - 0) ** power is 1).
            without_warmup += 1
            at_zero = lr * namespace["scheduler"].lr_lambdas[0](0)
            if theirs[0] != lr or ours[0] != at_zero:
                failures.append(f"{settings} lr={lr}: step 0 is {ours[0]!r} and timm's {theirs[0]!r}")
            if name == "poly" and settings["cycle_limit"] >= 1 and not close(ours[0], lr, lr):
                failures.append(f"{settings} lr={lr}: step 0 is {ours[0]!r}, not the initial lr")
            ours, theirs = ours[1:], theirs[1:]
        if difference := first_difference(ours, theirs, lr):
            failures.append(f"{settings} lr={lr} steps={steps}: {difference}")
    assert not failures, f"{len(failures)} of {RANDOM_SETTINGS} differ:\n  " + "\n  ".join(failures[:5])
    assert without_warmup >= 10  # the difference is tested, not only allowed


@pytest.mark.parametrize("name", ["poly", "tanh"])
def test_timm_poly_and_tanh_stepped_per_epoch_and_with_noise(name):
    """timm-poly.md, timm-tanh.md, timm's stepping and the proof: with t_in_epochs=True, train.py's
    step(epoch + 1) after each epoch matches the page's LambdaLR stepped once per epoch at every
    update; with noise_range_t, timm agrees with the lambda up to the first noisy step only."""
    import torch

    page = POLY_PAGE if name == "poly" else TANH_PAGE
    ours, namespace = run_page_code(GALLERY / f"plot_timm_{name}.py")
    lr_lambda = namespace["scheduler"].lr_lambdas[0]
    epochs, updates_per_epoch = 40, 3
    runs = []
    for kind in ("timm", "torch"):
        optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1e-3, momentum=0.9)
        scheduler = (_timm_cycles(name, page, 1e-3, t_in_epochs=True) if kind == "timm" else
                     lambda optimizer: torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda))(optimizer)
        lrs, num_updates = [], 0
        for epoch in range(epochs):
            for _ in range(updates_per_epoch):
                optimizer.step()
                lrs.append(optimizer.param_groups[0]["lr"])
                num_updates += 1
                if kind == "timm":
                    scheduler.step_update(num_updates=num_updates)  # does nothing with t_in_epochs=True
            scheduler.step(epoch + 1) if kind == "timm" else scheduler.step()
        runs.append(lrs)
    assert len(set(runs[0])) > 10 and first_difference(runs[1], runs[0], 1e-3) is None

    def noisy(optimizer):
        scheduler = _timm_cycles(name, page, 1e-3)(optimizer)
        scheduler.noise_range_t = 16
        return scheduler

    theirs = timm_lrs(noisy, 1e-3, 32)
    # step_update(16) sets the lr of update 16 (step 16 of the page), the first with noise
    assert first_difference(ours[:16], theirs[:16], 1e-3) is None
    assert all(not close(a, b, 1e-3) for a, b in zip(ours[16:], theirs[16:]))


def test_timm_warmups_without_prefix_aim_where_the_pages_say():
    """timm-tanh.md, timm-poly.md: with warmup_prefix=False, timm's tanh warmup climbs in a straight
    line to the curve's value at warmup_t; the poly (and cosine) warmups climb towards the initial lr
    and hand over at warmup_t to a lower value."""
    lr, w = 1e-3, 4
    tanh = timm_lrs(_timm_cycles("tanh", TANH_PAGE, lr), lr, 32)
    assert TANH_PAGE["warmup_prefix"] is False and tanh[w] < lr
    assert all(close(tanh[t], 1e-5 + t * (tanh[w] - 1e-5) / w, lr) for t in range(w + 1))
    poly = timm_lrs(_timm_cycles("poly", {**POLY_PAGE, "warmup_prefix": False}, lr), lr, 32)
    assert all(close(poly[t], 1e-5 + t * (lr - 1e-5) / w, lr) for t in range(w))
    assert poly[w] < 1e-5 + w * (lr - 1e-5) / w == lr
    timm = _timm_schedulers()
    cosine = timm_lrs(lambda optimizer: timm.CosineLRScheduler(
        optimizer, t_initial=28, lr_min=1e-5, warmup_t=w, warmup_lr_init=1e-5, t_in_epochs=False), lr, 32)
    assert all(close(cosine[t], 1e-5 + t * (lr - 1e-5) / w, lr) for t in range(w)) and cosine[w] < lr


def test_tanh_without_warmup_differs_at_step_0_by_what_the_page_states():
    """timm-tanh.md: without a warmup, step 0 is the initial lr in timm and c(0) times it in the
    LambdaLR, lower by (1 - r)(1 + tanh(lb)) / 2 of it; less than 1e-6 of it with lb=-7."""
    import math

    settings = {**TANH_PAGE, "warmup_t": 0}
    ours, _ = run_page_code(GALLERY / "plot_timm_tanh.py", _run(settings, 1e-3, 32))
    theirs = timm_lrs(_timm_cycles("tanh", settings, 1e-3), 1e-3, 32)
    stated = 1e-3 * (1 - settings["min_ratio"]) * (1 + math.tanh(settings["lb"])) / 2
    assert theirs[0] == 1e-3 and abs((theirs[0] - ours[0]) - stated) <= 1e-6 * stated
    assert 0 < stated < 1e-6 * 1e-3
    assert first_difference(ours[1:], theirs[1:], 1e-3) is None


def test_what_the_timm_poly_and_tanh_figures_show():
    """timm-poly.md: the last step of each decay is far above the floor (power=0.5) and the next
    step starts the next cycle or drops to lr_min. timm-tanh.md: the warmup ends at the curve's
    value, the tanh falls fastest between steps 19 and 20, where its argument crosses 0 (at
    0.7 of the 28 steps with lb=-7, ub=3), and step 27 is still above the floor."""
    poly, namespace = run_page_code(GALLERY / "plot_timm_poly.py")
    floor = namespace["LEARNING_RATE"] * POLY_PAGE["min_ratio"]
    assert poly[15] > 10 * floor and poly[16] == 0.5 * namespace["LEARNING_RATE"]
    assert poly[27] > 10 * floor and poly[28:] == [floor] * 4
    tanh, _ = run_page_code(GALLERY / "plot_timm_tanh.py")
    drops = [tanh[t] - tanh[t + 1] for t in range(4, 31)]
    assert drops.index(max(drops)) + 4 == 19
    assert -TANH_PAGE["lb"] / (TANH_PAGE["ub"] - TANH_PAGE["lb"]) * TANH_PAGE["t_initial"] == pytest.approx(19.6)
    assert tanh[16] > 0.9 * max(tanh) and tanh[27] > tanh[28] == tanh[31] == 1e-5
    assert tanh[4] == max(tanh) < 1e-3


def test_timm_factory_passes_what_the_pitfalls_say():
    """timm-poly.md, timm-tanh.md: create_scheduler_v2 passes decay_rate (0.1 by default) as the
    poly power, where the class's own default is 0.5, and passes no lb or ub to the tanh."""
    import inspect

    import torch

    _timm_schedulers()
    from timm.scheduler.scheduler_factory import create_scheduler_v2

    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1e-3)
    poly, _ = create_scheduler_v2(optimizer, sched="poly", num_epochs=10)
    assert poly.power == 0.1 and inspect.signature(type(poly)).parameters["power"].default == 0.5
    tanh, _ = create_scheduler_v2(optimizer, sched="tanh", num_epochs=10, decay_rate=0.5)
    assert (tanh.lb, tanh.ub) == (-7.0, 3.0)
    assert "lb" not in inspect.signature(create_scheduler_v2).parameters
