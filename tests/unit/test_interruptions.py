"""Questions interrupt the form; bare answers that merely confuse the classifier do not."""

from __future__ import annotations

import pytest

from bot.interruptions import (
    declines,
    defers,
    has_cue,
    interrupts_form,
    is_question,
    leaves_for_now,
    refuses_outright,
    states_opt_out,
    wants_no_details,
)

CANDIDATES = frozenset(
    {"cancel", "out_of_scope", "chitchat", "bot_challenge", "human_handoff", "ask_capabilities"}
)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("are you a bot?", "bot_challenge"),
        ("never mind, forget it", "cancel"),
        ("I don't want to continue", "cancel"),
        ("can I talk to a real person", "human_handoff"),
        ("what's the capital of peru", "out_of_scope"),
        ("tell me a joke", "chitchat"),
        ("wait, am I talking to a real person?", "nlu_fallback"),
        # A filler or two before the request
        ("okay so walk me through what this does for a company like mine", "ask_capabilities"),
    ],
)
def test_confident_interruptions_interrupt(text: str, intent: str) -> None:
    assert interrupts_form(text, intent, 0.95, CANDIDATES)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("sales team please", True),
        ("hook me up with sales", True),
        ("can someone from sales call me", True),
        # A role in sales answers "what's your role?"; it asks for nobody.
        ("sales manager", False),
        ("head of sales", False),
        ("i work in sales", False),
        # Nor is a need that names quotes or orders: "what are you hoping to solve?"
        ("quote requests", False),
        ("chasing purchase orders", False),
        ("send me a quote please", True),
        ("keeping track of the quotes we send out", False),
        ("we need a quote for 20 seats", True),
        ("can I get a quotation", True),
    ],
)
def test_asking_for_sales_is_not_working_in_it(text: str, asks: bool) -> None:
    assert interrupts_form(text, "talk_to_sales", 0.95, CANDIDATES | {"talk_to_sales"}) is asks


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("chief revenue officer", "cancel", 0.97),
        ("Bartholomew Finch", "out_of_scope", 0.99),
        ("Acme Corp", "chitchat", 0.5),
        ("Globex", "nlu_fallback", 0.3),
        ("Acme Corp", "inform", 0.99),
        ("about 70 permanent staff", "human_handoff", 0.7),  # answers "how many people?"
        ("Coastline Real Estate Group", "human_handoff", 0.6),  # "real" is no real person
    ],
)
def test_answers_and_unsure_guesses_do_not(text: str, intent: str, confidence: float) -> None:
    assert not interrupts_form(text, intent, confidence, CANDIDATES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'd rather not get texts from you", True),
        ("no more marketing emails please", True),
        ("unsubscribe", True),
        ("don't stop the demo", False),
        ("stop, I meant Acme", False),
        ("no, my company is Acme", False),
    ],
)
def test_states_opt_out(text: str, expected: bool) -> None:
    from bot.interruptions import states_opt_out

    assert states_opt_out(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "I'd rather not give my number",
        "no phone thanks",
        "not comfortable sharing that",
        "skip",
        "Skip it please",
        "pass",
        "I'll pass",
        "nah",
        "No thank you.",
        "rather not",
        "I don't have one",
        "we haven't got one",
        "prefer not to say",
        "none of your business",
        "I'm not giving that out",
        "leave it blank",
        "n/a",
        "next question",
        "uh no",  # a recognizer's transcript keeps the hesitation
        "um, nope",
        "nae phone thanks, email's fine",
        # Put off to the meeting or to the person who follows up:
        "can we leave that for the demo?",
        "rather discuss that in the meeting",
        "I'll tell your colleague.",
        "i'll explain to whoever picks up",
        "I'll tell them when we talk.",
        # A person instead of the detail:
        "no just transfer me",
        "nah, just put me through",
        "just get me someone please",
        "Your colleague can ask me directly, please just connect me.",
        "I'd rather keep my phone number to myself, sorry.",
        "I'd rather not get into all that",
    ],
)
def test_refusals_decline(text: str) -> None:
    assert declines(text)


@pytest.mark.parametrize(
    "text",
    [
        "Skip Henderson",
        "Nadia Khan",
        "no, it's Acme",
        "no, my company is Initrode",
        "Next Level Media",
        "I don't know",
        "I don't want a demo",
        "Passmore Logistics",
        "I don't want to continue",
        "+44 20 7946 0958",
        "uh nathan price",
        "oh nine one five",
        "you won't share my email with anybody right?",  # a question about data use
        "Acme, I'll explain more in the demo",  # answers, then puts the rest off
        "we want to discuss leads in the meeting room",
        "just get me acme dot com",
        "Acme, please just connect me",
    ],
)
def test_answers_do_not_decline(text: str) -> None:
    assert not declines(text)


def test_working_alone_declines_only_the_company() -> None:
    assert declines("just me, I'm a freelancer", "company")
    assert declines("self-employed", "company") and not declines("self-employed", "role")


@pytest.mark.parametrize("text", ["helo", "hii there", "heyyy", "gday", "good mornin", "Hiya!"])
def test_greetings_typed_in_a_hurry_read_as_greetings(text: str) -> None:
    assert interrupts_form(text, "greet", 0.9, CANDIDATES | {"greet"})
    assert not interrupts_form("Hugo Boss", "greet", 0.9, CANDIDATES | {"greet"})


@pytest.mark.parametrize(
    "said",
    [
        "no thank you, only questions",
        "nah just wanted to ask a couple of things",
        "actually, not now",
        "Not right now, thanks.",
        "I'd rather not give any contact details",
        "maybe later",
        "just browsing really",
        "please stop asking for my details",
    ],
)
def test_turning_down_every_detail_is_read(said: str) -> None:
    assert wants_no_details(said)


@pytest.mark.parametrize(
    "said",
    [
        "no thanks",  # this question only
        "Skip Henderson",
        "not now, but next month works",
        "I only want to know the price, then book a demo",
        "just me, I'm a freelancer",
        "later today works for a call",
        "clients contact us at night and we answer only the next day",
        # a worry beside a question, not the question turned down
        "Is any of this chat stored somewhere? I'd rather not end up on a marketing list",
        "ah you won't give my number to other companies right what do you do with it",
        # a need: telling the serious from those only looking
        "We need to see quickly who is serious and who is only looking.",
    ],
)
def test_turning_down_one_question_is_not_turning_down_all(said: str) -> None:
    assert not wants_no_details(said)


@pytest.mark.parametrize(
    ("said", "intent", "confidence"),
    [
        # Spoken questions carry no "?" and often start with a filler.
        ("uh hang on is this an automated thing", "bot_challenge", 0.6),
        ("okay so what happens to my data", "ask_data_use", 0.6),
        ("sorry, quick question, how much is it", "ask_pricing", 0.6),
        # Asked without a question's word order.
        ("it connect with pipedrive also", "ask_integrations", 0.9),
        ("you a bot or a real person", "bot_challenge", 0.9),
    ],
)
def test_spoken_and_loosely_worded_questions_interrupt(
    said: str, intent: str, confidence: float
) -> None:
    assert interrupts_form(said, intent, confidence, frozenset({intent}))


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("HubSpot", "ask_integrations"),
        ("um Harriet Bott", "bot_challenge"),
        ("so Zapier", "ask_integrations"),
    ],
)
def test_an_answer_that_names_a_product_is_still_an_answer(said: str, intent: str) -> None:
    assert not interrupts_form(said, intent, 0.9, frozenset({intent}))


def test_a_question_followed_by_a_remark_is_still_a_question() -> None:
    from bot.interruptions import is_question

    assert is_question("oh wait, does it sync with Xero? that's our accounts package")
    assert not is_question("Jo? yes, Jo Park")


def test_asking_to_stop_interrupts_however_unsure_the_classifier_was() -> None:
    from actions.lead_form import INTERRUPT_INTENTS
    from bot.interruptions import interrupts_form

    assert interrupts_form("actually please stop emailing me", "opt_out", 0.57, INTERRUPT_INTENTS)
    # A guess without the words stays below the floor: an answer, not a request.
    assert not interrupts_form("Dana Stopford", "opt_out", 0.57, INTERRUPT_INTENTS)


@pytest.mark.parametrize(
    ("text", "answers"),
    [
        ("i want more people signing up for the cooking classes", True),
        ("keeping track of the quotes we send out", True),
        ("fewer no-shows at the clinic", True),
        ("we'd like our reps to stop chasing cold leads", True),
        ("I'd like a demo first", False),
        ("tell me the price", False),
        ("just want to talk to someone", False),
        ("how much is it", False),
    ],
)
def test_a_statement_answers_what_they_hope_to_solve(text: str, answers: bool) -> None:
    from bot.needs import answers_the_need_question

    assert answers_the_need_question(text) is answers


@pytest.mark.parametrize(
    ("text", "declined"),
    [
        ("I'd rather you just email me", True),
        ("email is easier", True),
        ("no calls please", True),
        ("just text me", False),  # wants the number used: not a refusal
        ("07700 900123", False),
    ],
)
def test_asked_for_a_phone_wishing_for_email_turns_it_down(text: str, declined: bool) -> None:
    assert declines(text, "phone") is declined


def test_a_sentence_about_being_reached_is_no_company() -> None:
    from bot.leads import company_problem

    assert company_problem("I'd rather you just email me") == "not_a_company"
    assert company_problem("please use my email") == "not_a_company"
    assert company_problem("Email Solutions Ltd") is None


@pytest.mark.parametrize(
    "text",
    [
        "I am only collecting info right now, will share details later",
        "Thanks, that is all for now",
        "Later, after I talk it over with my partner",
        "first I need some answers",
    ],
)
def test_more_ways_of_giving_no_details(text: str) -> None:
    assert wants_no_details(text)


def test_arranging_a_meeting_is_not_asking_for_sales() -> None:
    from bot.interruptions import has_cue, is_question

    assert not has_cue(
        "talk_to_sales",
        "I would be grateful if we could arrange a meeting to see a demonstration of your product.",
    )
    assert has_cue("talk_to_sales", "could you arrange for someone to call me")
    assert is_question("for what do you need the email actually")


def test_a_question_in_a_later_clause_makes_the_message_a_question() -> None:
    from bot.interruptions import is_question

    assert is_question("ur not gonna spam me right? what do u do w my number")
    assert not is_question("we use hubspot, which is great")
    assert not is_question("Acme Ltd, what we need is a crm")


def test_enquiries_talked_about_ask_for_no_salesperson() -> None:
    from bot.interruptions import has_cue

    need = "Our distributors complain that web enquiries take days to reach the right salesperson."
    assert not has_cue("talk_to_sales", need)
    assert has_cue("talk_to_sales", "I have an enquiry about your product")


def test_a_question_said_after_a_word_or_two_without_punctuation_is_a_question() -> None:
    from bot.interruptions import is_question

    assert is_question("ballpark what does this run per month")
    assert is_question("first off what does your software actually do")
    assert not is_question("we know how much it costs")


@pytest.mark.parametrize(
    "said",
    [
        "I'd rather stay anonymous for now",
        "I'm not ready to share personal info",
        "Information only, thanks",
        "just the answers please",
        "I will share my details once I understand the product better.",
        "I'm grand, just looking",
        "i'm just calling for information i don't need to leave a name",
        "Not giving my details, sorry",
    ],
)
def test_turning_down_every_detail_in_other_words(said: str) -> None:
    assert wants_no_details(said)


@pytest.mark.parametrize("said", ["I just want a demo", "my name is Anon Kumar", "Dana Reyes"])
def test_a_request_or_a_name_is_no_refusal_of_details(said: str) -> None:
    assert not wants_no_details(said)


@pytest.mark.parametrize("said", ["it supports hubspot or not", "you have an app or no"])
def test_a_yes_no_question_said_as_a_statement_is_a_question(said: str) -> None:
    assert is_question(said)


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        ("are you hiring at the moment?", 0.4),  # a question, however unsure
        ("I'd like to work for you", 0.9),  # a request, said with confidence
    ],
)
def test_a_marketers_topic_interrupts_every_form(text: str, confidence: float) -> None:
    from actions.lead_form import INTERRUPT_INTENTS
    from actions.qualify import QUALIFY_INTERRUPTS

    # Made in the studio after the forms' lists were written: the prefix makes it one.
    for candidates in (INTERRUPT_INTENTS, QUALIFY_INTERRUPTS, CANDIDATES):
        assert interrupts_form(text, "topic_careers", confidence, candidates)


def test_a_bare_answer_taken_for_a_topic_is_still_an_answer() -> None:
    from actions.lead_form import INTERRUPT_INTENTS

    assert not interrupts_form("Dana Hiring", "topic_careers", 0.55, INTERRUPT_INTENTS)
    # Only the prefix counts: another intent nobody listed does not interrupt.
    assert not interrupts_form("are you hiring?", "careers", 0.95, INTERRUPT_INTENTS)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("what bugs me is that leads sit in the inbox for days", False),
        ("So what we'd love is one place for every enquiry", False),
        ("what happens after I sign up?", True),
        ("what your fee is, roughly?", True),
        ("how much is it", True),
    ],
)
def test_a_statement_opening_with_a_question_word_asks_nothing(text: str, asks: bool) -> None:
    assert is_question(text) is asks


@pytest.mark.parametrize(
    ("text", "declined"),
    [
        ("honestly i never check emails, ring me instead", True),
        ("no email address, sorry, a phone call is better", True),
        ("not really on email these days", True),
        ("sure, it's pat@doyle.ie, the one I check daily", False),
    ],
)
def test_asked_for_an_email_wishing_for_a_call_turns_it_down(text: str, declined: bool) -> None:
    assert declines(text, "email") is declined


@pytest.mark.parametrize(
    "text",
    [
        "we can go into all that once someone rings me back",
        "whoever calls me back can take those details",
        "your colleague who follows up can ask me that",
    ],
)
def test_putting_a_question_off_to_the_person_who_calls(text: str) -> None:
    assert declines(text)


def test_curiosity_about_a_question_is_no_refusal_of_details() -> None:
    assert not wants_no_details("hang on, is there a human reading this? only wondering")
    assert wants_no_details("only wondering what it does, no details from me thanks")


@pytest.mark.parametrize(
    "text", ["let me sleep on it for now", "I need to think it over, cheers", "I'll have a think"]
)
def test_thinking_it_over_leaves_for_now(text: str) -> None:
    assert leaves_for_now(text)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("say we sign up, what happens with the setup", True),
        ("once I give my email who will contact me", True),
        ("we look after elderly clients so I need to know where the data is stored", True),
        ("we need to know which campaigns bring in bookings", False),
        ("if we are slow to reply, people book elsewhere", False),
    ],
)
def test_questions_after_a_condition_or_asked_indirectly(text: str, asks: bool) -> None:
    assert is_question(text) is asks


def test_automatic_replies_or_a_human_consultant_asks_if_it_is_a_bot() -> None:
    said = "this chat it is automatic replies or some human consultant"
    assert interrupts_form(said, "bot_challenge", 0.8, CANDIDATES)
    assert not interrupts_form("human resources manager", "bot_challenge", 0.8, CANDIDATES)


def test_a_company_that_starts_like_a_farewell_does_not_leave() -> None:
    assert not interrupts_form("Tara Textiles", "goodbye", 0.95, frozenset({"goodbye"}))
    assert interrupts_form("right, ta-ra then", "goodbye", 0.95, frozenset({"goodbye"}))


@pytest.mark.parametrize("text", ["no that's ok", "nah it's fine thanks", "nope, I'm good"])
def test_a_polite_no_turns_the_question_down(text: str) -> None:
    assert declines(text, "phone")


def test_how_much_in_a_later_clause_asks() -> None:
    assert is_question("Before we go on, how much does it cost per month")


@pytest.mark.parametrize(
    "said",
    ["I run the place, so owner I suppose?", "forty or so I think?", "probably March maybe?"],
)
def test_an_answer_said_with_a_doubt_is_no_question(said: str) -> None:
    assert not is_question(said)


def test_a_question_with_a_doubt_is_still_a_question() -> None:
    assert is_question("is there a free trial maybe?")


@pytest.mark.parametrize(
    "said", ["what exactly this bot is doing", "what your software is doing for shops"]
)
def test_a_question_in_a_second_languages_word_order_is_a_question(said: str) -> None:
    assert is_question(said)


@pytest.mark.parametrize(
    "said",
    [
        "Maureen Castle. Sorry, should I have said that first?",
        "Castle Florists, is that what you need?",
    ],
)
def test_a_check_on_the_answer_just_given_is_no_question(said: str) -> None:
    assert not is_question(said)


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        # What they came about, not a wish to stop the form or to reach a person.
        ("we want to cancel our old plan and move to yours", "cancel"),
        ("the cancel button in the app does nothing", "cancel"),
        ("owner/operator", "human_handoff"),
        ("forklift operator, then shift lead", "human_handoff"),
    ],
)
def test_a_subject_or_a_job_is_no_request_to_stop_or_for_a_person(said: str, intent: str) -> None:
    assert not has_cue(intent, said)


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("cancel it please", "cancel"),
        ("cancel the whole request", "cancel"),
        ("can I get an operator", "human_handoff"),
        ("Operator!", "human_handoff"),
    ],
)
def test_stopping_and_asking_for_an_operator_keep_their_words(said: str, intent: str) -> None:
    assert has_cue(intent, said)


@pytest.mark.parametrize(
    "said", ["you'd have to ask our chairman that in the meeting", "ask her on the call, please"]
)
def test_asking_someone_else_on_the_call_puts_the_question_off(said: str) -> None:
    assert defers(said)


@pytest.mark.parametrize(
    "text",
    [
        "before we continue is there a human on this line or is it a machine",
        "before i go any further how much does it cost",
    ],
)
def test_a_question_after_a_lead_in_is_a_question(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "before we set that up can you tell me real quick what it actually does like does it "
        "answer the inquiries for us or just collect them",
        "grand and say i wanted to go ahead what happens then do i get a call from someone",
    ],
)
def test_a_question_asked_indirectly_or_after_a_word_of_reply(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize("text", ["🙅 no thx", "no thx", "👎", "🙅\u200d\u2640\ufe0f"])
def test_a_refusal_in_shorthand_or_a_sign(text: str) -> None:
    assert refuses_outright(text)


def test_just_qs_wants_no_details() -> None:
    assert wants_no_details("just qs 👍")
    assert not refuses_outright("Pat")


@pytest.mark.parametrize(
    "said",
    [
        "i'm wondering if your system can reply to the messages of our students at night",
        "i just wanted to know what are the charges for this is it monthly basis or yearly basis",
        "we use odoo for everything so my question is if your system can work with odoo",
        "sorry po is the number of our staff really important for the system",
    ],
)
def test_questions_said_without_their_question_mark(said: str) -> None:
    assert is_question(said)
    assert not is_question("my question is answered thanks")


def test_an_answer_goes_on_after_a_check_on_it() -> None:
    said = "Owner, groomer, receptionist, dogsbody... sorry, is one enough? Owner, let's say"
    assert not is_question(said)


def test_driving_as_the_reason_for_help_is_no_leaving() -> None:
    assert not leaves_for_now("Learners message me and I can't reply while I'm driving")
    assert leaves_for_now("sorry i'm driving, talk later")


def test_wanting_to_know_about_the_question_asked_is_no_refusal_of_details() -> None:
    said = "Before I go on, am I talking to a computer now? I'd just like to know where I stand."
    assert not wants_no_details(said)
    assert wants_no_details("I just want to know the price")


def test_a_refusal_must_bear_on_the_marketing_it_names() -> None:
    assert not states_opt_out("in planting season the WhatsApp never stops")
    assert states_opt_out("I'd rather not get texts from you")
    assert states_opt_out("emails no thanks")


@pytest.mark.parametrize(
    "said",
    [
        "one question is our data stored in india or outside",
        "Kindly confirm if leads can be pushed there directly",
        "Est-ce que ça marche avec Google Agenda?",
        "bot po ba kayo",
    ],
)
def test_more_questions_without_their_mark(said: str) -> None:
    assert is_question(said)


@pytest.mark.parametrize(
    ("text", "opts_out"),
    [
        # a habit told, not a request to stop
        ("Texts are better for me actually, I don't check email much", False),
        ("I never really read texts", False),
        ("i don't really use email just call me", False),
        ("don't send me emails", True),
        ("I don't want texts", True),
        ("never text me", True),
    ],
)
def test_not_checking_email_is_no_opt_out(text: str, opts_out: bool) -> None:
    assert states_opt_out(text) is opts_out


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        # what happens when, told
        (
            "when people ask for estimate on the website i don't see until the night and "
            "they already call somebody else",
            False,
        ),
        ("when we're out on jobs nobody answers the website leads", False),
        ("when will someone call me", True),
        ("when we get busy, can it answer the phone", True),
        ("When my guests chat with it, will they know it is a machine? Some get upset.", True),
    ],
)
def test_a_when_clause_that_tells_is_no_question(text: str, asks: bool) -> None:
    assert is_question(text) is asks


@pytest.mark.parametrize(
    "text",
    [
        "Not now please, first clear my doubts",
        "No, I am only enquiring today. Thank you.",
        "just inquiring",
    ],
)
def test_only_enquiring_gives_no_details(text: str) -> None:
    assert wants_no_details(text)


def test_not_having_the_address_to_hand_declines_it() -> None:
    assert declines("oh i don't have the email handy my granddaughter does all that", "email")
    assert declines("I don't have it on me", "phone")


@pytest.mark.parametrize(
    ("text", "stops"),
    [
        # the channel named is wanted, the "no" is to something else
        ("Not now, please email me the proposal.", False),
        ("no thanks, just email me", False),
        ("No thanks, email is perfect for now", False),
        ("no phone, email is fine", False),
        # a refusal of what is named still stops it
        ("no, do not email me", True),
        ("email is fine, no texts", True),
        ("stop texting me, email is fine", True),
        ("no emails sms is okay", True),
    ],
)
def test_asking_to_be_written_to_is_no_opt_out(text: str, stops: bool) -> None:
    assert states_opt_out(text) is stops


@pytest.mark.parametrize(
    ("text", "none_at_all"),
    [
        ("we want to sort the serious projects from people just asking", False),
        ("customers who are just browsing take up our time", False),
        ("I'm just asking for now", True),
        ("just looking, thanks", True),
    ],
)
def test_other_people_just_looking_is_a_need_not_a_refusal(text: str, none_at_all: bool) -> None:
    assert wants_no_details(text) is none_at_all


@pytest.mark.parametrize(
    "text",
    [
        "I'll get her to come back to you. Bye.",
        "Actually, you know what, she should do this herself. I'll send her the link. Thanks anyway.",
    ],
)
def test_a_goodbye_at_the_end_leaves_for_now(text: str) -> None:
    assert leaves_for_now(text)


def test_negotiators_are_a_team_not_a_negotiation() -> None:
    assert not has_cue("talk_to_sales", "i'm the team leader for the negotiators")
    assert has_cue("talk_to_sales", "we'd like to negotiate the price")


def test_whats_app_said_first_is_no_question() -> None:
    assert not is_question("whats app is where they message us")
    assert is_question("whats the price")


def test_most_enquiries_just_checking_prices_is_a_need() -> None:
    need = "thousands of enquiries but most are just checking prices and we waste the day calling"
    assert not wants_no_details(need)
    assert wants_no_details("Skip muna po, questions lang.")


def test_an_address_given_with_a_grumble_about_email_is_no_refusal() -> None:
    said = "i don't use email much it's sorensen outfitters at gmail dot com i guess"
    assert not declines(said, "email")
    assert declines("I don't really do email, just call me back", "email")


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, I'm only after a few answers today.",
        "Hey, just a few quick Qs, not ready to sign up to anything yet.",
        "I only have a couple of questions before I give you anything, if that's ok.",
    ],
)
def test_ninth_round_no_details(text: str) -> None:
    assert wants_no_details(text)


def test_thats_all_i_needed_is_leaving() -> None:
    assert leaves_for_now("All good, that's all I needed")
    assert not wants_no_details("sign me up please, that's the plan")


def test_when_im_out_in_a_need_is_no_goodbye() -> None:
    assert not leaves_for_now(
        "Folks want to book the fellowship hall, and the office phone just rings and rings "
        "when I'm out"
    )
    assert leaves_for_now("ok I'm out, thanks")


def test_what_the_persons_customers_want_is_no_wish_of_their_own() -> None:
    need = "answer quotes faster, most people only want to know the price before they book"
    assert not wants_no_details(need)
    assert wants_no_details("I only want to know the price for now")


@pytest.mark.parametrize(
    "text", ["by the way how much is your system per month", "btw does it do whatsapp"]
)
def test_a_question_after_by_the_way_is_a_question(text: str) -> None:
    assert is_question(text)


def test_money_left_for_the_person_on_the_call_is_a_deferral() -> None:
    assert defers("I'd rather talk about the budget with the person on the call, if that's ok")
    assert not defers("I'd rather talk to a person")


@pytest.mark.parametrize(
    "said",
    [
        "I won't be sharing any details today, thank you.",
        "I'm not sharing my data",
        "not giving out my details today",
    ],
)
def test_not_sharing_any_details_is_no_details_at_all(said: str) -> None:
    assert wants_no_details(said)


@pytest.mark.parametrize("said", ["actually let's stop", "can we stop here", "I want to stop"])
def test_stopping_said_plainly_is_a_cancel_cue(said: str) -> None:
    assert has_cue("cancel", said)


@pytest.mark.parametrize(
    ("said", "field", "declined"),
    [
        ("Is this a computer answering me? I honestly can't tell.", "name", False),
        ("I can't give that out", "name", True),
        ("i cant share my number", "phone", True),
    ],
)
def test_cant_tell_is_not_knowing_not_refusing(said: str, field: str, declined: bool) -> None:
    assert declines(said, field) is declined


@pytest.mark.parametrize(
    ("said", "no_details"),
    [
        ("a lot of our patients speak Spanish and they give up on the chat because it only "
         "answers in English", False),
        ("just answers please", True),
    ],
)  # fmt: skip
def test_what_a_bot_only_does_is_no_wish_for_answers_only(said: str, no_details: bool) -> None:
    assert wants_no_details(said) is no_details


@pytest.mark.parametrize(
    ("said", "deferred"),
    [("on the call pls", True), ("for the demo", True), ("on the call we have 20 people", False)],
)
def test_where_it_will_be_answered_said_alone_defers(said: str, deferred: bool) -> None:
    assert defers(said) is deferred


def test_booking_a_time_to_go_through_it_asks_for_a_meeting() -> None:
    said = "hello i'd like to book a time to go through your system with someone please"
    assert has_cue("book_meeting", said)


@pytest.mark.parametrize(
    "said",
    [
        "when all the techs are out on calls nobody gets back to the people asking for estimates",
        "when it gets busy we can't answer the phone",
    ],
)
def test_when_it_happens_is_no_question(said: str) -> None:
    assert not is_question(said)
