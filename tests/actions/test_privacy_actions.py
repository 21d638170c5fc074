"""Data requests reach only the conversation's own contact; claims need a code."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.lead_form import ValidateLeadForm
from actions.privacy import ActionEraseMe, ActionShowMyData
from actions.verification import ActionVerifyCode, awaiting_code
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses, slot_events


def _owner_and_claimant(store: ProfileStore) -> tuple[str, str]:
    owner = store.update_lead_fields(
        "sms", "+15550002222", {"name": "Ada Owner", "email": "ada@example.com"}, "sms-2"
    )
    claimant = store.record_stated_details(
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
    assert store.find_contact(claimant) is None
    assert store.get_contact(owner).name == "Ada Owner"


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
    issued = store.issue_verification_code(
        claimant, "visitor-1", "email", "ada@example.com", "show"
    )
    assert issued.code is not None and owner != claimant
    code = make_tracker(issued.code, intent="enter_code", slots=slots)
    assert await awaiting_code(action, code)
    assert await action.run(CollectingDispatcher(), code, {}) == []  # left to the rule
