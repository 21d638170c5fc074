"""Qualifying questions and routing with real trackers, a real store and the real rubric."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import ActionYesNoAnswer
from actions.qualify import ActionRouteLead, ActionStartQualification, ValidateQualifyForm
from bot.qualification import read_answer
from bot.settings import Settings
from bot.store import ProfileStore
from bot.types import ContactId
from tests.actions.conftest import make_tracker, responses, slot_events

DOMAIN: dict[str, Any] = {}


def _contact(store: ProfileStore) -> ContactId:
    contact = store.leads.update_fields(
        "rest", "visitor-1", {"name": "Dana", "email": "dana@acme.io"}, "visitor-1"
    )
    return contact.id


async def _validate(
    store: ProfileStore, settings: Settings, text: str, requested: str, **slots: Any
) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text, intent=slots.pop("intent", "inform"), slots={"requested_slot": requested, **slots}
    )
    events = await ValidateQualifyForm(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    return slot_events(events), responses(dispatcher)


async def test_free_text_answer_is_read_saved_and_next_question_asked(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store, settings, "we're about 40 people", "qual_company_size", contact_id=contact_id
    )
    assert slots["qual_company_size"] == "11-50"
    assert slots["requested_slot"] == "qual_authority"
    assert said == []
    assert store.leads.qualification(contact_id)["company_size"] == "11-50"


async def test_an_earlier_answer_corrected_in_a_later_one_is_replaced(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    store.leads.record_qualification(
        contact_id, {"company_size": "11-50"}, channel="rest", conversation_id="visitor-1"
    )
    said = "I prepare it, my boss signs. And sorry, a correction: we are about 90 people."
    slots, _ = await _validate(
        store, settings, said, "qual_authority", contact_id=contact_id, qual_company_size="11-50"
    )
    assert slots["qual_company_size"] == "51-200"
    assert store.leads.qualification(contact_id)["company_size"] == "51-200"
    # Said again in passing, without a correction, the first answer stands.
    slots, _ = await _validate(
        store, settings, "we're 90 and I decide", "qual_authority", contact_id=contact_id,
        qual_company_size="11-50",
    )  # fmt: skip
    assert "qual_company_size" not in slots


async def test_a_skip_condition_leaves_the_question_out(
    store: ProfileStore, settings: Settings, tmp_path: Path
) -> None:
    questions = tmp_path / "qualification.yml"
    questions.write_text(
        "questions:\n  - field: company_size\n  - field: authority\n  - field: budget\n"
        "    skip_when: {company_size: ['1-10']}\n  - field: timeline\n",
        encoding="utf-8",
    )
    contact_id = _contact(store)
    slots, _ = await _validate(
        store,
        replace(settings, qualification_file=questions),
        "I decide",
        "qual_authority",
        contact_id=contact_id,
        qual_company_size="1-10",
    )
    assert slots["qual_authority"] == "decides"
    assert slots["requested_slot"] == "qual_timeline"


async def test_a_small_company_is_asked_its_budget_too(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, _ = await _validate(
        store,
        settings,
        "I decide",
        "qual_authority",
        contact_id=contact_id,
        qual_company_size="1-10",
    )
    assert slots["requested_slot"] == "qual_budget"


async def test_unreadable_answer_is_asked_again_then_set_aside(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store, settings, "purple elephants", "qual_budget", contact_id=contact_id
    )
    assert slots["requested_slot"] == "qual_budget"
    assert said == ["utter_qualify_not_understood"]
    slots, said = await _validate(
        store, settings, "purple elephants", "qual_budget", contact_id=contact_id, qual_attempts=1
    )
    assert "budget" in slots["qual_skipped"]
    assert said == ["utter_qualify_skipped"]
    assert "budget" not in store.leads.qualification(contact_id)


async def test_not_sure_skips_at_once(store: ProfileStore, settings: Settings) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store,
        settings,
        "not sure",
        "qual_budget",
        contact_id=contact_id,
        qual_company_size="11-50",
        qual_authority="decides",
    )
    assert slots["qual_skipped"] == ["budget"]
    assert slots["requested_slot"] == "qual_timeline"
    assert said == ["utter_qualify_skipped"]


async def test_a_question_is_not_an_answer(store: ProfileStore, settings: Settings) -> None:
    contact_id = _contact(store)
    slots, _ = await _validate(
        store,
        settings,
        "are you a bot?",
        "qual_timeline",
        contact_id=contact_id,
        intent="bot_challenge",
    )
    assert slots == {}


async def test_start_asks_only_what_is_unknown(store: ProfileStore, settings: Settings) -> None:
    contact_id = _contact(store)
    store.leads.record_qualification(
        contact_id,
        {"company_size": "51-200", "authority": "decides"},
        channel="rest",
        conversation_id="earlier",
    )
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("yes", intent="affirm", slots={"contact_id": contact_id})
    events = await ActionStartQualification(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    slots = slot_events(events)
    assert slots["qual_company_size"] == "51-200"
    assert slots["requested_slot"] == "qual_budget"
    assert FollowupAction("qualify_form") in events


async def test_start_routes_at_once_when_all_is_known(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    store.leads.record_qualification(
        contact_id,
        {"company_size": "51-200", "authority": "decides", "budget": "over_50k", "timeline": "now"},
        channel="rest",
        conversation_id="earlier",
    )
    tracker = make_tracker("yes", intent="affirm", slots={"contact_id": contact_id})
    events = await ActionStartQualification(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert FollowupAction("action_route_lead") in events


async def test_a_strong_lead_is_offered_a_person_and_a_weak_one_a_close(
    store: ProfileStore, settings: Settings
) -> None:
    strong = _contact(store)
    store.leads.update_fields("rest", "visitor-1", {"role": "VP of Marketing"}, "visitor-1")
    store.leads.record_qualification(
        strong,
        {
            "company_size": "201-1000",
            "authority": "decides",
            "budget": "over_50k",
            "timeline": "now",
        },
        channel="rest",
        conversation_id="visitor-1",
    )
    store.contacts.record_event(strong, "requested_demo", {})
    store.contacts.record_event(strong, "asked_pricing", {})
    dispatcher = CollectingDispatcher()
    events = await ActionRouteLead(store=store, settings=settings).run(
        dispatcher, make_tracker("x", slots={"contact_id": strong, "lead_name": "Dana"}), DOMAIN
    )
    assert slot_events(events)["lead_grade"] == "A"
    assert responses(dispatcher) == ["utter_route_hot"]

    weak = store.leads.update_fields("rest", "visitor-2", {"name": "Sam"}, "visitor-2").id
    store.leads.record_qualification(
        weak,
        {"company_size": "1-10", "authority": "researching", "timeline": "later"},
        channel="rest",
        conversation_id="visitor-2",
    )
    dispatcher = CollectingDispatcher()
    events = await ActionRouteLead(store=store, settings=settings).run(
        dispatcher,
        make_tracker("x", sender="visitor-2", slots={"contact_id": weak, "lead_name": "Sam"}),
        DOMAIN,
    )
    assert slot_events(events)["lead_grade"] in ("C", "D")
    assert responses(dispatcher) == ["utter_route_close"]

    # The same weak lead, having asked for a demo: offered a time, as the form promised.
    came_for_a_demo = make_tracker(
        "x", sender="visitor-2", slots={"contact_id": weak, "lead_name": "Sam"}
    )
    came_for_a_demo.events.insert(
        0,
        {
            "event": "user",
            "text": "can I get a demo next week",
            "parse_data": {"intent": {"name": "request_demo", "confidence": 0.97}},
        },
    )
    dispatcher = CollectingDispatcher()
    events = await ActionRouteLead(store=store, settings=settings).run(
        dispatcher, came_for_a_demo, DOMAIN
    )
    assert responses(dispatcher) == ["utter_route_booking"]
    assert slot_events(events)["yes_no_question"] == "meeting"


def _said(text: str, intent: str, confidence: float) -> dict[str, Any]:
    parsed = {"intent": {"name": intent, "confidence": confidence}}
    return {"event": "user", "text": text, "parse_data": parsed}


async def test_only_words_that_ask_count_as_a_pricing_question_or_a_demo_request(
    store: ProfileStore, settings: Settings
) -> None:
    # As classified in a real conversation: the company and the timeline, answers to the
    # bot's questions, came back as ask_pricing; they made a C lead a B one.
    contact_id = _contact(store)
    store.leads.record_qualification(
        contact_id,
        {"company_size": "1-10", "authority": "influences", "budget": "1k_10k",
         "timeline": "quarter"},
        channel="rest", conversation_id="visitor-1",
    )  # fmt: skip
    tracker = make_tracker("in a few months", slots={"contact_id": contact_id, "lead_name": "Pri"})
    tracker.events[:0] = [
        _said("Small Team Co", "ask_pricing", 0.56),
        _said("in a few months", "ask_pricing", 0.63),
        _said("Acme Demolition", "request_demo", 0.61),
    ]
    events = await ActionRouteLead(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    kinds = {e.kind for e in store.contacts.timeline(contact_id)}
    assert not kinds & {"asked_pricing", "requested_demo"}
    assert slot_events(events)["lead_grade"] == "C"

    # Asked in words (or with the button), they count, once each.
    tracker.events[:0] = [
        _said("how much does it cost?", "ask_pricing", 0.98),
        _said("/request_demo", "request_demo", 1.0),
        _said("what does it cost per seat", "ask_pricing", 0.9),
    ]
    await ActionRouteLead(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    kinds_seen = [e.kind for e in store.contacts.timeline(contact_id)]
    assert kinds_seen.count("asked_pricing") == 1
    assert kinds_seen.count("requested_demo") == 1


# ---- (#18) The offers are yes/no questions (actions/clarify.py).


async def offer_answer(
    store: ProfileStore, settings: Settings, text: str, question: str, **slots: Any
) -> tuple[list[dict[str, Any]], list[str]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        text,
        intent=slots.pop("intent", "affirm"),
        slots={"yes_no_pending": True, "yes_no_question": question, "yes_no_unclear": 0, **slots},
    )
    events = await ActionYesNoAnswer(store=store, settings=settings).run(dispatcher, tracker, {})
    return events, responses(dispatcher)


def followups(events: list[dict[str, Any]]) -> list[Any]:
    return [e["name"] for e in events if e.get("event") == "followup"]


async def test_routing_opens_the_offer_question(store: ProfileStore, settings: Settings) -> None:
    weak = _contact(store)
    events = await ActionRouteLead(store=store, settings=settings).run(
        CollectingDispatcher(), make_tracker("x", slots={"contact_id": weak}), DOMAIN
    )
    slots = slot_events(events)
    assert slots["yes_no_question"] in ("offer", "meeting", "close")
    assert slots["yes_no_pending"] is (slots["yes_no_question"] != "close")


async def test_a_yes_to_an_either_or_offer_asks_which(
    store: ProfileStore, settings: Settings
) -> None:
    events, said = await offer_answer(store, settings, "yes", "offer")
    assert said == ["utter_offer_which"] and followups(events) == ["action_listen"]
    events, said = await offer_answer(store, settings, "yes please", "offer", yes_no_unclear=1)
    assert said == ["utter_route_declined"]
    events, _ = await offer_answer(store, settings, "yes, book a time please", "offer")
    assert followups(events) == ["action_start_booking"]
    events, _ = await offer_answer(store, settings, "the first one", "offer", intent="inform")
    assert followups(events) == ["action_human_handoff"]
    events, said = await offer_answer(
        store, settings, "not at the moment", "offer", intent="cancel"
    )
    assert said == ["utter_route_declined"]


async def test_a_yes_to_a_meeting_books_and_unclear_is_asked_once(
    store: ProfileStore, settings: Settings
) -> None:
    events, _ = await offer_answer(store, settings, "go on then", "meeting")
    assert followups(events) == ["action_start_booking"]
    events, said = await offer_answer(store, settings, "hmm", "meeting", intent="nlu_fallback")
    assert said == ["utter_clarify_meeting"]
    _, said = await offer_answer(
        store, settings, "hmm", "meeting", intent="nlu_fallback", yes_no_unclear=1
    )
    assert said == ["utter_route_declined"]


async def test_a_person_asked_for_at_the_meeting_offer_is_a_handoff(
    store: ProfileStore, settings: Settings
) -> None:
    events, _ = await offer_answer(store, settings, "yeah put me through to someone now", "meeting")
    assert followups(events) == ["action_human_handoff"]
    events, _ = await offer_answer(store, settings, "yes, a call next week suits", "meeting")
    assert followups(events) == ["action_start_booking"]


async def test_anything_else_after_a_close(store: ProfileStore, settings: Settings) -> None:
    _, said = await offer_answer(store, settings, "no thanks", "close", intent="deny")
    assert said == ["utter_route_declined"]
    _, said = await offer_answer(store, settings, "yes", "close")
    assert said == ["utter_greet"]


async def test_a_lead_detail_corrected_while_qualifying_is_not_an_answer(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    for text, intent in [
        ("sorry, the company should be Globex", "correct_detail"),
        ("oh and my email is dana@globex.com", "inform"),
    ]:
        slots, said = await _validate(
            store, settings, text, "qual_company_size", contact_id=contact_id, intent=intent
        )
        assert (slots, said) == ({}, [])
    slots, _ = await _validate(
        store, settings, "about 40 of us", "qual_company_size", contact_id=contact_id
    )
    assert slots["qual_company_size"] == "11-50"


def test_only_words_that_ask_for_a_person_count_as_asking() -> None:
    from actions.qualify import asked_for_person

    def said(text: str, intent: str) -> Any:
        return make_tracker(text, intent=intent)

    # A role answered in the form, classified as a sales request, asks for nobody.
    assert not asked_for_person(said("operations lead", "talk_to_sales"))
    assert asked_for_person(said("can I talk to a real person", "human_handoff"))
    assert asked_for_person(said("connect me with your sales team", "talk_to_sales"))
    assert asked_for_person(said("/talk_to_sales", "talk_to_sales"))


async def test_a_person_asked_for_still_gets_the_questions_then_the_handoff(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    dispatcher = CollectingDispatcher()
    asked = {"contact_id": contact_id, "handoff_requested": True}
    tracker = make_tracker("yes", intent="affirm", slots=asked)
    events = await ActionStartQualification(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_qualify_intro_handoff"]
    assert FollowupAction("qualify_form") in events
    routed = await ActionRouteLead(store=store, settings=settings).run(
        CollectingDispatcher(), make_tracker("now", slots=asked), DOMAIN
    )
    assert followups(routed) == ["action_human_handoff"]


async def test_a_person_asked_for_twice_skips_the_questions(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    tracker = make_tracker("yes", intent="affirm", slots={"contact_id": contact_id})
    tracker.events.append({"event": "bot", "metadata": {"utter_action": "utter_handoff_insisted"}})
    tracker.slots["handoff_requested"] = True
    events = await ActionStartQualification(store=store, settings=settings).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert followups(events) == ["action_human_handoff"]


async def test_a_budget_in_pesos_is_read_in_the_currency_of_the_persons_phone(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    store.leads.update_fields("rest", "visitor-1", {"phone": "+52 55 1234 5678"}, "visitor-1")
    slots, said = await _validate(
        store,
        settings,
        "around three hundred thousand pesos per year",
        "qual_budget",
        contact_id=contact_id,
    )
    assert slots["qual_budget"] == "10k_50k" and said == []
    assert store.leads.qualification(contact_id)["budget"] == "10k_50k"


async def test_a_budget_in_pesos_is_read_in_the_currency_of_the_persons_email(
    store: ProfileStore, settings: Settings
) -> None:
    contact = store.leads.update_fields(
        "rest", "visitor-1", {"name": "Jas", "email": "jas@cebuconnect.ph"}, "visitor-1"
    )
    slots, said = await _validate(
        store, settings, "Maybe 30,000 pesos a month?", "qual_budget", contact_id=contact.id
    )
    assert slots["qual_budget"] == "1k_10k" and said == []


async def test_a_question_said_again_after_its_answer_counts_as_a_try(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    said = "and how long have you lot been around?"
    tracker = make_tracker(
        said,
        intent="nlu_fallback",
        confidence=0.3,
        slots={"requested_slot": "qual_budget", "contact_id": contact_id},
    )
    # The rules answered it once already; said again, it is a try at the question.
    tracker.events[:0] = [
        {"event": "user", "text": said},
        {"event": "bot", "text": "Sorry, I didn't catch that."},
    ]
    dispatcher = CollectingDispatcher()
    events = await ValidateQualifyForm(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    assert responses(dispatcher) == ["utter_qualify_not_understood"]
    assert slot_events(events)["requested_slot"] == "qual_budget"


async def test_a_bare_no_to_who_decides_is_narrowed_once_then_set_aside(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store, settings, "no", "qual_authority", contact_id=contact_id, intent="deny"
    )
    # Asked again in its follow-up wording (a say, or looking into it), as one question.
    assert said == [] and slots["qual_follow_up"] == "not_the_decider"
    assert slots["requested_slot"] == "qual_authority" and "qual_authority" not in slots
    assert "authority" not in store.leads.qualification(contact_id)
    # The button answers it.
    slots, said = await _validate(
        store,
        settings,
        "Just researching",
        "qual_authority",
        contact_id=contact_id,
        qual_attempts=1,
    )
    assert slots["qual_authority"] == "researching"
    # A second bare no is taken as not wanting to say: nothing stored, moved on.
    slots, said = await _validate(
        store,
        settings,
        "no",
        "qual_authority",
        contact_id=contact_id,
        intent="deny",
        qual_attempts=1,
    )
    assert said == ["utter_qualify_skipped"] and slots["requested_slot"] != "qual_authority"


async def test_putting_the_meeting_off_books_nothing(
    store: ProfileStore, settings: Settings
) -> None:
    events, said = await offer_answer(
        store,
        settings,
        "Maybe later, I'll check with my VP first",
        "meeting",
        intent="nlu_fallback",
    )
    assert said == ["utter_route_declined"] and "action_start_booking" not in followups(events)


async def test_asked_what_the_question_means_it_is_explained_and_asked_again_uncounted(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store,
        settings,
        "Sorry, do you mean our office or the whole group?",
        "qual_company_size",
        contact_id=contact_id,
    )
    assert said == ["utter_explain_qual_company_size"]
    assert slots["requested_slot"] == "qual_company_size"
    assert "qual_company_size" not in slots and "qual_attempts" not in slots
    _, said_budget = await _validate(
        store, settings, "per month or per year?", "qual_budget", contact_id=contact_id
    )
    assert said_budget == ["utter_explain_qual_budget"]


async def test_putting_all_the_questions_off_to_the_call_leaves_the_rest_for_the_call(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store,
        settings,
        "We can go through all of that on the call itself.",
        "qual_company_size",
        contact_id=contact_id,
    )
    assert said == ["utter_qualify_for_the_call"]
    assert {"company_size", "authority", "budget", "timeline"} <= set(slots["qual_skipped"])
    assert slots["requested_slot"] is None


async def test_putting_a_question_off_to_the_call_is_not_answered_from_the_list(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store, settings, "can we do this on the call", "qual_company_size", contact_id=contact_id
    )
    assert said[0] == "utter_qualify_skipped"
    assert slots["requested_slot"] == "qual_authority"


async def test_asking_what_the_question_means_is_not_read_as_the_answer_inside_it(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store, settings, "Do you mean do I have the final say?", "qual_authority",
        contact_id=contact_id,
    )  # fmt: skip
    assert "qual_authority" not in slots
    assert said == ["utter_explain_qual_authority"]


async def test_putting_one_question_off_to_the_call_asks_the_next(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store, settings, "we can discuss this on the call", "qual_company_size",
        contact_id=contact_id,
    )  # fmt: skip
    assert said[0] == "utter_qualify_skipped"
    assert slots["qual_skipped"] == ["company_size"]
    assert slots["requested_slot"] == "qual_authority"


async def test_not_sure_what_the_question_means_is_no_unsure_answer(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store,
        settings,
        "I am not sure what you mean, sorry.",
        "qual_authority",
        contact_id=contact_id,
    )
    assert said == ["utter_explain_qual_authority"] and slots["requested_slot"] == "qual_authority"
    assert "authority" not in slots.get("qual_skipped", [])


async def test_still_unclear_after_the_explanation_the_question_is_set_aside(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "sorry, still don't get what you mean",
        slots={"requested_slot": "qual_company_size", "contact_id": contact_id},
    )
    earlier = [
        {"event": "user", "text": "what do you mean exactly?"},
        {"event": "bot", "text": "Everyone who works for the company counts."},
        {"event": "slot", "name": "requested_slot", "value": "qual_company_size"},
    ]
    tracker.events[:0] = earlier
    events = await ValidateQualifyForm(store=store, settings=settings).run(
        dispatcher, tracker, DOMAIN
    )
    slots = slot_events(events)
    assert responses(dispatcher) == ["utter_qualify_skipped"]
    assert "company_size" in slots["qual_skipped"]
    assert slots["requested_slot"] == "qual_authority"
    # Asked of another question before, it is explained this time.
    other = make_tracker(
        "sorry, still don't get what you mean",
        slots={"requested_slot": "qual_company_size", "contact_id": contact_id},
    )
    other.events[:0] = [
        {"event": "user", "text": "what do you mean exactly?"},
        {"event": "slot", "name": "requested_slot", "value": "qual_budget"},
    ]
    dispatcher = CollectingDispatcher()
    await ValidateQualifyForm(store=store, settings=settings).run(dispatcher, other, DOMAIN)
    assert responses(dispatcher) == ["utter_explain_qual_company_size"]


async def test_not_now_but_a_meeting_later_books(store: ProfileStore, settings: Settings) -> None:
    events, said = await offer_answer(
        store,
        settings,
        "Ah not today, I'm out on site. Can we set something up for next week instead?",
        "meeting",
        intent="nlu_fallback",
    )
    assert "action_start_booking" in followups(events) and "utter_route_declined" not in said


async def test_details_by_email_instead_of_the_meeting_books_nothing(
    store: ProfileStore, settings: Settings
) -> None:
    events, said = await offer_answer(
        store, settings, "could you just email me the info instead", "meeting", intent="affirm"
    )
    assert said == ["utter_route_declined"] and "action_start_booking" not in followups(events)


async def test_yes_with_the_invite_by_email_books(store: ProfileStore, settings: Settings) -> None:
    events, _ = await offer_answer(
        store, settings, "yes please, email me the invite", "meeting", intent="affirm"
    )
    assert "action_start_booking" in followups(events)


async def test_a_question_taken_for_an_answer_is_answered_then_asked_again_uncounted(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store,
        settings,
        "so once this bit is done is somebody going to phone me",
        "qual_budget",
        contact_id=contact_id,
    )
    assert said[0] == "utter_answer_next_steps"
    assert slots["requested_slot"] == "qual_budget"
    assert "qual_budget" not in slots and "qual_attempts" not in slots


async def test_an_answer_to_follow_up_with_the_demo_in_passing_is_no_request(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    said = (
        "The partners decide, there are four of them, and they'll want to see it working "
        "first, which is rather the point of the demonstration."
    )
    slots, spoken = await _validate(
        store, settings, said, "qual_authority", contact_id=contact_id, intent="request_demo"
    )
    # Asked what their own part is, not taken off to the booking mid-question.
    assert spoken == [] and slots["qual_follow_up"] == "not_the_decider"
    assert "qual_authority" not in slots or slots["qual_authority"] is None


async def test_a_budget_not_known_without_a_price_hears_the_price_then_the_question(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store, settings, "dont know what these cost", "qual_budget", contact_id=contact_id
    )
    assert said == ["utter_pricing"]
    assert slots["requested_slot"] == "qual_budget" and "qual_budget" not in slots


async def test_the_follow_up_wording_lasts_one_question(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, _ = await _validate(
        store,
        settings,
        "I influence the decision",
        "qual_authority",
        contact_id=contact_id,
        qual_follow_up="not_the_decider",
        qual_attempts=1,
    )
    assert slots["qual_authority"] == "influences"
    assert slots["qual_follow_up"] is None


async def test_maybe_next_year_is_asked_year_or_later_with_two_buttons(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, said = await _validate(
        store, settings, "no rush, maybe next year", "qual_timeline", contact_id=contact_id
    )
    # Asked again in its follow-up wording, as one question, nothing stored.
    assert said == [] and slots["qual_follow_up"] == "year_or_later"
    assert slots["requested_slot"] == "qual_timeline" and "qual_timeline" not in slots
    assert "timeline" not in store.leads.qualification(contact_id)
    slots, said = await _validate(
        store,
        settings,
        "More than a year away",
        "qual_timeline",
        contact_id=contact_id,
        qual_attempts=1,
        qual_follow_up="year_or_later",
    )
    assert slots["qual_timeline"] == "later" and slots["qual_follow_up"] is None
    assert store.leads.qualification(contact_id)["timeline"] == "later"


def test_the_year_or_later_question_is_a_variation_with_its_two_options() -> None:
    domain = yaml.safe_load((Path(__file__).parents[2] / "domain.yml").read_text("utf-8"))
    [variation] = [
        v
        for v in domain["responses"]["utter_ask_qual_timeline"]
        if v.get("condition")
        == [{"type": "slot", "name": "qual_follow_up", "value": "year_or_later"}]
    ]
    assert [b["payload"] for b in variation["buttons"]] == [
        "Within 12 months",
        "More than a year away",
    ]
    answers = [read_answer("timeline", b["payload"]).value for b in variation["buttons"]]
    assert answers == ["year", "later"]


async def test_a_question_about_a_yearly_contract_is_no_timeline(
    store: ProfileStore, settings: Settings
) -> None:
    contact_id = _contact(store)
    slots, _ = await _validate(
        store,
        settings,
        "Is there a contract for one year or can I stop every month?",
        "qual_timeline",
        contact_id=contact_id,
        intent="ask_pricing",
    )
    assert "qual_timeline" not in slots
    assert "timeline" not in store.leads.qualification(contact_id)
