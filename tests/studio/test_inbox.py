"""The sales inbox against a real studio on loopback (#20): the queue against the target
time, a conversation with its transcript, profile, score and consent; claim, reply,
note, saved replies, hand back and close with an outcome; one person at a time (409),
closed conversations, unknown ones (404), bad input (400), roles (403), and the audit
log naming the user for every read and step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.scoring import load_rubric, score_contact
from bot.store import Contact
from tests.store.rasa_tracker import add_tracker_events, user_event
from tests.studio.studio_server import StudioClient, StudioServer, start_studio

ADA = {"name": "Ada Lovelace", "email": "ada@analytical.example", "company": "Analytical Engines"}


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[StudioServer]:
    server = start_studio(tmp_path, PARLEY_INBOX_TARGET_MINUTES="5")
    yield server
    server.stop()


def handed_off(
    studio: StudioServer, conversation: str = "web-ada", channel: str = "web", minutes: int = 12
) -> Contact:
    """Ada asked for a person `minutes` ago, after saying hello to the bot."""
    store = studio.store
    asked = datetime.now(timezone.utc) - timedelta(minutes=minutes)
    ada = store.leads.update_fields(channel, conversation, ADA, conversation, now=asked)  # type: ignore[arg-type]
    store.consent.record(ada.id, "email", True, channel=channel, wording="May we email you?",  # type: ignore[arg-type]
                         wording_version="email-v3", source="conversation", evidence={}, now=asked)  # fmt: skip
    store.leads.record_qualification(ada.id, {"budget": "10k_50k"}, channel=channel,  # type: ignore[arg-type]
                                     conversation_id=conversation, now=asked)  # fmt: skip
    score_contact(store, ada.id, rubric=load_rubric(studio.settings.scoring_file), now=asked)
    add_tracker_events(studio.settings.tracker_store_url,
                       [user_event(conversation, asked.timestamp(), "can I talk to a human?")])  # fmt: skip
    store.leads.request_handoff(ada.id, conversation_id=conversation, channel=channel,  # type: ignore[arg-type]
                                reason="asked for a person", transcript=[], outbox=[], now=asked)  # fmt: skip
    return ada


def page(conversation: str = "web-ada") -> str:
    return f"/inbox/c/{quote(conversation, safe='')}"


def audited(studio: StudioServer) -> list[tuple[str, str, str]]:
    return [(e.actor, e.action, e.target) for e in studio.store.privacy.audit_entries(500)]


def sales(studio: StudioServer, name: str) -> StudioClient:
    email = studio.add_user(f"{name.lower()}@example.com", "sales", name)
    client = studio.client()
    client.login(email, "correct horse battery")
    return client


def test_the_queue_shows_waiting_time_against_the_target(studio: StudioServer) -> None:
    ada = handed_off(studio, minutes=12)
    client = studio.signed_in("sales")
    listed = client.get("/inbox")
    assert listed.status_code == 200
    assert "Ada Lovelace" in listed.text and "asked for a person" in listed.text
    assert "12 min" in listed.text and "over the 5 min target" in listed.text
    assert ("studio:sales@example.com", "studio.inbox_listed", "inbox") in audited(studio)
    assert ada.id in studio.store.privacy.audit_entries(1)[0].details["contact_ids"]


def test_a_conversation_shows_transcript_profile_score_and_consent(studio: StudioServer) -> None:
    ada = handed_off(studio)
    shown = studio.signed_in("sales").get(page())
    assert shown.status_code == 200
    for text in ("can I talk to a human?", "ada@analytical.example", "Analytical Engines",
                 "grade", "budget", "email: <span class=\"ok\">granted"):  # fmt: skip
        assert text in shown.text, text
    assert ("studio:sales@example.com", "studio.inbox_read", ada.id) in audited(studio)


def test_claim_reply_note_hand_back_and_close(studio: StudioServer) -> None:
    ada = handed_off(studio)
    ben = sales(studio, "Ben")
    assert ben.post(page() + "/claim").status_code == 303
    assert ben.post(page() + "/reply", {"body": "Hi Ada, Ben here."}).status_code == 303
    assert ben.post(page() + "/note", {"body": "wants a quote"}).status_code == 303
    shown = ben.get(page()).text
    assert "You hold this conversation" in shown
    assert shown.index("Ben joined the conversation") < shown.index("Hi Ada, Ben here.")
    assert "(private note)" in shown
    assert [m.kind for m in studio.store.inbox.messages("web-ada", shown_to_person=True)] == [
        "joined", "agent"]  # fmt: skip
    assert ben.post(page() + "/hand-back").status_code == 303
    assert studio.store.inbox.entry("web-ada").state == "returned"
    closed = ben.post(page() + "/close", {"outcome": "won", "value": "1200.00", "currency": "EUR",
                                          "reason": "annual plan"})  # fmt: skip
    assert closed.status_code == 303
    outcome = studio.store.leads.outcome(ada.id)
    assert outcome is not None and (outcome.outcome, outcome.source) == ("won", "studio")
    actions = [(actor, action) for actor, action, target in audited(studio) if target == ada.id]
    for action in ("claimed", "replied", "noted", "handed_back", "closed", "read"):
        assert ("studio:ben@example.com", f"studio.inbox_{action}") in actions, action


def test_someone_elses_conversation_is_a_409(studio: StudioServer) -> None:
    handed_off(studio)
    ben, cleo = sales(studio, "Ben"), sales(studio, "Cleo")
    ben.post(page() + "/claim")
    for step, data in (("claim", {}), ("reply", {"body": "Hi, Cleo here"}), ("hand-back", {}),
                       ("close", {"outcome": "lost"})):  # fmt: skip
        refused = cleo.post(page() + f"/{step}", data)
        assert refused.status_code == 409, step
        assert "Ben holds this conversation" in refused.text
    assert "Hi, Cleo here" not in ben.get(page()).text
    assert studio.store.inbox.entry("web-ada").holder == "Ben"
    assert ("studio:cleo@example.com", "studio.inbox_replied_refused") in [
        (a, b) for a, b, _ in audited(studio)]  # fmt: skip


def test_a_closed_conversation_takes_no_reply(studio: StudioServer) -> None:
    handed_off(studio)
    ben = sales(studio, "Ben")
    assert ben.post(page() + "/close", {"outcome": ""}).status_code == 303
    refused = ben.post(page() + "/reply", {"body": "are you still there?"})
    assert refused.status_code == 409 and "This conversation is closed" in refused.text
    assert [m.kind for m in studio.store.inbox.messages("web-ada")] == ["handoff", "closed"]


def test_unknown_conversations_are_a_404(studio: StudioServer) -> None:
    client = sales(studio, "Ben")
    assert client.get(page("web-nobody")).status_code == 404
    assert client.post(page("web-nobody") + "/claim").status_code == 404
    assert client.post(page("web-nobody") + "/reply", {"body": "hi"}).status_code == 404


def test_bad_input_changes_nothing(studio: StudioServer) -> None:
    ada = handed_off(studio)
    ben = sales(studio, "Ben")
    assert ben.post(page() + "/reply", {"body": "   "}).status_code == 400
    bad = ben.post(page() + "/close", {"outcome": "won", "value": "lots", "currency": "EUR"})
    assert bad.status_code == 400 and "value" in bad.text
    assert studio.store.inbox.entry("web-ada").state == "waiting"
    assert studio.store.leads.outcome(ada.id) is None


def test_a_phone_call_is_a_callback_task_with_the_callers_number(studio: StudioServer) -> None:
    handed_off(studio, conversation="CA123", channel="voice")
    call = user_event("CA123", datetime.now(timezone.utc).timestamp(), "a person please")
    call["data"] = call["data"].replace('"text"', '"metadata": {"caller": "+14155550134"}, "text"')
    add_tracker_events(studio.settings.tracker_store_url, [call])
    ben = sales(studio, "Ben")
    assert "(call back)" in ben.get("/inbox").text
    shown = ben.get(page("CA123"))
    assert "Callback task" in shown.text and "<strong>+14155550134</strong>" in shown.text
    refused = ben.post(page("CA123") + "/reply", {"body": "hello?"})
    assert refused.status_code == 400 and "takes no written reply" in refused.text


def test_saved_replies_are_kept_and_sent(studio: StudioServer) -> None:
    handed_off(studio)
    ben = sales(studio, "Ben")
    ben.get("/inbox/replies")
    assert (
        ben.post("/inbox/replies", {"title": "Pricing", "body": "Plans start at $49."}).status_code
        == 303
    )
    assert ben.post("/inbox/replies", {"title": "", "body": "x"}).status_code == 400
    [saved] = studio.store.inbox.saved_replies()
    assert "Pricing" in ben.get(page()).text
    ben.post(page() + "/reply", {"body": "", "saved_reply": str(saved.id)})
    assert studio.store.inbox.messages("web-ada")[-1].body == "Plans start at $49."
    assert ben.post("/inbox/replies", {"delete": str(saved.id)}).status_code == 303
    assert studio.store.inbox.saved_replies() == []


def test_only_sales_and_admins_work_the_inbox(studio: StudioServer) -> None:
    handed_off(studio)
    assert studio.signed_in("admin").get(page()).status_code == 200
    for role in ("marketer", "analyst"):
        client = studio.signed_in(role)
        assert client.get("/inbox").status_code == 403
        assert client.post(page() + "/claim").status_code == 403
    assert "Inbox" in studio.signed_in("sales").get("/").text
    assert studio.signed_in("sales").get("/users").status_code == 403


def test_whatsapp_takes_a_reply_only_within_its_24_hours(studio: StudioServer) -> None:
    handed_off(studio, conversation="+14155550177", channel="whatsapp")
    ben = sales(studio, "Ben")
    refused = ben.post(page("+14155550177") + "/reply", {"body": "Hi, Ben here"})
    assert refused.status_code == 409
    assert "only within 24 hours" in refused.text and "have not written on WhatsApp" in refused.text
    studio.store.campaigns.record_inbound("whatsapp", "+14155550177",
                                          now=datetime.now(timezone.utc) - timedelta(hours=25))  # fmt: skip
    refused = ben.post(page("+14155550177") + "/reply", {"body": "Hi, Ben here"})
    assert refused.status_code == 409 and "they last wrote" in refused.text
    studio.store.campaigns.record_inbound("whatsapp", "+14155550177")
    assert ben.post(page("+14155550177") + "/reply", {"body": "Hi, Ben here"}).status_code == 303
    assert studio.store.inbox.messages("+14155550177")[-1].delivery == "queued"


def test_a_holder_moved_to_a_role_without_the_inbox_lets_go(studio: StudioServer) -> None:
    handed_off(studio)
    ben = sales(studio, "Ben")
    ben.post(page() + "/claim")
    admin = studio.signed_in("admin")
    admin.get("/users")
    ben_id = next(u.id for u in studio.store.studio.users() if u.email == "ben@example.com")
    assert admin.post(f"/users/{ben_id}", {"role": "marketer"}).status_code == 303
    assert studio.store.inbox.entry("web-ada").state == "waiting"
    assert sales(studio, "Cleo").post(page() + "/claim").status_code == 303


def test_no_reply_to_someone_who_said_stop(studio: StudioServer) -> None:
    ada = handed_off(studio, conversation="+14155550178", channel="sms")
    studio.store.consent.block_contact(ada.id, "sms", "withdrawn", "STOP")
    refused = sales(studio, "Ben").post(page("+14155550178") + "/reply", {"body": "Hi Ada"})
    assert refused.status_code == 409 and "asked not to be contacted on sms" in refused.text
    assert [m.kind for m in studio.store.inbox.messages("+14155550178")] == ["handoff"]


def test_an_uncertain_reply_is_shown_and_sent_again_only_on_request(studio: StudioServer) -> None:
    ada = handed_off(studio, conversation="+14155550179", channel="sms")
    ben = sales(studio, "Ben")
    assert ben.post(page("+14155550179") + "/reply", {"body": "Hi Ada"}).status_code == 303
    store = studio.store
    # A worker took it to the provider ten minutes ago and died before the answer.
    store.inbox.claim_queued_replies(now=datetime.now(timezone.utc) - timedelta(minutes=10))
    assert store.inbox.reap_abandoned_replies() == 1
    [first] = [m for m in store.inbox.messages("+14155550179") if m.kind == "agent"]
    shown = ben.get(page("+14155550179")).text
    assert "uncertain — may not have arrived" in shown and "they may get it twice" in shown
    assert ben.post(page("+14155550179") + "/resend", {"message": "x1"}).status_code == 400
    cleo = sales(studio, "Cleo")
    assert (
        cleo.post(page("+14155550179") + "/resend", {"message": str(first.id)}).status_code == 409
    )
    assert ben.post(page("+14155550179") + "/resend", {"message": str(first.id)}).status_code == 303
    again = ben.post(page("+14155550179") + "/resend", {"message": str(first.id)})
    assert again.status_code == 409 and "sent again already" in again.text
    replies = [
        (m.body, m.delivery) for m in store.inbox.messages("+14155550179") if m.kind == "agent"
    ]
    assert replies == [("Hi Ada", "resent"), ("Hi Ada", "queued")]
    actions = [(actor, action) for actor, action, target in audited(studio) if target == ada.id]
    assert ("studio:ben@example.com", "studio.inbox_resent") in actions
    assert ("studio:ben@example.com", "studio.inbox_resent_refused") in actions


def test_an_email_notices_link_opens_its_conversation(studio: StudioServer) -> None:
    handed_off(studio, conversation="+14155550180", channel="sms")
    [handoff] = studio.store.inbox.messages("+14155550180")
    anonymous = studio.client()
    signin = anonymous.get(f"/inbox/m/{handoff.id}")
    assert signin.status_code == 303 and f"next=/inbox/m/{handoff.id}" in signin.headers["location"]
    ben = sales(studio, "Ben")
    opened = ben.get(f"/inbox/m/{handoff.id}")
    assert opened.status_code == 303 and opened.headers["location"] == page("+14155550180")
    assert ben.get("/inbox/m/999999").status_code == 404
    assert studio.signed_in("marketer").get(f"/inbox/m/{handoff.id}").status_code == 403


def test_an_admin_takes_over_and_the_holder_sees_it(studio: StudioServer) -> None:
    ada = handed_off(studio)
    ben, cleo = sales(studio, "Ben"), sales(studio, "Cleo")
    assert ben.post(page() + "/claim").status_code == 303
    assert cleo.post(page() + "/take-over").status_code == 403
    assert cleo.post(page() + "/claim").status_code == 409
    admin = studio.signed_in("admin")
    assert "Take over from Ben" in admin.get(page()).text
    assert admin.post(page() + "/take-over").status_code == 303
    entry = studio.store.inbox.entry("web-ada")
    assert entry.holder is not None and entry.holder != "Ben"
    seen = ben.get(page()).text
    assert f"{entry.holder} took over this conversation from Ben." in seen
    refused = ben.post(page() + "/reply", {"body": "Ben again"})
    assert refused.status_code == 409 and f"{entry.holder} holds this conversation" in refused.text
    [taken] = [e for e in studio.store.privacy.audit_entries(500)
               if e.action == "studio.inbox_taken_over"]  # fmt: skip
    assert taken.target == ada.id and taken.details == {"taken_from": "Ben"}
    assert taken.actor.startswith("studio:") and taken.actor != "studio:ben@example.com"
