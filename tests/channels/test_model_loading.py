"""The eager model loader (channels/model_loading.py) changes nothing a model says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.settings import PROJECT_ROOT


def loaded(model: Path, *flags: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.channels.model_outputs", str(model), *flags],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_eager_loader_gives_the_same_weights_intents_and_actions(trained_model: Path) -> None:
    rasas = loaded(trained_model)
    eager = loaded(trained_model, "--eager")
    assert rasas["loaded"] == eager["loaded"] == ["DIETClassifier", "TEDPolicy"]
    assert eager["weights"] == rasas["weights"]
    assert eager["intents"] == rasas["intents"]
    assert eager["actions"] == rasas["actions"]
