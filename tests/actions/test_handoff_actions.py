"""Handing a conversation to a person, per channel, with a real store."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHumanHandoff
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses

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
