"""A small process supervisor: start children in order, wait for health, stop them all.

It restarts nothing: a child that dies stops the whole stack with a message naming it
and the end of its log, so nobody runs a half-working Parley without knowing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
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


def free_port() -> int:
    """A loopback port nobody listens on now, for a child started next."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


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

    def __init__(self, log_dir: Path, cwd: Path, say: Callable[[str], None] = print) -> None:
        self._log_dir = log_dir
        self._cwd = cwd
        self._say = say
        self._children: list[Child] = []

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
        process = subprocess.Popen(
            list(spec.argv),
            cwd=self._cwd,
            env={**os.environ, **spec.env},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us only; we stop children in order.
        )
        child = Child(spec, process, log_path, log_file)
        self._children.append(child)
        self._say(f"starting {spec.name} (log: {log_path})")
        return child

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

    def watch(self, tick: Callable[[], None] | None = None, every: float = 30.0) -> None:
        """Block until a child exits, then raise ChildFailed for it; call `tick` periodically."""
        next_tick = time.monotonic() + every
        while True:
            for child in self._children:
                if child.process.poll() is not None:
                    raise ChildFailed(
                        child.spec.name, child.process.returncode, tail(child.log_path)
                    )
            if tick is not None and time.monotonic() >= next_tick:
                tick()
                next_tick = time.monotonic() + every
            time.sleep(POLL_SECONDS)

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
