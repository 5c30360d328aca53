"""The explorer's data side on the built page: a run torch stops part-way, `?code=`, the paste box,
pins torch refuses, and the error slot of a training number (both languages where words are shown).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import torch
from test_explorer import DESKTOP, open_explorer, wait_drawn

pytestmark = pytest.mark.browser


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    yield context
    context.close()


def torch_stopped_run() -> tuple[list[float], str]:
    """OneCycleLR(total_steps=20) in the explorer's loop of 4 epochs x 8 steps: the lrs torch records
    and the exception it raises in the 21st scheduler.step()."""
    optimizer = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=0.001, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=20)
    lrs = []
    try:
        for _ in range(32):
            optimizer.step()
            lrs.append(optimizer.param_groups[0]["lr"])
            scheduler.step()
    except ValueError as exc:
        return lrs, f"ValueError: {exc}"
    raise AssertionError("torch did not stop")


# The stop line's colour (--lrx-stop of the default palette); no curve or mark of the page uses it.
STOP_RGB = (0x88, 0x0E, 0x4F)
COLUMN_SHARE = """([step]) => { const u = lrExplorer.app.charts.lr;
  const x = Math.round(u.valToPos(step, "x", true)), top = Math.round(u.bbox.top), h = Math.round(u.bbox.height);
  const px = u.ctx.getImageData(x, top, 1, h).data; let hits = 0;
  for (let i = 0; i < px.length; i += 4) hits += Math.abs(px[i] - %d) + Math.abs(px[i + 1] - %d) + Math.abs(px[i + 2] - %d) < 60;
  return hits / h; }""" % STOP_RGB


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_run_torch_stops_part_way_draws_the_steps_before_and_gives_torchs_message(context, site_server, language):
    """total_steps=20 and a loop of epochs x steps_per_epoch = 32 steps: torch raises in the 21st
    scheduler.step(). The page draws the 21 steps torch recorded on the whole run's x axis, marks
    step 21, gives torch's message in the alert and puts those 21 rows in the CSV."""
    lrs, message = torch_stopped_run()
    assert len(lrs) == 21
    page = open_explorer(context, site_server, "scheduler=OneCycleLR&max_lr=0.1&total_steps=20&epochs=4&steps_per_epoch=8", language)
    alert = page.locator("[role=alert]")
    text = alert.inner_text()
    assert message in text, text
    assert ("20" in text and "21" in text), text  # the last step recorded, the number of steps
    result = page.evaluate("() => ({ n: lrExplorer.app.result.lr.length, stopped: lrExplorer.app.result.stopped })")
    assert result["n"] == 21 and result["stopped"]["step"] == 21
    wait_drawn(page)
    drawn = page.evaluate("() => { const d = lrExplorer.app.charts.lr.data; return { x: d[0].length, lr: d[1] }; }")
    assert drawn["x"] == 32 and drawn["lr"][:21] == pytest.approx(lrs, rel=1e-12) and all(value is None for value in drawn["lr"][21:]), drawn
    # A full-height line at step 21, none at step 26 (no epoch boundary, no curve there).
    assert page.evaluate(COLUMN_SHARE, [21]) > 0.8
    assert page.evaluate(COLUMN_SHARE, [26]) < 0.05
    with page.expect_download() as info:
        page.locator(".lrx-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert [row["step"] for row in rows] == [str(step) for step in range(21)]
    # the engine's cosine may differ from CPython's by an ulp (tests/test_explorer_values.py)
    assert [float(row["lr"]) for row in rows] == pytest.approx(lrs, rel=1e-12)
    assert page.problems == []


def test_code_in_the_address_loads_its_settings_and_the_address_becomes_the_usual_form(context, site_server):
    code = "warmup = LinearLR(optimizer, start_factor=0.1, total_iters=5)\ncosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=27)\nscheduler = SequentialLR(optimizer, [warmup, cosine], milestones=[5])"
    page = open_explorer(context, site_server, "code=" + quote(code))
    wait_drawn(page)
    page.wait_for_function("() => !location.search.includes('code=')")
    query = urlsplit(page.url).query
    # total_iters=5 is LinearLR's default: the usual form leaves it out
    assert query.startswith("scheduler=SequentialLR&milestones=5&s0=LinearLR&s0.start_factor=0.1&s1=CosineAnnealingLR&s1.T_max=27&"), query
    assert page.problems == []


def test_code_in_the_address_names_what_it_cannot_know(context, site_server):
    page = open_explorer(context, site_server, "code=" + quote("OneCycleLR(optimizer, max_lr=0.1, epochs=10, steps_per_epoch=len(loader))"))
    listed = page.locator(".lrx-url-problems").inner_text()
    assert "steps_per_epoch=len(loader)" in listed and "cannot know" in listed, listed
    assert page.evaluate("() => lrExplorer.app.settings.epochs") == 10


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_paste_box_reads_code_and_asks_for_names_it_cannot_know(context, site_server, language):
    page = open_explorer(context, site_server, "", language)
    page.locator(".lrx-paste summary").click()
    area = page.locator(".lrx-paste textarea")
    area.wait_for()
    area.fill("scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=args.step, gamma=0.5)")
    page.locator(".lrx-paste__load").click()
    wait_drawn(page)
    settings = page.evaluate("() => lrExplorer.app.settings")
    assert settings["scheduler"] == "StepLR" and settings["kwargs"]["gamma"] == 0.5
    status = page.locator(".lrx-paste__status").inner_text()
    assert "step_size=args.step" in status, status
    error = page.locator("[data-param=step_size] .lrx-error")
    assert error.is_visible() and "args.step" in error.inner_text()
    if language == "zh":
        assert any("\u4e00" <= c <= "\u9fff" for c in status), status
    assert page.problems == []


def test_a_pin_torch_refuses_is_named_in_the_problems_box(context, site_server):
    page = open_explorer(context, site_server, "scheduler=StepLR&step_size=4&pin=scheduler=CosineAnnealingWarmRestarts;T_0=0")
    listed = page.locator(".lrx-url-problems").inner_text()
    assert "CosineAnnealingWarmRestarts(T_0=0)" in listed and "ValueError: Expected positive integer T_0, but got 0" in listed, listed
    assert page.evaluate("() => lrExplorer.app.pins.length") == 0


def test_too_many_epochs_for_onecyclelr_shows_under_the_training_field(context, site_server):
    page = open_explorer(context, site_server, "scheduler=OneCycleLR&max_lr=0.1")
    field = page.locator(".lrx-group [data-param=epochs]:not(.lrx-field--derived) input.lrx-input")
    field.fill("10000000")
    error = page.locator("[data-param=epochs]:not(.lrx-field--derived) .lrx-error")
    error.wait_for(state="visible")
    assert "1000000" in error.inner_text()
    assert page.evaluate("() => lrExplorer.app.settings.epochs") == 4
