"""Suite-wide set-up: nothing in the test run may talk to anything but loopback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["RASA_TELEMETRY_ENABLED"] = "false"
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """Parley's model, trained once per fingerprint of its inputs and reused."""
    from bot import rasa_model
    from bot.settings import PROJECT_ROOT

    return rasa_model.train(PROJECT_ROOT)
