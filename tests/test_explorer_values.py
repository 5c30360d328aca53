"""Values torch refuses reach torch: a link passes each value on as torch would receive it (a float
where torch wants an int, a string torch does not know), and the explorer shows torch's own message,
not "left out of the link" and a default curve. Also the link's own limits (too many steps, long values).
"""

from __future__ import annotations

import json
import math
import subprocess

import pytest
import torch
from test_explorer import EXPLORER, node

LOOP = "&lr=0.001&momentum=0.9&epochs=4&steps_per_epoch=8"


def torch_message(name, kwargs):
    """What torch raises for these keyword arguments, built on a fresh SGD."""
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.001, momentum=0.9)
    try:
        getattr(torch.optim.lr_scheduler, name)(optimizer, **kwargs)
    except Exception as exc:  # noqa: BLE001  (torch's exception is what is under test)
        return f"{type(exc).__name__}: {exc}"
    return None


REFUSED = [
    ("scheduler=CosineAnnealingWarmRestarts&T_0=8&T_mult=1.5", "CosineAnnealingWarmRestarts", {"T_0": 8, "T_mult": 1.5}),
    ("scheduler=CosineAnnealingWarmRestarts&T_0=8.0", "CosineAnnealingWarmRestarts", {"T_0": 8.0}),
    ("scheduler=OneCycleLR&max_lr=0.1&anneal_strategy=cosine", "OneCycleLR", {"max_lr": 0.1, "anneal_strategy": "cosine", "epochs": 4, "steps_per_epoch": 8}),
    ("scheduler=ReduceLROnPlateau&mode=maximum", "ReduceLROnPlateau", {"mode": "maximum"}),
    ("scheduler=ReduceLROnPlateau&threshold_mode=relative", "ReduceLROnPlateau", {"threshold_mode": "relative"}),
    ("scheduler=CyclicLR&base_lr=0.001&max_lr=0.01&mode=triangle", "CyclicLR", {"base_lr": 0.001, "max_lr": 0.01, "mode": "triangle"}),
    ("scheduler=StepLR&step_size=2.5", "StepLR", None),  # torch takes a float step_size: a curve, no message
]


@pytest.mark.parametrize(("query", "name", "kwargs"), REFUSED)
def test_a_value_torch_refuses_reaches_torch_and_gives_its_message(query, name, kwargs):
    got = node(
        """
        const parsed = state.parseQuery(input);
        let message = null;
        try { engine.simulate(state.engineSettings(parsed.settings)); }
        catch (error) { message = `${error.type}: ${error.message}`; }
        print({ errors: parsed.errors, message, query: state.toQuery(parsed.settings), program: python.pythonProgram(parsed.settings) });
        """,
        query + LOOP,
    )
    assert got["errors"] == [], "the value must not be left out of the link"
    expected = torch_message(name, kwargs) if kwargs is not None else None
    assert got["message"] == expected
    # the link keeps the value as written, and the program passes it on as torch receives it
    for pair in query.split("&")[1:]:
        assert pair in got["query"], (pair, got["query"])
        key, value = pair.split("=")
        assert f"{key}={value if value[0].isdigit() else repr(value)}" in got["program"].replace('"', "'"), got["program"]
    if expected:
        run = subprocess.run([".venv/bin/python", "-c", got["program"]], capture_output=True, text=True, cwd=EXPLORER.parents[2], timeout=300)
        assert run.returncode != 0 and run.stderr.strip().splitlines()[-1] == expected, run.stderr[-500:]


def test_a_too_long_link_drops_the_epochs_only_and_says_so():
    got = node("print(state.parseQuery(input));", "scheduler=StepLR&step_size=4&epochs=100000&steps_per_epoch=100")
    assert (got["settings"]["epochs"], got["settings"]["steps_per_epoch"]) == (4, 100)
    assert [(e["param"], e["value"], e["problem"]) for e in got["errors"]] == [("epochs", "100000", "too_many_steps_epochs")]
    both = node("print(state.parseQuery(input));", "scheduler=StepLR&step_size=4&epochs=10&steps_per_epoch=900000")
    assert (both["settings"]["epochs"], both["settings"]["steps_per_epoch"]) == (4, 8)
    assert {e["param"] for e in both["errors"]} == {"epochs", "steps_per_epoch"}


def test_the_problems_box_shortens_long_values():
    long_value = "9" * 500_000
    got = node("print(state.parseQuery(input).errors);", f"scheduler=StepLR&gamma=x{long_value}&pin=scheduler=StepLR;gamma=y{long_value}")
    assert got and all(len(e["value"]) <= 80 for e in got), [len(e["value"]) for e in got]
    assert all(e["value"].endswith("…") for e in got)


def test_a_run_torch_stops_part_way_is_a_result_with_the_step_and_torchs_message():
    got = node(
        """
        const r = engine.simulate(state.engineSettings(state.parseQuery(input).settings));
        print({ n: r.lr.length, stopped: r.stopped, nonFinite: r.nonFinite ?? null });
        """,
        "scheduler=OneCycleLR&max_lr=0.1&total_steps=20" + LOOP,
    )
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.001, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=20)
    steps = 0
    with pytest.raises(ValueError) as raised:
        for steps in range(1, 33):  # noqa: B007
            optimizer.step()
            scheduler.step()
    assert got == {"n": steps, "stopped": {"step": steps, "type": "ValueError", "message": str(raised.value)}, "nonFinite": None}


def test_inf_in_a_curve_is_reported_with_torchs_first_step():
    got = node(
        """
        const r = engine.simulate(state.engineSettings(state.parseQuery(input).settings));
        print({ n: r.lr.length, step: r.nonFinite.step, value: String(r.nonFinite.value), last: String(r.lr[r.lr.length - 1]) });
        """,
        "scheduler=ExponentialLR&gamma=2.0&lr=0.001&momentum=0.9&epochs=1&steps_per_epoch=2000",
    )
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.001, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=2.0)
    lrs = []
    for _ in range(2000):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    first = next(i for i, x in enumerate(lrs) if not math.isfinite(x))
    assert got == {"n": 2000, "step": first, "value": "Infinity", "last": "Infinity"}
    assert json.dumps(first) == "1034"


def test_floats_where_torch_wants_ints_give_torchs_numbers_or_message():
    """torch takes a float T_max, step_size, total_iters or step_size_up (recipe-cosine makes one);
    8.0 for total_steps it refuses. A link passes either on (`T_max=2.5`, `total_steps=32.0`)."""
    from test_explorer_engine import Reference, compare
    from test_explorer_engine import node as engine_node

    queries = [
        "scheduler=CosineAnnealingLR&T_max=2.5",
        "scheduler=CosineAnnealingLR&T_max=16.0",
        "scheduler=StepLR&step_size=2.5",
        "scheduler=LinearLR&total_iters=3.0",
        "scheduler=PolynomialLR&total_iters=7.5",
        "scheduler=CyclicLR&base_lr=0.01&max_lr=0.1&step_size_up=2.5",
        "scheduler=OneCycleLR&max_lr=0.1&total_steps=32.0",
    ]
    settings = node("print(input.map((q) => state.engineSettings(state.parseQuery(q).settings)));", [q + LOOP for q in queries])
    reference = Reference(engine_node([{"call": "spec"}])[0])
    results = engine_node([{"simulate": s} for s in settings])
    raised = 0
    for query, s, got in zip(queries, settings, results):
        expected = reference.run(s)
        raised += "error" in expected
        assert compare(s, expected, got) is None, (query, compare(s, expected, got))
    assert raised == 1  # total_steps=32.0: "Expected positive integer total_steps, but got 32.0"
