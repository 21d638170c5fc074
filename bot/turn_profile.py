"""Where a turn's time goes, stage by stage, for `bench/turn_latency.py --profile`.

Opt-in: with PARLEY_TURN_PROFILE_DIR set, the Rasa server and the action server each
append one JSON line per stage they time (tracker store read and write, NLU, policies,
an action call, an action run, a profile-store call) to their own file in that
directory. Unset, nothing is timed and nothing is written: `recorder()` is None and
every hook is a single `is None` check.

A line is `{"stage", "sender", "at", "ms", ...}`: `at` is the wall-clock start (seconds),
so lines from both processes can be placed inside the turn that contains them.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import IO, Any

PROFILE_DIR_VARIABLE = "PARLEY_TURN_PROFILE_DIR"


class StageRecorder:
    """Appends stage timings to `<directory>/<process>-<pid>.jsonl`."""

    def __init__(self, directory: Path, process: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{process}-{os.getpid()}.jsonl"
        # Line-buffered: a line is in the file as soon as its stage ends, so the bench
        # can read the files while the stack still runs.
        self._file: IO[str] = path.open("a", buffering=1, encoding="utf-8")

    def record(self, stage: str, sender: str, at: float, ms: float, **extra: Any) -> None:
        line = {"stage": stage, "sender": sender, "at": at, "ms": round(ms, 3), **extra}
        self._file.write(json.dumps(line) + "\n")

    @contextmanager
    def timing(self, stage: str, sender: str, **extra: Any) -> Iterator[dict[str, Any]]:
        """Time the block; what it puts in the yielded dict goes on the line too."""
        at, started = time.time(), time.perf_counter()
        details: dict[str, Any] = dict(extra)
        try:
            yield details
        finally:
            self.record(stage, sender, at, (time.perf_counter() - started) * 1000, **details)


@cache
def recorder(process: str) -> StageRecorder | None:
    """This process's recorder, or None when profiling is off (the usual case)."""
    directory = os.environ.get(PROFILE_DIR_VARIABLE, "")
    return StageRecorder(Path(directory), process) if directory else None


def read_stages(directory: Path) -> list[dict[str, Any]]:
    """Every line every process wrote, in no particular order."""
    lines: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.jsonl")):
        lines.extend(json.loads(line) for line in path.read_text("utf-8").splitlines() if line)
    return lines
