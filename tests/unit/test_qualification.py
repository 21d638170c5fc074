from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.qualification import (
    DEFAULT_CONFIG,
    NOT_THE_DECIDER,
    PRICE_NOT_KNOWN,
    YEAR_OR_LATER,
    Answer,
    QualificationConfigError,
    load_qualification_config,
    read_answer,
    read_authority,
    read_budget,
    read_company_size,
    read_volunteered,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 40 people", "11-50"),
        ("we're a team of 12", "11-50"),
        ("just me", "1-10"),
        ("5", "1-10"),
        ("51-200", "51-200"),
        ("1000+", "1000+"),
        ("around 2,500 employees", "1000+"),
        ("a few hundred", "201-1000"),
        ("between 50 and 100", "51-200"),
        ("thousands worldwide", "1000+"),
        ("we are twenty people", "11-50"),
        ("small team, maybe 8", "1-10"),
    ],
)
def test_company_size(text: str, expected: str) -> None:
    assert read_answer("company_size", text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("around $20k", "10k_50k"),
        ("2k a month", "10k_50k"),
        ("500 per month", "1k_10k"),
        ("$300", "under_1k"),
        ("100k+", "over_50k"),
        ("six figures", "over_50k"),
        # none set yet is no budget of nothing
        ("no budget yet", None),
        ("no budget at all, we can't spend anything", "under_1k"),
        ("10k-50k", "10k_50k"),
        ("Under $1k", "under_1k"),
        ("over $50k a year", "over_50k"),
        ("5 grand", "1k_10k"),
        ("1.5 million", "over_50k"),
        ("fifty thousand", "10k_50k"),
    ],
)
def test_budget(text: str, expected: str | None) -> None:
    assert read_answer("budget", text).value == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("I decide", None, "decides"),
        ("it's my call", None, "decides"),
        ("I'm the founder", None, "decides"),
        ("yes", "affirm", "decides"),
        ("no, my boss does, I put it to him", "deny", "influences"),
        ("I recommend, the CFO signs off", None, "influences"),
        ("we decide as a team", None, "influences"),
        ("just researching for now", None, "researching"),
        ("Researching", None, "researching"),
        ("me lol its my biz", "greet", "decides"),
        ("I own the shop, so yes", None, "decides"),
    ],
)
def test_authority(text: str, intent: str | None, expected: str) -> None:
    assert read_answer("authority", text, intent).value == expected


@pytest.mark.parametrize(
    "text",
    [
        "no, my boss does",
        "honestly ask my boss",
        "the owner picks, whoever's cheapest",
        "above my pay grade, mate",
        "idk, my dad handles that kind of thing",
        "our Geschäftsführer signs off",
        "it's their call",
    ],
)
def test_someone_elses_decision_without_a_part_of_ones_own_is_asked_not_guessed(text: str) -> None:
    """Who decides is said, the person's own part is not: a say, or only looking into it?"""
    answer = read_answer("authority", text, "deny" if text.startswith("no") else None)
    assert (answer.value, answer.follow_up) == (None, NOT_THE_DECIDER)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'd have to run it past my director first", "influences"),
        ("we talk it through but the MD has the last word", "influences"),
        ("I'm involved, the board signs", "influences"),
        ("I was just told to look into options", "researching"),
    ],
)
def test_someone_elses_decision_with_a_part_of_ones_own(text: str, expected: str) -> None:
    assert read_answer("authority", text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("asap", "now"),
        ("this week ideally", "now"),
        ("in 2 months", "quarter"),
        ("next quarter", "quarter"),
        ("in six months", "year"),
        ("no rush, nothing booked before 2028", "later"),
        ("not any time soon", "later"),
        ("in 3 weeks", "now"),
        ("within 18 months", "later"),
        ("Within 3 months", "quarter"),
    ],
)
def test_timeline(text: str, expected: str) -> None:
    assert read_answer("timeline", text).value == expected


@pytest.mark.parametrize("field", ["budget", "timeline", "company_size", "authority"])
def test_not_sure_is_a_declined_answer(field: str) -> None:
    answer = read_answer(field, "not sure, sorry")
    assert answer.value is None and answer.declined


def test_gibberish_is_neither_an_answer_nor_declined() -> None:
    answer = read_answer("budget", "purple elephants")
    assert answer == read_answer("budget", "purple elephants")
    assert answer.value is None and not answer.declined


def test_volunteered_details_need_cue_words() -> None:
    assert read_volunteered("we're about 200 people and the budget is 30k") == {
        "company_size": "51-200",
        "budget": "10k_50k",
    }
    assert read_volunteered("call me at 5") == {}


def test_default_order_and_skip_rule(tmp_path: Path) -> None:
    assert DEFAULT_CONFIG.next_question({}, set()) == "company_size"
    path = tmp_path / "qualification.yml"
    path.write_text(
        "questions:\n  - field: company_size\n  - field: budget\n    skip_when:\n"
        "      company_size: ['1-10']\n  - field: timeline\n"
    )
    config = load_qualification_config(path)
    assert config.next_question({"company_size": "1-10"}, set()) == "timeline"
    assert config.next_question({"company_size": "11-50"}, set()) == "budget"
    assert config.next_question({"company_size": "11-50"}, {"budget"}) == "timeline"
    assert (
        config.next_question({"company_size": "11-50", "budget": "x", "timeline": "y"}, set())
        is None
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("questions:\n  - field: age\n", "unknown field 'age'"),
        (
            "questions:\n  - field: budget\n    skip_when: {company_size: [huge]}\n",
            "unknown values ['huge']",
        ),
        ("questions:\n  - field: budget\n  - field: budget\n", "asked twice: budget"),
        ("nope: 1\n", "questions"),
        ("questions: [\n", "not valid YAML"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "qualification.yml"
    path.write_text(body)
    with pytest.raises(QualificationConfigError, match=r"qualification\.yml") as error:
        load_qualification_config(path)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we're a team of 30 and want a demo", {"company_size": "11-50"}),
        ("about 1,200 employees", {"company_size": "1000+"}),
        ("our budget is around 5k per month", {"budget": "over_50k"}),
        ("we could spend $800", {"budget": "under_1k"}),
        ("I need a demo for my 3 shops", {}),
    ],
)
def test_volunteered_phrasings(text: str, expected: dict[str, str]) -> None:
    assert read_volunteered(text) == expected


# ---------------------------------------------------------------- numbers in any notation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Thousands separators of every kind, and decimal commas.
        ("1.200 employees", "1000+"),
        ("1,200", "1000+"),
        ("1 200 staff", "1000+"),
        ("12.000", "1000+"),
        ("we're 1\u00a0050 people", "1000+"),
        ("about 0.5k", "201-1000"),
        ("roughly 2k staff", "1000+"),
        ("2 lakh employees", "1000+"),
        # Words.
        ("a couple hundred", "51-200"),
        ("forty-odd of us", "11-50"),
        ("about two thousand", "1000+"),
        ("a dozen", "11-50"),
        ("half a dozen", "1-10"),
        ("twenty-five", "11-50"),
        ("a hundred and fifty, give or take", "51-200"),
        ("just the two of us", "1-10"),
        ("me and my business partner", "1-10"),
        ("one person", "1-10"),
        # Ranges are read as their midpoint.
        ("50 to 100 people", "51-200"),
        ("between twenty and fifty", "11-50"),
        ("5-person team", "1-10"),
        ("40–60", None),  # half in each band: asked again, not guessed
        ("100-500", None),  # a quarter of it under 200: asked again
        # Bounds sit just past the number.
        ("under 10", "1-10"),
        ("over 50", "51-200"),
        ("50+", "51-200"),
        ("1k+", "1000+"),
        # Numbers that count something else are not a head count.
        ("we have 3 offices and 40 staff", "11-50"),
        ("a small team of 30", "11-50"),
        ("we're 3 years old, 12 people", "11-50"),
        ("since 2015, about 25", "11-50"),
        ("nearly 300 across 4 countries", "201-1000"),
        ("around 80 FTEs", "51-200"),
    ],
)
def test_company_size_in_any_notation(text: str, expected: str | None) -> None:
    assert read_answer("company_size", text).value == expected


@pytest.mark.parametrize(
    "text",
    ["we have 3 offices", "one sec", "one of the founders", "we grew 20% last year", "since 2015"],
)
def test_numbers_that_are_no_head_count_are_not_read(text: str) -> None:
    assert read_answer("company_size", text).value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Multipliers, decimal commas, "-ish".
        ("2,5k", "1k_10k"),
        ("5k-ish", "1k_10k"),
        ("1,5 million", "over_50k"),
        ("1.5 mil", "over_50k"),
        ("half a million", "over_50k"),
        ("ten grand", "10k_50k"),
        ("a couple of grand", "1k_10k"),
        ("about two thousand a month", "10k_50k"),
        # Periods: a month is x12, a quarter x4, a week x52; nothing said is a year.
        ("2k/mo", "10k_50k"),
        ("2k pm", "10k_50k"),
        ("2k p.m.", "10k_50k"),
        ("500 monthly", "1k_10k"),
        ("monthly, about 500", "1k_10k"),
        ("2k a quarter", "1k_10k"),
        ("100 bucks a week", "1k_10k"),
        ("around 1k per annum", None),  # on the edge of two bands, said roughly: asked again
        ("not much, maybe 500 a month", "1k_10k"),
        # Ranges: the multiplier and period said once apply to both ends.
        ("between 20 and 50k", "10k_50k"),
        ("10-15k", "10k_50k"),
        ("2-3k a month", "10k_50k"),
        ("10 - 15 thousand pounds", "10k_50k"),
        ("500-2k", None),  # a third under 1k, two thirds over: asked again
        # Currencies, converted to dollars at rough rates.
        ("£500 a month", "1k_10k"),
        ("around €8k a year", "1k_10k"),
        ("EUR 12.000", "10k_50k"),
        ("1.200,50 €", "1k_10k"),
        ("5,000 euros", "1k_10k"),
        ("GBP 45k", "over_50k"),
        ("a few hundred quid", "under_1k"),
        ("A$30k", "10k_50k"),
        ("20k aussie dollars", "10k_50k"),
        ("C$ 80,000", "over_50k"),
        ("USD 900", "under_1k"),
        ("₹5 lakh", "1k_10k"),
        ("5 lakh", "1k_10k"),
        ("INR 8,00,000", "1k_10k"),
        ("Rs. 50,000/- per month", "1k_10k"),
        ("2 crore", "over_50k"),
        ("R50 000", "1k_10k"),
        ("R 500 000 a year", "10k_50k"),
        ("5000 rand", "under_1k"),
        # Bounds and the buttons' own labels.
        ("up to 10k", "1k_10k"),
        ("$1k-10k", "1k_10k"),
        ("$10k-50k", "10k_50k"),
        ("5 figures", None),  # 10,000 to 99,999: two bands, so asked again
        ("low 5 figs", "10k_50k"),
        # Head counts and durations in the same answer are not the budget.
        ("40k for the year, for our 20 staff", "10k_50k"),
        ("5k for 2 years", "1k_10k"),
    ],
)
def test_budget_in_any_notation(text: str, expected: str | None) -> None:
    assert read_answer("budget", text).value == expected


@pytest.mark.parametrize(
    "text", ["£10 per user per month", "about $25 a seat", "we're 40 people", "for 6 months"]
)
def test_prices_per_seat_and_other_counts_are_no_budget(text: str) -> None:
    assert read_answer("budget", text).value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 6-8 weeks", "quarter"),
        ("a month or two", "quarter"),
        ("a fortnight", "now"),
        ("half a year", "year"),
        ("in a couple of months", "quarter"),
        ("eighteen months", "later"),
        ("within 90 days", "quarter"),
        ("in the next 30 days", "now"),
        ("a year and a half", "later"),
        ("in 1.5 months", "quarter"),
        ("2 to 3 months", "quarter"),
        ("six weeks", "quarter"),
        ("in a few weeks", "now"),
        ("within a year", "year"),
        ("in one month", "now"),
        ("sorted in the next month or so", "now"),
        ("next month", "now"),  # what people mean by it: soon, within about a month
        ("in the next half year", "year"),
        ("could be a year or more", "later"),
        ("more than three months", "year"),
        ("no rush, maybe later in the year", "year"),  # the year said wins over "no rush"
        ("not this year", "later"),
        ("not until next year", "later"),
        ("we would start in the next month or two", "quarter"),
        ("over the coming week or two", "now"),
        ("within the next year", "year"),
        ("no rush, sometime within the year", "year"),
        ("within 3 montha", "quarter"),
        ("soon as possible", "now"),
        ("not sure. later", "later"),
    ],
)
def test_timeline_in_any_notation(text: str, expected: str) -> None:
    assert read_answer("timeline", text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("team of forty-odd, budget around €20k", {"company_size": "11-50", "budget": "10k_50k"}),
        ("we're 1.200 staff", {"company_size": "1000+"}),
        ("we spend 3 hours a day chasing leads", {}),
        ("is it under $100 a month?", {}),
        ("our budget is ₹5 lakh a year", {"budget": "1k_10k"}),
    ],
)
def test_volunteered_details_in_any_notation(text: str, expected: dict[str, str]) -> None:
    assert read_volunteered(text) == expected


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        ("that would be me", "decides"),
        ("Myself, of course!", "decides"),
        ("I'm the one who picks the vendor", "decides"),
        ("the call is mine", "decides"),
        ("honestly I call the shots here", "decides"),
        # A peer they run the business with decides with them; a boss does not.
        ("me and my business partner", "decides"),
        ("me n my sister decide together", "decides"),
        ("i'd be deciding it with my boss", "influences"),
        # Who signs, and what the person does about it.
        ("my boss signs off but she listens to me", "influences"),
        ("the partners decide, i just pull together options", "researching"),
        ("im looking into it for the owner", "researching"),
        ("it's my salon so yeah me", "decides"),
        ("I'll be the one signing off", "decides"),
        ("it's mine", "decides"),
        ("ultimately me", "decides"),
        ("I run the business", "decides"),
        ("it'll be a group decision", "influences"),
        ("that's above my pay grade", "influences"),
        ("it goes through our trustees, I just put it forward", "influences"),
        ("the directors sign it off but they listen to my view", "influences"),
        ("I'd propose it to the principals", "influences"),
        ("I get some say in it", "influences"),
        ("only having a look at what's out there", "researching"),
        ("pulling together a shortlist for the higher-ups", "researching"),
        ("window shopping really", "researching"),
    ],
)
def test_who_decides_in_everyday_words(said: str, authority: str) -> None:
    from bot.qualification import read_authority

    assert read_authority(said) == authority


@pytest.mark.parametrize("said", ["no firm date yet", "no timeline, only exploring"])
def test_no_set_date_is_no_set_timeline(said: str) -> None:
    assert read_answer("timeline", said).value == "later"


@pytest.mark.parametrize("said", ["whenever suits", "we're not in any rush", "no rush really"])
def test_no_hurry_alone_is_asked_with_the_options(said: str) -> None:
    """People reading "no rush" alone file no time at all about 11 times to 8 (persona and
    probe authors), the rest "later": nothing is filed from the words, and the question
    comes once more with its options, "No set timeline" among them."""
    answer = read_answer("timeline", said)
    assert answer.value is None and not answer.declined


@pytest.mark.parametrize(
    ("said", "today", "timeline"),
    [
        ("by the end of the month ideally", date(2026, 10, 5), "now"),
        ("sometime before the end of the quarter", date(2026, 10, 5), "quarter"),
        # The quarter's end is weeks away in December, and a month from now is "now".
        ("sometime before the end of the quarter", date(2026, 12, 5), "now"),
        ("by EOQ", date(2026, 12, 5), "now"),
        ("EOM ideally", date(2026, 12, 5), "now"),
    ],
)
def test_the_current_month_or_quarter_is_read(said: str, today: date, timeline: str) -> None:
    assert read_answer("timeline", said, today=today).value == timeline


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        ("I have sign-off up to a certain amount, and this would be under it", "decides"),
        ("I can approve it myself", "decides"),
        ("I'll recommend it to the MD, she has the final word", "influences"),
        ("my boss has the final say", "influences"),
        ("i put it to the director", "influences"),
        ("need to run it by the board", "influences"),
    ],
)
def test_who_decides_is_read_from_who_has_the_last_word(said: str, authority: str) -> None:
    from bot.qualification import read_authority

    assert read_authority(said) == authority


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("around KES 600,000 per year", "1k_10k"),
        ("KSh 2 million a year", "10k_50k"),
        ("AED 20k", "1k_10k"),
        ("RM 10,000 yearly", "1k_10k"),
        ("CHF 60000 a year", "over_50k"),
    ],
)
def test_budgets_in_more_currencies(said: str, band: str) -> None:
    from bot.qualification import read_budget

    assert read_budget(said) == band


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("we can do about 30 000 zł a year", "1k_10k"),
        ("around 300.000 TL yearly", "1k_10k"),
        ("thirty million won per year", "10k_50k"),
        ("Rp 80 juta per tahun", "1k_10k"),
        ("60万円くらい", "1k_10k"),
        ("500万元", "over_50k"),
        ("150 000 kronor om året", "10k_50k"),
        ("2 millones de pesos mexicanos", "over_50k"),
        ("25,000 saudi riyals", "1k_10k"),
        ("about 900,000 forints", "1k_10k"),
    ],
)
def test_budgets_in_still_more_currencies(said: str, band: str) -> None:
    assert read_budget(said) == band


@pytest.mark.parametrize(
    "said",
    [
        "maybe 50000 pesos",  # Mexican, Philippine, Colombian...: twenty times apart
        "¥3,000,000",  # yen or yuan
        "around 200k kroner",  # Norwegian or Danish
        "500 riyals a month",  # Saudi or Omani
    ],
)
def test_money_of_an_unsaid_country_is_no_budget(said: str) -> None:
    assert read_budget(said) is None


@pytest.mark.parametrize(
    ("said", "country", "band"),
    [
        ("around three hundred thousand pesos per year", "MX", "10k_50k"),
        ("maybe 50000 pesos", "PH", "under_1k"),
        ("¥3,000,000", "JP", "10k_50k"),
        ("¥3,000,000", "CN", "over_50k"),
        ("around 200k kroner", "DK", "10k_50k"),
        ("500 riyals a month", "SA", "1k_10k"),
        # Dollars are the phone country's own where it has them, US dollars elsewhere.
        ("about 70 thousand dollars a year", "AU", "10k_50k"),
        ("about 70 thousand dollars a year", "DE", "over_50k"),
        # Pesos from a country without them stay unread rather than guessed.
        ("maybe 50000 pesos", "FR", None),
    ],
)
def test_money_named_by_several_countries_is_read_as_the_phones_country(
    said: str, country: str, band: str | None
) -> None:
    assert read_budget(said, country) == band
    expected = Answer(band) if band else Answer(None)
    assert read_answer("budget", said, "inform", country) == expected


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("around five lakhs per year", "1k_10k"),  # spelled out, still rupees
        ("two and a half lakh", "1k_10k"),
        ("one crore", "over_50k"),
        ("five lakh dollars", "over_50k"),  # a currency said wins over the scale's
    ],
)
def test_indian_scales_in_words_are_rupees(said: str, band: str) -> None:
    assert read_budget(said) == band


def test_a_grand_is_a_thousand() -> None:
    assert read_budget("under a grand") == "under_1k"
    assert read_budget("a grand a month") == "10k_50k"


def test_its_me_who_decides() -> None:
    assert read_answer("authority", "Yes, it's me who decides") == Answer("decides")


@pytest.mark.parametrize(
    ("said", "intent", "expected"),
    [
        ("My CEO decide, I only research first", "inform", Answer("researching")),
        ("no i only collect the information for my boss", "deny", Answer("researching")),
        ("no thanks", "deny", Answer(None, declined=True)),
        ("no thank you, only questions", "deny", Answer(None, declined=True)),
        # A bare no leaves "a say in it" and "only researching" open: asked, not guessed.
        ("no", "deny", Answer(None, follow_up="not_the_decider")),
        ("I will present it to management for approval", "inform", Answer("influences")),
    ],
)
def test_turning_the_decision_question_down_is_no_answer(
    said: str, intent: str, expected: Answer
) -> None:
    assert read_answer("authority", said, intent) == expected


def test_a_currency_code_that_is_also_a_word_counts_only_in_capitals() -> None:
    assert read_budget("we could try 10k") == "10k_50k"  # dollars, as said
    assert read_budget("10k TRY") == "under_1k"  # Turkish lira


def test_a_month_said_in_the_speakers_first_language_is_a_month() -> None:
    assert read_budget("2,5k euros al mes") == "10k_50k"
    assert read_budget("about 900 euros par mois") == "10k_50k"


def test_hundreds_said_the_short_way() -> None:
    assert read_company_size("around one fifty employees") == "51-200"
    assert read_company_size("two twenty five people") == "201-1000"
    assert read_company_size("twenty five") == "11-50"


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        # Someone else as the one who decides, with no possessive before them.
        ("procurement handles that", "influences"),
        ("our IT department decides", "influences"),
        ("it has to be approved by head office in Sydney", "influences"),
        ("we're a co-op so the members decide", "influences"),
        ("I'm one of three partners, we vote", "influences"),
        ("I'll be deciding along with the sales lead", "influences"),
        # The person describes themselves with a word that names a decider elsewhere.
        ("i'm the owner, i decide", "decides"),
        ("I'm the owner and I make the call", "decides"),
        ("i am the proprietor", "decides"),
        ("sole proprietor here, so me", "decides"),
        ("as the MD, yes", "decides"),
        ("I'm the one holding the budget", "decides"),
        ("it's down to me", "decides"),
        ("definitely me", "decides"),
        ("i run a small bakery on my own so yes", "decides"),
        ("i make the purchasing decisions", "decides"),
        ("it's a shared decision with my co-founder", "decides"),
        # Only gathering for someone who decides.
        ("that'd be our operations director, I'm just scouting", "researching"),
        ("not me, I'm putting together a report for my director", "researching"),
        ("I decide, not my boss", "decides"),
    ],
)
def test_who_decides_when_the_decider_is_named_plainly(said: str, authority: str) -> None:
    from bot.qualification import read_authority

    assert read_authority(said) == authority


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        ("in March", "quarter"),
        ("by September", "year"),
        ("mid-february", "quarter"),
        # Six weeks off: every persona and probe author files January said in early
        # December as the quarter.
        ("in January", "quarter"),
        ("January", "quarter"),
        ("by January", "now"),
        ("before we reopen on the third of january", "now"),
        ("by Jan 12th", "quarter"),
        # "Dec 31" is a day, not the year 2031
        ("before our fiscal year closes on Dec 31", "now"),
        ("q one next year", "quarter"),
        ("Q1, and the budget is about $3k a month", "quarter"),
        ("before May 2027", "year"),
        ("by june '27", "year"),
        ("by Q2", "year"),
        ("Q1 2027", "quarter"),
        ("the first quarter", "quarter"),
        ("Q4", "quarter"),  # under way: this quarter
        ("by the end of 2026", "now"),
        ("in 2027", "year"),  # its middle, seven months away in December
        ("just researching for now, maybe 2028", "later"),
        # A span said in numbers wins over the month it lands in.
        ("in 6 weeks, so by mid January", "quarter"),
        # "may" and "march" are verbs as often as months; a past year is no timeline.
        ("we may start soon", "quarter"),
        ("march on", None),
        ("since 2015 we have wanted this", None),
    ],
)
def test_a_named_month_quarter_or_year_is_placed_from_today(
    said: str, timeline: str | None
) -> None:
    from datetime import date

    assert read_answer("timeline", said, today=date(2026, 12, 4)).value == timeline


def test_a_named_month_depends_on_the_day_it_is_said() -> None:
    from datetime import date

    assert read_answer("timeline", "by September", today=date(2027, 7, 1)).value == "quarter"
    assert read_answer("timeline", "by September", today=date(2026, 12, 4)).value == "year"


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        ("as soon as we can", "now"),
        ("the sooner the better", "now"),
        ("not for a while", "later"),
        ("next FY", "year"),  # a fiscal year starts within twelve months
    ],
)
def test_timeline_in_set_phrases(said: str, timeline: str) -> None:
    assert read_answer("timeline", said).value == timeline


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("authority", "Final decision will be mine only", "decides"),
        ("timeline", "by next month if possible", "now"),
        ("timeline", "next month", "now"),
    ],
)
def test_more_everyday_answers(field: str, said: str, value: str) -> None:
    assert read_answer(field, said).value == value


@pytest.mark.parametrize(
    ("said", "size"),
    [
        ("45 developers plus office, so around 55", "51-200"),
        ("we have 8 full-time and 4 part-time, so 12 in total", "11-50"),
    ],
)
def test_the_total_said_after_the_parts_is_the_head_count(said: str, size: str) -> None:
    assert read_company_size(said) == size


def test_a_scale_said_once_in_words_reaches_both_ends_of_the_range() -> None:
    assert read_budget("perhaps twelve to fifteen thousand euros per year") == "10k_50k"
    assert read_budget("two thousand five hundred a year") == "1k_10k"


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        ("I am investigating on behalf of my division manager; I do not decide.", "researching"),
        ("Mostly is my decision, the CEO just signs what I say", "decides"),
        ("me. the owner only signs the cheques", "decides"),
        ("the CFO signs the contract", "influences"),
    ],
)
def test_who_really_decides(said: str, authority: str) -> None:
    from bot.qualification import read_authority

    assert read_authority(said) == authority


@pytest.mark.parametrize(
    "said",
    [
        "we spend about $2000 a month on google ads and get nothing",
        "we lose $5,000 a month in missed calls",
        "I have signing authority up to 20,000 US dollars, which would cover this.",
    ],
)
def test_money_spent_elsewhere_is_no_budget(said: str) -> None:
    assert "budget" not in read_volunteered(said)


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("twelve technicians and two in the office", "11-50"),
        ("we have 8 full time and 4 part time", "11-50"),
        ("3 physios + 2 reception, 6 incl me", "1-10"),
        ("me + my assistant", "1-10"),
        ("eleven techs plus me and my wife in the office", "11-50"),
        ("9 techs plus me", "1-10"),
        ("12 or 15 people", "11-50"),  # alternatives are not added up
    ],
)
def test_a_head_count_in_parts_is_added_up(said: str, band: str) -> None:
    assert read_company_size(said) == band


@pytest.mark.parametrize(
    "said",
    ["me and only me", "all me", "that would be me and nobody else", "na me get final say 😂"],
)
def test_me_and_nobody_else_decides(said: str) -> None:
    assert read_authority(said) == "decides"


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("Somewhere under a thousand pounds a year", "under_1k"),
        ("over 50k euros a year", "over_50k"),
        ("about a thousand pounds a year", "1k_10k"),  # no bound: converted as said
    ],
)
def test_a_bound_at_a_band_edge_in_a_currency_near_the_dollar_keeps_its_side(
    said: str, band: str
) -> None:
    assert read_budget(said, "GB") == band


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("around r250 000 a year", "10k_50k"),  # rand, as a recognizer or a fast typist writes it
        ("around rm 60 000 a year", "10k_50k"),
    ],
)
def test_a_currency_in_lower_case_right_before_the_figure_is_read(said: str, band: str) -> None:
    assert read_budget(said) == band


def test_a_stray_group_of_zeros_is_no_budget_of_nothing() -> None:
    assert read_budget("we spent 000") is None


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("company_size", "~120 incl freelancers", "51-200"),  # a number beats a word
        ("company_size", "we're 6, soon 8", "1-10"),  # now and later are not added up
        ("company_size", "about tirty people", "11-50"),  # as a recognizer writes "thirty"
        ("budget", "maybe two or tree hundred euro a month", "1k_10k"),
        ("budget", "low 5 figs a year", "10k_50k"),
        ("budget", "5 figs a year", None),
        ("timeline", "idk, soon-ish?", None),
        ("timeline", "in the next month sana", "now"),  # particles change no answer
        ("authority", "me po", "decides"),
    ],
)
def test_loose_answers_from_chat_and_calls(field: str, said: str, value: str | None) -> None:
    assert read_answer(field, said).value == value


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        # Said on 4 December: the end of the year is weeks away, January's end nearly two
        # months, next year's first half within the year.
        ("before the end of the year", "now"),
        ("Immediately. Before the year ends if possible.", "now"),
        ("before the year's out", "now"),
        ("early jan", "now"),
        ("in early January", "now"),
        ("by the end of January ideally", "quarter"),
        ("need it before school starts end jan", "quarter"),
        ("straight after christmas", "now"),
        ("right after the holidays", "now"),
        ("before chinese new year", "quarter"),
        ("after diwali", "year"),
        ("first half of next year", "year"),
        ("early next year", "quarter"),
        ("probably mid-2027", "year"),
        # No hurry and a guess at next year: put off, as the persona authors file it.
        ("we needed it last month tbh", "now"),
        ("dunno, whenever the boss decides", None),
        # Only when it cannot be, then when it will: the later time is meant.
        ("Not before Ramadan ends. After Eid, around April", "year"),
    ],
)
def test_holidays_and_parts_of_the_year_are_placed_from_today(
    said: str, timeline: str | None
) -> None:
    from datetime import date

    assert read_answer("timeline", said, today=date(2026, 12, 4)).value == timeline


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("company_size", "about 30, no actually closer to 60", "51-200"),
        ("budget", "5k, sorry I mean 15k", "10k_50k"),
        ("company_size", "we're actually 40 people", "11-50"),
    ],
)
def test_what_they_say_last_stands_when_they_correct_themselves(
    field: str, said: str, value: str
) -> None:
    assert read_answer(field, said).value == value


@pytest.mark.parametrize(
    ("field", "said"),
    [
        ("company_size", "between 40 and 60 depending on the season"),
        ("company_size", "hmm, quite a few"),
        ("budget", "between 5 and 15k"),
        ("budget", "whatever it takes honestly"),
    ],
)
def test_an_answer_split_between_bands_or_too_vague_is_not_filed(field: str, said: str) -> None:
    assert read_answer(field, said).value is None


@pytest.mark.parametrize(
    ("said", "intent", "value"),
    [
        ("yes i am the director", "affirm", "decides"),
        ("partly yeah", "affirm", "influences"),
        ("I'm compiling a shortlist for our COO", None, "researching"),
        ("they asked me to look into it", None, "researching"),
        ("I'll put options together for my boss and recommend one", None, "influences"),
    ],
)
def test_who_decides_from_what_the_person_does(said: str, intent: str | None, value: str) -> None:
    assert read_answer("authority", said, intent).value == value


def test_yes_and_no_to_who_decides_is_asked_about_not_taken_for_yes() -> None:
    answer = read_answer("authority", "yes and no", "affirm")
    assert answer.value is None and answer.follow_up == NOT_THE_DECIDER


def test_a_range_mostly_in_one_band_is_filed_there_and_one_split_is_not() -> None:
    assert read_answer("company_size", "between 50 and 100").value == "51-200"
    assert read_answer("budget", "$1k-10k").value == "1k_10k"
    # $40-60k: half of it under $50k is too much to guess across.
    assert read_answer("budget", "$40-60k").value is None
    # €40-60k is about $46-70k: most of it is over $50k.
    assert read_answer("budget", "€40-60k").value == "over_50k"


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("budget", "20 mil euros al año", "10k_50k"),  # Spanish "mil" is a thousand
        ("budget", "like 8 mil pesos mexicanos per month", "1k_10k"),
        ("budget", "10 mil", None),  # ten thousand or ten million
        ("budget", "$2 mil a year", "over_50k"),
        ("budget", "50만원 per month", "1k_10k"),  # 500,000 won a month
        ("budget", "around 1000", None),  # said roughly, on a band's edge
        ("company_size", "around 50", None),
        ("company_size", "about 10 of us", "1-10"),
        ("company_size", "to hundred fifty", "201-1000"),  # a recognizer's "two"
        ("company_size", "we are for people", "1-10"),
        ("company_size", "15 full time, 5 part time", "11-50"),
        ("authority", "decide me and my socio, we are two owners", "decides"),
        ("authority", "Me and co-founder decide together, we have 50% each", "decides"),
        ("authority", "no no i'm just checking prices for the owner", "researching"),
        ("authority", "I decide. Well actually my manager decides. not sure", None),
    ],
)
def test_more_ways_people_answer(field: str, said: str, value: str | None) -> None:
    assert read_answer(field, said).value == value


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        ("not before next year", "later"),
        ("2027 mid", "year"),
        ("new financial year, April", "year"),
        ("around Golden Week", "year"),
        ("before carnaval", "quarter"),
        ("by the summer", "year"),
        ("in to months", "quarter"),
        ("maybe next month, maybe next year", None),
        ("now or in 3 months", None),
        ("a month or two", "quarter"),
    ],
)
def test_more_times_placed_from_today(said: str, timeline: str | None) -> None:
    from datetime import date

    assert read_answer("timeline", said, today=date(2026, 12, 4)).value == timeline


@pytest.mark.parametrize(
    ("field_name", "said"),
    [("budget", "it depends what it costs, really"), ("authority", "It depends on the amount.")],
)
def test_it_depends_is_asked_again_not_set_aside(field_name: str, said: str) -> None:
    answer = read_answer(field_name, said, None, None)
    assert answer.value is None and not answer.declined


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        # A figure taken back for another: the second stands.
        ("company_size", "thirty no sorry eighty", "51-200"),
        ("company_size", "12, wait, 70", "51-200"),
        ("timeline", "two weeks no sorry five months", "year"),
        # Said bare, the new figure keeps the first one's unit and period.
        ("budget", "forty k a year, no sorry, fourteen", "10k_50k"),
        ("budget", "two hundred a month no wait three hundred", "1k_10k"),
        ("budget", "5k a month, sorry, 2k", "10k_50k"),
        ("timeline", "3 weeks, no, 8", "quarter"),
    ],
)
def test_a_figure_taken_back_gives_way_to_the_next(field: str, said: str, value: str) -> None:
    assert read_answer(field, said).value == value


@pytest.mark.parametrize(
    ("field", "said"),
    [
        ("budget", "about 30k no wait I'd need to ask"),
        ("company_size", "25, sorry no, hang on, it's complicated"),
    ],
)
def test_a_correction_that_says_nothing_readable_keeps_nothing(field: str, said: str) -> None:
    assert read_answer(field, said).value is None


def test_no_and_sorry_away_from_figures_are_no_correction() -> None:
    assert read_answer("company_size", "sorry, about 40 of us").value == "11-50"
    assert read_answer("company_size", "no more than 8 people").value == "1-10"
    assert read_answer("company_size", "we are 40, no idea about freelancers").value == "11-50"


@pytest.mark.parametrize(
    ("said", "size"),
    [
        # So many people in each of so many places: multiplied.
        ("4 shops with roughly 15 staff in each", "51-200"),
        ("we run six clinics, 30 people per clinic", "51-200"),
        ("about 9 in each of our 3 cafes", "11-50"),
        ("5 sites, around 10 each", None),  # 45 or 55: too rough to place
        # Kinds of staff said apart: added up.
        ("30 field technicians and 25 office staff", "51-200"),
        ("we've got 7 part-time drivers plus 6 warehouse workers", "11-50"),
        # The whole company, not the part the person works in.
        ("around 3,000 worldwide, my department is 25", "1000+"),
        ("our branch has 12 people but about 600 across the group", "201-1000"),
        ("1,200 worldwide but around 40 in this office", "1000+"),
        # Today's size, not the one planned or left behind.
        ("30 now, we're aiming for 80 by the end of next year", "11-50"),
        ("we used to be 300, now it's 45 of us", "11-50"),
        # Counted two ways that land in different bands: which is meant is a guess.
        ("about 20 most of the year but up to 90 over the summer", None),
        ("six employees plus about thirty subcontractors", None),
        ("200 staff and as many again in temps", None),
        ("it varies, 8 in quiet months and 30 in the busy season", None),
        # ...and the same band either way.
        ("35 staff and a couple of freelancers", "11-50"),
        ("25 in winter, 40 in summer", "11-50"),
    ],
)
def test_head_counts_said_in_parts_places_or_times(said: str, size: str | None) -> None:
    assert read_company_size(said) == size


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        # Deciding with a peer (a partner, a spouse, a parent) is deciding.
        ("honestly my brother and I, we choose together", "decides"),
        ("me and my two co-founders vote on these things", "decides"),
        ("me and my mum decide on all the spending", "decides"),
        # Deciding together with a boss is deciding too: the person is among those who decide.
        ("me and my manager decide together", "decides"),
        ("me and the finance director sign it off together", "decides"),
        ("the four partners decide it between us", "decides"),
        ("we all decide together, but let's leave that for now", "decides"),
        ("i'd make that call, the partners leave marketing to me", "decides"),
        ("my manager decides, but I'll make the case for it", "influences"),
        # The decision handed to the person.
        ("the MD has left this one to me", "decides"),
        ("my director gave me the final say on tools", "decides"),
        ("they told me to choose whichever I like", "decides"),
        ("my boss handed it to me to research the options", "researching"),
        # Someone else signs on paper, the person decides in fact.
        ("head office signs the contracts but in reality it's my call", "decides"),
        ("I have my own budget for this", "decides"),
        # Turned down, then only looking.
        ("not really my decision, I'm having a look around for ideas", "researching"),
        ("isn't really my call, just curious what's on offer", "researching"),
        ("my request gets signed off by finance", "influences"),
        ("the trustees decide, I write the proposal for them", "influences"),
    ],
)
def test_who_decides_with_peers_by_delegation_and_in_practice(said: str, authority: str) -> None:
    assert read_authority(said) == authority


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        # The choice is the person's, the approval someone else's: they have a say.
        ("I choose the supplier, then compliance has to okay it", "influences"),
        ("mostly up to me but it has to go thru purchasing", "influences"),
        ("mine to pick, though I put it up for sign-off with the CFO", "influences"),
        ("I'll recommend one and the board needs to sign it off", "influences"),
        ("I decide, accounts has to approve the spend", "influences"),
        ("three of us decide together and the md signs", "influences"),
        # Deciding with a peer, said in other words, is deciding.
        ("me and Farah, my business partner", "decides"),
        ("my wife Noor and me", "decides"),
        ("we are the two co-owners so we decide it", "decides"),
        ("I'd mention it to my co-founder first but we choose together", "decides"),
        ("I'm one of four partners, we all agree on purchases together", "decides"),
        ("just me and the hubby", "decides"),
    ],
)
def test_who_decides_when_the_approval_or_the_decision_is_shared(said: str, authority: str) -> None:
    assert read_authority(said) == authority


def test_a_word_before_head_office_makes_no_head_count() -> None:
    assert read_volunteered("anything over 3k needs head office sign-off") == {}
    assert read_volunteered("we have 12 admin staff") == {"company_size": "11-50"}


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        # Where in a month counted from this one, said on 4 December.
        ("by the end of the following month", "quarter"),
        ("late next month, ideally", "quarter"),
        ("mid next month probably", "quarter"),
        ("end of this month if we can", "now"),
        # The time settled on after a first one: the last named.
        ("ideally before Easter, but realistically June", "year"),
        ("not in the holiday season, so probably mid February", "quarter"),
        ("our lease renews in October so probably November onwards", "year"),
        ("February? March? by April at the latest", "year"),
        # A span counted from a date named.
        ("the new site opens in August and we need this two months ahead", "year"),
        ("our busy season starts in March, we want it running a month before", "quarter"),
        ("we need it two weeks before the end of January", "quarter"),
        ("a fortnight before christmas", "now"),
        ("not until next year at the earliest", "later"),
        # After a month, or an event in it: from the month after.
        ("once things settle after our audit in March", "year"),
        ("sometime after February", "quarter"),
        ("we'd start in February after the audit", "quarter"),
    ],
)
def test_times_settled_on_or_counted_from_a_date(said: str, timeline: str) -> None:
    from datetime import date

    assert read_answer("timeline", said, today=date(2026, 12, 4)).value == timeline


@pytest.mark.parametrize(
    "said",
    [
        "our bookkeeper costs us 1,500 a month, this would take some of that on",
        "we currently pay our answering service $400 a month",
        "we spend around 5k a month on flyers, about half on printing",
        "the grant for the whole digital project is £90,000 and this is a small part of it",
        "it'd come out of the 20k events pot",
    ],
)
def test_money_for_something_else_is_no_budget_for_this(said: str) -> None:
    assert read_budget(said) is None


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("the agency costs us 3k a month, this would replace about a third of that", "10k_50k"),
        ("the whole IT budget is 200k and this would be maybe 8% of it", "10k_50k"),
        ("we pay for our current tool 80 a month and would pay the same", "under_1k"),
        ("we spent $30k on our website last year, something similar for this", "10k_50k"),
        ("same as what we pay our IT support, about 200 a month", "1k_10k"),
        ("we could spend about 300 a month on it", "1k_10k"),
    ],
)
def test_a_share_of_money_for_something_else_is_a_budget(said: str, band: str) -> None:
    assert read_budget(said) == band


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        # Years as said aloud.
        ("maybe twenty twenty nine", "later"),
        ("two thousand and twenty seven, mid year", "year"),
        # A day and month in figures, said on 4 December.
        ("our old system is switched off on 20/12", "now"),
        ("the lease ends 28/02 so by then", "quarter"),
        ("before 12/25", "now"),  # only one order makes a date
        # Either order of two figures of twelve or under: the band both fall in, or none.
        ("by 05/06", "year"),  # 5 June or 6 May: either is within the year
        ("live by 01/03", None),  # 1 March (a quarter) or 3 January (a month): a guess
        # Any fiscal year's next start is within twelve months; the company's own year end
        # falls in a month not said.
        ("in our next FY", "year"),
        ("when the new financial year kicks in", "year"),
        ("we'd want it done before our year end", None),
        ("we could start from 9.30 in March", "quarter"),  # a time of day, not 30 September
        # A recognizer's split word.
        ("in two fort nights", "now"),
    ],
)
def test_years_aloud_and_dates_in_figures(said: str, timeline: str | None) -> None:
    from datetime import date

    assert read_answer("timeline", said, today=date(2026, 12, 4)).value == timeline


@pytest.mark.parametrize(
    "said",
    [
        "six employees plus about thirty subcontractors",
        "about 20 staff most of the year but up to 90 over the summer",
        "4 staff plus 3 part-timers, and we'll be 60 staff by next year, and 40 freelancers",
    ],
)
def test_a_head_count_said_in_passing_is_read_as_the_answer_would_be(said: str) -> None:
    assert "company_size" not in read_volunteered(said)


@pytest.mark.parametrize(
    "said",
    [
        "depending on the cost, small things I approve and big ones go to our CFO",
        "up to $2,000 I can sign off, more than that the owners decide",
        "it depends how much it costs really",
    ],
)
def test_who_decides_turning_on_a_sum_not_known_yet_is_asked_again(said: str) -> None:
    assert read_answer("authority", said).value is None


@pytest.mark.parametrize(
    ("said", "size"),
    [
        ("8 or 9 of us", "1-10"),
        ("maybe 45 or 55 people", None),  # one or the other band: a guess
        ("180 or 220 staff", None),
        ("9 or 14 people", None),
        ("between 45 and 80", "51-200"),  # a span, mostly in one band
    ],
)
def test_head_counts_said_as_alternatives_in_two_bands_are_not_filed(
    said: str, size: str | None
) -> None:
    assert read_company_size(said) == size


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("around 150 per mnth", "1k_10k"),
        ("about 90 euro a moth", "1k_10k"),
        ("um too thousand pounds a year", "1k_10k"),  # a recognizer's "two"
        ("we can go up to thousand quid a year", None),  # no "two thousand" in "up to"
    ],
)
def test_budgets_typed_in_a_hurry_or_misheard(said: str, band: str | None) -> None:
    assert read_budget(said) == band


def test_people_in_chat_shorthand_are_a_head_count() -> None:
    assert read_volunteered("fyi we're 70 ppl") == {"company_size": "51-200"}
    assert read_company_size("abt 12 ppl") == "11-50"


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        (
            "budget",
            "we pay about 30k a year for our current chat tool and want to keep it in that ballpark",
            "10k_50k",
        ),
        ("budget", "Nothing else from my side, cheers.", None),
        (
            "budget",
            "That 800 a month is our ads spend. For this tool, maybe 300 a month tops.",
            "1k_10k",
        ),
        ("company_size", "started with two of us, then 12, then 25 - currently we're 60", "51-200"),
        ("company_size", "there's 30 of us and we're taking on 4 more in spring", "11-50"),
        ("company_size", "roughly 40 more or less", "11-50"),
        ("timeline", "has to be live before Mother's Day, it's our big weekend", "year"),
        ("timeline", "our contract runs out on 28 February", "quarter"),
    ],
)
def test_settled_answers_in_longer_words(field: str, said: str, value: str | None) -> None:
    from datetime import date

    assert read_answer(field, said, today=date(2026, 12, 5)).value == value


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("authority", "final signing power sits with me", "decides"),
        ("company_size", "around 90 permanent staff plus 20 seasonal pickers", "51-200"),
        ("company_size", "about 40 in winter and 120 at the peak", None),
    ],
)
def test_who_signs_and_who_is_counted(field: str, said: str, value: str | None) -> None:
    assert read_answer(field, said).value == value


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("authority", "ha, that'd be me. my partner said 'your call'", "decides"),
        (
            "budget",
            "we blow loads on google ads, but for something like this maybe 200 a month",
            "1k_10k",
        ),
    ],
)
def test_the_answer_inside_a_story(field: str, said: str, value: str) -> None:
    assert read_answer(field, said).value == value


@pytest.mark.parametrize("said", ["I do not understand the question, sorry.", "i do not follow"])
def test_not_following_the_question_is_no_i_do(said: str) -> None:
    assert read_answer("authority", said).value is None


@pytest.mark.parametrize(
    ("said", "value"),
    [
        # Someone else holds the decision, said the way second-language English puts it
        ("the final say is of our managing director, I only give my views", "influences"),
        ("i will have to ask my bass about it", "influences"),
        ("have to confirm with head office first", "influences"),
        ("my oga decides these things", "influences"),
        ("the bored approves anything like this", "influences"),
        # The person decides: "I only" as "I myself", "myself that would be deciding"
        ("i only take all the decisions here", "decides"),
        ("it's myself who will be signing it", "decides"),
        ("my co founder and me decide it together", "decides"),
        # Not buying at all
        ("this is for a uni assignment actually", "researching"),
    ],
)
def test_who_decides_in_many_englishes(said: str, value: str) -> None:
    assert read_authority(said) == value


@pytest.mark.parametrize(
    ("said", "budget"),
    [
        ("around $12 per seat monthly for about 25 seats", "1k_10k"),
        ("£20 a user a month, we have 300 users", "over_50k"),
        ("maybe $9 a user per month", None),  # a price with no count is no total
        ("$10 per user per month for 20 users, maybe 40 people next year", "1k_10k"),
    ],
)
def test_a_price_per_seat_times_the_seats_said_with_it(said: str, budget: str | None) -> None:
    assert read_budget(said) == budget


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        ("Thursday would be ideal", "now"),
        ("by next Tuesday if we can", "now"),
        ("once the holidays are over, early February", "quarter"),
        ("probably June, the board meets in February", "year"),
        ("not monthly, we meet every Monday", None),
    ],
)
def test_days_and_the_time_settled_on(said: str, timeline: str | None) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 4)).value == timeline


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # A price per user and the users, with only a comma between them.
        ("$25 per user per month, roughly 40 users", "10k_50k"),
        # Where the money comes from, then the sum: a budget, not money for something else.
        ("it would come out of capex, maybe 1.5k a month", "10k_50k"),
        # The currency named without "dollars".
        ("about seven hundred australian a month", "1k_10k"),
        ("forty thousand canadian a year", "10k_50k"),
        # Not set yet is not known, not nothing.
        ("there's no budget approved for it yet, finance sets it in March", None),
        # A day of a month is no amount.
        ("we've got money left to use before 30 Nov", None),
    ],
)
def test_budgets_in_office_wording(said: str, expected: str | None) -> None:
    assert read_answer("budget", said).value == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("as head of growth I hold the marketing budget", "decides"),
        ("the board gave me delegated authority for purchases like this", "decides"),
        ("I sit on the selection committee, one vote of seven", "influences"),
        ("I'm leading the project but the budget sits with procurement", "influences"),
        ("I'm involved, just not the final decision maker", "influences"),
        ("the c e o signs, I'll write up the case", "influences"),
        ("I'm an intern pulling prices together for my team lead", "researching"),
        ("just getting some pricing together for my director, that's all", "researching"),
    ],
)
def test_who_decides_in_office_wording(said: str, expected: str) -> None:
    assert read_answer("authority", said).value == expected


@pytest.mark.parametrize(
    ("requested", "said", "expected"),
    [
        ("company_size", "around 30 staff and I'm the one who signs off", {"authority": "decides"}),
        ("company_size", "12 of us, i'm the owner", {"authority": "decides"}),
        ("budget", "roughly 2k a month, we want to start in Q1", {"timeline": "quarter"}),
        ("timeline", "before xmas, I make the decision", {"authority": "decides"}),
        (
            "authority",
            "my CFO approves it and we need it by the end of the quarter",
            {"timeline": "now"},
        ),
        # Said about deciding or starting only when those words are there.
        ("company_size", "about 25 of us, we started in 2019", {}),
        ("budget", "maybe 3k a year", {}),
    ],
)
def test_who_decides_and_when_said_beside_another_answer(
    requested: str, said: str, expected: dict[str, str]
) -> None:
    found = read_volunteered(said, requested=requested, today=date(2026, 12, 5))
    assert {k: v for k, v in found.items() if k in ("authority", "timeline")} == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # The company is asked about, not the department the person is in.
        ("sales is 6 of us, the whole company is around 250", "201-1000"),
        ("engineering's a team of 30 but the company is about 1,800", "1000+"),
        ("two of us in support, the company's roughly 90", "51-200"),
        ("our department has 14 people", None),
        ("the marketing team is about 20, no idea about the rest", None),
        ("our team is 9 but I couldn't tell you for the whole company", None),
        # A small firm's team is the firm.
        ("our team is 9", "1-10"),
    ],
)
def test_a_department_counted_is_no_company_size(said: str, expected: str | None) -> None:
    assert read_answer("company_size", said).value == expected
    if expected is None:
        assert "company_size" not in read_volunteered(said, requested="company_size")


@pytest.mark.parametrize(
    ("field", "said", "expected"),
    [
        (
            "company_size",
            "we're 23 - three partners, ten associates and the support staff",
            "11-50",
        ),
        ("company_size", "35 - 40 people", "11-50"),
        ("authority", "only me, there's no one else to answer to", "decides"),
    ],
)
def test_a_total_before_its_parts_and_a_time_after_no_rush(
    field: str, said: str, expected: str
) -> None:
    assert read_answer(field, said, today=date(2026, 12, 5)).value == expected


@pytest.mark.parametrize(
    ("field", "said", "expected"),
    [
        ("company_size", "three salons, four or five stylists in each", "11-50"),
        ("company_size", "about 600 staff, but only 12 of us work in the web team", "201-1000"),
        ("authority", "just poking around for now", "researching"),
        ("authority", "me and the vet, he has final say", "influences"),
        ("authority", "I've got no say in it really, I only collect the quotes", "researching"),
        ("timeline", "as soon as, honestly", "now"),
    ],
)
def test_ranges_per_place_parts_of_the_company_and_no_say(
    field: str, said: str, expected: str
) -> None:
    assert read_answer(field, said, today=date(2026, 12, 5)).value == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("within the next two three months", "quarter"),
        ("maybe four five months from now", "year"),
        ("around 400 a month, and we'd start in 2 months", "quarter"),
    ],
)
def test_two_numbers_said_together_are_a_range_and_a_sum_per_month_no_span(
    said: str, expected: str
) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 5)).value == expected


def test_not_knowing_whom_to_count_leaves_the_size_open() -> None:
    said = "two paid staff and maybe fifteen volunteers, not sure how you'd count that"
    assert read_answer("company_size", said).value is None


@pytest.mark.parametrize(
    ("field", "said", "expected"),
    [
        # Deciding jointly with a peer or an officer, the person among those who decide.
        ("authority", "the four of us partners decide it together, and I'm one of them", "decides"),
        ("authority", "I make the call jointly with our finance director", "decides"),
        ("authority", "me and the two dental partners, we decide together", "decides"),
        (
            "authority",
            "I decide it together with the CFO, but she has the final word",
            "influences",
        ),
        # Someone above them, named however the person names them.
        ("authority", "we discuss it but anna has the final say", "influences"),
        ("authority", "I prepare the recommendation, our Vorstand signs off", "influences"),
        ("authority", "I'll share my view with them, but it's their call", "influences"),
        ("authority", "Dr. Mensah decides, I just pass the info on", "researching"),
        ("authority", "i am only deciding, nobody else", "decides"),
        ("authority", "the two owners (Kemi and me) decide it jointly", "decides"),
        ("authority", "Marta and myself, we'd settle it between us", "decides"),
        ("authority", "just finding out for now, nothing decided", "researching"),
        # A season with nothing before it, or the next one.
        ("timeline", "autumn probably", "year"),
        ("timeline", "maybe next spring", "year"),
        ("timeline", "after New Year's, February sometime", "quarter"),
        # A season with its part, a financial year's end in its own month.
        ("timeline", "probably late summer, no rush", "year"),
        ("timeline", "by our fiscal year end, that's the end of January", "quarter"),
        # A month said in the speaker's language; a sum measured against another cost.
        ("budget", "ca. 2.000 EUR/Monat", "10k_50k"),
        ("budget", "about what a junior costs us, so 30k a year", "10k_50k"),
        # No budget while only looking is none set, not a budget of nothing.
        ("budget", "no budget really, we're only comparing options", None),
        ("budget", "no budget at all, we can't spend a penny", "under_1k"),
        # The client's count is not the person's company.
        ("company_size", "We're five at the agency. Our client employs about 900.", "1-10"),
    ],
)
def test_joint_decisions_others_named_seasons_and_other_peoples_counts(
    field: str, said: str, expected: str | None
) -> None:
    assert read_answer(field, said, today=date(2026, 12, 5)).value == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("I'm one of three partners, and yes, I can approve it", "decides"),
        ("one of the owners, I can sign it off myself", "decides"),
    ],
)
def test_one_of_several_who_can_sign_it_off_decides(said: str, expected: str) -> None:
    assert read_answer("authority", said).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mar-ish", None),  # "mar" alone could be a verb: not read
        ("Oct-ish I reckon", "year"),
        ("Feb at the latest", "quarter"),
        ("by the end of the fortnight", "now"),
        ("end of this weak hopefully", "now"),
        ("in time for boxing day", "now"),
        ("ready for the new academic year please", "year"),
        ("definitely not next year, more like the one after", "later"),
        ("the year after next, realistically", "later"),
        ("nothing urgent", None),
    ],
)
def test_timelines_in_shorthand_and_the_school_calendar(text: str, expected: str | None) -> None:
    assert read_answer("timeline", text, today=date(2026, 12, 5)).value == expected


@pytest.mark.parametrize(
    "text",
    [
        "whenever our director gives the go-ahead",
        "depends on the board really",
        "at some point",
        "probably after xmas",
    ],
)
def test_a_time_someone_else_sets_or_none_at_all_is_asked_again(text: str) -> None:
    answer = read_answer("timeline", text, today=date(2026, 12, 5))
    assert (answer.value, answer.declined) == (None, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we're 9 paid staff and maybe 120 volunteers on match days", "1-10"),
        ("35 employees plus a pool of volunteers", "11-50"),
        ("it's all volunteers, about 70 of them", None),
    ],
)
def test_volunteers_are_not_counted_as_staff(text: str, expected: str | None) -> None:
    assert read_answer("company_size", text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about 400 dollars a term", "1k_10k"),
        ("six seven hundred a month", "1k_10k"),
        ("maybe for grand all in", "1k_10k"),
    ],
)
def test_budgets_per_term_and_neighbouring_figures(text: str, expected: str) -> None:
    assert read_answer("budget", text).value == expected


def test_a_choice_handed_over_with_someone_else_approving_is_influence() -> None:
    said = "the head signs the cheques, but she wants me to choose the system"
    assert read_answer("authority", said).value == "influences"


@pytest.mark.parametrize(
    ("said", "country", "timeline"),
    [
        ("before summer, we're in Sydney", "AU", "now"),
        # Where they say they are tells the season when the phone does not.
        ("before summer, we're in Sydney", None, "now"),
        ("before summer", None, "year"),
        ("after the summer holidays", "NZ", "quarter"),
        ("after the summer holidays", "US", "year"),
        ("by the summer", "ZA", "now"),
    ],
)
def test_summer_is_placed_by_the_phone_country(
    said: str, country: str | None, timeline: str
) -> None:
    from datetime import date

    assert read_answer("timeline", said, country=country, today=date(2026, 12, 6)).value == (
        timeline
    )


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        ("Not before 2028. Our current contract runs until 31.12.2027.", "later"),
        ("our contract runs until 31.12.2027", "later"),
        ("before 20.12.2026", "now"),
    ],
)
def test_a_date_in_figures_with_its_year(said: str, timeline: str) -> None:
    from datetime import date

    assert read_answer("timeline", said, today=date(2026, 12, 6)).value == timeline


@pytest.mark.parametrize(
    ("said", "size"),
    [
        ("Staff-wise just four of us. The 130-odd members aren't employees", "1-10"),
        ("Around sixty tutors, mostly part-time, plus five of us in the office", "51-200"),
        ("folk come and go, some weeks there's thirty of us some weeks there's four", None),
    ],
)
def test_whom_a_head_count_counts(said: str, size: str | None) -> None:
    assert read_answer("company_size", said).value == size


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        ("oh father declan would have the final say i'd only be putting it to him", "influences"),
        ("I'd have to get the franchisor to approve it, they keep a list of vendors", "influences"),
        ("The purchasing committee decides. I am one of its five members.", "influences"),
        ("Me. My name's over the door.", "decides"),
        ("i'd be the one making the recommendation to the ceo", "influences"),
    ],
)
def test_a_part_in_someone_elses_decision(said: str, authority: str) -> None:
    assert read_answer("authority", said).value == authority


def test_one_of_a_committee_is_no_company_size() -> None:
    said = "The purchasing committee decides. I am one of its five members."
    assert "company_size" not in read_volunteered(said, requested="authority")


def test_staff_counted_in_two_places_are_added() -> None:
    said = "Fourteen on the tools and two of us in the office"
    assert read_answer("company_size", said).value == "11-50"


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("we'd be thinking around three hundred pounds per practice per month", None),
        ("As a practice we'd spend 5k a year", "1k_10k"),
        (
            "we spent about twelve thousand a year with our last marketing agency and frankly "
            "it was wasted so maybe half that",
            "1k_10k",
        ),
    ],
)
def test_budgets_per_place_and_shares_of_another_spend(said: str, band: str | None) -> None:
    assert read_answer("budget", said).value == band


@pytest.mark.parametrize(
    ("said", "band"),
    [
        # One count in two seasons, both in one band: not added up.
        (
            "we'd be about twenty two staff in the winter and it goes up to around forty in "
            "the summer",
            "11-50",
        ),
        # People just hired join the count said; they are not the count.
        ("We're 23 as of Monday — we just hired two engineers", "11-50"),
        ("about 15, we just took on 3 apprentices", "11-50"),
    ],
)
def test_seasons_and_new_hires_in_a_head_count(said: str, band: str) -> None:
    assert read_answer("company_size", said).value == band


@pytest.mark.parametrize(
    "said",
    [
        "We three directors decide things like this together, so yes, I'm one of the people "
        "deciding.",
        "Me. Well, me and the bank manager, ha. No, me.",
    ],
)
def test_among_those_deciding_or_taken_back_to_me_decides(said: str) -> None:
    assert read_answer("authority", said).value == "decides"


def test_parts_then_the_rough_total() -> None:
    assert read_answer("company_size", "28 agents plus admin, around 35").value == "11-50"


def test_a_comparison_pulled_together_for_someone_else_is_research() -> None:
    said = (
        "I'm just pulling a comparison together at this stage, someone else will make the decision"
    )
    assert read_answer("authority", said).value == "researching"


@pytest.mark.parametrize(
    ("said", "band"),
    [
        # "two fifty three hundred": 250 to 300 a month, said without the "to"
        ("i don't know maybe two fifty three hundred a month", "1k_10k"),
        ("maybe 250 300 a month", "1k_10k"),
        ("120 000 per year", "over_50k"),
    ],
)
def test_two_round_figures_side_by_side_are_a_range(said: str, band: str) -> None:
    assert read_answer("budget", said).value == band


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("ah it's myself really he leaves all that to me", "decides"),
        (
            "Oh, it would have to go to the parish council, though I'd be the one "
            "recommending it to them",
            "influences",
        ),
    ],
)
def test_left_to_me_and_recommending_to_a_council(said: str, value: str) -> None:
    assert read_answer("authority", said).value == value


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("we close at the end of january for a few weeks so i'd want it set up then", "quarter"),
        (
            "The council doesn't meet again until late January, and then they'd want it in "
            "place for the summer fair in June",
            "year",
        ),
        ("well soon as we can really summer's starting", "now"),
        ("as soon as possible after the new year", "quarter"),
        ("Not before 2028. Our current CRM contract runs until the end of 2027.", "later"),
        ("Not before Ramadan ends. After Eid, around April", "year"),
    ],
)
def test_when_it_should_be_working_and_the_earliest_it_can_be(said: str, band: str) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 6)).value == band


@pytest.mark.parametrize(
    ("said", "country", "band"),
    [
        ("About 1,000 soles a month.", "PE", "1k_10k"),
        ("S/ 1,000 al mes", "PE", "1k_10k"),
        ("Around GH₵ 25,000 a month.", "GH", "10k_50k"),
    ],
)
def test_soles_and_cedis(said: str, country: str, band: str) -> None:
    assert read_answer("budget", said, country=country).value == band


def test_the_owner_signs_but_does_what_i_say() -> None:
    said = "the owner daz signs off on everything but honestly he'll do whatever i tell him"
    assert read_answer("authority", said).value == "influences"


def test_people_in_each_van() -> None:
    said = "Six vans out, two in each, then me and Carol in the office"
    assert read_answer("company_size", said).value == "11-50"


@pytest.mark.parametrize(
    ("said", "band"),
    [
        # the time settled on, after the ones reasoned from
        (
            "Not before this tax season is over, and we move offices in the fall of 2027, so "
            "realistically spring 2028",
            "later",
        ),
        # go-live, not the panel's month
        (
            "The panel sits in February and we'd want go-live for the new financial year on 1 July",
            "year",
        ),
        (
            "no rush for december we want to start with the new financial year which for us is april",
            "year",
        ),
        # "by then": the date said before it, not the holidays after
        (
            "Applications for 2028 entry open in May, so it has to be running by then. I'd rather "
            "not rush it over the December holidays.",
            "year",
        ),
        # misspelt months and words
        ("befor febuary if posible", "quarter"),
    ],
)
def test_the_time_they_settle_on(said: str, band: str) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 6)).value == band


def test_no_deadline_after_whenever_names_no_time() -> None:
    assert read_answer("timeline", "Whenever, honestly, there's no deadline on it").value is None
    assert read_answer("timeline", "No fixed time, we are just exploring now").value == "later"


@pytest.mark.parametrize(
    ("said", "band"),
    [
        (
            "Hmm, if you mean actual employees, we're 38 in the office. We also work with around "
            "150 accredited brokers, but they're independent, commission-only, so they're not "
            "really ours.",
            "11-50",
        ),
        (
            "About 22 full-time. We also have a few NYSC corps members doing their service year "
            "with us, if those count.",
            "11-50",
        ),
    ],
)
def test_people_taken_back_as_not_the_companys_own(said: str, band: str) -> None:
    assert read_answer("company_size", said).value == band


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("me and Dan own it between us, so it's our decision, nobody else to ask", "decides"),
        ("its my bisness so me", "decides"),
        ("me only, i m d owner", "decides"),
        # who decides depends on the sum: asked with the options
        (
            "Depends on the number. Anything under 20 grand a year I can just do; over that it "
            "goes to the dealer principal.",
            None,
        ),
        # whoever is named is a guess
        (
            "Good question. Honestly, I don't know. Could be the COO, could be the CEO, might even "
            "need the board. I'd have to find out.",
            None,
        ),
    ],
)
def test_who_decides_in_more_words(said: str, value: str | None) -> None:
    assert read_answer("authority", said).value == value


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("maybe 200 a munth, defanatly not more then that", "1k_10k"),
        ("$800 a moth", "1k_10k"),
    ],
)
def test_misspelt_sums(said: str, band: str) -> None:
    assert read_answer("budget", said, country="US").value == band


def test_a_price_question_with_no_idea_in_it_is_no_refusal() -> None:
    said = "What do you lot actually charge, out of interest? I've no idea if that's daft money or not."
    answer = read_answer("budget", said, country="GB")
    assert (answer.value, answer.declined) == (None, False)
    assert read_answer("budget", "no idea, sorry").declined


@pytest.mark.parametrize(
    ("said", "country", "band"),
    [
        ("around twenty thousand dollars", "FJ", "1k_10k"),
        ("around twenty thousand dollars", "US", "10k_50k"),
        ("about 500,000 dollars a year", "JM", "1k_10k"),
    ],
)
def test_dollars_are_the_persons_own_countrys(said: str, country: str, band: str) -> None:
    assert read_answer("budget", said, country=country).value == band


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("timeline", "Avant la saison des mariages, donc avril", "year"),
        ("timeline", "antes de marzo", "quarter"),
        ("timeline", "15/02 tak live chahiye, uske baad Delhi mein export fair hai", "quarter"),
        ("authority", "main hi decide karta hoon ji apna kaam hai", "decides"),
    ],
)
def test_answers_in_mixed_languages(field: str, said: str, value: str) -> None:
    assert read_answer(field, said, today=date(2026, 12, 6)).value == value


def test_tak_after_a_sum_is_no_date() -> None:
    said = "Saal ka 3 lakh tak chalega, usse upar Papa nahi maanenge"
    assert read_answer("budget", said, country="IN").value == "1k_10k"


def test_a_month_in_malay() -> None:
    assert read_answer("budget", "RM 1,500 sebulan boleh la", country="MY").value == "1k_10k"


@pytest.mark.parametrize(
    ("said", "band"),
    [
        ("about three lack rupees a year", "1k_10k"),
        ("fifteen lack per annum, max", "10k_50k"),
        ("2.5 lacks yearly", "1k_10k"),
        ("honestly we lack a budget for this", None),  # the verb, not a sum
    ],
)
def test_lakh_as_it_is_often_typed(said: str, band: str | None) -> None:
    assert read_budget(said, "IN") == band


@pytest.mark.parametrize(
    ("said", "band"),
    [
        # Where the person says they are places the season, whatever number they ring from.
        ("over the summer, we're in Brisbane so that's pretty much now", "now"),
        ("before summer kicks in, here in Auckland", "now"),
        ("we're based in Johannesburg, ideally before summer", "now"),
        ("before the summer", "year"),  # north of the equator unless said otherwise
    ],
)
def test_a_southern_place_named_places_the_summer(said: str, band: str) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 6)).value == band


# ------------------------------------------------- answers from new authors (2026-12-06)


@pytest.mark.parametrize(
    "said",
    ["dont know what these cost", "depends what it costs really", "it depends on your pricing"],
)
def test_a_budget_not_known_for_want_of_a_price_hears_the_price_first(said: str) -> None:
    assert read_answer("budget", said) == Answer(None, follow_up=PRICE_NOT_KNOWN)
    assert read_answer("budget", "no idea").declined  # not knowing, with no price asked


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        (
            "Glenn would tell you he's the boss, bless him, but he's already told me to pick "
            "whatever I want and he'll sign the check. So it's my decision, really.",
            "decides",
        ),
        (
            "our vice president signs off but she asked me to find something so i'll be "
            "recommending",
            "influences",
        ),
        ("i only will decide it is my own clinic", "decides"),
        ("it is my own clinic", "decides"),
    ],
)
def test_who_decides_said_at_the_end_of_a_story_or_in_other_word_orders(
    said: str, authority: str
) -> None:
    assert read_answer("authority", said).value == authority


@pytest.mark.parametrize(
    ("said", "size"),
    [
        ("twelve people with four doctors", "11-50"),
        ("12 people including 4 doctors", "11-50"),
        ("3 partners with 20 staff", "11-50"),
        ("Fourteen architects, three technicians, and Morag, who runs the office.", "11-50"),
        (
            "total teaching and non teaching staff is around sixty five and students are about "
            "eighteen hundred this year",
            "51-200",
        ),
    ],
)
def test_head_counts_of_some_of_the_staff_kinds_of_staff_and_people_served(
    said: str, size: str
) -> None:
    assert read_answer("company_size", said).value == size


def test_rupees_are_the_callers_own_and_a_bare_sum_far_from_the_dollar_is_asked_again() -> None:
    # PKR 15 lakh is about $5,400 a year; INR 15 lakh about $18,000.
    assert read_answer("budget", "maybe fifteen lakh rupees per year", None, "PK").value == "1k_10k"
    assert (
        read_answer("budget", "maybe fifteen lakh rupees per year", None, "IN").value == "10k_50k"
    )
    # "Around 800k" from Lagos: naira or dollars are bands apart.
    assert read_answer("budget", "Around 800k.", None, "NG") == Answer(None)
    assert read_answer("budget", "Around 800k.", None, "US").value == "over_50k"
    assert read_answer("budget", "5000 dollars a year", None, "NG").value == "1k_10k"


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        ("Honestly I cannot say a date right now.", None),
        ("No, honestly, I'll leave it for today. Thanks anyway.", None),
        ("Whenever suits, I'm not in a rush", None),
        ("Now is that anywhere near what y'all charge, or am I way off?", None),
        ("now would be good", "now"),
    ],
)
def test_now_and_today_that_name_no_time(said: str, timeline: str | None) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 6)).value == timeline


@pytest.mark.parametrize(
    "said",
    [
        "Budget mera hai, main hi decide karti hoon. CFO sirf sign karega.",
        "Mijn vrouw en ik beslissen samen",
        "c'est moi qui décide",
    ],
)
def test_deciding_said_in_another_language(said: str) -> None:
    assert read_answer("authority", said).value == "decides"


@pytest.mark.parametrize(
    "said", ["zwanzig Leute, plus two Azubis", "unos cuarenta empleados", "about 30 tao"]
)
def test_head_counts_said_partly_in_another_language(said: str) -> None:
    assert read_answer("company_size", said).value == "11-50"


@pytest.mark.parametrize(
    ("said", "size"),
    [
        ("We are three physios, two assistants and one receptionist, plus myself. Seven.", "1-10"),
        ("Four partners, eleven other fee earners and ten support staff. Twenty-five.", "11-50"),
        ("around 70 artisans + 12 office staff", "51-200"),
        ("depends on the season in winter it's just me and two guys on the plows", None),
        ("12.000", "1000+"),
    ],
)
def test_parts_then_their_sum_and_a_size_that_depends_on_the_season(
    said: str, size: str | None
) -> None:
    assert read_answer("company_size", said).value == size


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        ("Me and my brother are the owners, so the two of us decide.", "decides"),
        ("I manage the company with my father, and for this kind of thing I decide alone.",
         "decides"),
        ("Me and the other principal, Bec, sign off together.", "decides"),
        ("Me and my co-director. We'd decide together, and quickly.", "decides"),
        ("my co-principal and I", "decides"),
        ("me n shay, we own it 50/50", "decides"),
        ("My old roommate owns half, but he moved away. So this one lands on me.", "decides"),
        ("my father would like to think he decides god love him but he signed the business over "
         "to me two years ago so it's me", "decides"),
        ("I've been told to sort the website out, so I'll be the one choosing, but the MD will "
         "want to nod it through before anything's signed.", "influences"),
        ("three of us decide together and the md signs", "influences"),
    ],
)  # fmt: skip
def test_who_decides_in_more_roundabout_words(said: str, authority: str) -> None:
    assert read_answer("authority", said).value == authority


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        ("There's no panic on it. Not before Christmas anyway. I'd say have it going by the "
         "summer.", "year"),
        ("Not before 2028. Our current CRM contract runs until the end of 2027.", "later"),
        ("This January is too close. The money sits in the new financial year, which starts in "
         "March, so go-live by about mid-year.", "year"),
        ("not now we're in the middle of harvest after harvest so round about may", "year"),
        ("Whenever, really. There's no deadline hanging over me.", None),
        ("Whenever things calm down a bit.", None),
        ("Honestly couldn't tell you. Summer's flat out for us.", None),
    ],
)  # fmt: skip
def test_when_said_at_the_end_of_a_story_or_not_said(said: str, timeline: str | None) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 6)).value == timeline


def test_a_sum_in_money_whose_worth_is_not_kept_or_bare_far_from_the_dollar_is_asked() -> None:
    said = "For next year we have budgeted up to 300 million soums."
    assert read_answer("budget", said, None, "GB").value is None
    assert read_answer("budget", "about 5k a year", None, "UZ").value is None
    assert read_answer("budget", "about 5k a year", None, "DE").value == "1k_10k"


@pytest.mark.parametrize(
    ("said", "country", "band"),
    [
        # "hundred and fifty", said without the "a": 150 x 12 x 1.33 is about $2,400
        ("hundred and fifty pound a month maybe", "GB", "1k_10k"),
        ("hundred fifty a month something like that", "US", "1k_10k"),
        # the period put right, the figure kept: AUD 800 x 12
        ("$800 a yr.. sorry i meant a month lol, aud", "AU", "1k_10k"),
        ("800 a year, sorry I mean a month", "AU", "1k_10k"),
        # an ISO code of money without a name of its own here is still not US dollars
        ("bout 40 thousand jmd a month", "JM", "1k_10k"),
        ("40000 JMD a month", None, "1k_10k"),
        # Caribbean dollars written with their own sign
        ("we could do around TT$1500 a month", "TT", "1k_10k"),
        ("J$40,000 a month", None, "1k_10k"),
        # pounds at today's rate: £40k is about $53k
        ("£40k a year", "GB", "over_50k"),
    ],
)
def test_budgets_said_loosely_or_put_right(said: str, country: str | None, band: str) -> None:
    assert read_answer("budget", said, None, country).value == band


@pytest.mark.parametrize(
    ("said", "size"),
    [
        ("about thirty of us and we look after twelve hundred units", "11-50"),
        ("we are 30 and we manage 1200 properties", "11-50"),
        ("We just crossed 50 actually, our 51st hire started this week", "51-200"),
        # ordinals and years are no head counts
        ("the 3rd location", None),
        ("Not before we move office, and that is spring 2028.", None),
        ("Summer 2027", None),
    ],
)
def test_what_is_looked_after_ordinals_and_years_are_not_head_counts(
    said: str, size: str | None
) -> None:
    assert read_company_size(said) == size


@pytest.mark.parametrize(
    "said",
    [
        "sometime next year",
        "no hurry, maybe next year",
        "there's no rush, perhaps next year sometime",
        "no hurry, probably sometime next year",
        "next year I think",
        "sometime next year once the new building is done",
        # both possibilities said: the same two options, asked the same way
        "no rush, maybe next year or later",
        "next year or later",
        "next year, maybe later",
        "probably next year, could be later",
        "next year or the year after",
        "next year at the earliest, maybe later",
        "next year or beyond",
    ],
)
def test_next_year_alone_is_asked_year_or_later(said: str) -> None:
    # In December "next year" is three weeks away or well over a year: asked, not guessed.
    answer = read_answer("timeline", said, today=date(2026, 12, 7))
    assert answer == Answer(None, follow_up=YEAR_OR_LATER)


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        ("within the next year", "year"),  # the next twelve months
        ("end of next year", "year"),
        ("early next year", "quarter"),
        ("next year, around June", "year"),
        ("next year when our contract ends in March", "quarter"),
        ("not until next year", "later"),  # a floor, said of this year
        ("not before next year", "later"),
        ("definitely not next year, more like the one after", "later"),
        ("before next year", "now"),  # before the new year comes
        ("by next year if we can", "now"),
        ("before next year's busy season", "year"),
        ("Within 12 months", "year"),  # the follow-up's two buttons
        ("More than a year away", "later"),
        ("this year or next", "year"),
    ],
)
def test_next_year_placed_or_bounded_is_read(said: str, timeline: str) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 7)) == Answer(timeline)


@pytest.mark.parametrize(
    ("said", "intent", "authority"),
    [
        ("pretty much me", "nlu_fallback", "decides"),
        ("probably me", "talk_to_sales", "decides"),
        ("no one else, just me", "deny", "decides"),  # a no, to who else decides
        ("nobody else", "goodbye", "decides"),
        ("I'm the only one", None, "decides"),
        ("me myself and I", "skip", "decides"),
        ("who else lol", None, "decides"),
        ("as practice manager I make these decisions", None, "decides"),
        ("I'm responsible for that budget", None, "decides"),
        ("it's my money so yes", None, "decides"),
        ("it's my shout", None, "decides"),
        ("the buck stops with me", None, "decides"),
        ("I will be", "goodbye", "decides"),
        ("I run it with my wife", None, "decides"),
        ("me, with input from my team", None, "decides"),
        ("I've got a say in it", None, "influences"),
        ("I'll be involved", None, "influences"),
        ("I'm involved in the decision", None, "influences"),
        ("I'm a big part of it", None, "influences"),
        ("I'd be one voice of several", None, "influences"),
        ("I'd champion it internally", None, "influences"),
        ("i've got a say but the partners decide", None, "influences"),
    ],
)
def test_who_decides_said_plainly_or_hedged(said: str, intent: str | None, authority: str) -> None:
    assert read_answer("authority", said, intent) == Answer(authority)


@pytest.mark.parametrize(
    "said",
    [
        "not just me, there's the partners as well",
        "I'm the only one who knows where the router is",
        "nobody else wants the job",
    ],
)
def test_only_me_and_nobody_else_need_to_be_about_deciding(said: str) -> None:
    assert read_answer("authority", said).value != "decides"


@pytest.mark.parametrize(
    ("said", "budget"),
    [
        ("maybe two to three hundred a month", "1k_10k"),
        ("two or three hundred a month", "1k_10k"),
        ("one to two hundred thousand", "over_50k"),
        ("somewhere in the low tens of thousands", "10k_50k"),
        ("a few tens of thousands", "10k_50k"),
        ("tens of thousands", None),  # 10,000 to 99,999: asked
        ("the low tens of thousands a year", "10k_50k"),
        ("a few tens of thousands a month", "over_50k"),  # was read as under $1k
        ("tens of thousands a week", "over_50k"),
    ],
)
def test_budgets_in_hundreds_and_tens_of_thousands(said: str, budget: str | None) -> None:
    assert read_answer("budget", said).value == budget


@pytest.mark.parametrize(
    "said", ["about fifteen thousand a year", "maybe three or four hundred pounds a month"]
)
def test_a_sum_a_year_or_a_month_is_no_timeline(said: str) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 7)).value is None


@pytest.mark.parametrize(
    ("said", "size"),
    [
        ("me and 10 staff", "11-50"),  # the person, then the ten
        ("me plus 49", "11-50"),
        ("just me and 2 part timers", "1-10"),
        ("single digits", "1-10"),
        ("low double digits", "11-50"),
        ("hundred-odd", "51-200"),
        ("double digits", None),  # 10 to 99: asked
    ],
)
def test_head_counts_with_me_first_and_in_digits(said: str, size: str | None) -> None:
    assert read_answer("company_size", said).value == size


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        ("I'm doing the research and will make a recommendation to the owner", "influences"),
        ("I'm looking into it for the team, and I'll have a big say in what we pick", "influences"),
        ("just researching, but it'll be my decision", "decides"),
        ("only looking for now, but I'd recommend one to the partners", "influences"),
        # The part after "but" names who decides, not the person's part: still looking.
        ("just researching but my boss decides", "researching"),
        ("I'm just gathering info but I don't decide", "researching"),
        (
            "I am collecting information for my team leader, who will make a recommendation.",
            "researching",
        ),
    ],
)
def test_looking_into_it_and_the_part_said_with_it(said: str, authority: str) -> None:
    assert read_answer("authority", said).value == authority


@pytest.mark.parametrize(
    ("said", "size"),
    [
        # the total said after the parts, or put right
        (
            "There's six of us — oh hang on, I forgot the casual instructors, they count, "
            "don't they? So more like fifteen all up.",
            "11-50",
        ),
        ("thirty five agents plus a couple of admin folks so call it thirty eight", "11-50"),
        ("Twenty-seven consultants, plus admin — thirty-one if you want it exact.", "11-50"),
        # the one they settle on, not the larger said before it
        (
            "hmm, year-round it's about 45 of us, but in spring we hire seasonal staff and it's "
            "more like 90. Go with 45 I guess, that's the real number",
            "11-50",
        ),
        ("it's me and my nephew", "1-10"),
        ("just the two of us", "1-10"),
        # "us two days" counts nobody
        ("it takes us two days to call back", None),
    ],
)
def test_sizes_settled_on_and_pairs(said: str, size: str | None) -> None:
    assert read_answer("company_size", said).value == size


@pytest.mark.parametrize(
    ("said", "country", "band"),
    [
        # "Australian" said apart from the figures: A$1,000-2,000 spans two bands
        (
            "somewhere between a thousand and two thousand a year, Australian, I'd need to "
            "see what we get",
            "AU",
            None,
        ),
        ("around ten thousand a year canadian", None, "1k_10k"),
        ("two hundred and fifty thousand", None, "over_50k"),
        ("two thousand and five hundred a year", None, "1k_10k"),
        ("a hundred and fifty a month", None, "1k_10k"),
    ],
)
def test_a_currency_said_apart_and_two_figures_joined_by_and(
    said: str, country: str | None, band: str | None
) -> None:
    assert read_budget(said, country) == band


@pytest.mark.parametrize(
    ("said", "timeline"),
    [
        # the time wanted, then the reason
        ("before the new year if we can cos january's when all the boilers pack in", "now"),
        # the reasons, then "so" and the time they lead to
        (
            "We'd want it going for Easter orders, so in the next two or three months I guess",
            "quarter",
        ),
        (
            "after christmas it goes mad because everyone's been given driving lessons as a "
            "present so i'd want it sorted by february half term at the very latest",
            "quarter",
        ),
        # a season as the whole answer
        ("ah there's no rush the summer maybe", "year"),
        ("probably autumn next year", "year"),
        # "today" of the enquiry, not of the timeline
        ("No, I am only enquiring today. Thank you.", None),
    ],
)
def test_timelines_with_reasons_seasons_and_enquiries(said: str, timeline: str | None) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 7)).value == timeline


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        ("I gather options and put a recommendation to our VP", "influences"),
        ("I'm one of the partners who'd decide", "decides"),
        ("It's mine and the wife's business, so it's us two, I guess that counts as me", "decides"),
    ],
)
def test_who_decides_with_a_recommendation_or_among_partners(said: str, authority: str) -> None:
    assert read_authority(said) == authority


@pytest.mark.parametrize(
    ("said", "authority"),
    [
        # a name deciding, and the person's own part after it
        ("Karthik decides, I do the shortlisting", "influences"),
        ("Priya signs off, I'm doing the evaluation", "influences"),
        # someone else decides "together with" another: the person is not among them
        (
            "The chairman will decide together with the GM. I am only arranging the demo for them.",
            "researching",
        ),
        ("it goes to the partners i just put the paperwork together", "researching"),
        ("I am only collecting quotations. Mr. Tariq makes the final choice.", "researching"),
        # the decision left to the person
        ("the owner lives in germany he leaves these decisions to me", "decides"),
        ("I decide together with the GM", "decides"),
    ],
)
def test_who_decides_with_names_and_tasks(said: str, authority: str) -> None:
    assert read_answer("authority", said).value == authority


def test_a_name_that_decides_alone_asks_for_the_persons_part() -> None:
    assert read_answer("authority", "Karthik decides").follow_up == "not_the_decider"


@pytest.mark.parametrize(
    ("said", "country", "band"),
    [
        ("500 dirhams marocains par mois, pas plus", "MA", "under_1k"),
        ("500 dirhams a month", "MA", "under_1k"),
        ("about 2000 dirhams a month", "AE", "1k_10k"),
        ("about 2000 dirhams a month", None, "1k_10k"),
        ("Around OMR 150 a month", "OM", "1k_10k"),
        ("around 150 rials a month", "OM", "1k_10k"),
        ("1,000 KWD a year", None, "1k_10k"),
    ],
)
def test_dirhams_rials_and_dinars(said: str, country: str | None, band: str) -> None:
    assert read_answer("budget", said, None, country).value == band


@pytest.mark.parametrize(("said", "value"), [("inshallah very soon", "now"), ("soon", "quarter")])
def test_very_soon_is_within_the_month(said: str, value: str) -> None:
    assert read_answer("timeline", said, today=date(2026, 12, 7)).value == value


@pytest.mark.parametrize(
    ("said", "country", "band"),
    [
        ("unos veinte mil dollars al año twenty thousand a year", "US", "10k_50k"),
        ("uns vinte mil reais por ano", "BR", "1k_10k"),
    ],
)
def test_mil_after_their_own_number_word_is_a_thousand(said: str, country: str, band: str) -> None:
    assert read_answer("budget", said, None, country).value == band


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("timeline", "by january end", "quarter"),
        ("timeline", "jan end", "quarter"),
        ("timeline", "Not immediately", None),
        ("timeline", "First of the year would be nice", "now"),
        ("timeline", "there's no hurry but i'd like it in place sometime this spring", "year"),
        ("timeline", "sometime in the new year once things calm down", None),
        ("timeline", "yesterday honestly it's month to month so soon as y'all can", "now"),
        ("company_size", "34 of us, that's counting two part-timers", "11-50"),
        ("company_size", "About 120 engineers plus maybe 15 in operations and sales", "51-200"),
        (
            "company_size",
            "it depends on the season but the factory has about sixty workers and the showroom "
            "eight so we are nearly seventy",
            "51-200",
        ),
        (
            "company_size",
            "four attorneys and then paralegals and the front desk i wanna say twenty six",
            "11-50",
        ),
        ("budget", "Not much. About what we pay for Xero, sixty-odd dollars a month.", "under_1k"),
        (
            "budget",
            "i'd not want to pay more than i pay the lad that does the website and that's "
            "fifty quid a month",
            "under_1k",
        ),
        ("authority", "myself and the head vet decide these things between us", "decides"),
        ("authority", "Ah, it'd be me really", "decides"),
        ("authority", "It's a partners' decision. I'm one of the three.", "decides"),
        ("authority", "the owner signs off but he said this is my project", "influences"),
        ("authority", "the GM signs but she asked me to find something", "influences"),
        ("authority", "I have my own budget. The CEO does not approve each tool.", "decides"),
        (
            "authority",
            "Any of the three directors can sign off something this size, so: me.",
            "decides",
        ),
    ],
)
def test_sixth_round_answers(field: str, said: str, value: str | None) -> None:
    assert read_answer(field, said, None, "GB", today=date(2026, 12, 7)).value == value


@pytest.mark.parametrize(
    ("field", "said", "country", "value"),
    [
        ("company_size", "about 25 year round", None, "11-50"),
        ("company_size", "been going 25 years", None, None),
        # the question beside the answer says nothing of it ("depend" is no season)
        (
            "company_size",
            "We're about 40 teachers plus 6 people in the office. "
            "Does the price depend on headcount?",
            None,
            "11-50",
        ),
        # an answer said with a rising voice is still the answer
        ("budget", "R400 a month maybe? sorry I don't know what is normal", "ZA", "under_1k"),
        (
            "company_size",
            "About 95 year-round, closer to 140 with the seasonal staff at tax time",
            None,
            "51-200",
        ),
        (
            "company_size",
            "We are 27 staff in total — the guides, the office team, and two people in our "
            "Arusha office.",
            None,
            "11-50",
        ),
        (
            "budget",
            "We would need around 25 seats, and we calculated with about €45 per seat per month",
            "DE",
            "10k_50k",
        ),
        ("budget", "About 1,500 pesos a month for each of our 4 branches", "MX", "1k_10k"),
        ("budget", "About 1,500 pesos a month per branch, we have 4 branches", "MX", "1k_10k"),
        ("budget", "about four hundred a month per location", "US", None),
        ("timeline", "This month if we can, we've got the January rush coming", None, "now"),
        (
            "timeline",
            "we want to go live in the first quarter of the new financial year that means april "
            "to june",
            "GB",
            "year",
        ),
        (
            "authority",
            "My wife is the other owner, we decide things like this together",
            None,
            "decides",
        ),
        (
            "authority",
            "it's our business mine and gavin's so the two of us decide",
            None,
            "decides",
        ),
        (
            "authority",
            "Bram and me. We started it together, there's no boss above us, so we decide.",
            None,
            "decides",
        ),
        ("authority", "i am the one that will approve it", None, "decides"),
        (
            "authority",
            "I make the final decision, although I'd probably ask my office manager what she "
            "thinks first",
            None,
            "decides",
        ),
        (
            "authority",
            "The marketing budget is mine to run, so for something like this it's my decision. "
            "I'll tell the owners, obviously, but it's my signature.",
            None,
            "decides",
        ),
        (
            "authority",
            "I make the final decision on the shortlist, then the board approves",
            None,
            "influences",
        ),
        ("authority", "the two of us research, the boss decides", None, "researching"),
    ],
)
def test_eighth_round_answers(
    field: str, said: str, country: str | None, value: str | None
) -> None:
    assert read_answer(field, said, None, country, today=date(2026, 12, 7)).value == value


def test_those_who_decide_counted_are_no_company_size() -> None:
    said = "Not me, sorry! The two physios who own it make the decision. I don't get a say."
    assert "company_size" not in read_volunteered(said, requested="authority")
    assert (
        read_volunteered("the three partners who run it decide, we are 40 staff")["company_size"]
        == "11-50"
    )


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        (
            "company_size",
            "when I started it was just me and one treatment room! Now there's nine physios, "
            "four Pilates instructors and two on the front desk",
            "11-50",
        ),
        (
            "company_size",
            "We have 4 centres in Pune, each centre has 25-30 faculty and staff, then head office",
            "51-200",
        ),
        ("company_size", "We're eight lawyers; with clerks it's roughly double that.", "11-50"),
        (
            "company_size",
            "Full-time staff is around 90, but if you include our agents in Abuja we're about 150",
            "51-200",
        ),
        ("company_size", "Staff is around 40, but if you include our drivers it's 60", None),
        (
            "company_size",
            "We are 12 people in the office, including two article assistants",
            "11-50",
        ),
        ("company_size", "We're 12 in the office, including two assistants", "11-50"),
        (
            "timeline",
            "we want it before the high season and that starts right after new year",
            "now",
        ),
        (
            "timeline",
            "Bookings start coming in on New Year's Day, so I'd want it working before then, "
            "which I realise is only a few weeks away",
            "now",
        ),
        (
            "timeline",
            "Sometime next year, I'd think. The committee doesn't meet again until March, so it "
            "couldn't be before then.",
            "year",
        ),
        ("timeline", "sometime in the new year i suppose", None),
        (
            "budget",
            "We thought around 1,000 euros per month... no, wait, let me say it correctly, "
            "12,000 euros for the year, it is the same, yes? Around that",
            "10k_50k",
        ),
        (
            "authority",
            "Our MD, Dr. Bassey, gives the final approval on anything we pay for. But he asked me "
            "to choose, and he normally goes with my recommendation",
            "influences",
        ),
        (
            "authority",
            "Oh, I don't decide anything, I just write up the options. My boss and my uncle will "
            "make the decision",
            "researching",
        ),
        (
            "authority",
            "well i'd decide but my daughter would have a say she's taking over the business",
            "decides",
        ),
    ],
)
def test_ninth_round_answers(field: str, said: str, value: str | None) -> None:
    assert read_answer(field, said, None, "GB", today=date(2026, 12, 7)).value == value


def test_all_good_said_to_leave_is_no_yes_to_deciding() -> None:
    assert read_answer("authority", "All good, that's all I needed", "affirm").value is None
    assert read_answer("authority", "yes, all good", "affirm").value == "decides"


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("company_size", "Do you mean members or staff? We have about 300 members.", None),
        ("company_size", "We're 12 staff serving 400 clients", "11-50"),
        ("company_size", "300 members of staff", "201-1000"),
        (
            "timeline",
            "Right after Christmas would be wonderful, the first week of January if that's "
            "possible.",
            "now",
        ),
        ("timeline", "the first week of January", "now"),
        ("timeline", "after our fiscal year closes in March", "year"),
    ],
)
def test_ninth_round_answers_after_the_first_fixes(
    field: str, said: str, value: str | None
) -> None:
    assert read_answer(field, said, None, "US", today=date(2026, 12, 7)).value == value


@pytest.mark.parametrize(
    ("field", "said", "country", "value"),
    [
        # Francs are the CFA franc's in West and Central Africa, Swiss elsewhere
        ("budget", "we could put 3 million francs a year", "SN", "1k_10k"),
        ("budget", "we could put 3 million francs a year", "CH", "over_50k"),
        ("budget", "about 1.5 million FCFA per month", "CI", "10k_50k"),
        ("budget", "around 250 thousand birr for the year", "ET", "1k_10k"),
        ("budget", "no more than 1,200 KD a year", "KW", "1k_10k"),
        ("budget", "maybe 900 dinars annually", "TN", "under_1k"),
        ("budget", "300 quetzales a month", "GT", "under_1k"),
        ("budget", "up to 5,000 lari yearly", "GE", "1k_10k"),
        ("budget", "around 6 triệu a month", "VN", "1k_10k"),
        ("budget", "5 trieu mot thang", "VN", "1k_10k"),
        ("budget", "kira-kira 3 juta per bulan", "ID", "1k_10k"),
        # Places counted are no people
        ("company_size", "just under 300 across our three factories", "US", "201-1000"),
        ("company_size", "We have 9 centres, total staff strength around 650", "IN", "201-1000"),
        # A count said with how exact it is
        ("company_size", "Roughly 260, give or take a few", "US", "201-1000"),
        # The parts, then their sum asked and said
        ("company_size", "me, my sister, four lads on the vans, so what's that, six", "GB", "1-10"),
        # Whom to count asked: the count beside it is of those in question
        ("company_size", "Do the part-timers count? There's a handful of them.", "AU", None),
        ("company_size", "should I include the seasonal pickers?", "NZ", None),
        # A question about the question is no answer
        ("authority", "You mean would I be the one to sign it off?", "US", None),
        ("budget", "You mean per year? About 5k.", "US", "1k_10k"),
        ("timeline", "The season starts in March so we need it ready before then", "GB", "quarter"),
    ],
)
def test_tenth_round_answers(field: str, said: str, country: str, value: str | None) -> None:
    assert read_answer(field, said, None, country, today=date(2026, 12, 7)).value == value


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("Me. My boss handed it over and said pick whatever you think works", "decides"),
        ("he let me decide", "decides"),
        ("my manager told me to choose a few options for him to approve", "influences"),
    ],
)
def test_a_choice_handed_over_is_the_persons(said: str, value: str) -> None:
    assert read_answer("authority", said).value == value


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        (
            "company_size",
            "Seven of us in the workshop. About thirty weavers make for us at home, but they "
            "are not our employees.",
            "1-10",
        ),
        ("timeline", "Before Christmas ideally, February's our busiest month", "now"),
    ],
)
def test_round_ten_after_the_second_pass(field: str, said: str, value: str) -> None:
    assert read_answer(field, said, None, "GB", today=date(2026, 12, 7)).value == value


def test_nothing_before_a_month_is_no_time_before_it() -> None:
    said = "The trustees meet in late February, so nothing before then. Realistically October."
    assert read_answer("timeline", said, None, "GB", today=date(2026, 12, 7)).value == "year"


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("this side of Christmas ideally", "now"),
        ("this side of the new year", "now"),
        ("this side of March if we can", "quarter"),
    ],
)
def test_this_side_of_a_day_or_month_is_before_it(said: str, value: str) -> None:
    assert read_answer("timeline", said, None, "GB", today=date(2026, 12, 8)).value == value


@pytest.mark.parametrize(
    ("said", "value", "follow_up"),
    [
        ("my dad owns it, I'd have to convince him", "influences", None),
        ("I have to win the partners over first", "influences", None),
        ("need to get my partner on board", "influences", None),
        # whose the business is, with no word of the person's own part: asked
        ("my mum owns it", None, "not_the_decider"),
        ("me and my dad own it", "decides", None),
        ("we're not convinced yet, I own the place though", "decides", None),
    ],
)
def test_the_owner_and_the_one_who_must_convince_them(
    said: str, value: str | None, follow_up: str | None
) -> None:
    read = read_answer("authority", said)
    assert (read.value, read.follow_up) == (value, follow_up)


@pytest.mark.parametrize(
    ("field", "said", "country", "value"),
    [
        # shillings and pounds of the caller's own country
        ("budget", "about six million shillings for the whole year", "UG", "1k_10k"),
        ("budget", "about six hundred thousand shillings a year", "KE", "1k_10k"),
        ("budget", "maybe two thousand pounds a month not more", "EG", "under_1k"),
        ("budget", "maybe two thousand pounds a month not more", "GB", "10k_50k"),
        ("budget", "maybe four hundred pounds in the month", "GB", "1k_10k"),
        ("budget", "I really don't know, there is no budget for this yet", "LK", None),
        ("timeline", "Not for 2027. When we open the store in Lima, maybe 2028, then yes", "PE",
         "later"),
        ("timeline", "in the new year end of january latest", "GB", "quarter"),
        ("timeline", "realistically around june so it's bedded in long before next december",
         "ZA", "year"),
        ("timeline", "I won't be sharing any details today, thank you.", "US", None),
        ("company_size", "We are 23 if you count the driver-guides. Only six of us sit in the "
         "office", "KE", "11-50"),
        ("company_size", "we are around for hundred fifty people in two plants", "IN", "201-1000"),
        ("authority", "the two vets who own the place would sign off on it i'd be the one "
         "bringing it to them", "IE", "influences"),
        ("authority", "i'd be the one deciding", "IE", "decides"),
    ],
)  # fmt: skip
def test_eleventh_round_answers(field: str, said: str, country: str, value: str | None) -> None:
    assert read_answer(field, said, None, country, today=date(2026, 12, 8)).value == value


@pytest.mark.parametrize(
    ("said", "value", "follow_up"),
    [
        ("i'm just setting it up for the owner i'm not part of the decision", "researching", None),
        ("The two directors decide together. I only organise.", "researching", None),
        ("Our president has the final say. She asked me to find a few options and bring her "
         "the best one.", "influences", None),
        ("no that'd be rick the owner i just do the legwork and tell him what i think",
         "influences", None),
        # "the legwork" is gathering to some and weighing in to others: asked, with buttons
        ("Sian, my manager, will decide. I'm just doing the legwork.", None, "not_the_decider"),
        ("the dentist who owns it decides i just do the legwork", None, "not_the_decider"),
    ],
)  # fmt: skip
def test_a_part_in_someone_elses_decision_or_none(
    said: str, value: str | None, follow_up: str | None
) -> None:
    read = read_answer("authority", said)
    assert (read.value, read.follow_up) == (value, follow_up)


@pytest.mark.parametrize(
    ("field", "said", "value"),
    [
        ("company_size", "We look after about 2,000 apartments, with 48 employees on our side",
         "11-50"),
        # the rough word is the count's own: it may be either side of 50
        ("company_size", "we have 2 offices and about 48 people", None),
        ("budget", "we got twelve people in the office so like fifty bucks a head a month",
         "1k_10k"),
        ("budget", "about 80 a month for 1 location", None),
    ],
)  # fmt: skip
def test_twelfth_round_answers(field: str, said: str, value: str | None) -> None:
    assert read_answer(field, said, None, "US", today=date(2026, 12, 8)).value == value


def test_a_proposal_put_to_the_directors_is_theirs_to_accept() -> None:
    said = "I do the legwork and put a proposal to the directors"
    assert read_answer("authority", said).value == "influences"
