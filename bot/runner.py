"""A small process supervisor: start children, wait for health, restart the ones that
crash, stop them all.

A child that dies is started again after a growing pause (the other children keep
serving: a Rasa server whose action server is away answers with an apology). Only a crash
loop, several crashes within a few minutes, stops the whole stack, with a message naming
the child and the end of its log, so nobody runs a half-working Parley without knowing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bot.errors import ParleyError

POLL_SECONDS = 0.25
STOP_GRACE_SECONDS = 10.0
LOOPBACK = "127.0.0.1"
# Pauses before the 1st, 2nd, ... restart within the crash window: a child that fails at
# once again (a port still held, a database still down) is not started in a tight loop.
RESTART_BACKOFF_SECONDS = (1.0, 2.0, 4.0, 8.0, 16.0)
CRASH_LIMIT = 5
CRASH_WINDOW_SECONDS = 300.0
# free_port's shared record of the ports it handed out, and how long each stays taken.
PORT_REGISTRY = Path(tempfile.gettempdir()) / f"parley-ports-{os.getuid()}"
PORT_HOLD_SECONDS = 600.0


def free_port() -> int:
    """A loopback port nobody listens on now, for a child started next.

    Nothing listens on it until the child binds it, maybe a minute later (Rasa loading
    its model), so the port is also recorded in a registry every process of this user
    shares: no caller of free_port, here or in another process (a parallel test worker,
    a second stack), is handed it again for PORT_HOLD_SECONDS."""
    try:
        registry = os.open(PORT_REGISTRY, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        return _unbound_port()  # no registry (a symlink planted there): best effort
    with os.fdopen(registry, "r+", encoding="ascii") as handle:
        if os.fstat(handle.fileno()).st_uid != os.getuid():
            return _unbound_port()
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        now = time.time()
        held = _held_ports(handle.read(), now)
        port = _unbound_port()
        for _ in range(100):
            if port not in held:
                break
            port = _unbound_port()
        held[port] = now
        handle.seek(0)
        handle.truncate()
        handle.write("".join(f"{p} {at:.0f}\n" for p, at in sorted(held.items())))
    return port


def _unbound_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _held_ports(registry: str, now: float) -> dict[int, float]:
    """The ports handed out within PORT_HOLD_SECONDS before `now`, from the registry."""
    held: dict[int, float] = {}
    for line in registry.splitlines():
        port, _, at = line.partition(" ")
        with contextlib.suppress(ValueError):
            if now - float(at) < PORT_HOLD_SECONDS:
                held[int(port)] = float(at)
    return held


@dataclass(frozen=True)
class ChildSpec:
    name: str
    argv: Sequence[str]
    health_url: str
    env: Mapping[str, str] = field(default_factory=dict)
    startup_timeout: float = 180.0
    # Sent with each health check: a token goes here, never into the URL.
    health_headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class ChildFailed(ParleyError):
    name: str
    exit_code: int | None
    log_tail: str
    reason: str = "exited"

    def __str__(self) -> str:
        code = "" if self.exit_code is None else f" with exit code {self.exit_code}"
        return f"{self.name} {self.reason}{code}. Last lines of its log:\n{self.log_tail}"


@dataclass
class Child:
    spec: ChildSpec
    process: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes]
    # Monotonic times of the crashes still inside the crash window.
    crashes: list[float] = field(default_factory=list)
    restart_at: float | None = None
    # Started again and not yet answering its health URL; the deadline for that.
    recovering_until: float | None = None
    restarts: int = 0


def tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def is_healthy(url: str, timeout: float = 2.0, headers: Mapping[str, str] | None = None) -> bool:
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            status: int = reply.status
            return 200 <= status < 300
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _signal_group(pid: int, sig: signal.Signals) -> None:
    # The child may be gone between the poll and the signal.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


class Supervisor:
    """Owns the child processes of one Parley stack."""

    def __init__(
        self,
        log_dir: Path,
        cwd: Path,
        say: Callable[[str], None] = print,
        *,
        crash_limit: int = CRASH_LIMIT,
        crash_window: float = CRASH_WINDOW_SECONDS,
        backoff: Sequence[float] = RESTART_BACKOFF_SECONDS,
    ) -> None:
        self._log_dir = log_dir
        self._cwd = cwd
        self._say = say
        self._children: list[Child] = []
        self._crash_limit = crash_limit
        self._crash_window = crash_window
        self._backoff = tuple(backoff)

    @property
    def children(self) -> dict[str, Child]:
        return {child.spec.name: child for child in self._children}

    def start(self, spec: ChildSpec) -> None:
        """Start one child and block until its health URL answers."""
        self.start_all([spec])

    def start_all(self, specs: Sequence[ChildSpec]) -> None:
        """Start several children at once (replicas), then wait until each is healthy."""
        children = [self._spawn(spec) for spec in specs]
        for child in children:
            self._wait_healthy(child)
            self._say(f"{child.spec.name} is up")

    def _spawn(self, spec: ChildSpec) -> Child:
        self._log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self._log_dir / f"{spec.name}.log"
        log_file = log_path.open("ab")
        child = Child(spec, self._popen(spec, log_file), log_path, log_file)
        self._children.append(child)
        self._say(f"starting {spec.name} (log: {log_path})")
        return child

    def _popen(self, spec: ChildSpec, log_file: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            list(spec.argv),
            cwd=self._cwd,
            env={**os.environ, **spec.env},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop children in order.
        )

    def _wait_healthy(self, child: Child) -> None:
        deadline = time.monotonic() + child.spec.startup_timeout
        while not is_healthy(child.spec.health_url, headers=child.spec.health_headers):
            if child.process.poll() is not None:
                raise ChildFailed(child.spec.name, child.process.returncode, tail(child.log_path))
            if time.monotonic() > deadline:
                raise ChildFailed(
                    child.spec.name, None, tail(child.log_path), reason="did not become healthy"
                )
            time.sleep(POLL_SECONDS)

    def watch(
        self,
        tick: Callable[[], None] | None = None,
        every: float = 30.0,
        until: threading.Event | None = None,
    ) -> None:
        """Keep the children running until `until` is set (or forever); call `tick`
        periodically. Raises ChildFailed when a child is in a crash loop."""
        next_tick = time.monotonic() + every
        while until is None or not until.is_set():
            for child in self._children:
                self._tend(child, time.monotonic())
            if tick is not None and time.monotonic() >= next_tick:
                tick()
                next_tick = time.monotonic() + every
            time.sleep(POLL_SECONDS)

    def _tend(self, child: Child, now: float) -> None:
        if child.restart_at is not None:
            if now >= child.restart_at:
                self._restart(child, now)
            return
        if child.process.poll() is not None:
            self._crashed(child, now, f"exited with exit code {child.process.returncode}")
            return
        if child.recovering_until is None:
            return
        if is_healthy(child.spec.health_url, timeout=0.5, headers=child.spec.health_headers):
            child.recovering_until = None
            self._say(f"{child.spec.name} is up again")
        elif now > child.recovering_until:
            _signal_group(child.process.pid, signal.SIGKILL)
            child.process.wait()
            self._crashed(child, now, "did not become healthy after a restart")

    def _crashed(self, child: Child, now: float, what: str) -> None:
        child.crashes = [at for at in child.crashes if now - at < self._crash_window] + [now]
        child.recovering_until = None
        if len(child.crashes) >= self._crash_limit:
            minutes = self._crash_window / 60
            raise ChildFailed(
                child.spec.name,
                child.process.returncode,
                tail(child.log_path),
                reason=f"crashed {len(child.crashes)} times within {minutes:g} minutes and "
                "is left stopped; the last time it exited",
            )
        pause = self._backoff[min(len(child.crashes), len(self._backoff)) - 1]
        child.restart_at = now + pause
        self._say(
            f"{child.spec.name} {what}; restarting it in {pause:g} s. "
            f"Last lines of its log:\n{tail(child.log_path, 10)}"
        )

    def _restart(self, child: Child, now: float) -> None:
        child.restart_at = None
        child.restarts += 1
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        child.log_file.write(f"--- parley: restart {child.restarts} at {stamp} ---\n".encode())
        child.log_file.flush()
        child.process = self._popen(child.spec, child.log_file)
        child.recovering_until = now + child.spec.startup_timeout
        self._say(f"restarting {child.spec.name} (log: {child.log_path})")

    def stop(self) -> None:
        """Stop every child, newest first: SIGTERM, then SIGKILL after a grace period."""
        for child in reversed(self._children):
            self._stop_one(child)
        self._children.clear()

    def _stop_one(self, child: Child) -> None:
        if child.process.poll() is None:
            _signal_group(child.process.pid, signal.SIGTERM)
            try:
                child.process.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                _signal_group(child.process.pid, signal.SIGKILL)
                child.process.wait()
        child.log_file.close()

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
