"""Suite-wide set-up: nothing in the test run may talk to anything but loopback."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ["RASA_TELEMETRY_ENABLED"] = "false"
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Code that falls back to the process's own settings (an action built without any, the
# consent journal's replay) keeps its generated secrets and SQLite files in the data
# dir: one of this test process's own, not the project's var/, which test workers side
# by side and a developer's `parley run` would share.
_DATA_DIR = None if "PARLEY_DATA_DIR" in os.environ else tempfile.mkdtemp(prefix="parley-test-")
if _DATA_DIR is not None:
    os.environ["PARLEY_DATA_DIR"] = _DATA_DIR


def pytest_unconfigure(config: pytest.Config) -> None:
    if _DATA_DIR is not None:
        shutil.rmtree(_DATA_DIR, ignore_errors=True)


def pytest_sessionstart(session: pytest.Session) -> None:
    """A fuzz report (tests/fuzz/conftest.py) starts empty; each test worker adds to it."""
    report = os.environ.get("PARLEY_FUZZ_REPORT")
    if report and not hasattr(session.config, "workerinput"):
        Path(report).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """Parley's model, trained once per fingerprint of its inputs and reused.

    Test workers running side by side (`./parley test` runs two) take a lock first: one
    trains, the others wait for it and reuse the file it made."""
    from bot import rasa_model
    from bot.settings import PROJECT_ROOT

    models = rasa_model.model_path(PROJECT_ROOT).parent
    models.mkdir(parents=True, exist_ok=True)
    with (models / ".training.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        return rasa_model.train(PROJECT_ROOT)
