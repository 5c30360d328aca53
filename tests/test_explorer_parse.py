"""The explorer's "Paste your code" (docs/assets/explorer/parse.js) against torch.

Snippets are generated for every class and mode of the engine tests (compositions and each named lambda
included), written as a reader writes them (bare, `lr_scheduler.X` or `torch.optim.lr_scheduler.X`;
positional and keyword arguments; numbers as `5_000`, `0.2 / 2`, `10 ** -3`; sub-schedulers nested or
assigned on earlier lines). torch runs each snippet as written; node parses it (never runs it), and the
engine's lr and momentum for the parsed settings must be torch's at every step (1e-12), with the same
exception where torch stops. Then the things it must report rather than guess.
"""

from __future__ import annotations

import inspect
import json
import math
import random
import subprocess

import explorer_spec  # scripts/explorer_spec.py (conftest puts scripts/ on the path)
import pytest
import torch
from test_explorer_engine import GROUPS, ROOT, Reference, WarmupCosineLR, compare, draw, node, spec  # noqa: F401, F811  (spec: the fixture)

PARSE = (ROOT / "docs" / "assets" / "explorer" / "parse.js").as_uri()
STATE = (ROOT / "docs" / "assets" / "explorer" / "state.js").as_uri()
ENGINE = (ROOT / "docs" / "assets" / "explorer" / "engine.js").as_uri()
PER_GROUP = 12

RUNNER = f"""
import {{ parseCode as parse }} from "{PARSE}";
import * as state from "{STATE}";
import * as engine from "{ENGINE}";
const {{ engineSettings }} = state;
const {{ simulate, TorchError }} = engine;
const parseCode = (code) => parse(code, {{ engine, state }});
import {{ readFileSync }} from "node:fs";
const encode = (x) => (Number.isFinite(x) ? x : Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf");
const jobs = JSON.parse(readFileSync(0, "utf8"));
const out = jobs.map(({{ code, loop }}) => {{
  const parsed = parseCode(code);
  if (!parsed.settings || !loop) return {{ parsed }};
  const settings = {{ ...parsed.settings, ...loop }};
  try {{
    const r = simulate(engineSettings(settings));
    const got = {{ lr: r.lr.map(encode), momentum: r.momentum.map(encode), warnings: r.warnings, parsed }};
    if (r.stopped) Object.assign(got, {{ error: {{ type: r.stopped.type, message: r.stopped.message }}, stoppedAt: r.stopped.step }});
    if (r.nonFinite) got.nonFinite = {{ ...r.nonFinite, value: encode(r.nonFinite.value) }};
    return got;
  }} catch (error) {{
    if (!(error instanceof TorchError)) return {{ crash: `${{error.name}}: ${{error.message}}`, parsed }};
    return {{ error: {{ type: error.type, message: error.message }}, lr: [], momentum: [], parsed }};
  }}
}});
process.stdout.write(JSON.stringify(out));
"""


def parse_and_run(jobs: list[dict]) -> list[dict]:
    result = subprocess.run(
        ["node", "--input-type=module", "-e", RUNNER], input=json.dumps(jobs), capture_output=True, text=True, cwd=ROOT, check=False,
        env=explorer_spec.node_environment(),  # the spec the build writes into the page
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------------------------------
# Writing settings as a reader's code


class Writer:
    def __init__(self, spec, rng: random.Random):
        self.spec = spec
        self.rng = rng

    def number(self, value, kind):
        rng = self.rng
        if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            forms = [str(value), f"{value:_}", f"{value + 3} - 3", f"({value} * 2) // 2"]
            return rng.choice(forms)
        value = float(value)
        forms = [repr(value), f"{value * 2!r} / 2" if math.isfinite(value * 2) and (value * 2) / 2 == value else repr(value)]
        if value == 0.001:
            forms.append("10 ** -3")
        if value == 1e-4:
            forms.append("1e-4")
        if value < 0:
            forms.append(f"-{-value!r}")
        return rng.choice(forms)

    def value(self, param, value, lines):
        kind = param["kind"]
        if value is None:
            return "None"
        if kind in ("int", "float"):
            return self.number(value, kind)
        if kind == "float_or_list":
            return f"[{self.number(value[0], 'float')}]" if isinstance(value, list) else self.number(value, "float")
        if kind == "bool":
            return "True" if value else "False"
        if kind == "choice":
            return self.rng.choice([f"'{value}'", f'"{value}"'])
        if kind == "int_list":
            return "[" + ", ".join(self.number(v, "int") for v in value) + "]"
        if kind == "lambda":
            source = self.spec["lambdaSources"][value]
            return self.rng.choice([source, source.replace(", ", ",").replace(" + ", "+"), source.replace("(", "( ")])
        if kind == "schedulers":
            items = []
            named = self.rng.randint(0, len(value))  # the first ones on lines of their own, in order
            for index, child in enumerate(value):
                call = self.call(child["scheduler"], child.get("kwargs", {}), lines)
                if index < named:
                    lines.append(f"sub{index} = {call}")
                    items.append(f"sub{index}")
                else:
                    items.append(call)
            return "[" + ", ".join(items) + "]"
        raise AssertionError(kind)

    def call(self, name, kwargs, lines):
        rng = self.rng
        entry = self.spec["schedulers"][name]
        params = {p["name"]: p for p in entry["params"]}
        prefix = rng.choice(["", "lr_scheduler.", "torch.optim.lr_scheduler."]) if name != "WarmupCosineLR" else ""
        order = [n for n in entry["signature"] if n != "optimizer"]
        args = [] if name == "ChainedScheduler" else ["optimizer"]
        rest = dict(kwargs)
        # positional: a leading run of the signature that the settings give
        cut = rng.randint(0, len(order))
        for pname in order[:cut]:
            if pname not in rest:
                break
            args.append(self.value(params[pname], rest.pop(pname), lines))
        keys = list(rest)
        rng.shuffle(keys)
        args += [f"{k}={self.value(params[k], rest[k], lines)}" for k in keys]
        if name == "ChainedScheduler":
            args.append("optimizer=optimizer")
        return f"{prefix}{name}({', '.join(args)})"

    def snippet(self, s):
        lines = []
        call = self.call(s["scheduler"], s["kwargs"], lines)
        return "\n".join([*lines, f"scheduler = {call}"])


class FromCode(Reference):
    """torch running the snippet as written, on the test loop's optimizer."""

    code = ""

    def build(self, optimizer, child):
        namespace = {"torch": torch, "math": math, "optimizer": optimizer, "lr_scheduler": torch.optim.lr_scheduler}
        namespace.update({n: getattr(torch.optim.lr_scheduler, n) for n in torch.optim.lr_scheduler.__all__})
        namespace["WarmupCosineLR"] = WarmupCosineLR
        exec(self.code, namespace)  # noqa: S102  (the generated snippet, under test)
        return namespace["scheduler"]


def expressible(s) -> bool:
    """OneCycleLR's epochs/steps_per_epoch are the training length in the explorer: skip other lengths."""
    k = s["kwargs"]
    if s["scheduler"] == "OneCycleLR" and "epochs" in k:
        return k["epochs"] == s["epochs"] and k["steps_per_epoch"] == s["steps_per_epoch"]
    return True


def test_signatures_are_torchs(spec):
    """parse.js maps positional arguments through the engine's signatures: torch's order, all of them."""
    for name, entry in spec["schedulers"].items():
        cls = WarmupCosineLR if name == "WarmupCosineLR" else getattr(torch.optim.lr_scheduler, name)
        assert entry["signature"] == [p for p in inspect.signature(cls.__init__).parameters if p != "self"], name


def test_pasted_code_for_every_class_and_mode_gives_torchs_numbers(spec):
    rng = random.Random(20)
    writer = Writer(spec, rng)
    cases = []
    for group, strategy in GROUPS.items():
        for s in draw(strategy, PER_GROUP, group):
            if expressible(s):
                cases.append((group, s, writer.snippet(s)))
    loop_keys = ("lr", "momentum", "epochs", "steps_per_epoch", "step_every", "metric")
    jobs = [{"code": code, "loop": {k: s[k] for k in loop_keys if k in s}} for _, s, code in cases]
    results = parse_and_run(jobs)
    reference = FromCode(spec)
    failures = []
    groups = set()
    for (group, s, code), got in zip(cases, results):
        parsed = got["parsed"]
        if parsed["problems"] or parsed["unknown"] or not parsed["settings"]:
            failures.append(f"{group}: {code}\n    parse: {parsed['problems']} {parsed['unknown']}")
            continue
        reference.code = code
        expected = reference.run(s)
        problem = compare(s, expected, got)
        if problem:
            failures.append(f"{group}: {code}\n    {problem}")
        groups.add(group)
    assert not failures, f"{len(failures)} of {len(cases)} snippets differ from torch:\n" + "\n".join(failures[:10])
    assert groups == set(GROUPS), set(GROUPS) - groups
    lambdas = {json.dumps(c[1]["kwargs"].get("lr_lambda")) for c in cases}
    assert {json.dumps(n) for n in spec["lambdaSources"]} <= lambdas | {json.dumps(None)}, "every named lambda"


def parsed(code: str) -> dict:
    return parse_and_run([{"code": code, "loop": None}])[0]["parsed"]


def test_the_issues_examples_and_names_it_cannot_know():
    one_cycle = parsed("OneCycleLR(optimizer, max_lr=0.1, epochs=10, steps_per_epoch=len(loader))")
    assert one_cycle["settings"]["scheduler"] == "OneCycleLR" and one_cycle["settings"]["epochs"] == 10
    assert one_cycle["settings"]["kwargs"]["max_lr"] == 0.1
    assert one_cycle["unknown"] == [{"param": "steps_per_epoch", "source": "len(loader)"}]
    assert parsed("StepLR(optimizer, step_size=args.epochs // 3)")["unknown"] == [
        {"param": "step_size", "source": "args.epochs"}
    ]
    numbers = parsed("torch.optim.lr_scheduler.StepLR(optimizer, 5_000, gamma=0.1 * 2)")["settings"]["kwargs"]
    assert numbers == {"step_size": 5000, "gamma": 0.1 * 2}
    assert parsed("ExponentialLR(optimizer, gamma=10 ** -3)")["settings"]["kwargs"]["gamma"] == 10**-3
    assert parsed("CyclicLR(optimizer, 1e-3, 1e-2, cycle_momentum=True)")["settings"]["kwargs"]["cycle_momentum"] is True
    # a float where torch wants an int stays a float, for torch to refuse
    assert parsed("CosineAnnealingWarmRestarts(optimizer, T_0=8.0)")["settings"]["kwargs"]["T_0"] == {"float": 8.0}
    # variables on earlier lines, a loop after it, an SGD line's lr and momentum
    code = """
optimizer = torch.optim.SGD(model.parameters(), lr=3e-4, momentum=0.95)
warmup = LinearLR(optimizer, start_factor=0.1, total_iters=5)
cosine = CosineAnnealingLR(optimizer, T_max=95)
scheduler = SequentialLR(optimizer, [warmup, cosine], milestones=[5])
for epoch in range(100):
    train(model)
    scheduler.step()
"""
    s = parsed(code)["settings"]
    assert (s["lr"], s["momentum"]) == (3e-4, 0.95)
    assert [c["scheduler"] for c in s["kwargs"]["schedulers"]] == ["LinearLR", "CosineAnnealingLR"]
    assert s["kwargs"]["milestones"] == [5]


@pytest.mark.parametrize(
    ("code", "param", "problem"),
    [
        ("LambdaLR(optimizer, lr_lambda=lambda epoch: 0.97 ** epoch)", "lr_lambda", "lambda_unknown"),
        ("StepLR(optimizer, step_size=4, last_epoch=10)", "last_epoch", "not_offered"),
        ("CyclicLR(optimizer, 0.01, 0.1, scale_fn=f)", "scale_fn", "not_offered"),
        ("SequentialLR(optimizer, [SequentialLR(optimizer, [], []), StepLR(optimizer, 3)], [4])", "s0", "not_sub_scheduler"),
        ("OneCycleLR(optimizer, max_lr=[0.1, 0.01], total_steps=10)", "max_lr", "one_group"),
        ("optimizer = torch.optim.AdamW(model.parameters())\nStepLR(optimizer, 3)", "optimizer", "not_sgd"),
        ("print('hello')", "code", "not_a_scheduler_call"),
        ("b = StepLR(optimizer, 3)\na = LinearLR(optimizer)\nChainedScheduler([a, b])", "schedulers", "build_order"),
        ("StepLR(optimizer, __import__('os').system('echo no'))", None, None),
    ],
)
def test_what_it_cannot_read_is_reported_not_guessed(code, param, problem):
    result = parsed(code)
    if param is None:  # never evaluated: a name it cannot know
        assert result["unknown"] == [{"param": "step_size", "source": "__import__('os').system('echo no')"}]
        return
    assert {(p["param"], p["problem"]) for p in result["problems"]} >= {(param, problem)}, result
    assert all(len(p["value"]) <= 80 for p in result["problems"])


def test_the_paste_boxs_words_exist_in_both_languages_and_every_code_has_words():
    strings = (ROOT / "docs" / "assets" / "explorer" / "strings-code.js").as_uri()
    page = (ROOT / "docs" / "assets" / "explorer" / "strings.js").as_uri()
    source = (ROOT / "docs" / "assets" / "explorer" / "parse.js").read_text(encoding="utf-8")
    out = subprocess.run(
        ["node", "--input-type=module", "-e", f'import {{ CODE_STRINGS }} from "{strings}"; import {{ STRINGS }} from "{page}"; process.stdout.write(JSON.stringify({{ CODE_STRINGS, STRINGS }}));'],
        capture_output=True, text=True, check=True,
    )
    words = json.loads(out.stdout)
    code, page_words = words["CODE_STRINGS"], words["STRINGS"]
    for part in ("ui", "problems"):
        assert set(code["en"][part]) == set(code["zh"][part]), part
    import re

    used = set(re.findall(r'"([a-z_]+)"\)', source)) & {*code["en"]["problems"], *page_words["en"]["problems"]}
    named = set(re.findall(r'problem\([^;]*?"([a-z_0-9]+)"\)', source)) | set(re.findall(r'problem: "([a-z_0-9]+)"', source))
    for name in named:
        assert name in code["en"]["problems"] or name in page_words["en"]["problems"], f"no words for {name}"
    assert used
