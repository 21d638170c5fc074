"""What loading the trained model costs, Rasa's way against the eager loader, side by side
in one run (by hand: `.venv/bin/python bench/model_load.py [--rounds N]`).

Each load runs in a process of its own (the eager loader is installed per process), the
two ways alternating, and the model is the project's own (trained once per fingerprint).
It also times a whole embedded stack coming up, the way `parley run` and every e2e test
start one. Nothing else is served.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import rasa_model  # noqa: E402

_LOAD = """
import sys, time
if sys.argv[2] == "eager":
    from channels import model_loading
    model_loading.install()
from rasa.core.agent import Agent
started = time.monotonic()
Agent.load(sys.argv[1])
print(time.monotonic() - started)
"""


def load_seconds(model: Path, way: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, str(model), way],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def stack_seconds(model: Path) -> float:
    from tests.e2e.conftest import launch

    with tempfile.TemporaryDirectory(prefix="parley-bench-load-") as scratch:
        started = time.monotonic()
        stack = launch(Path(scratch), model)
        up = time.monotonic() - started
        stack.supervisor.stop()
        stack.store.dispose()
    return up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    rounds = parser.parse_args().rounds
    model = rasa_model.train(ROOT)
    times: dict[str, list[float]] = {"rasa": [], "eager": []}
    for _ in range(rounds):
        for way in times:
            times[way].append(load_seconds(model, way))
    stacks = [stack_seconds(model) for _ in range(rounds)]
    rasa, eager = (statistics.median(times[w]) for w in ("rasa", "eager"))
    print("| load | median s | runs |\n|---|---|---|")
    print(f"| Rasa's `RasaModel.load` (a traced training step) | {rasa:.1f} | {times['rasa']} |")
    print(
        f"| eager (`channels/model_loading.py`) | {eager:.1f} ({rasa / eager:.1f}x faster) | {times['eager']} |"
    )
    print(
        f"| a whole embedded stack up (eager, processes side by side) | {statistics.median(stacks):.1f} | {[round(s, 1) for s in stacks]} |"
    )


if __name__ == "__main__":
    main()
