"""A grade-A lead outside office hours (#20 item 3), with real trackers, a real store and
the real rubric: it is not offered "talk to someone now" (nobody is there), but handed to
the team, told when a person will answer and offered a meeting instead."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHumanHandoff
from actions.qualify import ActionRouteLead
from bot.settings import Settings, load_settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses, slot_events


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """One hour a day, starting two hours from now: closed whenever the test runs (the
    actions conftest's store is made from these settings)."""
    opens = datetime.now(timezone.utc) + timedelta(hours=2)
    return load_settings(environ={
        "PARLEY_DATA_DIR": str(tmp_path), "PARLEY_COMPANY_NAME": "Acme Test Co",
        "PARLEY_OFFICE_HOURS": f"mon-sun {opens:%H:%M}-{opens + timedelta(hours=1):%H:%M}",
        "PARLEY_OFFICE_TIMEZONE": "UTC",
    }, dotenv=tmp_path / "none.env")  # fmt: skip


def _strong_lead(store: ProfileStore) -> str:
    dana = store.leads.update_fields("rest", "visitor-1", {
        "name": "Dana", "email": "dana@acme.io", "role": "VP of Marketing"}, "visitor-1")  # fmt: skip
    store.leads.record_qualification(dana.id, {
        "company_size": "201-1000", "authority": "decides", "budget": "over_50k",
        "timeline": "now"}, channel="rest", conversation_id="visitor-1")  # fmt: skip
    store.contacts.record_event(dana.id, "requested_demo", {})
    store.contacts.record_event(dana.id, "asked_pricing", {})
    return dana.id


async def test_a_grade_a_lead_out_of_hours_hears_when_and_is_offered_a_meeting(
    store: ProfileStore, settings: Settings
) -> None:
    dana = _strong_lead(store)
    slots = {"contact_id": dana, "lead_name": "Dana", "lead_email": "dana@acme.io"}
    dispatcher = CollectingDispatcher()
    routed = await ActionRouteLead(store=store, settings=settings).run(
        dispatcher, make_tracker("x", slots=slots), {}
    )
    assert slot_events(routed)["lead_grade"] == "A"
    assert responses(dispatcher) == []  # no "talk to someone now"
    assert [e["name"] for e in routed if e.get("event") == "followup"] == ["action_human_handoff"]

    dispatcher = CollectingDispatcher()
    handed = await ActionHumanHandoff(store=store, settings=settings).run(
        dispatcher, make_tracker("x", slots={**slots, "lead_grade": "A"}), {}
    )
    assert responses(dispatcher) == ["utter_handoff_after_hours"]
    [said] = dispatcher.messages
    assert "(UTC)" in said["when"] and said["how"] == " at dana@acme.io"
    assert slot_events(handed)["yes_no_question"] == "meeting"
    assert slot_events(handed)["handoff_open"] is False
    (handoff,) = store.privacy.export(dana)["handoffs"]
    assert (handoff["reason"], handoff["out_of_hours"]) == ("grade A lead", True)
