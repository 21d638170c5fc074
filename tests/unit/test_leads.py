"""Reading lead details from what people type."""

from __future__ import annotations

import pytest

from bot.interruptions import leaves_for_now
from bot.leads import Reading, clean_free_text, normalize_email, normalize_phone, read_message
from bot.types import LeadField


@pytest.mark.parametrize(
    ("text", "requested", "persons", "orgs", "expected"),
    [
        (
            "I'm Dana Reyes from Acme, dana@acme.io",
            None,
            [],
            [],
            {"name": "Dana Reyes", "company": "Acme", "email": "dana@acme.io"},
        ),
        (
            "I'm Li Wei, CTO at Lumen Labs",
            None,
            [],
            [],
            {"name": "Li Wei", "company": "Lumen Labs", "role": "CTO"},
        ),
        ("my name is jonas weber", "name", [], [], {"name": "jonas weber"}),
        ("Dana", "name", [], [], {"name": "Dana"}),
        (
            "Dana Reyes, dana@acme.io",
            "name",
            [],
            [],
            {"name": "Dana Reyes", "email": "dana@acme.io"},
        ),
        ("actually my email is Dana.R@Acme.io", "phone", [], [], {"email": "dana.r@acme.io"}),
        ("dana at acme dot io", "email", [], [], {"email": "dana@acme.io"}),
        ("call me on (212) 555-0199", "phone", [], [], {"phone": "+12125550199"}),
        ("+44 20 7946 0958", "phone", [], [], {"phone": "+442079460958"}),
        ("I work at Initech", "company", [], [], {"company": "Initech"}),
        ("Initech", "company", [], [], {"company": "Initech"}),
        ("Acme Inc", "role", [], ["Acme Inc"], {"role": "Acme Inc"}),
        (
            "Head of Marketing at Globex",
            "role",
            [],
            ["Globex"],
            {"role": "Head of Marketing", "company": "Globex"},
        ),
        (
            "we need to capture more leads from our website",
            "need",
            [],
            [],
            {"need": "we need to capture more leads from our website"},
        ),
        (
            "Robert'); DROP TABLE contacts;--",
            "name",
            [],
            [],
            {"name": "Robert'); DROP TABLE contacts;--"},
        ),
        ("<b>Big</b> & Co", "company", [], [], {"company": "<b>Big</b> & Co"}),
    ],
)
def test_read_message_finds_details(
    text: str, requested: str | None, persons: list[str], orgs: list[str], expected: dict[str, str]
) -> None:
    reading = read_message(
        text, region="US", requested=requested, persons=persons, organizations=orgs
    )  # type: ignore[arg-type]
    assert reading.values == expected


@pytest.mark.parametrize(
    ("text", "requested", "problem"),
    [
        ("dana@acme", "email", "invalid_email"),
        ("no idea", "email", "no_email"),
        ("12 34", "phone", "invalid_phone"),
        ("not sure", "phone", "no_phone"),
        ("🙂🙂", "name", "not_a_name"),
        ("tell me a joke", "name", "not_a_name"),
        ("yes", "company", "not_an_answer"),
        ("x" * 300, "company", "too_long"),
    ],
)
def test_read_message_reports_problems(text: str, requested: str, problem: str) -> None:
    reading = read_message(text, region="US", requested=requested)  # type: ignore[arg-type]
    assert reading.problems.get(requested) == problem  # type: ignore[call-overload]
    assert requested not in reading.values


def test_spotted_company_does_not_overwrite_a_known_one_from_a_need() -> None:
    reading = read_message(
        "we need something like HubSpot",
        region="US",
        requested="need",
        organizations=["HubSpot"],
    )
    assert "company" not in reading.values


def test_entity_inside_an_email_is_not_a_company() -> None:
    reading = read_message("dana@acme", region="US", requested="email", organizations=["dana@acme"])
    assert "company" not in reading.values


def test_normalizers() -> None:
    assert normalize_email(" Dana@Example.COM ") == "dana@example.com"
    assert normalize_phone("07911 123456", "GB") == "+447911123456"
    assert clean_free_text("role", "I'm the Head of Sales.") == "Head of Sales"
    with pytest.raises(ValueError, match="invalid_phone"):
        normalize_phone("555", "US")


@pytest.mark.parametrize(
    "text", ["i want a demo", "I'd like to see pricing", "we want to talk to sales"]
)
def test_requests_to_the_bot_are_not_needs(text: str) -> None:
    assert "need" not in read_message(text, region="US").values


@pytest.mark.parametrize(
    "text",
    [
        "we're trying to follow up faster",
        "we need to capture more leads",
        "I'm struggling with churn",
    ],
)
def test_stated_problems_are_needs(text: str) -> None:
    assert read_message(text, region="US").values["need"] == text


def test_national_number_is_read_in_the_country_of_the_email() -> None:
    reading = read_message(
        "07911 123456", region="US", requested="phone", email_hint="jo@brightpath.co.uk"
    )
    assert reading.values["phone"] == "+447911123456"
    assert (
        read_message("(212) 555-0199", region="US", email_hint="a@b.de").values["phone"]
        == "+12125550199"
    )


def test_name_spacy_calls_an_organisation_is_still_the_name() -> None:
    reading = read_message("it's Beatriz", region="US", requested="name", organizations=["Beatriz"])
    assert reading.values == {"name": "Beatriz"}


def test_correction_fillers_are_not_part_of_the_value() -> None:
    reading = read_message("wait, the company is actually Ondas Media Group", region="US")
    assert reading.values == {"company": "Ondas Media Group"}


@pytest.mark.parametrize("text", ["/opt_in", "/skip", '/inform{"x": 1}', " /affirm "])
def test_read_message_never_takes_a_command_for_an_answer(text: str) -> None:
    # START becomes /opt_in before NLU; a fuzz run once stored "/opt_in" as a name.
    reading = read_message(text, region="US", requested="name")
    assert reading.values == {}


# --- issue #18: details are taken only where the person gives them -------------------

BOT_COMPANY = ("Acme Test Co",)


def read(
    text: str,
    requested: str | None = None,
    persons: tuple[str, ...] = (),
    orgs: tuple[str, ...] = (),
    region: str = "US",
) -> Reading:
    return read_message(
        text,
        region=region,
        requested=requested,
        persons=persons,  # type: ignore[arg-type]
        organizations=orgs,
        excluded=BOT_COMPANY,
    )


@pytest.mark.parametrize(
    ("text", "persons", "expected"),
    [
        ("María de la Cruz", (), "María de la Cruz"),
        ("Pieter van der Berg", ("Berg",), "Pieter van der Berg"),
        ("it's Ahmad bin Ismail", ("Ismail",), "Ahmad bin Ismail"),
        ("it's Siobhan O'Neill", ("O'Neill",), "Siobhan O'Neill"),
        ("Jean-Pierre Tremblay", (), "Jean-Pierre Tremblay"),
        ("Nguyen Van Anh", ("Anh",), "Nguyen Van Anh"),
        ("it's JP, Jean-Pierre Tremblay", ("JP",), "Jean-Pierre Tremblay"),
        ("Jean-Pierre Tremblay, but call me JP", (), "Jean-Pierre Tremblay"),
        ("the name's Bond, James Bond", (), "James Bond"),
        ("It's Dana. Dana Reyes.", (), "Dana Reyes"),
        ("Cheers, it's Liam", (), "Liam"),
        ("João do Nascimento", (), "João do Nascimento"),
        ("d'Arcy Fitzgerald", (), "d'Arcy Fitzgerald"),
        ("Fatima al Hassan", (), "Fatima al Hassan"),
        ("Ludwig von Trapp here", (), "Ludwig von Trapp"),
        ("myself Ravi Kumar", (), "Ravi Kumar"),
        ("Ravi this side", (), "Ravi"),
        ("hi there, it's Dana 😊", (), "Dana"),
        ("Gday! Bruce Wayne speaking", (), "Bruce Wayne"),
        ("sure thing, name's Aoife Byrne", (), "Aoife Byrne"),
        ("Nadia Khan", ("Nadia Khan",), "Nadia Khan"),
        ("Skip Henderson", ("Skip Henderson",), "Skip Henderson"),
        ("Will Turner", (), "Will Turner"),
        ("Dana Price", (), "Dana Price"),
        ("Dr. Anjali Mehta", (), "Anjali Mehta"),  # a title is no part of the name
        ("nadia khan", (), "nadia khan"),
    ],
)
def test_names_keep_every_part_the_person_gave(
    text: str, persons: tuple[str, ...], expected: str
) -> None:
    assert read(text, "name", persons).values == {"name": expected}


@pytest.mark.parametrize(
    "text",
    [
        "I'd rather not give my name just yet, I'm only asking questions",
        "I'm just browsing",
    ],
)
def test_saying_why_no_name_is_given_gives_no_name(text: str) -> None:
    assert "name" not in read(text, "name").values


def test_what_to_write_down_is_not_part_of_the_company() -> None:
    said = "put down Foxglove Brewing Company, that's who I'm working for"
    assert read(said, "company").values == {"company": "Foxglove Brewing Company"}


@pytest.mark.parametrize(
    "text",
    [
        "helo",
        "hii there",
        "heyyy",
        "gday",
        "g'day mate",
        "good mornin",
        "Hiya!",
        "morning all",
        "hello hello",
        "yo",
        "👋",
        "🙂🙏",
        "Namaste",
        "salaam",
        "kia ora",
        "Marketing Manager",
        "HubSpot",
        "Acme Test Co",
        "Parley",
        "yes please",
        "what?",
        "why do you need it",
    ],
)
def test_greetings_emoji_and_other_words_are_no_names(text: str) -> None:
    reading = read(text, "name", persons=(text,), orgs=(text,))
    assert "name" not in reading.values and not reading.declined
    assert reading.problems["name"] == "not_a_name"


@pytest.mark.parametrize(
    "text",
    [
        "skip",
        "pass",
        "Skip it",
        "no thanks",
        "I'd rather not say",
        "not telling",
        "prefer not to say",
        "nope",
    ],
)
def test_refusing_the_name_gives_no_name(text: str) -> None:
    reading = read(text, "name")
    assert reading.values == {} and reading.problems == {} and reading.declined


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sharma Textiles Pvt. Ltd.", "Sharma Textiles Pvt. Ltd."),
        ("it's Sharma Textiles Pvt. Ltd.", "Sharma Textiles Pvt. Ltd."),
        ("Koala Freight Pty Ltd", "Koala Freight Pty Ltd"),
        ("Müller GmbH & Co. KG", "Müller GmbH & Co. KG"),
        ("Acme, Inc.", "Acme, Inc."),
        ("Dupont S.A.", "Dupont S.A."),
        ("Rossi S.r.l.", "Rossi S.r.l."),
        ("Nowak Sp. z o.o.", "Nowak Sp. z o.o."),
        ("Van der Heijden & Zn. B.V.", "Van der Heijden & Zn. B.V."),
        ("Gebr. Jansen B.V.", "Gebr. Jansen B.V."),
        ("Jansen & Co. B.V.", "Jansen & Co. B.V."),
        ("we're Nowak Sp. z o.o., a logistics firm in Poland", "Nowak Sp. z o.o."),
        ("Harbour Light, a small agency in Cork", "Harbour Light"),
        ("Koala Freight Pty Ltd in Brisbane", "Koala Freight Pty Ltd"),
        ("we're called Sweet Treats", "Sweet Treats"),
        ("a little bakery called Sweet Treats", "Sweet Treats"),
        ("I work for Tata Consultancy Services", "Tata Consultancy Services"),
        ("St Bart's Clinic", "St Bart's Clinic"),
        ("Smith, Jones & Partners", "Smith, Jones & Partners"),
    ],
)
def test_company_answers_keep_their_legal_form(text: str, expected: str) -> None:
    assert read(text, "company").values == {"company": expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I work at Sharma Textiles Pvt. Ltd. We need more leads.", "Sharma Textiles Pvt. Ltd"),
        ("my company is Dupont S.A.", "Dupont S.A."),
        ("I'm with Müller GmbH & Co. KG", "Müller GmbH & Co. KG"),
        ("our business is called Koala Freight Pty Ltd", "Koala Freight Pty Ltd"),
        ("I run Rossi S.r.l. out of Milan", "Rossi S.r.l."),
    ],
)
def test_stated_companies_keep_their_legal_form(text: str, expected: str) -> None:
    assert read(text).values["company"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "HubSpot",
        "Salesforce",
        "Google Sheets",
        "an Excel spreadsheet",
        "our CRM",
        "X/Twitter",
        "LinkedIn",
        "WhatsApp",
        "Melbourne",
        "the UK",
        "New South Wales",
        "Mumbai",
        "CEO",
        "marketing manager",
        "head of growth",
        "Founder",
        "Acme Test Co",
        "acme test co.",
        "Parley",
        "we use Zapier",
        "we sell on Shopify and Instagram",
        "based in Dublin",
        "a small bakery",
        "no idea",
        "hii",
        "does it work with Salesforce?",
    ],
)
def test_tools_places_titles_and_the_bots_company_are_no_company(text: str) -> None:
    reading = read(text, "company", orgs=(text, "Salesforce", "Zapier", "Shopify"))
    assert "company" not in reading.values
    assert reading.problems["company"] in ("not_a_company", "not_an_answer", "empty")


@pytest.mark.parametrize(
    ("text", "persons", "orgs"),
    [
        ("Does it work with Salesforce?", ("Salesforce",), ()),
        ("can it sync with HubSpot and Mailchimp", (), ("HubSpot", "Mailchimp")),
        ("Hi, can I get a demo? We use HubSpot", (), ("HubSpot",)),
        ("I saw you on LinkedIn", (), ("LinkedIn",)),
        ("Hi I'm from Melbourne", (), ()),
        ("I'm in Sydney, is there a local partner?", (), ()),
        ("I'm the CMO", (), ("CMO",)),
        ("helo, can someone help", ("helo",), ()),
        ("I'd like a demo of Acme Test Co", (), ("Acme Test Co",)),
        ("is Parley any good for a team at Globex?", (), ("Parley", "Globex")),
        ("Dana Reyes wants a demo", ("Dana Reyes",), ()),
        ("Is this Acme Test Co? Who am I talking to", (), ("Acme Test Co",)),
        ("how much for 5 users at Koala Freight?", (), ("Koala Freight",)),
    ],
)
def test_nothing_unasked_fills_the_name_or_company(
    text: str, persons: tuple[str, ...], orgs: tuple[str, ...]
) -> None:
    values = read(text, None, persons, orgs).values
    assert "name" not in values and "company" not in values


def test_a_question_asked_instead_of_an_answer_fills_nothing() -> None:
    for requested in ("name", "company", "role"):
        reading = read("Does it work with Salesforce?", requested, ("Salesforce",), ("Salesforce",))
        assert reading.values == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I'm María de la Cruz from Sol Textiles",
            {"name": "María de la Cruz", "company": "Sol Textiles"},
        ),
        (
            "this is Pieter van der Berg from Koala Freight Pty Ltd, keen on a demo",
            {"name": "Pieter van der Berg", "company": "Koala Freight Pty Ltd"},
        ),
        (
            "Hi I'm Dana from Acme, does it integrate with Mailchimp?",
            {"name": "Dana", "company": "Acme"},
        ),
        ("Hello, Kwame Mensah here, I'd like a demo", {"name": "Kwame Mensah"}),
        ("Myself Ravi Kumar from Infosys", {"name": "Ravi Kumar", "company": "Infosys"}),
        ("Gday, I'm Bruce from Koala Freight", {"name": "Bruce", "company": "Koala Freight"}),
        ("I'm Dana from Melbourne", {"name": "Dana"}),
        (
            "I'm head of growth at Harbour Light",
            {"role": "head of growth", "company": "Harbour Light"},
        ),
        (
            "hi, I'm Dana Reyes, marketing manager at Harbour Light in Dublin",
            {"name": "Dana Reyes", "role": "marketing manager", "company": "Harbour Light"},
        ),
        ("I'm based in Leeds, my company is Koala Freight", {"company": "Koala Freight"}),
        ("I work at Acme Test Co", {}),
        ("I work at Salesforce", {"company": "Salesforce"}),
        ("I work with Salesforce", {}),
        ("I'm a bit lost", {}),
    ],
)
def test_stated_details_are_read_from_their_sentence(text: str, expected: dict[str, str]) -> None:
    assert read(text).values == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'd rather not give my number",
        "no phone thanks",
        "not comfortable sharing that",
        "I don't have one",
        "skip that one",
        "nah, you don't need it",
        "prefer not to, sorry",
        "I'll pass on that",
        "No. Thank you.",
        "no mobile, only a landline at work",
    ],
)
def test_refusing_the_phone_fills_nothing(text: str) -> None:
    reading = read(text, "phone", orgs=("Acme",))
    assert reading.declined and reading.values == {} and reading.problems == {}


def test_a_refusal_keeps_what_is_stated_outright_beside_it() -> None:
    reading = read("no phone please, but I work at Koala Freight", "phone")
    assert reading.declined and reading.values == {"company": "Koala Freight"}


@pytest.mark.parametrize("text", ["just me", "self-employed", "I'm a freelancer", "no company"])
def test_no_company_to_give_is_a_refusal_not_a_company(text: str) -> None:
    reading = read(text, "company")
    assert reading.declined and "company" not in reading.values and reading.problems == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sorry it's jp dot tremblay at acme dot ca", "jp.tremblay@acme.ca"),
        ("yeah so my email is anna dot kovacs at gmail dot com thanks", "anna.kovacs@gmail.com"),
        ("uh j smith at outlook dot com", "jsmith@outlook.com"),
        ("J P dot Tremblay at Acme dot CA.", "jp.tremblay@acme.ca"),
        ("anna underscore k at gmail.com", "anna_k@gmail.com"),
        ("raj dash patel at the rate yahoo dot co dot in", "raj-patel@yahoo.co.in"),
        ("it's mary hyphen kate at sign example dot ie", "mary-kate@example.ie"),
        ("jp.tremblay at acme.ca", "jp.tremblay@acme.ca"),
        (
            "siobhan dot oneill at harbourlight dot co dot uk please",
            "siobhan.oneill@harbourlight.co.uk",
        ),
        ("ok it is t 99 at proton dot me", "t99@proton.me"),
        # A domain said as words is one word: a recognizer splits what has no spaces.
        ("linda at grant and sons dot com", "linda@grantandsons.com"),
        ("d brooks at harlow supply dot co dot uk", "dbrooks@harlowsupply.co.uk"),
        # Digits said as words; a name ending in digits is one local part.
        ("wang lei eight eight at one six three dot com", "wanglei88@163.com"),
        ("um it's li na two zero zero one at qq dot com", "lina2001@qq.com"),
        # Letters as a recognizer writes their names, or spelt with hyphens.
        ("jay pee dot tremblay at gmail dot com", "jp.tremblay@gmail.com"),
        ("it's d-a-v-e at hotmail dot com", "dave@hotmail.com"),
        ("double-u dot smith at company dot org", "w.smith@company.org"),
        ("jay at acme dot com", "jay@acme.com"),
    ],
)
def test_spoken_addresses_are_read_out_of_the_words_around_them(text: str, expected: str) -> None:
    assert read(text, "email").values == {"email": expected}


def test_a_spoken_address_said_as_my_email_is_counts_unasked() -> None:
    reading = read("Hi I'm Dana, my email is dana dot r at acme dot io")
    assert reading.values == {"name": "Dana", "email": "dana.r@acme.io"}
    assert read("we met at the expo dot com stand").values == {}


@pytest.mark.parametrize(
    "text", ["anna kovacs at gmail dot com", "it's anna kovacs at gmail dot com"]
)
def test_a_spoken_address_that_could_be_read_two_ways_is_asked_again(text: str) -> None:
    # annakovacs@ or kovacs@? The words before "at" may be a name said before the address.
    # (A domain said as words has one reading: "harbour light dot ie" is harbourlight.ie,
    # and the summary reads it back.)
    reading = read(text, "email")
    assert reading.values == {} and reading.problems == {"email": "invalid_email"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "marketing manager at harbour light",
            {"role": "marketing manager", "company": "harbour light"},
        ),
        ("I'm the CMO at Globex", {"role": "CMO", "company": "Globex"}),
        ("Head of Growth", {"role": "Head of Growth"}),
        ("Director of Operations", {"role": "Director of Operations"}),
        # A department the vocabulary doesn't know is still part of the title.
        ("Head of Audience Development", {"role": "Head of Audience Development"}),
        (
            "Director of Partnerships at Fringeworks",
            {"role": "Director of Partnerships", "company": "Fringeworks"},
        ),
        ("VP of Sales for Globex Inc", {"role": "VP of Sales", "company": "Globex Inc"}),
        ("Founder & CEO of Koala Freight", {"role": "Founder & CEO", "company": "Koala Freight"}),
        (
            "I look after marketing at a dental clinic",
            {"role": "I look after marketing at a dental clinic"},
        ),
        ("I look after marketing", {"role": "I look after marketing"}),
        ("hiya", {}),
    ],
)
def test_role_answers(text: str, expected: dict[str, str]) -> None:
    assert read(text, "role").values == expected


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        ("oh seven four double oh five two seven nine one three", "+447400527913"),
        ("it's plus four four seven four double oh five two seven nine one three", "+447400527913"),
        # "hundred" after a digit is its two zeros, as UK numbers are often read.
        ("oh seven seven double oh nine hundred one two three", "+447700900123"),
        ("plus forty four seven seven hundred nine hundred four five six", "+447700900456"),
        ("call me on oh four one two, nine nine eight, seven seven one", None),
    ],
)
def test_a_phone_number_read_out_in_words_is_read(said: str, phone: str | None) -> None:
    reading = read_message(said, region="GB", requested="phone")
    assert reading.values.get("phone") == phone


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        ("07700 900123", "+447700900123"),
        ("my mobile is +44 7700 900456 thanks", "+447700900456"),
        ("01632 960001", "+441632960001"),
        ("07700 123", None),
    ],
)
def test_the_uk_numbers_for_examples_and_drama_are_taken(said: str, phone: str | None) -> None:
    assert read_message(said, region="GB", requested="phone").values.get("phone") == phone


@pytest.mark.parametrize(
    "said",
    [
        "oh 07700 900123",
        "we are twenty five people",
        "one two three",
        "oh one more thing",
        "about two hundred people",
    ],
)
def test_words_that_are_not_a_spoken_number_stay_words(said: str) -> None:
    from bot.leads import spoken_digits

    assert spoken_digits(said) == said


def test_a_phone_that_is_no_number_is_no_detail() -> None:
    from bot.leads import states_lead_details

    assert not states_lead_details("please no texts, my phone is already chaos", "US")
    assert states_lead_details("my mobile is oh seven seven double oh nine", "GB")


@pytest.mark.parametrize(
    ("said", "role", "company"),
    [
        ("I'm the Head of Business Development", "Head of Business Development", None),
        ("I'm the VP of Sales at Acme", "VP of Sales", "Acme"),
        ("I'm the owner of Bob's Bikes", "owner", "Bob's Bikes"),
    ],
)
def test_a_title_that_goes_on_with_of_is_kept_whole(
    said: str, role: str, company: str | None
) -> None:
    values = read_message(said, region="US", requested="role").values
    assert (values.get("role"), values.get("company")) == (role, company)


@pytest.mark.parametrize(
    ("said", "caller", "expected"),
    [
        # A national number is read in the caller's own country, not the default (US).
        (
            "it's oh seven nine one one, one two three four five six",
            "+447700900123",
            "+447911123456",
        ),
        ("0412 345 678", "+61491570006", "+61412345678"),
        ("my mobile is 06 12 34 56 78", "+33612345670", "+33612345678"),
        # A number with its country code is what it says, whoever calls.
        ("+1 415 555 0134", "+447700900123", "+14155550134"),
        # No caller (web chat): the default region as before.
        ("(415) 555-0134", None, "+14155550134"),
    ],
)
def test_a_national_number_is_read_in_the_callers_country(
    said: str, caller: str | None, expected: str
) -> None:
    reading = read_message(said, region="US", requested="phone", caller=caller)
    assert reading.values.get("phone") == expected


def test_an_address_at_my_work_is_not_a_domain() -> None:
    assert (
        "email"
        not in read_message("it is jo at my work dot com", region="US", requested="email").values
    )


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        # Speech carries no punctuation: the answer ends where a new clause starts.
        ("harbour view dental we're just off the high street", "company", "harbour view dental"),
        ("practice manager i look after the front desk too", "role", "practice manager"),
        ("ops lead but i also cover sales", "role", "ops lead"),
        # Never at the start, never in capitals: names that begin like a clause stay whole.
        ("Bread But Better", "company", "Bread But Better"),
        ("well i run the place", "role", "well i run the place"),
        # The dot of a trailing abbreviation belongs to the words cut off, not the name.
        ("acme we're an agency, Inc.", "company", "acme"),
    ],
)
def test_a_spoken_answer_ends_where_a_new_clause_starts(said: str, field: str, value: str) -> None:
    assert read_message(said, region="GB", requested=field).values.get(field) == value  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("eighty one, ninety nine, twelve, forty", "81991240"),
        ("seventy-seven double one three three twenty", "77113320"),
        ("about forty people", "about forty people"),  # too short to be a number read out
    ],
)
def test_numbers_read_in_pairs_are_digits(said: str, digits: str) -> None:
    from bot.leads import spoken_digits

    assert spoken_digits(said) == digits


@pytest.mark.parametrize(
    ("said", "name"),
    [("gwen price", "gwen price"), ("Tom Keen", "Tom Keen"), ("see pricing", None),
     ("john demo", None), ("good price", None)],
)  # fmt: skip
def test_a_surname_that_is_also_a_word_is_a_name_when_the_name_was_asked(
    said: str, name: str | None
) -> None:
    assert read(said, "name").values.get("name") == name


@pytest.mark.parametrize("field", ["company", "role"])
def test_a_sentence_opener_before_a_request_is_no_company_or_role(field: str) -> None:
    reading = read("look i just need to speak to somebody", field)
    assert reading.values == {}
    assert read("Well Pharmacy", "company").values == {"company": "Well Pharmacy"}


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("it's shivon kelly that's s i o b h a n", "siobhan kelly"),
        ("Neeve Byrne, spelled N-I-A-M-H", "Niamh Byrne"),
        ("aoife brennan a o i f e", "aoife brennan"),
        # A surname the recognizer split in two is one word again.
        ("it's rosalind octa berg that's a c h t e r b e r g", "rosalind achterberg"),
    ],
)
def test_a_name_spelt_out_after_it_is_written_as_spelt(said: str, name: str) -> None:
    assert read(said, "name").values == {"name": name}


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        ("oh four nine one, five seven oh, oh oh six", "+61491570006"),  # a run of ohs
        ("oh four one two, uh, three four five, six seven eight", "+61412345678"),  # a filler
    ],
)
def test_a_run_of_ohs_inside_a_number_is_zeros(said: str, phone: str) -> None:
    reading = read_message(said, region="AU", requested="phone")
    assert reading.values.get("phone") == phone


def test_a_word_ending_in_spoken_digits_is_one_local_part() -> None:
    assert read("priya underscore nair eight eight at yahoo dot com", "email").values == {
        "email": "priya_nair88@yahoo.com"
    }


def test_a_national_number_no_hint_places_is_read_only_where_it_is_unambiguous() -> None:
    said = "oh seven seven double oh nine double oh one six three"
    assert read_message(said, region="US", requested="phone").values == {"phone": "+447700900163"}
    # 0412345678 is a number in Australia, Ireland and South Africa alike: asked again.
    assert read_message("0412345678", region="US", requested="phone").values == {}
    # Grouped as only one of them writes its numbers, it is that one's.
    assert read_message("0412 345 678", region="US", requested="phone").values == {
        "phone": "+61412345678"
    }
    assert read_message("98220 45163", region="US", requested="phone").values == {
        "phone": "+919822045163"
    }


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("Prof. Klaus von Bernstorff", "Klaus von Bernstorff"),
        ("My name is Mr. Tanaka Hiroshi", "Tanaka Hiroshi"),
        ("Ms Priya Raghunathan-Iyer", "Priya Raghunathan-Iyer"),
        # A title is how to address someone; the CRM's first name would otherwise be "Dr.".
        ("dr amelia hartley", "amelia hartley"),
    ],
)
def test_a_title_is_not_stored_as_part_of_the_name(said: str, name: str) -> None:
    assert read_message(said, region="US", requested="name").values["name"] == name


@pytest.mark.parametrize(
    ("said", "role"),
    [
        ("I serve as Head of Procurement", "Head of Procurement"),
        ("I'm employed as a site foreman", "site foreman"),
        ("I hold the position of regional director", "regional director"),
    ],
)
def test_a_role_said_formally_is_stored_without_its_lead_in(said: str, role: str) -> None:
    assert read_message(said, region="GB", requested="role").values["role"] == role


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        ("mobile's 0491 570 159", "+61491570159"),  # the ACMA's drama range
        ("02 5550 1234", "+61255501234"),
    ],
)
def test_australias_drama_numbers_are_taken_without_a_hint(said: str, phone: str) -> None:
    assert read_message(said, region="US", requested="phone").values["phone"] == phone


def test_a_refusal_and_a_goodbye_is_no_company() -> None:
    from bot.leads import company_problem

    assert company_problem("nah I'm good") == "not_a_company"


@pytest.mark.parametrize("hint", [None, "elodie.marchand@atelierlumiere.fr"])
def test_frances_drama_numbers_are_french(hint: str | None) -> None:
    # South Africa also reads these digits; ARCEP keeps them for fiction.
    reading = read_message(
        "Okay, it is 06 39 98 12 47", region="US", requested="phone", email_hint=hint
    )
    assert reading.values["phone"] == "+33639981247"


def test_a_note_on_which_name_is_the_family_name_is_not_part_of_it() -> None:
    said = "my name is watanabe kenji watanabe is the family name"
    assert read_message(said, region="US", requested="name").values["name"] == "watanabe kenji"


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("my family name is han h a n and my given name is sora", "han sora"),
        ("My first name is Sora and my last name is Han", "Sora Han"),
        ("my surname is Okafor, first name Chidi", "Okafor Chidi"),
    ],
)
def test_a_name_told_in_its_parts_keeps_the_order_given(said: str, name: str) -> None:
    assert read_message(said, region="US", requested="name").values["name"] == name


def test_a_tens_word_before_single_digits_may_be_an_area_code() -> None:
    said = "plus four nine thirty one two three four five six seven nine"
    reading = read_message(said, region="US", requested="phone", email_hint="s@hoffmann-mb.de")
    assert reading.values["phone"] == "+493012345679"
    # Read in pairs when that gives the number.
    pairs = read_message("fifty five twelve thirty four fifty six seven eight", region="GB")
    assert pairs.values["phone"] == "+445512345678"


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("sure thing derek lindqvist", "derek lindqvist"),  # no comma on the phone
        ("okay derek lindqvist", "derek lindqvist"),
        ("right then", None),
        ("of course", None),
        ("go on then", None),
        ("Will", "Will"),
    ],
)
def test_an_acknowledgement_is_no_name_and_comes_off_one(said: str, name: str | None) -> None:
    assert read_message(said, region="US", requested="name").values.get("name") == name


def test_a_dictated_address_after_words_about_where_it_is_filed_is_read() -> None:
    said = "it should be under rob dot kessler at tallgrassfarms dot com"
    assert read_message(said, region="US", requested="email").values == {
        "email": "rob.kessler@tallgrassfarms.com"
    }


def test_the_north_american_drama_range_is_taken_under_a_caribbean_area_code() -> None:
    said = "eight six eight five five five oh one three nine"
    assert read_message(said, region="US", requested="phone").values == {"phone": "+18685550139"}


@pytest.mark.parametrize("said", ["next time na lang po 😅", "no po, next time", "skip po"])
def test_a_refusal_with_particles_of_respect_is_no_name(said: str) -> None:
    reading = read_message(said, region="US", requested="name")
    assert reading.declined and "name" not in reading.values


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("it's ciaran mulcahy that's c i a r a n and then m u l c a h y", "ciaran mulcahy"),
        ("my name is chukwuemeka c h u k w u e m e k a obi o b i", "chukwuemeka obi"),
        ("my name is ximena carrasco ximena is x i m e n a", "ximena carrasco"),
        ("it is dwane pettiford that is d w a y n e", "dwayne pettiford"),
        ("eilidh macrae that's e i l i d h macrae m a c r a e", "eilidh macrae"),
        # The recognizer's first try put right by the letters, word for word or whole.
        ("it's uh shawna kehoe that's s e a n a and kehoe is k e o g h", "seana keogh"),
        ("right sorry about that it's ewan mckie that's e o g h a n m a c k a y", "eoghan mackay"),
        ("myself srinivas pad man abhan spelling p a d m a n a b h a n", "srinivas padmanabhan"),
        ("it's christoph with a k k r i s t o f", "kristof"),
        ("my name is jon smyth, smith s m i t h", "jon smith"),
    ],
)
def test_names_spelt_letter_by_letter_on_the_phone(said: str, name: str) -> None:
    assert read_message(said, region="US", requested="name").values == {"name": name}


@pytest.mark.parametrize(
    ("said", "email"),
    [
        # "add" for "at", and a note that some words are written as one
        (
            "morag add thistle and thread dot co dot uk thistle and thread all one word",
            "morag@thistleandthread.co.uk",
        ),
        ("ximena at casa verde tile dot com casa verde tile together", "ximena@casaverdetile.com"),
        ("emeka dot obi at lagoon freight dot com dot n g", "emeka.obi@lagoonfreight.com.ng"),
        (
            "my e male address is hannah dot ferris at brook male dot net brook mail one word",
            "hannah.ferris@brookmail.net",
        ),
        (
            "tom at okafor build dog com sorry dot com okafor build all together",
            "tom@okaforbuild.com",
        ),
        # the note before the "at": the words just before it are the local part
        ("my email is rosa lee marsh all one word at yahoo dot com", "rosaleemarsh@yahoo.com"),
        ("it's pat o brien, no spaces, at gmail dot com", "patobrien@gmail.com"),
        # letters said one by one, and a word of the address spelt after it
        ("m a e v e add harbour view dog i e", "maeve@harbourview.ie"),
        ("info add r o s s i tiles dog com", "info@rossitiles.com"),
        ("sorry it cut off, t o m a s z add fenix dog p l", "tomasz@fenix.pl"),
        ("sales add shan non boats dog i e shannon is s h a n n o n", "sales@shannonboats.ie"),
    ],
)
def test_addresses_said_on_a_bad_line(said: str, email: str) -> None:
    assert read_message(said, region="US", requested="email").values == {"email": email}


def test_a_digit_misheard_as_a_word_between_digits_is_the_digit() -> None:
    said = "it is three oh five five five five oh one for two"
    assert read_message(said, region="US", requested="phone").values == {"phone": "+13055550142"}


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        ("oh two oh seven nine four six oh two three one", "+442079460231"),
        ("0161 496 0123", "+441614960123"),
    ],
)
def test_ofcoms_city_drama_ranges_are_read_as_british(said: str, phone: str) -> None:
    assert read_message(said, region="US", requested="phone").values == {"phone": phone}


@pytest.mark.parametrize(
    ("requested", "said"),
    [
        ("company", "just the answers please"),
        ("company", "Information only, thanks"),
        ("role", "just the info please"),
        ("need", "only want details of product"),
        ("company", "this is mike from the dental practice"),
    ],
)
def test_words_about_the_exchange_or_a_kind_of_place_are_no_detail(
    requested: str, said: str
) -> None:
    reading = read_message(said, region="US", requested=requested)  # type: ignore[arg-type]
    assert requested not in reading.values and "company" not in reading.values


@pytest.mark.parametrize(
    ("requested", "said", "value"),
    [
        ("name", "Maricel Dela Cruz po", "Maricel Dela Cruz"),
        ("company", "Ayala Ridge Realty Corporation po", "Ayala Ridge Realty Corporation"),
        ("name", "you can call me Bea, full name is Beatriz Nogueira", "Beatriz Nogueira"),
        ("company", "it's my own company hollow oak builders", "hollow oak builders"),
        ("company", "Quote Hub", "Quote Hub"),
        ("company", "The Answer Company", "The Answer Company"),
    ],
)
def test_the_detail_itself_is_kept_without_the_words_around_it(
    requested: str, said: str, value: str
) -> None:
    reading = read_message(said, region="US", requested=requested)  # type: ignore[arg-type]
    assert reading.values[requested] == value  # type: ignore[index]


@pytest.mark.parametrize(
    ("said", "email"),
    [
        (
            "f adeyemi that's f a d e y e m i at greenleaf pharmacy dot co dot uk "
            "greenleaf pharmacy one word",
            "fadeyemi@greenleafpharmacy.co.uk",
        ),
        (
            "d as in david pettiford no dot all together at ridgeline hvac dot com",
            "dpettiford@ridgelinehvac.com",
        ),
        ("j as in juliet smith at gmail dot com", "jsmith@gmail.com"),
    ],
)
def test_spelling_notes_in_a_spoken_address_are_not_part_of_it(said: str, email: str) -> None:
    assert read_message(said, region="US", requested="email").values["email"] == email


def test_sound_alike_digits_that_end_a_spoken_number_are_digits() -> None:
    said = "it's a u k line oh two oh seven nine four six oh seven won won"
    reading = read_message(said, region="US", requested="phone")
    assert reading.values["phone"] == "+442079460711"
    # "... for work" is a word after the number, not a digit
    said = "oh seven seven oh oh nine oh oh two eight three for work"
    assert read_message(said, region="GB", requested="phone").values["phone"] == "+447700900283"


@pytest.mark.parametrize(
    "said",
    [
        "oh shoot, meeting starting, catch you later",
        "never mind",
        "Can't talk now, ttyl",
        "my battery's dying, bye",
        "ok i'm out",
        "brb",
        "I need to run, bye",
        "Let me discuss with my team first and get back to you",
    ],
)
def test_someone_leaving_gives_no_name_or_need(said: str) -> None:
    for requested in ("name", "need", "company"):
        reading = read_message(said, region="US", requested=requested)  # type: ignore[arg-type]
        assert not reading.values, (requested, reading.values)


def test_a_name_said_before_leaving_is_kept() -> None:
    assert read_message("I'm Tom, gotta run", region="US", requested="name").values == {
        "name": "Tom"
    }
    assert read_message("Tom Baker - gotta run", region="US", requested="name").values == {
        "name": "Tom Baker"
    }


@pytest.mark.parametrize(
    ("requested", "said", "value"),
    [
        ("name", "Tanaka Hiroshi desu", "Tanaka Hiroshi"),
        ("name", "priya here priya nair", "priya nair"),
        ("name", "yeah hi mehmet speaking", "mehmet"),
        ("name", "marco rossi sorry typing on phone", "marco rossi"),
        ("name", "call me Bea. full name Beatriz Souza", "Beatriz Souza"),
        ("company", "my restaurant name is Phở Hà Nội", "Phở Hà Nội"),
        ("company", "work for Tata Consultancy Services", "Tata Consultancy Services"),
        ("company", "um we're with mercy park hospital", "mercy park hospital"),
    ],
)
def test_names_and_companies_with_the_words_people_put_around_them(
    requested: str, said: str, value: str
) -> None:
    reading = read_message(said, region="US", requested=requested)  # type: ignore[arg-type]
    assert reading.values == {requested: value}


def test_out_at_work_is_no_goodbye() -> None:
    assert not leaves_for_now("folks ring about gutter quotes and i miss them, im out on roofs")
    assert not leaves_for_now("i'm out plowing most mornings")
    assert leaves_for_now("alright i'm out, thanks")
    need = read_message(
        "calls come in while im out plowing and nobody answers", region="US", requested="need"
    )
    assert need.values.get("need")


@pytest.mark.parametrize("said", ["Later, after I discuss with my team", "Tomorrow", "Maybe"])
def test_putting_the_name_off_is_no_name(said: str) -> None:
    assert read_message(said, region="US", requested="name").values == {}


def test_a_need_that_says_when_is_a_statement_not_a_question() -> None:
    said = "when we're out on jobs nobody answers the website leads"
    assert read_message(said, region="US", requested="need").values == {"need": said}
    assert read_message("when can we meet?", region="US", requested="need").values == {}


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("kwame kwame asante", "kwame asante"),
        ("it's tom no thomas sorry thomas reid", "thomas reid"),
        ("er it's mag wait no magdalena kowalska", "magdalena kowalska"),
        ("yes hello this is ines calling ines duarte", "ines duarte"),
        ("Anna Berg, Berg with one r", "Anna Berg"),
    ],
)
def test_a_name_begun_and_said_again_in_full_is_the_full_one(said: str, name: str) -> None:
    assert read_message(said, region="US", requested="name").values.get("name") == name


@pytest.mark.parametrize(
    ("said", "company"),
    [
        ("foo ltd haha, no seriously it's Brennan Joinery Ltd", "Brennan Joinery Ltd"),
        ("it's red kite no sorry blue kite media", "blue kite media"),
        ("Orbis... we rebranded in spring, it's Halcyon Freight now", "Halcyon Freight"),
        ("Probably not heard of us: Copper Kettle Cafe", "Copper Kettle Cafe"),
        ("It's Tallis Print (named after the composer, long story)", "Tallis Print"),
        ("We're the Leeds office of Marlowe Partners", "Marlowe Partners"),
        ("Bank of Ireland", "Bank of Ireland"),
        ("Acme (UK) Ltd", "Acme (UK) Ltd"),
    ],
)
def test_a_company_corrected_or_remarked_on_is_what_remains(said: str, company: str) -> None:
    assert read_message(said, region="US", requested="company").values.get("company") == company


def test_working_under_ones_own_name_is_no_company() -> None:
    reading = read_message("haha no it's just me, I trade under my own name", region="US",
                           requested="company")  # fmt: skip
    assert "company" not in reading.values


@pytest.mark.parametrize(
    ("said", "name", "company"),
    [
        (
            "Prof. Lena Wirth, from Baltic Grain Cooperative",
            "Lena Wirth",
            "Baltic Grain Cooperative",
        ),
        ("Tomas, Tomas from Kestrel Joinery", "Tomas", "Kestrel Joinery"),
        ("uh it's rory rory finch from finch roofing", "rory finch", "finch roofing"),
        ("Mei Chen, from home today", "Mei Chen", None),
    ],
)
def test_a_company_after_the_name_is_taken_with_it(
    said: str, name: str, company: str | None
) -> None:
    values = read_message(said, region="US", requested="name").values
    assert values.get("name") == name and values.get("company") == company


@pytest.mark.parametrize("said", ["sorry i didnt catch that", "you broke up there, say again?"])
def test_asking_to_hear_the_question_again_fills_no_field(said: str) -> None:
    for field in ("role", "need", "company"):
        assert read_message(said, region="GB", requested=field).values == {}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "said", ["yeah just ring me on this number love", "the one i'm calling from is fine"]
)
def test_this_number_is_the_callers_own(said: str) -> None:
    reading = read_message(said, region="GB", requested="phone", caller="+447911123456")
    assert reading.values.get("phone") == "+447911123456"
    assert "phone" not in read_message(said, region="GB", requested="phone").values


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        (
            "role",
            "Head of Ops, and since the reorg also payroll, IT and whoever needs a hug today",
            "Head of Ops",
        ),
        ("company", "kowalski plumbing we been going since my granddad", "kowalski plumbing"),
    ],
)
def test_a_story_after_the_answer_is_left_out(field: str, said: str, value: str) -> None:
    assert read_message(said, region="US", requested=field).values.get(field) == value  # type: ignore[arg-type]


@pytest.mark.parametrize("said", ["yeah yeah go on", "hello yeah sorry go on", "ok go ahead"])
def test_waiting_for_the_question_fills_no_field(said: str) -> None:
    for field in ("company", "role", "need"):
        assert read_message(said, region="US", requested=field).values == {}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "I need to think about it first, thanks",
        "we need to discuss it internally",
        "i need to check with my partner before anything",
    ],
)
def test_needing_to_think_or_ask_is_no_need_told(text: str) -> None:
    reading = read_message(text, region="US", requested="name")
    assert "need" not in reading.values


@pytest.mark.parametrize(
    "text",
    ["please just ring me back, I don't do email", "you can ask me that when someone calls"],
)
def test_a_request_or_an_aside_is_never_a_company(text: str) -> None:
    assert "company" not in read_message(text, region="US", requested="company").values


def test_wondering_whether_it_could_do_something_is_the_need_when_asked() -> None:
    said = "mostly wondering if it could sort out our missed calls after closing time"
    assert read_message(said, region="US", requested="need").values["need"] == said
    # Asked as a question, it is one, and gets its answer.
    assert "need" not in read_message(said + "?", region="US", requested="need").values


@pytest.mark.parametrize("said", ["Md. Shahidul Haque", "Mohd. Faizal bin Osman"])
def test_a_short_form_inside_a_name_keeps_the_name_whole(said: str) -> None:
    assert read_message(said, region="US", requested="name").values["name"] == said


def test_i_am_and_a_title_answers_the_role_not_the_name() -> None:
    reading = read_message("I am AGM of exports division", region="US", requested="role")
    assert "name" not in reading.values and reading.values["role"].startswith("AGM")


def test_a_spoken_word_and_an_initial_before_at_are_one_local_part() -> None:
    from bot.leads import read_spoken_email

    assert (
        read_spoken_email("it's marta k at fastmail dot com", asked=True) == "martak@fastmail.com"
    )
    assert read_spoken_email("marta kowal at fastmail dot com", asked=True) is None


@pytest.mark.parametrize(
    ("said", "company"),
    [
        ("Helix Freight - APAC division", "Helix Freight"),
        ("Corvane Systems, HQ in Lyon", "Corvane Systems"),
        ("marlowe foods the irish side", "marlowe foods"),
        ("I'm with Tessellate Analytics (TSA)", "Tessellate Analytics"),
        ("Quillon Labs Ltd. - we're about 90 people", "Quillon Labs Ltd."),
        ("we're bright harbour media around forty people", "bright harbour media"),
        ("Right now Ardent Bio, the name changes next year", "Ardent Bio"),
        # As a recognizer writes it: a filler, "its", calling from, letters said one by one.
        ("uh crane and sons haulage", "crane and sons haulage"),
        ("its northgate roofing", "northgate roofing"),
        ("i'm ringing from infotech", "infotech"),
        ("um it's b d o", "BDO"),
        # Names that only look like a part of something stay whole.
        ("The Branch Office Ltd", "The Branch Office Ltd"),
        ("Dream Team", "Dream Team"),
    ],
)
def test_a_part_or_size_said_after_the_company_is_left_out(said: str, company: str) -> None:
    assert read_message(said, region="US", requested="company").values["company"] == company


@pytest.mark.parametrize(
    "said",
    [
        "that's confidential for now, sorry",
        "one of the big banks",
        "our main supplier is Bosch, if that's useful",
        "my wife's business is Rosa Florals but this is for me",
        "the accounts team",
        "er only a tiny shop nobody's heard of",
    ],
)
def test_a_company_kept_back_or_someone_elses_is_not_stored(said: str) -> None:
    assert "company" not in read_message(said, region="US", requested="company").values


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("you're talking to marek nowak", "marek nowak"),
        ("priya shah director of ops", "priya shah"),
        ("Best regards, Kwame Mensah | Regional Lead", "Kwame Mensah"),
        ("Apologies, forgot to say who I am: Ingrid Larsen", "Ingrid Larsen"),
        ("Siddharth Rao (Sid is fine)", "Siddharth Rao"),
    ],
)
def test_the_name_inside_what_is_said_around_it(said: str, name: str) -> None:
    assert read_message(said, region="US", requested="name").values["name"] == name


@pytest.mark.parametrize("said", ["does it matter?", "it doesn't matter really"])
def test_asking_whether_the_name_matters_is_no_name(said: str) -> None:
    assert "name" not in read_message(said, region="US", requested="name").values


@pytest.mark.parametrize("said", ["Nguyen Thi Thu Hang", "hang tran"])
def test_hang_is_a_name_too(said: str) -> None:
    assert read_message(said, region="US", requested="name").values["name"] == said


def test_an_offer_to_spell_the_name_is_not_part_of_it() -> None:
    said = "venkatesh subramaniam, should i spell the last name? s u b r a m a n i a m"
    assert (
        read_message(said, region="US", requested="name").values["name"] == "venkatesh subramaniam"
    )


@pytest.mark.parametrize(
    ("said", "name"),
    [
        (
            "marieke van der linde that's van der as two words and linde l i n d e",
            "marieke van der linde",
        ),
        ("it's gwen ap rhys that's ap a p then rhys r h y s", "gwen ap rhys"),
    ],
)
def test_how_a_name_is_written_said_after_it_is_no_part_of_it(said: str, name: str) -> None:
    assert read_message(said, region="US", requested="name").values["name"] == name


@pytest.mark.parametrize(
    ("said", "email"),
    [
        ("tomas plus news at brightline dot io", "tomas+news@brightline.io"),
        ("lani at surf four one one dot com with the four one one in numbers", "lani@surf411.com"),
    ],
)
def test_a_spoken_plus_and_a_note_on_figures(said: str, email: str) -> None:
    assert read_message(said, region="US", requested="email").values["email"] == email


@pytest.mark.parametrize(
    ("said", "values"),
    [
        ("this is gary lund from lund haulage", {"name": "gary lund", "company": "lund haulage"}),
        (
            "hi i'm calling from brightwell dental about the chat thing",
            {"company": "brightwell dental"},
        ),
        ("my name is ravi from the accounts team", {"name": "ravi"}),
        ("this is meg from accounts", {"name": "meg"}),
        ("i'm calling from overseas", {}),
        ("i'm with family this week", {}),
    ],
)
def test_a_callers_introduction_written_without_capitals(said: str, values: dict[str, str]) -> None:
    assert dict(read_message(said, region="US").values) == values


@pytest.mark.parametrize(
    ("said", "field", "region"),
    [
        ("her direct line is 020 7946 0381, ring her anytime", "phone", "GB"),
        ("best to reach mr okafor on 0803 555 0192", "phone", "NG"),
        ("my manager's mobile: 415 555 0137", "phone", "US"),
        ("please copy my colleague ana.ruiz@mareaviajes.es on everything", "email", "ES"),
        ("use his address, t.berg@bergvik.se", "email", "SE"),
    ],
)
def test_someone_elses_number_or_address_is_never_taken_as_theirs(
    said: str, field: str, region: str
) -> None:
    reading = read_message(said, region=region, requested=field)  # type: ignore[arg-type]
    assert field not in reading.values and reading.problems[field] == "someone_elses"


def test_their_own_address_beside_someone_elses_is_theirs() -> None:
    said = "mine's lena@hollowayfarm.co.uk, and cc the owner on it, he's bill@hollowayfarm.co.uk"
    assert read_message(said, region="GB", requested="email").values == {
        "email": "lena@hollowayfarm.co.uk"
    }


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        ("my name is deepa rao i look after the front desk", "name", "deepa rao"),
        ("Priscilla Obi I'm the practice manager", "name", "Priscilla Obi"),
        ("Halvorsen Bygg. We do roofs and extensions.", "company", "Halvorsen Bygg"),
        (
            "moss and fern design that's the agency, the client is a hotel",
            "company",
            "moss and fern design",
        ),
    ],
)
def test_the_answer_before_a_sentence_about_the_person_or_the_company(
    said: str, field: str, value: str
) -> None:
    assert read_message(said, region="US", requested=field).values[field] == value  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "said",
    [
        "good morning i'm calling from the office of doctor adeyemi about your chatbot",
        "hi, calling on behalf of my director about a demo",
    ],
)
def test_calling_for_someone_names_no_company(said: str) -> None:
    assert "company" not in read_message(said, region="US").values


@pytest.mark.parametrize(
    "said",
    [
        "it's for my director, Oscar Lindqvist",
        "on behalf of Mrs. Adebayo",
        "Ngozi Eze, she's the one to talk to",
    ],
)
def test_a_name_given_as_someone_elses_is_not_taken_as_theirs(said: str) -> None:
    reading = read_message(said, region="US", requested="name")
    assert "name" not in reading.values and reading.problems["name"] == "someone_elses"


def test_a_need_that_says_when_they_answer_is_no_refusal() -> None:
    said = "people message us on weekends and we only answer on Mondays"
    assert read_message(said, region="US", requested="need").values["need"] == said


@pytest.mark.parametrize(
    "said", ["i'm calling from lagos nigeria", "calling from Perth, Australia"]
)
def test_a_place_in_a_place_is_no_company(said: str) -> None:
    assert "company" not in read_message(said, region="US").values


def test_a_callers_its_name_from_company() -> None:
    said = "yeah hi its priya from lakeside dental can someone ring me back"
    assert dict(read_message(said, region="US").values) == {
        "name": "priya",
        "company": "lakeside dental",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("erm, it's hollybank dental", "hollybank dental"),
        ("uh castle joinery yeah castle joinery", "castle joinery"),
        ("murphy's pharmacy in cork", "murphy's pharmacy"),
        ("Bloom Florists, the one on the high street", "Bloom Florists"),
        ("Pizza Napoli - the Bristol branch", "Pizza Napoli"),
        ("Hope Harbour Trust (registered charity)", "Hope Harbour Trust"),
        ("you can just put Keller Bau", "Keller Bau"),
        ("Tanaka Freight I believe is the legal name", "Tanaka Freight"),
    ],
)
def test_a_company_without_the_hesitations_and_where_it_is(text: str, expected: str) -> None:
    assert read(text, "company").values.get("company") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uh yeah, er, tomasz nowak", "tomasz nowak"),
        ("Revd. Alison Pryce, the vicar", "Alison Pryce"),
        ("doctor amal haddad", "amal haddad"),
    ],
)
def test_a_name_without_hesitations_or_titles(text: str, expected: str) -> None:
    assert read(text, "name").values.get("name") == expected


@pytest.mark.parametrize(
    "text", ["i'm phoning from the county council", "the parish council", "the governors"]
)
def test_an_institution_with_no_name_is_no_company(text: str) -> None:
    reading = read(text, "company")
    assert "company" not in reading.values and "name" not in reading.values


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("it's d dot okoro thirty one at yahoo dot co dot uk", "d.okoro31@yahoo.co.uk"),
        ("pat ninety at outlook dot com", "pat90@outlook.com"),
        ("lee fifteen at gmail dot com", "lee15@gmail.com"),
    ],
)
def test_a_spoken_address_with_a_number_said_as_a_number(said: str, expected: str) -> None:
    from bot.leads import read_spoken_email

    assert read_spoken_email(said, asked=True) == expected


@pytest.mark.parametrize(
    ("text", "requested", "field_name", "expected"),
    [
        ("my compnay is Lough Erne Boats", None, "company", "Lough Erne Boats"),
        ("the naem is aoife brennan full stop", "name", "name", "aoife brennan"),
        ("Nam Tran", "name", "name", "Nam Tran"),
        ("Fone House Ltd", "company", "company", "Fone House Ltd"),
        ("Comma Press", "company", "company", "Comma Press"),
    ],
)
def test_misspelt_field_words_and_dictated_punctuation(
    text: str, requested: str | None, field_name: str, expected: str
) -> None:
    assert read(text, requested).values.get(field_name) == expected


@pytest.mark.parametrize(
    "said",
    [
        "hello good morning i am calling from surabaya i am interested in your software",
        "Hello. I am writing from Nagoya. We would like to book an online demonstration",
        "Hi, I'm from Kraków, we want a demo",
    ],
)
def test_one_word_after_calling_from_is_not_taken_for_the_company(said: str) -> None:
    assert "company" not in read_message(said, region="GB").values


def test_several_words_after_calling_from_are_the_company() -> None:
    said = "hi i'm calling from coral coast tours about a demo"
    assert read_message(said, region="GB").values["company"] == "coral coast tours"


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("my name is wahyuni just wahyuni i only have one name", "wahyuni"),
        ("just Wahyuni", "Wahyuni"),
        ("Just Ana, no surname", "Ana"),
        ("just call me Bob", "Bob"),
        ("It's Sukarno, I only use one name", "Sukarno"),
    ],
)
def test_a_single_name_with_a_note_on_it(said: str, name: str) -> None:
    assert read_message(said, region="GB", requested="name").values == {"name": name}


def test_an_address_begun_with_initials_is_read_whole_when_asked_for() -> None:
    said = "j m delos reyes at luna med clinics dot p h"
    reading = read_message(said, region="PH", requested="email")
    assert reading.values == {"email": "jmdelosreyes@lunamedclinics.ph"}
    # Without initials first, a name may come before the address: not guessed.
    assert "email" not in read_message("anna kovacs at gmail dot com", region="GB").values


@pytest.mark.parametrize(
    ("said", "requested", "value"),
    [
        (
            "Graham Ashworth. No relation to the Ashworth on the firm's name, before you ask "
            "— everyone asks, and it's a coincidence.",
            "name",
            "Graham Ashworth",
        ),
        # The full name said first beats the short one the story offers.
        ("Priya Raghunathan. You can call me Priya, everyone does.", "name", "Priya Raghunathan"),
        (
            "Rooiklip Wine Estate. Rooiklip means red rock — there's a big red boulder at the "
            "gate.",
            "company",
            "Rooiklip Wine Estate",
        ),
        (
            "I'm one of the two directors. Tom does the design side and I've ended up with "
            "everything else — finance, HR, marketing, biscuits.",
            "role",
            "director",
        ),
        ("Practice manager. Twenty-two years in legal, started as a clerk.", "role",
         "Practice manager"),
    ],
)  # fmt: skip
def test_the_answer_said_first_and_a_story_after_it(said: str, requested: str, value: str) -> None:
    assert read_message(said, region="GB", requested=requested).values == {requested: value}


@pytest.mark.parametrize(
    "said",
    [
        "Good question. We are still deciding on a name",
        "Hmm. It's complicated",
        "good question",
    ],
)
def test_a_remark_about_the_question_is_no_company(said: str) -> None:
    assert "company" not in read_message(said, region="GB", requested="company").values


def test_whom_a_practice_is_named_after_is_no_company() -> None:
    said = "Imogen Fairbrother — and yes, the practice is named after me, which was my idea."
    assert read_message(said, region="GB", requested="name").values == {
        "name": "Imogen Fairbrother"
    }


def test_a_number_valid_in_two_countries_is_read_where_it_is_grouped_so() -> None:
    said = "98450 12345. WhatsApp also on the same number"
    reading = read_message(said, region="US", requested="phone", email_hint="priya@loop.in")
    assert reading.values["phone"] == "+919845012345"
    # Grouped as the default's numbers are, the default reads it.
    reading = read_message("(984) 501-2345", region="US", requested="phone", email_hint="p@l.in")
    assert reading.values["phone"] == "+19845012345"


@pytest.mark.parametrize(
    ("said", "email"),
    [
        ("niamh at seaview house kinsale all one word dot ie", "niamh@seaviewhousekinsale.ie"),
        ("tom at ashworth lettings all one word dot co dot uk", "tom@ashworthlettings.co.uk"),
    ],
)
def test_a_domain_said_as_one_word(said: str, email: str) -> None:
    assert read_message(said, region="IE", requested="email").values == {"email": email}


def test_a_name_said_before_is_my_name() -> None:
    assert read_message("Ramesh Agarwal is my name", region="IN", requested="name").values == {
        "name": "Ramesh Agarwal"
    }


def test_a_name_said_again_in_a_story_is_not_restated() -> None:
    said = (
        "Gabrielle Lefebvre — Gabby is fine, nobody in the office has ever called me "
        "Gabrielle except HR"
    )
    assert read_message(said, region="CA", requested="name").values == {
        "name": "Gabrielle Lefebvre"
    }


def test_the_title_named_in_a_story_is_the_role() -> None:
    said = (
        "I was the first marketing hire — title is Head of Marketing, but I'm a department "
        "of one, so I also run the social accounts"
    )
    assert read_message(said, region="CA", requested="role").values == {"role": "Head of Marketing"}


def test_what_the_school_has_is_not_its_name() -> None:
    said = (
        "Good afternoon. I'm looking for something to help our school's admissions team follow up."
    )
    assert read_message(said, region="GB").values == {}
    assert read_message("my company's Acme Ltd", region="GB").values == {"company": "Acme Ltd"}
    assert read_message("our company's website is slow", region="GB").values == {}


def test_the_companys_name_is_not_the_persons() -> None:
    assert read_message("The company's name is Bright Ltd", region="GB").values == {
        "company": "Bright Ltd"
    }
    assert read_message("my wife's name is Sarah Jones", region="GB").values == {}


def test_dictated_full_stops_and_periods_are_no_part_of_the_answer() -> None:
    assert read_message("My name is Luis Ortega period", region="US").values == {
        "name": "Luis Ortega"
    }
    reading = read_message("we'd want a trial period", region="US", requested="need")
    assert "trial period" in reading.values.get("need", "we'd want a trial period")


def test_nottinghams_drama_numbers_are_taken() -> None:
    assert read_message("0115 496 0381", region="GB", requested="phone").values == {
        "phone": "+441154960381"
    }


def test_a_company_said_again_in_full_after_sorry() -> None:
    said = (
        "shannonside golf club sorry shannonside golf and country club we added the country "
        "club bit years ago and i still forget"
    )
    assert read_message(said, region="IE", requested="company").values == {
        "company": "shannonside golf and country club"
    }
    assert read_message("Acme, sorry", region="IE", requested="company").values == {
        "company": "Acme"
    }


def test_hinglish_name_and_spoken_address() -> None:
    assert read_message(
        "mera naam gurpreet singh bains hai", region="IN", requested="name"
    ).values == {"name": "gurpreet singh bains"}
    assert read_message("Nguyen Van Hai", region="VN", requested="name").values == {
        "name": "Nguyen Van Hai"
    }
    said = "email hai ji bainsparts at gmail dot com"
    assert read_message(said, region="IN", requested="email").values == {
        "email": "bainsparts@gmail.com"
    }


def test_a_name_said_in_full_then_what_everyone_calls_them() -> None:
    said = "Pranav Khandelwal. Sab Pranav hi bolte hain."
    assert read_message(said, region="IN", requested="name").values == {"name": "Pranav Khandelwal"}
    assert read_message("Priya. Priya Nair.", region="IN", requested="name").values == {
        "name": "Priya Nair"
    }


@pytest.mark.parametrize(
    ("said", "email"),
    [
        ("venkat dog r add nilgiri edu tech dog in", "venkat.r@nilgiriedutech.in"),
        (
            "admissions add green field heights dog edu dog n g",
            "admissions@greenfieldheights.edu.ng",
        ),
    ],
)
def test_a_recognizers_dog_for_dot_anywhere_in_the_address(said: str, email: str) -> None:
    assert read_message(said, region="GB", requested="email").values == {"email": email}


@pytest.mark.parametrize(
    ("said", "company"),
    [
        ("drew necks d r e w n e x", "drewnex"),
        ("shan non boats same as the email s h a n n o n", "shannon boats"),
        ("echo logistics limited that's e k o", "eko logistics limited"),
        (
            "company name is sun rise edu tech that is s u n r y s e and edutech one word",
            "sunryse edutech",
        ),
        ("um it's b d o", "BDO"),  # letters that spell no word said are the name
    ],
)
def test_a_company_spelt_on_the_phone_is_written_as_spelt(said: str, company: str) -> None:
    assert read_message(said, region="IE", requested="company").values == {"company": company}


@pytest.mark.parametrize(
    ("said", "requested", "values"),
    [
        # A word typed again after "sorry" puts the one most like it right.
        ("Maria Szymanksa - sorry, typo, Szymanska", "name", {"name": "Maria Szymanska"}),
        (
            "we're Northgate Logisitcs sorry Logistics",
            "company",
            {"company": "Northgate Logistics"},
        ),
        ("Tom Ellis, sorry, autocorrect, Elis", "name", {"name": "Tom Elis"}),
        # An address given again after a correction: the last one stands.
        ("sam@brightfield.io oops sam@brightfield.co", "email", {"email": "sam@brightfield.co"}),
        # Where the company is, after its name, is not part of it.
        ("Pick n Pay down in Durban", "company", {"company": "Pick n Pay"}),
        ("Mahindra Logistics, Chakan plant", "company", {"company": "Mahindra Logistics"}),
    ],
)
def test_corrections_and_places_after_an_answer(
    said: str, requested: LeadField, values: dict[str, str]
) -> None:
    assert read_message(said, region="GB", requested=requested).values == values


def test_digits_misheard_as_words_beside_a_spoken_oh() -> None:
    said = "oh eight six two two to four won for oh"
    assert read_message(said, region="IE", requested="phone").values == {"phone": "+353862224140"}


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("chinedu okafor my people call me cn but chinedu okafor is the full name", "chinedu okafor"),
        ("it's renee gutierrez renee with two e's at the end my mom was very particular",
         "renee gutierrez"),
        ("Zoe Hart, Zoe with an e", "Zoe Hart"),
        ("Ann Lee with an e at the end", "Ann Lee"),
    ],
)  # fmt: skip
def test_a_name_with_a_remark_on_what_people_call_them_or_how_it_is_written(
    said: str, name: str
) -> None:
    assert read_message(said, region=None, requested="name").values == {"name": name}


def test_a_korean_name_ending_in_hoon_is_no_hindi_sentence() -> None:
    reading = read_message("my name is park ji hoon", region="KR", requested="name")
    assert reading.values == {"name": "park ji hoon"}
    hindi = read_message("mera naam gurpreet singh bains hai", region="IN", requested="name")
    assert hindi.values == {"name": "gurpreet singh bains"}


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("jaspal bhogal jas is fine", "jaspal bhogal"),
        ("karthikeyan palanisamy k for kilo a r t h i k e y a n", "karthikeyan palanisamy"),
        ("Also Urquhart... *Ailsa. Autocorrect never gets my name right", "Ailsa Urquhart"),
    ],
)
def test_a_short_name_a_letter_said_with_a_word_and_a_starred_correction(
    said: str, name: str
) -> None:
    assert read_message(said, region="GB", requested="name").values == {"name": name}


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("calvin at porter home repairs dot com", "calvin@porterhomerepairs.com"),
        ("anna at home office supplies dot co dot uk", "anna@homeofficesupplies.co.uk"),
        # where the address is, not its name
        ("it's calvin at my work dot com", None),
    ],
)
def test_a_spoken_domain_of_several_words_may_hold_home_or_office(
    said: str, expected: str | None
) -> None:
    from bot.leads import read_spoken_email

    assert read_spoken_email(said, asked=True) == expected


@pytest.mark.parametrize(
    ("said", "name"),
    [
        # the surname, its spelling, then the whole name that ends with it
        ("byrne b y r n e padraig byrne", "padraig byrne"),
        ("padraig byrne b y r n e", "padraig byrne"),
        # a name whose first and last words are the same stays whole
        ("mohamed ali mohamed", "mohamed ali mohamed"),
    ],
)
def test_a_surname_spelt_then_the_whole_name(said: str, name: str) -> None:
    assert read(said, "name").values.get("name") == name


@pytest.mark.parametrize(
    ("said", "requested"),
    [
        # a short question of its own keeps its end: "Na UE" is no name, "RGPD" no company
        ("Já agora, os dados ficam guardados onde? Na UE? Because of RGPD I have to ask.", "phone"),
        ("Is it hosted in Canada? Because of PIPEDA I need to know.", None),
        ("What would we pay monthly? And in euros? Because of the exchange rate.", "email"),
        # an exclamation is no name
        ("Oh, you want my name already? Goodness. I'd better not start this now.", "name"),
    ],
)
def test_questions_and_exclamations_give_no_details(said: str, requested: LeadField | None) -> None:
    reading = read_message(said, region="PT", requested=requested)
    assert "name" not in reading.values
    assert "company" not in reading.values


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        ("it's wade lindqvist now can i get a person", "name", "wade lindqvist"),
        ("Emre Can Aydoğan", "name", "Emre Can Aydoğan"),
        (
            "Aydoğan Tekstil San. ve Tic. Ltd. Şti.",
            "company",
            "Aydoğan Tekstil San. ve Tic. Ltd. Şti.",
        ),
        ("Duna-Precíz Kft.", "company", "Duna-Precíz Kft."),
    ],
)
def test_names_before_a_request_and_suffixes_kept_whole(
    said: str, field: LeadField, value: str
) -> None:
    assert read_message(said, region="TR", requested=field).values.get(field) == value


@pytest.mark.parametrize(
    "said",
    ["look can i just talk to someone in sales", "Can you help me", "I'll look around some more"],
)
def test_a_request_or_a_plan_is_no_name(said: str) -> None:
    assert "name" not in read_message(said, region="US", requested="name").values


@pytest.mark.parametrize(
    ("said", "requested"),
    [
        (
            "Já agora, os dados ficam guardados onde? Na UE? Because of RGPD I have to ask.",
            "company",
        ),
        ("Já agora, os dados ficam guardados onde? Na UE? Because of RGPD I have to ask.", "name"),
        ("Can it connect to Salesforce? Most of our clients are on that.", None),
        ("Who sees the details our guests type in? Some of it is quite private.", None),
        ("Neither at the moment, thank you; e-mail is sufficient.", None),
    ],
)
def test_a_short_question_among_others_and_quantifiers_give_no_name_or_company(
    said: str, requested: LeadField | None
) -> None:
    values = read_message(said, region="PT", requested=requested).values
    assert "name" not in values
    assert "company" not in values


def test_a_name_alone_with_a_question_mark_still_answers() -> None:
    assert read_message("Dana Reyes?", region="US", requested="name").values == {
        "name": "Dana Reyes"
    }


def test_a_surname_named_as_such_after_the_given_name() -> None:
    said = "Martina. Echeverría is the surname, with the accent, but don't worry about it."
    assert read_message(said, region="AR", requested="name").values == {
        "name": "Martina Echeverría"
    }


@pytest.mark.parametrize("said", ["Skip muna po, questions lang.", "bye", "no its fine bye"])
def test_skipping_in_tagalog_or_leaving_gives_no_name_or_company(said: str) -> None:
    for field in ("name", "company"):
        assert field not in read_message(said, region="PH", requested=field).values


@pytest.mark.parametrize(
    "said",
    [
        "Nah, I'll keep that to myself for now",
        "Cheers, that's helpful",
        "Aiyo, no need my name yet lah, just asking first",
        "And what sort of money are we talking? Roughly, I mean.",
        "I'm Welsh",
    ],
)
def test_no_name_in_words_that_are_no_name(said: str) -> None:
    reading = read_message(said, region="US", requested="name", persons=["Nah", "Aiyo"])
    assert "name" not in reading.values


def test_a_surname_that_is_a_nationality_is_still_a_name() -> None:
    assert read_message("Jane English", region="US", requested="name").values["name"] == (
        "Jane English"
    )


@pytest.mark.parametrize(
    ("requested", "said"),
    [
        ("role", "Sorry, I'm only after a few answers today."),
        ("need", "Sorry, I'm only after a few answers today."),
    ],
)
def test_wanting_only_answers_fills_no_free_text_field(requested: LeadField, said: str) -> None:
    reading = read_message(said, region="US", requested=requested)
    assert reading.values == {} and reading.declined


def test_a_number_is_read_in_the_emails_country_before_the_default() -> None:
    reading = read_message(
        "(306) 555-0192", region="GB", requested="phone", email_hint="doug@petersenhardware.ca"
    )
    assert reading.values["phone"] == "+13065550192"


def test_a_vanity_domain_says_nothing_of_the_country() -> None:
    from bot.leads import phone_regions

    assert phone_regions("US", "a@studio.io") == ("US", "IO")
    assert phone_regions("GB", "doug@petersenhardware.ca") == ("CA", "GB")


@pytest.mark.parametrize(
    ("said", "name"),
    [
        # Names stated with apostrophes and hyphens keep them
        ("my name is Niamh O'Sullivan and I run a café", "Niamh O'Sullivan"),
        ("no, my name is Ama Owusu-Ansah", "Ama Owusu-Ansah"),
        ("I'm Luis Pérez-Ortega from Grupo Norte", "Luis Pérez-Ortega"),
        # A short form before a name is no sentence's end
        ("my name is Ma. Lourdes Reyes-Tan", "Ma. Lourdes Reyes-Tan"),
    ],
)
def test_a_name_stated_keeps_its_apostrophes_hyphens_and_short_forms(said: str, name: str) -> None:
    assert read_message(said, region="US").values["name"] == name


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("Ma. Teresa Villanueva", "Ma. Teresa Villanueva"),
        ("W. K. D. Chamari Perera", "W. K. D. Chamari Perera"),
        ("Anne Smyth.. sorry Smith with an i", "Anne Smith"),
        ("Anne Smyth sorry Smith with an i, not a y", "Anne Smith"),
        ("Rosa Santoz.. sorry Santos with s 😅 Rosa Santos", "Rosa Santos"),
    ],
)
def test_initials_short_forms_and_a_surname_put_right(said: str, name: str) -> None:
    assert read_message(said, region="PH", requested="name").values["name"] == name


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        # a recognizer's "tree" and "for" for the first digit, before a number's worth
        ("tree one two five five five oh one for seven", "+13125550147"),
        ("for one six five five five oh one nine one", "+14165550191"),
    ],
)
def test_a_sound_alike_first_digit_of_a_spoken_number(said: str, phone: str) -> None:
    assert read_message(said, region="US", requested="phone").values == {"phone": phone}


def test_for_before_a_few_digits_is_no_phone_number() -> None:
    assert "phone" not in read_message("call me for two minutes", region="US").values


def test_one_minute_is_no_name() -> None:
    said = "one minute sorry customer has come i will call you back later"
    assert "name" not in read_message(said, region="US", requested="name").values
    assert leaves_for_now(said)


@pytest.mark.parametrize(
    ("said", "email"),
    [
        (
            "it's roisin r o i s i n at lagan valley bakes dot co dot uk and lagan valley bakes "
            "is all the one word",
            "roisin@laganvalleybakes.co.uk",
        ),
        # the word as the recognizer heard it, then its letters: the letters win
        ("rosheen r o i s i n at laganvalleybakes dot co dot uk", "roisin@laganvalleybakes.co.uk"),
    ],
)
def test_a_word_of_the_address_then_its_letters(said: str, email: str) -> None:
    assert read_message(said, region="GB", requested="email").values == {"email": email}


@pytest.mark.parametrize(
    ("said", "field"),
    [
        ("hang on the tractor's after starting", "company"),
        ("hold on a second am i talking to a computer here", "role"),
    ],
)
def test_a_pause_is_no_company_and_no_role(said: str, field: LeadField) -> None:
    assert read_message(said, region="IE", requested=field).values == {}


def test_what_follows_a_pause_is_read() -> None:
    said = "hang on, it's Acme Ltd"
    assert read_message(said, region="IE", requested="company").values == {"company": "Acme Ltd"}


def test_a_refusal_naming_the_manager_gives_no_name() -> None:
    said = (
        "I'd rather not leave any details yet, I'm just collecting answers for my manager, "
        "Femke de Groot."
    )
    reading = read_message(said, region="NL", requested="name")
    assert reading.values == {} and reading.declined
