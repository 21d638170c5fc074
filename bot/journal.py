"""Consent changes that could not reach the store yet: kept on disk and replayed.

A withdrawal must never be lost because the database was briefly down. The action that
took it appends it here (one JSON line, flushed to disk) and every later consent action,
and `parley run` at start-up, replays what is pending.

A replayed change never brings back someone erased since it was made: the erasure left
keyed digests of their channel identities and phone on the suppression list, and a
change whose sender was erased after it is dropped (a change made after the erasure is
a new request from that person, and is kept).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from bot.errors import StoreUnavailable
from bot.settings import Settings, load_settings
from bot.store import ConsentWords, ProfileStore
from bot.types import Channel, ConsentSource, Purpose

logger = logging.getLogger(__name__)


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
    """Record one consent change, with its do-not-contact effect, in one transaction."""
    contact = store.contacts.ensure(change.channel, change.external_id)
    words = ConsentWords(
        change.channel, change.wording, change.wording_version, change.source, change.evidence
    )
    when = datetime.fromisoformat(change.occurred_at)
    if change.granted:
        store.consent.grant(contact.id, change.purposes, words, now=when)
    else:
        store.consent.withdraw(contact.id, change.purposes, words, now=when)


def erased_since_made(store: ProfileStore, change: PendingConsent, salt: str) -> bool:
    """Whether the person this change is about was erased after it was made."""
    when = datetime.fromisoformat(change.occurred_at)
    return store.privacy.erased_since(change.channel, change.external_id, salt=salt, since=when)


_REPLAY_LOCK = threading.Lock()  # actions run store calls on worker threads


class ConsentJournal:
    def __init__(self, path: Path, salt: str | None = None) -> None:
        """`salt` is the erasure salt; without it the process's settings give it."""
        self._path = path
        self._salt = salt

    @classmethod
    def for_settings(cls, settings: Settings) -> ConsentJournal:
        return cls(settings.data_dir / "pending_consent.jsonl", settings.erasure_salt.value)

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
        """Apply what is pending, oldest first, dropping changes about people erased since
        they were made; stop at the first outage. Returns how many were dealt with."""
        with _REPLAY_LOCK:
            return self._replay(store)

    def _replay(self, store: ProfileStore) -> int:
        pending = self.pending()
        if not pending:
            return 0
        salt = self._salt or load_settings().erasure_salt.value
        done = 0
        for change in pending:
            try:
                if erased_since_made(store, change, salt):
                    logger.warning(
                        "dropped a held-back consent change on %s: its sender was erased since",
                        change.channel,
                    )
                else:
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
