"""Troubleshooting entries: what PyTorch says (or silently does) when a scheduler is misused, and the fix,
both run with the pinned torch while the site is built.

`{{ pitfall NAME }}` on a page expands to the entry of `pitfalls/NAME.py`. A snippet is two programs
in one file, separated by a line `# %% fix`: the broken code, then the fixed code. Both run in the
build process (torch is already imported by the gallery):

- broken code that warns or raises is a *message entry*: the placeholder writes the entry's heading
  (torch's message, so a pasted message finds it), the code and everything PyTorch printed;
- broken code that neither warns nor raises is a *silent mistake*: the page writes the heading, and
  both programs must record the learning rate in `lrs`; the placeholder draws the wrong and the right
  curve in one small figure, drawn in English and its words mapped to the page's language by
  scripts/figure_text.py (`FIGURE_WORDS`), for both palettes;
- the fixed code must run without a warning or an exception, or the build fails naming the snippet.

Header lines: `# explorer: <query>`, the explorer's settings for an "Open in the explorer" link (the
format of docs/assets/explorer/state.js); `# x: epoch`, the figure's x axis (default: step);
`# heading: page` (the page writes the heading: the message is another entry's) or `# heading: TEXT`
(the first words of a message whose first sentence is too long for a heading); `# toc: TEXT` (the
table of contents' label, when the message's first words would not do); `# recorded: PACKAGE`
for code that needs a package the site does not build with (see `recorded_run`).
An English comment line may be followed by `# zh: ...`, its Chinese, which replaces it on Chinese pages.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import io
import json
import re
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from catalog import ROOT
from furniture import FURNITURE

SNIPPETS_DIR = ROOT / "pitfalls"
FIX_MARK = "# %% fix"
HEADER = re.compile(r"^# (explorer|x|heading|toc|recorded): (.*)\n", re.M)
# A comment (on its own line or after code), then its Chinese on the next line
ZH_COMMENT = re.compile(r"^(?P<code>[^\n#]*?)# (?!zh: )[^\n]*\n[ \t]*# zh: (?P<zh>[^\n]*)$", re.M)
ZH_LINE = re.compile(r"\n?^[ \t]*# zh: [^\n]*$", re.M)
# Object addresses change from run to run; the page (and a reader's search) must not.
ADDRESS = re.compile(r" at 0x[0-9a-f]+")
FIGURE_DIR = "generated/troubleshooting"
EXPLORER_PAGE = "explorer.md"

# The words a silent mistake's figure draws. It is drawn once, in English, and each other language
# gets the same SVG with these words replaced from gallery/figure_text.yml, as the gallery's figures
# are (scripts/figure_text.py: one table, and Chinese y-axis labels set upright).
FIGURE_WORDS = {"wrong": "as written", "right": "fixed", "step": "step", "epoch": "epoch", "lr": "learning rate"}


class PitfallError(Exception):
    pass


@dataclass(frozen=True)
class Run:
    output: str  # what PyTorch printed: stdout, then warnings, then the exception
    message: str  # the first warning or the exception, "" when the code ran silently
    lrs: list


@dataclass(frozen=True)
class Snippet:
    name: str
    broken: str
    fixed: str
    explorer: str | None
    x: str
    heading: str | None  # `# heading: page`: the page writes it (a message shared with another entry);
    # `# heading: TEXT`: the start of the message to use, where its first sentence is too long
    recorded: str | None  # `# recorded: PACKAGE`: not run at build time (see `recorded_run`)
    toc: str | None  # `# toc: TEXT`: the table of contents' label, where the message's would not do

    @classmethod
    def load(cls, name: str) -> Snippet:
        path = SNIPPETS_DIR / f"{name}.py"
        if not re.fullmatch(r"[a-z0-9_]+", name) or not path.is_file():
            raise PitfallError(f"{path.relative_to(ROOT)} does not exist")
        source = path.read_text(encoding="utf-8")
        header = dict(HEADER.findall(source))
        source = HEADER.sub("", source)
        broken, mark, fixed = source.partition(FIX_MARK + "\n")
        if not mark:
            raise PitfallError(f"pitfalls/{name}.py has no line {FIX_MARK!r}: write the broken code, then the fix")
        return cls(
            name, broken.strip(), fixed.strip(), header.get("explorer"), header.get("x", "step"),
            header.get("heading"), header.get("recorded"), header.get("toc"),
        )


def in_language(code: str, language: str) -> str:
    """The code as shown on a page of `language`: English comments, or their `# zh:` Chinese."""
    if language == "zh":
        code = ZH_COMMENT.sub(lambda m: f"{m['code']}# {m['zh']}", code)
    return ZH_LINE.sub("", code)


def run(source: str, label: str) -> Run:
    """Run `source` as a fresh program, recording its warnings, printed output and exception."""
    printed, namespace, error = io.StringIO(), {"__name__": "__main__"}, None
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(printed):
        warnings.simplefilter("always")
        try:
            exec(compile(source, label, "exec"), namespace)
        except Exception as exception:  # the error is what the entry shows
            error = "".join(traceback.format_exception_only(exception)).strip()
    said = [f"{w.category.__name__}: {w.message}" for w in caught if w.category.__module__ != "matplotlib"]
    said += [error] if error else []
    output = "\n".join(part for part in (printed.getvalue().strip(), *said) if part)
    lrs = [float(value) for value in namespace.get("lrs", [])]
    message = error or (said[0] if said else "")  # an exception is the entry's point, not what warned first
    return Run(ADDRESS.sub(" at 0x…", output), ADDRESS.sub(" at 0x…", message), lrs)


def recorded_run(snippet: Snippet) -> Run:
    """What a package the site does not build with printed (the site builds with torch alone):
    `pitfalls/NAME.txt`, written and checked by tests/test_troubleshooting.py, which runs the snippet."""
    path = SNIPPETS_DIR / f"{snippet.name}.txt"
    if not path.is_file():
        raise PitfallError(f"{path.relative_to(ROOT)} does not exist: run tests/test_troubleshooting.py to record it")
    output = path.read_text(encoding="utf-8").strip()
    return Run(output, output.splitlines()[-1], [])


@functools.cache
def _code_version() -> str:
    """torch's version and this file's text: what else a run depends on. Read once per process (the
    process runs this module's code as imported; 180 entries of a page rebuild under `mkdocs serve`
    read torch's metadata 180 times otherwise)."""
    return f"{importlib.metadata.version('torch')}\0{Path(__file__).read_text()}"


def runs(snippet: Snippet, cache_dir: Path) -> tuple[Run, Run]:
    """Both programs' runs, kept in `cache_dir` until the snippet or torch changes."""
    inputs = f"{snippet}\0{_code_version()}"
    key = hashlib.sha256(inputs.encode()).hexdigest()[:16]
    cached = cache_dir / f"trouble-{snippet.name}-{key}.json"
    if cached.is_file():
        broken, fixed = json.loads(cached.read_text(encoding="utf-8"))
        return Run(**broken), Run(**fixed)
    broken = run(snippet.broken, f"pitfalls/{snippet.name}.py")
    fixed = run(snippet.fixed, f"pitfalls/{snippet.name}.py (fix)")
    check(snippet, broken, fixed)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for stale in cache_dir.glob(f"trouble-{snippet.name}-*.json"):
        stale.unlink()
    cached.write_text(json.dumps([broken.__dict__, fixed.__dict__]), encoding="utf-8")
    return broken, fixed


def check(snippet: Snippet, broken: Run, fixed: Run) -> None:
    where = f"pitfalls/{snippet.name}.py"
    if fixed.message:
        raise PitfallError(f"{where}: the fix does not fix it, PyTorch still says: {fixed.message}")
    if not broken.message and not (broken.lrs and fixed.lrs):  # silent, and nothing to show
        raise PitfallError(
            f"{where}: the broken code ran without a warning or an error, and a silent mistake must record "
            "`lrs` in both programs: PyTorch's behaviour changed? Review the entry and its page"
        )
    if broken.lrs and broken.lrs == fixed.lrs:
        raise PitfallError(f"{where}: the fix gives the same learning rates as the mistake")


def anchor(name: str) -> str:
    return name.replace("_", "-")


def without_links(line: str) -> str:
    """The message's line without its sentences that send the reader to a web page ("See more
    details at https://...", "Please open an issue ...: https://...")."""
    sentences = re.findall(r".*?[.!](?=\s|$)\s*|.+$", line)
    return "".join(sentence for sentence in sentences if "://" not in sentence).strip() or line


def heading(message: str, start: str | None = None) -> str:
    """The entry's heading: torch's message up to its first line break or the end of its first
    sentence (long warnings go on), or its first words `start`, as Markdown text."""
    first = message.split("\n")[0].split("\\n")[0]
    sentence = re.match(r"(.{40,}?[.!])\s", first)
    text = sentence[1] if sentence and len(first) > 120 else first
    if start:
        if not message.startswith(start):
            raise PitfallError(f"its heading {start!r} is not how PyTorch's message starts: {message[:200]!r}")
        text = start
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Markdown reads `__init__` and `*` as emphasis: escape them, except inside `code spans`
    pieces = text.split("`")
    return "`".join(p if i % 2 else re.sub(r"([_*])", r"\\\1", p) for i, p in enumerate(pieces))


def relative(target: str, page_src: str) -> str:
    return "../" * (len(PurePosixPath(page_src).parts) - 1) + target


def placeholder(argument: str, *, page_src: str, language: str, docs_dir: Path, add_file) -> str:
    """The Markdown of one entry on `page_src`: `NAME` gives its heading, the broken code and what
    PyTorch said; `NAME fix` the fixed code, the figure and the explorer link. The page's prose (the
    cause) goes between the two. `add_file(path, content)` publishes a figure."""
    name, _, part = argument.partition(" ")
    if part not in ("", "fix"):
        raise PitfallError(f"write {{{{ pitfall NAME }}}} or {{{{ pitfall NAME fix }}}}, not {{{{ pitfall {argument} }}}}")
    snippet = Snippet.load(name)
    if snippet.recorded:
        broken, fixed = recorded_run(snippet), Run("", "", [])
    else:
        broken, fixed = runs(snippet, docs_dir / "generated" / "cache")
    labels = FURNITURE[language]
    parts = []
    if part == "" and broken.message and snippet.heading != "page":
        try:
            title = heading(broken.message, snippet.heading)
        except PitfallError as error:
            raise PitfallError(f"pitfalls/{name}.py: {error}") from None
        # The heading holds the first line of the message: Material's search weighs a heading's words
        # a thousand times the text's, so a pasted message finds its entry first. Not its sentences
        # that point to a web page, which the whole message, printed below, still holds: they say
        # nothing about the mistake, and Material appends "*" to each word the reader types, so
        # their rare words (the "issue" of `step(epoch)`'s warning) matched the short words of other
        # messages ("is" of "Linear is not an Optimizer") and outranked those messages' entries.
        # The table of contents shows the short form (`heading`).
        # As code: the exact text, and torch's words are not the page's (a Chinese page quotes them as printed).
        full = without_links(broken.message.split("\n")[0].split("\\n")[0])
        label = (snippet.toc or title).replace("`", "").replace('"', "&quot;")
        parts.append(f'### `` {full} `` {{ #{anchor(name)} data-toc-label="{label}" }}')
    if part == "":
        parts.append(f'```python title="{name}.py: {labels["pitfall_broken"]}"\n{in_language(snippet.broken, language)}\n```')
        if broken.output:
            parts.append(f"```text\n{broken.output}\n```")
        return "\n\n".join(parts)
    parts = []
    parts.append(f'```python title="{name}.py: {labels["pitfall_fixed"]}"\n{in_language(snippet.fixed, language)}\n```')
    if broken.lrs and fixed.lrs:
        light, dark = figure(snippet, broken.lrs, fixed.lrs, language, docs_dir / "generated" / "cache")
        path = f"{FIGURE_DIR}/{name}.{language}.svg"
        add_file(path, light)
        add_file(path.replace(".svg", "_dark.svg"), dark)
        parts.append(
            f"![{labels['pitfall_alt']}]({relative(path, page_src)}#only-light){{ .schedule-figure loading=lazy }}\n"
            f"![{labels['pitfall_alt']}]({relative(path.replace('.svg', '_dark.svg'), page_src)}#only-dark)"
            "{ .schedule-figure loading=lazy }"
        )
    if snippet.explorer:
        link = f"{relative(EXPLORER_PAGE, page_src)}?{snippet.explorer}"
        parts.append(f"[:material-tune-variant: {labels['explorer_link']}]({link}){{ .md-button .explorer-link }}")
    return "\n\n".join(parts)


def figure(snippet: Snippet, wrong: list, right: list, language: str, cache_dir: Path) -> tuple[str, str]:
    import figure_text
    import figures

    words = FIGURE_WORDS
    table = figure_text.load_table()
    inputs = json.dumps([wrong, right, words, table, language, snippet.x] + [
        Path(module.__file__).read_text() for module in (figures, figure_text)
    ] + [Path(__file__).read_text()])
    key = hashlib.sha256(inputs.encode()).hexdigest()[:16]
    cached = cache_dir / f"trouble-figure-{snippet.name}-{language}-{key}.svg"
    if not cached.is_file():
        if language == "en":
            svg = _draw(wrong, right, words, snippet.x)
        else:  # the English drawing (the same picture: words are mapped, not drawn), its words mapped
            english = figure(snippet, wrong, right, "en", cache_dir)[0]
            try:
                svg = figure_text.translated(english, table.get(language, {}), f"pitfalls/{snippet.name}.py", language)
            except figure_text.FigureTextError as error:
                raise PitfallError(str(error)) from None
        for stale in cache_dir.glob(f"trouble-figure-{snippet.name}-{language}-*.svg"):
            stale.unlink()
        cache_dir.mkdir(parents=True, exist_ok=True)
        cached.write_text(svg, encoding="utf-8")
    light = cached.read_text(encoding="utf-8")
    return light, figures.dark_svg(light)


def _draw(wrong: list, right: list, words: dict, x: str) -> str:
    import figures

    plt = figures.pyplot()
    with plt.rc_context({**figures.HOUSE_STYLE, "figure.figsize": (5.4, 2.7)}):
        fig, ax = plt.subplots()
        ax.plot(range(len(wrong)), wrong, marker="o", markersize=2.5, label=words["wrong"], color="#d62728")
        ax.plot(range(len(right)), right, marker="o", markersize=2.5, label=words["right"], color="#1f77b4")
        ax.set(xlabel=words[x], ylabel=words["lr"], ylim=(0, None))
        ax.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
        ax.grid(True)
        ax.legend()
        svg = figures.to_svg(fig)
        plt.close(fig)
    return svg
