"""Every published curve against an independent reference of its scheduler's documented formula.

The manifest (`schedules.json` of the built site) says how each example built its scheduler and
optimizer and publishes the series the run recorded. tests/references.py recomputes each series
from those arguments alone, in pure Python (no torch), so changing an example's parameters is
still checked, and a gallery run that does not do what torch documents is caught.
"""

from __future__ import annotations

import json

import pytest
from conftest import load_catalog
from references import NoReference, Run, missing_references, reference

CATALOG = load_catalog()
RELATIVE_TOLERANCE = 1e-12
# Only where the reference is exactly 0 (e.g. PolynomialLR after total_iters) is an absolute
# tolerance used: far below any lr in the gallery (1e-3 .. 4e-9).
ZERO_TOLERANCE = 1e-18
# The series a reference may compute; "metric" is an input (ReduceLROnPlateau's), not checked.
CHECKED_SERIES = ("lr", "momentum")


@pytest.fixture(scope="module")
def manifest_entries(site) -> dict[str, dict]:
    document = json.loads((site / "schedules.json").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in document["examples"]}


def close(published: float, expected: float) -> bool:
    if expected == 0:
        return abs(published) <= ZERO_TOLERANCE
    return abs(published - expected) <= RELATIVE_TOLERANCE * max(abs(published), abs(expected))


def first_mismatch(published: list[float], expected: list[float]) -> str | None:
    """None when the series agree; otherwise the first step that differs, with both values."""
    if len(published) != len(expected):
        return f"{len(published)} values published, the reference has {len(expected)}"
    for step, (value, wanted) in enumerate(zip(published, expected)):
        if not close(value, wanted):
            error = abs(value - wanted) / max(abs(value), abs(wanted))
            agree = f"steps 0..{step - 1} agree" if step else "the very first step"
            return (
                f"step {step} differs: published {value!r}, reference {wanted!r} "
                f"(relative error {error:.1e}, tolerance {RELATIVE_TOLERANCE:.0e}; {agree})"
            )
    return None


def run_of(entry: dict) -> Run:
    optimizer = entry["optimizer"]["kwargs"]
    return Run(
        lr=optimizer["lr"],
        momentum=optimizer.get("momentum"),
        steps=entry["steps"],
        metric=entry.get("metric"),
    )


def test_every_published_scheduler_has_a_reference(manifest_entries):
    # Without this, a new example with a scheduler tests/references.py does not model would
    # show up only as an error in its own test; this names every such class at once.
    missing = {
        entry_id: missing_references(entry["scheduler"])
        for entry_id, entry in manifest_entries.items()
        if missing_references(entry["scheduler"])
    }
    assert missing == {}, (
        f"schedules.json has schedulers with no reference: {missing}. Add a function for each class "
        "to CLOSED_FORMS or SERIES in tests/references.py, from torch's documented formula."
    )


@pytest.mark.parametrize("example_id", [example.id for example in CATALOG.examples])
def test_the_published_series_follow_the_documented_formula(manifest_entries, example_id):
    assert example_id in manifest_entries, f"{example_id}: in gallery/catalog.yml but not in schedules.json"
    entry = manifest_entries[example_id]
    spec = entry["scheduler"]
    where = f"{example_id} (gallery/{CATALOG.example(example_id).script}, {spec['class']} {spec['kwargs']})"
    try:
        expected = reference(spec, run_of(entry))
    except (NoReference, TypeError) as error:  # TypeError: an argument the reference does not know
        pytest.fail(f"{where}: no reference can be computed: {error}. Extend tests/references.py.")

    published = {name for name in CHECKED_SERIES if name in entry}
    assert published == set(expected), (
        f"{where}: schedules.json publishes {sorted(published)}, the reference computes {sorted(expected)}; "
        "a scheduler that drives the momentum must publish it, and only such a scheduler"
    )
    problems = [
        f"{name}: {mismatch}"
        for name in CHECKED_SERIES
        if name in expected and (mismatch := first_mismatch(entry[name], expected[name]))
    ]
    assert not problems, (
        f"{where}: the published series does not follow torch's documented formula:\n  "
        + "\n  ".join(problems)
        + "\nEither the gallery run is not what schedules.json says it is, torch changed the scheduler, "
        "or tests/references.py models it wrongly: compare with the torch.optim.lr_scheduler docs."
    )


def test_a_perturbed_series_is_caught_at_its_first_wrong_step(manifest_entries):
    # The check must be able to fail: nudge real published values by 1e-11 (ten times the
    # tolerance) at steps 5 and 9 and expect step 5 to be named, with both values.
    entry = manifest_entries[CATALOG.examples[0].id]
    expected = reference(entry["scheduler"], run_of(entry))["lr"]
    assert first_mismatch(entry["lr"], expected) is None
    perturbed = list(entry["lr"])
    for step in (5, 9):
        perturbed[step] *= 1 + 1e-11
    message = first_mismatch(perturbed, expected)
    assert message is not None and message.startswith("step 5 differs"), message
    assert repr(perturbed[5]) in message and repr(expected[5]) in message, message
    assert first_mismatch(entry["lr"][:-1], expected) is not None  # a missing step is caught too
