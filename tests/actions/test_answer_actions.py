"""Answers, help, the fallback ladder and the session's end, with real rasa-sdk trackers."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (
    START_BUTTONS,
    ActionAnswer,
    ActionBotChallenge,
    ActionChitchat,
    conversation_stage,
    field_asked_about,
    integrations_answer,
    tools_named,
)
from actions.fallback import ActionClose, ActionFallback, ActionGoodbye, next_rung, previous_rung
from actions.help import ActionHelp
from actions.session import carried_over_slots
from bot.settings import Settings

DOMAIN: dict[str, Any] = {"session_config": {"carry_over_slots_to_new_session": True}}


def user(text: str, intent: str = "nlu_fallback", **metadata: str) -> dict[str, Any]:
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [],
        "message_id": f"id-{text}",
        "metadata": {"parley_channel": "rest", **metadata},
    }
    return {"event": "user", "text": text, "parse_data": parse, "input_channel": "rest"}


def bot(response: str, buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "event": "bot",
        "text": response,
        "data": {"buttons": buttons},
        "metadata": {"utter_action": response},
    }


def tracker(
    events: list[dict[str, Any]],
    slots: dict[str, Any] | None = None,
    loop: str | None = None,
) -> Tracker:
    latest = next(e for e in reversed(events) if e["event"] == "user")
    return Tracker(
        sender_id="visitor-1",
        slots={"requested_slot": None, **(slots or {})},
        latest_message=latest["parse_data"],
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": loop} if loop else {},
        latest_action_name="action_listen",
    )


async def said(action: Any, t: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, t, DOMAIN)
    messages: list[dict[str, Any]] = dispatcher.messages
    return messages


# ----------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("intent", "response"),
    [
        ("ask_integrations", "utter_answer_integrations"),
        ("ask_data_use", "utter_answer_data_use"),
        ("ask_why_needed", "utter_answer_why_needed"),
        ("ask_next_steps", "utter_answer_next_steps"),
        ("request_info", "utter_answer_what_it_does"),
    ],
)
async def test_each_question_gets_its_answer_with_the_start_buttons(
    settings: Settings, intent: str, response: str
) -> None:
    [message] = await said(ActionAnswer(settings=settings), tracker([user("so?", intent)]))
    assert message["response"] == response
    assert message["buttons"] == START_BUTTONS


async def test_in_a_form_the_answer_has_no_buttons_the_form_asks_next(settings: Settings) -> None:
    t = tracker(
        [user("why my email?", "ask_why_needed")],
        {"requested_slot": "lead_email"},
        loop="lead_form",
    )
    [message] = await said(ActionAnswer(settings=settings), t)
    assert message["buttons"] == [] and "email" in message["reason"].lower()


async def test_the_same_words_again_never_get_the_same_answer_twice(settings: Settings) -> None:
    said_again = "hmm texts too I guess"
    first = [user(said_again, "ask_why_needed"), bot("utter_answer_why_needed")]
    [again] = await said(
        ActionAnswer(settings=settings), tracker([*first, user(said_again, "ask_why_needed")])
    )
    assert again["response"] == "utter_answer_again"
    second = [*first, user(said_again, "ask_why_needed"), bot("utter_answer_again")]
    [third] = await said(
        ActionAnswer(settings=settings), tracker([*second, user(said_again, "ask_why_needed")])
    )
    assert third["response"] == "utter_answer_offer_person"
    # Still the same words: the answer again, then the offer again, never one three times.
    third_done = [*second, user(said_again, "ask_why_needed"), bot("utter_answer_offer_person")]
    [fourth] = await said(
        ActionAnswer(settings=settings), tracker([*third_done, user(said_again, "ask_why_needed")])
    )
    assert fourth["response"] == "utter_answer_why_needed"
    fourth_done = [*third_done, user(said_again, "ask_why_needed"), bot("utter_answer_why_needed")]
    [fifth] = await said(
        ActionAnswer(settings=settings), tracker([*fourth_done, user(said_again, "ask_why_needed")])
    )
    assert fifth["response"] == "utter_answer_offer_person"
    # Another question of the same kind is answered as usual.
    [other] = await said(
        ActionAnswer(settings=settings),
        tracker([*first, user("and why the phone?", "ask_why_needed")]),
    )
    assert other["response"] == "utter_answer_why_needed"


async def test_data_use_answer_links_the_privacy_notice(settings: Settings) -> None:
    [message] = await said(
        ActionAnswer(settings=settings), tracker([user("gdpr?", "ask_data_use")])
    )
    assert message["privacy_url"] == settings.privacy_url
    assert message["contact"] == settings.privacy_contact


def test_integrations_are_named_honestly() -> None:
    assert tools_named("Does it work with Mailchimp or HubSpot?") == ["mailchimp", "hubspot"]
    assert "no built-in Mailchimp connector" in integrations_answer("works with mailchimp?")
    assert integrations_answer("hubspot?").startswith("Yes")
    assert "no built-in Salesforce" in integrations_answer("sales force integration")
    assert "WordPress" in integrations_answer("can i add it to wordpress") and "plugin" in (
        integrations_answer("wordpress")
    )
    assert "doesn't connect to Facebook Messenger" in integrations_answer("fb messenger?")
    # "make" and "teams" are words before they are tools.
    assert tools_named("can I make it talk to our teams?") == []
    assert integrations_answer("what do you integrate with?").startswith("Parley connects")


def test_why_needed_names_the_detail_asked_about_first() -> None:
    assert field_asked_about("why do you need my number?", "lead_email") == "phone"
    assert field_asked_about("why do you need that?", "lead_email") == "email"
    said = "hmm what's the phone number for exactly? can't we just do email"
    assert field_asked_about(said, "lead_phone") == "phone"
    assert field_asked_about("why?", "qual_budget") == "qualify"
    assert field_asked_about("why all the questions", None) == "general"


async def test_next_steps_follow_the_stage(settings: Settings) -> None:
    answer = ActionAnswer(settings=settings)
    ask = [user("what happens next?", "ask_next_steps")]
    start = (await said(answer, tracker(ask)))[0]["steps"]
    in_form = (await said(answer, tracker(ask, loop="lead_form")))[0]["steps"]
    done_slots = {"qualification_done": True, "lead_grade": "C", "lead_email": "dana@acme.io"}
    done = (await said(answer, tracker(ask, done_slots)))[0]
    handoff = (await said(answer, tracker(ask, {"handoff_open": True})))[0]["steps"]
    assert "tell me what you're after" in start and "summary" in in_form
    assert "has your details" in done["steps"] and "dana@acme.io" in done["steps"]
    assert done["buttons"] == []
    assert "has your conversation" in handoff


async def test_next_steps_after_a_handoff_out_of_hours_say_when(settings: Settings) -> None:
    ask = [user("what happens next?", "ask_next_steps")]
    due = {"handoff_reply_due": "Monday at 9:00 (London time)", "lead_email": "dana@acme.io"}
    steps = (await said(ActionAnswer(settings=settings), tracker(ask, due)))[0]["steps"]
    assert "back Monday at 9:00 (London time)" in steps and "at dana@acme.io then" in steps
    assert "talk to someone now" not in steps


async def test_a_question_after_the_offer_keeps_the_offer_buttons(settings: Settings) -> None:
    offer = [{"title": "Talk to someone now", "payload": "/human_handoff"}]
    t = tracker(
        [bot("utter_route_hot", offer), user("what happens next?", "ask_next_steps")],
        {"qualification_done": True, "lead_grade": "A"},
    )
    [message] = await said(ActionAnswer(settings=settings), t)
    assert message["buttons"] == offer and "talk to someone now" in message["steps"]


async def test_demo_after_the_lead_is_complete_is_booked(settings: Settings) -> None:
    t = tracker([user("i'd like a demo", "request_demo")], {"qualification_done": True})
    dispatcher = CollectingDispatcher()
    events = await ActionAnswer(settings=settings).run(dispatcher, t, DOMAIN)
    assert events == [{"event": "followup", "name": "action_start_booking", "timestamp": None}]
    assert dispatcher.messages == []


async def test_demo_after_a_meeting_is_booked_says_what_happens_next(settings: Settings) -> None:
    t = tracker(
        [bot("utter_meeting_booked"), user("i'd like a demo", "request_demo")],
        {"qualification_done": True},
    )
    [message] = await said(ActionAnswer(settings=settings), t)
    assert message["response"] == "utter_answer_next_steps"


def test_stage_reads_forms_slots_and_a_booking() -> None:
    assert conversation_stage(tracker([user("hi")])) == "start"
    assert conversation_stage(tracker([user("x")], loop="qualify_form")) == "qualifying"
    assert conversation_stage(tracker([user("x")], {"lead_captured": True})) == "captured"
    booked = tracker([bot("utter_meeting_booked"), user("ok")], {"qualification_done": True})
    assert conversation_stage(booked) == "booked"
    earlier = tracker(
        [bot("utter_meeting_booked"), {"event": "session_started"}, user("hi")],
        {"qualification_done": True},
    )
    assert conversation_stage(earlier) == "done"


# -------------------------------------------------------------------------------- help


async def test_help_keyword_gets_the_compliance_answer_without_buttons(
    settings: Settings,
) -> None:
    t = tracker([user("HELP", "ask_capabilities", parley_keyword_kind="help")])
    [message] = await said(ActionHelp(settings=settings), t)
    assert message["response"] == "utter_help" and not message["buttons"]
    [bare] = await said(ActionHelp(settings=settings), tracker([user("help pls", "x")]))
    assert bare["response"] == "utter_help"


async def test_a_product_question_gets_what_parley_does(settings: Settings) -> None:
    t = tracker([user("what does your software do exactly?", "ask_capabilities")])
    [message] = await said(ActionHelp(settings=settings), t)
    assert message["response"] == "utter_answer_what_it_does"
    assert message["buttons"] == START_BUTTONS


async def test_announcing_questions_gets_an_invitation_to_ask(settings: Settings) -> None:
    t = tracker([user("Hi, before I give my details I have some questions.", "ask_capabilities")])
    assert [m["response"] for m in await said(ActionHelp(settings=settings), t)] == [
        "utter_ask_away"
    ]
    asked = tracker([user("I have a few questions. What does it do?", "ask_capabilities")])
    assert [m["response"] for m in await said(ActionHelp(settings=settings), asked)] == [
        "utter_answer_what_it_does"
    ]


# ---------------------------------------------------------------------------- fallback


async def test_the_ladder_climbs_and_never_repeats_a_rung() -> None:
    events: list[dict[str, Any]] = [user("hi", "greet"), bot("utter_disclosure")]
    heard: list[str] = []
    for turn in range(6):
        events.append(user(f"gibberish {turn}"))
        [message] = await said(ActionFallback(), tracker(events))
        heard.append(message["response"])
        events.append(bot(message["response"]))
    assert heard == [
        "utter_fallback_rephrase",
        "utter_default",
        "utter_fallback_offer_person",
        "utter_default",
        "utter_fallback_offer_person",
        "utter_default",
    ]
    assert all(a != b for a, b in pairwise(heard))


async def test_the_offer_of_a_person_in_the_lead_form_sets_its_question_aside() -> None:
    events: list[dict[str, Any]] = [bot("utter_ask_lead_phone")]
    for turn, rung in enumerate(("utter_fallback_rephrase", "utter_default")):
        events += [user(f"can i not {turn}"), bot(rung), bot("utter_ask_lead_phone")]
    events.append(user("can i not again"))
    slots = {"requested_slot": "lead_phone", "skipped_fields": ["role"]}
    dispatcher = CollectingDispatcher()
    result = await ActionFallback().run(dispatcher, tracker(events, slots, "lead_form"), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_fallback_offer_person"]
    assert result == [{"event": "slot", "timestamp": None, "name": "skipped_fields",
                       "value": ["phone", "role"]}]  # fmt: skip


async def test_an_understood_turn_or_a_form_question_between_resets_or_keeps_the_ladder() -> None:
    understood = [
        user("a"),
        bot("utter_fallback_rephrase"),
        user("price?", "ask_pricing"),
        bot("utter_pricing"),
        user("b"),
    ]
    assert previous_rung(understood) is None
    in_form = [user("a"), bot("utter_fallback_rephrase"), bot("utter_ask_lead_email"), user("b")]
    assert previous_rung(in_form) == "utter_fallback_rephrase"
    assert next_rung(previous_rung(in_form), finished=False) == "utter_default"


async def test_after_the_end_an_unclear_message_is_closed_politely_then_the_ladder() -> None:
    first = tracker([user("grand so")], {"qualification_done": True})
    assert [m["response"] for m in await said(ActionFallback(), first)] == ["utter_all_set"]
    second = tracker(
        [user("grand so"), bot("utter_all_set"), user("mm")], {"qualification_done": True}
    )
    assert [m["response"] for m in await said(ActionFallback(), second)] == [
        "utter_fallback_rephrase"
    ]


async def test_after_the_end_an_ok_or_a_thanks_closes_without_repeating_itself() -> None:
    done = {"qualification_done": True}
    ok = tracker([bot("utter_route_close"), user("ok", "affirm")], done)
    assert [m["response"] for m in await said(ActionFallback(), ok)] == ["utter_all_set"]
    again = tracker([user("ok", "affirm"), bot("utter_all_set"), user("k", "affirm")], done)
    assert [m["response"] for m in await said(ActionFallback(), again)] == ["utter_goodbye"]
    thanks = tracker([bot("utter_route_close"), user("thanks", "thank")], done)
    assert [m["response"] for m in await said(ActionClose(), thanks)] == ["utter_you_are_welcome"]
    twice = tracker([user("ta"), bot("utter_you_are_welcome"), user("cheers", "thank")], done)
    assert [m["response"] for m in await said(ActionClose(), twice)] == ["utter_goodbye"]


async def test_as_the_core_fallback_it_takes_the_message_back() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionFallback().run(dispatcher, tracker([user("yes", "affirm")]), DOMAIN)
    assert [e["event"] for e in events] == ["rewind"]
    assert await ActionFallback().run(CollectingDispatcher(), tracker([user("??")]), DOMAIN) == []
    skip = tracker([user("no comment", "skip")])  # the rule for a skip with nothing to skip
    assert await ActionFallback().run(CollectingDispatcher(), skip, DOMAIN) == []


# ----------------------------------------------------------------------------- session


def test_a_complete_lead_ends_with_its_session() -> None:
    t = tracker([user("hi")], {"qualification_done": True, "lead_name": "Dana"})
    carried = {e["name"]: e["value"] for e in carried_over_slots(t, DOMAIN)}
    assert carried.get("lead_name") == "Dana" and "qualification_done" not in carried


def test_every_question_intent_interrupts_the_forms() -> None:
    from actions.answers import QUESTION_INTENTS
    from actions.lead_form import INTERRUPT_INTENTS

    assert QUESTION_INTENTS <= INTERRUPT_INTENTS, QUESTION_INTENTS - INTERRUPT_INTENTS


async def test_signing_off_that_no_rule_expected_gets_a_goodbye_not_a_rephrase(
    settings: Settings,
) -> None:
    from actions.fallback import ActionFallback

    [message] = await said(ActionFallback(), tracker([user("okay thank you that's all", "affirm")]))
    assert message["response"] == "utter_goodbye"
    for leaving in ("mi gone, likkle more", "gotta go, laters"):
        [message] = await said(ActionFallback(), tracker([user(leaving, "nlu_fallback")]))
        assert message["response"] == "utter_goodbye"
    started = [user("hello", "greet"), bot("utter_greet"), user("purple monkey", "nlu_fallback")]
    [message] = await said(ActionFallback(), tracker(started))
    assert message["response"] == "utter_fallback_rephrase"


async def test_first_words_that_cannot_be_placed_get_what_the_bot_does_with_buttons() -> None:
    opener = user("hello? not sure I'm doing this right, my nephew sent me the link")
    [message] = await said(ActionFallback(), tracker([bot("utter_disclosure"), opener]))
    assert message["response"] == "utter_default"


async def test_put_it_another_way_is_not_asked_again_a_turn_after_it_was_asked() -> None:
    events = [
        user("hi", "greet"),
        bot("utter_greet"),
        user("well it's about the thing"),
        bot("utter_fallback_rephrase"),
        user("are you a robot?", "bot_challenge"),
        bot("utter_iamabot"),
        user("the thing for the shop"),
    ]
    [message] = await said(ActionFallback(), tracker(events))
    assert message["response"] == "utter_default"


async def test_asked_to_repeat_the_bot_says_its_last_words_again() -> None:
    buttons = [{"title": "Book a demo", "payload": "/request_demo"}]
    offer = bot("utter_offer_meeting", buttons)
    events = [user("hi", "greet"), offer, user("sorry, come again?")]
    [message] = await said(ActionFallback(), tracker(events))
    assert (message["text"], message["buttons"]) == ("utter_offer_meeting", buttons)


@pytest.mark.parametrize(
    "asked",
    ["Sorry, could you rephrase that?", "can you say it another way please", "reword that"],
)
async def test_asked_to_rephrase_the_bot_finds_other_words(asked: str) -> None:
    events = [user("I have a question", "ask_question"), bot("utter_ask_away"), user(asked)]
    [message] = await said(ActionFallback(), tracker(events))
    assert message["response"] == "utter_rephrase_what_i_do"


async def test_asked_to_repeat_twice_running_the_bot_finds_other_words() -> None:
    offer = bot("utter_greet_again")
    events = [user("hooroo", "greet"), offer, user("sorry?"), offer, user("sorry?")]
    [message] = await said(ActionFallback(), tracker(events))
    assert message["response"] == "utter_rephrase_what_i_do"


async def test_asked_to_repeat_after_it_was_put_more_simply_a_person_is_offered() -> None:
    simpler = bot("utter_rephrase_what_i_do")
    events = [user("salamat", "greet"), bot("utter_default"), user("sorry what was that")]
    events += [simpler, user("sorry what was that")]
    [message] = await said(ActionFallback(), tracker(events))
    assert message["response"] == "utter_fallback_offer_person"


async def test_asked_to_repeat_in_a_form_the_form_asks_again_after_a_short_yes() -> None:
    events = [user("dana", "inform"), bot("utter_ask_lead_email"), user("you what?")]
    [message] = await said(ActionFallback(), tracker(events, loop="lead_form"))
    assert message["response"] == "utter_say_again"


async def test_asked_to_repeat_a_fallback_the_ladder_goes_on_instead() -> None:
    events = [user("blorp"), bot("utter_fallback_rephrase"), user("what?")]
    [message] = await said(ActionFallback(), tracker(events))
    assert message["response"] == "utter_default"


@pytest.mark.parametrize(
    ("thanks", "intent"), [("k thx", "affirm"), ("good on ya thanks", "nlu_fallback")]
)
async def test_thanks_that_no_rule_expected_is_welcomed_not_asked_to_rephrase(
    thanks: str, intent: str
) -> None:
    events = [user("what do you do", "ask_capabilities"), bot("utter_answer_what_it_does"),
              user(thanks, intent)]  # fmt: skip
    [message] = await said(ActionFallback(), tracker(events))
    assert message["response"] == "utter_you_are_welcome"


async def test_goodbye_is_never_said_twice_in_a_row() -> None:
    first = [user("I will wait for the e-mail, thank you.", "goodbye")]
    [bye] = await said(ActionGoodbye(), tracker(first))
    assert bye["response"] == "utter_goodbye"
    second = [*first, bot("utter_goodbye"), user("Dziekuje, thank you.", "goodbye")]
    [again] = await said(ActionGoodbye(), tracker(second))
    assert again["response"] == "utter_goodbye_again"
    third = [*second, bot("utter_goodbye_again"), user("Goodbye.", "goodbye")]
    [last] = await said(ActionGoodbye(), tracker(third))
    assert last["response"] == "utter_goodbye"


async def test_an_answer_to_the_open_question_the_classifier_could_not_place_goes_to_it() -> None:
    events = [bot("utter_ask_erasure"), user("yes remove everything")]
    dispatcher = CollectingDispatcher()
    result = await ActionFallback().run(
        dispatcher, tracker(events, {"yes_no_pending": True}), DOMAIN
    )
    assert dispatcher.messages == []
    assert [e.get("name") for e in result if e.get("event") == "followup"] == [
        "action_yes_no_answer"
    ]


async def test_demo_asked_for_after_a_handoff_is_booked(settings: Settings) -> None:
    t = tracker(
        [user("We would like to book an online demonstration", "request_demo")],
        {"qualification_done": True, "handoff_open": True},
    )
    dispatcher = CollectingDispatcher()
    events = await ActionAnswer(settings=settings).run(dispatcher, t, DOMAIN)
    assert events == [{"event": "followup", "name": "action_start_booking", "timestamp": None}]


async def test_small_talk_said_again_never_gets_the_same_words_twice(settings: Settings) -> None:
    said_again = "Owner, groomer, receptionist, dogsbody... Owner, let's say"
    first = [user(said_again, "chitchat"), bot("utter_chitchat")]
    [again] = await said(
        ActionChitchat(settings=settings), tracker([*first, user(said_again, "chitchat")])
    )
    assert again["response"] == "utter_answer_again"
    [plain] = await said(ActionChitchat(settings=settings), tracker([user("lol", "chitchat")]))
    assert plain["response"] == "utter_chitchat"


async def test_asked_first_whether_it_is_a_bot_the_answer_offers_what_it_can_do(
    settings: Settings,
) -> None:
    t = tracker([user("am I talking to a real person or a script?", "bot_challenge")])
    [message] = await said(ActionBotChallenge(settings=settings), t)
    assert message["response"] == "utter_iamabot"
    assert message["buttons"] == START_BUTTONS


def test_a_question_answered_a_while_ago_is_answered_again(settings: Settings) -> None:
    from actions.answers import answer_in_place_of_answer

    events = [user("how much is it a month?", "ask_pricing"), bot("utter_pricing")]
    for answer, question in [
        ("Rosa", "utter_ask_lead_email"),
        ("rosa@acme.io", "utter_ask_lead_phone"),
        ("skip", "utter_ask_lead_company"),
        ("Acme", "utter_ask_qual_timeline"),
    ]:
        events += [user(answer, "inform"), bot(question)]
    asked_again = [*events, user("so how much is the monthly fee? just an estimate", "inform")]
    dispatcher = CollectingDispatcher()
    assert answer_in_place_of_answer(dispatcher, tracker(asked_again), settings)
    assert [m["response"] for m in dispatcher.messages] == ["utter_pricing"]
    # Asked again at once, the same answer is not given twice in a row.
    just_said = [*events[:2], user("so how much is it monthly?", "inform")]
    dispatcher = CollectingDispatcher()
    assert not answer_in_place_of_answer(dispatcher, tracker(just_said), settings)
