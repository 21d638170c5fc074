"""Session start, submit, confirm and cancel with real trackers and a real store."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher

from actions.lead import ActionCancelLead, ActionConfirmLead, ActionSubmitLead, summary_lines
from actions.session import ActionSessionStart
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, slot_events

LEAD = {"lead_name": "Dana", "lead_email": "dana@acme.io", "lead_company": "Acme"}
DOMAIN = {"session_config": {"carry_over_slots_to_new_session": True}}


async def test_submit_marks_captured_and_summarises(
    store: ProfileStore, settings: Settings
) -> None:
    store.update_lead_fields(
        "rest", "visitor-1", {"name": "Dana", "email": "dana@acme.io"}, "visitor-1"
    )
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("x", slots={**LEAD, "skipped_fields": ["phone"]})
    events = await ActionSubmitLead(store=store, settings=settings).run(dispatcher, tracker, DOMAIN)
    assert slot_events(events)["lead_captured"] is True
    (message,) = dispatcher.messages
    assert message["response"] == "utter_lead_summary"
    assert (
        "- Phone: (skipped)" in message["summary"] and "- Email: dana@acme.io" in message["summary"]
    )
    contact = store.contact_for_identity("rest", "visitor-1")
    assert contact is not None and contact.lead_status == "captured"


async def test_confirm_marks_confirmed(store: ProfileStore, settings: Settings) -> None:
    dispatcher = CollectingDispatcher()
    await ActionConfirmLead(store=store, settings=settings).run(
        dispatcher, make_tracker("yes", slots=LEAD), DOMAIN
    )
    contact = store.contact_for_identity("rest", "visitor-1")
    assert contact is not None and contact.lead_status == "confirmed"
    assert dispatcher.messages[0]["name"] == "Dana"


async def test_cancel_deactivates_and_keeps_data(store: ProfileStore, settings: Settings) -> None:
    contact = store.update_lead_fields("rest", "visitor-1", {"name": "Dana"}, "visitor-1")
    tracker = make_tracker(
        "never mind", intent="cancel", slots={"contact_id": contact.id, "lead_name": "Dana"}
    )
    events = await ActionCancelLead(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert ActiveLoop(None) in events
    assert slot_events(events)["requested_slot"] is None
    assert store.get_contact(contact.id).name == "Dana"
    assert store.timeline(contact.id)[-1].kind == "lead_form_cancelled"


async def test_session_start_discloses_the_bot_to_strangers(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSessionStart(store=store, settings=settings).run(
        dispatcher, make_tracker("hi"), DOMAIN
    )
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    assert dispatcher.messages[0]["response"] == "utter_disclosure"
    assert dispatcher.messages[0]["company"] == "Acme Test Co"


async def test_session_start_recognises_a_known_identity(
    store: ProfileStore, settings: Settings
) -> None:
    contact = store.update_lead_fields(
        "rest", "visitor-1", {"name": "Dana", "company": "Acme"}, "c1"
    )
    store.set_lead_status(contact.id, "captured", "c1")
    dispatcher = CollectingDispatcher()
    events = await ActionSessionStart(store=store, settings=settings).run(
        dispatcher, make_tracker("hi"), DOMAIN
    )
    slots = slot_events(events)
    assert (slots["lead_name"], slots["lead_company"], slots["lead_captured"]) == (
        "Dana",
        "Acme",
        True,
    )
    assert dispatcher.messages[0]["response"] == "utter_welcome_back"


def test_summary_lists_every_field_in_form_order() -> None:
    lines = summary_lines({"name": "Dana", "need": "faster follow-up"}, ["phone"]).splitlines()
    assert lines == [
        "- Name: Dana", "- Email: (not given)", "- Phone: (skipped)", "- Company: (not given)",
        "- Role: (not given)", "- Looking to solve: faster follow-up",
    ]  # fmt: skip
