"""Prose numbers: every number a page gives about its example's run comes from that run.

Example pages write such numbers as placeholders (`{{ lr 9 }}`, `{{ arg gamma }}`: see
scripts/prose_numbers.py), which the build fills from `schedules.json` in both languages. These
tests make sure none is typed by hand, where it would go stale when the script changes:

- the parameter table: a "Here" cell is `{{ arg NAME }}` when the script passes NAME, else it
  repeats the Default cell, and every Default cell is torch's own default (inspect.signature), or
  the script's for a scheduler class the script defines;
- sentences about the run: in the paragraphs that follow `{{ downloads }}` (each page's account of
  its run) and in any sentence that says "here", "this run", 本例, 这里 ..., every number is a
  placeholder, unless TYPED below lists it for that page with the reason it is not about the run
  (a counterfactual, a formula constant);
- anywhere on an example page: a typed decimal that equals a value the run recorded (at the digits
  it shows) is a number about the run written by hand, even in a sentence that does not say "here".

A failure names the page, the number and the sentence, and suggests the placeholder that writes it.

Limits, on purpose: the step a sentence chooses to read may stay typed beside its placeholder
("`{{ lr 7 }}` at step 7" stays true whatever the run); an exception in TYPED holds for that number
anywhere on the page; words ("halves") are not numbers and are not checked.
The acceptance of issue #15 is a test too: change `gamma` in a scratch copy of plot_steplr.py (to a
value chosen from the one it has) and build; the StepLR pages follow in both languages, and a number
left typed fails the check.
"""

from __future__ import annotations

import ast
import inspect
import re
import shutil

import prose_numbers
import pytest
import torch
from catalog import load_catalog
from conftest import LANGUAGES, ROOT, build, copy_project
from manifest import Constructions
from test_reference import keyword_arguments
from test_twins import NUMBER, PLACEHOLDER, THOUSANDS, blocks

CATALOG = load_catalog()
PAGES = [(example, language) for example in CATALOG.examples for language in LANGUAGES]

RUN_WORDS = re.compile(r"\bhere\b|\bthis run\b|\bthe run\b|\bthis example\b|本例|这里|此处|本次运行|这次运行", re.IGNORECASE)
SENTENCE = re.compile(r"(?<=[.!?;:])\s+(?=\S)|(?<=[。！？；：])")
PARAMETERS_HEADINGS = {"Parameters", "参数"}
HERE_HEADERS = {"Here", "本例取值"}
REQUIRED = {"required", "必填", "必需"}

# Numbers typed on purpose in sentences about the run, per example, with why they are not (or
# cannot be) written from the run. Twins hold the same numbers (tests/test_twins.py), so one list
# serves both languages.
COUNTERFACTUAL = "what the run would do with other settings: not recorded, typed from a run made by hand"
TYPED: dict[str, dict[str, str]] = {
    "exponentiallr": {"1": "advice: a gamma stepped per batch sits close to 1"},
    "polynomiallr-power1": {n: "figure 2's sweep over power, not the recorded run" for n in ("2.5e-4", "1.25e-4")},
    "polynomiallr-power2": {
        **{n: "the powers of the power=1 page's sweep" for n in ("0.5", "1", "2", "3")},
        "4": "the bound's formula, (1/4)^p",
    },
    "cosineannealingwarmrestarts-tmult2": {n: "the formula of T_mult=2's cycle ends, 3 * T_0, 7 * T_0, 15 * T_0" for n in ("3", "7", "15")},
    "cycliclr-exp-range": {
        "2022": "the year of an article",
        **{n: COUNTERFACTUAL + " (gamma=1.1)" for n in ("1.1", "1.3e-2", "13", "-0.54")},
    },
    "onecyclelr-cos": {
        "25": "div_factor's default, which the script leaves alone",
        **{n: COUNTERFACTUAL + " (pct_start=0.0 or 1.0)" for n in ("0.0", "1.0", "9.98e-4")},
    },
    "onecyclelr-linear": {
        "25": "div_factor's default, which the script leaves alone",
        "0.3": "pct_start's default, which the script leaves alone",
        "1": "a constant of the formula",
    },
    "onecyclelr-three-phase": {
        "25": "div_factor's default, which the script leaves alone",
        **{n: "a constant of the formula" for n in ("1", "2")},
        **{n: COUNTERFACTUAL + " (pct_start=0.6)" for n in ("0.6", "2.34e-4")},
    },
    "reducelronplateau": {
        **{
            n: "a step of the written-out loss curve that the account walks through"
            for n in ("5", "7", "8", "9", "10", "12", "14", "15", "16", "17", "18", "19", "21", "25", "27")
        },
        **{n: COUNTERFACTUAL + " (cooldown=0, threshold=1e-4)" for n in ("0", "1e-4")},
    },
    "lambdalr": {n: "a constant of the script's lambda, or step 0 where every scheduler starts" for n in ("0", "1", "8")},
    "multiplicativelr": {n: "the script's lambda: a factor of 0.9, 10% a step" for n in ("0.9", "10")},
    "sequentiallr": {n: "the cosine's own step count, restarted at 0 by SequentialLR" for n in ("0", "1")},
    "chainedscheduler": {
        "0": "step 0, where every scheduler starts",
        "5": "ExponentialLR's gamma=0.95 as a percentage",
        "3.07e-4": COUNTERFACTUAL + " (the same schedulers in SequentialLR)",
    },
    "custom-warmup-cosine": {
        "0": "the class's warmup formula starts at 0 by design",
        **{n: "the SequentialLR example's warmup, another page's run" for n in ("1e-4", "1.125e-4")},
    },
}


def page_path(example, language) -> str:
    return f"docs/{example.page_src(language)}"


def _source(example, language) -> str:
    return (ROOT / page_path(example, language)).read_text(encoding="utf-8")


def _entry(site, example) -> dict:
    return prose_numbers.manifest_entry((site / "schedules.json").read_text(encoding="utf-8"), example.id)


# ------------------------------------------------------------------------------ placeholders


def test_numbers_are_written_the_way_the_site_writes_them():
    cases = {1e-3: "1e-3", 5e-4: "5e-4", 1.125e-4: "1.125e-4", 7.8125e-6: "7.81e-6", 0.0009992134: "9.99e-4",
             0.834: "0.834", 0.5: "0.5", 8.0: "8", 0.0: "0", 1e4: "1e4", -4.46e-5: "-4.46e-5", 5.500000000000001e-4: "5.5e-4"}
    assert {value: prose_numbers.format_number(value) for value in cases} == cases
    assert prose_numbers.format_list(["8", "16", "24"], "en") == "8, 16 and 24"
    assert prose_numbers.format_list(["8", "16", "24"], "zh") == "8、16 和 24"


RUN = {
    "scheduler": {"class": "StepLR", "kwargs": {"step_size": 4, "gamma": 0.5}},
    "optimizer": {"class": "SGD", "kwargs": {"lr": 0.001, "momentum": 0.9}},
    "lr": [1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4, 0.000125 * 1.0001],
}
SOURCE = "LEARNING_RATE = 1e-3\noptimizer = SGD(p, lr=LEARNING_RATE, momentum=0.9)\nscheduler = StepLR(optimizer, step_size=4, gamma=5e-1)\n"


def expand(text, language="en", before=""):
    match = PLACEHOLDER.fullmatch(text)
    return prose_numbers.expand(match[1], match[2], entry=RUN, source=SOURCE, language=language, before=before)


def test_placeholders_write_the_run_and_the_script():
    assert expand("{{ arg gamma }}") == "5e-1"  # as the script wrote it
    assert expand("{{ arg optimizer.lr }}") == "1e-3"  # a constant: its value
    assert expand("{{ lr 2 }}") == "5e-4" and expand("{{ lr -2 }}") == "2.5e-4"
    assert expand("{{ lr last }}", before="down to about ") == "1.25e-4"
    assert expand("{{ step peak }}") == "0" and expand("{{ step last }}") == "5"
    assert expand("{{ count drops }}") == "3" and expand("{{ count steps }}") == "6"
    assert expand("{{ list drops }}", "zh") == "2、4 和 5"


def test_the_last_step_is_a_peak_or_trough_only_at_the_runs_extreme():
    # CyclicLR (triangular) over 32 steps: troughs at 8, 16 and 24; step 31 is still falling.
    triangle = [1e-4 + 2.25e-4 * min(t % 8, 8 - t % 8) / 2 for t in range(32)]
    assert prose_numbers.events(triangle, "troughs") == [8, 16, 24]
    assert prose_numbers.events(triangle, "peaks") == [4, 12, 20, 28]
    assert prose_numbers.events([3.0, 2.0, 1.0, 2.0, 1.0], "troughs") == [2, 4]  # back at the lowest
    assert prose_numbers.events([1.0, 2.0, 3.0], "peaks") == [2] and prose_numbers.events([1.0, 3.0, 2.0, 2.5], "peaks") == [1]


def test_every_page_that_lists_peaks_or_troughs_agrees_with_one_more_step(site):
    """Run each such page's example one step past its run (from its schedules.json description): a
    step the page calls a peak or trough must still be one with its successor known, and no other."""
    from test_reference import construct

    used = 0
    for example in CATALOG.examples:
        wanted = {what for language in LANGUAGES for what in re.findall(r"\{\{ (?:list|count) (peaks|troughs) \}\}", _source(example, language))}
        if not wanted:
            continue
        used += 1
        entry = _entry(site, example)
        optimizer = getattr(torch.optim, entry["optimizer"]["class"])(torch.nn.Linear(2, 1).parameters(), **entry["optimizer"]["kwargs"])
        scheduler, longer = construct(entry["scheduler"], optimizer, {}), []
        for _ in range(len(entry["lr"]) + 1):
            optimizer.step()
            longer.append(optimizer.param_groups[0]["lr"])
            scheduler.step()
        assert longer[:-1] == entry["lr"], example.id
        for what in wanted:
            known = [t for t in prose_numbers.events(longer, what) if t < len(entry["lr"])]
            assert prose_numbers.events(entry["lr"], what) == known, f"{example.id}: {what}"
    assert used >= 2, "no page lists peaks or troughs any more: this test no longer tests anything"


@pytest.mark.parametrize(
    "placeholder, message",
    [
        ("{{ lr 6 }}", "step 6 is outside the run, which has 6 steps (0 to 5)"),
        ("{{ lr nine }}", "write a step index (0 to 5) or one of peak, min, last"),
        ("{{ momentum 1 }}", "this example records no momentum"),
        ("{{ arg last_epoch }}", "the script does not pass `last_epoch` to StepLR"),
        ("{{ lr last }}", "rounded, so say so"),
        ("{{ count restarts }}", "write {{ count WHAT }} with WHAT one of steps, drops, rises, peaks"),
    ],
)
def test_a_placeholder_that_cannot_be_filled_says_what_to_write(placeholder, message):
    with pytest.raises(prose_numbers.ProseNumberError, match=re.escape(message)):
        expand(placeholder, before="The sentence ends. Then ")


# ---------------------------------------------------------------------------- parameter tables


def parameter_rows(source: str) -> list[dict[str, str]]:
    """The rows of the page's parameter table, as {column header: cell source}."""
    rows, header, section = [], None, None
    for line in source.splitlines():
        if line.startswith("## "):
            section, header = line[3:].strip(), None
        if section not in PARAMETERS_HEADINGS or not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not set(cells) <= {"---", ":---", "---:"}:
            rows.append(dict(zip(header, cells)))
    return rows


def torch_defaults(example) -> dict[str, object]:
    """The constructor's defaults: torch's, or those of a scheduler class the script defines."""
    constructions = Constructions(example.script_path)
    class_name = constructions.describe("scheduler")["class"]
    if class_name in constructions.classes:
        init = next(node for node in constructions.classes[class_name].body if getattr(node, "name", "") == "__init__")
        arguments = init.args.args[1:]
        defaults = [inspect.Parameter.empty] * (len(arguments) - len(init.args.defaults))
        defaults += [ast.literal_eval(node) for node in init.args.defaults]
        return {argument.arg: default for argument, default in zip(arguments, defaults)}
    signature = inspect.signature(getattr(torch.optim.lr_scheduler, class_name))
    return {name: parameter.default for name, parameter in signature.parameters.items()}


def _cell_value(cell: str):
    if cell.split(":")[0].strip().lower() in REQUIRED:
        return inspect.Parameter.empty
    code = re.match(r"`([^`]*)`", cell)
    if not code:
        raise ValueError(f"neither `a value` nor {' / '.join(sorted(REQUIRED))}")
    try:
        return ast.literal_eval(code[1])
    except (ValueError, SyntaxError):
        return eval(compile(code[1], "<cell>", "eval"), {"__builtins__": {}})  # `1/3`


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1)
    return a == b


@pytest.mark.parametrize("example, language", PAGES, ids=lambda value: getattr(value, "id", value))
def test_the_parameter_table_takes_here_from_the_script_and_default_from_torch(example, language):
    page = page_path(example, language)
    rows = parameter_rows(_source(example, language))
    assert rows, f"{page}: no parameter table under ## {' / '.join(sorted(PARAMETERS_HEADINGS))}"
    passed = Constructions(example.script_path).describe("scheduler")["kwargs"]
    defaults = torch_defaults(example)
    here_column = next(column for column in rows[0] if column in HERE_HEADERS)
    default_column = list(rows[0])[-1]
    for row in rows:
        first = next(iter(row.values()))
        name = re.fullmatch(r"`(\w+)`", first)
        assert name, f"{page}: the parameter table's first column holds `a_name`, not {first!r}"
        name = name[1]
        here, default = row[here_column], row[default_column]
        assert name in defaults, f"{page}: {name} is not a parameter of {example.classes[0]} (torch {torch.__version__})"
        try:
            default_value = _cell_value(default)
        except (ValueError, SyntaxError, NameError) as error:
            pytest.fail(f"{page}: the Default of {name}, {default!r}: {error}")
        assert _same(default_value, defaults[name]), (
            f"{page}: the Default of {name} says {default!r}, but torch's is "
            f"{'required' if defaults[name] is inspect.Parameter.empty else repr(defaults[name])}"
        )
        if name in passed:
            assert here == f"`{{{{ arg {name} }}}}`", (
                f"{page}: the script passes {name}, so its Here cell is `{{{{ arg {name} }}}}`, not {here!r}"
            )
        elif name not in ("optimizer",):
            assert here == default.split(":")[0].strip() or here.strip("`") == default.strip("`"), (
                f"{page}: the script leaves {name} out, so its Here cell is its Default, {default!r}, not {here!r}"
            )


# ------------------------------------------------------------------------------ typed numbers


def typed_numbers(source: str):
    """(number as typed, sentence, whether the sentence is about the run) for every number typed
    outside placeholders, headings, code blocks, link texts and the parameter table."""
    found, section, after_downloads = [], None, False
    for block in blocks(source):
        if block.kind.endswith("heading"):
            section, after_downloads = block.text.strip(), False
            continue
        if "{{ downloads }}" in block.text:
            after_downloads = True
            continue
        if block.kind == "code block" or (section in PARAMETERS_HEADINGS and block.kind == "table row"):
            continue
        text = block.text
        for link_text in block.link_texts:
            text = text.replace(link_text, " ")
        for sentence in SENTENCE.split(text):
            about_the_run = after_downloads or bool(RUN_WORDS.search(sentence))
            # "`{{ lr 7 }}` at step 7": the 7 says which step the placeholder reads, a choice of the
            # writer that stays true whatever the run, so it may be typed.
            chosen_steps = {
                match[2].strip() for match in PLACEHOLDER.finditer(sentence) if match[1] in prose_numbers.SERIES
            }
            bare = THOUSANDS.sub("", PLACEHOLDER.sub(" ", sentence))
            for match in NUMBER.finditer(bare):
                if match[0] not in chosen_steps:
                    found.append((match[0], " ".join(sentence.split()), about_the_run))
    return found


def _digits(typed: str) -> int:
    return max(len(typed.lstrip("-").lower().split("e")[0].replace(".", "").lstrip("0")), 1)


def _matches(typed: str, value: float) -> bool:
    """Whether `value`, written with as many significant digits as `typed` shows, is `typed`."""
    return float(f"{value:.{_digits(typed) - 1}e}") == float(typed)


def suggestions(typed: str, entry: dict) -> list[str]:
    found = []
    for name in prose_numbers.SERIES:
        for step, value in enumerate(entry.get(name, [])):
            if _matches(typed, value):
                found.append(f"{{{{ {name} {step} }}}}")
                break
    for name, value in entry["scheduler"]["kwargs"].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and _matches(typed, value):
            found.append(f"{{{{ arg {name} }}}}")
    if re.fullmatch(r"\d+", typed):
        number = int(typed)
        counts = {"count steps": len(entry["lr"])} | {
            f"count {what}": len(prose_numbers.events(entry["lr"], what)) for what in prose_numbers.EVENTS
        }
        found += [f"{{{{ {name} }}}}" for name, value in counts.items() if value == number]
        for where in prose_numbers.NAMED_STEPS:
            if prose_numbers.step_index(entry, entry["lr"], where) == number:
                found.append(f"{{{{ step {where} }}}}")
    return found[:4]


def stale_numbers(source: str, entry: dict, example_id: str) -> list[str]:
    """What a page types by hand about its run, each with a suggestion; empty when nothing."""
    allowed = {float(number) for number in TYPED.get(example_id, {})}
    problems = []
    for typed, sentence, about_the_run in typed_numbers(source):
        if float(typed) in allowed:
            continue
        decimal = ("." in typed or "e" in typed.lower()) and _digits(typed) >= 2  # `1e-3` alone is too common
        recorded = decimal and any(_matches(typed, v) for name in prose_numbers.SERIES for v in entry.get(name, []))
        if about_the_run or recorded:
            hint = suggestions(typed, entry)
            write = f"write {' or '.join(hint)}" if hint else "write a placeholder (scripts/prose_numbers.py)"
            problems.append(
                f"the typed number {typed} in \"{sentence}\" describes the run: {write}, "
                f"or list it in TYPED[{example_id!r}] of tests/test_prose_numbers.py with why it is not about the run"
            )
    return problems


@pytest.mark.parametrize("example, language", PAGES, ids=lambda value: getattr(value, "id", value))
def test_no_number_about_the_run_is_typed_by_hand(site, example, language):
    problems = stale_numbers(_source(example, language), _entry(site, example), example.id)
    assert problems == [], f"{page_path(example, language)}: " + f"\n{page_path(example, language)}: ".join(problems)


def test_every_typed_exception_is_still_on_its_page():
    for example_id, numbers in TYPED.items():
        example = CATALOG.example(example_id)
        typed = {float(number) for number, _, _ in typed_numbers(_source(example, LANGUAGES[0]))}
        gone = [number for number in numbers if float(number) not in typed]
        assert gone == [], f"TYPED[{example_id!r}] lists {gone}, which its page no longer types: remove them"


# ------------------------------------------------------------------- the acceptance of issue #15


def _code_shows(html: str, value: str) -> bool:
    """Whether the page shows `value` as code (numbers with a minus sign sit in a no-wrap span)."""
    return re.search(rf"<code>(?:<span[^>]*>)?{re.escape(value)}(?:</span>)?</code>", html) is not None


@pytest.mark.rebuild
def test_a_changed_parameter_reaches_both_pages_and_a_typed_number_fails(site, tmp_path):
    """Another gamma in plot_steplr.py: the pages follow; a number typed by hand is named. The new
    gamma is chosen from the script's current one, so the test holds whatever the script says."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(site.parent / "docs" / "generated", project / "docs" / "generated")  # only steplr runs again
    script = project / "gallery" / "plot_steplr.py"
    text = script.read_text(encoding="utf-8")
    gamma = keyword_arguments(script, "StepLR")["gamma"]
    changed = 0.6 if gamma != 0.6 else 0.7
    text, count = re.subn(r"\bgamma=[^,)\s]+", f"gamma={changed}", text)
    assert count == 1, "plot_steplr.py should pass gamma once, as a keyword argument"
    script.write_text(text, encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]

    example = CATALOG.example("steplr")
    before = _entry(site, example)
    entry = prose_numbers.manifest_entry((project / "site" / "schedules.json").read_text(encoding="utf-8"), "steplr")
    assert entry["scheduler"]["kwargs"]["gamma"] == changed and entry["lr"][-1] != before["lr"][-1]
    old, new = prose_numbers.format_number(before["lr"][-1]), prose_numbers.format_number(entry["lr"][-1])
    for language in LANGUAGES:
        html = (project / "site" / example.page_url(language) / "index.html").read_text(encoding="utf-8")
        assert _code_shows(html, new) and not _code_shows(html, old), (
            f"{example.page_url(language)}: the last lr of the run should read {new} (was {old})"
        )
        assert f"<td><code>{changed}</code></td>" in html, f"{example.page_url(language)}: the Here cell of gamma is not {changed}"

    # The same page with the last lr typed by hand, as it was before placeholders: named, both ways.
    for language in LANGUAGES:
        source = _source(example, language)
        placeholder = next(m[0] for m in PLACEHOLDER.finditer(source) if m[1] == "lr")
        typed = source.replace(placeholder, old, 1)
        for run in (before, entry):  # before the change (typed but right) and after it (stale)
            problems = stale_numbers(typed, run, example.id)
            assert any(f"the typed number {old} in" in problem for problem in problems), problems
