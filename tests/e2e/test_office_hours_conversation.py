"""Asking for a person outside office hours, and a grade-A lead routed then, against a
real stack (#20).

The office hours are set so that now is closed: one hour a day, starting two hours from
now (UTC), so the test holds at any time of day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack, launch, rest_id
from tests.e2e.test_qualification_conversations import HOT, answer_questions, capture_lead

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def closed_now(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    opens = datetime.now(timezone.utc) + timedelta(hours=2)
    closes = opens + timedelta(hours=1)
    running = launch(
        tmp_path_factory.mktemp("office-hours"),
        trained_model,
        PARLEY_OFFICE_HOURS=f"mon-sun {opens:%H:%M}-{closes:%H:%M}",
        PARLEY_OFFICE_TIMEZONE="UTC",
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()


def test_out_of_hours_a_person_hears_when_and_can_book_a_meeting_instead(
    closed_now: Stack, sender: str
) -> None:
    conversation = rest_id(sender)
    closed_now.store.leads.update_fields(
        "rest", conversation, {"name": "Dana Reyes", "email": "dana@acme.io"}, conversation
    )
    reply = closed_now.text(sender, "/human_handoff")
    assert "our team is away right now and back" in reply, reply
    assert "(utc)" in reply and "at dana@acme.io then" in reply, reply
    assert "would you rather book a meeting" in reply, reply
    contact = closed_now.store.contacts.for_identity("rest", conversation)
    assert contact is not None
    (handoff,) = closed_now.store.privacy.export(contact.id)["handoffs"]
    assert handoff["out_of_hours"] is True
    due = datetime.fromisoformat(handoff["reply_due_at"])
    assert timedelta(hours=1) < due - datetime.now(timezone.utc) < timedelta(hours=3)
    assert closed_now.slots(sender)["handoff_open"] is False

    reply = closed_now.text(sender, "yes please")
    assert "here are the next free times" in reply, reply


def test_out_of_hours_a_grade_a_lead_is_not_offered_someone_now(
    closed_now: Stack, sender: str
) -> None:
    details = {**HOT, "email": "dana@bigco-nightshift.com"}
    reply = capture_lead(
        closed_now, sender, "Hi, can I get a demo? And what does it cost?", details
    )
    reply = answer_questions(closed_now, sender, {
        "company_size": "we're around 400 people", "authority": "it's my call",
        "budget": "somewhere around 60k a year", "timeline": "asap",
    }, reply)  # fmt: skip
    assert "talk to someone from our team now" not in reply, reply
    assert "our team is away right now and back" in reply, reply
    assert "at dana@bigco-nightshift.com then" in reply and "book a meeting" in reply, reply
    contact = closed_now.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None
    score = closed_now.store.leads.latest_score(contact.id)
    assert score is not None and score.grade == "A"
    (handoff,) = closed_now.store.privacy.export(contact.id)["handoffs"]
    assert (handoff["reason"], handoff["out_of_hours"]) == ("grade A lead", True)
    assert "here are the next free times" in closed_now.text(sender, "yes please")
