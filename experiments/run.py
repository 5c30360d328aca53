"""Run the experiments of the Evidence page and record their results (`make experiments`).

    python experiments/run.py             # every experiment
    python experiments/run.py warmup wsd  # some of them

Each experiment writes experiments/results/<name>.json: the held-out error of every arm and seed
every task.EVAL_EVERY steps, the first PREFIX training losses of its first arm and seed (which
tests/test_evidence.py reruns and requires bit for bit), and the provenance of the numbers. The
site's build draws the figures and fills the numbers from these files (scripts/evidence.py), and
refuses to build when a script changed after its results were recorded.
"""

import datetime
import hashlib
import importlib
import json
import math
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
# The one list of experiments, in the order of the page: the build, the tests and this runner read it.
EXPERIMENTS = ("warmup", "cosine_length", "wsd", "linear_to_zero", "schedule_free", "stepping")
PREFIX = 50  # training steps of the first arm and seed that the test suite reruns


def source_hash(name: str) -> str:
    """What the results of `name` depend on: its script and the task it trains."""
    digest = hashlib.sha256()
    for path in ("task.py", f"{name}.py"):
        digest.update((HERE / path).read_bytes())
    return digest.hexdigest()


def _finite(values):
    return [value if math.isfinite(value) else None for value in values]


def record(name: str) -> dict:
    import task
    import torch

    task.deterministic()
    module = importlib.import_module(name)
    started = time.process_time()
    arms, prefix = {}, None
    for arm in module.ARMS:
        runs = []
        for seed in module.SEEDS:
            result = module.run(arm, seed)
            losses = result.pop("losses")
            if prefix is None:
                prefix = {"arm": arm, "seed": seed, "losses": _finite(losses[:PREFIX])}
            diverged = not all(math.isfinite(loss) for loss in losses)
            runs.append({"seed": seed, "diverged": diverged, **{key: _finite(value) for key, value in result.items()}})
        arms[arm] = runs
    return {
        "experiment": name,
        "provenance": {
            "script": f"experiments/{name}.py",
            "sha256": source_hash(name),
            "torch": torch.__version__,
            "python": platform.python_version(),
            "threads": torch.get_num_threads(),
            "deterministic": torch.are_deterministic_algorithms_enabled(),
            "seeds": list(module.SEEDS),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu_seconds": round(time.process_time() - started, 1),
        },
        "eval_every": task.EVAL_EVERY,
        "prefix": prefix,
        "arms": arms,
    }


def main(names) -> None:
    sys.path.insert(0, str(HERE))
    unknown = sorted(set(names) - set(EXPERIMENTS))
    if unknown:
        sys.exit(f"unknown experiment(s) {', '.join(unknown)}; the experiments are {', '.join(EXPERIMENTS)}")
    RESULTS.mkdir(exist_ok=True)
    for name in names or EXPERIMENTS:
        results = record(name)
        path = RESULTS / f"{name}.json"
        path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"{path.relative_to(HERE.parent)}: {results['provenance']['cpu_seconds']} s of CPU", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
