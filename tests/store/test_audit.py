from __future__ import annotations

import pytest

from bot.store import AuditEntry, ProfileStore
from tests.store.conftest import at


def test_audit_entries_are_newest_first(store: ProfileStore) -> None:
    first = store.privacy.record_audit(
        "staff:1", "export_contact", "c1", {"format": "json"}, now=at(1)
    )
    third = store.privacy.record_audit("cli", "purge_contact", "c3", now=at(3))
    second = store.privacy.record_audit("self-service:s9", "view_profile", "c2", now=at(2))
    assert store.privacy.audit_entries() == [third, second, first]
    assert store.privacy.audit_entries(limit=2) == [third, second]
    assert first == AuditEntry(
        first.id, "staff:1", "export_contact", "c1", {"format": "json"}, at(1)
    )
    assert third.details == {}


def test_audit_entries_same_instant_latest_recorded_first(store: ProfileStore) -> None:
    older = store.privacy.record_audit("cli", "a", "c1", now=at(1))
    newer = store.privacy.record_audit("cli", "b", "c1", now=at(1))
    assert store.privacy.audit_entries() == [newer, older]


def test_record_audit_rejects_what_it_cannot_store(store: ProfileStore) -> None:
    with pytest.raises(ValueError):
        store.privacy.record_audit("cli", "score", "c1", {"value": float("nan")})
    with pytest.raises(ValueError, match="actor"):
        store.privacy.record_audit("", "score", "c1")
    with pytest.raises(ValueError, match="limit"):
        store.privacy.audit_entries(limit=0)
    assert store.privacy.audit_entries() == []
