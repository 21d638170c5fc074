"""Data requests reach only the conversation's own contact; claims need a code."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import ActionYesNoAnswer
from actions.lead_form import ValidateLeadForm
from actions.privacy import ActionAskErasure, ActionEraseMe, ActionPrivacyLookup, ActionShowMyData
from actions.verification import ActionVerifyCode, awaiting_code
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses, slot_events


def _owner_and_claimant(store: ProfileStore) -> tuple[str, str]:
    owner = store.leads.update_fields(
        "sms", "+15550002222", {"name": "Ada Owner", "email": "ada@example.com"}, "sms-2"
    )
    claimant = store.contacts.record_stated_details(
        "rest", "visitor-1", {"name": "Mal", "email": "ada@example.com"}, "visitor-1"
    )
    return owner.id, claimant.id


async def test_show_without_a_way_to_send_codes_says_so_plainly(
    store: ProfileStore, settings: Settings
) -> None:
    _owner_and_claimant(store)
    dispatcher = CollectingDispatcher()
    await ActionShowMyData(store=store, settings=settings).run(
        dispatcher, make_tracker("what do you know about me", intent="request_data"), {}
    )
    assert responses(dispatcher) == ["utter_my_data", "utter_cannot_verify"]
    summary = dispatcher.messages[0]["summary"]
    assert "Mal" in summary and "Ada" not in summary
    assert dispatcher.messages[1]["privacy_contact"] == settings.privacy_contact


async def test_erase_without_a_way_to_send_codes_erases_only_the_claimant(
    store: ProfileStore, settings: Settings
) -> None:
    owner, claimant = _owner_and_claimant(store)
    dispatcher = CollectingDispatcher()
    await ActionEraseMe(store=store, settings=settings).run(
        dispatcher, make_tracker("yes", intent="affirm"), {}
    )
    assert responses(dispatcher) == ["utter_erased", "utter_cannot_verify"]
    assert store.contacts.find(claimant) is None
    assert store.contacts.get(owner).name == "Ada Owner"


async def test_a_code_nobody_sent_is_not_expected(store: ProfileStore, settings: Settings) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("123456", intent="enter_code", message_id="m1")
    events = await ActionVerifyCode(store=store, settings=settings).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_no_code_expected"]
    assert slot_events(events) == {"form_read_until": "m1"}


async def test_six_digits_in_a_form_are_an_answer_unless_a_code_was_sent(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots = {"requested_slot": "lead_phone", "lead_name": "Mal"}
    budget = make_tracker("500000", intent="enter_code", slots=slots)
    assert not await awaiting_code(action, budget)
    owner, claimant = _owner_and_claimant(store)
    issued = store.contacts.issue_verification_code(
        claimant, "visitor-1", "email", "ada@example.com", "show"
    )
    assert issued.code is not None and owner != claimant
    code = make_tracker(issued.code, intent="enter_code", slots=slots)
    assert await awaiting_code(action, code)
    assert await action.run(CollectingDispatcher(), code, {}) == []  # left to the rule


# ---- (#18) "Delete everything?" answered in people's own words (actions/clarify.py).

ERASURE_OPEN = {"yes_no_pending": True, "yes_no_question": "erasure", "yes_no_unclear": 0}


async def erasure_answer(
    store: ProfileStore, settings: Settings, text: str, intent: str = "nlu_fallback", **slots: Any
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, intent=intent, confidence=0.5, slots={**ERASURE_OPEN, **slots})
    events = await ActionYesNoAnswer(store=store, settings=settings).run(dispatcher, tracker, {})
    return events, dispatcher


def followups(events: list[dict[str, Any]]) -> list[Any]:
    return [e["name"] for e in events if e.get("event") == "followup"]


@pytest.mark.parametrize(
    ("said", "erased"),
    [
        ("i just want it all gone please", True),
        ("get rid of everything", True),
        ("please don't delete it, I was only asking", False),
    ],
)
async def test_the_wish_said_in_own_words_answers_the_erasure_question(
    store: ProfileStore, settings: Settings, said: str, erased: bool
) -> None:
    events, _ = await erasure_answer(store, settings, said)
    assert (followups(events) == ["action_erase_me"]) is erased


async def test_asking_opens_the_erasure_question(store: ProfileStore, settings: Settings) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAskErasure().run(dispatcher, make_tracker("delete my data"), {})
    assert responses(dispatcher) == ["utter_confirm_erasure"]
    assert slot_events(events)["yes_no_question"] == "erasure"


async def test_yes_and_no_in_own_words(store: ProfileStore, settings: Settings) -> None:
    events, _ = await erasure_answer(store, settings, "aye, go on")
    assert followups(events) == ["action_erase_me"]
    events, _ = await erasure_answer(
        store, settings, "yes, get rid of it", intent="request_erasure"
    )
    assert followups(events) == ["action_erase_me"]
    events, dispatcher = await erasure_answer(store, settings, "nah, leave it")
    assert responses(dispatcher) == ["utter_erasure_kept"]
    assert slot_events(events)["yes_no_pending"] is False


async def test_a_question_about_the_erasure_is_answered_and_withdraws_nothing(
    store: ProfileStore, settings: Settings
) -> None:
    contact = store.leads.update_fields("rest", "visitor-1", {"name": "Dana"}, "visitor-1")
    said = "Before I say yes: will that also take me off your mailing lists?"
    events, dispatcher = await erasure_answer(store, settings, said, intent="opt_out")
    assert responses(dispatcher) == ["utter_erasure_explained"]
    assert followups(events) == ["action_listen"] and "yes_no_pending" not in slot_events(events)
    assert store.contacts.get(contact.id).name == "Dana"
    assert not [e for e in store.contacts.timeline(contact.id) if "withdr" in e.kind]


async def test_two_unclear_answers_pass_the_request_to_the_privacy_team(
    store: ProfileStore, settings: Settings
) -> None:
    contact = store.leads.update_fields("rest", "visitor-1", {"name": "Dana"}, "visitor-1")
    events, dispatcher = await erasure_answer(store, settings, "hmm")
    assert responses(dispatcher) == ["utter_clarify_erasure"]
    events, dispatcher = await erasure_answer(store, settings, "dunno really", yes_no_unclear=1)
    assert responses(dispatcher) == ["utter_erasure_referred"]
    assert dispatcher.messages[0]["privacy_contact"] == settings.privacy_contact
    assert store.contacts.get(contact.id).name == "Dana"  # nothing erased
    (referral,) = [e for e in store.contacts.timeline(contact.id) if e.kind == "erasure_referred"]
    assert referral.data["conversation_id"] == "visitor-1"
    assert store.privacy.audit_entries()[0].action == "erasure_referred"
    assert slot_events(events)["yes_no_pending"] is False


async def test_a_referral_without_data_says_so(store: ProfileStore, settings: Settings) -> None:
    _, dispatcher = await erasure_answer(store, settings, "whatever", yes_no_unclear=1)
    assert responses(dispatcher) == ["utter_erasure_no_data"]


async def test_a_stranger_is_asked_once_for_the_address_they_used(
    store: ProfileStore, settings: Settings
) -> None:
    show = ActionShowMyData(store=store, settings=settings)
    dispatcher = CollectingDispatcher()
    events = await show.run(
        dispatcher, make_tracker("what do you hold on me", intent="request_data"), {}
    )
    assert responses(dispatcher) == ["utter_no_data", "utter_ask_lookup_address"]
    # Asked in the lead form (make_tracker's): the address is the question now, and the
    # form's own question does not follow it (the answer would go to the form).
    assert slot_events(events) == {"privacy_lookup": "waiting", "requested_slot": None}
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]
    assert events[-1]["event"] == "followup" and events[-1]["name"] == "action_listen"
    again = CollectingDispatcher()
    asked = make_tracker(
        "and what do you hold", intent="request_data", slots={"privacy_lookup": "waiting"}
    )
    assert await show.run(again, asked, {}) == []
    assert responses(again) == ["utter_no_data"]


async def test_a_named_address_someone_holds_becomes_a_claim_not_a_detail(
    store: ProfileStore, settings: Settings
) -> None:
    owner = store.leads.update_fields("sms", "+15550003333", {"email": "bo@example.com"}, "sms-3")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("it's bo@example.com", slots={"privacy_lookup": "waiting"})
    events = await ActionPrivacyLookup(store=store, settings=settings).run(dispatcher, tracker, {})
    # No mail sender here: said without naming who holds the address.
    assert responses(dispatcher) == ["utter_lookup_cannot_verify"]
    assert slot_events(events)["privacy_lookup"] == "done"
    here = store.contacts.for_identity("rest", "visitor-1")
    assert here is not None and here.id != owner.id and here.email is None
    assert [claim.value for claim in store.contacts.open_claims(here.id)] == ["bo@example.com"]


async def test_a_named_address_nobody_holds_is_not_stored_and_gets_the_same_reply(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("it's nobody@example.com", slots={"privacy_lookup": "waiting"})
    events = await ActionPrivacyLookup(store=store, settings=settings).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_lookup_cannot_verify"]
    assert slot_events(events) == {"privacy_lookup": "done"}
    assert store.contacts.for_identity("rest", "visitor-1") is None


async def test_an_address_that_cannot_be_read_ends_the_lookup_plainly(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "the one ending in 44 I think", intent="nlu_fallback", slots={"privacy_lookup": "waiting"}
    )
    events = await ActionPrivacyLookup(store=store, settings=settings).run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_lookup_no_address"]
    assert slot_events(events) == {"privacy_lookup": "done"}
    assert store.contacts.for_identity("rest", "visitor-1") is None


@pytest.mark.parametrize(
    ("said", "intent", "usual"),
    [
        ("ok thanks, that's all", "nlu_fallback", "utter_goodbye"),
        ("purple monkey dishwasher", "nlu_fallback", "utter_fallback_rephrase"),
        ("tell me a joke", "out_of_scope", "utter_out_of_scope"),
    ],
)
async def test_no_address_at_all_gets_the_usual_answer_and_ends_the_turn(
    store: ProfileStore, settings: Settings, said: str, intent: str, usual: str
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(said, intent=intent, slots={"privacy_lookup": "waiting"})
    # Asked for their data a turn before: this is no opener.
    tracker.events[:0] = [
        {"event": "user", "text": "what do you hold on me?", "parse_data": {}},
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_lookup_ask_address"}},
    ]
    events = await ActionPrivacyLookup(store=store, settings=settings).run(dispatcher, tracker, {})
    assert responses(dispatcher) == [usual]
    # Ended here: the fallback handed on as a follow-up went round the rules ten times.
    assert [e.get("name") for e in events if e["event"] == "followup"] == ["action_listen"]
