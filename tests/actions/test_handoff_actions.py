"""Handing a conversation to a person, per channel, with a real store."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHumanHandoff
from bot.settings import Settings, load_settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses, slot_events

CALL = {"parley_channel": "voice"}


def followups(events: list[dict[str, Any]]) -> list[Any]:
    return [e["name"] for e in events if e.get("event") == "followup"]


async def _hand_off(
    store: ProfileStore, settings: Settings, slots: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "can i talk to a real person", intent="human_handoff", metadata=CALL, slots=slots
    )
    events = await ActionHumanHandoff(store=store, settings=settings).run(dispatcher, tracker, {})
    return events, dispatcher


async def test_a_caller_with_a_sales_line_is_put_through_at_once(
    store: ProfileStore, settings: Settings
) -> None:
    with_line = replace(settings, voice=replace(settings.voice, sales_number="+15005550009"))
    events, dispatcher = await _hand_off(store, with_line)
    assert responses(dispatcher) == ["utter_handoff_sent", None]
    assert dispatcher.messages[1]["custom"]["parley"] == "transfer"
    assert followups(events) == ["action_listen"]


async def test_without_a_sales_line_a_caller_is_asked_for_details_then_promised_a_call(
    store: ProfileStore, settings: Settings
) -> None:
    no_line = replace(settings, voice=replace(settings.voice, sales_number=""))
    events, dispatcher = await _hand_off(store, no_line)
    assert responses(dispatcher) == ["utter_handoff"]
    assert followups(events) == ["lead_form"]

    store.leads.update_fields(
        "voice", "visitor-1", {"name": "Ahmed Hassan", "phone": "+201001234567"}, "visitor-1"
    )
    events, dispatcher = await _hand_off(
        store, no_line, {"lead_name": "Ahmed Hassan", "lead_phone": "+201001234567"}
    )
    assert responses(dispatcher) == ["utter_handoff_callback"]
    assert dispatcher.messages[0]["how"] == " on +201001234567"
    assert not any(m.get("custom") for m in dispatcher.messages)  # no transfer to nowhere
    contact = store.contacts.for_identity("voice", "visitor-1")
    assert contact is not None
    assert [h["reason"] for h in store.privacy.export(contact.id)["handoffs"]] == [
        "asked for a person"
    ]


async def test_a_caller_who_turns_down_every_detail_is_called_back_on_the_calling_number(
    store: ProfileStore, settings: Settings
) -> None:
    from actions.handoff_in_form import ActionHandoffInForm

    no_line = replace(settings, voice=replace(settings.voice, sales_number=""))
    told = [
        {"event": "bot", "text": "...", "metadata": {"utter_action": name}}
        for name in ("utter_handoff_in_form", "utter_handoff_need_contact")
    ]
    call = {**CALL, "caller": "+14155550142"}
    tracker = make_tracker("just put me through", intent="human_handoff", metadata=call)
    tracker.events[:0] = told
    in_form = await ActionHandoffInForm().run(CollectingDispatcher(), tracker, {})
    assert followups(in_form) == ["action_human_handoff"]

    dispatcher = CollectingDispatcher()
    events = await ActionHumanHandoff(store=store, settings=no_line).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_handoff_callback"]
    assert dispatcher.messages[0]["how"] == " on the number you're calling from"
    contact = store.contacts.for_identity("voice", "visitor-1")
    assert contact is not None and contact.phone is None  # a callback, not a stored detail
    [handoff] = store.privacy.export(contact.id)["handoffs"]
    assert handoff["reason"].endswith("the number they called from, +14155550142")
    assert followups(events) == ["action_listen"]


async def test_a_caller_asking_twice_for_a_person_is_called_back_on_the_calling_number(
    store: ProfileStore, settings: Settings
) -> None:
    from actions.handoff_in_form import ActionHandoffInForm

    no_line = replace(settings, voice=replace(settings.voice, sales_number=""))
    call = {**CALL, "caller": "+14155550142"}
    tracker = make_tracker("no i just want a person", intent="human_handoff", metadata=call)
    tracker.events[:0] = [
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_handoff_in_form"}}
    ]
    in_form = await ActionHandoffInForm().run(CollectingDispatcher(), tracker, {})
    assert followups(in_form) == ["action_human_handoff"]
    dispatcher = CollectingDispatcher()
    events = await ActionHumanHandoff(store=store, settings=no_line).run(dispatcher, tracker, {})
    # Handed over, not the details asked for again (that looped).
    assert responses(dispatcher) == ["utter_handoff_callback"]
    assert followups(events) == ["action_listen"]


async def test_a_web_chat_visitor_who_turns_down_every_detail_is_answered_in_the_chat(
    store: ProfileStore, settings: Settings
) -> None:
    told = [
        {"event": "bot", "text": "...", "metadata": {"utter_action": name}}
        for name in ("utter_handoff_in_form", "utter_handoff_need_contact")
    ]
    tracker = make_tracker(
        "I'll tell the person, not you", intent="human_handoff", metadata={"parley_channel": "web"}
    )
    tracker.events[:0] = told
    dispatcher = CollectingDispatcher()
    events = await ActionHumanHandoff(store=store, settings=settings).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_handoff_sent"]
    assert dispatcher.messages[0]["how"] == " right here, in this chat"
    contact = store.contacts.for_identity("web", "visitor-1")
    assert contact is not None and contact.email is None and contact.phone is None
    assert len(store.privacy.export(contact.id)["handoffs"]) == 1
    assert followups(events) == ["action_listen"]


async def test_a_web_chat_visitor_is_asked_for_a_way_to_reach_them_first(
    store: ProfileStore, settings: Settings
) -> None:
    tracker = make_tracker(
        "a person please", intent="human_handoff", metadata={"parley_channel": "web"}
    )
    dispatcher = CollectingDispatcher()
    events = await ActionHumanHandoff(store=store, settings=settings).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_handoff"] and followups(events) == ["lead_form"]


# ---------------------------------------------------------------- office hours (#20)

LONDON = ZoneInfo("Europe/London")
SATURDAY_NOON = datetime(2026, 12, 5, 12, 0, tzinfo=LONDON)
MONDAY_TEN = datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)
MONDAY_NINE_UTC = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)  # GMT in December


@pytest.fixture
def office(tmp_path: Path) -> Settings:
    """A team open Monday to Friday 9:00-17:30 in London, the phone team also Saturdays."""
    return load_settings(
        environ={
            "PARLEY_DATA_DIR": str(tmp_path),
            "PARLEY_COMPANY_NAME": "Acme Test Co",
            "PARLEY_OFFICE_HOURS": "mon-fri 09:00-17:30",
            "PARLEY_OFFICE_TIMEZONE": "Europe/London",
            "PARLEY_OFFICE_CLOSED": "2026-12-25",
            "PARLEY_OFFICE_HOURS_VOICE": "mon-sat 08:00-20:00",
            "PARLEY_VOICE_SALES_NUMBER": "+15005550009",
        },
        dotenv=tmp_path / "none.env",
    )


async def _ask_for_a_person(
    store: ProfileStore,
    settings: Settings,
    now: datetime,
    *,
    channel: str = "rest",
    sender: str = "visitor-1",
    details: dict[str, str] | None = None,
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    if details is not None:
        store.leads.update_fields(channel, sender, details, sender)  # type: ignore[arg-type]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "can i talk to a real person",
        intent="human_handoff",
        metadata={"parley_channel": channel},
        sender=sender,
        slots={f"lead_{k}": v for k, v in (details or {}).items()},
    )
    action = ActionHumanHandoff(store=store, settings=settings, clock=lambda: now)
    return await action.run(dispatcher, tracker, {}), dispatcher


def _handoffs(store: ProfileStore, channel: str, sender: str) -> list[dict[str, Any]]:
    contact = store.contacts.for_identity(channel, sender)  # type: ignore[arg-type]
    assert contact is not None
    return list(store.privacy.export(contact.id)["handoffs"])


DANA = {"name": "Dana Reyes", "email": "dana@acme.io"}


async def test_within_office_hours_nothing_changes(store: ProfileStore, office: Settings) -> None:
    events, dispatcher = await _ask_for_a_person(store, office, MONDAY_TEN, details=DANA)
    assert responses(dispatcher) == ["utter_handoff_sent"]
    assert dispatcher.messages[0]["how"] == " at dana@acme.io"
    assert slot_events(events)["handoff_open"] is True
    (record,) = _handoffs(store, "rest", "visitor-1")
    assert (record["out_of_hours"], record["reply_due_at"]) == (False, None)


async def test_outside_office_hours_the_person_hears_when_and_is_offered_a_meeting(
    store: ProfileStore, office: Settings
) -> None:
    events, dispatcher = await _ask_for_a_person(store, office, SATURDAY_NOON, details=DANA)
    assert responses(dispatcher) == ["utter_handoff_after_hours"]
    message = dispatcher.messages[0]
    assert message["when"] == "Monday at 9:00 (London time)"
    assert message["how"] == " at dana@acme.io"
    slots = slot_events(events)
    # Nobody holds the conversation yet: "book a meeting" still books one.
    assert slots["handoff_open"] is False and slots["handoff_requested"] is False
    # The meeting is offered as a question: a yes books, a no leaves the callback.
    assert (slots["yes_no_pending"], slots["yes_no_question"]) == (True, "meeting")
    assert slots["handoff_reply_due"] == "Monday at 9:00 (London time)"
    assert followups(events) == ["action_listen"]
    (record,) = _handoffs(store, "rest", "visitor-1")
    assert record["out_of_hours"] is True
    assert record["reply_due_at"] == MONDAY_NINE_UTC.isoformat()


async def test_the_time_is_said_in_the_persons_zone_when_their_phone_tells_it(
    store: ProfileStore, office: Settings
) -> None:
    new_yorker = {**DANA, "phone": "+12125550100"}
    _, dispatcher = await _ask_for_a_person(store, office, SATURDAY_NOON, details=new_yorker)
    assert dispatcher.messages[0]["when"] == "Monday at 4:00 (New York time)"


async def test_a_holiday_puts_the_answer_off_to_the_next_working_day(
    store: ProfileStore, office: Settings
) -> None:
    christmas_eve = datetime(2026, 12, 24, 18, 0, tzinfo=LONDON)
    _, dispatcher = await _ask_for_a_person(store, office, christmas_eve, details=DANA)
    assert dispatcher.messages[0]["when"] == "Monday at 9:00 (London time)"
    (record,) = _handoffs(store, "rest", "visitor-1")
    assert record["reply_due_at"] == datetime(2026, 12, 28, 9, 0, tzinfo=timezone.utc).isoformat()


async def test_a_caller_out_of_hours_gets_a_callback_not_a_transfer(
    store: ProfileStore, office: Settings
) -> None:
    caller = {"name": "Ahmed Hassan", "phone": "+442079460000"}
    sunday = datetime(2026, 12, 6, 12, 0, tzinfo=LONDON)  # the phone team is closed too
    _, dispatcher = await _ask_for_a_person(
        store, office, sunday, channel="voice", sender="CA123", details=caller
    )
    assert responses(dispatcher) == ["utter_handoff_after_hours"]
    assert not any(m.get("custom") for m in dispatcher.messages)  # nobody to put through to
    assert dispatcher.messages[0]["how"] == " on +442079460000"
    assert dispatcher.messages[0]["when"] == "tomorrow at 8:00 (London time)"
    (record,) = _handoffs(store, "voice", "CA123")
    assert record["reply_due_at"] == datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc).isoformat()


async def test_an_unknown_caller_out_of_hours_gives_a_number_to_call_back_first(
    store: ProfileStore, office: Settings
) -> None:
    sunday = datetime(2026, 12, 6, 12, 0, tzinfo=LONDON)
    events, dispatcher = await _ask_for_a_person(store, office, sunday, channel="voice")
    assert responses(dispatcher) == ["utter_handoff"]
    assert followups(events) == ["lead_form"]


async def test_each_channel_is_answered_by_its_own_team(
    store: ProfileStore, office: Settings
) -> None:
    # Saturday: the phone team is in, the default team is not.
    caller = {"name": "Ahmed Hassan", "phone": "+442079460000"}
    _, dispatcher = await _ask_for_a_person(
        store, office, SATURDAY_NOON, channel="voice", sender="CA9", details=caller
    )
    assert responses(dispatcher) == ["utter_handoff_sent", None]
    assert dispatcher.messages[1]["custom"]["parley"] == "transfer"
    (record,) = _handoffs(store, "voice", "CA9")
    assert record["out_of_hours"] is False


async def test_details_asked_for_once_and_not_given_never_send_a_caller_round_again(
    store: ProfileStore, settings: Settings
) -> None:
    # The lead form already came first on the way to a person, and the caller's email and
    # phone could not be read: the team calls back the number they called from, rather
    # than the form (which ends at once) and the handoff sending them back, turn after turn.
    no_line = replace(settings, voice=replace(settings.voice, sales_number=""))
    tracker = make_tracker(
        "please connect me to a person",
        intent="human_handoff",
        metadata={**CALL, "caller": "+14155550123"},
        sender="CA77",
    )
    tracker.events[:0] = [
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_handoff"}}
    ]
    dispatcher = CollectingDispatcher()
    events = await ActionHumanHandoff(store=store, settings=no_line).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_handoff_callback"]
    assert followups(events) == ["action_listen"]

    # Without a calling number nobody can get back to them: said plainly, and no loop.
    anonymous = make_tracker(
        "please connect me to a person", intent="human_handoff", metadata=CALL, sender="CA78"
    )
    # (the form, just ended without them, handed back in the same turn)
    anonymous.events.append(
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_handoff"}}
    )
    dispatcher = CollectingDispatcher()
    events = await ActionHumanHandoff(store=store, settings=no_line).run(dispatcher, anonymous, {})
    assert responses(dispatcher) == ["utter_handoff_cannot_reach"]
    assert followups(events) == ["action_listen"]


async def test_a_qualifying_question_put_off_to_the_person_is_set_aside_not_a_handoff(
    store: ProfileStore, settings: Settings
) -> None:
    """ "I'd rather talk that over with your person" to the budget question, taken for a
    request for a person: the budget is left for them, the next question comes."""
    tracker = make_tracker(
        "I'd rather talk that over with your person, if that's alright.",
        intent="human_handoff",
        slots={"qual_company_size": "11-50", "qual_authority": "decides"},
    )
    tracker.events.insert(
        0, {"event": "bot", "metadata": {"utter_action": "utter_ask_qual_budget"}}
    )
    dispatcher = CollectingDispatcher()
    events = await ActionHumanHandoff(store=store, settings=settings).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_qualify_skipped"]
    slots = slot_events(events)
    assert slots["qual_skipped"] == ["budget"] and slots["requested_slot"] == "qual_timeline"
    assert followups(events) == ["qualify_form"]
    assert "handoff_requested" not in slots


async def test_asking_for_a_person_at_a_qualifying_question_still_hands_over(
    store: ProfileStore, settings: Settings
) -> None:
    tracker = make_tracker("I'd rather talk to a person", intent="human_handoff")
    tracker.events.insert(
        0, {"event": "bot", "metadata": {"utter_action": "utter_ask_qual_budget"}}
    )
    dispatcher = CollectingDispatcher()
    await ActionHumanHandoff(store=store, settings=settings).run(dispatcher, tracker, {})
    assert "utter_qualify_skipped" not in responses(dispatcher)


def test_a_question_put_off_to_the_person_is_no_request_for_one() -> None:
    from actions.qualify import asked_for_person

    tracker = make_tracker("I'd rather talk that over with your person", intent="human_handoff")
    assert not asked_for_person(tracker)
    asked = make_tracker("can I talk to a real person please", intent="human_handoff")
    assert asked_for_person(asked)
