"""Provider message ids (webhook dedupe) and delivery statuses."""

from __future__ import annotations

import pytest

from bot.store import MessageStatus, ProfileStore
from tests.store.conftest import NOW, at
from tests.store.test_concurrency import all_at_once


def test_claim_inbound_message_is_true_only_the_first_time(store: ProfileStore) -> None:
    assert store.messages.claim_inbound("twilio", "SM1", now=NOW)
    assert not store.messages.claim_inbound("twilio", "SM1", now=at(1))


def test_claim_inbound_message_ids_are_per_provider(store: ProfileStore) -> None:
    assert store.messages.claim_inbound("twilio", "42", now=NOW)
    assert store.messages.claim_inbound("telegram", "42", now=NOW)
    assert store.messages.claim_inbound("twilio", "43", now=NOW)


def test_claim_inbound_message_racing_threads_claim_once(store: ProfileStore) -> None:
    for round_ in range(10):
        calls = [
            lambda r=round_: store.messages.claim_inbound("twilio", f"SM{r}") for _ in range(4)
        ]
        assert sorted(all_at_once(calls)) == [False, False, False, True]


def test_claim_inbound_message_rejects_an_empty_id(store: ProfileStore) -> None:
    with pytest.raises(ValueError, match="message_id"):
        store.messages.claim_inbound("twilio", " ")


def test_record_message_status_keeps_every_report_in_order(store: ProfileStore) -> None:
    store.messages.record_status("twilio", "SM9", "sent", None, now=at(1))
    store.messages.record_status("twilio", "SM9", "undelivered", "21610", now=at(2))
    store.messages.record_status("twilio", "SM8", "delivered", "", now=at(3))
    assert store.messages.statuses("twilio", "SM9") == [
        MessageStatus("twilio", "SM9", "sent", None, at(1)),
        MessageStatus("twilio", "SM9", "undelivered", "21610", at(2)),
    ]
    assert store.messages.statuses("twilio", "SM8")[0].error_code is None
    assert store.messages.statuses("twilio", "SM0") == []
