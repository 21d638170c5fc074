"""The list of common questions: reading, validating, importing and finding the entry a
message asks about. The phrasings here are not in knowledge.yml: a match must come from
similarity, not from the same words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import knowledge
from bot.interruptions import is_question
from bot.settings import PROJECT_ROOT

SHIPPED = knowledge.load(PROJECT_ROOT / "knowledge.yml")


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("do you speak german?", "languages"),
        ("are you gdpr compliant", "gdpr"),
        ("how do you deal with consent?", "gdpr"),
        ("do you integrate with whatsapp", "channels"),
        ("can it answer phone calls?", "channels"),
        ("can people book appointments?", "calendar"),
        ("which data center is our data hosted in? can we host it ourselves", "self_hosting"),
        ("does it work on android phones", "mobile"),
    ],
)
def test_a_question_in_new_words_finds_its_entry(text: str, entry: str) -> None:
    found = SHIPPED.match(text, knowledge.LOOSE_THRESHOLD)
    assert found is not None and found.entry.id == entry


@pytest.mark.parametrize(
    "text",
    [
        "My name is Pat Jones",
        "Acme Corp",
        "pat@example.com",
        "we need to follow up leads faster",
        "yes please",
        "no thanks",
        "how much does it cost?",
        "can I talk to a human",
        "do you integrate with hubspot?",
        "what happens next?",
        "is this a bot?",
        "we're based in France",
        "can i speak to someone in sales?",
    ],
)
def test_answers_and_other_questions_find_nothing(text: str) -> None:
    assert SHIPPED.match(text, knowledge.LOOSE_THRESHOLD) is None


@pytest.mark.parametrize("text", ["so long", "no texts please", "it's my call", "see you"])
def test_statements_that_share_a_word_are_why_only_questions_are_asked(text: str) -> None:
    """These score high on the list (one rare word in common), which is why the bot
    consults it for questions only (actions/knowledge.py)."""
    assert SHIPPED.match(text) is not None
    assert not is_question(text)


def test_an_answer_for_the_channel_else_the_general_one() -> None:
    entry = knowledge.Entry("x", ("a b", "c d"), "general", {"voice": "spoken", "sms": "text"})
    assert entry.answer_for("voice") == "spoken"
    assert entry.answer_for("whatsapp") == "text"
    assert entry.answer_for("web") == "general"


def test_bad_entries_are_refused_with_where_and_why() -> None:
    text = """
answers:
  - id: Bad Id
    questions: [only one]
    answer: ""
  - id: ok
    questions: [what is parley, what does parley do]
    answer: fine
    channels: {fax: no}
  - id: ok
    questions: [is it free, does it cost money]
    answer: fine
"""
    with pytest.raises(knowledge.KnowledgeError) as raised:
        knowledge.parse(text)
    where = {(p.entry, p.field) for p in raised.value.problems}
    assert where == {(0, "id"), (0, "questions"), (0, "answer"), (1, "channels.fax"), (2, "id")}


def test_a_phrasing_of_little_words_is_refused() -> None:
    with pytest.raises(knowledge.KnowledgeError, match="little words"):
        knowledge.parse("answers: [{id: a, questions: [what is it, can you], answer: x}]")


def test_dump_reads_back_the_same() -> None:
    again = knowledge.parse(knowledge.dump(SHIPPED.entries))
    assert tuple(again) == SHIPPED.entries


def test_csv_import_with_and_without_a_header() -> None:
    plain = knowledge.from_csv(
        'Is there an app?|Do you have a mobile app,"Not yet, the chat works"\n'
    )
    assert plain[0].questions == ("Is there an app?", "Do you have a mobile app")
    assert plain[0].answer == "Not yet, the chat works" and plain[0].id == "app"
    named = knowledge.from_csv(
        "id,question,question,answer,voice\n"
        'trial,Is there a free trial?,Can I try it first,Yes: 14 days.,"Yes, fourteen days."\n',
        existing=["trial"],
    )
    assert named[0].id == "trial" and named[0].variants == {"voice": "Yes, fourteen days."}


def test_csv_rows_that_are_wrong_are_refused_by_row() -> None:
    with pytest.raises(knowledge.KnowledgeError) as raised:
        knowledge.from_csv("question,answer\nIs there an app?,\n")
    assert {(p.entry, p.field) for p in raised.value.problems} >= {(0, "questions"), (0, "answer")}


def test_markdown_import() -> None:
    entries = knowledge.from_markdown(
        "# FAQ\n\n## Is there a free trial?\n- Can I try it first\n- trial period\n\n"
        "Yes, for 14 days.\nNo card needed.\n\n## Do you offer support?\n- Is there a helpdesk\n\n"
        "Email us any time.\n"
    )
    assert [e.id for e in entries] == ["free_trial", "offer_support"]
    assert entries[0].questions == ("Is there a free trial?", "Can I try it first", "trial period")
    assert entries[0].answer == "Yes, for 14 days.\nNo card needed."


def test_the_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "knowledge.yml"
    source = knowledge.KnowledgeFile(path)
    assert len(source.current()) == 0
    path.write_text(knowledge.dump(SHIPPED.entries[:1]), encoding="utf-8")
    assert len(source.current()) == 1
    path.write_text(knowledge.dump(SHIPPED.entries[:3]) + "\n", encoding="utf-8")
    assert len(source.current()) == 3
