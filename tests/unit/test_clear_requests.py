"""nlu/clear_requests.py: a clear request in a long message, and data-subject wording."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu.clear_requests import (
    ClearRequestClassifier,
    clear_request,
    corrected_intent,
    is_data_subject_request,
)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "hiya, so we run three cafes in galway and the website gets a fair few enquiries "
            "that nobody answers, could someone give us a demo sometime",
            "request_demo",
        ),
        (
            "good evening, I am managing the marketing for a school group and we would like "
            "to know how much your product is costing for fifty staff",
            "ask_pricing",
        ),
        (
            "we have compared quite a lot of vendors already and we would like a formal "
            "quotation for our head office as soon as possible",
            "talk_to_sales",
        ),
        (
            "honestly we don't need a demo or anything like that, just tell me roughly what "
            "the pricing looks like for a small team",
            "ask_pricing",
        ),
        (
            "my brother recommended you, we run two bakeries in leeds and i'd like someone to "
            "show us your software before we decide anything",
            "request_demo",
        ),
        (
            "so a friend of mine uses it for her salon and i want to see how it works for my "
            "little shop if that's alright",
            "request_demo",
        ),
        ("i'd like a demo", None),  # short: DIET's own business
        (
            "hello hello, lovely weather here in adelaide today, hope it is where you are too",
            None,
        ),
    ],
)
def test_the_one_clear_request_of_a_long_message(text: str, intent: str | None) -> None:
    assert clear_request(text) == intent


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("what data do you hold on me?", True),
        ("send me my personal data", True),
        ("which details of mine are you storing", True),
        ("DSGVO Auskunft bitte, data access request", True),
        ("what did you store from this chat", True),
        ("send me some info about your product", False),
        ("can I get information on your plans", False),
        ("could you email me a brochure with the details", False),
    ],
)
def test_data_subject_requests_need_data_subject_wording(text: str, subject: bool) -> None:
    assert is_data_subject_request(text) is subject


def test_a_product_request_taken_for_a_data_request_becomes_the_next_product_guess() -> None:
    ranking = [
        {"name": "request_data", "confidence": 0.6},
        {"name": "ask_pricing", "confidence": 0.3},
    ]
    assert corrected_intent("can I get information on your plans", "request_data", ranking) == (
        "ask_pricing"
    )
    odd = [{"name": "request_data", "confidence": 0.6}, {"name": "opt_out", "confidence": 0.3}]
    assert corrected_intent("send me some info about your product", "request_data", odd) == (
        "request_info"
    )
    assert corrected_intent("what do you know about me", "request_data", ranking) is None
    assert corrected_intent("/request_data", "request_data", ranking) is None
    assert corrected_intent("some text", "inform", ranking) is None


def test_the_component_settles_the_intent_and_keeps_the_ranking() -> None:
    message = Message(
        data={
            "text": "we're a team of twelve at a law firm in dublin and I'd love to see a demo "
            "of how this would work on our website",
            "intent": {"name": "nlu_fallback", "confidence": 0.45},
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.45}],
        }
    )
    [processed] = ClearRequestClassifier().process([message])
    assert processed.get("intent") == {"name": "request_demo", "confidence": 1.0}
    assert [r["name"] for r in processed.get("intent_ranking")] == ["request_demo", "nlu_fallback"]


@pytest.mark.parametrize(
    ("text", "intent", "corrected"),
    [
        ("works with hubspot?", "nlu_fallback", "ask_integrations"),
        ("hello, I have some questions about your product", "request_info", "ask_capabilities"),
        ("before I give my details I have a few questions.", "ask_why_needed", "ask_capabilities"),
        ("questions: why do you need my email?", "ask_why_needed", None),
        ("works with hubspot?", "ask_integrations", None),
    ],
)
def test_integration_questions_and_announced_questions(
    text: str, intent: str, corrected: str | None
) -> None:
    assert corrected_intent(text, intent, []) == corrected


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what happens after I give you all this?", "ask_next_steps"),
        ("so what comes next", "ask_next_steps"),
        ("how long until someone calls me", "ask_next_steps"),
        ("why do you want my number", "ask_why_needed"),
        ("what will you use my email for", "ask_why_needed"),
        ("and what would you do with our members' data?", "ask_data_use"),
        ("how do you look after my details", "ask_data_use"),
        ("what happens if I say no", None),
        ("what happened to my order", None),
        ("wait, am I talking to a real person?", "bot_challenge"),
        ("hang on is this a bot", "bot_challenge"),
    ],
)
def test_next_steps_why_needed_and_bot_questions_are_read_when_diet_could_not_place_them(
    text: str, intent: str | None
) -> None:
    assert corrected_intent(text, "nlu_fallback", []) == intent
    assert corrected_intent(text, "greet", []) is None  # only an unplaced message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hi there, ringing about your lead software", "request_info"),
        ("i would like to hear a bit more", "request_info"),
        ("we are interested in your booking bot for the salon", "request_info"),
        ("not interested in your product, thanks", None),
        ("calling about my invoice", None),
        ("hi uh we're comparing vendors", "request_info"),
        ("im in the van, phoning about getting one of these chat things", "request_info"),
        ("g'day keen to see how your platform handles sms campaigns", "request_info"),
        ("good afternoon", None),
    ],
)
def test_wanting_to_hear_about_the_product_is_a_request_for_information(
    text: str, expected: str | None
) -> None:
    assert corrected_intent(text, "nlu_fallback", []) == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("it work with salesforce", "inform", "ask_integrations"),
        ("and does it hook up to xero?", "chitchat", "ask_integrations"),
        ("we work with salesforce a lot", "inform", None),
        ("am i talking to a robot here", "human_handoff", "bot_challenge"),
        ("can I talk to a real person please", "human_handoff", None),
    ],
)
def test_questions_guessed_as_statements_or_handoffs_are_read_from_their_words(
    text: str, intent: str, expected: str | None
) -> None:
    assert corrected_intent(text, intent, []) == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("just connect me", "nlu_fallback", "human_handoff"),
        ("connect me now", "goodbye", "human_handoff"),
        ("ok just put me through to someone", "nlu_fallback", "human_handoff"),
        ("does it connect with hubspot", "nlu_fallback", "ask_integrations"),
        ("goodbye then", "goodbye", None),
    ],
)
def test_asking_to_be_put_through_is_a_handoff(
    text: str, intent: str, expected: str | None
) -> None:
    assert corrected_intent(text, intent, []) == expected


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("we're a bakery and online orders keep getting lost", "out_of_scope"),
        ("my physio clinic misses calls all day", "nlu_fallback"),
        ("we're swamped with messages from customers", "chitchat"),
        ("could this help a small architecture practice?", "ask_integrations"),
        ("do u do anything for florists", "chitchat"),
        ("is it any good for a music school", "nlu_fallback"),
    ],
)
def test_a_business_problem_or_a_fit_question_asks_to_hear_about_the_product(
    text: str, guess: str
) -> None:
    assert corrected_intent(text, guess, []) == "request_info"


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("stop texting me", "opt_out"),
        ("does it work with pipedrive", "ask_integrations"),
        ("my name is Tom", "nlu_fallback"),
        ("we keep missing calls", "inform"),  # DIET placed it: the form reads the answer
    ],
)
def test_other_messages_are_no_need(text: str, guess: str) -> None:
    assert corrected_intent(text, guess, []) != "request_info"


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("come again", "opt_in"),
        ("sorry, you what?", "ask_capabilities"),
        ("pardon?", "affirm"),
        ("Sorry, could you rephrase that?", "ask_capabilities"),
        ("can you say that differently", "affirm"),
        ("hang on sorry what was that", "skip"),
        # Lost, not leaving.
        ("oh you've lost me there", "goodbye"),
        ("i'm not following, sorry", "deny"),
    ],
)
def test_asking_to_hear_it_again_is_no_answer(text: str, guess: str) -> None:
    assert corrected_intent(text, guess, []) == "nlu_fallback"


def test_a_business_question_guessed_as_data_use_or_a_detail_asks_about_the_product() -> None:
    assert corrected_intent("you guys do like a bot for websites?", "ask_data_use", []) == (
        "request_info"
    )
    assert corrected_intent("would this work for a florist?", "inform", []) == "request_info"
    assert corrected_intent("what do you do with my data", "ask_data_use", []) is None


def test_needing_to_speak_to_somebody_is_a_handoff() -> None:
    assert corrected_intent("I'd like to talk to a real person", "nlu_fallback", []) == (
        "human_handoff"
    )
    assert corrected_intent("look i just need to speak to somebody", "nlu_fallback", []) == (
        "human_handoff"
    )


def test_refusing_texts_because_of_a_busy_phone_is_no_need() -> None:
    assert corrected_intent("please no texts, my phone is chaos", "opt_out", []) is None


@pytest.mark.parametrize(
    ("text", "guess"),
    [("hmm, do i, do i have to give that?", "cancel"), ("is the phone mandatory", "deny"),
     ("is that optional?", "nlu_fallback")],
)  # fmt: skip
def test_asking_whether_a_detail_is_required_is_asking_why(text: str, guess: str) -> None:
    assert corrected_intent(text, guess, []) == "ask_why_needed"


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("i'd like to know what personal information you hold", "nlu_fallback"),
        ("could you tell me what you have on file", "request_info"),
        ("just want to see what details you have on me", "ask_capabilities"),
    ],
)
def test_asking_for_ones_own_data_in_other_words_is_a_data_request(text: str, guess: str) -> None:
    assert corrected_intent(text, guess, []) == "request_data"


def test_quick_qs_announces_questions_whatever_diet_guessed() -> None:
    assert corrected_intent("quick qs", "book_meeting", []) == "ask_capabilities"


def test_what_happens_after_giving_details_asks_what_comes_next() -> None:
    said = "wait, what happens after I give you my details? does someone ring me?"
    assert corrected_intent(said, "ask_data_use", []) == "ask_next_steps"
    assert corrected_intent("what do you do with my details after?", "ask_data_use", []) is None


def test_what_happens_to_my_data_asks_how_it_is_used_not_to_see_it() -> None:
    assert (
        corrected_intent("what happens to my personal data if I sign up?", "ask_data_use", [])
        is None
    )


def test_thanks_needs_a_word_of_thanks() -> None:
    assert corrected_intent("qwv nnx", "thank", []) == "nlu_fallback"
    assert corrected_intent("cheers, very helpful", "thank", []) is None
    assert corrected_intent("thx", "thank", []) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Does it push contacts into HubSpot or would I be copy-pasting everything?",
            "ask_integrations",
        ),
        ("can it feed google sheets?", "ask_integrations"),
        ("do our teams get a ping?", None),  # "teams" is a word here, not a product
        ("we keep everything in HubSpot", None),  # told, not asked
    ],
)
def test_a_question_naming_a_product_asks_about_integrations(
    text: str, expected: str | None
) -> None:
    assert corrected_intent(text, "nlu_fallback", []) == expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("What information do you actually hold about me?", "nlu_fallback"),
        ("I just want to see what you've got on file", "request_info"),
        ("what details have you collected on me", "ask_data_use"),
    ],
)
def test_asking_what_is_held_in_other_words_is_a_data_request(text: str, intent: str) -> None:
    assert corrected_intent(text, intent, []) == "request_data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Do you keep the data in Europe? It is important for the RGPD.", "ask_data_use"),
        ("where will our customer info be hosted?", "ask_data_use"),
        (
            "Bonjour, I am looking for a solution to qualify the prospects who come on our website.",
            "request_info",
        ),
    ],
)
def test_more_questions_diet_could_not_place(text: str, expected: str) -> None:
    assert corrected_intent(text, "nlu_fallback", []) == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("What does it do that a plain contact form doesn't?", "nlu_fallback", "ask_capabilities"),
        (
            "Will you need a phone number too? What would that be used for?",
            "nlu_fallback",
            "ask_why_needed",
        ),
        ("what would that be used for?", "ask_data_use", "ask_why_needed"),
        ("for what do you need the email actually", "nlu_fallback", "ask_why_needed"),
    ],
)
def test_what_it_does_and_why_a_detail_is_needed(text: str, intent: str, expected: str) -> None:
    assert corrected_intent(text, intent, []) == expected


@pytest.mark.parametrize(("text", "intent"), [("??? !!!", "bot_challenge"), ("...", "affirm")])
def test_punctuation_alone_says_nothing(text: str, intent: str) -> None:
    assert corrected_intent(text, intent, []) == "nlu_fallback"


@pytest.mark.parametrize(
    "text",
    ["Doei.", "tschüss!", "ok ta-ra then", "Totsiens", "au revoir", "mi gone, likkle more",
     "gotta go, laters"],
)  # fmt: skip
def test_a_farewell_in_other_words_is_a_goodbye(text: str) -> None:
    assert corrected_intent(text, "affirm", []) == "goodbye"
    # taken for a withdrawal, it withdraws nothing
    assert corrected_intent(text, "opt_out", []) == "goodbye"
    assert corrected_intent("dag is fine", "affirm", []) is None


def test_asking_whether_this_is_a_machine_is_a_bot_challenge_not_a_product_question() -> None:
    said = "first can you tell me if i am speaking to a machine"
    assert corrected_intent(said, "ask_capabilities", []) == "bot_challenge"
    product = "is this a bot that books demos for my clients?"
    assert corrected_intent(product, "ask_capabilities", []) != "bot_challenge"


def test_a_job_with_operator_in_it_is_no_request_for_an_operator() -> None:
    assert corrected_intent("owner operator", "human_handoff", []) == "inform"
    assert corrected_intent("put me through to the operator", "human_handoff", []) is None


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("can we leave that for the demo?", "request_demo"),
        ("I'll tell them when we talk.", "ask_next_steps"),
        ("I'll tell your colleague.", "request_info"),
    ],
)
def test_putting_a_question_off_is_a_skip_not_a_request(text: str, guess: str) -> None:
    assert corrected_intent(text, guess, []) == "skip"


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("does it hook into cliniko?", "request_info"),
        ("can it talk to servicem8", "nlu_fallback"),
        ("does it push leads into our crm?", "ask_capabilities"),
    ],
)
def test_asking_whether_it_connects_to_a_tool_asks_about_integrations(
    text: str, guess: str
) -> None:
    assert corrected_intent(text, guess, []) == "ask_integrations"


def test_gathering_information_on_tools_names_no_integration() -> None:
    said = "i have been asked to gather information on website enquiry tools for our branch"
    assert corrected_intent(said, "ask_integrations", []) == "request_info"
    assert corrected_intent("does it work with hubspot", "ask_integrations", []) is None


@pytest.mark.parametrize(
    ("text", "guess", "expected"),
    [
        ("ur not gonna spam me right? what do u do w my number", "nlu_fallback", "ask_data_use"),
        ("does it work w jobber?", "ask_capabilities", "ask_integrations"),
        ("i am sorry could you say it in other words", "ask_data_use", "nlu_fallback"),
        ("hello kindly share details of your marketing automation product", "nlu_fallback",
         "request_info"),
        ("alright looking for a crm-ish thing for our leads what've you got", "ask_integrations",
         "request_info"),
        ("hi owner here. need a better way to handle new patient requests", "nlu_fallback",
         "request_info"),
    ],
)  # fmt: skip
def test_texting_shorthand_and_plain_openers_are_placed(
    text: str, guess: str, expected: str
) -> None:
    assert corrected_intent(text, guess, []) == expected


@pytest.mark.parametrize(
    ("text", "guess", "expected"),
    [
        ("can it reply to tiktok messages too?", "request_info", "ask_integrations"),
        ("what do u guys do w ppls data", "nlu_fallback", "ask_data_use"),
        ("could you remove my information i don't want to be contacted anymore", "nlu_fallback",
         "request_erasure"),
        ("how long do you keep my data before deleting it", "nlu_fallback", None),
        ("i don't want any more messages just remove my information", "request_info",
         "request_erasure"),
        ("please delete my details from your records", "ask_capabilities", "request_erasure"),
        ("under GDPR I'd like to know what personal data you hold about me", "request_data",
         None),
        ("under GDPR I'd like to know what personal data you hold about me", "request_info",
         "request_data"),
    ],
)  # fmt: skip
def test_channels_and_plain_erasure_requests_are_placed(
    text: str, guess: str, expected: str | None
) -> None:
    assert corrected_intent(text, guess, []) == expected


@pytest.mark.parametrize(
    ("text", "intent", "corrected"),
    [
        ("does it work on whatsapp?", "ask_capabilities", "ask_integrations"),
        ("is it available on telegram", "nlu_fallback", "ask_integrations"),
        ("can i use it on my wordpress site?", "ask_capabilities", "ask_integrations"),
        ("hello sir i want to know some details", "nlu_fallback", "request_info"),
    ],
)
def test_working_on_a_channel_and_wanting_details_of_the_product(
    text: str, intent: str, corrected: str
) -> None:
    assert corrected_intent(text, intent, []) == corrected


@pytest.mark.parametrize(
    "text", ["just a human pls, no offence", "a real person please", "an agent now"]
)
def test_a_person_and_only_a_person_is_a_request_for_one(text: str) -> None:
    assert corrected_intent(text, "nlu_fallback", []) == "human_handoff"


def test_what_is_done_with_the_details_is_asked_even_when_taken_for_the_product() -> None:
    text = "wait, what do you actually do with all this info?"
    assert corrected_intent(text, "request_info", []) == "ask_data_use"
    assert corrected_intent("what does it actually do?", "request_info", []) is None


def test_a_time_before_the_details_asks_for_a_meeting() -> None:
    text = "sorry can we just sort out a time first"
    assert corrected_intent(text, "request_info", []) == "book_meeting"
    assert corrected_intent(text, "book_meeting", []) is None


def test_a_meeting_asked_for_in_plain_words_is_one() -> None:
    assert corrected_intent(
        "Hi, I'd like to set up a call with sales please", "nlu_fallback", []
    ) == ("book_meeting")
    seen_live = "We're evaluating a few chat tools and I'd love to see yours live before we decide."
    assert corrected_intent(seen_live, "request_info", []) == "request_demo"
    assert corrected_intent("what happens on the demo?", "request_info", []) == "ask_next_steps"


def test_what_happens_on_a_demo_asks_about_it_and_works_together_asks_about_integrations() -> None:
    text = "and what happens on one of your demo calls, like what do you go through?"
    assert corrected_intent(text, "request_demo", []) == "ask_next_steps"
    together = "Does it work together with HubSpot? We use it as CRM."
    assert corrected_intent(together, "inform", []) == "ask_integrations"


def test_a_question_about_the_demo_diet_could_not_place_asks_what_happens() -> None:
    said = "ok and what happens in that demo, how long does it take?"
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "request_demo", "confidence": 0.4},
    ]
    assert corrected_intent(said, "nlu_fallback", ranking) == "ask_next_steps"


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("would love to see it running", "request_demo"),
        ("hooroo, off to the footy", None),
        ("ok gotta dash, cheers", None),
        ("lovely, have a good weekend", None),
    ],
)
def test_a_goodbye_without_words_of_leaving_is_placed_again(said: str, intent: str | None) -> None:
    assert corrected_intent(said, "goodbye", []) == intent


def test_asking_for_the_person_spoken_to_before_is_a_handoff() -> None:
    said = "could i talk to the same lady as last week please"
    assert corrected_intent(said, "ask_capabilities", []) == "human_handoff"


def test_a_question_mentioning_messages_is_no_opt_out() -> None:
    said = "so what the bot does exactly? we get loads of messages from customers"
    assert corrected_intent(said, "opt_out", []) != "opt_out"
    assert corrected_intent("could you stop messaging me?", "opt_out", []) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("would I be able to have my info wiped at some point?", "ask_data_use"),
        ("if we stop using you, can you delete what you hold?", "ask_data_use"),
        ("please delete my details", None),
        ("can you erase everything you have on me?", None),
    ],
)
def test_deleting_asked_about_for_later_is_a_question_not_the_request(
    text: str, expected: str | None
) -> None:
    assert corrected_intent(text, "request_erasure", []) == expected


def test_what_happens_after_giving_details_asks_for_the_next_steps() -> None:
    assert corrected_intent("what will happen once i share my details", "ask_data_use", []) == (
        "ask_next_steps"
    )
    # Said as a second-language speaker does: "what happen after".
    assert corrected_intent("what happen after i send my number", "ask_data_use", []) == (
        "ask_next_steps"
    )


def test_a_story_with_my_in_it_is_no_request_about_ones_data() -> None:
    story = "hiya, my brother-in-law said to ring you, I've got a small garage in Leeds"
    assert not is_data_subject_request(story)
    ranking = [{"name": "request_data"}, {"name": "request_info"}]
    assert corrected_intent(story, "request_data", ranking) == "request_info"


@pytest.mark.parametrize(
    ("text", "guess", "expected"),
    [
        (
            "does it hook up to shopify, our store runs on it",
            "ask_capabilities",
            "ask_integrations",
        ),
        ("and how much would a team of ten be looking at", "ask_capabilities", "ask_pricing"),
        ("what does your assistant actually do all day", "ask_capabilities", None),
    ],
)
def test_a_question_naming_its_topic_plainly_gets_that_topic(
    text: str, guess: str, expected: str | None
) -> None:
    assert corrected_intent(text, guess, []) == expected


def test_a_tool_named_in_a_question_taken_for_an_enquiry_asks_about_integrations() -> None:
    said = "does it plug into squarespace, that's where our site lives"
    assert corrected_intent(said, "request_info", []) == "ask_integrations"


def test_a_yes_or_no_question_about_the_product_taken_for_an_enquiry_is_a_question() -> None:
    said = "hello! is your assistant able to reply in french?"
    assert corrected_intent(said, "request_info", []) == "ask_capabilities"
    assert corrected_intent("what does it actually do?", "request_info", []) is None


def test_a_marketers_topic_close_behind_a_generic_guess_wins() -> None:
    ranking = [
        {"name": "request_info", "confidence": 0.6},
        {"name": "topic_careers", "confidence": 0.3},
    ]
    assert corrected_intent("got any openings for illustrators?", "request_info", ranking) == (
        "topic_careers"
    )
    far_behind = [ranking[0], {"name": "topic_careers", "confidence": 0.02}]
    assert corrected_intent("got any openings for illustrators?", "request_info", far_behind) != (
        "topic_careers"
    )


@pytest.mark.parametrize(
    ("text", "guess"),
    [
        ("maria dot lopez plus demo at gmail dot com", "request_demo"),
        ("it's sales.team@brightcoast.io", "talk_to_sales"),
        ("hello at hellofresh dot de", "greet"),
    ],
)
def test_an_address_with_a_request_word_in_it_is_the_address(text: str, guess: str) -> None:
    assert corrected_intent(text, guess, []) == "inform"


def test_a_request_said_beside_an_address_stays_a_request() -> None:
    assert corrected_intent("book me a demo, I'm ana@brightcoast.io", "request_demo", []) is None


@pytest.mark.parametrize(
    "text",
    ["What exactly your platform is doing for a shop like mine?", "what the software do exactly"],
)
def test_what_it_does_asked_in_a_second_languages_word_order(text: str) -> None:
    assert corrected_intent(text, "nlu_fallback", []) == "ask_capabilities"


def test_what_happens_to_what_people_type_asks_about_data_use() -> None:
    said = "if a customer chats with it, what happens to what they write?"
    assert corrected_intent(said, "ask_next_steps", []) == "ask_data_use"
    assert corrected_intent("what happens after I give my details?", "ask_next_steps", []) is None


def test_a_quote_the_persons_own_clients_ask_for_is_no_sales_request() -> None:
    said = "customers ask us for a quote by email and we take days to reply"
    assert corrected_intent(said, "nlu_fallback", []) != "talk_to_sales"


def test_what_is_done_with_an_address_asks_about_data_use_not_why_it_is_needed() -> None:
    said = "hold on, what will you do with my number? do you pass it on?"
    assert corrected_intent(said, "ask_why_needed", []) == "ask_data_use"
    assert corrected_intent("why do you need my number?", "ask_why_needed", []) is None


def test_what_a_company_has_on_file_about_me_is_a_data_request() -> None:
    said = "could you tell me what personal details your firm keeps on file about me"
    assert corrected_intent(said, "request_info", []) == "request_data"


def test_setting_up_a_call_with_sales_is_a_meeting() -> None:
    said = "hello, could we set up a call with your sales people next week"
    assert corrected_intent(said, "talk_to_sales", []) == "book_meeting"
    assert corrected_intent("I want to talk to sales", "talk_to_sales", []) is None


@pytest.mark.parametrize(
    ("text", "guess", "intent"),
    [
        # Words that say nothing about money are no question about price.
        ("Check with Joanne.", "ask_pricing", "nlu_fallback"),
        ("what sort of outlay are we looking at", "ask_pricing", None),
        ("is it pricey for a two-person shop", "ask_pricing", None),
        # A person asked for in question form is a request for one.
        (
            "hello this is ana from rio tiles could i speak with a real person",
            "nlu_fallback",
            "human_handoff",
        ),
        ("can I chat with one of your team please", "inform", "human_handoff"),
        # Someone asked to be put through to sales, for themselves or for their boss.
        (
            "our owner would like to talk to your sales people this week about the website bot",
            "request_info",
            "talk_to_sales",
        ),
    ],
)
def test_price_needs_money_words_and_speaking_to_sales_is_sales(
    text: str, guess: str, intent: str | None
) -> None:
    assert corrected_intent(text, guess, []) == intent


@pytest.mark.parametrize(
    ("text", "intent", "corrected"),
    [
        # "chat" is no question about the bot when the question is what comes next.
        (
            "What happens after this chat, exactly? Do I get a proposal, or a call, or both?",
            "bot_challenge",
            "ask_next_steps",
        ),
        ("am I talking to a real person?", "bot_challenge", None),
        # Thanks and a remark at the end ask nothing more about the product.
        (
            "Thank you so much, this was really useful, I will share with my founder today",
            "ask_capabilities",
            "thank",
        ),
        ("Thanks. Tell me more about what it does", "ask_capabilities", None),
        ("thanks, can you send me more info?", "request_info", None),
    ],
)
def test_a_closing_remark_and_a_chat_that_is_not_about_the_bot(
    text: str, intent: str, corrected: str | None
) -> None:
    assert corrected_intent(text, intent, []) == corrected


@pytest.mark.parametrize(
    ("text", "intent", "corrected"),
    [
        ("i just want my details gone please", "ask_why_needed", "request_erasure"),
        ("i don't want my details deleted", "ask_why_needed", None),
        ("Convince me: how is this different from Qualified or Drift?", "inform",
         "ask_capabilities"),
        ("I'm a VP of marketing, we already run Qualified. Give me a reason to switch.",
         "inform", "ask_capabilities"),
        ("something better than drift", "inform", None),
        ("Let me guess, you want my cell next. What for?", "ask_next_steps", "ask_why_needed"),
        ("what's the difference? what for?", "ask_next_steps", None),
        ("Before I type anything in: what does Parley do that HubSpot's free chat widget "
         "doesn't?", "ask_integrations", "ask_capabilities"),
        ("does it sync with hubspot?", "ask_integrations", None),
    ],
)  # fmt: skip
def test_erasure_comparisons_and_what_a_detail_is_for_in_other_words(
    text: str, intent: str, corrected: str | None
) -> None:
    assert corrected_intent(text, intent, []) == corrected


@pytest.mark.parametrize(
    ("text", "intent", "corrected"),
    [
        (
            "Before I give you a phone number, what would you use it for? Don't want to be "
            "hounded.",
            "ask_capabilities",
            "ask_why_needed",
        ),
        (
            "May I ask what happens to this information? We're quite careful with people's "
            "details.",
            "request_info",
            "ask_data_use",
        ),
        ("Can it work along with Booking.com or Airbnb?", "ask_capabilities", "ask_integrations"),
        ("Hooroo", "greet", "goodbye"),
    ],
)
def test_what_a_detail_is_for_where_it_goes_and_goodbyes(
    text: str, intent: str, corrected: str | None
) -> None:
    assert corrected_intent(text, intent, []) == corrected


@pytest.mark.parametrize(
    ("text", "intent", "corrected"),
    [
        ("Have a good day, and thank you again.", "nlu_fallback", "goodbye"),
        ("I'll look out for the invitation. Good afternoon.", "nlu_fallback", "goodbye"),
        ("have a good one", "thank", "goodbye"),
        ("Good afternoon", "greet", None),
    ],
)
def test_a_sign_off_is_a_goodbye(text: str, intent: str, corrected: str | None) -> None:
    assert corrected_intent(text, intent, []) == corrected


def test_what_the_persons_own_customers_want_is_no_request_to_us() -> None:
    said = (
        "We run webinars every month and get like 300 signups, and then... nothing. We have "
        "no way to tell which of those people actually want a demo."
    )
    assert clear_request(said) is None
    assert clear_request("hi we are a team of ten and honestly I would love a demo next week")


def test_what_happens_if_they_go_ahead_is_about_next_steps() -> None:
    said = (
        "grand and say i wanted to go ahead what happens then do i get a call from someone or "
        "how does it work"
    )
    assert corrected_intent(said, "request_info", []) == "ask_next_steps"
    assert corrected_intent(said, "ask_next_steps", []) is None
    assert corrected_intent("I'd like to set up a call with sales please", "request_info", []) == (
        "book_meeting"
    )


@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        ("Alright, thank you for showing me", "thank"),
        ("Thanks for that, I would like a demo please", None),
        ("thanks for showing me, can I book a demo?", None),
        ("thanks for explaining, show me how it works", None),
    ],
)
def test_thanks_for_what_was_shown_is_no_demo_request(text: str, corrected: str | None) -> None:
    assert corrected_intent(text, "request_demo", []) == corrected


@pytest.mark.parametrize(
    ("text", "corrected"),
    [("Bonne journée!", "goodbye"), ("rab rakha", "goodbye"), ("bom dia", None)],
)
def test_farewells_in_other_languages(text: str, corrected: str | None) -> None:
    assert corrected_intent(text, "greet", []) == corrected


@pytest.mark.parametrize(
    "said",
    [
        "Oh and one more thing, I've had second thoughts about the texts: don't text me, email only.",
        "on reflection, no more emails from you please, thanks anyway",
    ],
)
def test_a_withdrawal_inside_a_longer_message_is_an_opt_out(said: str) -> None:
    assert corrected_intent(said, "nlu_fallback", []) == "opt_out"
    assert corrected_intent(said, "chitchat", []) == "opt_out"


@pytest.mark.parametrize(
    "said",
    [
        "please don't text me before noon, I'm on site all morning",
        "could you not email me on weekends?",
        "don't stop the demo",
    ],
)
def test_when_to_be_contacted_is_no_opt_out(said: str) -> None:
    assert corrected_intent(said, "nlu_fallback", []) != "opt_out"


def test_stopping_marketing_weighed_is_no_withdrawal() -> None:
    said = (
        "since then I receive emails from you every two weeks. Before I decide whether to "
        "unsubscribe or not, I would like to see what information you actually have about me."
    )
    assert corrected_intent(said, "opt_out", []) == "request_data"
    assert corrected_intent("please unsubscribe me", "opt_out", []) is None


def test_erasing_ones_data_asked_for_outright_beats_a_demo_in_the_story() -> None:
    said = (
        "Hello. Last spring I left my contact in your chat for a demo, but our company has "
        "closed since. Please remove all my personal data from your system."
    )
    assert corrected_intent(said, "request_demo", []) == "request_erasure"
    assert corrected_intent("I do not want you to delete my details", "request_demo", []) is None


@pytest.mark.parametrize(
    "said",
    [
        "I would really prefer to discuss that with a person.",
        "ah i'd rather go through all that with a person if it's all the same to you",
        "we've a glamping site near the skelligs and i'd much rather talk to a real person about "
        "this if there's one about, no offence to yourself",
    ],
)
def test_a_person_asked_for_in_roundabout_words(said: str) -> None:
    assert corrected_intent(said, "skip", []) == "human_handoff"


@pytest.mark.parametrize(
    ("said", "guess", "intent"),
    [
        (
            "we use odoo for everything the crm the website the invoices so my question is if your "
            "system can work together with odoo",
            "inform",
            "ask_integrations",
        ),
        ("sorry po is the number of our staff really important for the system", "request_info",
         "ask_why_needed"),
        ("okay and after this call somebody from your company will contact me or i must write to "
         "you", "inform", "ask_next_steps"),
    ],
)  # fmt: skip
def test_a_common_question_in_words_diet_missed(said: str, guess: str, intent: str) -> None:
    assert corrected_intent(said, guess, []) == intent


@pytest.mark.parametrize(
    ("said", "guess", "intent"),
    [
        ("Wait lang po, bot po ba kayo or tao? Hehe, just curious po", "ask_capabilities",
         "bot_challenge"),
        ("Pis là, je parle à un robot ou à une vraie personne?", "human_handoff", "bot_challenge"),
        ("Ek cheez batao, yeh WhatsApp Business ke saath connect ho jaata hai kya? Hamare saare "
         "buyers WhatsApp pe hi hain.", "inform", "ask_integrations"),
        ("achha ji yeh sab ke baad kya hoga koi call karega ya email aayega", "request_info",
         "ask_next_steps"),
        ("before we start what actually happens at one of these demo things", "request_demo",
         "ask_next_steps"),
        ("hmm what's the phone number for exactly? can't we just do email", "ask_capabilities",
         "ask_why_needed"),
    ],
)  # fmt: skip
def test_questions_asked_partly_in_another_language_or_taken_for_something_else(
    said: str, guess: str, intent: str
) -> None:
    assert corrected_intent(said, guess, []) == intent


def test_a_channel_that_never_stops_is_no_withdrawal_and_one_detail_left_off_no_cancel() -> None:
    busy = "Bom dia! We sell fertiliser and in planting season the WhatsApp never stops."
    assert corrected_intent(busy, "nlu_fallback", []) != "opt_out"
    off = "Could I leave the phone off? It's the family one and the kids answer it"
    assert corrected_intent(off, "cancel", []) == "skip"


@pytest.mark.parametrize(
    "said",
    [
        "Pole, nataka tu kuongea na mtu",
        "quiero hablar con una persona por favor",
        "je voudrais parler à quelqu'un",
    ],
)
def test_a_person_asked_for_in_another_language(said: str) -> None:
    assert corrected_intent(said, "nlu_fallback", []) == "human_handoff"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hubspot?", "ask_integrations"),
        ("is it a locked in contract or month to month?", "ask_pricing"),
        ("Do I really have to give you all this just to book a call?", "ask_why_needed"),
        # a demo or a meeting named: the request stands
        ("can I book a demo?", None),
        ("demo with hubspot?", None),
        ("what does the demo cost?", None),
    ],
)
def test_a_question_on_one_topic_taken_for_a_demo_request_is_that_question(
    text: str, intent: str | None
) -> None:
    ranking = [{"name": "request_demo", "confidence": 0.56}]
    assert corrected_intent(text, "request_demo", ranking) == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("team lead / agent", "inform"),
        ("real estate agent", "inform"),
        ("I'm an insurance agent", "inform"),
        ("sales agent and team lead", "inform"),
        # asking for one
        ("agent", None),
        ("agent please", None),
        ("can I talk to an agent", None),
        ("get me a sales agent", None),
    ],
)
def test_an_agent_by_trade_is_no_request_for_a_person(text: str, intent: str | None) -> None:
    assert corrected_intent(text, "human_handoff", []) == intent


@pytest.mark.parametrize(
    ("text", "diet", "intent"),
    [
        # a time to speak to someone is a meeting, not a person now
        (
            "I wonder if it might be possible to arrange a time to speak with somebody about "
            "your system? I'm in no particular hurry",
            "nlu_fallback",
            "book_meeting",
        ),
        (
            "yes hello i'd like to set up a time to talk to somebody about the um the customer "
            "program if i could",
            "book_meeting",
            None,
        ),
        ("I just need to speak to somebody", "nlu_fallback", "human_handoff"),
    ],
)
def test_a_time_to_speak_to_someone_is_a_meeting(text: str, diet: str, intent: str | None) -> None:
    assert corrected_intent(text, diet, [{"name": diet, "confidence": 0.5}]) == intent


@pytest.mark.parametrize(
    "text",
    [
        "Do you genuinely need a phone number? I get enough sales calls as it is.",
        "is my phone number really necessary?",
        "do you really need my email",
    ],
)
def test_doubting_a_detail_is_needed_asks_why(text: str) -> None:
    assert corrected_intent(
        text, "nlu_fallback", [{"name": "nlu_fallback", "confidence": 0.5}]
    ) == ("ask_why_needed")


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        # a goodbye with no word of leaving is not taken for one
        ("Ask Graham.", "goodbye", "nlu_fallback"),
        ("Send me the invitation, nothing else.", "goodbye", "nlu_fallback"),
        ("Merci bezzaf", "goodbye", "thank"),
        # farewells in many words stay goodbyes
        ("Bslama!", "goodbye", None),
        ("toodles", "goodbye", None),
        ("ok, i'll be off now, thanks", "goodbye", None),
        # a demo in the past, the person's data asked for now
        (
            "Hi, I booked a demo through this chat a few weeks back. Could you show me exactly "
            "which details you've got saved about me?",
            "request_demo",
            "request_data",
        ),
        # asked of the question just put
        ("Is that required?", "nlu_fallback", "ask_why_needed"),
    ],
)
def test_goodbyes_need_a_word_of_leaving_and_other_requests(
    text: str, intent: str, expected: str | None
) -> None:
    ranking = [{"name": intent, "confidence": 0.9}]
    assert corrected_intent(text, intent, ranking) == expected


def test_what_is_on_file_is_a_data_subject_request() -> None:
    assert is_data_subject_request("I'd just like to see what's on file, thanks.")


@pytest.mark.parametrize(
    "text",
    ["alright i'm heading out", "talk to you tomorrow", "right, i'll love you and leave you"],
)
def test_farewells_without_a_bye_stay_goodbyes(text: str) -> None:
    assert corrected_intent(text, "goodbye", [{"name": "goodbye", "confidence": 0.9}]) is None


def test_leads_landing_in_a_tool_asks_about_integrations_whatever_remark_follows() -> None:
    text = "Oh, quick one: would the leads land in Jobber? That's where we schedule everything."
    ranking = [{"name": "book_meeting", "confidence": 0.7}]
    assert corrected_intent(text, "book_meeting", ranking) == "ask_integrations"


def test_a_withdrawal_said_before_leaving_is_one() -> None:
    said = (
        "Oh, before I go, I've had a rethink about the texts. "
        "Please don't text me after all, email only."
    )
    assert corrected_intent(said, "nlu_fallback", []) == "opt_out"
    # a time to be contacted is no withdrawal
    assert corrected_intent("don't text me before 9", "nlu_fallback", []) != "opt_out"


@pytest.mark.parametrize(
    ("said", "guess"),
    [
        ("I would only like to see the data, thank you.", "nlu_fallback"),
        (
            "In the summer I downloaded a pricing guide from your website. Before I decide "
            "whether to unsubscribe, I would like to see what you have stored about me.",
            "ask_pricing",
        ),
    ],
)
def test_a_request_for_ones_own_data_after_a_story(said: str, guess: str) -> None:
    assert corrected_intent(said, guess, []) == "request_data"


@pytest.mark.parametrize("text", ["salamat po", "asante sana", "maraming salamat"])
def test_thanks_in_the_persons_language_taken_for_a_greeting_is_thanks(text: str) -> None:
    assert corrected_intent(text, "greet", [{"name": "greet", "confidence": 0.8}]) == "thank"


def test_what_the_bot_does_with_a_clients_message_is_no_data_question() -> None:
    ranking = [{"name": "ask_data_use", "confidence": 0.5}]
    said = "So concretely, what does your bot do when a client writes on our site?"
    assert corrected_intent(said, "ask_data_use", ranking) == "ask_capabilities"
    assert corrected_intent("what do you do with my data?", "ask_data_use", ranking) is None


@pytest.mark.parametrize("text", ["later later, first the questions", "my questions first, thanks"])
def test_questions_first_is_no_goodbye(text: str) -> None:
    ranking = [{"name": "goodbye", "confidence": 0.7}]
    assert corrected_intent(text, "goodbye", ranking) == "ask_capabilities"


def test_what_you_mean_asks_about_the_question() -> None:
    ranking = [{"name": "ask_data_use", "confidence": 0.7}]
    assert corrected_intent("what you mean, like who's in charge", "ask_data_use", ranking) == (
        "nlu_fallback"
    )


@pytest.mark.parametrize(
    ("said", "guess", "confidence", "intent"),
    [
        ("so is it you im talking to now like is this the bot itself", "ask_capabilities", 0.99,
         "bot_challenge"),
        ("is this chat running on your product? i.e. am I talking to the bot right now",
         "ask_capabilities", 0.99, "bot_challenge"),
        ("Hi, just curious what this is about", "ask_why_needed", 0.55, "ask_capabilities"),
        # no word of stopping, and DIET unsure: what the person was telling, not a stop
        ("i want to ask if it can handle the moving quote requests that come in on weekends",
         "cancel", 0.46, "inform"),
        ("actually let's stop", "cancel", 0.46, None),
        ("forget the whole thing", "cancel", 0.99, None),
    ],
)  # fmt: skip
def test_eleventh_round_intents(said: str, guess: str, confidence: float, intent: str) -> None:
    ranking = [{"name": guess, "confidence": confidence}]
    assert corrected_intent(said, guess, ranking) == intent


def test_the_persons_own_enquiries_told_are_no_out_of_scope() -> None:
    said = "ciao! agriturismo near bologna, booking + wedding inquiries come in from everywhere"
    assert corrected_intent(said, "out_of_scope", []) == "request_info"
    assert corrected_intent("scusa?", "out_of_scope", []) == "nlu_fallback"


@pytest.mark.parametrize(
    ("said", "guess", "intent"),
    [
        ("people want a quote for scorpions or termites and they go with whoever answers the "
         "chat first", "talk_to_sales", "inform"),
        ("I want a quote", "talk_to_sales", None),
        ("hello um yes i'd like my details taken off your computer please i put them in by "
         "mistake", "request_info", "request_erasure"),
        ("i want my number off your list", "inform", "request_erasure"),
    ],
)  # fmt: skip
def test_twelfth_round_intents(said: str, guess: str, intent: str | None) -> None:
    assert corrected_intent(said, guess, [{"name": guess, "confidence": 0.7}]) == intent
