"""A phone caller hears phone wording: nothing to type, reply to or click (#18).

The domain's `channel: twilio_voice` variations are checked against the default wording
they replace, the spoken menu against what callers say back, and whole calls are played
as signed Twilio Voice webhooks against a real stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.consent import load_consent_config, purposes_mentioned, withdrawal_scope
from bot.interruptions import states_opt_out
from bot.keywords import match_keyword
from bot.settings import PROJECT_ROOT
from bot.types import PURPOSES
from channels.twilio_voice import Choice, pick, picks_whole_answer, spoken_title
from tests.channels.test_twilio_voice import PhoneCall, voice_env
from tests.e2e.conftest import Stack, launch

VOICE = "twilio_voice"
# Wording that only makes sense on a screen or a keyboard.
TEXT_ONLY = re.compile(
    r"\b(?:typ(?:e|ed|ing)|repl(?:y|ies|ying)|click\w*|tap(?:ping)?|links?|enter|"
    r"in this chat|(?:details|options?|buttons?) (?:above|below)|above|below|https?)\b",
    re.I,
)
DOMAIN: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text("utf-8"))
RESPONSES: dict[str, list[dict[str, Any]]] = DOMAIN["responses"]


def variations(channel: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, found in RESPONSES.items():
        for variation in found:
            if variation.get("channel") == channel:
                yield name, variation


def counterpart(name: str, variation: Mapping[str, Any], channel: str | None) -> dict[str, Any]:
    """The variation of `name` for `channel` that Rasa picks under the same condition."""
    same = [
        v
        for v in RESPONSES[name]
        if v.get("channel") == channel and v.get("condition") == variation.get("condition")
    ]
    assert same, f"{name}: no {channel or 'default'} variation for {variation.get('condition')}"
    return same[0]


def buttons(variation: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(b["title"], b["payload"]) for b in variation.get("buttons") or []]


# ------------------------------------------------------------------ the wording itself


def test_every_text_only_wording_has_a_spoken_variation() -> None:
    needing = [(n, v) for n, v in variations(None) if TEXT_ONLY.search(v.get("text") or "")]
    assert {n for n, _ in needing} >= {"utter_help", "utter_consent_done", "utter_code_wrong"}
    for name, variation in needing:
        counterpart(name, variation, VOICE)


@pytest.mark.parametrize(("name", "variation"), list(variations(VOICE)))
def test_a_spoken_variation_says_nothing_text_only_and_keeps_the_menu(
    name: str, variation: dict[str, Any]
) -> None:
    text = variation["text"]
    assert not TEXT_ONLY.search(text), f"{name}: {text}"
    # The voice channel reads buttons out as the menu; dropping them drops the choices.
    assert buttons(variation) == buttons(counterpart(name, variation, None)), name
    placeholders = set(re.findall(r"\{(\w+)\}", text))
    default = counterpart(name, variation, None)["text"]
    assert placeholders <= set(re.findall(r"\{(\w+)\}", default)), f"{name}: {placeholders}"


def test_a_spoken_default_does_not_hide_the_help_wording() -> None:
    """Rasa prefers a plain channel variation over a conditional one without a channel, so a
    response with a plain voice variation needs a voice variation for each condition too."""
    for name, found in RESPONSES.items():
        if any(v.get("channel") == VOICE and not v.get("condition") for v in found):
            for conditional in (v for v in found if v.get("condition") and not v.get("channel")):
                counterpart(name, conditional, VOICE)


def spoken_instructions() -> Iterator[tuple[str, str]]:
    """Every quoted or `say ...` way of stopping marketing a caller is told about."""
    consent = load_consent_config(PROJECT_ROOT / "consent.yml")
    texts = [(n, v["text"]) for n, v in variations(VOICE)]
    texts += [(f"consent {q.purpose}", q.wording) for q in consent.questions]
    for name, text in texts:
        for quoted in re.findall(r"\"(stop[^\"]*)\"", text, re.I):
            yield name, quoted
        for said in re.findall(r"\bsay (stop|start)\b", text, re.I):
            yield name, said


@pytest.mark.parametrize(("name", "said"), list(spoken_instructions()))
def test_a_way_to_stop_a_caller_hears_of_works_on_a_call(name: str, said: str) -> None:
    keyword = match_keyword(said, "voice")
    if keyword is not None:
        assert keyword.kind in ("stop", "stop_all", "start"), (name, said)
        if said.lower() == "stop all":
            assert withdrawal_scope(said, "voice", keyword.kind) == set(PURPOSES)
        return
    # Not a keyword: the words must themselves ask to stop and name what to stop.
    assert states_opt_out(said) and purposes_mentioned(said), (name, said)


def test_the_consent_wording_is_the_same_words_on_every_channel() -> None:
    """What the caller hears is the recorded wording: so it must make sense when heard."""
    for question in load_consent_config(PROJECT_ROOT / "consent.yml").questions:
        assert not TEXT_ONLY.search(question.wording), question.wording
        assert question.wording.count('"') % 2 == 0


# ------------------------------------------------------------------ the spoken menu

YES_NO = [Choice("Yes, that's fine", "/affirm"), Choice("No thanks", "/deny")]
SIZES = [Choice(t, t) for t in ("1-10", "11-50", "51-200", "201-1000", "1000+")]


@pytest.mark.parametrize(
    ("said", "payload"),
    [
        ("Yes, that's fine.", "/affirm"),
        ("yes thats fine", "/affirm"),
        ("Yeah, go ahead.", "/affirm"),
        ("sure", "/affirm"),
        ("uh yes please", "/affirm"),
        ("go on then", "/affirm"),
        ("yes okay no problem", "/affirm"),
        ("No thanks.", "/deny"),
        ("no thank you", "/deny"),
        ("nope", "/deny"),
        ("not right now", "/deny"),
        # More than a yes or a no is for the dialogue to understand, not the menu.
        ("no, my email is wrong", None),
        ("yes for the email but not texts", None),
        ("um", None),
        ("the weather is nice", None),
        ("one", "/affirm"),
        ("press two", "/deny"),
    ],
)
def test_a_spoken_yes_or_no_picks_the_yes_or_no_option(said: str, payload: str | None) -> None:
    assert pick(YES_NO, said, "") == payload


def test_a_yes_only_picks_an_option_that_means_yes() -> None:
    authority = [
        Choice("Yes, I decide", "I decide"),
        Choice("I influence it", "influence"),
        Choice("Just researching", "research"),
    ]
    assert pick(authority, "yeah", "") == "I decide"
    assert pick(authority, "no", "") is None
    timeline = [Choice("Within a month", "month"), Choice("No set timeline", "none")]
    assert pick(timeline, "no", "") is None


def test_numbers_in_a_menu_are_heard_and_said_as_words() -> None:
    assert [spoken_title(c.title) for c in SIZES] == [
        "1 to 10",
        "11 to 50",
        "51 to 200",
        "201 to 1000",
        "1000 or more",
    ]
    assert spoken_title("$1k-10k") == "1 to 10 thousand dollars"
    assert spoken_title("Under $1k") == "Under 1 thousand dollars"
    assert pick(SIZES, "11 to 50", "") == "11-50"
    assert pick(SIZES, "", "2") == "11-50"  # the keypad
    assert pick(SIZES, "press two", "") == "11-50"
    # "Five" (people) is a head count for the dialogue, not the fifth option, "1000 or more".
    assert pick(SIZES, "five", "") is None
    assert pick(SIZES, "about 1 to 100", "") is None


def test_skip_alone_leaves_the_keypad_open_for_a_whole_answer() -> None:
    assert not picks_whole_answer([Choice("Skip", "/skip")])
    assert not picks_whole_answer([Choice("Skip this", "/skip"), Choice("Cancel", "/cancel")])
    assert picks_whole_answer(YES_NO)
    assert pick([Choice("Skip", "/skip")], "", "4155550134") is None


# ------------------------------------------------------------------ whole calls


@pytest.fixture(scope="module")
def wording_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = launch(tmp_path_factory.mktemp("voice-wording"), trained_model, 1, **voice_env())
    yield running
    running.supervisor.stop()
    running.store.dispose()


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def assert_spoken(heard: str) -> None:
    assert not TEXT_ONLY.search(heard), heard


@pytest.mark.e2e
@pytest.mark.slow
def test_help_on_a_call_says_how_to_stop_by_voice(wording_stack: Stack) -> None:
    call = PhoneCall(wording_stack)
    greeting = call.start()
    assert "privacy notice" in greeting and "our website" in greeting
    assert_spoken(greeting)
    heard = call.say("Help")
    assert '"stop all"' in heard and "stop texting me" in heard
    assert_spoken(heard)


@pytest.mark.e2e
@pytest.mark.slow
def test_a_lead_by_phone_hears_phone_wording_and_the_heard_consent_is_recorded(
    wording_stack: Stack,
) -> None:
    call = PhoneCall(wording_stack)
    call.start()
    heard = [call.press("1"), call.say("Aoife Byrne")]
    assert "email" in heard[-1]
    heard.append(call.say("ah I'd have to look that up"))
    heard.append(call.say("sorry still not sure"))
    assert "say it again" in heard[-1] and "skip this" in heard[-1]  # the spoken help
    heard.append(call.say("aoife dot byrne at lough-voice dot ie"))
    assert "hash key" in heard[-1]  # the phone question, keyed in whole
    (gather,) = list(call.twiml.iter("Gather"))  # type: ignore[union-attr]
    assert "numDigits" not in gather.attrib
    heard.append(call.press("4155550177#"))
    heard.append(call.say("Lough Analytics"))
    heard.append(call.say("operations lead"))
    heard.append(call.say("we miss callbacks from the website"))
    assert "is that right" in heard[-1]
    heard.append(call.say("yeah that's right"))
    email_question = heard[-1]
    assert "email you" in email_question
    heard.append(call.say("yeah go ahead"))
    assert "text you" in heard[-1]
    heard.append(call.say("no thanks"))
    for said in heard:
        assert_spoken(said)

    contact = wording_stack.store.contacts.for_identity("voice", call.sid)
    assert contact is not None and contact.phone == "+14155550177"
    assert contact.email == "aoife.byrne@lough-voice.ie"
    history = {e.purpose: e for e in wording_stack.store.consent.history(contact.id)}
    assert history["email"].granted and history["email"].channel == "voice"
    # The recorded words are the words read out, and the caller's own words are the evidence.
    assert plain(history["email"].wording) in plain(email_question)
    assert (
        history["email"].wording_version
        == load_consent_config(PROJECT_ROOT / "consent.yml").version
    )
    assert history["email"].evidence["text"] == "yeah go ahead"
    assert "sms" not in history or not history["sms"].granted

    stopped = call.say("stop all")
    assert "any channel" in stopped and "just tell me" in stopped
    assert_spoken(stopped)
    state = wording_stack.store.consent.state(contact.id)
    assert not state["email"].granted


@pytest.mark.e2e
@pytest.mark.slow
def test_a_qualifying_menu_is_read_as_words_and_keyed_or_said(wording_stack: Stack) -> None:
    call = PhoneCall(wording_stack)
    call.start()
    call.press("1")
    call.say("Tomasz Nowak")
    call.say("tomasz at nowak-voice dot pl")
    call.say("skip")
    call.say("Nowak Logistics")
    call.say("operations lead")
    call.say("we miss callbacks from the website")
    assert "email you" in call.say("yes")
    asked = call.say("no thanks")
    assert "how many people" in asked, asked
    assert "press 2 or say 11 to 50" in asked and "1-10" not in asked
    (gather,) = list(call.twiml.iter("Gather"))  # type: ignore[union-attr]
    assert gather.attrib["numDigits"] == "1"
    assert "will you be the one" in call.press("2")
    assert wording_stack.tracker_slots(call.sid).get("qual_company_size") == "11-50"


def test_an_option_named_in_a_longer_answer_is_left_to_the_dialogue() -> None:
    details = [Choice(t, f"the {t.lower()} is wrong") for t in ("Name", "Email", "Phone")]
    assert pick(details, "it's the email", "") == "the email is wrong"
    # The new value and the other details are in the words: the dialogue reads them.
    assert pick(details, "the email's wrong, it's dana.reyes@acme.io", "") is None
    assert pick(details, "the name is fine but the email is wrong", "") is None
    assert pick(YES_NO, "yes that's fine but not texts", "") is None
