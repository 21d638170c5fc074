"""Rasa's own checks: the data validates, and the test stories are predicted exactly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

# Responses that no story or rule mentions because code utters them (forms ask with
# utter_ask_*, actions use the rest). Rasa's validator warns about each; the contract
# test checks that the code really uses them, so these warnings, and only these, are
# expected.
UNUSED_RESPONSE = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")


def rasa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rasa", *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )  # fmt: skip


def responses_used_by_code() -> set[str]:
    used: set[str] = set()
    for path in (PROJECT_ROOT / "actions").rglob("*.py"):
        used.update(re.findall(r"(utter_\w+)", path.read_text(encoding="utf-8")))
    # The routing rules (routing.yml) name the responses their actions say.
    used.update(re.findall(r"(utter_\w+)", (PROJECT_ROOT / "routing.yml").read_text("utf-8")))
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    for form in domain["forms"].values():
        used.update(f"utter_ask_{slot}" for slot in form["required_slots"])
    return used


def test_rasa_data_validate_has_no_unexplained_warnings() -> None:
    result = rasa("data", "validate", "--fail-on-warnings")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = [line for line in output.splitlines() if "UserWarning" in line]
    unexplained = [
        line
        for line in warnings
        if not ((m := UNUSED_RESPONSE.search(line)) and m.group(1) in responses_used_by_code())
    ]
    assert not unexplained, "\n".join(unexplained)


def test_test_stories_are_predicted_without_errors(trained_model: Path, tmp_path: Path) -> None:
    result = rasa(
        "test",
        "core",
        "--model",
        str(trained_model),
        "--stories",
        "tests/test_stories.yml",
        "--fail-on-prediction-errors",
        "--out",
        str(tmp_path),
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:] + details
