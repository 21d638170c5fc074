"""`parley run --scale N`: what it refuses, and a configuration HAProxy itself accepts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from cli.commands.scale import (
    Layout,
    ScaleRefused,
    action_replicas,
    check_scalable,
    haproxy_config,
)
from tests.databases import shared_secrets

PG = "postgresql://postgres@127.0.0.1:5432/test"


def settings(tmp_path: Path, **env: str) -> Settings:
    environ = {"PARLEY_DATA_DIR": str(tmp_path), **shared_secrets(PG), **env}
    return load_settings(environ=environ, dotenv=tmp_path / "none.env")


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
    layout = Layout(
        rasa_ports=(7001, 7002, 7003),
        action_ports=(7101, 7102, 7103),
        worker_ports=(7201, 7202, 7203),
    )
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(settings(tmp_path), layout), encoding="utf-8")
    checked = subprocess.run(
        ["haproxy", "-c", "-f", str(config)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = config.read_text(encoding="utf-8")
    assert text.count("server rasa3 127.0.0.1:7003") == 4  # every channel backend
    assert "balance hash req.body_param(CallSid)" in text


def test_action_servers_stay_on_loopback_when_the_channels_face_the_world(
    tmp_path: Path,
) -> None:
    layout = Layout(rasa_ports=(7001, 7002), action_ports=(7101, 7102), worker_ports=(7201, 7202))
    public = settings(tmp_path, PARLEY_BIND_HOST="0.0.0.0", PARLEY_ACTIONS_PORT="7100")
    config = haproxy_config(public, layout)
    assert "bind 0.0.0.0:5005" in config  # the channels' entry point
    assert "bind 127.0.0.1:7100" in config  # the action servers' entry point
    for spec in action_replicas(public, layout):
        host = list(spec.argv)[list(spec.argv).index("--host") + 1]
        assert host == "127.0.0.1"
        assert spec.env["PARLEY_ACTIONS_SECRET"] == public.actions_secret.value


def test_action_servers_listen_where_their_own_setting_says(tmp_path: Path) -> None:
    own = settings(tmp_path, PARLEY_BIND_HOST="0.0.0.0", PARLEY_ACTIONS_HOST="10.1.2.3")
    layout = Layout(rasa_ports=(7001,) * 2, action_ports=(7101, 7102), worker_ports=(7201,) * 2)
    assert f"bind 10.1.2.3:{own.actions_port}" in haproxy_config(own, layout)
    assert own.actions_url == f"http://10.1.2.3:{own.actions_port}"
