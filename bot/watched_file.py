"""A content file read again when it changes: a publish rewrites the files marketers
edit (knowledge.yml, routing.yml, lead_fields.yml) under running processes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class WatchedFile(Generic[T]):
    """`load(path)` of the file, read again when its modification time or size changes;
    `missing` while there is no file. A load that raises leaves the error to the caller
    and is tried again on the next call."""

    def __init__(self, path: Path, load: Callable[[Path], T], missing: T) -> None:
        self.path = path
        self._load = load
        self._missing = missing
        self._stamp: tuple[int, int] | None = None
        self._value = missing

    def current(self) -> T:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return self._missing
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            self._value = self._load(self.path)
            self._stamp = stamp
        return self._value
