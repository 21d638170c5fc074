"""The sales inbox in the profile store (#20): a handoff waits in it, one person at a time
holds a conversation, replies, notes, hand-back and closing with an outcome, the
person's messages kept while held, saved replies; merged and erased with the contact;
on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from bot.errors import (
    ConversationClosed,
    ConversationHeld,
    ConversationNotInInbox,
    InvalidField,
    ReplyNotResendable,
)
from bot.store import ProfileStore, StudioUser
from tests.store.conftest import NOW, at


def _contact(store: ProfileStore, n: int = 1) -> str:
    return store.leads.update_fields(
        "web", f"w{n}", {"name": f"Ada {n}", "email": f"ada{n}@acme.io"}, f"w{n}", now=NOW
    ).id


def _handoff(store: ProfileStore, contact_id: str, conversation: str = "w1", s: float = 1) -> str:
    handoff_id, _ = store.leads.request_handoff(
        contact_id,  # type: ignore[arg-type]
        conversation_id=conversation,
        channel="web",
        reason="asked for a person",
        transcript=[],
        outbox=[],
        now=at(s),
    )
    return handoff_id


def _user(store: ProfileStore, name: str) -> StudioUser:
    email = f"{name.lower()}@sales.example"
    store.studio.create_user(email, name, "sales", "x", now=NOW)
    return next(u for u in store.studio.users() if u.email == email)


def _kinds(store: ProfileStore, conversation: str = "w1") -> list[tuple[str, str | None, str]]:
    return [(m.kind, m.author, m.body) for m in store.inbox.messages(conversation)]


def test_a_handoff_waits_in_the_inbox(store: ProfileStore) -> None:
    contact_id = _contact(store)
    handoff_id = _handoff(store, contact_id)
    [entry] = store.inbox.queue()
    assert (entry.conversation_id, entry.contact_id, entry.contact_name) == (
        "w1",
        contact_id,
        "Ada 1",
    )
    assert (entry.state, entry.holder, entry.reason) == ("waiting", None, "asked for a person")
    assert entry.waiting_since == at(1) and entry.waited_minutes(at(601)) == 10
    assert _kinds(store) == [("handoff", None, "asked for a person")]
    assert store.inbox.entry("w1").conversation_id == "w1" and handoff_id


def test_one_person_at_a_time_holds_a_conversation(store: ProfileStore) -> None:
    _handoff(store, _contact(store))
    ben, cleo = _user(store, "Ben"), _user(store, "Cleo")
    held = store.inbox.claim("w1", ben, now=at(60))
    assert (held.state, held.holder, held.held_since) == ("claimed", "Ben", at(60))
    assert store.inbox.claim("w1", ben, now=at(61)) == held  # claiming again changes nothing
    with pytest.raises(ConversationHeld) as refused:
        store.inbox.claim("w1", cleo, now=at(62))
    assert refused.value.holder == "Ben"
    with pytest.raises(ConversationHeld):
        store.inbox.reply("w1", cleo, "hello", delivery="shown", now=at(63))
    with pytest.raises(ConversationHeld):
        store.inbox.hand_back("w1", cleo, now=at(63))
    assert store.inbox.holder("w1") == "Ben"


def test_two_people_racing_for_a_conversation_cannot_both_win(store: ProfileStore) -> None:
    _handoff(store, _contact(store))
    people = [_user(store, f"Rep{n}") for n in range(4)]

    def grab(user: StudioUser) -> str:
        try:
            return store.inbox.claim("w1", user).holder or ""
        except ConversationHeld:
            return "refused"

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(grab, people))
    assert results.count("refused") == 3
    assert len([k for k, _, _ in _kinds(store) if k == "joined"]) == 1


def test_a_reply_claims_and_the_conversation_reads_in_order(store: ProfileStore) -> None:
    _handoff(store, _contact(store))
    ben = _user(store, "Ben")
    sent = store.inbox.reply("w1", ben, "  Hi Ada, Ben here.  ", delivery="shown", now=at(60))
    assert (sent.kind, sent.body, sent.delivery) == ("agent", "Hi Ada, Ben here.", "shown")
    assert store.inbox.take_person_message("w1", "great, thanks", now=at(70))
    store.inbox.note("w1", ben, "wants a quote", now=at(80))
    assert _kinds(store) == [
        ("handoff", None, "asked for a person"),
        ("joined", "Ben", "Ben joined the conversation"),
        ("agent", "Ben", "Hi Ada, Ben here."),
        ("person", None, "great, thanks"),
        ("note", "Ben", "wants a quote"),
    ]
    shown = store.inbox.messages("w1", after=sent.id - 1, shown_to_person=True)
    assert [m.kind for m in shown] == ["agent", "person"]


def test_the_bot_keeps_messages_nobody_holds(store: ProfileStore) -> None:
    assert not store.inbox.take_person_message("nowhere", "hi", now=at(1))
    _handoff(store, _contact(store))
    assert not store.inbox.take_person_message("w1", "hi", now=at(2))
    assert store.inbox.holder("w1") is None


def test_hand_back_leaves_the_conversation_to_the_bot(store: ProfileStore) -> None:
    _handoff(store, _contact(store))
    ben = _user(store, "Ben")
    store.inbox.claim("w1", ben, now=at(10))
    back = store.inbox.hand_back("w1", ben, now=at(20))
    assert (back.state, back.holder) == ("returned", None)
    assert _kinds(store)[-1] == ("left", "Ben", "Ben left the conversation")
    assert store.inbox.holder("w1") is None and store.inbox.queue() == []
    _handoff(store, store.inbox.entry("w1").contact_id, s=30 * 60)  # asks again: waits again
    assert store.inbox.entry("w1").state == "waiting"


def test_closing_records_the_outcome_in_the_same_step(store: ProfileStore) -> None:
    contact_id = _contact(store)
    _handoff(store, contact_id)
    ben = _user(store, "Ben")
    store.inbox.claim("w1", ben, now=at(10))
    closed = store.inbox.close(
        "w1", ben, outcome="won", value="1200", currency="eur", reason="annual plan", now=at(20)
    )
    assert closed.state == "closed"
    outcome = store.leads.outcome(contact_id)  # type: ignore[arg-type]
    assert outcome is not None and (outcome.outcome, outcome.value_text) == ("won", "1200.00")
    assert (outcome.source, outcome.recorded_by) == ("studio", "studio:ben@sales.example")
    assert [k for k, _, _ in _kinds(store)][-2:] == ["left", "closed"]
    with pytest.raises(ConversationClosed):
        store.inbox.reply("w1", ben, "one more thing", delivery="shown", now=at(30))
    with pytest.raises(ConversationClosed):
        store.inbox.close("w1", ben, now=at(30))


def test_a_bad_outcome_closes_nothing(store: ProfileStore) -> None:
    _handoff(store, _contact(store))
    ben = _user(store, "Ben")
    with pytest.raises(InvalidField):
        store.inbox.close("w1", ben, outcome="maybe", now=at(20))
    assert store.inbox.entry("w1").state == "waiting"


def test_unknown_conversations_and_empty_texts_are_refused(store: ProfileStore) -> None:
    ben = _user(store, "Ben")
    with pytest.raises(ConversationNotInInbox):
        store.inbox.claim("nope", ben)
    _handoff(store, _contact(store))
    for text in ("", "   ", "x" * 4001, "bell\x07"):
        with pytest.raises(InvalidField):
            store.inbox.reply("w1", ben, text, delivery="shown")
    assert store.inbox.entry("w1").state == "waiting"


def test_changes_are_a_cursor_over_every_conversation(store: ProfileStore) -> None:
    assert store.inbox.latest_change() == 0
    _handoff(store, _contact(store, 1), "w1")
    mark = store.inbox.latest_change()
    _handoff(store, _contact(store, 2), "w2")
    [change] = store.inbox.changes(mark)
    assert (change.conversation_id, change.kind) == ("w2", "handoff")
    assert store.inbox.changes(store.inbox.latest_change()) == []


def test_queued_replies_are_claimed_once(store: ProfileStore) -> None:
    _handoff(store, _contact(store))
    ben = _user(store, "Ben")
    store.inbox.reply("w1", ben, "shown in the chat", delivery="shown", now=at(10))
    queued = store.inbox.reply("w1", ben, "by text", delivery="queued", now=at(11))
    [claimed] = store.inbox.claim_queued_replies(now=at(12))
    assert (claimed.id, claimed.delivery) == (queued.id, "sending")
    assert store.inbox.claim_queued_replies() == []
    store.inbox.set_delivery(queued.id, "failed", "21211: not a valid number")
    last = store.inbox.messages("w1")[-1]
    assert (last.delivery, last.delivery_error) == ("failed", "21211: not a valid number")


def test_saved_replies_by_title(store: ProfileStore) -> None:
    first = store.inbox.save_reply("Pricing", "Plans start at $49.", "studio:ben@x", now=NOW)
    store.inbox.save_reply("Demo", "Book a demo at ...", "studio:ben@x", now=NOW)
    again = store.inbox.save_reply("Pricing", "Plans start at $59.", "studio:ben@x", now=NOW)
    assert again.id == first.id
    assert [(r.title, r.body) for r in store.inbox.saved_replies()] == [
        ("Demo", "Book a demo at ..."),
        ("Pricing", "Plans start at $59."),
    ]
    assert store.inbox.delete_saved_reply(first.id) and not store.inbox.delete_saved_reply(first.id)
    with pytest.raises(InvalidField):
        store.inbox.save_reply("", "body", "studio:ben@x")


def test_a_merge_brings_the_inbox_along(store: ProfileStore) -> None:
    older = _contact(store, 1)
    _handoff(store, older, "w1")
    newer = store.leads.update_fields("telegram", "t9", {"name": "Ada"}, "t9", now=at(5)).id
    _handoff(store, newer, "t9", s=6)
    store.leads.update_fields("telegram", "t9", {"email": "ada1@acme.io"}, "t9", now=at(7))
    assert {e.contact_id for e in store.inbox.queue()} == {older}
    assert {m.contact_id for m in store.inbox.changes(0)} == {older}


def test_erasure_takes_the_inbox_with_it(store: ProfileStore) -> None:
    contact_id = _contact(store)
    _handoff(store, contact_id)
    store.inbox.reply("w1", _user(store, "Ben"), "Hi Ada", delivery="shown", now=at(9))
    store.privacy.erase(contact_id, "salt", now=datetime(2024, 6, 1, tzinfo=timezone.utc))  # type: ignore[arg-type]
    assert store.inbox.queue() == [] and store.inbox.changes(0) == []
    with pytest.raises(ConversationNotInInbox):
        store.inbox.entry("w1")


def test_a_disabled_user_leaves_what_they_held(store: ProfileStore) -> None:
    _handoff(store, _contact(store))
    ben = _user(store, "Ben")
    store.inbox.claim("w1", ben, now=at(10))
    store.studio.disable_user(ben.id, now=at(20))
    entry = store.inbox.entry("w1")
    assert (entry.state, entry.holder, entry.waiting_since) == ("waiting", None, at(20))
    assert _kinds(store)[-1] == ("left", "Ben", "Ben left the conversation")
    assert store.inbox.claim("w1", _user(store, "Cleo"), now=at(30)).holder == "Cleo"
    assert store.inbox.release_held_by(ben.id) == []


def test_a_reply_abandoned_mid_send_becomes_uncertain_not_sent_again(store: ProfileStore) -> None:
    _handoff(store, _contact(store))
    ben = _user(store, "Ben")
    queued = store.inbox.reply("w1", ben, "by text", delivery="queued", now=at(10))
    [claimed] = store.inbox.claim_queued_replies(now=at(11))
    # The worker died here, between marking it and the provider's answer.
    assert store.inbox.reap_abandoned_replies(now=at(11 + 4 * 60)) == 0
    assert store.inbox.reap_abandoned_replies(now=at(11 + 6 * 60)) == 1
    last = store.inbox.messages("w1")[-1]
    assert (last.id, last.delivery) == (claimed.id, "uncertain")
    assert "may not have arrived" in (last.delivery_error or "")
    assert store.inbox.claim_queued_replies(now=at(400)) == []
    assert store.inbox.reap_abandoned_replies(now=at(9000)) == 0
    # A worker that was only slow still reports what the provider said.
    assert store.inbox.set_delivery(queued.id, "sent")
    assert store.inbox.messages("w1")[-1].delivery == "sent"


def test_a_failed_or_uncertain_reply_is_sent_again_once_on_request(store: ProfileStore) -> None:
    _handoff(store, _contact(store))
    ben, cleo = _user(store, "Ben"), _user(store, "Cleo")
    queued = store.inbox.reply("w1", ben, "by text", delivery="queued", now=at(10))
    store.inbox.claim_queued_replies(now=at(11))
    store.inbox.reap_abandoned_replies(now=at(1000))
    with pytest.raises(ConversationHeld):
        store.inbox.resend("w1", queued.id, cleo, delivery="queued", now=at(1001))
    again = store.inbox.resend("w1", queued.id, ben, delivery="queued", now=at(1002))
    assert (again.kind, again.body, again.delivery, again.author) == (
        "agent", "by text", "queued", "Ben")  # fmt: skip
    assert [m.delivery for m in store.inbox.messages("w1") if m.kind == "agent"] == [
        "resent", "queued"]  # fmt: skip
    with pytest.raises(ReplyNotResendable, match="sent again already"):
        store.inbox.resend("w1", queued.id, ben, delivery="queued", now=at(1003))
    # The first worker, only slow after all, does not overwrite what the salesperson chose.
    assert not store.inbox.set_delivery(queued.id, "sent")
    with pytest.raises(ReplyNotResendable, match="only a failed or uncertain one"):
        store.inbox.resend("w1", again.id, ben, delivery="queued", now=at(1004))
    with pytest.raises(InvalidField, match="message"):
        store.inbox.resend("w1", 10_000, ben, delivery="queued", now=at(1005))
    note = store.inbox.note("w1", ben, "private", now=at(1006))
    with pytest.raises(InvalidField, match="message"):
        store.inbox.resend("w1", note.id, ben, delivery="queued", now=at(1007))


def test_an_admin_takes_over_what_someone_else_holds(store: ProfileStore) -> None:
    _handoff(store, _contact(store))
    ben = _user(store, "Ben")
    ann = store.studio.create_user("ann@admin.example", "Ann", "admin", "x", now=NOW)
    store.inbox.claim("w1", ben, now=at(10))
    entry, taken_from = store.inbox.take_over("w1", ann, now=at(20))
    assert (entry.holder, entry.held_since, taken_from) == ("Ann", at(20), "Ben")
    assert _kinds(store)[-3:] == [
        ("left", "Ben", "Ben left the conversation"),
        ("joined", "Ann", "Ann joined the conversation"),
        ("note", "Ann", "Ann took over this conversation from Ben."),
    ]
    with pytest.raises(ConversationHeld, match="Ann holds"):
        store.inbox.reply("w1", ben, "still me", delivery="shown", now=at(21))
    assert store.inbox.take_over("w1", ann, now=at(22)) == (store.inbox.entry("w1"), None)
    store.inbox.hand_back("w1", ann, now=at(23))
    # Nobody holds it: taking over is claiming.
    assert store.inbox.take_over("w1", ann, now=at(24))[1] is None
    store.inbox.close("w1", ann, now=at(25))
    with pytest.raises(ConversationClosed):
        store.inbox.take_over("w1", ann, now=at(26))
