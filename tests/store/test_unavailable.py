from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import StoreUnavailable
from bot.store import ProfileStore, upgrade

DOWN_URL = "postgresql://postgres@127.0.0.1:1/test"


@pytest.fixture
def down_store() -> Iterator[ProfileStore]:
    store = ProfileStore.from_url(DOWN_URL)
    yield store
    store.dispose()


CALLS: dict[str, Callable[[ProfileStore], Any]] = {
    "contacts.ensure": lambda s: s.contacts.ensure("web", "s1"),
    "leads.update_fields": lambda s: s.leads.update_fields("web", "s1", {"name": "A"}, "c"),
    "contacts.find": lambda s: s.contacts.find("a@x.io"),
    "contacts.page": lambda s: s.contacts.page(),
    "contacts.iterate": lambda s: list(s.contacts.iterate()),
    "contacts.count": lambda s: s.contacts.count(),
    "contacts.timeline": lambda s: s.contacts.timeline("x"),
    "consent.record": lambda s: s.consent.record(
        "x",
        "email",
        False,
        channel="web",
        wording="Stop emails?",
        wording_version="v1",
        source="conversation",
        evidence={},
    ),
    "consent.state": lambda s: s.consent.state("x"),
    "consent.is_granted": lambda s: s.consent.is_granted("x", "sms"),
    "consent.block_contact": lambda s: s.consent.block_contact("x", "sms", "withdrawn"),
    "consent.is_do_not_contact": lambda s: s.consent.is_do_not_contact("x", "sms"),
    "privacy.erase": lambda s: s.privacy.erase("x", "salt"),
    "privacy.is_suppressed": lambda s: s.privacy.is_suppressed(email="a@x.io", salt="salt"),
    "privacy.queue_tracker_erasure": lambda s: s.privacy.queue_tracker_erasure(["s1"]),
    "privacy.pending_tracker_erasures": lambda s: s.privacy.pending_tracker_erasures(),
    "privacy.export": lambda s: s.privacy.export("x"),
    "privacy.contacts_for_purge": lambda s: s.privacy.contacts_for_purge(
        datetime.now(timezone.utc)
    ),
    "privacy.record_audit": lambda s: s.privacy.record_audit("cli", "a", "x"),
    "privacy.audit_entries": lambda s: s.privacy.audit_entries(),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_store_database_down_raises_store_unavailable(
    down_store: ProfileStore, call: Callable[[ProfileStore], Any]
) -> None:
    with pytest.raises(StoreUnavailable) as caught:
        call(down_store)
    assert "refused" in caught.value.reason.lower()
    assert isinstance(caught.value.__cause__, SQLAlchemyError)


def test_upgrade_database_down_raises_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable):
        upgrade(DOWN_URL)
