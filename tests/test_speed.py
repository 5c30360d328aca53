"""The speed caches change nothing: what a cached rebuild and `mkdocs serve` give equals a clean build,
byte for byte (scripts/hooks_speed.py; a clean build runs every package as shipped).

These are whole builds because the build is what is under test: a cache that skipped something a
page reads would show here as a difference, named by file."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SITE_URL, build, copy_project

SPEED_MODULES = ("hooks_speed.py",)
PATCHED_PACKAGES = ("mkdocs", "material", "mkdocs_static_i18n", "mkdocs_gallery", "jieba")


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def assert_same_site(actual: dict[str, bytes], expected: dict[str, bytes], what: str) -> None:
    missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
    assert not missing and not extra, f"{what}: missing {missing[:5]}, extra {extra[:5]}"
    different = [name for name in sorted(expected) if actual[name] != expected[name]]
    assert not different, f"{what}: {len(different)} files differ from a clean build, first {different[:5]}"


def test_nothing_outside_the_speed_module_assigns_to_another_package():
    """Outside hooks_speed.py, no file of scripts/ (or the gallery's conf script) assigns to an
    attribute of MkDocs, Material, static-i18n, mkdocs-gallery or jieba."""
    imported = re.compile(rf"^\s*(?:from ({'|'.join(PATCHED_PACKAGES)})[\w.]* )?import ([\w., ]+)", re.M)
    offenders = []
    for path in [*sorted((ROOT / "scripts").glob("*.py")), ROOT / "docs" / "gallery_conf.py"]:
        if path.name in SPEED_MODULES:
            continue
        source = path.read_text(encoding="utf-8")
        names = {
            name.strip().split(" as ")[-1]
            for match in imported.finditer(source)
            if match[1] or any(name.strip().split(".")[0] in PATCHED_PACKAGES for name in match[2].split(","))
            for name in match[2].split(",")
        }
        for name in names:
            for assignment in re.finditer(rf"^\s*{re.escape(name)}\.[\w.]+\s*=[^=]", source, re.M):
                offenders.append(f"{path.name}: {assignment[0].strip()}")
    assert not offenders, offenders


@pytest.mark.rebuild
def test_cached_rebuilds_equal_a_clean_build(site, project):
    """(a) a rebuild with nothing changed and (b) a rebuild after an edit was reverted, with the caches
    on (LR_GALLERY_CACHE=1), give the very bytes of the shared clean build."""
    clean = tree(site)
    cached = {"SITE_URL": SITE_URL, "LR_GALLERY_CACHE": "1"}
    for attempt in ("first cached build (fills .cache/)", "no-change rebuild"):
        result = build(project, **cached)
        assert result.returncode == 0, result.stderr[-3000:]
        assert_same_site(tree(project / "site"), clean, attempt)
    assert any((project / ".cache" / "speed").glob("*.pickle")), "the caches were not on"
    page = project / "docs" / "schedulers" / "steplr.zh.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\n编辑后又撤销的一段。\n", encoding="utf-8")
    edited = build(project, **cached)
    assert edited.returncode == 0, edited.stderr[-3000:]
    assert "编辑后又撤销的一段" in (project / "site" / "zh" / "schedulers" / "steplr" / "index.html").read_text()
    page.write_text(original, encoding="utf-8")
    result = build(project, **cached)
    assert result.returncode == 0, result.stderr[-3000:]
    assert_same_site(tree(project / "site"), clean, "rebuild after an edit and its revert")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and text.encode() in body:
            return
        time.sleep(0.5)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


def without_livereload(body: bytes) -> bytes:
    """MkDocs' server adds its live-reload script before </body> of every HTML page it serves."""
    end = body.rfind(b"</body>")
    start = body.rfind(b"<script>", 0, end)
    if end < 0 or start < 0 or b"livereload" not in body[start:end]:
        return body
    return body[:start] + body[end:]


@pytest.mark.rebuild
class TestServe:
    """A class of its own: --dist loadscope (pytest.ini) runs it on whichever worker is free, rather than
    after test_cached_rebuilds_equal_a_clean_build on the same worker (each is minutes of builds under load)."""

    def test_served_pages_after_edits_equal_a_clean_build_of_the_edited_sources(self, project, tmp_path, built_project):
        """(c) `make serve` (a real server process, the speed caches on), after a page edit and after a
        gallery script edit: every file the clean build of the edited sources has, served, is the same.
        And `make serve` prints no DeprecationWarning (the Makefile silences mkdocs-gallery's one)."""
        port = free_port()
        address = f"http://127.0.0.1:{port}/"
        shutil.copy2(ROOT / "Makefile", project / "Makefile")
        venv = Path(sys.prefix)
        log = tmp_path / "serve.log"
        environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
        with open(log, "w") as output:
            server = subprocess.Popen(
                ["make", "serve", f"VENV={venv}", "-o", f"{venv}/.site-deps", f"SERVE_ADDRESS=127.0.0.1:{port}"],
                cwd=project, stdout=output, stderr=subprocess.STDOUT, env=environment, start_new_session=True,
            )
        try:
            wait_for(address, "</html>", 600)
            page = project / "docs" / "schedulers" / "steplr.zh.md"
            page.write_text(page.read_text(encoding="utf-8") + "\n保存后马上可见的一段。\n", encoding="utf-8")
            wait_for(f"{address}zh/schedulers/steplr/", "保存后马上可见的一段", 120)
            script = project / "gallery" / "plot_steplr.py"
            source = script.read_text(encoding="utf-8")
            cell = source.index("\n# %%", source.index("# %%") + 1)  # after the first code cell
            script.write_text(source[:cell] + "\n# A comment saved while serving.\n" + source[cell:], encoding="utf-8")
            wait_for(f"{address}schedulers/steplr/", "A comment saved while serving.", 180)
            wait_for(f"{address}zh/schedulers/steplr/", "A comment saved while serving.", 60)
            time.sleep(3)  # the rebuild that showed the comment has written every file by now
            # Clean of the speed module's caches (.cache/), with the shared clean build's gallery output:
            # the edited script runs again, the others' output is what a cold run gives (test_trust's
            # byte-identical builds), so a cold gallery run here would only cost time.
            clean_project = copy_project(tmp_path / "clean", gallery_cache=built_project / "docs" / "generated")
            for edited in (page, script):
                shutil.copy2(edited, clean_project / edited.relative_to(project))
            result = build(clean_project, SITE_URL=address)
            assert result.returncode == 0, result.stderr[-3000:]
            clean = tree(clean_project / "site")
            served = {}
            for name in clean:
                body = fetch(address + name)
                served[name] = without_livereload(body) if body is not None and name.endswith(".html") else body
            served = {name: body for name, body in served.items() if body is not None}
            assert_same_site(served, clean, "served after a page edit and a script edit")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        printed = log.read_text()
        assert "DeprecationWarning" not in printed and "Traceback" not in printed, printed[:3000]


def test_on_other_versions_the_speed_module_does_nothing_and_says_so(monkeypatch, caplog):
    import hooks_speed
    from mkdocs.commands import build as build_module
    from mkdocs.structure.pages import Page

    render, build_page = Page.render, build_module._build_page
    monkeypatch.setitem(hooks_speed.WRITTEN_FOR, "mkdocs", "1.5.3")
    with caplog.at_level("INFO", logger="mkdocs.hooks.speed"):
        hooks_speed.on_startup(command="serve", dirty=False)
    assert not hooks_speed.state["active"]
    assert Page.render is render and build_module._build_page is build_page
    notices = [record.getMessage() for record in caplog.records if record.name == "mkdocs.hooks.speed"]
    assert len(notices) == 1 and "speed caches off" in notices[0] and "mkdocs 1.6.1" in notices[0], notices


def test_a_plain_build_leaves_the_speed_module_off(monkeypatch):
    import hooks_speed

    monkeypatch.delenv(hooks_speed.OPT_IN, raising=False)
    hooks_speed.on_startup(command="build", dirty=False)
    assert not hooks_speed.state["active"]


def test_chinese_figure_text_is_measured_without_a_warning_per_glyph(site, catalog, monkeypatch):
    """The summary's Chinese titles are drawn by the browser (svg.fonttype none); matplotlib only
    measures them, with a font that lacks CJK glyphs, and warned once per glyph: about 200 warnings
    in each cold build. Drawn afresh (the panel memo emptied), the Chinese summary warns nothing, and
    is the very SVG the build published."""
    import warnings

    import summary

    monkeypatch.setattr(summary, "_PANELS", {})
    runs = {entry["id"]: entry for entry in json.loads((site / "schedules.json").read_text(encoding="utf-8"))["examples"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        light = summary.render_light(catalog.examples, runs, "zh", "narrow")
    assert not [str(warning.message) for warning in caught if "Glyph" in str(warning.message)]
    assert light == (site / "generated" / "summary_narrow_zh.svg").read_text(encoding="utf-8")


def test_a_chinese_troubleshooting_figure_is_the_english_drawing_with_its_words_mapped(site):
    """The cold build draws each troubleshooting figure once (in English) and maps its words for the
    other language, as figure_text does for the gallery's figures: the published Chinese figure is
    exactly the published English one, mapped."""
    import figure_text

    table = figure_text.load_table()["zh"]
    published = site / "generated" / "troubleshooting"
    chinese = sorted(published.glob("*.zh.svg"))
    assert chinese, "no troubleshooting figure was published"
    for path in chinese:
        english = path.with_name(path.name.replace(".zh.svg", ".en.svg")).read_text(encoding="utf-8")
        mapped = figure_text.translated(english, table, path.name, "zh")
        assert mapped == path.read_text(encoding="utf-8"), f"{path.name} is not the English figure mapped"
