"""Trust: the code a reader copies runs and draws the published curve; the data is pinned by
golden files; the same sources build the same bytes; the Chinese pages are Chinese throughout."""

from __future__ import annotations

import csv
import json
import re
from html import unescape
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from conftest import LANGUAGES, ROOT, SITE_URL, build, copy_project, expected_pages
from test_build import code_blocks, parse

from catalog import load_catalog

GOLDEN_DIR = ROOT / "tests" / "golden"

# Runs copied examples, each in a fresh process, and reports every curve its first figure drew.
# Importing torch takes seconds, running an example a fraction of one: so one interpreter imports
# torch and matplotlib once (and warms them up), then forks a child per example, which starts from that clean state
# (nothing of any other example) and runs the code as a reader would. Warnings are errors (a page
# must not teach code that warns), except matplotlib's note that the Agg backend cannot show a
# window, which plt.show() triggers on a machine without a screen.
FORKING_RUNNER = r"""
import json, os, runpy, sys, traceback, warnings
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import torch
# The first optimizer a process constructs imports much of torch's compiler stack (about 2 s): pay
# that once here too, not in every child.
torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.1)
for line in sys.stdin:
    script, report = json.loads(line)
    child = os.fork()
    if child == 0:
        try:
            warnings.simplefilter("error")
            warnings.filterwarnings("ignore", "FigureCanvasAgg is non-interactive", UserWarning)
            os.chdir(os.path.dirname(script))
            runpy.run_path(script, run_name="__main__")
            lines = [line for axes in plt.figure(1).axes for line in axes.lines]
            result = {"curves": [[float(value) for value in line.get_ydata()] for line in lines]}
        except BaseException:
            result = {"error": traceback.format_exc()}
        with open(report, "w") as handle:
            json.dump(result, handle)
        os._exit(0)
    os.waitpid(child, 0)
    print(report, flush=True)
"""


def manifest_entries(site):
    return {entry["id"]: entry for entry in json.loads((site / "schedules.json").read_text())["examples"]}


def draw_all(scripts: list[Path], workers: int = 2) -> list[list[list[float]]]:
    """The curves each script draws, each run in its own forked process (see FORKING_RUNNER)."""

    def run(batch):
        lines = "".join(json.dumps([str(script), str(script) + ".json"]) + "\n" for script in batch)
        result = subprocess.run([sys.executable, "-c", FORKING_RUNNER], input=lines, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, [scripts[index::workers] for index in range(workers)]))
    drawn = []
    for script in scripts:
        outcome = json.loads(Path(str(script) + ".json").read_text())
        assert "error" not in outcome, f"{script.name} failed:\n{outcome.get('error', '')[-3000:]}"
        drawn.append(outcome["curves"])
    return drawn


def copied_code(site, example, language) -> str:
    html = (site / example.page_url(language) / "index.html").read_text(encoding="utf-8")
    # The page's program is the block that runs and plots; a page may show snippets besides it
    # (recipe-wsd's per-group decay, tested in tests/test_recipes.py).
    blocks = [block for block in code_blocks(html) if "plt.show()" in block]
    assert len(blocks) == 1, f"{example.page_url(language)}: {len(blocks)} programs"
    return blocks[0]


def test_code_copied_from_every_page_runs_and_draws_the_published_curve(site, catalog, tmp_path):
    entries = manifest_entries(site)
    jobs = []
    for example in catalog.examples:
        codes = {language: copied_code(site, example, language) for language in LANGUAGES}
        assert len(set(codes.values())) == 1, f"{example.id}: the pages show different code per language"
        copied = tmp_path / f"copied_{example.id}.py"
        copied.write_text(codes[LANGUAGES[0]], encoding="utf-8")
        downloaded = tmp_path / f"downloaded_{example.script}"
        downloaded.write_bytes((site / "generated" / example.script).read_bytes())
        jobs += [(example.id, "code copied from the page", copied), (example.id, "downloaded .py", downloaded)]
    drawn = draw_all([script for _, _, script in jobs])
    for (example_id, what, _), curves in zip(jobs, drawn):
        assert entries[example_id]["lr"] in curves, f"{example_id}: the {what} does not draw the published lr"


def test_a_copied_example_that_warns_or_draws_otherwise_is_caught(tmp_path):
    """The runner above is what every page's code is held to: prove it fails on a warning and on an
    error, and reports what a good example drew."""
    good = tmp_path / "good.py"
    good.write_text("import matplotlib.pyplot as plt\nplt.plot([1.0, 2.0])\nplt.show()\n")
    warns = tmp_path / "warns.py"
    warns.write_text("import warnings\nwarnings.warn('careful')\n")
    assert draw_all([good], workers=1) == [[[1.0, 2.0]]]
    with pytest.raises(AssertionError, match="careful"):
        draw_all([warns], workers=1)


def test_every_notebook_is_valid_and_holds_the_page_code(site, catalog):
    for example in catalog.examples:
        notebook = nbformat.read(site / "generated" / f"{example.script_stem}.ipynb", as_version=4)
        nbformat.validate(notebook)
        notebook_code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
        page_lines = [line for line in copied_code(site, example, LANGUAGES[0]).splitlines() if line.strip()]
        notebook_lines = notebook_code.splitlines()
        missing = [line for line in page_lines if line not in notebook_lines]
        assert missing == [], f"{example.script_stem}.ipynb lacks lines of the page code: {missing[:3]}"


def read_series(path: Path) -> dict[str, list[float]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {column: [float(row[column]) for row in rows] for column in rows[0] if column != "step"}


def test_published_data_matches_the_golden_data(site, catalog):
    """A torch upgrade that changes a scheduler is a review, not a silent regeneration:
    after checking the pages' prose, run `make golden` to accept the new numbers."""
    golden_ids = {path.stem for path in GOLDEN_DIR.glob("*.csv")}
    catalog_ids = {example.id for example in catalog.examples}
    assert golden_ids == catalog_ids, (
        f"tests/golden/ is out of step with the catalog: missing {sorted(catalog_ids - golden_ids)}, "
        f"extra {sorted(golden_ids - catalog_ids)}; run `make golden` after reviewing the new examples"
    )
    for example in catalog.examples:
        published, golden = read_series(site / "data" / f"{example.id}.csv"), read_series(GOLDEN_DIR / f"{example.id}.csv")
        assert list(published) == list(golden), f"{example.id}: columns changed from {list(golden)} to {list(published)}"
        for column, values in golden.items():
            for step, (old, new) in enumerate(zip(values, published[column])):
                assert abs(old - new) <= 1e-12 * max(abs(old), abs(new)), (
                    f"{example.id}: {column} changed at step {step}: {old!r} (golden) -> {new!r} (torch now). "
                    "Review the page's prose and figures, then run `make golden`."
                )
            assert len(values) == len(published[column]), f"{example.id}: {column} has a different length"


@pytest.mark.rebuild
def test_two_clean_builds_are_byte_identical(site, tmp_path):
    project = copy_project(tmp_path / "again")
    result = build(project, SITE_URL=SITE_URL)
    assert result.returncode == 0, result.stderr

    def tree(root):
        return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}

    first, second = tree(site), tree(project / "site")
    differing = sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))
    assert differing == [], f"the second build differs, first at {differing[0]} ({len(differing)} files in all)"


# Terms of the glossary (docs/glossary.zh.md) and the variants that must not replace them.
GLOSSARY_VARIANTS = {
    "热身": "预热",
    "学习速率": "学习率",
    "衰退": "衰减",
    "调度程序": "调度器",
    "冷却时间": "冷却期",
    "余弦衰减": "余弦退火",
    "动能": "动量",
    "批大小": "批次大小",
    "必填": "必需",
    "训练量固定": "训练预算",
    "固定预算训练": "训练预算",
    "平台期调度器": "ReduceLROnPlateau",
}
# Runs of English words that may stand in Chinese prose: names, not prose.
ENGLISH_ALLOWED = re.compile(r"PyTorch|SGD|Adam(W)?|Transformer|Python|Jupyter|ResNet|CSV|MathML|GitHub|Lighthouse")


@pytest.mark.parametrize("page", sorted(p for p in expected_pages(load_catalog()) if p.startswith("zh/")))
def test_chinese_pages_hold_no_english_prose_and_follow_the_glossary(site, page):
    text = parse(site / page).text
    # A heading that is a message torch prints (troubleshooting) is code, as torch prints it; the
    # table of contents repeats it as plain text, which is no prose to translate either.
    html = (site / page).read_text(encoding="utf-8")
    messages = re.findall(r'<h[23] id="([^"]+)"><code>', html)
    for anchor in messages:
        for entry in re.findall(rf'<a href="#{re.escape(anchor)}" class="md-nav__link">\s*<span class="md-ellipsis">\s*([^<]+?)\s*</span>', html):
            text = text.replace(" ".join(unescape(entry).split()), "")
    stripped = ENGLISH_ALLOWED.sub("", text)
    prose = re.findall(r"\b(?:[A-Za-z]{2,}[ ,.;:]+){3,}[A-Za-z]{2,}\b", stripped)
    prose = [run for run in prose if not re.search(r"[A-Z][a-z]+[A-Z]|_|\(", run)]  # class names, parameters
    assert prose == [], f"{page}: English prose left untranslated: {prose[:3]}"
    wrong = {variant: term for variant, term in GLOSSARY_VARIANTS.items() if variant in text}
    assert wrong == {}, f"{page}: use the glossary's terms: " + ", ".join(f"{v} -> {t}" for v, t in wrong.items())


def test_the_explorers_chinese_strings_follow_the_glossary():
    """The explorer's labels and help are written by its script, not in any page's HTML."""
    strings = (ROOT / "docs" / "assets" / "explorer" / "strings.js").read_text(encoding="utf-8")
    wrong = {variant: term for variant, term in GLOSSARY_VARIANTS.items() if variant in strings}
    assert wrong == {}, "docs/assets/explorer/strings.js: use the glossary's terms: " + ", ".join(f"{v} -> {t}" for v, t in wrong.items())
