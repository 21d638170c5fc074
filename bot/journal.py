"""Consent changes that could not reach the store yet: kept on disk and replayed.

A withdrawal must never be lost because the database was briefly down. The action that
took it appends it here (one JSON line, flushed to disk) and every later consent action,
and `parley run` at start-up, replays what is pending.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from bot.errors import StoreUnavailable
from bot.store import ProfileStore
from bot.types import Channel, ConsentSource, Purpose


@dataclass(frozen=True)
class PendingConsent:
    channel: Channel
    external_id: str
    purposes: tuple[Purpose, ...]
    granted: bool
    wording: str
    wording_version: str
    source: ConsentSource
    evidence: dict[str, str | None]
    occurred_at: str


def apply_consent(store: ProfileStore, change: PendingConsent) -> None:
    """Record one consent change (and its do-not-contact effect) in the store."""
    contact = store.ensure_contact(change.channel, change.external_id)
    when = datetime.fromisoformat(change.occurred_at)
    for purpose in change.purposes:
        store.record_consent(
            contact.id, purpose, change.granted, channel=change.channel, wording=change.wording,
            wording_version=change.wording_version, source=change.source,
            evidence=change.evidence, now=when,
        )  # fmt: skip
        if purpose == "profiling":
            continue
        if change.granted:
            store.lift_do_not_contact(contact.id, purpose, now=when)
        else:
            store.add_do_not_contact(contact.id, purpose, "withdrawn", now=when)


_REPLAY_LOCK = threading.Lock()  # actions run store calls on worker threads


class ConsentJournal:
    def __init__(self, path: Path) -> None:
        self._path = path

    def append(self, change: PendingConsent) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._path.open("a", encoding="utf-8") as journal:
            journal.write(json.dumps(asdict(change)) + "\n")
            journal.flush()
            os.fsync(journal.fileno())

    def pending(self) -> list[PendingConsent]:
        if not self._path.exists():
            return []
        lines = self._path.read_text(encoding="utf-8").splitlines()
        return [_decode(line) for line in lines if line.strip()]

    def replay(self, store: ProfileStore) -> int:
        """Apply what is pending, oldest first; stop at the first outage. Returns how many."""
        with _REPLAY_LOCK:
            return self._replay(store)

    def _replay(self, store: ProfileStore) -> int:
        pending = self.pending()
        done = 0
        for change in pending:
            try:
                apply_consent(store, change)
            except StoreUnavailable:
                break
            done += 1
        self._rewrite(pending[done:])
        return done

    def _rewrite(self, remaining: list[PendingConsent]) -> None:
        if not remaining:
            self._path.unlink(missing_ok=True)
            return
        temporary = self._path.with_suffix(".tmp")
        temporary.write_text(
            "".join(json.dumps(asdict(c)) + "\n" for c in remaining), encoding="utf-8"
        )
        temporary.replace(self._path)


def _decode(line: str) -> PendingConsent:
    data = json.loads(line)
    data["purposes"] = tuple(data["purposes"])
    return PendingConsent(**data)
