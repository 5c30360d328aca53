"""The Evidence page (docs/evidence.md): its numbers are the experiments' recorded results, and
those results are what the scripts compute.

- A short prefix of one arm of every experiment, rerun here in a fresh process, gives the training
  losses recorded with the results bit for bit (one thread, deterministic algorithms, seeded data).
- A script changed after its results were recorded stops the build, naming the experiment and
  the command that records them again.
- The published page shows the recorded numbers, in both languages, and offers every script.
- The Chinese page shows and offers each script with Chinese comments and docstrings, and that is
  all that differs: the code's tokens are the English script's, and its prefix reruns bit for bit.
"""

from __future__ import annotations

import ast
import html
import io
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tokenize

import pytest
from conftest import ROOT
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(ROOT / "scripts"))
import evidence  # noqa: E402
import script_comments  # noqa: E402

SCRIPTS = ["task", *evidence._runner().EXPERIMENTS]  # every script the page shows and offers
CJK = re.compile(r"[\u4e00-\u9fff]")

RERUN = """
import importlib, json, sys
sys.path.insert(0, "experiments")
import run
out = {}
for folder in sys.argv[1:]:  # experiments/, then the Chinese scripts: the same prefix from each
    sys.path.insert(0, folder)
    for name in ("task", *run.EXPERIMENTS):
        sys.modules.pop(name, None)
    import task
    task.deterministic()
    for name in run.EXPERIMENTS:
        recorded = json.load(open(f"experiments/results/{name}.json"))["prefix"]
        module = importlib.import_module(name)
        losses = module.run(recorded["arm"], recorded["seed"], stop=len(recorded["losses"]))["losses"]
        out.setdefault(name, []).append([repr(loss) for loss in losses])
    sys.path.remove(folder)
print(json.dumps(out))
"""


def test_a_prefix_of_every_experiment_reruns_bit_for_bit_in_both_languages(tmp_path):
    pytest.importorskip("schedulefree")
    chinese = tmp_path / "zh"
    chinese.mkdir()
    for name in SCRIPTS:
        (chinese / f"{name}.py").write_text(evidence.script_text(name, "zh"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", RERUN, str(ROOT / "experiments"), str(chinese)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    rerun = json.loads(result.stdout)
    for name, (losses, losses_zh) in rerun.items():
        recorded = json.loads((ROOT / "experiments" / "results" / f"{name}.json").read_text())["prefix"]
        assert len(losses) == len(recorded["losses"]) > 0, name
        assert losses == [repr(loss) for loss in recorded["losses"]], (
            f"experiment {name!r}, arm {recorded['arm']!r}, seed {recorded['seed']}: the rerun differs from "
            f"the recorded results, first at step {next(i for i, (a, b) in enumerate(zip(losses, recorded['losses'])) if a != repr(b))}"
        )
        assert losses_zh == losses, f"the Chinese experiments/{name}.py does not compute what the English one does"


def test_every_experiment_has_results_recorded_from_its_current_script():
    results = evidence.results()
    assert list(results) == list(evidence._runner().EXPERIMENTS)
    for name, result in results.items():
        assert result["provenance"]["threads"] == 1 and result["provenance"]["deterministic"], name
        assert all(len(runs) >= 5 for runs in result["arms"].values()), f"{name}: fewer than 5 seeds in an arm"


def test_a_script_changed_after_its_results_stops_the_build(tmp_path, monkeypatch):
    """The build's own check (hooks_evidence's on_files, which MkDocs calls before it writes any page),
    in-process, on a copy of experiments/ with one script changed."""
    import hooks_evidence

    shutil.copytree(ROOT / "experiments", tmp_path / "experiments", ignore=shutil.ignore_patterns("__pycache__"))
    script = tmp_path / "experiments" / "cosine_length.py"
    script.write_text(script.read_text().replace("PEAK = 0.01", "PEAK = 0.02"))
    monkeypatch.setattr(evidence, "ROOT", tmp_path)
    monkeypatch.setattr(evidence, "EXPERIMENTS_DIR", tmp_path / "experiments")
    with pytest.raises(PluginError) as failure:
        hooks_evidence.on_files([], config={"docs_dir": str(tmp_path / "docs")})  # raises before it reads either
    message = str(failure.value)
    assert "'cosine_length'" in message and "make experiments" in message, message
    assert "'wsd'" not in message, f"only the changed experiment is stale:\n{message}"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_page_shows_the_recorded_numbers_and_offers_every_script(site, language):
    page = (site / ("" if language == "en" else "zh/") / "evidence" / "index.html").read_text(encoding="utf-8")
    for name, result in evidence.results().items():
        arm = next(iter(result["arms"]))
        mean = evidence.prose_numbers.format_number(evidence.statistic(result, arm, "mean"))
        assert f"{mean} [" in page, f"{language}: the table of {name!r} lacks the mean of {arm!r} ({mean})"
        for palette in ("light", "dark"):
            assert (site / evidence.figure_path(name, language, palette)).is_file(), f"{name}: no {palette} figure"
    here = "evidence/" if language == "en" else "zh/evidence/"
    downloads = {posixpath.normpath(here + href) for href in re.findall(r'download="" href="([^"]+)"', page)}
    for name in SCRIPTS:  # each script shown and offered as the page's language writes it
        script = evidence.script_text(name, language)
        assert evidence.script_path(name, language) in downloads, f"{language}: no download of {name}.py"
        assert (site / evidence.script_path(name, language)).read_text(encoding="utf-8") == script, name
        title = html.escape(script.splitlines()[0].strip('"'), quote=False)
        assert title in page, f"{language}: the page does not show experiments/{name}.py as it offers it"


def test_the_wsd_arms_of_a_seed_share_their_constant_phase_bit_for_bit():
    """What the page says: the WSD lengths are cooldowns branched from one constant run."""
    wsd = evidence.results()["wsd"]
    every, arms = wsd["eval_every"], [arm for arm in wsd["arms"] if arm.startswith("WSD")]
    shortest = min(int(arm.split()[1]) for arm in arms)
    shared = int(shortest * 0.8) // every + 1  # the measurements up to the first cooldown
    for seed_runs in zip(*(wsd["arms"][arm] for arm in arms)):
        phases = {tuple(run["errors"][:shared]) for run in seed_runs}
        assert len(phases) == 1, f"seed {seed_runs[0]['seed']}: the WSD arms differ before the first cooldown"


def _code_only(source: str) -> tuple[str, list]:
    """The program without its words: the AST with every docstring blanked, and the tokens less comments."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and ast.get_docstring(node, clean=False) is not None:
            node.body[0].value.value = "docstring"
    docstrings = {unit.start for unit in script_comments.units(source) if unit.kind == "docstring"}
    tokens = [
        (token.type, "docstring" if token.start in docstrings else token.string)
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type not in (tokenize.COMMENT, tokenize.NL)
    ]
    return ast.dump(tree), tokens


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_chinese_script_differs_only_in_its_comments_and_docstrings_all_chinese(name):
    english = (ROOT / "experiments" / f"{name}.py").read_text(encoding="utf-8")
    chinese = evidence.script_text(name, "zh")
    assert chinese != english
    tree, tokens = _code_only(english)
    tree_zh, tokens_zh = _code_only(chinese)
    assert tree_zh == tree, f"experiments/{name}.py: the Chinese version's code differs from the English one's"
    assert tokens_zh == tokens, f"experiments/{name}.py: the Chinese version's tokens differ from the English one's"
    units, units_zh = script_comments.units(english), script_comments.units(chinese)
    assert [unit.kind for unit in units_zh] == [unit.kind for unit in units]
    untranslated = [unit.english for unit in units_zh if not CJK.search(unit.english)]
    assert not untranslated, f"experiments/zh/{name}.yml leaves English on the Chinese page: {untranslated}"


def test_a_comment_without_its_chinese_stops_the_build_naming_the_script_and_line(tmp_path, monkeypatch):
    """In-process, on a copy of experiments/: the build calls the same script_text when it publishes
    the Chinese scripts (add_files, on_files) and fills the page (placeholder)."""
    shutil.copytree(ROOT / "experiments", tmp_path / "experiments", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(evidence, "ROOT", tmp_path)
    monkeypatch.setattr(evidence, "EXPERIMENTS_DIR", tmp_path / "experiments")
    script = tmp_path / "experiments" / "wsd.py"
    lines = script.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("LENGTHS = (400, 800, 1600)\n")
    script.write_text("".join([*lines[:at], "# a new comment, not yet translated\n", *lines[at:]]), encoding="utf-8")
    with pytest.raises(evidence.PluginError) as missing:
        evidence.script_text("wsd", "zh")
    assert f"experiments/wsd.py, line {at + 1}: 'a new comment, not yet translated'" in str(missing.value)
    assert "experiments/zh/wsd.yml" in str(missing.value)
    script.write_text("".join(lines).replace("  # the share of each length spent cooling down", ""), encoding="utf-8")
    with pytest.raises(evidence.PluginError, match=r"experiments/zh/wsd.yml: these entries translate nothing"):
        evidence.script_text("wsd", "zh")
    assert evidence.script_text("cosine_length", "en") == (tmp_path / "experiments" / "cosine_length.py").read_text()
