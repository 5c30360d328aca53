"""Numbers and arguments as a page writes them (split from prose_numbers.py, which re-exports them):
`format_number`, the site's one way of writing a number, and `argument`, a constructor argument as the
gallery script wrote it."""

from __future__ import annotations

import ast
import io
import json
import math
from functools import lru_cache


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
        written = _segment(source, node)
        # A lambda written over several lines (gallery/plot_timm_cosine.py) goes into a table cell:
        # one line, which Python reads the same inside the call's parentheses.
        return " ".join(written.split()) if "\n" in written else written
    return _format_value(value)


def _segment(source: str, node: ast.AST) -> str:
    """ast.get_source_segment(source, node), with the source's lines split once: Python 3.11 splits
    them a character at a time on each call, a tenth of a page rebuild under `mkdocs serve`."""
    lines, first, last = _lines(source), node.lineno - 1, node.end_lineno - 1
    if first == last:
        return lines[first].encode()[node.col_offset : node.end_col_offset].decode()
    head = lines[first].encode()[node.col_offset :].decode()
    tail = lines[last].encode()[: node.end_col_offset].decode()
    return "".join([head, *lines[first + 1 : last], tail])


@lru_cache(maxsize=64)
def _lines(source: str) -> list[str]:
    """The lines as ast.get_source_segment splits them: at \r\n, \r and \n only, ends kept."""
    return io.StringIO(source, newline="").readlines()


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
