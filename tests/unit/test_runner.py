"""The supervisor with real child processes on loopback."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.runner import ChildFailed, ChildSpec, Supervisor, free_port, is_healthy


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


def _watch_until(supervisor: Supervisor, done: Callable[[], bool], seconds: float) -> None:
    """Run `watch` in a thread until `done()` holds; ChildFailed reaches the caller."""
    stop = threading.Event()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            supervisor.watch(until=stop)
        except ChildFailed as failure:
            failures.append(failure)

    watcher = threading.Thread(target=run, daemon=True)
    watcher.start()
    deadline = time.monotonic() + seconds
    while not done() and not failures and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    watcher.join(5)
    if failures:
        raise failures[0]


def test_a_child_that_dies_is_started_again_and_serves(tmp_path: Path) -> None:
    port = free_port()
    said: list[str] = []
    with Supervisor(tmp_path, tmp_path, say=said.append, backoff=(0.2,)) as supervisor:
        supervisor.start(http_server(port))
        first = supervisor.children["web"].process
        first.kill()
        _watch_until(supervisor, lambda: "web is up again" in said, 20)
        assert supervisor.children["web"].process is not first
        assert is_healthy(f"http://127.0.0.1:{port}/")
    assert any(
        line.startswith("web exited with exit code -9; restarting it in 0.2 s") for line in said
    )
    assert "--- parley: restart 1 at " in (tmp_path / "web.log").read_text()


def test_a_crash_loop_stops_with_the_childs_name_and_log(tmp_path: Path) -> None:
    spec = ChildSpec(
        name="flaky",
        argv=[sys.executable, "-c", "import sys; print('cannot reach the database'); sys.exit(4)"],
        health_url=f"http://127.0.0.1:{free_port()}/",
    )
    said: list[str] = []
    with (
        Supervisor(
            tmp_path, tmp_path, say=said.append, crash_limit=3, backoff=(0.1, 0.2)
        ) as supervisor,
        pytest.raises(ChildFailed) as failure,
    ):
        # Not started through start(): that would fail at once on the first exit.
        supervisor._spawn(spec)
        _watch_until(supervisor, lambda: False, 20)
    assert "flaky crashed 3 times within 5 minutes" in str(failure.value)
    assert "exit code 4" in str(failure.value)
    assert "cannot reach the database" in failure.value.log_tail
    assert sum(line.startswith("restarting flaky") for line in said) == 2


def test_crashes_outside_the_window_do_not_add_up(tmp_path: Path) -> None:
    port = free_port()
    said: list[str] = []
    with Supervisor(
        tmp_path, tmp_path, say=said.append, crash_limit=2, crash_window=0.5, backoff=(0.1,)
    ) as supervisor:
        supervisor.start(http_server(port))
        for round_ in range(1, 3):
            supervisor.children["web"].process.kill()
            _watch_until(supervisor, lambda n=round_: said.count("web is up again") == n, 20)
            time.sleep(0.6)
        assert supervisor.children["web"].restarts == 2


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


def test_free_port_never_hands_one_port_to_two_processes_at_once() -> None:
    """Nothing listens on a port between free_port and the child's bind: two test
    workers asking at the same moment must still get different ports."""
    ask = "from bot.runner import free_port\nprint(*(free_port() for _ in range(150)))"
    askers = [
        subprocess.Popen([sys.executable, "-c", ask], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    handed = [asker.communicate(timeout=60)[0].split() for asker in askers]
    assert all(asker.returncode == 0 for asker in askers)
    assert len(handed[0]) == len(handed[1]) == 150
    assert len({*handed[0], *handed[1]}) == 300
