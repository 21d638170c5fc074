"""`parley run --scale N`: what it refuses, and a configuration HAProxy itself accepts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.commands.scale import Layout, ScaleRefused, check_scalable, haproxy_config
from bot.settings import Settings, load_settings

PG = "postgresql://postgres@127.0.0.1:5432/test"


def settings(tmp_path: Path, **env: str) -> Settings:
    return load_settings(environ={"PARLEY_DATA_DIR": str(tmp_path), **env},
                         dotenv=tmp_path / "none.env")  # fmt: skip


def test_one_replica_needs_nothing(tmp_path: Path) -> None:
    check_scalable(settings(tmp_path), 1)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "DATABASE_URL"),
        ({"DATABASE_URL": PG}, "PARLEY_TRACKER_STORE_URL"),
        ({"DATABASE_URL": PG, "PARLEY_TRACKER_STORE_URL": PG}, "PARLEY_REDIS_URL"),
    ],
)
def test_scaling_refuses_what_would_lose_state_naming_the_setting(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    with pytest.raises(ScaleRefused, match=named):
        check_scalable(settings(tmp_path, **env), 2)


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy is not installed")
def test_haproxy_accepts_the_generated_configuration(tmp_path: Path) -> None:
    layout = Layout(rasa_ports=(7001, 7002, 7003), action_ports=(7101, 7102, 7103),
                    worker_ports=(7201, 7202, 7203))  # fmt: skip
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(settings(tmp_path), layout), encoding="utf-8")
    checked = subprocess.run(["haproxy", "-c", "-f", str(config)], capture_output=True,
                             text=True, check=False)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = config.read_text(encoding="utf-8")
    assert text.count("server rasa3 127.0.0.1:7003") == 4  # every channel backend
    assert "balance hash req.body_param(CallSid)" in text
