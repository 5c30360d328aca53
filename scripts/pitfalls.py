"""Pitfalls shown with the real warning or error PyTorch gives, captured when the site is built.

Each snippet in pitfalls/ is run in-process (torch is already imported by the gallery), with its
warnings recorded, its printed output captured and its exception caught. A snippet that no longer
warns, raises or prints anything fails the build: the page's claim must be checked again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import traceback
import warnings
from functools import lru_cache
from pathlib import Path

from catalog import ROOT

PITFALLS_DIR = ROOT / "pitfalls"


class PitfallError(Exception):
    pass


@lru_cache(maxsize=None)
def _run(source: str, name: str) -> str:
    printed = io.StringIO()
    report = []
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(printed):
        warnings.simplefilter("always")
        try:
            exec(compile(source, f"pitfalls/{name}.py", "exec"), {"__name__": "__main__"})
        except Exception as error:  # the error is what the page shows
            report.append("".join(traceback.format_exception_only(error)).strip())
    report[:0] = [f"{w.category.__name__}: {w.message}" for w in caught if w.category.__module__ != "matplotlib"]
    output = printed.getvalue().strip()
    return "\n".join(part for part in (output, *report) if part)


def pitfall_markdown(name: str, cache_dir: Path) -> str:
    """The snippet as a code block, then what PyTorch said when it ran. The output is kept in
    `cache_dir` and the snippet runs again only when it or torch changes."""
    path = PITFALLS_DIR / f"{name}.py"
    if not path.is_file():
        raise PitfallError(f"{path} does not exist")
    source = path.read_text(encoding="utf-8")
    key = hashlib.sha256(f"{source}\0{importlib.metadata.version('torch')}".encode()).hexdigest()[:16]
    cached = cache_dir / f"pitfall-{name}-{key}.txt"
    if cached.is_file():
        output = cached.read_text(encoding="utf-8")
    else:
        output = _run(source, name)
        cache_dir.mkdir(parents=True, exist_ok=True)
        for stale in cache_dir.glob(f"pitfall-{name}-*.txt"):
            stale.unlink()
        cached.write_text(output, encoding="utf-8")
    if not output:
        raise PitfallError(
            f"{path} ran without a warning, an error or any output: PyTorch's behaviour changed; "
            "review the pitfall and its page"
        )
    return f'```python title="{name}.py"\n{source.strip()}\n```\n\n```text\n{output}\n```'
