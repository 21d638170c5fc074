"""The supervisor with real child processes on loopback."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from bot.runner import ChildFailed, ChildSpec, Supervisor, is_healthy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def http_server(port: int) -> ChildSpec:
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    return ChildSpec(
        name="web", argv=argv, health_url=f"http://127.0.0.1:{port}/", startup_timeout=20
    )


def test_start_waits_for_health_and_stop_ends_the_child(tmp_path: Path) -> None:
    port = free_port()
    with Supervisor(tmp_path, tmp_path, say=lambda _: None) as supervisor:
        supervisor.start(http_server(port))
        assert is_healthy(f"http://127.0.0.1:{port}/")
        process = supervisor.children["web"].process
    assert process.poll() is not None
    assert not is_healthy(f"http://127.0.0.1:{port}/")


def test_child_that_dies_at_start_is_reported_with_its_log(tmp_path: Path) -> None:
    spec = ChildSpec(
        name="broken",
        argv=[sys.executable, "-c", "import sys; print('no config here'); sys.exit(3)"],
        health_url=f"http://127.0.0.1:{free_port()}/",
    )
    with (
        Supervisor(tmp_path, tmp_path, say=lambda _: None) as supervisor,
        pytest.raises(ChildFailed) as failure,
    ):
        supervisor.start(spec)
    assert failure.value.exit_code == 3 and "no config here" in failure.value.log_tail
    assert "broken exited with exit code 3" in str(failure.value)


def test_watch_raises_when_a_running_child_dies(tmp_path: Path) -> None:
    port = free_port()
    with Supervisor(tmp_path, tmp_path, say=lambda _: None) as supervisor:
        supervisor.start(http_server(port))
        supervisor.children["web"].process.kill()
        with pytest.raises(ChildFailed, match="web exited"):
            supervisor.watch()


def test_child_that_never_gets_healthy_times_out(tmp_path: Path) -> None:
    spec = ChildSpec(
        name="sleepy",
        argv=[sys.executable, "-c", "import time; time.sleep(60)"],
        health_url=f"http://127.0.0.1:{free_port()}/",
        startup_timeout=1,
    )
    with (
        Supervisor(tmp_path, tmp_path, say=lambda _: None) as supervisor,
        pytest.raises(ChildFailed, match="did not become healthy"),
    ):
        supervisor.start(spec)
