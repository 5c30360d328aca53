"""Trust: the code a reader copies runs and draws the published curve; the data is pinned by
golden files; the same sources build the same bytes; the Chinese pages are Chinese throughout."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from conftest import LANGUAGES, ROOT, build, copy_project, expected_pages
from test_build import code_blocks, parse

from catalog import load_catalog

GOLDEN_DIR = ROOT / "tests" / "golden"

# Runs a copied example in a fresh interpreter and prints every curve its first figure drew.
# Warnings are errors (a page must not teach code that warns), except matplotlib's note that the
# Agg backend cannot show a window, which plt.show() triggers on a machine without a screen.
DRAWN_SERIES = """
import json, runpy, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
runpy.run_path(sys.argv[1], run_name="__main__")
lines = [line for axes in plt.figure(1).axes for line in axes.lines]
print(json.dumps([[float(value) for value in line.get_ydata()] for line in lines]))
"""
WARNINGS_AS_ERRORS = ["-W", "error", "-W", "ignore:FigureCanvasAgg is non-interactive:UserWarning"]


def manifest_entries(site):
    return {entry["id"]: entry for entry in json.loads((site / "schedules.json").read_text())["examples"]}


def draw(script: Path) -> list[list[float]]:
    result = subprocess.run(
        [sys.executable, *WARNINGS_AS_ERRORS, "-c", DRAWN_SERIES, str(script)],
        capture_output=True,
        text=True,
        cwd=script.parent,
        timeout=300,
    )
    assert result.returncode == 0, f"{script.name} failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def copied_code(site, example, language) -> str:
    html = (site / example.page_url(language) / "index.html").read_text(encoding="utf-8")
    blocks = code_blocks(html)
    assert len(blocks) == 1, f"{example.page_url(language)}: {len(blocks)} code blocks"
    return blocks[0]


def test_code_copied_from_every_page_runs_and_draws_the_published_curve(site, catalog, tmp_path):
    entries = manifest_entries(site)
    jobs = []
    for example in catalog.examples:
        codes = {language: copied_code(site, example, language) for language in LANGUAGES}
        assert len(set(codes.values())) == 1, f"{example.id}: the pages show different code per language"
        copied = tmp_path / f"copied_{example.id}.py"
        copied.write_text(codes[LANGUAGES[0]], encoding="utf-8")
        downloaded = site / "generated" / example.script
        jobs += [(example.id, "code copied from the page", copied), (example.id, "downloaded .py", downloaded)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        drawn = list(pool.map(lambda job: draw(job[2]), jobs))
    for (example_id, what, _), curves in zip(jobs, drawn):
        assert entries[example_id]["lr"] in curves, f"{example_id}: the {what} does not draw the published lr"


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


def test_two_clean_builds_are_byte_identical(site, tmp_path):
    project = copy_project(tmp_path / "again")
    result = build(project)
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
}
# Runs of English words that may stand in Chinese prose: names, not prose.
ENGLISH_ALLOWED = re.compile(r"PyTorch|SGD|Adam(W)?|Transformer|Python|Jupyter|ResNet|CSV|MathML|GitHub|Lighthouse")


@pytest.mark.parametrize("page", sorted(p for p in expected_pages(load_catalog()) if p.startswith("zh/")))
def test_chinese_pages_hold_no_english_prose_and_follow_the_glossary(site, page):
    text = parse(site / page).text
    stripped = ENGLISH_ALLOWED.sub("", text)
    prose = re.findall(r"\b(?:[A-Za-z]{2,}[ ,.;:]+){3,}[A-Za-z]{2,}\b", stripped)
    prose = [run for run in prose if not re.search(r"[A-Z][a-z]+[A-Z]|_|\(", run)]  # class names, parameters
    assert prose == [], f"{page}: English prose left untranslated: {prose[:3]}"
    wrong = {variant: term for variant, term in GLOSSARY_VARIANTS.items() if variant in text}
    assert wrong == {}, f"{page}: use the glossary's terms: " + ", ".join(f"{v} -> {t}" for v, t in wrong.items())
