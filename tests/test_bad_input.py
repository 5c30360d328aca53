"""Bad input stops the build with an error that names the file and says what to do.

Most bad input is found by a function the hooks call: those are called here directly, in-process,
as the hooks call them (no build). Whole builds only where the build itself is under test: a script
that raises (again on the next build), a stale gallery cache, a broken link, `make build`'s atomic
swap. Those change a scratch copy of the project (conftest's `project`, which starts from the shared
build's gallery cache, so only a changed script runs again) and build it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from mkdocs.exceptions import PluginError

from conftest import ROOT, build

import figure_text  # noqa: E402  (scripts/ is on sys.path: conftest)
import hooks_catalog  # noqa: E402
import hooks_placeholders  # noqa: E402
from catalog import CATALOG_FILE, CatalogError, load_catalog  # noqa: E402
from site_files import figure_src  # noqa: E402


def docs_tree(catalog) -> list[str]:
    """The files MkDocs lists for the docs as they are, with the first figure of every example."""
    docs = ROOT / "docs"
    pages = [p.relative_to(docs).as_posix() for p in docs.rglob("*.md") if "generated" not in p.parts]
    figures = [figure_src(example, 1, dark) for example in catalog.examples for dark in (False, True)]
    return pages + figures


def check_docs(src_uris):
    """The docs check as the build runs it (hooks_catalog's on_files, first part)."""
    files = SimpleNamespace(src_uris=set(src_uris))
    with pytest.raises(PluginError) as failure:
        hooks_catalog._check_docs(files, config=None)
    return str(failure.value)


def test_the_docs_as_they_are_pass_the_check(catalog):
    files = SimpleNamespace(src_uris=set(docs_tree(catalog)))
    assert hooks_catalog._check_docs(files, config=None) is files


def test_a_page_without_its_twin_fails_the_build(catalog):
    tree = [uri for uri in docs_tree(catalog) if uri != "schedulers/steplr.zh.md"]
    assert "docs/schedulers/steplr.md has no twin: write docs/schedulers/steplr.zh.md" in check_docs(tree)


def test_a_plain_page_without_its_twin_fails_the_build(catalog):
    message = check_docs([*docs_tree(catalog), "extra.zh.md"])
    assert "docs/extra.zh.md has no twin: write docs/extra.md" in message


def test_a_page_of_an_example_not_in_the_catalog_fails_the_build(catalog):
    message = check_docs([*docs_tree(catalog), "schedulers/nothing.md", "schedulers/nothing.zh.md"])
    assert "docs/schedulers/nothing.md is not an example of gallery/catalog.yml" in message


def test_a_script_without_its_first_figure_fails_the_docs_check(catalog):
    tree = [uri for uri in docs_tree(catalog) if "mkd_glr_plot_steplr_001" not in uri]
    assert "gallery/plot_steplr.py drew no figure" in check_docs(tree)


def test_a_script_missing_from_the_catalog_fails_the_build(tmp_path):
    raw = yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))
    raw["examples"] = [item for item in raw["examples"] if item["script"] != "plot_steplr.py"]
    (tmp_path / "catalog.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError, match="gallery/plot_steplr.py is not in the catalog; add an entry for it"):
        load_catalog(tmp_path / "catalog.yml")


def fill(page_src: str, markdown: str, src_uris=()):
    """The placeholders of `markdown` on the page `page_src`, filled as the build fills them
    (hooks_placeholders' on_page_markdown); the build's error, if any."""
    language = "zh" if page_src.endswith(".zh.md") else "en"
    page = SimpleNamespace(file=SimpleNamespace(src_uri=page_src, locale=language))
    files = SimpleNamespace(src_uris=set(src_uris), get_file_from_path=lambda uri: None)
    with pytest.raises(PluginError) as failure:
        hooks_placeholders.on_page_markdown(markdown, page, {"docs_dir": str(ROOT / "docs")}, files)
    return str(failure.value)


def test_a_page_that_embeds_a_missing_figure_fails_the_build(catalog):
    steplr = catalog.example("steplr")
    drawn = [figure_src(steplr, 1), figure_src(steplr, 1, dark=True)]
    message = fill("schedulers/steplr.md", "{{ figure 7: a figure the script never drew }}\n", drawn)
    assert message.startswith("docs/schedulers/steplr.md: ")
    assert "figure 7 of plot_steplr.py does not exist" in message


def test_a_page_that_embeds_a_missing_snippet_fails_the_build():
    message = fill("pitfalls.zh.md", "{{ pitfall no_such_snippet }}\n")
    assert message.startswith("docs/pitfalls.zh.md: ") and "pitfalls/no_such_snippet.py does not exist" in message


@pytest.mark.parametrize(
    "page, markdown, expected",
    [
        ("index.md", "{{ nonsense }}", "docs/index.md: unknown placeholder '{{ nonsense }}'"),
        ("index.md", "{{ code }}", "docs/index.md: {{ code }} only works on the pages of docs/schedulers/"),
        ("index.zh.md", "{{ lr 3 }}", "docs/index.zh.md: {{ lr }} only works on the pages of docs/schedulers/"),
        ("gallery.md", "{{ gallery everything }}", "docs/gallery.md: {{ gallery everything }}: {{ gallery }} takes nothing"),
        ("pitfalls.md", "{{ pitfall }}", "docs/pitfalls.md: {{ pitfall }}: write {{ pitfall ARGUMENT }}"),
        ("schedulers/steplr.md", "{{ figure two }}", "docs/schedulers/steplr.md: {{ figure two }}: write {{ figure N: alt text }}"),
    ],
)
def test_a_placeholder_written_wrong_fails_the_build_naming_the_page(page, markdown, expected):
    assert expected in fill(page, markdown)


def test_a_placeholder_the_run_cannot_fill_fails_the_build_naming_the_page(site, catalog):
    """The numbers of the run come from schedules.json as the build publishes it (the shared build's)."""
    manifest_text = (site / "schedules.json").read_text(encoding="utf-8")
    page = SimpleNamespace(file=SimpleNamespace(src_uri="schedulers/steplr.zh.md", locale="zh"))
    files = SimpleNamespace(src_uris=set(), get_file_from_path=lambda uri: SimpleNamespace(content_string=manifest_text))
    with pytest.raises(PluginError) as failure:
        hooks_placeholders.on_page_markdown("第 99 步为 `{{ lr 99 }}`。\n", page, {"docs_dir": str(ROOT / "docs")}, files)
    assert "docs/schedulers/steplr.zh.md: {{ lr 99 }}: step 99 is outside the run" in str(failure.value)


# ------------------------------------------------------------------ whole builds: the build under test

def test_a_script_that_raises_fails_the_build_every_time(project):
    script = project / "gallery" / "plot_steplr.py"
    script.write_text(script.read_text() + '\nraise RuntimeError("scheduler exploded")\n')
    for attempt in ("first build", "second build, with the gallery's cache of the first"):
        result = build(project)
        output = result.stdout + result.stderr
        assert result.returncode != 0, f"{attempt}: the build passed"
        assert "plot_steplr.py" in output and "scheduler exploded" in output, f"{attempt}:\n{output}"
        assert not (project / "site" / "index.html").exists()


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


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


@pytest.mark.rebuild
class TestMakeBuild:
    """`make build`, the Makefile's own target (two whole builds: a good one, then a failing one)."""

    def test_make_build_publishes_a_good_build_and_keeps_it_when_a_later_build_fails(self, project):
        """`make build` publishes a good build; a broken link then fails the build, naming the page and
        the link, and the good site/ survives `make build` byte for byte, with no site.partial/ left."""
        result = make_build(project)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output
        # mkdocs-gallery's import of MkDocs' deprecated warning_filter is silenced (Makefile), and nothing
        # else reads as an error to someone who just ran the README's command.
        assert "DeprecationWarning" not in output and "Traceback" not in output, output[:3000]
        assert (project / "site" / "zh" / "schedulers" / "steplr" / "index.html").is_file()
        assert not (project / "site.partial").exists()
        good = tree(project / "site")

        # A broken link fails `--strict` only at the end of the build, after every page was written:
        # the failure a build straight into site/ would leave half-published. MkDocs 1.6 says
        # "Aborted with N warnings in strict mode!" only then, after writing every page and running
        # on_post_build (where static-i18n builds the other language): no second build needed to see it.
        page = project / "docs" / "schedulers" / "steplr.zh.md"
        page.write_text(page.read_text() + "\n[不存在的页面](nowhere.md)\n")
        result = make_build(project)
        output = result.stdout + result.stderr
        assert result.returncode != 0, "make build passed with a broken link"
        assert "'schedulers/steplr.zh.md' contains a link 'nowhere.md'" in output, f"make build failed for another reason:\n{output[-3000:]}"
        assert "in strict mode!" in output, (
            "the broken link no longer fails the build after pages are written; pick a later failure:\n" + output[-3000:]
        )
        after = tree(project / "site")
        changed = sorted(name for name in good.keys() | after.keys() if good.get(name) != after.get(name))
        assert changed == [], f"the failed make build changed site/: {changed[:10]}"
        assert not (project / "site.partial").exists(), "the failed build left site.partial/ behind"


def test_a_script_changed_to_draw_no_figure_fails_the_build(project):
    """The whole chain: the gallery runs the changed script again, its earlier figures are deleted
    (figures.reset_style), and the docs check finds none. A stale figure would publish the old run."""
    script = project / "gallery" / "plot_steplr.py"
    plot_cell = script.read_text().index("# %%\n# Plot")
    script.write_text(script.read_text()[:plot_cell])
    result = build(project)
    assert result.returncode != 0
    assert "gallery/plot_steplr.py drew no figure" in result.stderr


def test_a_figure_word_without_a_translation_names_the_figure_and_the_line_to_add(steplr_svg):
    """A word a script draws that gallery/figure_text.yml lacks fails the Chinese rendering (the build
    calls this from hooks_catalog's on_files), naming the figure and the exact line to add."""
    svg = steplr_svg.replace("</svg>", '<text style="font-size: 10px">warmup</text></svg>')
    with pytest.raises(figure_text.FigureTextError) as failure:
        figure_text.translated(svg, figure_text.load_table()["zh"], "gallery/plot_steplr.py, figure 1", "zh")
    message = str(failure.value)
    assert "gallery/plot_steplr.py, figure 1 draws words that gallery/figure_text.yml does not translate" in message
    assert "add under `zh:`\n    warmup: <the zh text>" in message
    # The figure as drawn translates whole: only the added word was missing.
    assert "warmup" not in figure_text.translated(steplr_svg, figure_text.load_table()["zh"], "steplr", "zh")


@pytest.fixture(scope="module")
def steplr_svg(built_project):
    image = built_project / "docs" / figure_src(load_catalog().example("steplr"), 1)
    return image.read_text(encoding="utf-8")
