"""The Evidence page (docs/evidence.md): its numbers are the experiments' recorded results, and
those results are what the scripts compute.

- A short prefix of one arm of every experiment, rerun here in a fresh process, gives the training
  losses recorded with the results bit for bit (one thread, deterministic algorithms, seeded data).
- A script changed after its results were recorded stops the build, naming the experiment and
  the command that records them again.
- The published page shows the recorded numbers, in both languages, and offers every script.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from mkdocs.exceptions import PluginError

sys.path.insert(0, str(ROOT / "scripts"))
import evidence  # noqa: E402

RERUN = """
import json, sys
sys.path.insert(0, "experiments")
import importlib, run, task
task.deterministic()
out = {}
for name in run.EXPERIMENTS:
    recorded = json.load(open(f"experiments/results/{name}.json"))["prefix"]
    module = importlib.import_module(name)
    losses = module.run(recorded["arm"], recorded["seed"], stop=len(recorded["losses"]))["losses"]
    out[name] = [repr(loss) for loss in losses]
print(json.dumps(out))
"""


def test_a_prefix_of_every_experiment_reruns_bit_for_bit():
    pytest.importorskip("schedulefree")
    result = subprocess.run([sys.executable, "-c", RERUN], cwd=ROOT, capture_output=True, text=True, check=True)
    rerun = json.loads(result.stdout)
    for name, losses in rerun.items():
        recorded = json.loads((ROOT / "experiments" / "results" / f"{name}.json").read_text())["prefix"]
        assert len(losses) == len(recorded["losses"]) > 0, name
        assert losses == [repr(loss) for loss in recorded["losses"]], (
            f"experiment {name!r}, arm {recorded['arm']!r}, seed {recorded['seed']}: the rerun differs from "
            f"the recorded results, first at step {next(i for i, (a, b) in enumerate(zip(losses, recorded['losses'])) if a != repr(b))}"
        )


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
        assert re.search(rf'download="" href="[^"]*\b{name}\.py"', page), f"{language}: no download of {name}.py"
        for palette in ("light", "dark"):
            assert (site / evidence.figure_path(name, language, palette)).is_file(), f"{name}: no {palette} figure"
        assert (site / "evidence" / f"{name}.py").read_text() == (ROOT / "experiments" / f"{name}.py").read_text()


def test_the_wsd_arms_of_a_seed_share_their_constant_phase_bit_for_bit():
    """What the page says: the WSD lengths are cooldowns branched from one constant run."""
    wsd = evidence.results()["wsd"]
    every, arms = wsd["eval_every"], [arm for arm in wsd["arms"] if arm.startswith("WSD")]
    shortest = min(int(arm.split()[1]) for arm in arms)
    shared = int(shortest * 0.8) // every + 1  # the measurements up to the first cooldown
    for seed_runs in zip(*(wsd["arms"][arm] for arm in arms)):
        phases = {tuple(run["errors"][:shared]) for run in seed_runs}
        assert len(phases) == 1, f"seed {seed_runs[0]['seed']}: the WSD arms differ before the first cooldown"
