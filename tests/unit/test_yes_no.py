"""Reading yes, no and not sure (bot/yes_no.py) and the intents they settle (nlu/yes_no.py)."""

from __future__ import annotations

import pytest

from bot.types import LeadField
from bot.yes_no import Correction, read_correction, read_yes_no, respelt_detail
from nlu.yes_no import intent_for


@pytest.mark.parametrize(
    "text",
    [
        "yes that's fine go ahead",
        "yeah righto",
        "aye",
        "go on then",
        "sure why not",
        "why not?",
        "ok fine",
        "yep all good",
        "that's correct",
        "That\u2019s right",
        "spot on",
        "absolutely",
        "haan ji",
        "yes please do the needful",
        "nah yeah",
        "I don't mind",
        "okey dokey",
        "\U0001f44d",
        "can can no problem",  # Singapore and Malaysia
        "ok can",
        "yeah no worries",  # Australian: a yes, whatever "yeah no" alone means
        "yep, no dramas",
    ],
)
def test_plain_yeses(text: str) -> None:
    reading = read_yes_no(text)
    assert (reading.answer, reading.clean) == ("yes", True)
    assert intent_for(text, "chitchat") == "affirm"


@pytest.mark.parametrize(
    "text",
    [
        "nah",
        "yeah nah",
        "not really",
        "rather not",
        "no thank you",
        "I'd prefer not",
        "please don't",
        "not at the moment",
        "nahi ji",
        "thanks but no thanks",
        "nah, you're alright",
        "not good",
        "nah all good, cheers",
        "no, I'm good",
    ],
)
def test_plain_noes(text: str) -> None:
    reading = read_yes_no(text)
    assert (reading.answer, reading.clean) == ("no", True)
    assert intent_for(text, "thank") == "deny"


def test_a_word_of_reply_before_a_question_leaves_the_question() -> None:
    said = "ok. and cost-wise? is there a price list somewhere or is it one of those things"
    assert intent_for(said, "ask_pricing") is None
    # the channel echoed as a question, then the answer
    assert intent_for("Texts? I'd sooner not, if it's all the same.", "ask_next_steps") == "deny"
    # "my phone are not necessary" is the answer, not a reason beside it
    assert read_yes_no("Short messages to my phone are not necessary.").answer == "no"


@pytest.mark.parametrize(
    "text", ["not sure", "maybe", "hmm maybe, not sure", "dunno", "no worries", "yes and no"]
)
def test_unsure_settles_nothing(text: str) -> None:
    assert read_yes_no(text).answer == "unsure"
    assert intent_for(text, "affirm") is None


def test_a_question_is_no_answer() -> None:
    for text in ("what would you send?", "yes?", "how often would you email me"):
        reading = read_yes_no(text)
        assert reading.question and reading.answer is None
        assert intent_for(text, "affirm") is None


def test_a_mixed_yes_and_no_is_unsure_but_no_worries_follows_the_answer() -> None:
    assert read_yes_no("yes no").answer == "unsure"
    assert read_yes_no("yes, no worries").answer == "yes"
    assert read_yes_no("no, no worries").answer == "no"


@pytest.mark.parametrize(
    ("text", "purposes"),
    [
        ("emails yes, texts no", {"email": True, "sms": False}),
        ("email's fine but no texts", {"email": True, "sms": False}),
        ("email yes text no", {"email": True, "sms": False}),
        ("yes to email, no to texts", {"email": True, "sms": False}),
        ("no to emails, yes to texts", {"email": False, "sms": True}),
        ("texts are fine but not emails", {"sms": True, "email": False}),
        ("no emails or texts", {"email": False, "sms": False}),
        ("emails and texts are fine", {"email": True, "sms": True}),
        ("happy with emails, not texts", {"email": True, "sms": False}),
        ("no texts please", {"sms": False}),
        ("email's fine but do not text me", {"email": True, "sms": False}),
        # the no goes with the channel after it, not the one before
        ("just call me no text messages", {"phone": True, "sms": False}),
        ("email yes no texts", {"email": True, "sms": False}),
        ("email no texts yes", {"email": False, "sms": True}),
        # why is no part of the answer
        (
            "No emails please, my inbox is already chaos. A text message is okay though.",
            {"email": False, "sms": True},
        ),
        ("no i don't want text messages my phone's forever pinging as it is", {"sms": False}),
    ],
)
def test_partial_answers_by_channel(text: str, purposes: dict[str, bool]) -> None:
    reading = read_yes_no(text)
    assert reading.purposes == purposes and reading.clean


def test_only_one_channel_refuses_the_others() -> None:
    reading = read_yes_no("just email please")
    assert reading.purposes == {"email": True} and reading.only
    assert reading.answer == "yes"


def test_extra_words_make_an_answer_loose_not_clean() -> None:
    loose = read_yes_no("yes please, get rid of it")
    assert (loose.answer, loose.clean) == ("yes", False)
    assert intent_for("yes please, get rid of it", "request_erasure") is None
    assert read_yes_no("yes, but I only want them once a month at most").answer is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Said first, then explained: the answer settles what DIET took for something else.
        ("yes, texts are actually my preference", "affirm"),
        ("hmm, texts too I guess, sure why not", "affirm"),
        ("no, honestly not keen on that", "deny"),
    ],
)
def test_an_answer_said_first_settles_the_intent(text: str, intent: str) -> None:
    assert intent_for(text, "inform") == intent


def test_i_guess_alone_is_unsure() -> None:
    assert read_yes_no("i guess").answer == "unsure"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("not now", "cancel"),  # in a form it cancels; at a question it reads as no
        ("skip", "skip"),
        ("no texts please", "opt_out"),
        ("yes you can email me", "opt_in"),
        ("no more emails", "opt_out"),
        ("Yes Bank", "inform"),
    ],
)
def test_requests_the_words_support_keep_their_intent(text: str, intent: str) -> None:
    assert intent_for(text, intent) is None


def test_a_partial_answer_is_not_a_withdrawal() -> None:
    assert intent_for("emails yes, texts no", "opt_out") == "affirm"


def test_a_detail_stays_a_detail_and_a_named_wrong_detail_is_a_correction() -> None:
    assert intent_for("no, my company is Globex", "inform") is None
    assert intent_for("no, my email is ana@globex.com", "inform") is None
    assert intent_for("the email is wrong", "deny") == "correct_detail"
    assert intent_for("that's not right, the company should be Globex", "deny") == (
        "correct_detail"
    )
    assert intent_for("/affirm", "affirm") is None


@pytest.mark.parametrize(
    ("text", "correction"),
    [
        ("the email is wrong", Correction("email")),
        ("the email's wrong, it's siobhan@x.ie", Correction("email", "siobhan@x.ie")),
        # Spelling notes are not part of the value; one part of a name is not the name.
        (
            "oh, typo in my name, it's Sofia Marchetti with an i at the end",
            Correction("name", "Sofia Marchetti"),
        ),
        (
            "Name is wrong, it is Omar Al Mansouri, with i at the end",
            Correction("name", "Omar Al Mansouri"),
        ),
        (
            "my surname is spelled McIntyre, no 'a', so Isla McIntyre",
            Correction("name", "Isla McIntyre"),
        ),
        ("my surname is spelled McIntyre", Correction("name")),
        ("no. phone is 07400 861245", Correction("phone", "07400 861245")),
        ("that's not right, the company should be Globex", Correction("company", "Globex")),
        ("the company is wrong, it's Globex", Correction("company", "Globex")),
        ("no, my looking to solve is tracking leads", Correction("need", "tracking leads")),
        ("wrong email", Correction("email")),
        ("change my email to a@b.io", Correction("email", "a@b.io")),
        ("my name is spelt wrong", Correction("name")),
        ("the role is wrong - it's Head of Ops, not CTO", Correction("role", "Head of Ops")),
        (
            "Sorry, the company name is incorrect. It should be Globex Corp, thanks",
            Correction("company", "Globex Corp"),
        ),
        ("you've got my phone number wrong", Correction("phone")),
        ("the job title isn't right", Correction("role")),
        ("no, I didn't give you a phone, please remove it", Correction("phone", remove=True)),
        # asking for the value to be put down, with why it changed after it
        (
            "One change: please put my role as Head of Sales, I moved over from ops in May",
            Correction("role", "Head of Sales"),
        ),
        ("could you set the company to Birchwood Ltd", Correction("company", "Birchwood Ltd")),
        ("role is COO not CFO", Correction("role", "COO")),
        # the role approved, the email the one to fix
        ("the role is fine, not the email", Correction("email")),
        ("Email is okay. Not texts, though.", None),
        ("No, that number's a landline, so texts wouldn't be any good", None),
        (
            "My surname is missing the last letter, it's Santos with an S. Beatriz Santos.",
            Correction("name", "Beatriz Santos"),
        ),
        (
            "Excuse me, I mistyped my name. It should be Kenji Watanabe.",
            Correction("name", "Kenji Watanabe"),
        ),
        ("I gave you the wrong email, it is k@hoshino.jp", Correction("email", "k@hoshino.jp")),
        (
            "You left out my second surname, it's Ana Lucía Pérez Quiroga",
            Correction("name", "Ana Lucía Pérez Quiroga"),
        ),
        ("you forgot my company", Correction("company")),
    ],
)
def test_corrections(text: str, correction: Correction) -> None:
    assert read_correction(text) == correction


@pytest.mark.parametrize(
    "text",
    [
        "delete my data",
        "my company is Globex",
        "is the email wrong?",
        "no thanks",
        "yes",
        "put me down as interested",
        "I got the job last year",
        "you forgot to ask my company",
        "email's fine but do not text me",
        "the email is ok but not the texts",
    ],
)
def test_not_corrections(text: str) -> None:
    assert read_correction(text) is None


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        (
            "oops, the company's Clearpath Logistics, not ClearView, I mix them up",
            "company",
            "Clearpath Logistics",
        ),
        ("my name is Jo not Joe", "name", "Jo"),
    ],
)
def test_a_value_set_against_the_one_shown_is_a_correction(
    said: str, field: str, value: str
) -> None:
    assert read_correction(said) == Correction(field, value)  # type: ignore[arg-type]
    assert read_correction("my company is not important") is None


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes okay va bene", "yes"),
        ("sì, va bene grazie", "yes"),
        ("oui bien sûr", "yes"),
        ("ja bitte", "yes"),
        ("claro que sí", "yes"),
        ("evet", "yes"),
        ("non, merci", "no"),
        ("nein danke", "no"),
        ("não, obrigado", "no"),
    ],
)
def test_yes_and_no_beside_english_in_the_speakers_own_language(text: str, answer: str) -> None:
    read = read_yes_no(text)
    assert read.answer == answer and read.clean


@pytest.mark.parametrize(
    ("said", "answer"),
    [("umm yep, go ahead", "yes"), ("er, no thank you", "no"), ("hmm sure, emails are ok", "yes")],
)
def test_a_pause_before_the_answer_is_no_doubt(said: str, answer: str) -> None:
    assert read_yes_no(said).answer == answer


@pytest.mark.parametrize("said", ["umm", "hmm...", "er"])
def test_a_pause_alone_settles_nothing(said: str) -> None:
    assert read_yes_no(said).answer == "unsure"


def test_not_doing_texts_is_a_no_to_texts() -> None:
    for said in ("no i don't do texts", "i don't do texts", "nah i dont do texting"):
        answer = read_yes_no(said)
        assert answer.answer == "no" and answer.purposes == {"sms": False}, said


@pytest.mark.parametrize(
    ("text", "purposes"),
    [
        ("Emailing me is no problem", {"email": True}),
        ("texts are not a problem", {"sms": True}),
    ],
)
def test_a_channel_that_is_no_problem_is_a_yes_to_it(text: str, purposes: dict[str, bool]) -> None:
    reading = read_yes_no(text)
    assert reading.answer == "yes" and reading.clean and reading.purposes == purposes


def test_no_problem_alone_is_still_only_politeness() -> None:
    assert read_yes_no("no problem").answer == "unsure"


def test_mails_is_email() -> None:
    assert read_yes_no("Yes, you can send mails").answer == "yes"
    assert read_yes_no("no mails please").purposes == {"email": False}


def test_thats_all_grand_is_a_yes_not_a_goodbye() -> None:
    assert intent_for("That's all grand", "goodbye") == "affirm"
    assert intent_for("that's all, bye", "goodbye") is None


@pytest.mark.parametrize(
    ("text", "answer", "purposes"),
    [
        ("You can email me", "yes", {"email": True}),
        ("Of course, please use my e-mail.", "yes", {"email": True}),
        ("Text messages are also acceptable.", "yes", {"sms": True}),
        ("You may write to me by e-mail.", "yes", {"email": True}),
        ("you cannot email me", "no", {"email": False}),
        ("you can't text me", "no", {"sms": False}),
        ("You can email me but not text me", "yes", {"email": True, "sms": False}),
    ],
)
def test_leave_given_or_refused_in_so_many_words(
    text: str, answer: str, purposes: dict[str, bool]
) -> None:
    reading = read_yes_no(text)
    assert (reading.answer, reading.clean, reading.purposes) == (answer, True, purposes)


@pytest.mark.parametrize(
    ("said", "answer"), [("yes po", "yes"), ("hindi po", "no"), ("ok lah", "yes")]
)
def test_particles_of_respect_leave_the_answer_as_it_is(said: str, answer: str) -> None:
    assert read_yes_no(said).answer == answer


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        ("company name has a typo, it's LearnLoop", "company", "LearnLoop"),
        ("sorry typo sa name, it's Jay-ar Mendoza", "name", "Jay-ar Mendoza"),
    ],
)
def test_a_typo_named_without_my_is_corrected(said: str, field: str, value: str) -> None:
    correction = read_correction(said)
    assert correction is not None and (correction.field, correction.value) == (field, value)


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("texts are ok provided they're not at night", "yes"),
        ("yeah go on, so long as it's not spam", "yes"),
        ("no thank you, unless it's about the demo", "no"),
    ],
)
def test_an_answer_with_its_terms_after_it_is_still_the_answer(said: str, answer: str) -> None:
    assert read_yes_no(said).answer == answer


@pytest.mark.parametrize(
    ("text", "purposes"),
    [("newsletters by email are welcome", {"email": True}), ("whatsapp also fine", None)],
)
def test_a_channel_welcomed_or_also_fine_is_a_yes(
    text: str, purposes: dict[str, bool] | None
) -> None:
    answer = read_yes_no(text)
    assert answer.answer == "yes"
    if purposes is not None:
        assert answer.purposes == purposes


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        ("you're missing my second surname, it is Ana Lucía Vera Paredes", "name",
         "Ana Lucía Vera Paredes"),
        ("company name isn't complete, it's Orchid Tiles Sdn Bhd", "company",
         "Orchid Tiles Sdn Bhd"),
    ],
)  # fmt: skip
def test_a_detail_said_to_be_incomplete_is_corrected(said: str, field: str, value: str) -> None:
    correction = read_correction(said)
    assert correction is not None and (correction.field, correction.value) == (field, value)


def test_a_value_said_again_in_full_after_a_spelling_note_and_a_verdict_on_the_rest() -> None:
    said = "Company should be Lumen Craft, no 'e' in craft - Lumen Craft Sdn Bhd. Rest is fine"
    correction = read_correction(said)
    assert correction == Correction(field="company", value="Lumen Craft Sdn Bhd")


@pytest.mark.parametrize(
    ("text", "purposes"),
    [
        ("rather no texts, if it's all the same to you", {"sms": False}),
        ("emails are fine, if that's okay", {"email": True}),
    ],
)
def test_a_polite_tail_is_no_condition(text: str, purposes: dict[str, bool]) -> None:
    assert read_yes_no(text).purposes == purposes


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Yep, texts are fine, saves me checking my inbox to be honest", "yes"),
        ("nope, our inboxes are drowning already", "no"),
        ("yes, though only once a month", None),
    ],
)
def test_a_plain_answer_then_a_remark_that_takes_nothing_back(
    text: str, answer: str | None
) -> None:
    read = read_yes_no(text)
    assert (read.answer if read.clean else None) == answer


@pytest.mark.parametrize(
    ("said", "purposes"),
    [("Emails can.", {"email": True}), ("whatsapp also can", {"whatsapp": True})],
)
def test_a_channel_then_can_is_a_singlish_yes(said: str, purposes: dict[str, bool]) -> None:
    reading = read_yes_no(said)
    assert reading.answer == "yes" and reading.purposes == purposes


def test_can_alone_or_before_a_verb_is_no_yes() -> None:
    assert read_yes_no("can").answer is None
    assert read_yes_no("texts can be sent to my office line").answer is None


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("pls add company: Harbourline Freight", Correction("company", "Harbourline Freight")),
        ("could you add my phone, 0412 555 019", Correction("phone", "0412 555 019")),
    ],
)
def test_a_detail_left_out_and_added_at_the_summary(said: str, expected: Correction) -> None:
    assert read_correction(said) == expected


def test_no_then_the_field_with_an_apostrophe_s_is_a_correction() -> None:
    assert read_correction("no. name's Ada Okafor, with a k") == Correction("name", "Ada Okafor")


@pytest.mark.parametrize(
    ("said", "purposes"),
    [
        ("Emails are fine, but no more than once a month please.", {"email": True}),
        ("texts ok, just not too often", {"sms": True}),
    ],
)
def test_a_limit_on_how_often_is_no_refusal(said: str, purposes: dict[str, bool]) -> None:
    reading = read_yes_no(said)
    assert reading.answer == "yes" and reading.purposes == purposes


@pytest.mark.parametrize(
    ("text", "answer", "purposes"),
    [
        ("Mail gerne, danke", "yes", {"email": True}),
        ("ja klar", "yes", {}),
        ("sige po, okay lang", "yes", {}),
        ("text messages lieber nicht", "no", {"sms": False}),
        ("sawa sawa", "yes", {}),
        ("non merci", "no", {}),
    ],
)
def test_answers_in_the_speakers_first_language(
    text: str, answer: str, purposes: dict[str, bool]
) -> None:
    reading = read_yes_no(text)
    assert (reading.answer, reading.purposes) == (answer, purposes)


@pytest.mark.parametrize(
    ("text", "answer"),
    [("yes pleez", "yes"), ("no thanx", "no"), ("emale is fine comma thanx", "yes")],
)
def test_answers_with_common_misspellings(text: str, answer: str) -> None:
    assert read_yes_no(text).answer == answer


@pytest.mark.parametrize(
    ("said", "correction"),
    [
        (
            "We are an A/S, not an ApS. The company is Nordlys Bikes A/S.",
            Correction("company", "Nordlys Bikes A/S"),
        ),
        ("The name is fine but the company is Acme Ltd", Correction("company", "Acme Ltd")),
        ("All good. The role is fine.", None),
    ],
)
def test_a_value_stated_at_the_summary_is_a_correction(
    said: str, correction: Correction | None
) -> None:
    assert read_correction(said, at_summary=True) == correction
    assert read_correction(said) is None or correction is None


def test_an_answer_ends_at_please_without_a_comma() -> None:
    reading = read_yes_no("no emails please our inbox is already full")
    assert (reading.answer, reading.purposes) == ("no", {"email": False})


@pytest.mark.parametrize(
    ("said", "answer", "purposes"),
    [
        ("Leave the texts off, thanks, it's a landline", "no", {"sms": False}),
        ("leave them off", "no", {}),
        ("emails fine, leave the texts off", "yes", {"email": True, "sms": False}),
    ],
)
def test_leave_them_off_is_a_no(said: str, answer: str, purposes: dict[str, bool]) -> None:
    reading = read_yes_no(said)
    assert (reading.answer, reading.purposes) == (answer, purposes)


def test_an_answer_about_a_channel_taken_for_a_goodbye_is_that_answer() -> None:
    assert intent_for("Leave the texts off, thanks, it's a landline", "goodbye") == "deny"
    assert intent_for("no texts, bye", "goodbye") is None


@pytest.mark.parametrize(
    ("said", "answer", "purposes"),
    [
        ("NO THANK YOU. I DO NOT CARE FOR TEXT MESSAGES.", "no", {"sms": False}),
        ("yes I do", "yes", {}),
        ("i do not", "no", {}),
        ("I don't mind", "yes", {}),
        ("Emails? I don't see why not.", "yes", {"email": True}),
        ("I don't see a problem with that", "yes", {}),
    ],
)
def test_i_do_not_is_a_no(said: str, answer: str, purposes: dict[str, bool]) -> None:
    reading = read_yes_no(said)
    assert (reading.answer, reading.purposes) == (answer, purposes)


def test_no_need_in_malay() -> None:
    reading = read_yes_no("Tak payah SMS lah")
    assert (reading.answer, reading.purposes) == ("no", {"sms": False})


@pytest.mark.parametrize(
    ("said", "correction"),
    [
        ("O sobrenome está errado, é Carvalhos", Correction("name", "Ana Carvalhos")),
        ("it's Brightwell Dental, not Brightwel", Correction("company", "Brightwell Dental")),
        ("yes that's all fine", None),
        ("Carvalho is right", None),  # a word as shown corrects nothing
    ],
)
def test_a_shown_word_said_again_spelt_otherwise(said: str, correction: Correction | None) -> None:
    shown: dict[LeadField, str] = {"name": "Ana Carvalho", "company": "Brightwel Dental"}
    assert respelt_detail(said, shown) == correction


def test_just_fine_is_no_only() -> None:
    assert not read_yes_no("Email's just fine.").only
    assert read_yes_no("just email is fine").only


def test_swahili_yes() -> None:
    reading = read_yes_no("Ndio, iko sawa")
    assert reading.answer == "yes" and reading.clean


@pytest.mark.parametrize(
    "text",
    ["Not now, please email me the proposal.", "No thanks, email me first", "Not today, sorry"],
)
def test_a_no_said_first_then_what_instead_is_a_no(text: str) -> None:
    assert intent_for(text, "nlu_fallback") == "deny"


@pytest.mark.parametrize(
    ("text", "purposes"),
    [
        ("SMS no wahala too", {"sms": True}),
        ("Hau, email chalega", {"email": True}),
        ("Hau, sab barabar hai", {}),
        ("koi baat nahi", {}),
    ],
)
def test_no_problem_in_the_speakers_language_is_a_yes(text: str, purposes: dict[str, bool]) -> None:
    reading = read_yes_no(text)
    assert reading.answer == "yes"
    assert reading.purposes == purposes


def test_a_number_given_in_the_next_sentence_corrects_the_phone() -> None:
    said = "The phone number is transposed at the end. It should read 617-555-0119."
    assert read_correction(said, at_summary=True) == Correction("phone", "617-555-0119")
    assert read_correction("That number is a landline", at_summary=True) is None


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("the phone number wrong, should be 9734 2281", "phone", "9734 2281"),
        (
            "Sorry, I've spelt my own name wrong! It's McAllister, two l's. Fiona McAllister.",
            "name",
            "Fiona McAllister",
        ),
        ("the email is wrong! it's a@b.com", "email", "a@b.com"),
    ],
)
def test_ninth_round_corrections(text: str, field: LeadField, value: str) -> None:
    assert read_correction(text, at_summary=True) == Correction(field, value)


@pytest.mark.parametrize(
    ("said", "correction"),
    [
        (
            "no sorry the dictation mangled my name, it's Eleni Papadakis",
            Correction("name", "Eleni Papadakis"),
        ),
        ("autocorrect changed my email", Correction("email", None)),
        ("you misheard my phone, it's 0412 555 019", Correction("phone", "0412 555 019")),
    ],
)
def test_a_detail_garbled_on_the_way_is_a_correction(said: str, correction: Correction) -> None:
    assert read_correction(said, at_summary=True) == correction
