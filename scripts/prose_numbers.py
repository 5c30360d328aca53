"""Numbers in the prose that describe an example's run, written by the build from that run.

An example page says things like "peaks at about `9.99e-4` at step 9" and lists, in the "Here"
column of its parameter table, the arguments its script passes. Typed by hand, those numbers go
stale the day the script changes. So a page writes a placeholder instead, and `hooks.py` asks
`expand()` to fill it from the published `schedules.json` entry of the page's example (the series
the gallery recorded, the constructor arguments read from the script) and from the script's source.
Both languages expand the same placeholders from the same run: one source of truth.

The placeholders (example pages only; WHERE is a step index, 0-based, negative counting from the
end, or `peak`, `min` or `last`; "peak" and "min" are the first step that reaches the extreme):

    {{ arg NAME }}           a constructor argument as the script wrote it: `gamma`, `milestones`;
                             `optimizer.lr` for the optimizer's; `schedulers.0.total_iters` inside a
                             composed scheduler. An argument the script leaves out is an error:
                             its value is the default, typed in the Default column.
    {{ lr WHERE }}           the learning rate at that step; likewise `momentum` and `metric`
    {{ step WHERE }}         the index of `peak`, `min` or `last`
    {{ count WHAT }}         `steps` (recorded), `drops` / `rises` (steps whose lr is lower /
                             higher than the step before), `peaks` / `troughs` (steps higher /
                             lower than the one before and not lower / higher than the one after)
    {{ list WHAT }}          the step indices of `drops`, `rises`, `peaks` or `troughs`, as a list in the
                             page's language: "8, 16 and 24", "8、16 和 24"
    {{ calc EXPRESSION }}    arithmetic (+ - * / // ** and parentheses) on numbers, the scheduler's
                             arguments by name, `steps`, and series values such as `lr[8]` or
                             `metric[4]`: `{{ calc 2 * step_size_up }}`, `{{ calc lr[1] - lr[0] }}`

Numbers are written as the site writes them by hand: exactly when four significant digits or fewer
say the value (`1.125e-4`, `5e-4`, `0.85`), else rounded to three (`9.99e-4`, `0.834`); scientific
notation below 0.01, without `+` or leading zeros in the exponent. "About" is checked, not typed
blindly: a rounded value needs "about", "roughly", "≈" or `\\approx` (in Chinese 约 or 大约)
earlier in its sentence, or the build fails and says so. So a change to the script that makes a
value inexact cannot leave the page claiming it exactly. A placeholder puts no backticks around its
number: write `` `{{ lr 9 }}` `` where the page shows the value as code.

Why placeholders rather than typed numbers checked by a test: a placeholder cannot disagree with
the run, in either language, and a change of parameter then needs no edit of the prose at all;
a check would only say which of 44 pages to edit by hand. The set stays small on purpose: what
arithmetic cannot derive from the recorded series and arguments (what another setting would do)
is not about this run, and stays typed, listed with its reason in tests/test_prose_numbers.py.

Errors (`ProseNumberError`) say what is wrong and what to write; `hooks.py` adds the page.
Numbers that are not about the run (a recipe's `step_size=30`, torch's defaults, constants of a
formula) stay typed; tests/test_prose_numbers.py checks that no typed number describes the run.
"""

from __future__ import annotations

import ast
import json
import math
import re
from functools import lru_cache

NAMES = ("arg", "lr", "momentum", "metric", "step", "count", "list", "calc")
SERIES = ("lr", "momentum", "metric")
NAMED_STEPS = ("peak", "min", "last")
EVENTS = ("drops", "rises", "peaks", "troughs")

# Words that say a number is rounded, and where a sentence ends (for the "about" check).
ABOUT = re.compile(r"\babout\b|\broughly\b|\baround\b|\bapproximately\b|≈|\\approx|约|大约")
SENTENCE_END = re.compile(r"[.!?;:](?:\s|$)|[。！？；：]|\n\s*\n|\|")
LIST_WORDS = {"en": (", ", " and "), "zh": ("、", " 和 ")}


class ProseNumberError(Exception):
    """A placeholder that cannot be filled: the message says what to write instead."""


# ----------------------------------------------------------------------------------- formatting


def format_number(value) -> str:
    """The site's way of writing a number: exact within four significant digits, else three."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if value == 0:
        return "0"
    if value == int(value) and abs(value) < 1e4:
        return str(int(value))
    digits = 4 if is_exact(value) else 3
    if abs(value) < 0.01 or abs(value) >= 1e4:
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    text = f"{value:.{digits}g}"
    return text if "e" not in text else format_number(float(text))


def is_exact(value: float) -> bool:
    """Whether four significant digits say the value, up to float noise (`5.5e-4` computed
    through a cosine is 5.500000000000001e-4, and is exact for a reader)."""
    if value == 0 or not math.isfinite(value):
        return True
    rounded = float(f"{value:.3e}")
    return abs(rounded - value) <= 1e-12 * abs(value)


def format_list(items: list[str], language: str) -> str:
    separator, last = LIST_WORDS.get(language, LIST_WORDS["en"])
    if len(items) <= 1:
        return "".join(items)
    return separator.join(items[:-1]) + last + items[-1]


# ------------------------------------------------------------------------------------ the run


def series(entry: dict, name: str) -> list[float]:
    if name not in entry:
        recorded = ", ".join(s for s in SERIES if s in entry)
        raise ProseNumberError(f"this example records no {name} (it records {recorded})")
    return entry[name]


def step_index(entry: dict, values: list[float], where: str) -> int:
    """WHERE (a step index, `peak`, `min` or `last`) as a step index of the run."""
    if where == "peak":
        return values.index(max(values))
    if where == "min":
        return values.index(min(values))
    if where == "last":
        return len(values) - 1
    if not re.fullmatch(r"-?\d+", where or ""):
        raise ProseNumberError(f"write a step index (0 to {len(values) - 1}) or one of {', '.join(NAMED_STEPS)}")
    index = int(where)
    if not -len(values) <= index < len(values):
        raise ProseNumberError(
            f"step {index} is outside the run, which has {len(values)} steps (0 to {len(values) - 1}): "
            "the script's run got shorter, or the page counts from 1"
        )
    return index % len(values)


def events(values: list[float], what: str) -> list[int]:
    if what == "drops":
        return [t for t in range(1, len(values)) if values[t] < values[t - 1]]
    if what == "rises":
        return [t for t in range(1, len(values)) if values[t] > values[t - 1]]
    if what == "peaks":
        return [
            t
            for t in range(1, len(values))
            if values[t] > values[t - 1] and (t == len(values) - 1 or values[t] >= values[t + 1])
        ]
    if what == "troughs":
        return [
            t
            for t in range(1, len(values))
            if values[t] < values[t - 1] and (t == len(values) - 1 or values[t] <= values[t + 1])
        ]
    raise ProseNumberError(f"write one of {', '.join(EVENTS)}")


# ------------------------------------------------------------------------------------ arguments


@lru_cache(maxsize=64)
def _assignments(source: str) -> dict[str, ast.AST]:
    tree = ast.parse(source)
    return {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    }


def argument(entry: dict, source: str, path: str) -> str:
    """A constructor argument, as the script wrote it when it wrote a literal (`1e-2`, `"min"`,
    `[8, 24, 28]`), else its value (`LEARNING_RATE` is written `1e-3`)."""
    parts = path.split(".")
    described = entry["scheduler"]
    if parts[0] == "optimizer":
        described, parts = entry["optimizer"], parts[1:]
    assigned = _assignments(source)
    node = assigned.get("optimizer" if described is entry["optimizer"] else "scheduler")
    value = described
    walked = []
    for part in parts:
        walked.append(part)
        if isinstance(value, dict) and "kwargs" in value:  # a constructed object: look in its arguments
            if part not in value["kwargs"]:
                passed = ", ".join(value["kwargs"]) or "none"
                raise ProseNumberError(
                    f"the script does not pass `{'.'.join(walked)}` to {value['class']} (it passes: {passed}); "
                    "an argument left out has its default, which the page types in the Default column"
                )
            node = _keyword(node, part, list(value["kwargs"]))
            value = value["kwargs"][part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
            node = node.elts[int(part)] if isinstance(node, (ast.List, ast.Tuple)) else None
            if isinstance(node, ast.Name) and isinstance(assigned.get(node.id), ast.Call):
                node = assigned[node.id]  # a sub-scheduler built on a line of its own
        else:
            raise ProseNumberError(f"`{'.'.join(walked)}` names nothing in what the script constructs")
    if isinstance(value, dict):
        raise ProseNumberError(f"`{path}` is a whole {value['class']}; name one of its arguments")
    if node is not None and not isinstance(node, ast.Call) and not _uses_constants(node):
        written = ast.get_source_segment(source, node)
        # A lambda written over several lines (gallery/plot_timm_cosine.py) goes into a table cell:
        # one line, which Python reads the same inside the call's parentheses.
        return " ".join(written.split()) if "\n" in written else written
    return _format_value(value)


def _keyword(call, name: str, names: list[str]):
    """The argument's node in the call; `names` are the arguments the manifest read from the call,
    positional ones first, in order (the optimizer, which every constructor takes first, is not one)."""
    if not isinstance(call, ast.Call):
        return None
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    positional = [node for node in call.args if not (isinstance(node, ast.Name) and node.id == "optimizer")]
    by_position = [key for key in names if key not in {keyword.arg for keyword in call.keywords}]
    if len(positional) == len(by_position) and name in by_position:
        return positional[by_position.index(name)]
    return None  # cannot tell: written from its value


def _uses_constants(node) -> bool:
    return any(isinstance(child, ast.Name) and child.id.isupper() for child in ast.walk(node))


def _format_value(value) -> str:
    if isinstance(value, dict) and "class" in value:
        return value["class"]
    if isinstance(value, list):
        return "[" + ", ".join(_format_value(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return format_number(value)


# ------------------------------------------------------------------------------------- expand


def expand(name: str, argument_text: str | None, *, entry: dict, source: str, language: str, before: str = "") -> str:
    """The text of one placeholder. `before` is the page's text up to the placeholder (for the
    "about" check). Raises ProseNumberError saying what to write instead."""
    words = (argument_text or "").split()
    if name == "arg":
        if len(words) != 1:
            raise ProseNumberError("write {{ arg NAME }}, e.g. {{ arg gamma }} or {{ arg optimizer.lr }}")
        return argument(entry, source, words[0])
    if name in SERIES:
        if len(words) != 1:
            raise ProseNumberError(f"write {{{{ {name} STEP }}}} with STEP an index or one of {', '.join(NAMED_STEPS)}")
        values = series(entry, name)
        value = values[step_index(entry, values, words[0])]
        text = format_number(value)
        if not is_exact(value) and not _said_about(before):
            raise ProseNumberError(
                f"the {name} there is {value!r}, written {text}: rounded, so say so "
                "(\"about\" or \"≈\" before it in the sentence; 约 in Chinese)"
            )
        return text
    if name == "step":
        if len(words) != 1 or words[0] not in NAMED_STEPS:
            raise ProseNumberError(f"write {{{{ step WHERE }}}} with WHERE one of {', '.join(NAMED_STEPS)}")
        return str(step_index(entry, entry["lr"], words[0]))
    if name == "count":
        if words == ["steps"]:
            return str(len(entry["lr"]))
        if len(words) != 1 or words[0] not in EVENTS:
            raise ProseNumberError(f"write {{{{ count WHAT }}}} with WHAT one of steps, {', '.join(EVENTS)}")
        return str(len(events(entry["lr"], words[0])))
    if name == "list":
        if len(words) != 1 or words[0] not in EVENTS:
            raise ProseNumberError(f"write {{{{ list WHAT }}}} with WHAT one of {', '.join(EVENTS)}")
        found = events(entry["lr"], words[0])
        if not found:
            raise ProseNumberError(f"the run has no {words[0]}: the sentence no longer describes it")
        return format_list([str(step) for step in found], language)
    if name == "calc":
        value = calculate(argument_text or "", entry)
        text = format_number(value)
        if not is_exact(value) and not _said_about(before):
            raise ProseNumberError(f"that is {value!r}, written {text}: rounded, so say so (\"about\" or \"≈\"; 约 in Chinese)")
        return text
    raise ProseNumberError(f"unknown placeholder; the numbers of a run are written with {', '.join(NAMES)}")


_OPERATORS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
    ast.FloorDiv: lambda a, b: a // b,
}


def calculate(expression: str, entry: dict) -> float:
    """`{{ calc ... }}`: arithmetic on the run's own numbers, nothing else (no calls, no attributes)."""
    arguments = {
        name: value
        for name, value in entry["scheduler"]["kwargs"].items()
        if isinstance(value, (int, float)) and not isinstance(value, bool)
    }
    names = {**arguments, "steps": len(entry["lr"])}

    def evaluate(node):
        if isinstance(node, ast.Expression):
            return evaluate(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise ProseNumberError(f"`{node.id}` is none of: {', '.join(names)}, or a series value like lr[8]")
            return names[node.id]
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in SERIES:
            values = series(entry, node.value.id)
            return values[step_index(entry, values, ast.unparse(node.slice))]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = evaluate(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](evaluate(node.left), evaluate(node.right))
        raise ProseNumberError(f"`{ast.unparse(node)}`: only + - * / // ** on numbers, arguments, steps and lr[N]")

    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        raise ProseNumberError(f"`{expression}` is not an arithmetic expression") from None
    return evaluate(tree)


def _said_about(before: str) -> bool:
    ends = list(SENTENCE_END.finditer(before))
    sentence = before[ends[-1].end() :] if ends else before
    return bool(ABOUT.search(sentence))


@lru_cache(maxsize=8)
def _entries(manifest_text: str) -> dict[str, dict]:
    return {entry["id"]: entry for entry in json.loads(manifest_text)["examples"]}


def manifest_entry(manifest_text: str, example_id: str) -> dict:
    """The entry of one example in the text of schedules.json (parsed once per build)."""
    return _entries(manifest_text)[example_id]
