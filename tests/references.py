"""Independent references for the published learning-rate curves: pure Python, no torch.

Each reference computes, from a scheduler's class name and keyword arguments as the manifest
(`schedules.json`) publishes them, the value in effect at every step t = 0, 1, ...: the lr the
optimizer holds while step t runs (recorded after `optimizer.step()`, before `scheduler.step()`).

The formulas are PyTorch's documented ones (docstrings of torch.optim.lr_scheduler, torch 2.13),
written as closed forms of the step count wherever the docs give one, not as a transcription of
torch's recursive `get_lr()`. Defaults are those of torch's signatures, written out here in each
function's keyword arguments; an argument a reference does not know is a TypeError, so a new
argument in a gallery script cannot be silently ignored.

Two kinds of reference:

CLOSED_FORMS   class -> f(base_lr, t, **kwargs): the lr at the scheduler's own step t, given
               the optimizer's initial lr. Only these can be nested in SequentialLR and
               ChainedScheduler, which are modelled from them.
SERIES         class -> f(run, **kwargs) -> {"lr": [...], "momentum": [...]}: schedulers that
               also drive the momentum, read a metric, or compose other schedulers.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass


class NoReference(Exception):
    """The manifest names a scheduler (or a nesting of schedulers) no reference here models."""


@dataclass(frozen=True)
class Run:
    """What a scheduler starts from, as the manifest publishes it."""

    lr: float  # the optimizer's lr when the scheduler is built
    momentum: float | None  # the optimizer's momentum (SGD's), if it has one
    steps: int
    metric: list[float] | None = None  # ReduceLROnPlateau's input, one value per step


def callable_from_source(source: str):
    """A lambda or a `def` as the manifest gives it (source text), with `math` in scope."""
    namespace = {"math": math}
    try:
        return eval(source, namespace)  # a lambda expression
    except SyntaxError:
        exec(source, namespace)  # a function definition: take the function it defines
        functions = [value for key, value in namespace.items() if key not in ("math", "__builtins__")]
        if len(functions) != 1 or not callable(functions[0]):
            raise NoReference(f"cannot turn this source into one function: {source!r}")
        return functions[0]


# ----------------------------------------------------------------------------------------------
# Closed forms: lr at the scheduler's own step t, from the initial lr.
# ----------------------------------------------------------------------------------------------


def step_lr(base_lr, t, *, step_size, gamma=0.1):
    # Docs: lr = base_lr * gamma ** (epoch // step_size).
    return base_lr * gamma ** (t // step_size)


def multi_step_lr(base_lr, t, *, milestones, gamma=0.1):
    # Docs: decayed by gamma once the step count reaches each milestone (a repeated milestone
    # decays once per occurrence).
    return base_lr * gamma ** sum(1 for milestone in milestones if milestone <= t)


def constant_lr(base_lr, t, *, factor=1.0 / 3, total_iters=5):
    # Docs: base_lr * factor until total_iters steps, then base_lr. (torch's recursive form never
    # restores the lr when total_iters=0; no gallery example uses that.)
    return base_lr * factor if t < total_iters else base_lr


def linear_lr(base_lr, t, *, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
    # Docs: the factor moves linearly from start_factor to end_factor over total_iters steps.
    return base_lr * (start_factor + (end_factor - start_factor) * min(t, total_iters) / total_iters)


def exponential_lr(base_lr, t, *, gamma):
    return base_lr * gamma**t


def polynomial_lr(base_lr, t, *, total_iters=5, power=1.0):
    # Docs: base_lr * (1 - min(t, total_iters) / total_iters) ** power.
    return base_lr * (1.0 - min(t, total_iters) / total_iters) ** power


def cosine_annealing_lr(base_lr, t, *, T_max, eta_min=0.0):
    # Docs (SGDR, without restarts): eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2.
    # torch computes it recursively; this is the closed form the docs say it approximates.
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2


def cosine_annealing_warm_restarts(base_lr, t, *, T_0, T_mult=1, eta_min=0.0):
    # Docs: the same cosine with T_cur = steps since the last restart, over cycles of T_0,
    # T_0 * T_mult, T_0 * T_mult**2, ... steps. Walk the cycles instead of solving for them.
    cycle_length, t_cur = T_0, t
    while t_cur >= cycle_length:
        t_cur -= cycle_length
        cycle_length *= T_mult
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * t_cur / cycle_length)) / 2


def lambda_lr(base_lr, t, *, lr_lambda):
    # Docs: base_lr times the function of the step count.
    return base_lr * callable_from_source(lr_lambda)(t)


def multiplicative_lr(base_lr, t, *, lr_lambda):
    # Docs: each step multiplies the previous lr by the function of the step count; construction
    # leaves the lr as is, so lr_t = base_lr * f(1) * f(2) * ... * f(t).
    function = callable_from_source(lr_lambda)
    lr = base_lr
    for k in range(1, t + 1):
        lr *= function(k)
    return lr


def warmup_cosine_lr(base_lr, t, *, warmup_steps, total_steps, eta_min=0.0):
    # The custom LRScheduler subclass of gallery/plot_custom_warmup_cosine.py, as written there:
    # linear warmup from 0 over warmup_steps, then a half cosine down to eta_min at total_steps.
    if t < warmup_steps:
        return base_lr * t / warmup_steps
    progress = (min(t, total_steps) - warmup_steps) / (total_steps - warmup_steps)
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * progress)) / 2


CLOSED_FORMS = {
    "StepLR": step_lr,
    "MultiStepLR": multi_step_lr,
    "ConstantLR": constant_lr,
    "LinearLR": linear_lr,
    "ExponentialLR": exponential_lr,
    "PolynomialLR": polynomial_lr,
    "CosineAnnealingLR": cosine_annealing_lr,
    "CosineAnnealingWarmRestarts": cosine_annealing_warm_restarts,
    "LambdaLR": lambda_lr,
    "MultiplicativeLR": multiplicative_lr,
    "WarmupCosineLR": warmup_cosine_lr,
}

# Schedulers that only ever multiply the current lr by a factor of their own step count, so in a
# ChainedScheduler their effects multiply: lr_t = base_lr * product of (closed form at t / base_lr).
# CosineAnnealingLR (additive eta_min), LambdaLR (overwrites the lr) and the others are not.
CHAINABLE = {"StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR", "MultiplicativeLR"}

# At a SequentialLR milestone torch sets the next scheduler to its step 0 from the initial lr
# (its closed form, or get_lr() where that is already a function of base_lrs). MultiplicativeLR
# instead multiplies whatever lr the previous scheduler left, so it is modelled only in first place.
SEQUENTIAL_FIRST_ONLY = {"MultiplicativeLR"}


def closed_form(spec: dict, base_lr: float, t: int) -> float:
    if spec["class"] not in CLOSED_FORMS:
        raise NoReference(f"no closed-form reference for {spec['class']} in tests/references.py")
    return CLOSED_FORMS[spec["class"]](base_lr, t, **spec["kwargs"])


# ----------------------------------------------------------------------------------------------
# Whole-series references.
# ----------------------------------------------------------------------------------------------


def cyclic_lr(
    run,
    *,
    base_lr,
    max_lr,
    step_size_up=2000,
    step_size_down=None,
    mode="triangular",
    gamma=1.0,
    scale_fn=None,
    scale_mode="cycle",
    cycle_momentum=True,
    base_momentum=0.8,
    max_momentum=0.9,
):
    # Docs (Smith's CLR): the lr climbs linearly from base_lr towards max_lr over step_size_up
    # steps and back over step_size_down; the height is scaled by 1 (triangular), by 1/2 per
    # cycle (triangular2) or by gamma**step (exp_range). The momentum mirrors it from max_momentum
    # down towards base_momentum. CyclicLR sets the lr to base_lr at construction, whatever the
    # optimizer had, and the momentum to max_momentum.
    up = step_size_up
    down = step_size_up if step_size_down is None else step_size_down
    if scale_fn is not None:
        scale, by = callable_from_source(scale_fn), scale_mode
    elif mode == "triangular":
        scale, by = (lambda cycle: 1.0), "cycle"
    elif mode == "triangular2":
        scale, by = (lambda cycle: 0.5 ** (cycle - 1)), "cycle"
    elif mode == "exp_range":
        scale, by = (lambda step: gamma**step), "iterations"
    else:
        raise NoReference(f"CyclicLR mode {mode!r} has no reference")
    lrs, momentums = [], []
    for t in range(run.steps):
        cycle, position = t // (up + down) + 1, t % (up + down)  # cycles count from 1
        # Fraction of the way from base_lr to max_lr at this point of the triangle.
        height = position / up if position <= up else (up + down - position) / down
        height *= scale(cycle if by == "cycle" else t)
        lrs.append(base_lr + (max_lr - base_lr) * height)
        momentums.append(max_momentum - (max_momentum - base_momentum) * height)
    return {"lr": lrs, "momentum": momentums if cycle_momentum else [run.momentum] * run.steps}


def one_cycle_lr(
    run,
    *,
    max_lr,
    total_steps=None,
    epochs=None,
    steps_per_epoch=None,
    pct_start=0.3,
    anneal_strategy="cos",
    cycle_momentum=True,
    base_momentum=0.85,
    max_momentum=0.95,
    div_factor=25.0,
    final_div_factor=1e4,
    three_phase=False,
):
    # Docs: from initial_lr = max_lr / div_factor up to max_lr, then down to
    # min_lr = initial_lr / final_div_factor; with three_phase, back down to initial_lr
    # symmetrically first, then to min_lr. The momentum moves inversely between max_momentum and
    # base_momentum (and stays at max_momentum in the third phase). The optimizer's own lr and
    # momentum are overwritten at construction.
    #
    # Phase ends, as torch computes them (lr_scheduler.py, OneCycleLR.__init__): phase 1 ends at
    # step float(pct_start * total_steps) - 1 (a fractional step: 8.6 for 0.3 * 32), the three-phase
    # middle phase at float(2 * pct_start * total_steps) - 2, the last at total_steps - 1. Each
    # phase interpolates over pct = (t - previous end) / (end - previous end); the first phase
    # that contains t (t <= end) is used, the last phase takes every t after.
    if total_steps is None:
        if epochs is None or steps_per_epoch is None:
            raise NoReference("OneCycleLR needs total_steps, or epochs and steps_per_epoch")
        total_steps = epochs * steps_per_epoch
    initial_lr = max_lr / div_factor
    min_lr = initial_lr / final_div_factor
    if three_phase:
        phases = [
            (float(pct_start * total_steps) - 1, initial_lr, max_lr, max_momentum, base_momentum),
            (float(2 * pct_start * total_steps) - 2, max_lr, initial_lr, base_momentum, max_momentum),
            (total_steps - 1, initial_lr, min_lr, max_momentum, max_momentum),
        ]
    else:
        phases = [
            (float(pct_start * total_steps) - 1, initial_lr, max_lr, max_momentum, base_momentum),
            (total_steps - 1, max_lr, min_lr, base_momentum, max_momentum),
        ]
    if anneal_strategy == "cos":
        # Cosine from start (pct = 0) to end (pct = 1), written around `end` as in the docs'
        # cosine annealing formula, so the very small min_lr at pct = 1 comes out exactly.
        def anneal(start, end, pct):
            return end + (start - end) * (1 + math.cos(math.pi * pct)) / 2
    elif anneal_strategy == "linear":
        # Written around `start`, as torch's `(end - start) * pct + start` is. At pct = 1 this
        # cancels: max_lr = 1e-3 down to min_lr = 4e-9 gives 4.000000000063e-09, 1.6e-11 off
        # min_lr relative to it, but 6e-20 absolute, far below 1e-12 of the lr range.
        # Writing it around `end` would flag that last step at a 1e-12 relative tolerance.
        def anneal(start, end, pct):
            return start + (end - start) * pct
    else:
        raise NoReference(f"OneCycleLR anneal_strategy {anneal_strategy!r} has no reference")
    if run.steps > total_steps:
        raise NoReference(f"OneCycleLR runs {total_steps} steps, the manifest has {run.steps}")
    lrs, momentums = [], []
    for t in range(run.steps):
        previous_end = 0.0
        for index, (end, start_lr, end_lr, start_momentum, end_momentum) in enumerate(phases):
            if t <= end or index == len(phases) - 1:
                pct = (t - previous_end) / (end - previous_end)
                lrs.append(anneal(start_lr, end_lr, pct))
                momentums.append(anneal(start_momentum, end_momentum, pct))
                break
            previous_end = end
    return {"lr": lrs, "momentum": momentums if cycle_momentum else [run.momentum] * run.steps}


def reduce_lr_on_plateau(
    run,
    *,
    mode="min",
    factor=0.1,
    patience=10,
    threshold=1e-4,
    threshold_mode="rel",
    cooldown=0,
    min_lr=0.0,
    eps=1e-8,
):
    # Docs: a metric value is an improvement when it beats the best so far by the threshold
    # (rel: best * (1 -/+ threshold); abs: best -/+ threshold, for min/max). Steps without
    # improvement are counted; steps in cooldown are not. When the count exceeds patience, the lr
    # becomes max(lr * factor, min_lr), unless that changes it by no more than eps; then the
    # count restarts and cooldown steps follow. lr[t] is the lr before the metric of step t is
    # handed over, so a reduction shows from the next step on.
    if run.metric is None or len(run.metric) != run.steps:
        raise NoReference("ReduceLROnPlateau needs the published `metric` series, one value per step")
    if isinstance(min_lr, list):  # one value per parameter group; the gallery has one group
        (min_lr,) = min_lr
    sign = 1 if mode == "min" else -1 if mode == "max" else None
    if sign is None or threshold_mode not in ("rel", "abs"):
        raise NoReference(f"ReduceLROnPlateau mode={mode!r} threshold_mode={threshold_mode!r}")

    def improves(value, best):
        if best == sign * math.inf:  # nothing seen yet
            return True
        if threshold_mode == "rel":
            bar = best * (1 - sign * threshold)
        else:
            bar = best - sign * threshold
        return value < bar if mode == "min" else value > bar

    lr, best, bad_steps, cooldown_left = run.lr, sign * math.inf, 0, 0
    lrs = []
    for value in run.metric:
        lrs.append(lr)
        if improves(value, best):
            best, bad_steps = value, 0
        else:
            bad_steps += 1
        if cooldown_left > 0:
            cooldown_left -= 1
            bad_steps = 0
        if bad_steps > patience:
            reduced = max(lr * factor, min_lr)
            if lr - reduced > eps:
                lr = reduced
            cooldown_left, bad_steps = cooldown, 0
    return {"lr": lrs}


def sequential_lr(run, *, schedulers, milestones):
    # Docs: scheduler i runs from milestone i-1 (0 for the first) until milestone i; at its
    # milestone it starts from its own step 0, computed from the initial lr.
    if len(milestones) != len(schedulers) - 1:
        raise NoReference("SequentialLR needs one milestone fewer than schedulers")
    for sub in schedulers[1:]:
        if sub["class"] in SEQUENTIAL_FIRST_ONLY:
            raise NoReference(f"no reference for {sub['class']} after a SequentialLR milestone")
    starts = [0, *milestones]
    lrs = []
    for t in range(run.steps):
        index = bisect_right(milestones, t)  # at t == milestone the next scheduler takes over
        lrs.append(closed_form(schedulers[index], run.lr, t - starts[index]))
    return {"lr": lrs}


def chained_scheduler(run, *, schedulers):
    # Docs: every step() steps each scheduler in turn on the same lr, so for schedulers that
    # multiply the lr by a factor of their step count the factors multiply.
    for sub in schedulers:
        if sub["class"] not in CHAINABLE:
            raise NoReference(f"no reference for {sub['class']} inside ChainedScheduler (not a pure factor)")
    lrs = []
    for t in range(run.steps):
        lr = run.lr
        for sub in schedulers:
            lr *= closed_form(sub, 1.0, t)  # the factor this scheduler applies at step t
        lrs.append(lr)
    return {"lr": lrs}


SERIES = {
    "CyclicLR": cyclic_lr,
    "OneCycleLR": one_cycle_lr,
    "ReduceLROnPlateau": reduce_lr_on_plateau,
    "SequentialLR": sequential_lr,
    "ChainedScheduler": chained_scheduler,
}


def missing_references(spec: dict) -> list[str]:
    """Scheduler classes in spec (itself and any nested sub-schedulers) with no reference.

    Nested schedulers are modelled from their closed forms only (see sequential_lr and
    chained_scheduler), so a nested class needs one.
    """
    missing = [] if spec["class"] in CLOSED_FORMS or spec["class"] in SERIES else [spec["class"]]
    for sub in spec["kwargs"].get("schedulers", []):
        if sub["class"] not in CLOSED_FORMS:
            missing.append(f"{sub['class']} (inside {spec['class']})")
    return missing


def reference(spec: dict, run: Run) -> dict[str, list[float]]:
    """The reference series ("lr", and "momentum" where the scheduler drives it) for spec."""
    if spec["class"] in SERIES:
        return SERIES[spec["class"]](run, **spec["kwargs"])
    return {"lr": [closed_form(spec, run.lr, t) for t in range(run.steps)]}
