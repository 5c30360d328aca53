"""The explorer page (docs/explorer.md): its modules in node, and the page in headless Chromium.

Node runs the DOM-free modules (state.js: the URL, python.js: the program and Python's repr,
strings.js: both languages) on their own. The browser tests open the built site with settings in
the URL and hold what the page offers (the CSV, the program) against torch run here, in this
process, and against a fresh Python process running the program as a reader copies it.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
import struct
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import ROOT

import explorer_spec  # scripts/explorer_spec.py: the spec the build writes into the explorer's page
import scratch  # scripts/scratch.py (conftest puts scripts/ on the path): the first visit's one definition

EXPLORER = ROOT / "docs" / "assets" / "explorer"
NODE = "node"
DESKTOP = {"width": 1280, "height": 900}
PHONE_WIDTH = 375


def node(script: str, payload=None):
    """Run an ES module snippet with the explorer's modules imported; `payload` arrives as `input`."""
    prelude = (
        f'import * as state from "{(EXPLORER / "state.js").as_uri()}";\n'
        f'import * as python from "{(EXPLORER / "python.js").as_uri()}";\n'
        f'import * as strings from "{(EXPLORER / "strings.js").as_uri()}";\n'
        f'import * as engine from "{(EXPLORER / "engine.js").as_uri()}";\n'
        'import { readFileSync } from "node:fs";\n'
        'const input = JSON.parse(readFileSync(0, "utf8"));\n'
        "const print = (value) => process.stdout.write(JSON.stringify(value));\n"
    )
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", prelude + script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        env=explorer_spec.node_environment(),  # the spec the build writes into the page
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# ------------------------------------------------------------------------ torch, independently

SETUP = {"lr": 0.001, "momentum": 0.9, "epochs": 4, "steps_per_epoch": 8, "step_every": "batch"}


def metric_improve_then_plateau(t):
    return 1.0 - 0.025 * t if t < 20 else 0.5


def torch_run(make_scheduler, lr=0.001, momentum=0.9, epochs=4, steps_per_epoch=8, step_every="batch", metric=None):
    """The explorer's loop, written here from its description, with torch."""
    import torch

    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    scheduler = make_scheduler(optimizer, torch.optim.lr_scheduler)
    lrs, momentums, calls = [], [], 0

    def step():
        nonlocal calls
        if metric is None:
            scheduler.step()
        else:
            scheduler.step(metric(calls))
            calls += 1

    for _ in range(epochs):
        for _ in range(steps_per_epoch):
            optimizer.step()
            lrs.append(optimizer.param_groups[0]["lr"])
            momentums.append(optimizer.param_groups[0]["momentum"])
            if step_every == "batch":
                step()
        if step_every == "epoch":
            step()
    return lrs, momentums


# (query, scheduler factory, loop settings): each URL below and the torch code beside it say the same.
CASES = {
    "onecycle-linear": (
        "scheduler=OneCycleLR&max_lr=0.01&anneal_strategy=linear&lr=0.001&momentum=0.9&epochs=3&steps_per_epoch=7&step_every=batch",
        lambda opt, s: s.OneCycleLR(opt, max_lr=0.01, anneal_strategy="linear", epochs=3, steps_per_epoch=7),
        {"epochs": 3, "steps_per_epoch": 7},
    ),
    "sequential": (
        "scheduler=SequentialLR&milestones=8&s0=LinearLR&s0.start_factor=0.1&s0.total_iters=8&s1=CosineAnnealingLR&s1.T_max=24",
        lambda opt, s: s.SequentialLR(
            opt, schedulers=[s.LinearLR(opt, start_factor=0.1, total_iters=8), s.CosineAnnealingLR(opt, T_max=24)], milestones=[8]
        ),
        {},
    ),
    "chained": (
        "scheduler=ChainedScheduler&s0=ConstantLR&s0.factor=0.5&s0.total_iters=8&s1=ExponentialLR&s1.gamma=0.95&lr=0.01",
        lambda opt, s: s.ChainedScheduler([s.ConstantLR(opt, factor=0.5, total_iters=8), s.ExponentialLR(opt, gamma=0.95)], optimizer=opt),
        {"lr": 0.01},
    ),
    "plateau": (
        "scheduler=ReduceLROnPlateau&metric=improve_then_plateau&factor=0.5&patience=2&epochs=5&steps_per_epoch=10",
        lambda opt, s: s.ReduceLROnPlateau(opt, factor=0.5, patience=2),
        {"epochs": 5, "steps_per_epoch": 10, "metric": metric_improve_then_plateau},
    ),
    "cyclic-exp-range-per-epoch": (
        "scheduler=CyclicLR&base_lr=0.0001&max_lr=0.001&step_size_up=2&mode=exp_range&gamma=0.9&step_every=epoch&epochs=12&steps_per_epoch=3",
        lambda opt, s: s.CyclicLR(opt, base_lr=0.0001, max_lr=0.001, step_size_up=2, mode="exp_range", gamma=0.9),
        {"epochs": 12, "steps_per_epoch": 3, "step_every": "epoch"},
    ),
    "warm-restarts": (
        "scheduler=CosineAnnealingWarmRestarts&T_0=5&T_mult=2&eta_min=1e-05&momentum=0.5",
        lambda opt, s: s.CosineAnnealingWarmRestarts(opt, T_0=5, T_mult=2, eta_min=1e-05),
        {"momentum": 0.5},
    ),
}


def case_run(name):
    _, make, loop = CASES[name]
    return torch_run(make, **{**SETUP, **loop})


def close(a: float, b: float) -> bool:
    """The engine agrees with torch to a relative 1e-12 (exactly, for most classes)."""
    return a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)


# ------------------------------------------------------------------------------- node only


def test_chinese_strings_have_every_key_and_every_parameter_has_help():
    report = node(
        """
        const { STRINGS } = strings;
        const missing = [];
        for (const part of ["ui", "problems", "help"]) {
          for (const key of Object.keys(STRINGS.en[part])) if (!(key in STRINGS.zh[part])) missing.push(`zh.${part}.${key}`);
          for (const key of Object.keys(STRINGS.zh[part])) if (!(key in STRINGS.en[part])) missing.push(`en.${part}.${key}`);
        }
        for (const [cls, spec] of Object.entries(engine.SCHEDULERS)) for (const p of spec.params)
          for (const lang of ["en", "zh"]) if (!strings.helpText(lang, cls, p.name)) missing.push(`${lang} help ${cls}.${p.name}`);
        for (const key of state.TRAINING_KEYS) for (const lang of ["en", "zh"]) if (!strings.helpText(lang, "", key)) missing.push(`${lang} help ${key}`);
        for (const key of Object.keys(STRINGS.en.problems)) if (!(key in STRINGS.en.problems)) missing.push(key);
        print(missing);
        """,
    )
    assert report == []


def test_every_problem_code_of_state_js_has_a_message_in_both_languages():
    source = (EXPLORER / "state.js").read_text(encoding="utf-8")
    block = source[source.index("const PROBLEMS = {") : source.index("};", source.index("const PROBLEMS = {"))]
    codes = {line.split(":")[0].strip() for line in block.splitlines()[1:] if ":" in line}
    messages = node("print(Object.fromEntries(['en', 'zh'].map(l => [l, Object.keys(strings.STRINGS[l].problems)])));")
    for language in ("en", "zh"):
        assert codes <= set(messages[language]), f"{language}: no message for {codes - set(messages[language])}"


def test_pyrepr_writes_floats_as_python_does():
    rng = random.Random(11)
    values = [0.0, -0.0, 1.0, 0.1, 1e-05, 0.001, 1 / 3, 1e16, 1e15, 123456789.0, 5e-324, 1.7976931348623157e308, 2.5e-7]
    values += [rng.uniform(0, 1) * 10 ** rng.randint(-12, 20) for _ in range(3000)]
    values += [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(63)))[0] for _ in range(3000)]
    values = [value for value in values if math.isfinite(value)]
    written = node("print(input.map(python.pyRepr));", values)
    mismatches = [(repr(v), w) for v, w in zip(values, written) if repr(v) != w]
    assert mismatches == [], mismatches[:10]


def test_queries_round_trip_and_reject_what_the_spec_does_not_allow():
    queries = [CASES[name][0] for name in CASES] + [
        "",
        "scheduler=LambdaLR&lr_lambda=warmup_cosine&yscale=log",
        "scheduler=OneCycleLR&max_lr=0.01&total_steps=50&three_phase=true",
        "scheduler=MultiStepLR&milestones=30,60,80&gamma=0.5&pin=scheduler=StepLR;step_size=3;gamma=1e-05",
    ]
    results = node(
        """
        print(input.map((q) => {
          const first = state.parseQuery(q);
          const query = state.toQuery(first.settings, first.pins);
          const again = state.parseQuery(query);
          return { query, errors: first.errors, same: JSON.stringify([first.settings, first.pins]) === JSON.stringify([again.settings, again.pins]) };
        }));
        """,
        queries,
    )
    for query, result in zip(queries, results):
        assert result["errors"] == [], (query, result["errors"])
        assert result["same"], (query, result["query"])
    # the documented example, written back as it was given
    example = "scheduler=OneCycleLR&max_lr=0.01&anneal_strategy=linear&lr=0.001&momentum=0.9&epochs=90&steps_per_epoch=1251&step_every=batch"
    assert node("print(state.toQuery(state.parseQuery(input).settings));", example) == example
    assert results[-1]["query"].endswith("&pin=scheduler=StepLR;step_size=3;gamma=1e-05;lr=0.001;momentum=0.9;epochs=4;steps_per_epoch=8;step_every=batch")

    hostile = "scheduler=StepLR&step_size=<img src=x onerror=alert(1)>&gamma=1;alert(1)&s0=x&lr=nan&epochs=0&pin=scheduler=<b>x</b>"
    parsed = node("print(state.parseQuery(input));", hostile)
    assert {(e["param"], e["problem"]) for e in parsed["errors"]} >= {
        ("step_size", "not_int"),
        ("gamma", "not_float"),
        ("s0", "unknown"),
        ("lr", "not_float"),
        ("epochs", "at_least_1"),
        ("pin.scheduler", "unknown_scheduler"),
    }
    assert parsed["settings"]["kwargs"]["step_size"] == 4  # the preset, not the URL's text
    assert "<" not in json.dumps([parsed["settings"], parsed["pins"]])


def test_the_page_bundle_is_built_from_the_current_sources():
    """The pages load explorer.min.js / explorer.zh.min.js and explorer.min.css (the modules bundled
    and minified, one bundle per language, for the size budget); both bundles load lrx-paste.min.js
    (the paste box) when it is first used."""
    expected = node(f'const build = await import("{(EXPLORER / "build.mjs").as_uri()}"); print(build.sourcesHash());')
    for name in ("explorer.min.js", "explorer.zh.min.js", "explorer.min.css", "lrx-paste.min.js"):
        first_line = (EXPLORER / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert f"sources sha256 {expected} " in first_line, (
            f"docs/assets/explorer/{name} is older than its sources: run `node docs/assets/explorer/build.mjs`"
        )
    for page, bundle in (("explorer.md", "explorer.min.js"), ("explorer.zh.md", "explorer.zh.min.js")):
        assert f"assets/explorer/{bundle}" in (ROOT / "docs" / page).read_text(encoding="utf-8")


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance."""
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    low, high = sorted((_luminance(a), _luminance(b)))
    return (high + 0.05) / (low + 0.05)


def _hue_gap(a: str, b: str) -> float:
    import colorsys

    ha, hb = (colorsys.rgb_to_hls(*_rgb(c))[0] * 360 for c in (a, b))
    return min(abs(ha - hb), 360 - abs(ha - hb))


def test_the_stop_line_differs_from_every_curve_by_hue_and_contrast():
    """The line where torch stopped must not read as a curve, in either palette: at least 30 degrees
    of hue from every curve colour, a luminance contrast of 1.5 with the current curve (which it
    crosses), and 3:1 against the page (WCAG 1.4.11). Both read from the sources the page uses."""
    css = (EXPLORER / "explorer.css").read_text(encoding="utf-8")
    js = (EXPLORER / "explorer.js").read_text(encoding="utf-8")
    backgrounds = {"default": "#ffffff", "slate": "#1e2129"}  # Material's default and slate backgrounds
    for scheme, background in backgrounds.items():
        block = re.search(r'\[data-md-color-scheme="%s"\] \{(.*?)\}' % scheme, css, re.S).group(1)
        stop = re.search(r"--lrx-stop: (#[0-9a-f]{6});", block).group(1)
        curves = re.findall(r"#[0-9a-f]{6}", re.search(r"%s: \[(.*?)\]" % scheme, js).group(1))
        assert len(curves) == 4, (scheme, curves)
        fallback = re.search(r'read\("--lrx-stop", scheme === "slate" \? "(#[0-9a-f]{6})" : "(#[0-9a-f]{6})"\)', js)
        assert fallback and fallback.group(1 if scheme == "slate" else 2) == stop, "explorer.js's fallback is not the CSS colour"
        for colour in curves:
            assert _hue_gap(stop, colour) >= 30, (scheme, stop, colour, _hue_gap(stop, colour))
        assert _contrast(stop, curves[0]) >= 1.5, (scheme, stop, curves[0], _contrast(stop, curves[0]))
        assert _contrast(stop, background) >= 3, (scheme, stop, _contrast(stop, background))


def run_program(source: str, tmp_path: Path) -> dict:
    """A program as a reader runs it: a fresh interpreter; returns the lists it recorded."""
    script = tmp_path / "explorer_program.py"
    script.write_text(source, encoding="utf-8")
    driver = (
        "import json, runpy, sys, matplotlib\n"
        "matplotlib.use('Agg')\n"
        "names = runpy.run_path(sys.argv[1], run_name='__main__')\n"
        "print(json.dumps({'lrs': names['lrs'], 'momentums': names['momentums']}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-W", "ignore:FigureCanvasAgg is non-interactive:UserWarning", "-c", driver, str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, f"the program fails:\n{source}\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_program_for_every_class_and_mode_records_what_the_engine_computes(tmp_path):
    """Every class (and CyclicLR's modes, OneCycleLR's strategies, the lambdas, the metric curves,
    both compositions), on the explorer's first view of it, per batch and per epoch."""
    programs = node(
        """
        const out = [];
        for (const name of Object.keys(engine.SCHEDULERS)) {
          const variants = [{}];
          if (name === "CyclicLR") variants.push({ mode: "triangular2" }, { mode: "exp_range", gamma: 0.9 });
          if (name === "OneCycleLR") variants.push({ anneal_strategy: "linear" }, { three_phase: true }, { total_steps: 40 });
          if (name === "LambdaLR" || name === "MultiplicativeLR") for (const l of state.lambdasFor(name)) variants.push({ lr_lambda: l });
          for (const [i, changes] of variants.entries()) {
            const settings = state.defaultSettings(name);
            Object.assign(settings.kwargs, changes);
            if (i % 2 === 1) settings.step_every = "epoch";
            out.push(settings);
          }
        }
        for (const metric of Object.keys(engine.METRICS)) {
          const settings = state.defaultSettings("ReduceLROnPlateau", { epochs: 6 });
          settings.metric = metric;
          if (metric === "noisy_accuracy") settings.kwargs.mode = "max";
          out.push(settings);
        }
        print(out.map((settings) => {
          const { lr, momentum } = engine.simulate(state.engineSettings(settings));
          return { program: python.pythonProgram(settings), lr, momentum, query: state.toQuery(settings) };
        }));
        """,
    )
    # One interpreter for all (torch imports once): each program runs in its own namespace.
    bundle = tmp_path / "programs.json"
    bundle.write_text(json.dumps([entry["program"] for entry in programs]))
    driver = (
        "import json, sys, matplotlib, warnings\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "warnings.simplefilter('error')\n"
        "warnings.filterwarnings('ignore', 'FigureCanvasAgg is non-interactive')\n"
        "out = []\n"
        "for source in json.load(open(sys.argv[1])):\n"
        "    names = {'__name__': '__main__'}\n"
        "    exec(compile(source, 'program.py', 'exec'), names)\n"
        "    plt.close('all')\n"
        "    out.append({'lrs': names['lrs'], 'momentums': names['momentums']})\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run([sys.executable, "-c", driver, str(bundle)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    ran = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(ran) == len(programs) >= 25
    for entry, recorded in zip(programs, ran):
        assert len(recorded["lrs"]) == len(entry["lr"]), entry["query"]
        bad = [i for i, (a, b) in enumerate(zip(recorded["lrs"], entry["lr"])) if not close(a, b)]
        assert bad == [], f"{entry['query']}: lr differs from step {bad[:1]}"
        bad = [i for i, (a, b) in enumerate(zip(recorded["momentums"], entry["momentum"])) if not close(a, b)]
        assert bad == [], f"{entry['query']}: momentum differs from step {bad[:1]}"


# ---------------------------------------------------------------------------------- browser


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    yield context
    context.close()


def open_explorer(context, site_server, query="", language="en", scheme=None):
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on(
        "request",
        lambda request: request.url.startswith("http")
        and urlsplit(request.url).netloc != urlsplit(site_server).netloc
        and problems.append(f"third-party: {request.url}"),
    )
    if scheme:
        page.emulate_media(color_scheme=scheme)
    prefix = "" if language == "en" else f"{language}/"
    page.goto(f"{site_server}{prefix}explorer/{'?' + query if query else ''}", wait_until="load")
    page.wait_for_selector("#lr-explorer[data-ready=true]", timeout=15000)
    page.problems = problems
    return page


def wait_drawn(page):
    page.wait_for_function("() => !window.lrExplorer || window.lrExplorer.app.pendingStart === undefined")


def download_csv(page) -> list[dict]:
    with page.expect_download() as info:
        page.locator(".lrx-csv").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))




@pytest.mark.browser
@pytest.mark.parametrize("name", list(CASES))
def test_the_csv_of_a_linked_view_is_what_torch_computes(context, site_server, name):
    page = open_explorer(context, site_server, CASES[name][0])
    rows = download_csv(page)
    lrs, momentums = case_run(name)
    assert [int(row["step"]) for row in rows] == list(range(len(lrs)))
    per_epoch = {**SETUP, **CASES[name][2]}["steps_per_epoch"]
    assert [int(row["epoch"]) for row in rows] == [step // per_epoch for step in range(len(lrs))]
    for column, expected in (("lr", lrs), ("momentum", momentums)):
        written = [row[column] for row in rows]
        assert all(repr(float(text)) == text for text in written), f"{column} not written as Python's repr"
        bad = [i for i, (text, value) in enumerate(zip(written, expected)) if not close(float(text), value)]
        assert bad == [], f"{name}: {column} at step {bad[0]}: CSV {written[bad[0]]}, torch {expected[bad[0]]!r}"
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.parametrize("name", ["sequential", "plateau", "onecycle-linear"])
def test_the_program_on_the_page_runs_and_records_the_same_numbers(context, site_server, name, tmp_path):
    page = open_explorer(context, site_server, CASES[name][0])
    shown = page.locator("#lr-explorer-code pre > code").inner_text()
    assert shown.startswith('"""') and "plt.show()" in shown and "LEARNING_RATE = " in shown
    recorded = run_program(shown, tmp_path)
    lrs, momentums = case_run(name)
    assert recorded["lrs"] == lrs and recorded["momentums"] == momentums
    # The copy button copies what the block shows.
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#lr-explorer-code button.md-code__button, #lr-explorer-code button.md-clipboard").first.click()
    assert page.evaluate("navigator.clipboard.readText()") == shown.rstrip("\n")


HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "zh"])
def test_hostile_url_values_run_nothing_and_show_as_text(context, site_server, language):
    from urllib.parse import quote

    value = quote(HOSTILE)
    query = (
        f"scheduler=StepLR&step_size={value}&gamma={value}&{value}=1&metric={value}"
        f"&pin=scheduler={quote('<script>alert(2)</script>')}&pin=scheduler=StepLR;step_size={value}"
    )
    page = open_explorer(context, site_server, query, language)
    page.wait_for_timeout(300)
    assert page.problems == []
    assert page.locator("img[src=x], #lr-explorer script").count() == 0
    listed = page.locator(".lrx-url-problems").inner_text()
    assert HOSTILE in listed  # shown as text, the way it came
    assert page.locator(".lrx-chart canvas").first.is_visible()  # the defaults drew a curve
    # A scheduler name from the URL never reaches a selector or the code
    assert HOSTILE not in page.locator("#lr-explorer-code").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize(
    "query, message",
    [
        ("scheduler=CosineAnnealingWarmRestarts&T_0=0", "ValueError: Expected positive integer T_0, but got 0"),
        ("scheduler=LinearLR&start_factor=0", "ValueError: Starting multiplicative factor expected to be greater than 0 and less or equal to 1."),
        # (pct_start=1 is no longer here: torch records step 0, then raises in the first step(); the
        # explorer shows that step and the message, tests/test_explorer_data_browser.py)
        ("scheduler=OneCycleLR&max_lr=0.01&anneal_strategy=cosine", "ValueError: anneal_strategy must be one of 'cos' or 'linear', instead got cosine"),
        ("scheduler=OneCycleLR&max_lr=0.01&total_steps=0", "ValueError: Expected positive integer total_steps, but got 0"),
    ],
)
def test_settings_torch_refuses_show_its_message_and_no_curve(context, site_server, query, message):
    import torch  # noqa: F401  (the messages above are torch 2.13's; the engine tests hold them to torch)

    for language in ("en", "zh"):
        page = open_explorer(context, site_server, query, language)
        alert = page.locator("[role=alert]")
        text = alert.inner_text()
        assert message in text, (language, text)
        if language == "zh":
            assert any("\u4e00" <= char <= "\u9fff" for char in text.replace(message, "")), text
        assert page.locator(".lrx-chart canvas").count() == 0 or not page.locator(".lrx-chart").first.is_visible()
        assert page.locator(".lrx-csv").is_disabled()
        assert page.problems == []
        page.close()


@pytest.mark.browser
def test_settings_change_the_url_and_the_language_switcher_keeps_them(context, site_server):
    page = open_explorer(context, site_server, "scheduler=StepLR&step_size=3")
    field = page.locator("[data-param=gamma] input.lrx-input")
    field.fill("0.25")
    wait_drawn(page)
    page.wait_for_function("() => location.search.includes('gamma=0.25')")
    query = urlsplit(page.url).query
    assert dict(parse_qsl(query))["gamma"] == "0.25"
    page.locator(".md-header .md-select").hover()
    with page.expect_navigation():
        page.locator(".md-select a[hreflang=zh]").click()
    assert urlsplit(page.url).path.endswith("/zh/explorer/") and urlsplit(page.url).query == query
    page.wait_for_selector("#lr-explorer[data-ready=true]")
    assert page.evaluate("lrExplorer.state.toQuery(lrExplorer.app.settings)") == query
    assert page.locator("[data-param=gamma] input.lrx-input").input_value() == "0.25"


@pytest.mark.browser
def test_pinned_curves_are_compared_with_a_legend_of_up_to_four(context, site_server):
    page = open_explorer(context, site_server, "scheduler=StepLR&step_size=4")
    for gamma in ("0.8", "0.6", "0.4"):
        page.locator(".lrx-pin").click()
        page.locator("[data-param=gamma] input.lrx-input").fill(gamma)
        wait_drawn(page)
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('pin').length === 3")
    assert page.locator(".lrx-legend li").count() == 4
    assert page.locator(".lrx-pin").is_disabled()
    series = page.evaluate("lrExplorer.app.charts.lr.series.length")
    assert series == 5  # x and four curves
    # The link brings the pins back; removing one frees the button.
    again = open_explorer(context, site_server, urlsplit(page.url).query)
    assert again.locator(".lrx-legend li").count() == 4
    again.locator(".lrx-unpin").first.click()
    assert again.locator(".lrx-legend li").count() == 3 and again.locator(".lrx-pin").is_enabled()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_and_phones_do_not_scroll_sideways(browser, site_server, scheme):
    from axe_playwright_python.sync_playwright import Axe

    queries = [
        "",
        "scheduler=SequentialLR&pin=scheduler=StepLR;step_size=4",
        "scheduler=CosineAnnealingWarmRestarts&T_0=0",
        "scheduler=ReduceLROnPlateau&metric=validation_loss&step_size=x",
        "scheduler=LambdaLR&lr_lambda=warmup_cosine&yscale=log",
    ]
    found = []
    for language in ("en", "zh"):
        for query in queries:
            for width in (DESKTOP["width"], PHONE_WIDTH):
                context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                page = open_explorer(context, site_server, query, language)
                expected = "slate" if scheme == "dark" else "default"
                assert page.evaluate("document.body.dataset.mdColorScheme") == expected
                page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
                for violation in Axe().run(page).response["violations"]:
                    found += [f"{language} {query!r} {width}px: {violation['id']} {node['target']}" for node in violation["nodes"]]
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    found.append(f"{language} {query!r}: {scroll} px wide at {width} px")
                assert page.problems == []
                context.close()
    assert found == []


@pytest.mark.browser
def test_the_chart_redraws_in_the_other_palette(context, site_server):
    page = open_explorer(context, site_server)
    light = page.evaluate("lrExplorer.app.charts.lr.series[1].stroke()")
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function(f"lrExplorer.app.charts.lr.series[1].stroke() !== {json.dumps(light)}")


@pytest.mark.browser
def test_the_readout_follows_the_pointer_and_the_keyboard(context, site_server):
    page = open_explorer(context, site_server, "scheduler=OneCycleLR&max_lr=0.01")
    box = page.locator(".lrx-chart .u-over").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    readout = page.locator(".lrx-readout").inner_text()
    assert "step" in readout and "epoch" in readout and "lr" in readout and "momentum" in readout
    page.locator(".lrx-chart").first.focus()
    page.keyboard.press("Home")
    first = page.locator(".lrx-readout").inner_text()
    assert first.startswith("step 0 · epoch 0 · lr "), first
    assert math.isclose(float(first.split(" · ")[2].removeprefix("lr ")), 0.01 / 25, rel_tol=1e-12)
    page.keyboard.press("PageDown")
    assert page.locator(".lrx-readout").inner_text().startswith("step 8 · epoch 1 · lr ")


@pytest.mark.browser
def test_a_run_of_100_000_steps_is_computed_and_drawn(context, site_server):
    """A run as long as the issue's (100 epochs x 1,000 steps) works and is drawn whole. How fast it
    redraws is make bench's to measure (bench/explorer.py), not a timed test's."""
    page = open_explorer(context, site_server, "scheduler=OneCycleLR&max_lr=0.01&epochs=100&steps_per_epoch=1000")
    lengths = page.evaluate(
        """async () => {
          await lrExplorer.set({ lr: 0.002 });
          return [lrExplorer.app.result.lr.length, lrExplorer.app.charts.lr.data[0].length];
        }"""
    )
    assert lengths == [100_000, 100_000], lengths
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 375, "height": 812}])
def test_the_page_does_not_move_while_it_builds_itself(browser, site_server, language, viewport):
    """The form is shown one task before the charts are drawn (explorer.js start(): shorter tasks),
    with the charts' boxes reserved: nothing in the explorer may shift when they are drawn. A
    OneCycleLR run, whose momentum panel appears too. (Material's header moves by 0.001 on its own.)"""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.add_init_script(
        "window.__shifts = []; new PerformanceObserver((list) => list.getEntries().forEach((entry) =>"
        " window.__shifts.push({ value: entry.value, nodes: entry.sources.map((s) => s.node && s.node.className) })))"
        ".observe({ type: 'layout-shift', buffered: true });"
    )
    prefix = "" if language == "en" else "zh/"
    page.goto(f"{site_server}{prefix}explorer/?scheduler=OneCycleLR&max_lr=0.1&epochs=4&steps_per_epoch=8", wait_until="load")
    page.wait_for_selector("#lr-explorer[data-ready=true]", timeout=15000)
    page.wait_for_timeout(300)
    shifts = page.evaluate("window.__shifts")
    ours = [shift for shift in shifts if any("lr" in str(node) or "md-content" in str(node) for node in shift["nodes"])]
    assert sum(shift["value"] for shift in shifts) < 0.01 and not ours, shifts
    context.close()


@pytest.mark.browser
def test_first_visit_adds_at_most_60_kb_gzipped_over_a_scheduler_page(browser, site_server, site, catalog):
    """scratch.first_visit_extra is the one definition; bench/explorer.py reports the same number."""
    over = catalog.examples[0].page_url("en")
    extra = scratch.first_visit_extra(browser, site_server, site, "explorer/", over)
    added = extra["resources"]
    assert any(path.endswith("explorer.min.js") for path in added) and any("uPlot" in path for path in added)
    assert extra["total"] <= scratch.FIRST_VISIT_BUDGET, f"{extra['total']} bytes gzipped: {added}, html {extra['html']}"
    # and none of it on the other pages
    for other in extra["over_fetched"]:
        assert "explorer" not in other and "uplot" not in other.lower()


@pytest.mark.browser
@pytest.mark.parametrize("language, words", [("en", "needs JavaScript"), ("zh", "需要 JavaScript")])
def test_without_javascript_the_page_says_so_and_links_the_gallery(browser, site_server, language, words):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    prefix = "" if language == "en" else "zh/"
    page.goto(f"{site_server}{prefix}explorer/")
    notice = page.locator(".lr-explorer__noscript")
    assert words in notice.inner_text()
    href = notice.locator("a").get_attribute("href")
    assert href == "../gallery/"
    context.close()


# ------------------------------------------------------------------ second version: the page


def read_csv_text(page) -> str:
    with page.expect_download() as info:
        page.locator(".lrx-csv").click()
    return Path(info.value.path()).read_text(encoding="utf-8")


@pytest.mark.browser
def test_a_curve_that_overflows_draws_its_finite_part_and_says_where_torch_gives_inf(context, site_server):
    """ExponentialLR(gamma=2.0) over 2,000 steps: torch's lr overflows to inf at step 1034. The chart
    once drew nothing at all (uPlot cannot scale an axis to inf)."""
    lrs, _ = torch_run(lambda opt, s: s.ExponentialLR(opt, gamma=2.0), epochs=250, steps_per_epoch=8)
    first_inf = next(i for i, value in enumerate(lrs) if math.isinf(value))
    assert first_inf == 1034
    page = open_explorer(context, site_server, "scheduler=ExponentialLR&gamma=2.0&epochs=250&steps_per_epoch=8")
    assert page.locator(".lrx-chart").first.is_visible()
    drawn = page.evaluate(
        """() => { const u = lrExplorer.app.charts.lr;
          return { x: u.data[0].length, finite: u.data[1].filter((v) => v !== null && Number.isFinite(v)).length,
                   nulls: u.data[1].slice(1034).every((v) => v === null), ymax: u.scales.y.max, ticks: u.axes[2]._values || null }; }"""
    )
    assert drawn["x"] == 2000 and drawn["finite"] == first_inf and drawn["nulls"], drawn
    assert math.isfinite(drawn["ymax"]) and drawn["ymax"] >= lrs[first_inf - 1]
    note = page.locator(".lrx-nonfinite")
    assert note.get_attribute("data-step") == str(first_inf) and "1034" in note.inner_text() and "inf" in note.inner_text()
    rows = list(csv.DictReader(io.StringIO(read_csv_text(page))))
    assert [row["lr"] for row in rows] == [repr(value) for value in lrs]
    assert page.problems == []


def significant_digits(text: str) -> int:
    mantissa = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    return len(mantissa.rstrip("0")) if "e" not in text and "." not in text else len(mantissa)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "zh"])
def test_numbers_read_with_four_significant_digits_and_the_full_value_on_hover(context, site_server, language):
    query = "scheduler=OneCycleLR&max_lr=0.01&pin=scheduler=StepLR;step_size=4;gamma=0.3"
    page = open_explorer(context, site_server, query, language)
    page.locator(".lrx-chart").first.focus()
    page.keyboard.press("PageDown")
    numbers = page.locator(".lr-explorer .lrx-num")
    assert numbers.count() >= 4 + 2 + 2  # key numbers, readout (lr, momentum), legend (two curves)
    for index in range(numbers.count()):
        node = numbers.nth(index)
        shown, full = node.inner_text(), node.get_attribute("data-full")
        assert significant_digits(shown) <= 4, shown
        assert float(full) == pytest.approx(float(shown), rel=5e-4), (shown, full)
        assert repr(float(full)) == full  # the full value, as Python writes it
    start = page.locator(".lrx-numbers .lrx-num").first
    assert start.inner_text() == "4e-4"
    start.focus()
    tip = page.evaluate("getComputedStyle(document.activeElement, '::after').content")
    assert tip == json.dumps(start.get_attribute("data-full")), tip
    legend = page.locator(".lrx-legend").inner_text()
    if language == "zh":
        assert "学习率 =" in legend and "lr =" not in legend, legend
    else:
        assert "lr =" in legend
    assert page.problems == []


@pytest.mark.browser
def test_chinese_axis_titles_read_upright(context, site_server):
    page = open_explorer(context, site_server, "scheduler=ReduceLROnPlateau&metric=noisy_loss&epochs=6", "zh")
    # uPlot would turn a y-axis title sideways: the Chinese ones are drawn by the page instead.
    labels = page.evaluate("Object.values(lrExplorer.app.charts).filter(Boolean).flatMap((u) => u.axes.filter((a) => a.scale === 'y').map((a) => a.label || ''))")
    assert len(labels) == 2 and not any(re.search(r"[\u4e00-\u9fff]", label) for label in labels), labels
    upright = page.evaluate(
        """() => [...document.querySelectorAll('.lrx-ylabel')].map((n) => [n.textContent, getComputedStyle(n).writingMode,
             getComputedStyle(n).textOrientation, n.getBoundingClientRect().height > n.getBoundingClientRect().width])"""
    )
    assert ["学习率", "vertical-rl", "upright", True] in upright and ["指标", "vertical-rl", "upright", True] in upright, upright
    english = open_explorer(context, site_server, "scheduler=ReduceLROnPlateau&metric=noisy_loss&epochs=6")
    assert english.locator(".lrx-ylabel").count() == 0


@pytest.mark.browser
def test_a_pin_label_names_every_setting_that_differs_training_included(context, site_server):
    pins = [
        "scheduler=StepLR;step_size=4;gamma=0.5;step_every=batch",
        "scheduler=StepLR;step_size=4;gamma=0.5;step_every=epoch",
        "scheduler=StepLR;step_size=4;gamma=0.5;lr=0.01;momentum=0.5;epochs=5;steps_per_epoch=9",
    ]
    page = open_explorer(context, site_server, "scheduler=StepLR&step_size=4&gamma=0.5&" + "&".join(f"pin={pin}" for pin in pins))
    labels = [page.locator(f".lrx-legend li[data-index='{n}'] code").inner_text() for n in (1, 2, 3)]
    assert len(set(labels)) == 3, labels
    assert "step_every" not in labels[0] and "step_every=epoch" in labels[1]
    for setting in ("lr=0.01", "momentum=0.5", "epochs=5", "steps_per_epoch=9"):
        assert setting in labels[2], labels[2]
    assert "gamma" not in labels[2]  # the same as the current curve's
    # Change the current curve: the labels follow what now differs.
    page.locator("[data-param=gamma] input.lrx-input").fill("0.25")
    # The field's update is debounced: wait_drawn alone may run before it starts; the address is
    # written after the update has drawn.
    page.wait_for_function("() => location.search.includes('gamma=0.25')")
    wait_drawn(page)
    assert "gamma=0.5" in page.locator(".lrx-legend li[data-index='1'] code").inner_text()


@pytest.mark.browser
def test_the_x_axis_counts_steps_epochs_or_the_fraction_of_training(context, site_server):
    query = "scheduler=CosineAnnealingLR&T_max=32&epochs=4&steps_per_epoch=8&pin=scheduler=CosineAnnealingLR;T_max=200;epochs=2;steps_per_epoch=100"
    page = open_explorer(context, site_server, query)
    assert page.evaluate("lrExplorer.app.charts.lr.data[0].length") == 200  # by step, the pin runs 200 steps
    page.get_by_label("fraction of training").check()
    wait_drawn(page)
    page.wait_for_function("() => location.search.includes('xaxis=fraction')")
    x, current, pin = page.evaluate("(() => { const d = lrExplorer.app.charts.lr.data; return [d[0], d[1], d[2]]; })()")
    current_x = [value for value, y in zip(x, current) if y is not None]
    pin_x = [value for value, y in zip(x, pin) if y is not None]
    assert current_x == [step / 32 for step in range(32)] and pin_x == [step / 200 for step in range(200)]
    # Shape to shape: both cosines are at their half-way value halfway through their run.
    assert current[x.index(0.5)] == pytest.approx(pin[x.index(0.5)], rel=1e-12)
    page.get_by_label("epoch", exact=True).check()
    wait_drawn(page)
    x = page.evaluate("lrExplorer.app.charts.lr.data[0]")
    assert max(x) == 31 / 8 and 199 / 100 in x  # the current curve ends at epoch 3.875, the pin at 1.99
    again = open_explorer(context, site_server, urlsplit(page.url).query)
    assert again.evaluate("lrExplorer.view.x") == "epoch" and again.problems == []


@pytest.mark.browser
def test_the_csv_holds_every_curve_on_the_chart_with_the_metric(context, site_server):
    plateau, _, loop = CASES["plateau"]
    page = open_explorer(context, site_server, plateau + "&pin=scheduler=StepLR;step_size=4;gamma=0.5;epochs=3;steps_per_epoch=5")
    text = read_csv_text(page)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == "curve,step,epoch,lr,momentum,metric"
    current = [row for row in rows if row["curve"] == "current"]
    pinned = [row for row in rows if row["curve"] == "pin1"]
    assert len(current) + len(pinned) == len(rows)
    lrs, _ = case_run("plateau")
    assert [float(row["lr"]) for row in current] == lrs
    assert [float(row["metric"]) for row in current] == [metric_improve_then_plateau(step) for step in range(len(lrs))]
    pin_lrs, _ = torch_run(lambda opt, s: s.StepLR(opt, step_size=4, gamma=0.5), epochs=3, steps_per_epoch=5)
    assert [float(row["lr"]) for row in pinned] == pin_lrs and {row["metric"] for row in pinned} == {""}
    assert [int(row["epoch"]) for row in pinned] == [step // 5 for step in range(15)]


@pytest.mark.browser
@pytest.mark.parametrize(
    "query, kind",
    [
        (CASES["plateau"][0], "reductions"),
        ("scheduler=SequentialLR&milestones=8,20&s0=LinearLR&s0.start_factor=0.1&s0.total_iters=8&s1=ConstantLR&s2=CosineAnnealingLR&s2.T_max=12", "handovers"),
        ("scheduler=CosineAnnealingWarmRestarts&T_0=4&T_mult=2&epochs=8&steps_per_epoch=4", "restarts"),
        ("scheduler=CyclicLR&base_lr=0.0001&max_lr=0.001&step_size_up=3&step_size_down=2&step_every=epoch&epochs=12&steps_per_epoch=2", "cycles"),
    ],
)
def test_where_a_schedule_changes_course_is_marked(context, site_server, query, kind):
    page = open_explorer(context, site_server, query)
    marks = page.evaluate("lrExplorer.marks()")
    expected = {
        # where torch's lr drops
        "reductions": [i for i, (a, b) in enumerate(zip(case_run("plateau")[0], case_run("plateau")[0][1:]), 1) if b < a],
        "handovers": [8, 20],
        # T_0=4, T_mult=2: restarts after 4, 4 + 8, 4 + 8 + 16 calls (32 steps)
        "restarts": [4, 12, 28],
        # cycles of 5 epoch calls, 2 steps per epoch
        "cycles": [10, 20],
    }[kind]
    assert marks["steps"] == expected, marks
    assert kind[:-1] in marks["kind"].lower()
    if kind == "reductions":
        metric = page.evaluate("lrExplorer.app.charts.metric.data[1]")
        assert metric == [metric_improve_then_plateau(step) for step in range(50)]
    if kind == "restarts":  # torch restarts there: the lr jumps back up
        lrs, _ = torch_run(lambda opt, s: s.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=2), epochs=8, steps_per_epoch=4)
        assert [i for i in range(1, len(lrs)) if lrs[i] > lrs[i - 1]] == expected
    assert page.locator(".lrx-note--marks").inner_text().count("Solid lines") == 1
    assert page.problems == []


@pytest.mark.browser
def test_compositions_take_one_to_four_schedulers(context, site_server):
    page = open_explorer(context, site_server, "scheduler=SequentialLR")
    assert page.locator(".lrx-group--sub").count() == 2
    for _ in range(2):
        page.locator(".lrx-add").click()
        wait_drawn(page)
    assert page.locator(".lrx-group--sub").count() == 4 and page.locator(".lrx-add").is_disabled()
    page.wait_for_function("() => new URLSearchParams(location.search).has('s3')")
    settings = page.evaluate("lrExplorer.app.settings.kwargs")
    assert len(settings["schedulers"]) == 4 and len(settings["milestones"]) == 3
    assert settings["milestones"] == sorted(settings["milestones"])
    assert not page.locator("[role=alert]").inner_text().strip()  # torch accepts what the form built
    page.get_by_role("button", name="Remove scheduler 2").click()
    wait_drawn(page)
    settings = page.evaluate("lrExplorer.app.settings.kwargs")
    assert [s["scheduler"] for s in settings["schedulers"]] == ["LinearLR", "ConstantLR", "ConstantLR"] and len(settings["milestones"]) == 2
    for _ in range(2):
        page.locator(".lrx-remove").first.click()
        wait_drawn(page)
    assert page.locator(".lrx-group--sub").count() == 1 and page.locator(".lrx-remove").count() == 0
    assert not page.locator("[role=alert]").inner_text().strip() and page.problems == []


@pytest.mark.browser
def test_copy_link_copies_the_address_with_the_settings(context, site_server):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = open_explorer(context, site_server, "scheduler=StepLR&step_size=3&xaxis=epoch")
    page.locator("[data-param=gamma] input.lrx-input").fill("0.2")
    wait_drawn(page)
    page.locator(".lrx-copy").click()
    page.wait_for_function("() => document.querySelector('.lrx-copied').textContent !== ''")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "gamma=0.2" in copied and "xaxis=epoch" in copied


@pytest.mark.browser
def test_presets_are_links_with_the_settings_of_the_pages_they_name(browser, site_server, site):
    """Each preset opens as a normal link, with the settings of its page's own "Open in the explorer"."""
    import html
    from html.parser import HTMLParser

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.links.append(dict(attrs))

    def links(path):
        parser = Links()
        parser.feed((site / path).read_text(encoding="utf-8"))
        return parser.links

    for prefix in ("", "zh/"):
        presets = [a for a in links(f"{prefix}explorer/index.html") if "data-preset" in a]
        assert {a["data-preset"] for a in presets} >= {"sequentiallr", "recipe-linear", "recipe-wsd", "onecyclelr-cos", "steplr", "recipe-cosine"}
        pairs = []
        for a in presets:
            own = [b["href"] for b in links(f"{prefix}schedulers/{a['data-preset']}/index.html") if "/explorer/?" in b.get("href", "")]
            assert own, a
            assert a["href"].startswith("./?")
            pairs.append([html.unescape(a["href"]).split("?", 1)[1], html.unescape(own[0]).split("?", 1)[1]])
        # The same settings, read as the page reads them (a preset may leave out the training defaults).
        same = node("print(input.map(([a, b]) => { const [x, y] = [a, b].map((q) => state.parseQuery(q));"
                    " return x.errors.length === 0 && state.toQuery(x.settings) === state.toQuery(y.settings); }));", pairs)
        assert same == [True] * len(pairs), [p for p, ok in zip(pairs, same) if not ok]
    context = browser.new_context(viewport=DESKTOP)
    page = open_explorer(context, site_server)
    with page.expect_navigation():
        page.locator("a[data-preset=recipe-wsd]").first.click()
    page.wait_for_selector("#lr-explorer[data-ready=true]")
    assert page.evaluate("lrExplorer.app.settings.kwargs.schedulers.map((s) => s.scheduler)") == ["ConstantLR", "LinearLR", "CosineAnnealingLR"]
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": PHONE_WIDTH, "height": 740}], ids=["desktop", "phone"])
def test_the_chart_stays_whole_in_view_while_any_field_is_edited(browser, site_server, language, viewport):
    context = browser.new_context(viewport=viewport)
    page = open_explorer(context, site_server, "scheduler=OneCycleLR&max_lr=0.01", language)
    fields = page.locator(".lrx-form input.lrx-input, .lrx-form select, .lrx-form input[type=radio]")
    out = []
    for index in range(fields.count()):
        fields.nth(index).focus()
        page.wait_for_timeout(50)
        header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
        box = page.locator(".lrx-chart").first.bounding_box()
        field = fields.nth(index).bounding_box()
        if box["y"] < header - 1 or box["y"] + box["height"] > viewport["height"] + 1:
            out.append((index, box))
        if field["y"] < box["y"] + box["height"] and viewport["width"] < 900:
            out.append((index, "field under the chart", field))
    assert out == []
    context.close()


@pytest.mark.browser
def test_the_space_of_the_explorer_is_kept_before_its_script_runs(browser, site_server):
    """No layout shift as the page builds itself (Lighthouse's CLS): the box holds a window's height."""
    for viewport in ({"width": 1280, "height": 800}, {"width": PHONE_WIDTH, "height": 740}):
        context = browser.new_context(viewport=viewport, java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{site_server}zh/explorer/")
        height = page.evaluate("document.getElementById('lr-explorer').getBoundingClientRect().height")
        assert height >= viewport["height"] - 60, height
        context.close()


def test_the_explorers_prose_claims_no_more_than_it_does():
    """Issue #19: compositions take up to four schedulers, and not every argument is offered."""
    texts = {
        "README.md": (ROOT / "README.md").read_text(encoding="utf-8"),
        "docs/explorer.md": (ROOT / "docs" / "explorer.md").read_text(encoding="utf-8"),
        "docs/explorer.zh.md": (ROOT / "docs" / "explorer.zh.md").read_text(encoding="utf-8"),
        "strings.js": (EXPLORER / "strings.js").read_text(encoding="utf-8"),
    }
    claims = ["any arguments", "`s0` and `s1`", "over two sub-schedulers", "second scheduler takes over", "Two schedulers", "两个调度器", "下面是 PyTorch"]
    found = [(name, claim) for name, text in texts.items() for claim in claims if claim in text]
    assert found == []
    for name in ("docs/explorer.md", "docs/explorer.zh.md"):
        for limit in ("scale_fn", "last_epoch", "step(epoch)", "T_max", "SGD"):
            assert limit in texts[name], (name, limit)
