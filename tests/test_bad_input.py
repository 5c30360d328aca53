"""Bad input stops the build with an error that names the file and says what to do.

Each test changes a scratch copy of the project (conftest's `project`, which starts from the shared
build's gallery cache, so only a changed script runs again) and builds it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, build


def test_a_script_that_raises_fails_the_build_every_time(project):
    script = project / "gallery" / "plot_steplr.py"
    script.write_text(script.read_text() + '\nraise RuntimeError("scheduler exploded")\n')
    for attempt in ("first build", "second build, with the gallery's cache of the first"):
        result = build(project)
        output = result.stdout + result.stderr
        assert result.returncode != 0, f"{attempt}: the build passed"
        assert "plot_steplr.py" in output and "scheduler exploded" in output, f"{attempt}:\n{output}"
        assert not (project / "site" / "index.html").exists()


def test_a_page_without_its_twin_fails_the_build(project):
    (project / "docs" / "schedulers" / "steplr.zh.md").unlink()
    result = build(project)
    assert result.returncode != 0
    assert "docs/schedulers/steplr.md has no twin: write docs/schedulers/steplr.zh.md" in result.stderr


def test_a_plain_page_without_its_twin_fails_the_build(project):
    (project / "docs" / "extra.zh.md").write_text("# 额外\n")
    result = build(project)
    assert result.returncode != 0
    assert "docs/extra.zh.md has no twin: write docs/extra.md" in result.stderr


def test_a_page_that_embeds_a_missing_figure_fails_the_build(project):
    page = project / "docs" / "schedulers" / "steplr.md"
    page.write_text(page.read_text() + "\n{{ figure 7: a figure the script never drew }}\n")
    result = build(project)
    assert result.returncode != 0
    assert "docs/schedulers/steplr.md: figure 7 of plot_steplr.py does not exist" in result.stderr


def test_a_script_missing_from_the_catalog_fails_the_build(project):
    (project / "gallery" / "plot_orphan.py").write_text('"""\nOrphan\n======\n"""\n')
    result = build(project)
    assert result.returncode != 0
    assert "gallery/plot_orphan.py is not in the catalog" in result.stderr


def test_a_script_that_draws_no_figure_fails_the_build(project):
    script = project / "gallery" / "plot_steplr.py"
    plot_cell = script.read_text().index("# %%\n# Plot")
    script.write_text(script.read_text()[:plot_cell])
    result = build(project)
    assert result.returncode != 0
    assert "gallery/plot_steplr.py drew no figure" in result.stderr


def test_a_broken_internal_link_fails_the_build(project):
    page = project / "docs" / "schedulers" / "steplr.zh.md"
    page.write_text(page.read_text() + "\n[不存在的页面](nowhere.md)\n")
    result = build(project)
    assert result.returncode != 0
    assert "'schedulers/steplr.zh.md' contains a link 'nowhere.md'" in result.stderr


def test_a_stale_gallery_cache_is_reported_with_what_to_do(project):
    # The copy's gallery cache is that of a successful build of the same sources. The gallery's MD5 cache still says plot_steplr.py ran, but what the run recorded is gone.
    (project / "docs" / "generated" / "data" / "plot_steplr.json").unlink()
    result = build(project)
    assert result.returncode != 0
    assert "no recorded run of gallery/plot_steplr.py" in result.stderr and "make clean" in result.stderr


def make_build(project):
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    venv = Path(sys.prefix)
    # -o: the running venv is already set up; do not let make reinstall it.
    command = ["make", "build", f"VENV={venv}", "-o", f"{venv}/.site-deps"]
    return subprocess.run(command, cwd=project, capture_output=True, text=True)


def test_make_build_replaces_site_only_when_the_build_succeeds(project):
    # A broken link fails `--strict` only at the end of the build, after every page was written:
    # the failure a build straight into site/ would leave half-published.
    page = project / "docs" / "schedulers" / "steplr.md"
    page.write_text(page.read_text() + "\n[a page that does not exist](nowhere.md)\n")
    direct = build(project, site_dir=project / "direct")
    assert direct.returncode != 0 and (project / "direct" / "schedulers" / "steplr" / "index.html").is_file(), (
        "the broken link no longer fails the build after pages are written; pick a later failure"
    )
    # The site of an earlier, good build must survive a failed `make build` untouched.
    previous = project / "site"
    previous.mkdir()
    (previous / "index.html").write_text("the previous good build")
    result = make_build(project)
    assert result.returncode != 0, "make build passed with a broken link"
    assert "contains a link 'nowhere.md'" in result.stdout + result.stderr, (
        f"make build failed for another reason:\n{result.stdout}\n{result.stderr}"
    )
    assert [path.name for path in previous.iterdir()] == ["index.html"], "the failed build wrote into site/"
    assert (previous / "index.html").read_text() == "the previous good build"
    assert not (project / "site.partial").exists(), "the failed build left site.partial/ behind"


def test_make_build_publishes_a_good_build(project):
    result = make_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "site" / "zh" / "schedulers" / "steplr" / "index.html").is_file()
    assert not (project / "site.partial").exists()


def test_a_page_that_embeds_a_missing_snippet_fails_the_build(project):
    page = project / "docs" / "pitfalls.zh.md"
    page.write_text(page.read_text() + "\n{{ pitfall no_such_snippet }}\n")
    result = build(project)
    assert result.returncode != 0
    assert "docs/pitfalls.zh.md:" in result.stderr and "pitfalls/no_such_snippet.py does not exist" in result.stderr


def test_a_figure_word_without_a_translation_fails_the_build_naming_the_script_and_the_line(project):
    script = project / "gallery" / "plot_steplr.py"
    script.write_text(script.read_text().replace('ax.grid(axis="x")', 'ax.grid(axis="x")\nax.set_title("warmup")'))
    result = build(project)
    assert result.returncode != 0
    assert "gallery/plot_steplr.py draws words that gallery/figure_text.yml does not translate" in result.stderr
    assert "add under `zh:`\n    warmup: <the zh text>" in result.stderr
    assert not (project / "site" / "index.html").exists()
