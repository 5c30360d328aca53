"""Shared fixtures: real builds of the real site, in scratch copies of the project."""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from catalog import LANGUAGES, load_catalog  # noqa: E402
from scratch import CHROMIUM, CHROMIUM_ARGS, build, copy_project, static_server  # noqa: E402, F401  (fixtures' helpers)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


# The site is built as GitHub Pages publishes a project site, and served under the same sub-path:
# a link that only works at the root of a host fails here as it would for readers.
SUB_PATH = "/lr-gallery/"
SITE_URL = f"https://example.github.io{SUB_PATH}"


def _build_once(shared: Path, environ: dict) -> None:
    """Build the shared copy unless a worker already did: the first to take the lock builds, the
    others wait on the lock and find the report."""
    project, report = shared / "built-project", shared / "built-project.json"
    with FileLock(str(shared / "built-project.lock")):
        if not report.exists():
            copy_project(project)
            result = build(project, environ=environ, SITE_URL=SITE_URL)
            report.write_text(json.dumps({"returncode": result.returncode, "output": result.stdout + result.stderr}))


def _shared_dir(tmp_path_factory, worker_id) -> Path:
    shared = tmp_path_factory.getbasetemp()
    return shared.parent if worker_id != "master" else shared  # the directory all workers' base temps live in


_started: dict[str, threading.Thread] = {}


@pytest.fixture(scope="session", autouse=True)
def _start_the_shared_build(request, tmp_path_factory, worker_id):
    """Start the shared build at the first test, in a thread of this worker (the build itself is a
    subprocess): until a test needs the site, both workers run the tests that do not (the sweeps,
    the in-process checks: ordered first, below), instead of one building while the
    other waits on the lock. Only when some selected test reads the site."""
    if any("built_project" in item.fixturenames for item in request.session.items):
        errors = []

        def run(shared=_shared_dir(tmp_path_factory, worker_id), environ=dict(os.environ)):
            try:
                _build_once(shared, environ)
            except BaseException as error:  # re-raised by built_project, in the test that needs it
                errors.append(error)

        thread = threading.Thread(target=run, name="shared build", daemon=True)
        thread.errors = errors
        thread.start()
        _started["build"] = thread
        yield
        thread.join()  # no build left running behind a run that stopped early (-x, or no test needed it yet)
    else:
        yield


@pytest.fixture(scope="session")
def built_project(tmp_path_factory, worker_id) -> Path:
    """A clean copy of the project, built once per test run and shared by every test that only reads
    the result. Under pytest-xdist each worker is its own process with its own session fixtures: the
    first worker to take the lock builds while the other waits on it, then both read the same copy."""
    shared = _shared_dir(tmp_path_factory, worker_id)
    thread = _started.get("build")
    if thread is None:
        _build_once(shared, dict(os.environ))
    else:
        thread.join()
        if thread.errors:
            raise thread.errors[0]
    outcome = json.loads((shared / "built-project.json").read_text())
    assert outcome["returncode"] == 0, f"the site does not build:\n{outcome['output']}"
    return shared / "built-project"


@pytest.fixture(scope="session")
def site(built_project) -> Path:
    """The built site (read only: tests that change sources build a scratch copy of their own)."""
    return built_project / "site"


@pytest.fixture(scope="session")
def site_server(site):
    """The built site over HTTP on 127.0.0.1 under SUB_PATH, as GitHub Pages serves it; the URL of
    its home page, ending in a slash."""
    with static_server(site, SUB_PATH) as url:
        yield url


@pytest.fixture
def project(tmp_path, built_project) -> Path:
    """A scratch copy of the project to change, with the shared build's gallery cache: only the
    scripts a test changes run again (a cold gallery run per test would be most of the suite)."""
    return copy_project(tmp_path / "project", gallery_cache=built_project / "docs" / "generated")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (or the browser CHROMIUM names) through Playwright. In CI a missing browser is
    a failure, not a skip."""
    if not Path(CHROMIUM).exists():
        message = (
            f"{CHROMIUM} not found: install Debian's chromium and fonts-noto-cjk (make browser), "
            "or set the environment variable CHROMIUM to a Chromium or Chrome executable"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def html_pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")}


def expected_pages(catalog) -> set[str]:
    """Every page the site must have, in every language, as HTML paths under site/."""
    fixed = [f"{page}/index.html" for page in ("gallery", "explorer", "summary", "choosing", "evidence", "pitfalls", "troubleshooting", "glossary")]
    fixed.append("index.html")
    examples = [f"schedulers/{example.id}/index.html" for example in catalog.examples]
    pages = set()
    for language in LANGUAGES:
        prefix = "" if language == LANGUAGES[0] else f"{language}/"
        pages.update(prefix + page for page in fixed + examples)
    return pages | {"404.html"} | {f"{language}/404.html" for language in LANGUAGES[1:]}


def searched(page, query: str) -> list[str]:
    """The links the site's search lists for `query` (each result's page, then its sections), once the
    search worker has answered. No fixed wait: Material writes the count of results, or that there is
    none, over the list when the worker's answer arrives, and its placeholder when the box is empty."""
    placeholder = page.evaluate(
        "JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']"
    )
    meta, box = ".md-search-result__meta", page.locator(".md-search__input")
    for text, answered in (("", "==="), (query, "!==")):  # empty the box first: the same query twice sends nothing
        box.fill(text)
        box.press("End")  # Material reads the box on keyup, which fill() does not send
        page.wait_for_function(
            f"([meta, placeholder]) => document.querySelector(meta).textContent {answered} placeholder",
            arg=[meta, placeholder], timeout=30000,
        )
    return page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.getAttribute('href'))")


# ---------------------------------------------------------------------------------------------------
# Scheduling on the workers (pytest.ini: -n auto --dist loadscope). Two cores, and a few tests that take
# minutes: the run lasts as long as the worker that gets the longest tests last. So the work is cut
# finer than loadscope's modules, and dealt longest first:
# - a unit of work is one test, except a test class, which stays whole on one worker (its class
#   fixtures run once: test_quality.py's survey of a palette);
# - the tests that do not read the shared build come first (they run while it builds), then those
#   that do; within each, the long ones below first, longest first, then the rest as collected.
# EXPECTED_SECONDS is a hint for the order only (measured with --durations under the suite's own load,
# rounded): a stale figure costs time, never a result. A name that no longer exists is an error.
EXPECTED_SECONDS = {
    "tests/test_quality.py::TestLightPalette": 200,
    "tests/test_quality.py::TestDarkPalette": 200,
    "tests/test_bad_input.py::TestMakeBuild": 100,
    "tests/test_speed.py::test_cached_rebuilds_equal_a_clean_build": 130,
    "tests/test_speed.py::TestServe": 115,
    "tests/test_explorer.py::test_axe_finds_nothing_and_phones_do_not_scroll_sideways": 65,
    "tests/test_explorer_engine.py::test_random_settings_match_torch": 55,
    "tests/test_trust.py::test_two_clean_builds_are_byte_identical": 50,
    "tests/test_troubleshooting.py::test_a_pasted_message_finds_its_entry_first": 35,
    "tests/test_prose_numbers.py::test_a_changed_parameter_reaches_both_pages_and_a_typed_number_fails": 30,
    "tests/test_explorer_links.py::test_the_python_program_records_what_the_engine_computes": 28,
    "tests/test_trust.py::test_code_copied_from_every_page_runs_and_draws_the_published_curve": 24,
    "tests/test_modern.py::test_wsd_page_code_equals_timms_wsd_for_all_three_cooldowns": 17,
    "tests/test_trust.py::test_a_copied_example_that_warns_or_draws_otherwise_is_caught": 14,
    "tests/test_bad_input.py::test_a_script_that_raises_fails_the_build_every_time": 11,
    "tests/test_recipes.py::test_the_page_code_equals_transformers_for_random_settings": 8,
    "tests/test_explorer.py::test_the_program_on_the_page_runs_and_records_the_same_numbers": 7,
    "tests/test_explorer.py::test_the_program_for_every_class_and_mode_records_what_the_engine_computes": 8,
    "tests/test_modern.py::test_timm_poly_and_tanh_page_code_equals_timm": 5,
    "tests/test_modern.py::test_branched_cooldowns_equal_timms_wsd_of_each_length": 6,
    "tests/test_explorer_values.py::test_a_value_torch_refuses_reaches_torch_and_gives_its_message": 5,
}


def work_unit(nodeid: str) -> str:
    """What goes to one worker whole: a test class, else one test (parameters included)."""
    module, _, rest = nodeid.partition("::")
    return f"{module}::{rest.split('::', 1)[0]}" if "::" in rest else nodeid


def _expected(unit: str) -> float:
    name = unit.split("[", 1)[0]
    return max((seconds for key, seconds in EXPECTED_SECONDS.items() if name == key or name.startswith(key + "::")), default=0.0)


def pytest_collection_modifyitems(session, config, items):
    stale = []
    for key in EXPECTED_SECONDS:
        module, _, name = key.partition("::")
        path = ROOT / module
        if not path.is_file() or not re.search(rf"^\s*(?:class|def) {re.escape(name.split('::')[-1])}\b", path.read_text(encoding="utf-8"), re.M):
            stale.append(key)
    if stale:
        raise pytest.UsageError(f"tests/conftest.py EXPECTED_SECONDS names tests that do not exist: {stale}")
    units: dict[str, list] = {}
    for item in items:
        units.setdefault(work_unit(item.nodeid), []).append(item)
    order = sorted(
        units.items(),
        key=lambda unit: (any("built_project" in item.fixturenames for item in unit[1]), -_expected(unit[0])),
    )  # stable: otherwise as collected
    items[:] = [item for _, members in order for item in members]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadscope with the units of `work_unit`, in the order of collection (not xdist's
    reordering by the number of tests in a unit, which put the long single-test units last)."""
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    config.option.loadscopereorder = False
    return Scheduling(config, log)
