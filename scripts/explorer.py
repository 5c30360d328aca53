"""Each example page's link to the explorer: the page's example, as the explorer's URL query.

What the link holds is read from the same places as `schedules.json`, never written by hand:

* the scheduler and the optimizer as the script constructs them, and the published series: the
  example's entry in `schedules.json` (manifest.py reads them from the script's syntax tree and the
  gallery's run; the entry is cached, so a rebuild with no changed script still never imports torch);
* the script's constants (`EPOCHS`, a metric list), from the same syntax-tree reading: a run that
  recorded `EPOCHS * steps_per_epoch` steps stepped the scheduler once per batch; one that recorded
  `EPOCHS` steps recorded (and stepped) once per epoch, which the explorer, recording every batch,
  shows as epochs of one batch each.

What the explorer cannot express fails the build with the script named: a lambda or a metric curve
the explorer does not know by name (scripts/explorer_spec.py, `LAMBDAS` and `METRICS`, whose JS
twins are in docs/assets/explorer/engine.js), an optimizer other than SGD, a scheduler argument
that has no place in the URL. tests/test_explorer_links.py proves that every link gives the
published numbers.

The query format is the explorer's (docs/assets/explorer/state.js): the scheduler, its arguments by
torch's names, then the run; numbers as Python writes them, lists comma-separated, booleans
`true`/`false`; sub-schedulers of SequentialLR and ChainedScheduler as `s0`, `s0.<argument>`, ...
The explorer's page carries its specification (classes, parameters, lambdas, metric curves):
scripts/explorer_spec.py.
"""

from __future__ import annotations

from urllib.parse import quote

import explorer_spec
import manifest

# The explorer's page under docs/ (the same name in every language, suffix layout).
PAGE = "explorer.md"

CUSTOM_CLASSES = frozenset(explorer_spec.CUSTOM_SCRIPTS)

# The composite schedulers, whose `schedulers` argument the URL spells out as s0, s1, ...
COMPOSITES = ("SequentialLR", "ChainedScheduler")
RUN_KEYS = ("lr", "momentum", "epochs", "steps_per_epoch", "step_every")


class ExplorerError(Exception):
    pass


def settings(example, entry: dict) -> dict:
    """The example as the engine's settings (see engine.js `simulate`), from its entry in
    schedules.json (what the script constructs, the published series) and the script's constants."""
    where = f"gallery/{example.script}"
    constructed = manifest.Constructions(example.script_path)  # the syntax tree only: no torch
    constants = constructed.constants
    optimizer = entry["optimizer"]
    if optimizer["class"] != "SGD" or set(optimizer["kwargs"]) - {"lr", "momentum"}:
        raise ExplorerError(f"{where}: the explorer models SGD with lr and momentum only, not {_call_text(optimizer)}")
    epochs, steps_per_epoch, steps = constants.get("EPOCHS"), entry["steps_per_epoch"], entry["steps"]
    if not isinstance(epochs, int):
        raise ExplorerError(f"{where}: no EPOCHS constant, so the explorer cannot know the length of the run")
    if steps == epochs * steps_per_epoch:
        step_every = "batch"
    elif steps == epochs:
        step_every, steps_per_epoch = "epoch", 1
    else:
        raise ExplorerError(
            f"{where}: the run recorded {steps} steps, neither EPOCHS * STEPS_IN_EPOCH "
            f"({epochs} x {steps_per_epoch}) nor EPOCHS: the explorer cannot tell how often it stepped"
        )
    result = _scheduler(entry["scheduler"], where)
    own = set(constructed.classes) & set(_classes(result))
    if own - CUSTOM_CLASSES:
        raise ExplorerError(
            f"{where}: the explorer does not know the script's own class {min(own - CUSTOM_CLASSES)}; "
            "port it to docs/assets/explorer/engine.js and add it to CUSTOM_SCRIPTS in scripts/explorer_spec.py"
        )
    result.update(
        lr=optimizer["kwargs"].get("lr", 1e-3),  # SGD's defaults
        momentum=optimizer["kwargs"].get("momentum", 0),
        epochs=epochs,
        steps_per_epoch=steps_per_epoch,
        step_every=step_every,
    )
    if result["scheduler"] == "ReduceLROnPlateau":
        result["metric"] = _metric(entry.get("metric"), where)
    _check_run_arguments(result, result, where)
    return result


# Arguments the explorer's form takes as whole numbers that a script may compute as a float (the
# recipes' `T_max = steps / (2 * cycles)`): torch's arithmetic is the same for 24.0 and 24.
WHOLE_NUMBER_ARGUMENTS = {"T_max"}


def _scheduler(described: dict, where: str) -> dict:
    name, kwargs = described["class"], dict(described["kwargs"])
    if name in COMPOSITES:
        subs = kwargs.pop("schedulers", None)
        if not isinstance(subs, list) or not all(isinstance(sub, dict) for sub in subs):
            raise ExplorerError(f"{where}: {name}'s schedulers must be a list of schedulers built in the script")
        kwargs["schedulers"] = [_scheduler(sub, where) for sub in subs]
    for key, value in kwargs.items():
        if key in WHOLE_NUMBER_ARGUMENTS and isinstance(value, float) and value.is_integer():
            kwargs[key] = int(value)
        if key == "lr_lambda":
            kwargs[key] = _lambda_name(value, where)
        elif key != "schedulers" and not _plain(value):
            raise ExplorerError(f"{where}: {name}({key}={value!r}) has no form in the explorer's URL")
    return {"scheduler": name, "kwargs": kwargs}


def _classes(settings: dict) -> list[str]:
    subs = settings["kwargs"].get("schedulers", [])
    return [settings["scheduler"], *(name for sub in subs for name in _classes(sub))]


def _lambda_name(source, where: str) -> str:
    names = explorer_spec.lambda_names()
    if isinstance(source, str) and source in names:
        return names[source]
    raise ExplorerError(
        f"{where}: the explorer does not know the function {source!r}. Name it in LAMBDAS of "
        "scripts/explorer_spec.py and give it its JS twin in LAMBDAS of docs/assets/explorer/engine.js"
    )


def _metric(recorded: list | None, where: str) -> str:
    for name, values in explorer_spec.gallery_metrics().items():
        if recorded is not None and values == recorded:
            return name
    raise ExplorerError(
        f"{where}: ReduceLROnPlateau's metric is not a curve the explorer knows. Write it as a constant "
        "list and name it (script and constant) in METRICS of scripts/explorer_spec.py"
    )


def _check_run_arguments(scheduler: dict, run: dict, where: str) -> None:
    """OneCycleLR's epochs and steps_per_epoch are the run's in the explorer (in a composition too):
    they must agree, and leave the URL."""
    kwargs = scheduler["kwargs"]
    for key in ("epochs", "steps_per_epoch"):
        if key in kwargs and kwargs.pop(key) != run[key]:
            raise ExplorerError(f"{where}: {scheduler['scheduler']}({key}=...) differs from the run's {key}")
    for sub in kwargs.get("schedulers", []):
        _check_run_arguments(sub, run, where)


def _plain(value) -> bool:
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return isinstance(value, (bool, int, float, str)) and not (isinstance(value, str) and "," in value)


def python_text(value) -> str:
    """A value as the URL writes it: as Python would, booleans as JSON, lists comma-separated."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(python_text(item) for item in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def query(settings: dict) -> str:
    pairs = [("scheduler", settings["scheduler"])]
    kwargs = settings["kwargs"]
    pairs += [(key, value) for key, value in kwargs.items() if key != "schedulers"]
    for index, sub in enumerate(kwargs.get("schedulers", [])):
        pairs.append((f"s{index}", sub["scheduler"]))
        pairs += [(f"s{index}.{key}", value) for key, value in sub["kwargs"].items()]
    if "metric" in settings:
        pairs.append(("metric", settings["metric"]))
    pairs += [(key, settings[key]) for key in RUN_KEYS]
    return "&".join(f"{quote(key, safe='.')}={quote(python_text(value), safe=',.-_+')}" for key, value in pairs)


def _call_text(described: dict) -> str:
    arguments = ", ".join(f"{key}={value!r}" for key, value in described["kwargs"].items())
    return f"{described['class']}({arguments})"
