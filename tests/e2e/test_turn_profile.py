"""The turn profile (bench/turn_latency.py --profile) on a real stack: turns still answer,
and every stage of each turn is on record, from both servers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.turn_profile_report import breakdown, turns_by_sender
from bot.turn_profile import PROFILE_DIR_VARIABLE, read_stages
from channels.messages import APOLOGY
from tests.e2e.conftest import Stack, launch, rest_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def profile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("profile")


@pytest.fixture(scope="module")
def profiled(
    profile_dir: Path, trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    # The children take the supervisor's environment: set only while they start.
    os.environ[PROFILE_DIR_VARIABLE] = str(profile_dir)
    try:
        running = launch(tmp_path_factory.mktemp("profiled"), trained_model)
    finally:
        del os.environ[PROFILE_DIR_VARIABLE]
    yield running
    running.supervisor.stop()
    running.store.dispose()


def test_a_profiled_turn_answers_and_records_every_stage(
    profiled: Stack, profile_dir: Path
) -> None:
    sender = f"profiled-{uuid.uuid4().hex[:8]}"
    for text in ("hi there", "I'd like a demo", "Dana Reyes"):
        assert APOLOGY.lower() not in profiled.text(sender, text)
    turns = turns_by_sender(read_stages(profile_dir))[rest_id(sender)]
    assert len(turns) == 3
    stages = {line["stage"] for _, inside in turns for line in inside}
    assert stages >= {
        "tracker_read", "nlu", "extract_slots", "policies", "actions", "tracker_save",
        "action_call", "action_run",
    }  # fmt: skip
    figures = breakdown(turns, client_ms=1000.0)
    assert figures["stages"]["action_run"]["calls"] > 0
    assert "action_listen" in figures["runs"]
    assert all(run["request_kb"] > 0 for run in figures["actions"].values())
