"""ruff and mypy are part of the suite, so the README's test command checks them too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("command", [("ruff", "check", "."), ("ruff", "format", "--check", ".")])
def test_ruff_is_clean(command: tuple[str, ...]) -> None:
    result = run_tool(*command)
    assert result.returncode == 0, result.stdout + result.stderr


# Every package of docs/ARCHITECTURE.md, strict (pyproject.toml).
PACKAGES = ("bot", "api", "cli", "actions", "channels", "campaigns", "nlu", "studio", "senders")


@pytest.mark.slow
def test_mypy_is_clean() -> None:
    result = run_tool("mypy", *PACKAGES, "bench/evaluation")
    assert result.returncode == 0, result.stdout + result.stderr
