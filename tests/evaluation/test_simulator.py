"""The simulated person and the judge, against a scripted bot on a line of its own.

The bot here is a small fake with Parley's response wording (from domain.yml), so these
tests show the evaluation can fail a conversation: a wrong summary is corrected, a loop is
caught, an unanswered question counts.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.evaluation.personas import Ask, Persona
from bench.evaluation.responses import BotMessage, ResponseBook
from bench.evaluation.run import caller_for
from bench.evaluation.simulator import Player, read_summary
from bench.evaluation.values import same_value

BOOK = ResponseBook.load()
SUMMARY = "Here's what I have:\n- Name: {name}\n- Email: dana@acme.io\n- Phone: (skipped)\n- Company: {company}\n- Role: (not given)\n- Looking to solve: (not given)\nIs that right?"


def persona(**changes: object) -> Persona:
    base: dict[str, object] = {
        "id": "p-1", "split": "dev", "author": "a", "channel": "chat", "goal": "lead",
        "opener": "I'd like a demo",
        "says": {"name": ("Dana Reyes",), "summary": ("yes that's right",)},
        "asks": (), "mistakes": (), "closing": ("thanks!",),
        "expect": {"name": "Dana Reyes", "email": "dana@acme.io", "company": "Acme Ltd"},
    }  # fmt: skip
    return Persona(**{**base, **changes})  # type: ignore[arg-type]


class ScriptedLine:
    """A bot that answers each message with the next of its replies (plain texts)."""

    channel = "rest"
    conversation_id = "rest:scripted"

    def __init__(self, replies: list[str] | Callable[[str], str]) -> None:
        self.replies = replies
        self.said: list[str] = []
        self.ended = False

    def start(self, opener: str) -> list[BotMessage]:
        return self.send(opener)

    def send(self, text: str) -> list[BotMessage]:
        self.said.append(text)
        if callable(self.replies):
            reply = self.replies(text)
        else:
            reply = (
                self.replies.pop(0)
                if self.replies
                else "You're welcome! Anything else I can help with?"
            )
        return [BotMessage(reply, (), tuple(BOOK.names_in(reply)))]


def test_a_summary_showing_a_wrong_company_is_corrected_and_counted() -> None:
    line = ScriptedLine([
        "What's your name?",
        SUMMARY.format(name="Dana Reyes", company="Paris"),
        SUMMARY.format(name="Dana Reyes", company="Acme Ltd"),
        "Thanks, Dana! Our team will be in touch soon.",
    ])  # fmt: skip
    transcript = Player(persona(), line).play()
    assert line.said[:4] == ["I'd like a demo", "Dana Reyes", line.said[2], "yes that's right"]
    assert "acme ltd" in line.said[2].lower() and "company" in line.said[2]
    assert (transcript.summaries_shown, transcript.summaries_corrected) == (2, 1)
    assert transcript.reached_at == 4 and not transcript.loop


def test_the_same_reply_three_times_is_a_loop() -> None:
    transcript = Player(persona(), ScriptedLine(lambda _: "What's your name?")).play()
    assert transcript.loop


def test_a_question_answered_with_the_next_form_question_only_is_unanswered() -> None:
    asks = (Ask("does it work with hubspot?", "integrations", True, None),)
    line = ScriptedLine(
        ["What's your name?", "What's your name?", "Thanks, Dana! Our team will be in touch soon."]
    )
    transcript = Player(persona(asks=asks), line).play()
    assert line.said[1] == "does it work with hubspot?"
    assert (transcript.questions_asked, transcript.questions_answered) == (1, 0)


def test_a_mistake_is_given_first_and_fixed_at_the_summary() -> None:
    from bench.evaluation.personas import Mistake

    mistake = Mistake("name", "Dnaa Reyes", "sorry, my name is Dana Reyes")
    line = ScriptedLine(
        ["What's your name?", SUMMARY.format(name="Dnaa Reyes", company="Acme Ltd")]
    )
    transcript = Player(persona(mistakes=(mistake,)), line).play()
    assert line.said[1:3] == ["Dnaa Reyes", "sorry, my name is Dana Reyes"]
    assert transcript.summaries_corrected == 0  # their own slip, not the bot's


def test_summaries_are_read_from_chat_and_from_speech() -> None:
    chat = SUMMARY.format(name="María de la Cruz", company="Sharma Textiles Pvt. Ltd.")
    spoken = chat.replace("\n- ", " ").replace("\n", " ")
    for text in (chat, spoken):
        shown = read_summary(text)
        assert shown["name"] == "María de la Cruz"
        assert shown["company"] == "Sharma Textiles Pvt. Ltd."
        assert shown["phone"] is None and shown["role"] is None


def test_values_compare_as_the_readme_says() -> None:
    assert same_value("email", "JP.Tremblay@Acme.ca", "jp.tremblay@acme.ca")
    assert same_value("phone", "+14155550134", "+1 (415) 555-0134")
    assert same_value("company", "harbour light ltd.", "Harbour Light Ltd")
    assert not same_value("company", "Harbour Light", "Harbour Light Ltd")
    assert same_value("role", "I look after marketing", "marketing")
    assert not same_value("role", "sales director", "marketing")
    assert not same_value("phone", "+14155550134", None)
    assert same_value("name", None, None)


def test_response_names_survive_the_voice_channel_joining_messages() -> None:
    spoken = "Got it. Let's carry on with your details. What's the best email address to reach you?"
    assert BOOK.names_in(spoken) == ["utter_form_continue", "utter_ask_lead_email"]


class OptionsLine(ScriptedLine):
    """Asks who decides, then says it did not get the answer and asks again, with buttons."""

    ASK = "Will you be the one making the decision on this?"
    OPTIONS = (
        ("Yes, I decide", "I decide"),
        ("I influence it", "I influence the decision"),
        ("Just researching", "Just researching"),
    )

    def send(self, text: str) -> list[BotMessage]:
        self.said.append(text)
        if len(self.said) == 1:
            return [BotMessage(self.ASK, self.OPTIONS, tuple(BOOK.names_in(self.ASK)))]
        if len(self.said) == 2:
            sorry = "Sorry, I didn't get that. You can pick one of the options, answer in your own words, or say skip."
            return [
                BotMessage(sorry, (), tuple(BOOK.names_in(sorry))),
                BotMessage(self.ASK, self.OPTIONS, tuple(BOOK.names_in(self.ASK))),
            ]
        self.ended = True
        return [BotMessage("No problem.", (), ())]


def test_not_understood_a_person_presses_the_option_they_meant() -> None:
    who = persona(
        says={"authority": ("it's complicated, the board has views",)},
        expect={"authority": "influences"},
    )
    line = OptionsLine([])
    transcript = Player(who, line).play()
    assert line.said[1:] == ["it's complicated, the board has views", "I influence the decision"]
    assert transcript.options_pressed == 1


def test_an_authors_second_try_is_said_before_any_option_is_pressed() -> None:
    who = persona(
        says={"authority": ("it's complicated", "my boss signs, I recommend")},
        expect={"authority": "influences"},
    )
    line = OptionsLine([])
    transcript = Player(who, line).play()
    assert line.said[2] == "my boss signs, I recommend"
    assert transcript.options_pressed == 0


def test_nothing_meant_nothing_pressed() -> None:
    who = persona(says={"authority": ("no idea",)}, expect={})
    line = OptionsLine([])
    transcript = Player(who, line).play()
    assert line.said[2] == "no idea" and transcript.options_pressed == 0


def test_an_offer_turned_down_is_not_pressed_as_talk_or_book() -> None:
    meant = {
        "not now, thanks, I'll read the emails first": "no",
        "no time for a call this week": "no",
        "could we book a time instead?": "book",
        "now is good, put me through": "talk",
    }
    for said, meaning in meant.items():
        player = Player(persona(says={"offer": (said,)}), ScriptedLine([]))
        assert player._meaning("offer") == meaning, said


def test_options_are_recognised_typed_and_spoken() -> None:
    import re

    from bench.evaluation.simulator import OPTION_WORDS

    said = {
        ("company_size", "11-50"): ["11-50", "11 to 50"],
        ("budget", "1k_10k"): ["$1k-10k", "1 to 10 thousand dollars"],
        ("timeline", "quarter"): ["1-3 months", "1 to 3 months"],
    }
    for (field_name, meant), titles in said.items():
        for title in titles:
            found = [v for v, p in OPTION_WORDS[field_name].items() if re.search(p, title.lower())]
            assert found == [meant], (title, found)


def test_a_common_questions_entry_is_recognised_as_its_answer() -> None:
    import yaml

    from bench.evaluation.responses import ROOT
    from bench.evaluation.simulator import TOPIC_ANSWERS

    entries = yaml.safe_load((ROOT / "knowledge.yml").read_text(encoding="utf-8"))["answers"]
    channels = next(e for e in entries if e["id"] == "channels")
    assert BOOK.names_in(channels["answer"]) == ["knowledge_channels"]
    assert "knowledge_channels" in TOPIC_ANSWERS["integrations"]


def test_a_caller_rings_from_the_phone_they_give() -> None:
    irish = persona(channel="voice", expect={"name": "Noreen", "phone": "+353875550143"})
    assert caller_for(irish) == "+353875550143"
    silent = persona(channel="voice", expect={"name": "Noreen", "phone": None})
    assert caller_for(silent).startswith("+1415555")
