"""The consent intents do their whole effect (ledger, do-not-contact, integration event)
in one transaction, and `may_send` answers from the result."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from bot.errors import StoreUnavailable
from bot.store import ConsentWords, Contact, Permission, ProfileStore
from bot.types import Purpose
from tests.store.conftest import NOW, at

PHONE = "+14155550134"
STOP = ConsentWords("sms", "STOP", "keyword-1", "keyword", {"message_sid": "SM1"})
STAFF = ConsentWords("staff", "May we text you offers?", "staff-1", "staff", {"by": "sam"})
CHAT = ConsentWords("web", "Email me product news?", "v1", "conversation", {"turn": "3"})


def _texter(store: ProfileStore) -> Contact:
    return store.contacts.ensure("sms", PHONE, now=NOW)


def _ledger(store: ProfileStore, contact_id: str) -> list[tuple[str, bool, bool]]:
    return [(e.purpose, e.granted, e.pending) for e in store.consent.history(contact_id)]


def _blocks(store: ProfileStore, contact_id: str) -> list[tuple[str, str]]:
    return [(e.channel, e.reason) for e in store.consent.do_not_contact(contact_id)]


def _subscribe(store: ProfileStore) -> None:
    store.integrations.subscribe_webhook(
        "https://hooks.example.test/a", ["consent.changed"], "s" * 32, now=NOW
    )


def test_withdraw_consent_records_each_purpose_and_blocks_each_marketing_one(
    store: ProfileStore,
) -> None:
    _subscribe(store)
    contact = _texter(store)
    purposes: list[Purpose] = ["sms", "whatsapp", "profiling"]
    change = store.consent.withdraw(contact.id, purposes, STOP, "replied STOP", now=at(1))
    assert [(e.purpose, e.granted, e.source) for e in change.events] == [
        ("sms", False, "keyword"),
        ("whatsapp", False, "keyword"),
        ("profiling", False, "keyword"),
    ]
    assert [(e.channel, e.reason, e.note) for e in change.blocked] == [
        ("sms", "withdrawn", "replied STOP"),
        ("whatsapp", "withdrawn", "replied STOP"),
    ]
    assert _blocks(store, contact.id) == [("sms", "withdrawn"), ("whatsapp", "withdrawn")]
    assert [d.type for d in store.outbox.webhook_deliveries()] == ["consent.changed"] * 3


def test_grant_consent_after_a_stop_lifts_the_block_of_that_purpose_only(
    store: ProfileStore,
) -> None:
    contact = _texter(store)
    store.consent.withdraw(contact.id, ["sms", "whatsapp"], STOP, now=at(1))
    change = store.consent.grant(contact.id, ["sms"], STAFF, now=at(2))
    assert change.lifted == ("sms",)
    assert [e.in_force for e in change.events] == [True]
    assert _blocks(store, contact.id) == [("whatsapp", "withdrawn")]
    assert store.consent.is_granted(contact.id, "sms")


@pytest.mark.parametrize("reason", ["carrier_block", "blocked", "staff"])
def test_grant_consent_lifts_a_block_whoever_set_it(store: ProfileStore, reason: str) -> None:
    contact = _texter(store)
    store.consent.block_contact(contact.id, "sms", reason, "set before", now=at(1))  # type: ignore[arg-type]
    assert store.consent.grant(contact.id, ["sms"], STAFF, now=at(2)).lifted == ("sms",)
    assert store.consent.do_not_contact(contact.id) == []


def test_a_grant_in_conversation_for_an_unproven_email_lifts_nothing_until_confirmed(
    store: ProfileStore,
) -> None:
    contact = store.leads.update_fields("web", "w1", {"email": "ada@acme.io"}, "w1", now=NOW)
    store.consent.withdraw(contact.id, ["email"], CHAT, now=at(1))
    change = store.consent.grant(contact.id, ["email"], CHAT, now=at(2))
    assert (change.lifted, [e.pending for e in change.events]) == ((), [True])
    assert _blocks(store, contact.id) == [("email", "withdrawn")]
    confirmed = store.consent.confirm(change.events[0].id, "email_link", {}, now=at(3))
    assert confirmed is not None and confirmed.in_force
    assert store.consent.do_not_contact(contact.id) == []


def test_withdraw_consent_skip_repeat_appends_nothing_but_keeps_the_block(
    store: ProfileStore,
) -> None:
    contact = _texter(store)
    store.consent.withdraw(contact.id, ["email"], STOP, now=at(1))
    store.consent.lift_block(contact.id, "email", now=at(2))  # say an operator lifted it by hand
    again = store.consent.withdraw(contact.id, ["email"], STOP, now=at(3), skip_repeat=True)
    assert again.events == ()
    assert [(e.channel, e.added_at) for e in again.blocked] == [("email", at(3))]
    assert _ledger(store, contact.id) == [("email", False, False)]


def test_block_contact_changes_no_consent_and_lift_block_ends_it(store: ProfileStore) -> None:
    contact = _texter(store)
    store.consent.grant(contact.id, ["sms"], STAFF, now=at(1))
    entry = store.consent.block_contact(
        contact.id, "sms", "carrier_block", "error 21610", now=at(2)
    )
    assert store.consent.block_contact(contact.id, "sms", "blocked", now=at(3)) == entry
    assert store.consent.is_granted(contact.id, "sms")
    assert not store.consent.may_send(contact.id, "sms", at(4))
    assert store.consent.lift_block(contact.id, "sms", now=at(5))
    assert not store.consent.lift_block(contact.id, "sms", now=at(6))
    assert store.consent.may_send(contact.id, "sms", at(7))


def test_may_send_says_why_not(store: ProfileStore) -> None:
    contact = _texter(store)
    assert store.consent.may_send(contact.id, "email", at(1)) == Permission("no email address")
    assert store.consent.may_send(contact.id, "telegram", at(1)) == Permission(
        "telegram never started"
    )
    assert store.consent.may_send(contact.id, "sms", at(1)) == Permission("no consent")
    store.consent.grant(contact.id, ["sms"], STAFF, now=at(2))
    assert store.consent.may_send(contact.id, "sms", at(3)) == Permission(None)
    store.consent.block_contact(contact.id, "sms", "staff", now=at(4))
    assert store.consent.may_send(contact.id, "sms", at(5)) == Permission("do not contact")


def _refuse(engine: Engine, event: str) -> None:
    """A trigger that fails every `event` (INSERT, UPDATE) on do_not_contact: the last
    step of a withdrawal or a grant, after its ledger row was written."""
    trigger = f"CREATE TRIGGER refuse BEFORE {event} ON do_not_contact "
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text(trigger + "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
            return
        body = "$$ BEGIN RAISE EXCEPTION 'refused'; END $$"
        conn.execute(text(f"CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS {body}"))
        conn.execute(text(trigger + "FOR EACH ROW EXECUTE FUNCTION refuse()"))


def test_a_withdrawal_failing_at_its_block_leaves_nothing_written(
    store: ProfileStore, engine: Engine
) -> None:
    _subscribe(store)
    contact = _texter(store)
    _refuse(engine, "INSERT")
    with pytest.raises((StoreUnavailable, DBAPIError)):
        store.consent.withdraw(contact.id, ["profiling", "sms"], STOP, now=at(1))
    assert _ledger(store, contact.id) == []
    assert store.outbox.webhook_deliveries() == []


def test_a_grant_failing_at_its_lift_leaves_nothing_written(
    store: ProfileStore, engine: Engine
) -> None:
    contact = _texter(store)
    store.consent.withdraw(contact.id, ["sms"], STOP, now=at(1))
    _subscribe(store)
    _refuse(engine, "UPDATE")
    with pytest.raises((StoreUnavailable, DBAPIError)):
        store.consent.grant(contact.id, ["sms"], STAFF, now=at(2))
    assert _ledger(store, contact.id) == [("sms", False, False)]
    assert _blocks(store, contact.id) == [("sms", "withdrawn")]
    assert store.outbox.webhook_deliveries() == []


def test_two_unsubscribes_at_once_append_one_withdrawal(store: ProfileStore) -> None:
    contact = _texter(store)
    start = threading.Barrier(2)

    def press() -> None:
        start.wait()
        store.consent.withdraw(contact.id, ["email"], STOP, now=at(1), skip_repeat=True)

    presses = [threading.Thread(target=press) for _ in range(2)]
    for thread in presses:
        thread.start()
    for thread in presses:
        thread.join(30)
    assert _ledger(store, contact.id) == [("email", False, False)]
    assert _blocks(store, contact.id) == [("email", "withdrawn")]
