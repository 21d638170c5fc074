"""Answers from the list of common questions (knowledge.yml), with real rasa-sdk trackers:
off-topic and small talk, the fallback, and a question in place of a form's answer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (
    START_BUTTONS,
    ActionAnswer,
    ActionChitchat,
    ActionOutOfScope,
    ActionPricing,
)
from actions.fallback import REPHRASE, ActionFallback
from actions.lead_form import ValidateLeadForm
from bot import knowledge
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, slot_events
from tests.actions.test_answer_actions import bot, tracker, user

SHIPPED = {e.id: e for e in knowledge.load(Path("knowledge.yml")).entries}


async def said(action: Any, t: Any) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, t, {})
    messages: list[dict[str, Any]] = dispatcher.messages
    return messages


async def test_an_off_topic_question_on_the_list_gets_its_answer(settings: Settings) -> None:
    [message] = await said(
        ActionOutOfScope(settings=settings),
        tracker([user("hey, does your bot speak italian?", "out_of_scope")]),
    )
    assert message["text"] == SHIPPED["languages"].answer
    assert message["buttons"] == START_BUTTONS


async def test_off_topic_and_small_talk_not_on_the_list_get_the_usual_words(
    settings: Settings,
) -> None:
    [off] = await said(
        ActionOutOfScope(settings=settings), tracker([user("tell me a joke", "out_of_scope")])
    )
    assert off["response"] == "utter_out_of_scope"
    [small] = await said(
        ActionChitchat(settings=settings), tracker([user("how are you today?", "chitchat")])
    )
    assert small["response"] == "utter_chitchat"


async def test_the_channel_variant_is_what_a_caller_hears(settings: Settings) -> None:
    asked = user("could customers reach this thing on whatsapp?", "out_of_scope")
    asked["parse_data"]["metadata"]["parley_channel"] = "voice"
    [message] = await said(ActionOutOfScope(settings=settings), tracker([asked]))
    assert message["text"] == SHIPPED["channels"].variants["voice"]


async def test_the_fallback_answers_from_the_list_and_keeps_its_ladder(settings: Settings) -> None:
    action = ActionFallback(settings=settings)
    question = user("r u guys gdpr complient??")
    [answer] = await said(action, tracker([question]))
    assert answer["text"] == SHIPPED["gdpr"].answer
    # The next message nobody understands starts the ladder at its first rung.
    [rung] = await said(action, tracker([question, bot(""), user("blorp zap")]))
    assert rung["response"] == REPHRASE


async def test_a_question_in_place_of_a_name_is_answered_and_nothing_is_stored(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ValidateLeadForm(store=store, settings=settings).run(
        dispatcher,
        make_tracker(
            "does the chat even work on an android phone?", slots={"requested_slot": "lead_name"}
        ),
        {},
    )
    assert events == [] and slot_events(events) == {}
    assert [m["text"] for m in dispatcher.messages] == [SHIPPED["mobile"].answer]
    assert store.contacts.for_identity("rest", "visitor-1") is None


async def test_an_answer_that_shares_words_with_the_list_is_still_an_answer(
    store: ProfileStore, settings: Settings
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ValidateLeadForm(store=store, settings=settings).run(
        dispatcher,
        make_tracker("Spanish Fork Dental", slots={"requested_slot": "lead_company"}),
        {},
    )
    assert slot_events(events)["lead_company"] == "Spanish Fork Dental"


async def test_a_new_entry_is_answered_once_the_file_changes(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "knowledge.yml"
    mine = replace(settings, knowledge_file=path)
    asked = tracker([user("any discount for charities?", "out_of_scope")])
    [before] = await said(ActionOutOfScope(settings=mine), asked)
    assert before["response"] == "utter_out_of_scope"
    entry = knowledge.Entry(
        "nonprofit", ("Do you offer a nonprofit discount?", "discounts for charities"), "30% off."
    )
    path.write_text(knowledge.dump([entry]), encoding="utf-8")
    [after] = await said(ActionOutOfScope(settings=mine), asked)
    assert after["text"] == "30% off."


async def test_a_list_broken_by_hand_answers_nothing_and_breaks_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "knowledge.yml"
    path.write_text("answers: [{id: x, questions: [one only], answer: ''}]\n", encoding="utf-8")
    [message] = await said(
        ActionOutOfScope(settings=replace(settings, knowledge_file=path)),
        tracker([user("is it available in japan?", "out_of_scope")]),
    )
    assert message["response"] == "utter_out_of_scope"


async def test_a_clear_entry_replaces_the_general_answer_but_not_a_loose_one(
    settings: Settings,
) -> None:
    [mine] = await said(
        ActionAnswer(settings=settings),
        tracker([user("does it integrate with whatsapp?", "ask_integrations")]),
    )
    assert mine["text"] == SHIPPED["channels"].answer
    [general] = await said(
        ActionAnswer(settings=settings),
        tracker([user("does it connect to salesforce?", "ask_integrations")]),
    )
    assert general["response"] == "utter_answer_integrations"


async def test_the_same_entry_is_not_said_twice_in_a_row(settings: Settings) -> None:
    question = user("do you speak german?", "out_of_scope")
    answered = {"event": "bot", "text": SHIPPED["languages"].answer, "metadata": {}}
    [again] = await said(
        ActionOutOfScope(settings=settings), tracker([question, answered, question])
    )
    assert again["response"] == "utter_out_of_scope"


async def test_pricing_unless_an_entry_clearly_fits_the_question(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "knowledge.yml"
    entry = knowledge.Entry(
        "trial", ("Is there a free trial?", "Can I try it before I pay?"), "Yes, 14 days."
    )
    path.write_text(knowledge.dump([entry]), encoding="utf-8")
    action = ActionPricing(settings=replace(settings, knowledge_file=path))
    [trial] = await said(action, tracker([user("do you offer a free trial?", "ask_pricing")]))
    assert trial == {**trial, "text": "Yes, 14 days.", "buttons": []}
    [price] = await said(action, tracker([user("how much is it per month?", "ask_pricing")]))
    assert price["response"] == "utter_pricing"


async def test_a_request_about_the_person_is_never_answered_from_the_list(
    settings: Settings,
) -> None:
    asked = user("where's my data stored, what do you hold on me?")
    asked["parse_data"]["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "request_data", "confidence": 0.41},
    ]
    earlier = [user("hi", "greet"), bot("utter_greet")]
    [rung] = await said(ActionFallback(settings=settings), tracker([*earlier, asked]))
    assert rung["response"] == REPHRASE
    # The same words, guessed as a product question, get the list's answer.
    asked["parse_data"]["intent_ranking"][1]["name"] = "ask_capabilities"
    [answer] = await said(ActionFallback(settings=settings), tracker([asked]))
    assert answer["text"] == SHIPPED["self_hosting"].answer


async def test_a_statement_is_not_taken_for_a_question(settings: Settings) -> None:
    [message] = await said(
        ActionOutOfScope(settings=settings), tracker([user("so long", "out_of_scope")])
    )
    assert message["response"] == "utter_out_of_scope"


async def test_two_questions_in_one_message_get_both_answers(settings: Settings) -> None:
    messages = await said(
        ActionPricing(settings=settings),
        tracker([user("Can it hook into Pipedrive? And is it priced per seat?", "ask_pricing")]),
    )
    assert [m["response"] for m in messages] == ["utter_pricing", "utter_answer_integrations"]
    messages = await said(
        ActionAnswer(settings=settings),
        tracker([user("what would it do for a florist, and how much is it?", "request_info")]),
    )
    assert [m["response"] for m in messages] == ["utter_answer_what_it_does", "utter_pricing"]


async def test_a_common_question_the_classifier_missed_is_answered_not_put_another_way(
    settings: Settings,
) -> None:
    [answer] = await said(
        ActionFallback(settings=settings),
        tracker([user("we're a small physio clinic. where would all those notes be kept?")]),
    )
    assert answer["response"] == "utter_answer_data_use"
    [off] = await said(
        ActionOutOfScope(settings=settings),
        tracker([user("we sell candles. is there a free trial?", "out_of_scope")]),
    )
    assert off["response"] == "utter_pricing"


async def test_a_need_told_at_length_the_classifier_could_not_place_is_the_answer(
    store: ProfileStore, settings: Settings
) -> None:
    said = (
        "What happens is customers message us on Sunday evenings and nobody sees it "
        "until Tuesday, by then they've booked elsewhere"
    )
    told = make_tracker(
        said,
        intent="nlu_fallback",
        confidence=0.4,
        slots={"requested_slot": "lead_need", "lead_name": "Ola", "lead_email": "ola@x.no"},
    )
    told.active_loop = {"name": "lead_form"}
    dispatcher = CollectingDispatcher()
    events = await ActionFallback(store=store, settings=settings).run(dispatcher, told, {})
    assert "nobody sees it" in str(slot_events(events).get("lead_need"))
    assert not [m for m in dispatcher.messages if m.get("response") == REPHRASE]


async def test_a_name_with_a_check_after_it_the_classifier_could_not_place_is_the_answer(
    store: ProfileStore, settings: Settings
) -> None:
    told = make_tracker(
        "Oh, it's Maureen. Maureen Castle. Sorry, is that what you need?",
        intent="nlu_fallback",
        confidence=0.4,
        slots={"requested_slot": "lead_name"},
    )
    told.active_loop = {"name": "lead_form"}
    dispatcher = CollectingDispatcher()
    events = await ActionFallback(store=store, settings=settings).run(dispatcher, told, {})
    assert slot_events(events).get("lead_name") == "Maureen Castle"
    assert not [m for m in dispatcher.messages if m.get("response") == REPHRASE]


async def test_a_yes_to_the_open_question_taken_for_a_question_goes_to_its_answer(
    settings: Settings,
) -> None:
    said = make_tracker(
        "Texts are fine, as long as it isn't daily.",
        intent="ask_integrations",
        slots={"yes_no_pending": True, "yes_no_question": "consent"},
    )
    dispatcher = CollectingDispatcher()
    events = await ActionAnswer(settings=settings).run(dispatcher, said, {})
    assert [e["name"] for e in events if e["event"] == "followup"] == ["action_yes_no_answer"]
    assert dispatcher.messages == []


async def test_a_first_question_the_fallback_answers_comes_with_what_the_bot_can_do(
    settings: Settings,
) -> None:
    from actions.answers import START_BUTTONS

    asked = user("bonjour - so what does Parley actually do with visitors on a website?")
    [answer] = await said(ActionFallback(settings=settings), tracker([asked]))
    assert answer["response"] != REPHRASE and answer["buttons"] == START_BUTTONS


async def test_the_lists_answer_to_one_question_and_the_general_one_to_the_other(
    settings: Settings,
) -> None:
    asked = (
        "One question: this chat can speak also Spanish and English? And it works with "
        "Microsoft Dynamics, which is our CRM?"
    )
    messages = await said(
        ActionAnswer(settings=settings), tracker([user(asked, "ask_integrations")])
    )
    assert messages[0]["text"] == SHIPPED["languages"].answer
    assert [m.get("response") for m in messages[1:]] == ["utter_answer_integrations"]
    # One question the list answers: its answer alone.
    [only] = await said(
        ActionAnswer(settings=settings),
        tracker([user("does it integrate with whatsapp?", "ask_integrations")]),
    )
    assert only["text"] == SHIPPED["channels"].answer
