"""validate_lead_form with real trackers: exact events, and what lands in the store."""

from __future__ import annotations

from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import RESPONSE_KEY
from actions.handoff_in_form import REACH_YOU
from actions.lead_form import ValidateLeadForm
from bot.settings import Settings
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker, responses, slot_events

DOMAIN: dict[str, object] = {}


async def run(action: ValidateLeadForm, **kwargs: object) -> tuple[dict[str, object], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, make_tracker(**kwargs), DOMAIN)  # type: ignore[arg-type]
    return slot_events(events), responses(dispatcher)


async def test_valid_email_is_set_saved_and_next_question_chosen(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="it's Dana@Acme.io",
        message_id="m1",
        slots={"requested_slot": "lead_email", "lead_name": "Dana"},
    )
    assert slots["lead_email"] == "dana@acme.io"
    assert slots["requested_slot"] == "lead_phone"
    assert slots["form_read_until"] == "m1"
    assert said == []
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert (
        contact is not None
        and contact.email == "dana@acme.io"
        and slots["contact_id"] == contact.id
    )


async def test_second_invalid_email_asks_for_help(store: ProfileStore, settings: Settings) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    first, said_first = await run(action, text="dana@acme", slots={"requested_slot": "lead_email"})
    assert (first["field_attempts"], first["needs_help"]) == (1, False)
    assert said_first == ["utter_invalid_email"]
    second, _ = await run(
        action, text="still no idea", slots={"requested_slot": "lead_email", "field_attempts": 1}
    )
    assert (second["field_attempts"], second["needs_help"]) == (2, True)
    assert second["requested_slot"] == "lead_email"


async def test_question_mid_form_is_rejected_for_the_rules(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    events = await action.run(
        CollectingDispatcher(),
        make_tracker(
            "are you a bot?", intent="bot_challenge", slots={"requested_slot": "lead_company"}
        ),
        DOMAIN,
    )
    assert events == []


async def test_bare_answer_misread_as_cancel_is_still_an_answer(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, _ = await run(
        action,
        text="chief revenue officer",
        intent="cancel",
        confidence=0.97,
        slots={"requested_slot": "lead_role"},
    )
    assert slots["lead_role"] == "chief revenue officer"


async def test_skip_moves_on_and_remembers(store: ProfileStore, settings: Settings) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="I'd rather not",
        intent="skip",
        slots={"requested_slot": "lead_phone", "lead_name": "Dana", "lead_email": "d@a.io"},
    )
    assert slots["skipped_fields"] == ["phone"]
    assert slots["requested_slot"] == "lead_company"
    assert said == ["utter_field_skipped"]


async def test_message_already_read_only_picks_the_next_question(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action, text="are you a bot?", intent="bot_challenge", message_id="m9",
        slots={"requested_slot": "lead_company", "form_read_until": "m9", "lead_name": "D"},
        latest_action="utter_iamabot",
    )  # fmt: skip
    assert slots == {"requested_slot": "lead_email"}
    assert said == []


async def test_someone_elses_email_prefills_nothing_and_merges_nothing(
    store: ProfileStore, settings: Settings
) -> None:
    owner = store.leads.update_fields(
        "telegram", "42", {"name": "Dana", "email": "dana@acme.io", "company": "Acme"}, "tg-42"
    )
    action = ValidateLeadForm(store=store, settings=settings)
    slots, _ = await run(action, text="dana@acme.io", slots={"requested_slot": "lead_email"})
    assert slots["lead_email"] == "dana@acme.io"  # what the person said, in their form
    assert "lead_company" not in slots and "lead_name" not in slots
    assert slots["requested_slot"] == "lead_name"  # asked, not taken from the stranger
    visitor = store.contacts.for_identity("rest", "visitor-1")
    assert visitor is not None and visitor.id != owner.id
    assert {i.channel for i in visitor.channels} == {"rest"} and visitor.email is None
    assert store.contacts.get(owner.id) == owner
    assert [c.holder_id for c in store.contacts.open_claims(visitor.id)] == [owner.id]


async def test_store_outage_is_said_and_the_details_saved_later(
    settings: Settings, store: ProfileStore
) -> None:
    down = ProfileStore.from_url("postgresql://postgres@127.0.0.1:1/test")
    slots, said = await run(
        ValidateLeadForm(store=down, settings=settings),
        text="Dana Reyes",
        slots={"requested_slot": "lead_name"},
    )
    down.dispose()
    assert said == ["utter_store_unavailable"]
    assert slots["lead_name"] == "Dana Reyes" and slots["unsaved_fields"] == ["name"]

    later, _ = await run(
        ValidateLeadForm(store=store, settings=settings),
        text="dana@acme.io",
        slots={
            "requested_slot": "lead_email",
            "lead_name": "Dana Reyes",
            "unsaved_fields": ["name"],
        },
    )
    assert later["unsaved_fields"] == []
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and (contact.name, contact.email) == ("Dana Reyes", "dana@acme.io")


async def test_back_after_an_interruption_asks_the_next_unskipped_question(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action, text="are you a bot?", intent="bot_challenge",
        slots={"requested_slot": "lead_company", "lead_name": "D", "lead_email": "d@a.io",
               "skipped_fields": ["phone"]},
        latest_action="utter_iamabot",
    )  # fmt: skip
    assert slots == {"requested_slot": "lead_company"}
    assert said == []


async def test_a_question_failed_three_times_is_set_aside_not_explained_twice(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="I really don't know",
        slots={"requested_slot": "lead_email", "field_attempts": 1, "lead_name": "Jo"},
    )
    assert slots["needs_help"] is True and slots["requested_slot"] == "lead_email"
    slots, said = await run(
        action, text="I really don't know",
        slots={"requested_slot": "lead_email", "field_attempts": 2, "lead_name": "Jo",
               "needs_help": True},
    )  # fmt: skip
    assert slots["skipped_fields"] == ["email"] and slots["requested_slot"] == "lead_phone"
    # "I couldn't find an email address in that" was said at the first try: not again.
    assert said == ["utter_skipped_for_now"]


async def test_a_digit_free_answer_to_the_phone_question_answers_the_next_one(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="St Bart's Clinic",
        slots={"requested_slot": "lead_phone", "lead_name": "Amelia", "lead_email": "a@b.org"},
    )
    assert slots["skipped_fields"] == ["phone"]
    assert slots["lead_company"] == "St Bart's Clinic" and slots["requested_slot"] == "lead_role"
    assert said == ["utter_field_skipped"]


async def test_keying_the_number_in_is_no_answer_to_the_next_question(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, _said = await run(
        action,
        text="hold on, I'll tap it in on the keypad",
        slots={"requested_slot": "lead_phone", "lead_name": "Amelia", "lead_email": "a@b.org"},
    )
    assert "lead_company" not in slots and "phone" not in slots.get("skipped_fields", [])
    assert slots.get("requested_slot", "lead_phone") == "lead_phone"


async def test_the_question_order_is_the_domain_s(store: ProfileStore, settings: Settings) -> None:
    """Marketers reorder the lead form in the studio (domain.yml's required_slots)."""
    action = ValidateLeadForm(store=store, settings=settings)
    domain = {"forms": {"lead_form": {"required_slots": [
        "lead_name", "lead_company", "lead_email", "lead_role", "lead_need", "lead_phone",
    ]}}}  # fmt: skip
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("Dana Reyes", message_id="m1", slots={"requested_slot": "lead_name"})
    events = await action.run(dispatcher, tracker, domain)  # type: ignore[arg-type]
    assert slot_events(events)["requested_slot"] == "lead_company"
    skipped = make_tracker(
        "skip",
        intent="skip",
        message_id="m2",
        slots={"requested_slot": "lead_company", "lead_name": "Dana"},
    )
    events = await action.run(CollectingDispatcher(), skipped, domain)  # type: ignore[arg-type]
    assert slot_events(events)["requested_slot"] == "lead_email"


# --- issue #18: details are taken only where the person gives them -------------------


async def test_a_name_the_classifier_took_for_skip_is_still_the_name(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    for text, intent in [("Nadia Khan", "skip"), ("Skip Henderson", "deny")]:
        slots, said = await run(
            action,
            text=text,
            intent=intent,
            sender=f"name-{intent}",
            slots={"requested_slot": "lead_name"},
        )
        assert slots["lead_name"] == text and "skipped_fields" not in slots
        assert slots["requested_slot"] == "lead_email" and said == []
        contact = store.contacts.for_identity("rest", f"name-{intent}")
        assert contact is not None and contact.name == text


async def test_skip_in_words_skips_whatever_the_intent(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(action, text="skip that one", slots={"requested_slot": "lead_name"})
    assert slots["skipped_fields"] == ["name"] and "lead_name" not in slots
    assert said == ["utter_field_skipped"]


async def test_refusing_the_phone_never_fills_the_company(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    answered = {"requested_slot": "lead_phone", "lead_name": "Dana", "lead_email": "d@a.io"}
    for index, (text, intent) in enumerate(
        [
            ("I'd rather not give my number", "inform"),
            ("no phone thanks", "thank"),
            ("not comfortable sharing that", "out_of_scope"),
        ]
    ):
        slots, said = await run(
            action, text=text, intent=intent, sender=f"phone-{index}", slots=answered
        )
        assert slots["skipped_fields"] == ["phone"], text
        assert "lead_company" not in slots and "lead_phone" not in slots
        assert slots["requested_slot"] == "lead_company" and said == ["utter_field_skipped"]
        assert store.contacts.for_identity("rest", f"phone-{index}") is None


async def test_a_refusal_keeps_a_company_stated_outright(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="no phone, but I work at Koala Freight Pty Ltd",
        slots={"requested_slot": "lead_phone", "lead_name": "Bruce", "lead_email": "b@k.au"},
    )
    assert slots["skipped_fields"] == ["phone"] and slots["lead_company"] == "Koala Freight Pty Ltd"
    assert slots["requested_slot"] == "lead_role" and said == ["utter_field_skipped"]


async def test_a_greeting_after_the_phone_question_is_no_company(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="hii",
        intent="inform",
        slots={"requested_slot": "lead_phone", "lead_name": "Dana", "lead_email": "d@a.io"},
    )
    assert "lead_company" not in slots and "skipped_fields" not in slots
    assert slots["requested_slot"] == "lead_phone" and said == ["utter_no_phone"]


async def test_the_bots_own_company_and_tools_are_not_the_persons_company(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    for text in ["Acme Test Co", "we use HubSpot", "Melbourne", "marketing manager"]:
        slots, said = await run(
            action,
            text=text,
            entities=[{"entity": "ORG", "value": "HubSpot"}],
            slots={"requested_slot": "lead_company", "lead_name": "Dana"},
        )
        assert "lead_company" not in slots and slots["requested_slot"] == "lead_company", text
        assert said == ["utter_invalid_text"]
    assert store.contacts.for_identity("rest", "visitor-1") is None


async def test_an_organisation_in_an_unasked_message_fills_nothing(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, _ = await run(
        action, text="Parley looks great for us, we'd need it to feed Salesforce", intent="inform",
        entities=[{"entity": "ORG", "value": "Salesforce"}, {"entity": "PERSON", "value": "Parley"}],
        slots={"requested_slot": "lead_email", "lead_name": "Dana"},
    )  # fmt: skip
    assert "lead_company" not in slots and "lead_name" not in slots
    assert slots["requested_slot"] == "lead_email"


async def test_an_address_read_out_is_taken_when_the_email_was_asked(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="sorry it's jp dot tremblay at acme dot ca",
        intent="chitchat",
        slots={"requested_slot": "lead_email", "lead_name": "Jean-Pierre Tremblay"},
    )
    assert slots["lead_email"] == "jp.tremblay@acme.ca" and said == []
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and contact.email == "jp.tremblay@acme.ca"


async def test_leaving_wins_over_turning_a_question_down(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    events = await action.run(
        CollectingDispatcher(),
        make_tracker("no thanks, not interested", intent="cancel",
                     slots={"requested_slot": "lead_phone", "lead_name": "Dana"}),
        DOMAIN,
    )  # fmt: skip
    assert events == []


async def test_a_callers_national_number_is_read_in_the_callers_country(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    asked = {"requested_slot": "lead_phone", "lead_name": "Dana", "lead_email": "d@a.io"}
    on_the_phone = {"parley_channel": "voice", "caller": "+447700900123"}
    slots, _ = await run(
        action,
        text="oh seven nine one one one two three four five six",
        slots=asked,
        sender="CA0123",
        metadata=on_the_phone,
    )
    assert slots["lead_phone"] == "+447911123456"
    # The same words in web chat are not a number in the default region (US).
    slots, _ = await run(
        action, text="oh seven nine one one one two three four five six", slots=asked
    )
    assert "lead_phone" not in slots or slots["lead_phone"] is None


async def test_only_wanting_to_ask_questions_ends_the_form_at_once(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "nah, I'll leave my name out of it, just wanted to ask",
        intent="deny",
        slots={"requested_slot": "lead_name"},
    )
    events = await action.run(dispatcher, tracker, DOMAIN)  # type: ignore[arg-type]
    assert responses(dispatcher) == ["utter_lead_form_declined"]
    assert slot_events(events)["requested_slot"] is None
    assert FollowupAction("action_listen") in events
    assert store.contacts.for_identity("rest", "visitor-1") is None


async def test_a_second_question_turned_down_before_any_detail_ends_the_form(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="no thanks",
        intent="deny",
        slots={"requested_slot": "lead_phone", "skipped_fields": ["email"]},
    )
    assert said == ["utter_lead_form_declined"] and slots["requested_slot"] is None


async def test_a_question_turned_down_after_a_detail_is_only_skipped(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="no thanks",
        intent="deny",
        slots={"requested_slot": "lead_phone", "skipped_fields": ["email"], "lead_name": "Dana"},
    )
    assert said == ["utter_field_skipped"] and slots["requested_slot"] == "lead_company"


async def test_not_now_after_some_details_only_skips_that_question(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="not now, thanks",
        intent="deny",
        slots={"requested_slot": "lead_phone", "lead_name": "Dana", "lead_email": "d@a.io"},
    )
    assert said == ["utter_field_skipped"] and slots["requested_slot"] == "lead_company"


async def test_a_name_that_is_also_a_word_is_the_name_not_a_price_question(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, _ = await run(
        action, text="gwen price", intent="ask_pricing", slots={"requested_slot": "lead_name"}
    )
    assert slots["lead_name"] == "gwen price"


async def test_a_problem_told_when_asked_what_to_solve_is_the_answer_whatever_it_names(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    text = "we get loads of demo requests and nobody follows them up"
    slots, _ = await run(
        action, text=text, intent="request_demo",
        slots={"requested_slot": "lead_need", "lead_name": "D", "lead_email": "d@a.io"},
    )  # fmt: skip
    assert slots["lead_need"] == text


async def test_the_same_answer_said_again_after_it_was_taken_for_a_question_is_the_answer(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    said = "pricing analyst"
    tracker = make_tracker(said, intent="ask_pricing", slots={"requested_slot": "lead_role"})
    first = await action.run(CollectingDispatcher(), tracker, DOMAIN)  # type: ignore[arg-type]
    assert first == []  # taken for a question about prices: the rules answer it
    again = make_tracker(said, intent="ask_pricing", slots={"requested_slot": "lead_role"})
    again.events[:0] = [
        {"event": "user", "text": said},
        {"event": "bot", "text": "Plans start at $49 per month. What's your role there?"},
    ]
    slots = slot_events(await action.run(CollectingDispatcher(), again, DOMAIN))  # type: ignore[arg-type]
    assert slots["lead_role"] == "pricing analyst"


async def test_a_question_with_a_remark_states_no_detail_but_an_address_is_kept(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    asked = "How is the data we collect stored? We need to be GDPR compliant, obviously."
    events = await action.run(
        CollectingDispatcher(),
        make_tracker(asked, intent="ask_data_use", slots={"requested_slot": "lead_name"}),
        DOMAIN,
    )
    assert events == []  # the rules answer it; no need, no name "obviously"
    slots, _ = await run(
        action, text="is it ok to use dana@acme.io?", intent="ask_data_use",
        slots={"requested_slot": "lead_email"},
    )  # fmt: skip
    assert slots["lead_email"] == "dana@acme.io"


async def test_wanting_to_know_something_is_a_need_when_the_need_is_asked(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    said = "I want to know which people from our ads actually buy"
    slots, _ = await run(
        action, text=said, intent="nlu_fallback",
        slots={"requested_slot": "lead_need", "lead_name": "D", "lead_email": "d@a.io"},
    )  # fmt: skip
    assert slots["lead_need"] == said


async def test_the_first_question_turned_down_after_saying_no_details_ends_the_form(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "No, I don't give my name", intent="deny", slots={"requested_slot": "lead_name"}
    )
    opener = "Hello, I have only some short questions, no details please."
    tracker.events[:0] = [{"event": "user", "text": opener}, {"event": "bot", "text": "Ask away"}]
    events = await action.run(dispatcher, tracker, DOMAIN)  # type: ignore[arg-type]
    assert responses(dispatcher) == ["utter_lead_form_declined"]
    assert slot_events(events)["requested_slot"] is None


async def test_no_more_questions_with_nothing_given_ends_the_form(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="Good, I have no more questions",
        intent="ask_capabilities",
        slots={"requested_slot": "lead_email", "skipped_fields": ["name"]},
    )
    assert said == ["utter_lead_form_declined"] and slots["requested_slot"] is None


async def test_leaving_for_now_after_some_details_stops_the_form_and_keeps_them(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="eh, actually not right now. I'll come back when I've got more time",
        intent="deny",
        slots={"requested_slot": "lead_email", "lead_name": "Tyler Brandt"},
    )
    assert said == ["utter_lead_cancelled"] and slots["requested_slot"] is None
    assert "lead_company" not in slots


async def test_a_role_in_sales_asks_for_nobody(store: ProfileStore, settings: Settings) -> None:
    from bot.interruptions import reads_like

    assert not reads_like("talk_to_sales", "i am heading the pre sales team")
    assert not reads_like("talk_to_sales", "our sales team is swamped")
    assert reads_like("talk_to_sales", "put me through to the sales team please")


async def test_the_last_question_set_aside_with_nothing_given_ends_without_a_summary(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="hmm",
        slots={
            "requested_slot": "lead_need",
            "skipped_fields": ["name", "email", "phone", "company", "role"],
            "field_attempts": 2,
            "needs_help": True,
        },
    )
    # A summary of six blanks would ask them to confirm nothing.
    assert said == ["utter_lead_form_declined"] and slots["requested_slot"] is None
    assert store.contacts.for_identity("rest", "visitor-1") is None


async def test_a_question_said_again_after_its_answer_counts_as_a_try(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    tracker = make_tracker(
        "first tell me the price", intent="ask_pricing", slots={"requested_slot": "lead_name"}
    )
    tracker.events[:0] = [
        {"event": "user", "text": "first tell me the price"},
        {"event": "bot", "text": "Plans start at $49 per month."},
    ]
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN)  # type: ignore[arg-type]
    # Not answered a third time: a try at the name that was not understood.
    assert slot_events(events)["field_attempts"] == 1
    assert slot_events(events)["requested_slot"] == "lead_name"


async def test_a_short_title_the_classifier_took_for_a_greeting_is_the_role(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    lead = {"lead_name": "Nate", "lead_email": "nate@northline.ca", "lead_company": "Northline"}
    slots, _ = await run(
        action, text="gm", intent="greet", slots={"requested_slot": "lead_role", **lead}
    )
    assert slots.get("lead_role") == "gm"


async def test_asking_for_the_demo_again_sets_the_question_aside_not_asked_forever(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    lead = {"lead_name": "Andrei", "lead_email": "andrei@transalp.at", "lead_company": "Transalp"}
    slots, said = await run(
        action,
        text="i just want to book the demo please",
        intent="request_demo",
        slots={"requested_slot": "lead_role", **lead},
    )
    assert "role" in slots.get("skipped_fields", []), (slots, said)
    assert said == ["utter_field_skipped"]
    assert slots["requested_slot"] != "lead_role" and "lead_role" not in slots


async def test_not_today_said_again_to_the_next_question_stops_the_form_for_now(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    tracker = make_tracker(
        text="No, thank you, not today.",
        intent="deny",
        slots={"requested_slot": "lead_company", "lead_name": "Gosia"},
    )
    tracker.events[:0] = [
        {"event": "user", "text": "No, thank you, not today."},
        {"event": "bot", "text": "No problem, we'll skip that."},
    ]
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_lead_cancelled"]
    assert slot_events(events).get("requested_slot") is None


async def test_a_number_given_with_a_request_for_the_meeting_is_kept(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, _ = await run(
        action,
        text="just book me in, my cell is 415 555 0134",
        intent="book_meeting",
        slots={"requested_slot": "lead_phone", "lead_name": "Jo", "lead_email": "jo@acme.io"},
    )
    assert slots.get("lead_phone") == "+14155550134", slots


async def test_a_question_about_the_question_is_asked_again_in_its_help_words(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action, text="like my job title?", slots={"requested_slot": "lead_role"}
    )
    assert slots == {"needs_help": True} and said == []
    # "CEO?" said with a rising voice is still the answer.
    answered, _ = await run(action, text="CEO?", slots={"requested_slot": "lead_role"})
    assert answered["lead_role"] == "CEO"


async def test_asking_why_while_turning_the_question_down_hears_why_then_it_is_skipped(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "Why do you need my email already? I only wanted to look.",
        slots={"requested_slot": "lead_email", "lead_name": "Gosia"},
    )
    events = await action.run(dispatcher, tracker, DOMAIN)
    assert responses(dispatcher) == ["utter_answer_why_needed", "utter_field_skipped"]
    assert "email" in dispatcher.messages[0]["reason"].lower()
    assert slot_events(events)["skipped_fields"] == ["email"]


async def test_a_time_first_hears_why_the_details_come_first_once_then_the_question_waits(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="sorry can we just sort out a time first",
        intent="book_meeting",
        slots={"requested_slot": "lead_name"},
    )
    assert said == ["utter_time_after_details"] and "lead_name" not in slots
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        "sorry can we just sort out a time first",
        intent="book_meeting",
        slots={"requested_slot": "lead_name"},
    )
    tracker.events[:0] = [
        {"event": "user", "text": "can we just sort out a time first?"},
        {"event": "bot", "text": "Happy to find you a time: ..."},
    ]
    events = await action.run(dispatcher, tracker, DOMAIN)
    # Asked again: only what the invitation needs is asked for, the rest waits.
    assert responses(dispatcher) == ["utter_booking_needs_a_way_back"]
    slots_set = slot_events(events)
    assert set(slots_set["skipped_fields"]) == {"name", "company", "role", "need"}
    assert slots_set["requested_slot"] == "lead_email"


async def test_a_time_first_with_an_address_given_sets_every_other_question_aside(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="could we pick the slot first please, rest later",
        intent="book_meeting",
        slots={"requested_slot": "lead_phone", "lead_name": "Ines", "lead_email": "ines@x.pt"},
    )
    assert said == ["utter_time_before_other_details"]
    assert set(slots["skipped_fields"]) == {"phone", "company", "role", "need"}
    assert slots["requested_slot"] is None


async def test_the_callers_number_and_a_time_first_go_straight_to_the_meeting(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="just ring me back on this number dear, let's just pick a time",
        intent="book_meeting",
        slots={"requested_slot": "lead_email", "lead_name": "June"},
        metadata={"parley_channel": "voice", "caller": "+14155550123"},
    )
    assert slots["lead_phone"] == "+14155550123"
    assert said == ["utter_time_before_other_details"] and slots["requested_slot"] is None


async def test_wanting_just_the_meeting_when_the_role_is_asked_sets_the_role_aside(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="just want to book the call 🙂",
        intent="book_meeting",
        confidence=0.9,
        slots={"requested_slot": "lead_role", "lead_name": "Priya"},
    )
    assert "lead_role" not in slots and slots["skipped_fields"] == ["role"]
    assert said == ["utter_field_skipped"]


async def test_better_not_to_the_phone_question_fills_no_company(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="Better not, please use the email.",
        slots={"requested_slot": "lead_phone", "lead_name": "Tobias", "lead_email": "t@f.de"},
    )
    assert "lead_company" not in slots and slots["skipped_fields"] == ["phone"]
    assert said == ["utter_field_skipped"]


async def test_a_detail_told_again_is_no_answer_and_the_question_is_set_aside(
    store: ProfileStore, settings: Settings
) -> None:
    """The same words read as an already known detail, to the same question, count as a
    failed try: the question moves on rather than being asked in the same words forever."""
    action = ValidateLeadForm(store=store, settings=settings)
    known = {"requested_slot": "lead_email", "lead_name": "Ola", "lead_company": "Fjord Bikes"}
    slots, _said = await run(
        action, text="Fjord Bikes", intent="inform", slots={**known, "field_attempts": 1}
    )
    assert slots["field_attempts"] == 2 and slots["requested_slot"] == "lead_email"


async def test_an_email_refused_for_a_call_back_is_set_aside_and_stores_nothing(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, _said = await run(
        action,
        text="i never really check email, just ring me back",
        intent="opt_out",
        slots={"requested_slot": "lead_email", "lead_name": "Ola"},
    )
    assert "email" in slots["skipped_fields"]
    assert "lead_email" not in slots and "lead_company" not in slots


async def test_a_question_asked_out_of_curiosity_keeps_the_form_going(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="quick one, am I chatting with a machine? only wondering",
        intent="bot_challenge",
        slots={"requested_slot": "lead_name"},
    )
    assert "utter_lead_form_declined" not in said and "skipped_fields" not in slots


async def test_a_caller_after_a_person_turning_down_the_email_is_asked_the_phone_then_the_rest(
    store: ProfileStore, settings: Settings
) -> None:
    """The team calling back wants a number and who they are calling: the phone, then the
    questions left (the company, the role and the need)."""
    action = ValidateLeadForm(store=store, settings=settings)
    voice = {"parley_channel": "voice", "caller": "+14155550123"}
    slots, said = await run(
        action,
        text="nah",
        intent="deny",
        slots={"requested_slot": "lead_email", "handoff_requested": True,
               "skipped_fields": ["name"]},
        metadata=voice,
    )  # fmt: skip
    assert said == ["utter_handoff_reach_you"]
    assert slots["requested_slot"] == "lead_phone"
    assert "email" in slots["skipped_fields"]
    assert not {"company", "role", "need"} & set(slots["skipped_fields"])
    tracker = make_tracker(
        "no i'd rather not",
        intent="deny",
        slots={"requested_slot": "lead_phone", "handoff_requested": True,
               "skipped_fields": ["name", "email", "role", "need"]},
        metadata=voice,
    )  # fmt: skip
    tracker.events.insert(0, {"event": "bot", "metadata": {RESPONSE_KEY: REACH_YOU}})
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN)  # type: ignore[arg-type]
    assert slot_events(events)["requested_slot"] is None
    # Put through on the number they call from: the company kept for later is not asked
    # after the handoff.
    assert "company" in slot_events(events)["skipped_fields"]
    assert FollowupAction("action_human_handoff") in events
    assert "utter_lead_form_declined" not in responses(dispatcher)


async def test_a_greeting_said_again_mid_form_counts_as_a_try_at_the_question(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    tracker = make_tracker(
        "hello? sorry you cut out",
        intent="greet",
        slots={"requested_slot": "lead_email", "lead_name": "Ama", "field_attempts": 1},
    )
    tracker.events[:0] = [
        {"event": "user", "text": "hello? sorry you cut out"},
        {"event": "bot", "metadata": {RESPONSE_KEY: "utter_form_continue"}},
    ]
    tracker.events.append({"event": "bot", "metadata": {RESPONSE_KEY: "utter_form_continue"}})
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN)  # type: ignore[arg-type]
    assert slot_events(events)["field_attempts"] == 2


async def test_asked_for_sales_then_no_way_back_is_not_told_no_details_are_needed(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    tracker = make_tracker(
        "i'd rather give that to the salesperson",
        intent="skip",
        slots={"requested_slot": "lead_email", "skipped_fields": ["name"]},
    )
    tracker.events.insert(0, {"event": "bot", "metadata": {RESPONSE_KEY: "utter_sales_intro"}})
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, DOMAIN)  # type: ignore[arg-type]
    assert responses(dispatcher) == ["utter_handoff_reach_you"]


async def test_a_question_taken_for_an_answer_is_answered_and_the_question_asked_again(
    store: ProfileStore, settings: Settings
) -> None:
    """The classifier took it for an answer (inform, unsure): the words still ask one of
    Parley's own topics, which is answered; nothing is stored and the name is asked again."""
    action = ValidateLeadForm(store=store, settings=settings)
    slots, said = await run(
        action,
        text="sorry to jump in but what does your platform actually offer",
        intent="inform",
        slots={"requested_slot": "lead_name"},
    )
    assert said == ["utter_answer_what_it_does"]
    assert "lead_name" not in slots and "lead_attempts" not in slots
    slots, said = await run(
        action,
        text="still not clear on why you'd want my email",
        intent="inform",
        slots={"requested_slot": "lead_email", "lead_name": "Priya"},
    )
    assert said == ["utter_answer_why_needed"] and "lead_email" not in slots


async def test_an_address_said_with_spaces_is_checked_before_it_is_stored(
    store: ProfileStore, settings: Settings
) -> None:
    """ "it's doherty plumbing at eircom dot net": asked about once, stored on a yes."""
    action = ValidateLeadForm(store=store, settings=settings)
    said_it = {"requested_slot": "lead_email", "lead_name": "Pat Doherty"}
    slots, said = await run(action, text="it's doherty plumbing at eircom dot net", slots=said_it)
    assert slots["detail_guess"] == "dohertyplumbing@eircom.net"
    assert slots["guess_pending"] is True and slots["requested_slot"] == "lead_email"
    assert "lead_email" not in slots and said == []
    pending = {**said_it, "detail_guess": "dohertyplumbing@eircom.net", "guess_pending": True}
    slots, _ = await run(action, text="yes that's it", intent="affirm", slots=pending)
    assert slots["lead_email"] == "dohertyplumbing@eircom.net"
    assert slots["guess_pending"] is False and slots["requested_slot"] == "lead_phone"
    contact = store.contacts.for_identity("rest", "visitor-1")
    assert contact is not None and contact.email == "dohertyplumbing@eircom.net"


async def test_a_wrong_guess_asks_for_the_detail_again_and_is_not_offered_twice(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    pending = {
        "requested_slot": "lead_email",
        "detail_guess": "dohertyplumbing@eircom.net",
        "guess_pending": True,
    }
    slots, said = await run(action, text="/deny", intent="deny", slots=pending)
    assert said == ["utter_guess_wrong"] and "lead_email" not in slots
    assert slots["guess_pending"] is False and slots["needs_help"] is True
    again = {**pending, "guess_pending": False, "needs_help": True}
    slots, said = await run(action, text="doherty plumbing at eircom dot net", slots=again)
    assert "detail_guess" not in slots and "lead_email" not in slots
    assert store.contacts.for_identity("rest", "visitor-1") is None


async def test_a_national_number_valid_elsewhere_is_checked_in_that_country(
    store: ProfileStore, settings: Settings
) -> None:
    """ "07812 345 678" where numbers are read as American: a UK mobile, if they say so."""
    action = ValidateLeadForm(store=store, settings=settings)
    asked = {"requested_slot": "lead_phone", "lead_email": "dean@gmail.com"}
    slots, _ = await run(action, text="07812 345 678", slots=asked)
    assert slots["detail_guess"] == "+447812345678" and slots["guess_pending"] is True
    # Anything but a yes or a no is read as an answer as usual.
    pending = {**asked, "detail_guess": "+447812345678", "guess_pending": True}
    slots, _ = await run(action, text="+44 7812 345679", slots=pending)
    assert slots["lead_phone"] == "+447812345679"


async def test_a_question_asked_first_is_no_refusal_of_the_details(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    said = (
        "quick question first what do you do with the information people type into the chat "
        "we're a law firm so confidentiality matters"
    )
    events = await action.run(
        CollectingDispatcher(),
        make_tracker(said, intent="ask_data_use", slots={"requested_slot": "lead_name"}),
        DOMAIN,
    )
    # left to the rules, which answer it; the name is asked again after
    assert events == []
    _, declined = await run(
        action, text="questions first, then maybe", slots={"requested_slot": "lead_name"}
    )
    assert declined == ["utter_lead_form_declined"]


async def test_a_pause_asked_for_is_no_detail(store: ProfileStore, settings: Settings) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, _ = await run(
        action,
        text="hang on the tractor's after starting",
        intent="ask_next_steps",
        slots={"requested_slot": "lead_phone", "lead_name": "Eoghan Kinsella"},
    )
    assert "lead_company" not in slots
    assert "lead_phone" not in slots


async def test_asking_why_the_email_is_wanted_is_no_refusal_of_it(
    store: ProfileStore, settings: Settings
) -> None:
    action = ValidateLeadForm(store=store, settings=settings)
    slots, _ = await run(
        action,
        text="why do you need my email po can't you just call me on this number",
        intent="ask_why_needed",
        slots={"requested_slot": "lead_email", "lead_name": "Jerome Santiago"},
    )
    assert "email" not in (slots.get("skipped_fields") or [])
