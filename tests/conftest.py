"""Suite-wide set-up: nothing in the test run may talk to anything but loopback."""

from __future__ import annotations

import os

os.environ["RASA_TELEMETRY_ENABLED"] = "false"
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
