"""Session start, submit, confirm, corrections and cancel with real trackers and a real store."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop
from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import ActionYesNoAnswer
from actions.lead import (
    ActionCancelLead,
    ActionConfirmLead,
    ActionCorrectDetail,
    ActionSubmitLead,
    summary_lines,
)
from actions.session import ActionSessionStart
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses, slot_events

LEAD = {"lead_name": "Dana", "lead_email": "dana@acme.io", "lead_company": "Acme"}
DOMAIN = {"session_config": {"carry_over_slots_to_new_session": True}}


async def test_submit_marks_captured_and_summarises(
    store: ProfileStore, settings: Settings
) -> None:
    store.leads.update_fields(
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
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and contact.lead_status == "captured"


async def test_confirm_marks_confirmed(store: ProfileStore, settings: Settings) -> None:
    dispatcher = CollectingDispatcher()
    await ActionConfirmLead(store=store, settings=settings).run(
        dispatcher, make_tracker("yes", slots=LEAD), DOMAIN
    )
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and contact.lead_status == "confirmed"
    assert dispatcher.messages[0]["name"] == "Dana"


async def test_cancel_deactivates_and_keeps_data(store: ProfileStore, settings: Settings) -> None:
    contact = store.leads.update_fields("rest", "visitor-1", {"name": "Dana"}, "visitor-1")
    tracker = make_tracker(
        "never mind", intent="cancel", slots={"contact_id": contact.id, "lead_name": "Dana"}
    )
    events = await ActionCancelLead(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert ActiveLoop(None) in events
    assert slot_events(events)["requested_slot"] is None
    assert store.contacts.get(contact.id).name == "Dana"
    assert store.contacts.timeline(contact.id)[-1].kind == "lead_form_cancelled"


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
    contact = store.leads.update_fields(
        "rest", "visitor-1", {"name": "Dana", "company": "Acme"}, "c1"
    )
    store.leads.set_status(contact.id, "captured", "c1")
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


# ---- (#18) The summary's answer, and corrections (actions/clarify.py, ActionCorrectDetail).

SUMMARY_OPEN = {**LEAD, "yes_no_pending": True, "yes_no_question": "summary", "yes_no_unclear": 0}


def followups(events: list[dict[str, Any]]) -> list[Any]:
    return [e["name"] for e in events if e.get("event") == "followup"]


def after(action: str, tracker: Tracker) -> Tracker:
    """The tracker as if `action` was the bot's last word before the latest message."""
    tracker.events.insert(0, {"event": "action", "name": action})
    return tracker


async def summary_answer(
    store: ProfileStore, settings: Settings, text: str, intent: str = "nlu_fallback", **slots: Any
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = after(
        slots.pop("previous", "action_submit_lead"),
        make_tracker(text, intent=intent, confidence=0.5, slots={**SUMMARY_OPEN, **slots}),
    )
    events = await ActionYesNoAnswer(store=store, settings=settings).run(dispatcher, tracker, {})
    return events, dispatcher


async def test_the_summary_opens_a_question_and_a_confirmed_lead_stays_confirmed(
    store: ProfileStore, settings: Settings
) -> None:
    contact = store.leads.update_fields("rest", "visitor-1", {"name": "Dana"}, "visitor-1")
    store.leads.set_status(contact.id, "confirmed", "visitor-1")
    events = await ActionSubmitLead(store=store, settings=settings).run(
        CollectingDispatcher(), make_tracker("my company is Initrode", slots=LEAD), DOMAIN
    )
    slots = slot_events(events)
    assert (slots["yes_no_pending"], slots["yes_no_question"]) == (True, "summary")
    assert store.contacts.get(contact.id).lead_status == "confirmed"


async def test_asking_for_the_demo_after_confirming_books_instead_of_summarising_again(
    store: ProfileStore, settings: Settings
) -> None:
    contact = store.leads.update_fields("rest", "visitor-1", {"name": "Dana"}, "visitor-1")
    store.leads.set_status(contact.id, "confirmed", "visitor-1")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("I'd simply like the demo arranged, thanks", intent="request_demo")
    events = await ActionSubmitLead(store=store, settings=settings).run(dispatcher, tracker, DOMAIN)
    assert followups(events) == ["action_start_booking"] and responses(dispatcher) == []


async def test_asking_for_sales_after_confirming_hands_off_instead_of_summarising_again(
    store: ProfileStore, settings: Settings
) -> None:
    contact = store.leads.update_fields("rest", "visitor-1", {"name": "Dana"}, "visitor-1")
    store.leads.set_status(contact.id, "confirmed", "visitor-1")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("please, I only want to talk to a sales person", intent="talk_to_sales")
    events = await ActionSubmitLead(store=store, settings=settings).run(dispatcher, tracker, DOMAIN)
    assert followups(events) == ["action_human_handoff"] and responses(dispatcher) == []
    # Before the details are confirmed, the summary comes first.
    store.leads.set_status(contact.id, "captured", "visitor-1")
    events = await ActionSubmitLead(store=store, settings=settings).run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_lead_summary"]


async def test_confirming_goes_on_to_consent(store: ProfileStore, settings: Settings) -> None:
    events = await ActionConfirmLead(store=store, settings=settings).run(
        CollectingDispatcher(), make_tracker("yes", slots=SUMMARY_OPEN), DOMAIN
    )
    assert followups(events) == ["action_ask_consent"]
    assert slot_events(events)["yes_no_pending"] is False


async def test_a_yes_in_own_words_confirms_and_a_bare_no_asks_what_to_change(
    store: ProfileStore, settings: Settings
) -> None:
    events, _ = await summary_answer(store, settings, "yeah righto, spot on")
    assert followups(events) == ["action_confirm_lead"]
    events, _ = await summary_answer(store, settings, "nah", intent="deny")
    assert followups(events) == ["action_correct_detail"]
    dispatcher = CollectingDispatcher()
    tracker = after("action_yes_no_answer", make_tracker("nah", intent="deny", slots=SUMMARY_OPEN))
    events = await ActionCorrectDetail(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    (message,) = dispatcher.messages
    assert message["response"] == "utter_ask_correction"
    titles = [b["title"] for b in message["buttons"]]
    assert titles[:6] == ["Name", "Email", "Phone", "Company", "Role", "Looking to solve"]
    assert followups(events) == ["action_listen"]


async def test_asked_to_put_the_summary_question_differently_it_is_not_an_unclear_answer(
    store: ProfileStore, settings: Settings
) -> None:
    events, dispatcher = await summary_answer(
        store, settings, "Sorry, could you put that differently?"
    )
    assert responses(dispatcher) == ["utter_clarify_summary"]
    assert followups(events) == ["action_listen"] and "yes_no_unclear" not in slot_events(events)
    # Its other words said already: the details are read out again, not the same words.
    events, dispatcher = await summary_answer(
        store, settings, "Sorry, could you put that differently?", yes_no_unclear=1
    )
    assert responses(dispatcher) == [] and followups(events) == ["action_submit_lead"]


async def test_asked_to_put_it_differently_a_second_time_counts_as_unclear(
    store: ProfileStore, settings: Settings
) -> None:
    said = "Sorry, can you rephrase?"
    _, dispatcher = await summary_answer(store, settings, said)
    assert responses(dispatcher) == ["utter_clarify_summary"]
    tracker_text = [said, said]
    dispatcher = CollectingDispatcher()
    tracker = after(
        "action_yes_no_answer",
        make_tracker(tracker_text[1], intent="nlu_fallback", confidence=0.5,
                     slots={**SUMMARY_OPEN, "yes_no_unclear": 1}),
    )  # fmt: skip
    tracker.events.insert(0, {"event": "user", "text": tracker_text[0]})
    await ActionYesNoAnswer(store=store, settings=settings).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_summary_unconfirmed"]


async def test_asked_to_hear_the_details_again_they_are_read_out_again(
    store: ProfileStore, settings: Settings
) -> None:
    events, dispatcher = await summary_answer(
        store, settings, "pardon, can you repeat that please", yes_no_unclear=1
    )
    assert responses(dispatcher) == [] and followups(events) == ["action_submit_lead"]


async def test_no_again_after_what_to_change_leaves_the_summary_unconfirmed(
    store: ProfileStore, settings: Settings
) -> None:
    events, dispatcher = await summary_answer(
        store, settings, "no", intent="deny", previous="action_correct_detail"
    )
    assert responses(dispatcher) == ["utter_summary_unconfirmed"]
    assert followups(events) == ["action_ask_consent"]


async def test_an_unclear_answer_is_clarified_once_then_left_unconfirmed(
    store: ProfileStore, settings: Settings
) -> None:
    events, dispatcher = await summary_answer(store, settings, "the weather is nice today")
    assert responses(dispatcher) == ["utter_clarify_summary"]
    assert slot_events(events)["yes_no_unclear"] == 1
    events, dispatcher = await summary_answer(store, settings, "erm", yes_no_unclear=1)
    assert responses(dispatcher) == ["utter_summary_unconfirmed"]
    assert followups(events) == ["action_ask_consent"]
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is None or contact.lead_status != "confirmed"


async def test_a_corrected_value_is_saved_and_the_summary_shown_again(
    store: ProfileStore, settings: Settings
) -> None:
    store.contacts.record_stated_details(
        "rest", "visitor-1", {"name": "Dana", "company": "Initech"}, "visitor-1"
    )
    tracker = make_tracker(
        "that's not right, the company should be Globex Corporation",
        intent="correct_detail",
        slots={**LEAD, "lead_company": "Initech", "skipped_fields": ["phone"]},
    )
    events = await ActionCorrectDetail(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert slot_events(events)["lead_company"] == "Globex Corporation"
    assert followups(events) == ["action_submit_lead"]
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and contact.company == "Globex Corporation"
    changes = [e.data for e in store.contacts.timeline(contact.id) if e.kind == "field_changed"]
    assert {"field": "company", "old": "Initech", "new": "Globex Corporation"} in changes


async def test_a_word_of_the_summary_said_again_spelt_otherwise_corrects_it(
    store: ProfileStore, settings: Settings
) -> None:
    """ "El apellido está mal, es Gonçalves" after Goncalves: no "no", no field named."""
    said = "El apellido está mal, es Gonzalves con z"
    shown = {"lead_name": "Marta Gonsalves", "lead_company": "Initech"}
    events, _ = await summary_answer(store, settings, said, **shown)
    assert followups(events) == ["action_correct_detail"]
    tracker = make_tracker(said, intent="nlu_fallback", slots={**LEAD, **shown})
    events = await ActionCorrectDetail(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert slot_events(events)["lead_name"] == "Marta Gonzalves"
    assert followups(events) == ["action_submit_lead"]


async def test_a_correction_read_as_the_value_shown_asks_for_the_detail_afresh(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "no, the company is initech",
        intent="correct_detail",
        slots={**LEAD, "lead_company": "Initech"},
    )
    events = await ActionCorrectDetail(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    assert slot_events(events)["requested_slot"] == "lead_company"
    assert followups(events) == ["lead_form"]
    assert responses(dispatcher) == ["utter_correction_noted"]


async def test_a_detail_named_wrong_is_asked_for_again_by_the_form(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "the email is wrong", intent="correct_detail", slots={**LEAD, "skipped_fields": ["phone"]}
    )
    events = await ActionCorrectDetail(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    slots = slot_events(events)
    assert slots["lead_email"] is None and slots["requested_slot"] == "lead_email"
    assert slots["skipped_fields"] == ["phone"]
    assert followups(events) == ["lead_form"]
    assert responses(dispatcher) == ["utter_correction_noted"]


async def test_an_unreadable_new_value_is_asked_for_again(
    store: ProfileStore, settings: Settings
) -> None:
    tracker = make_tracker("change my email to dana at acme", intent="correct_detail", slots=LEAD)
    events = await ActionCorrectDetail(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert slot_events(events)["requested_slot"] == "lead_email"
    assert store.contacts.for_identity("rest", "visitor-1") is None


async def test_a_detail_never_given_leaves_the_summary_and_the_profile(
    store: ProfileStore, settings: Settings
) -> None:
    store.contacts.record_stated_details(
        "rest", "visitor-1", {"name": "Dana", "phone": "+14155550134"}, "visitor-1"
    )
    tracker = make_tracker(
        "i never gave you a phone number",
        intent="correct_detail",
        slots={**LEAD, "lead_phone": "+14155550134"},
    )
    events = await ActionCorrectDetail(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert slot_events(events)["lead_phone"] is None
    assert "phone" in slot_events(events)["skipped_fields"]
    assert followups(events) == ["action_submit_lead"]
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and contact.phone is None and contact.name == "Dana"


async def test_a_corrected_number_is_read_where_the_email_says_the_person_is(
    store: ProfileStore, settings: Settings
) -> None:
    tracker = make_tracker(
        "no the number is wrong it is zero three zero two three one two five six zero nine",
        intent="correct_detail",
        slots={**LEAD, "lead_email": "k.vonstetten@alpenblick-reisen.de"},
    )
    events = await ActionCorrectDetail(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert slot_events(events)["lead_phone"] == "+493023125609"
