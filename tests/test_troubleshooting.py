"""The troubleshooting page: an entry for every message of torch.optim.lr_scheduler, each mistake and
each fix run for real, and every message found by pasting it into the site's search.

The snippets (pitfalls/*.py) run in this process, as the build runs them (scripts/troubleshooting.py);
the search runs in headless Chromium on the shared build.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import explorer_spec  # noqa: E402
import troubleshooting  # noqa: E402
from conftest import searched  # noqa: E402

PAGES = {"en": ROOT / "docs" / "troubleshooting.md", "zh": ROOT / "docs" / "troubleshooting.zh.md"}
NAMES = sorted(path.stem for path in troubleshooting.SNIPPETS_DIR.glob("*.py"))


@lru_cache(maxsize=None)
def runs(name: str):
    snippet = troubleshooting.Snippet.load(name)
    label = f"pitfalls/{name}.py"
    return snippet, troubleshooting.run(snippet.broken, label), troubleshooting.run(snippet.fixed, label + " (fix)")


def built_here(name: str) -> bool:
    return troubleshooting.Snippet.load(name).recorded is None


# ------------------------------------------------------------------------- every site has an entry


def message_pattern(node, constants: dict) -> str | None:
    """A regex for the text a message expression of the module gives: literal parts exact, every
    interpolated value any text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            re.escape(part.value) if isinstance(part, ast.Constant) else "(?s:.*?)" for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = message_pattern(node.left, constants), message_pattern(node.right, constants)
        return (left if left is not None else "(?s:.*?)") + (right if right is not None else "(?s:.*?)")
    if isinstance(node, ast.Name) and node.id in constants:
        return re.escape(constants[node.id])
    return None


def module_sites() -> list[tuple[str, str, str | None]]:
    """(site, exception or warning class, message regex) for every raise and warnings.warn."""
    import torch.optim.lr_scheduler as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    sites = []

    def visit(node, where):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ClassDef, ast.FunctionDef)):
                visit(child, [*where, child.name])
                continue
            if isinstance(child, ast.Raise) and isinstance(child.exc, ast.Call):
                kind = ast.unparse(child.exc.func)
                message = child.exc.args[0] if child.exc.args else None
                sites.append((".".join(where[-2:]), kind, message_pattern(message, constants) if message else None))
            elif isinstance(child, ast.Raise) and child.exc is not None:
                sites.append((".".join(where[-2:]), ast.unparse(child.exc), None))
            elif isinstance(child, ast.Call) and ast.unparse(child.func) == "warnings.warn":
                kind = ast.unparse(child.args[1]) if len(child.args) > 1 else "UserWarning"
                sites.append((".".join(where[-2:]), kind, message_pattern(child.args[0], constants)))
            visit(child, where)

    visit(tree, [])
    return sites


def left_out() -> dict[str, str]:
    """The sites the English page's source lists as left out, with the reason: `- Class.method: Kind: why`."""
    source = PAGES["en"].read_text(encoding="utf-8")
    block = re.search(r"<!-- The raise and warnings\.warn sites.*?-->", source, re.S)
    assert block, "docs/troubleshooting.md: the list of left-out sites (an HTML comment) is gone"
    return {f"{m[1]}: {m[2]}": m[3] for m in re.finditer(r"^- ([\w.]+): (\w+): (.+)$", block[0], re.M)}


def shown_message(message: str) -> str:
    """What the message's class was raised with: KeyError shows the repr of its argument."""
    kind, _, text = message.partition(": ")
    if kind == "KeyError":
        text = ast.literal_eval(text)
    return f"{kind.rpartition('.')[2]}: {text}"


def test_every_raise_and_warn_site_of_the_module_has_an_entry():
    messages = [shown_message(runs(name)[1].message) for name in NAMES if built_here(name) and runs(name)[1].message]
    excused = left_out()
    sites = module_sites()
    assert len(sites) > 40, f"only {len(sites)} sites found: has torch/optim/lr_scheduler.py moved?"
    missing = []
    for where, kind, pattern in sites:
        key = f"{where}: {kind}"
        if key in excused:
            assert excused[key].strip(), f"{key} is left out without a reason"
            continue
        regex = re.compile(rf"{re.escape(kind)}: {pattern}$") if pattern else None
        if regex is None or not any(regex.match(message) for message in messages):
            missing.append(f"{key} ({pattern or 'no message'})")
    assert missing == [], (
        "sites of torch/optim/lr_scheduler.py with no entry: write a snippet in pitfalls/ that reaches each, "
        "or list it as left out, with the reason, in docs/troubleshooting.md:\n  " + "\n  ".join(missing)
    )
    assert set(excused) <= {f"{where}: {kind}" for where, kind, _ in sites}, "a left-out site no longer exists"


# ------------------------------------------------------------------------- mistakes and fixes, run


@pytest.mark.parametrize("name", [name for name in NAMES if built_here(name)])
def test_the_mistake_shows_and_the_fix_fixes_it(name):
    snippet, broken, fixed = runs(name)
    troubleshooting.check(snippet, broken, fixed)  # raises naming the snippet
    assert fixed.message == ""
    assert broken.message or broken.lrs != fixed.lrs


def test_a_silent_fix_gives_the_schedule_it_promises():
    """What each figure's right curve must be, computed without the scheduler."""
    import math

    def cosine(step, t_max, eta_min=1e-4, base=1e-3):
        return eta_min + (base - eta_min) * (1 + math.cos(math.pi * step / t_max)) / 2

    right = {name: runs(name)[2].lrs for name in NAMES if built_here(name) and runs(name)[2].lrs}
    for name in ("cosine_t_max_in_epochs", "cosineannealinglr_past_t_max", "scheduler_stepped_under_gradient_accumulation"):
        expected = [cosine(step, 32) for step in range(32)]
        assert right.get(name) == pytest.approx(expected, rel=1e-12), name
    assert right["scheduler_state_not_loaded"] == pytest.approx([cosine(step, 32) for step in range(32)], rel=1e-12)
    wrong = runs("sequentiallr_last_epoch")[1].lrs
    assert wrong[6:9] == pytest.approx([1e-4, 2.125e-4, 1e-3]), "SequentialLR resumed with last_epoch=5"
    assert runs("scheduler_stepped_under_gradient_accumulation")[1].message.startswith("UserWarning: Detected call of `lr_scheduler.step()`")


@pytest.mark.parametrize("name", [name for name in NAMES if not built_here(name)])
def test_a_recorded_message_is_what_the_package_prints(name):
    """Messages of packages the site does not build with are recorded in pitfalls/NAME.txt; run the
    code here, with the test dependencies, and hold the record to it."""
    pytest.importorskip(troubleshooting.Snippet.load(name).recorded)
    snippet, broken, fixed = runs(name)
    recorded = (troubleshooting.SNIPPETS_DIR / f"{name}.txt").read_text(encoding="utf-8").strip()
    assert broken.output == recorded, f"pitfalls/{name}.txt is out of date: write {broken.output!r} in it"
    troubleshooting.check(snippet, broken, fixed)


def test_every_snippet_is_an_entry_on_both_pages():
    for language, page in PAGES.items():
        source = page.read_text(encoding="utf-8")
        used = re.findall(r"\{\{ pitfall (\w+)( fix)? \}\}", source)
        for name in NAMES:
            assert (name, "") in used and (name, " fix") in used, f"{page.name}: {name} lacks its entry or its fix"
        assert sorted({name for name, _ in used}) == NAMES, f"{page.name} names a snippet that does not exist"


def test_a_page_heading_stands_where_the_message_is_another_entrys():
    for name in NAMES:
        snippet, broken, _ = runs(name)
        if snippet.heading == "page" or (built_here(name) and not broken.message):
            for language, page in PAGES.items():
                before = page.read_text(encoding="utf-8").split(f"{{{{ pitfall {name} }}}}")[0]
                assert re.search(rf"\{{ #{troubleshooting.anchor(name)} \}}\n", before), f"{page.name}: {name} has no heading"


def test_a_heading_leaves_out_the_sentences_that_link_to_a_web_page():
    """The whole message is in what PyTorch printed; its heading, which the search weighs most, keeps
    what it says about the mistake (a version's dots end no sentence)."""
    first_line = lambda name: runs(name)[1].message.split("\n")[0]
    shown = troubleshooting.without_links(first_line("step_with_epoch"))
    assert shown.endswith("the closed form is used instead of the new chainable form, where available.")
    assert "://" not in shown and "issue" not in shown
    shown = troubleshooting.without_links(first_line("scheduler_before_optimizer"))
    assert "In PyTorch 1.1.0 and later, you should call them" in shown and "://" not in shown
    assert troubleshooting.without_links(first_line("not_an_optimizer")) == "TypeError: Linear is not an Optimizer"


# ------------------------------------------------------------------------------ explorer links

NODE = shutil.which("node")
PARSE = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const dir = process.argv[1];
const state = await import(pathToFileURL(`${dir}/state.js`).href);
const engine = await import(pathToFileURL(`${dir}/engine.js`).href);
const out = JSON.parse(readFileSync(0, "utf8")).map((query) => {
  const parsed = state.parseQuery(query);
  try { engine.simulate(state.engineSettings(parsed.settings)); return { errors: parsed.errors, error: null }; }
  catch (error) { return { errors: parsed.errors, error: `${error.name}: ${error.message}` }; }
});
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.skipif(NODE is None, reason="node is needed to run the explorer's modules")
def test_every_explorer_link_opens_the_entrys_settings():
    """Each link parses without an error, and where the mistake is an argument the explorer can
    express, the explorer shows torch's own message for it."""
    linked = [name for name in NAMES if troubleshooting.Snippet.load(name).explorer]
    queries = [troubleshooting.Snippet.load(name).explorer for name in linked]
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", PARSE, str(ROOT / "docs" / "assets" / "explorer")],
        input=json.dumps(queries), capture_output=True, text=True, timeout=120,
        env=explorer_spec.node_environment(),  # the spec the build writes into the page
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for name, outcome in zip(linked, json.loads(result.stdout)):
        assert outcome["errors"] == [], f"pitfalls/{name}.py: the explorer drops part of the link: {outcome['errors']}"
        message = runs(name)[1].message
        if message.startswith("ValueError") and "Tried to step" not in message:
            shown = (outcome["error"] or "").partition(": ")[2]  # the engine's class is TorchError
            whole = lambda text: re.sub(r"\b(\d+)\.0\b", r"\1", text)  # the explorer's numbers are floats: 30.0
            assert whole(shown) == whole(message.partition(": ")[2]), f"pitfalls/{name}.py: the explorer says {shown!r}"
        else:
            assert outcome["error"] is None, f"pitfalls/{name}.py: {outcome['error']}"


# ---------------------------------------------------------------------------- found by pasting

# Pasted messages that do not find their entry first, each explained; the test fails when one more
# misses, and when one of these starts to find its entry (then remove it). What the site answers
# (mkdocs.yml's `search:`, scripts/search_ranking.py, scripts/troubleshooting.py): numbers and
# punctuation are not words; every word is indexed (a quoted message makes each of its words
# required); the "n" of a "\n" before a numbered line is not a word (lunr's query parser keeps it
# as a letter: "state\n2." asked for "staten"); a heading leaves out a message's sentences that link
# to a web page; the troubleshooting page weighs a little more than its neighbours. What no setting
# reaches, in Material's handling of what the reader types (9.8.1 has no hook for the query):
# - Chinese site, "ValueError: Factor should be < 1.0.": Material drops "ValueError:" (its lexer
#   reads "ValueError:" as a field name), and "<" and "1.0." are separators, so lunr looks for
#   "factor* should* be*". The entry's heading matches factor, should and be (lunr's title weights
#   3737.6 + 5606.5 + 4057.0); ConstantLR's "Constant multiplicative factor expected to be between
#   0 and 1." and LinearLR's end_factor message match factor and be, and "be*" also matches
#   "between" (6111.2), rarer than "should" on the Chinese site, where only torch's messages are
#   English. Material doubles all three (each holds every query word it counts: "should" is a
#   stop word, so its absence is not); scores 6753.1 and 6752.0 against 6508.4. On the English site
#   "between" is common in prose and the entry comes first (3837.9 against 3467.3). Only a heading
#   holding more than torch's message, or prose written for its word counts, would reach it.
KNOWN_MISSES: set[tuple[str, str, str]] = {
    ('zh', 'plateau-factor', 'first 60 characters'),
    ('zh', 'plateau-factor', 'message'),
    ('zh', 'plateau-factor', 'other numbers'),
}


def pasted(message: str) -> dict[str, str]:
    """What a reader pastes: the message's first line, its first 60 characters, and the message with
    numbers of their own (their step counts)."""
    line = message.split("\n")[0]
    queries = {"message": line, "first 60 characters": line[:60]}
    if re.search(r"\d", line):
        queries["other numbers"] = re.sub(r"\d+", lambda m: str(int(m[0]) * 7 + 3), line)
    return queries


def search(page, query: str) -> str | None:
    """The first section the site's search lists for `query` (Material lists the page, then its
    sections), as its anchor, or None when nothing is found."""
    sections = [href for href in searched(page, query) if "#" in href]
    if not sections:
        return None
    return sections[0].split("#", 1)[1] if "/troubleshooting/" in sections[0] else sections[0]


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_pasted_message_finds_its_entry_first(browser, site_server, language):
    entries = {}
    for name in NAMES:
        snippet, broken, _ = runs(name)
        message = broken.message if built_here(name) else broken.output.splitlines()[-1]
        if message and snippet.heading != "page":
            entries[troubleshooting.anchor(name)] = message
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_server + ("zh/" if language == "zh" else ""), wait_until="networkidle")
    misses = {}
    for anchor, message in entries.items():
        for form, query in pasted(message).items():
            found = search(page, query)
            if found != anchor:
                misses[(language, anchor, form)] = f"{query[:70]!r} finds {found} first"
    context.close()
    known = {miss for miss in KNOWN_MISSES if miss[0] == language}
    new = [f"{key}: {misses[key]}" for key in sorted(set(misses) - known)]
    fixed = sorted(known - set(misses))
    assert new == [], "pasted messages that do not find their entry first:\n  " + "\n  ".join(new)
    assert fixed == [], f"these now find their entry first: remove them from KNOWN_MISSES: {fixed}"


def test_the_chinese_page_shows_code_commented_in_chinese():
    """Every comment of a snippet has its `# zh:` line; torch's printed messages stay as printed."""
    for name in NAMES:
        snippet = troubleshooting.Snippet.load(name)
        for code in (snippet.broken, snippet.fixed):
            for line in troubleshooting.in_language(code, "zh").splitlines():
                comment = line.partition("#")[2]
                assert not comment or re.search(r"[\u4e00-\u9fff]", comment), f"pitfalls/{name}.py: {line.strip()!r}"
            assert "# zh:" not in troubleshooting.in_language(code, "en"), f"pitfalls/{name}.py"
