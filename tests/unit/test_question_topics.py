import pytest

from bot.question_topics import asked_topics, question_sentences


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Can it hook into Pipedrive? Also what are the plans like?", ["integrations", "pricing"]),
        ("how much is it per user and is there an api", ["pricing", "integrations"]),
        ("we run a vet clinic. where would our clients' details be kept?", ["data_use"]),
        ("What exactly would your tool do for a bakery?", ["what_it_does"]),
        ("wat does it do exactly", ["what_it_does"]),
        ("Kindly confirm where our records would be stored.", ["data_use"]),
        ("Is there a free plan? Is this automated or a real human?", ["pricing", "bot"]),
    ],
)
def test_each_question_in_a_message_is_read_for_its_topic(text: str, topics: list[str]) -> None:
    assert asked_topics(text) == topics


@pytest.mark.parametrize(
    "text",
    [
        "our shop works with Shopify and we pay about 200 a month",  # statements, no question
        "We're 40 people and I decide.",
        # one sentence naming two topics: which one is asked is a guess
        "does the price include the hubspot integration?",
    ],
)
def test_statements_and_mixed_sentences_ask_no_topic(text: str) -> None:
    assert asked_topics(text) == []


def test_questions_joined_by_and_are_split() -> None:
    assert question_sentences("what does it cost and does it do voice?") == [
        "what does it cost",
        "does it do voice?",
    ]
