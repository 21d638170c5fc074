"""A chat persona replayed as a caller: the same person, their words as a speech recognizer
writes them.

The dev split's chat personas said over the phone are more dev conversations in phrasings
nobody wrote for voice; a fix that holds only for typed words shows up here. The
transcription is deterministic per persona (the same run gives the same words) and keeps
to what recognizers do: lower case, no emoji, commas and end punctuation gone, email
addresses and phone numbers spoken out.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from bench.evaluation.personas import Ask, Mistake, Persona

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\(?\d[\d ().-]{6,}\d")
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")
# Punctuation a recognizer leaves out. An apostrophe or hyphen inside a word ("o'neill",
# "co-op"), a period after one ("pvt. ltd."), money and percent stay; so does a final period
# only when it ends an abbreviation the judge would otherwise see cut ("Ltd.").
_DROPPED = re.compile(
    r"(?<!\d),|,(?!\d)|[!?;:\"“”()\[\]…—–]|(?<!\w)[.'-]|['-](?!\w)|\.(?!\s\w)(?=\s|$)"
)
_DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def as_caller(persona: Persona) -> Persona:
    """The chat persona `persona` as a caller, with the id marked `~voice`."""
    style = random.Random(persona.id)
    spell_digits = style.random() < 0.5

    def spoken(text: str) -> str:
        return transcribe(text, spell_digits=spell_digits)

    return replace(
        persona,
        id=f"{persona.id}~voice",
        channel="voice",
        opener=spoken(persona.opener),
        says={key: tuple(spoken(line) for line in lines) for key, lines in persona.says.items()},
        asks=tuple(Ask(spoken(a.say), a.topic, a.at_start, a.after) for a in persona.asks),
        mistakes=tuple(Mistake(m.field, spoken(m.first), spoken(m.fix)) for m in persona.mistakes),
        closing=tuple(spoken(line) for line in persona.closing),
    )


def transcribe(text: str, *, spell_digits: bool = False) -> str:
    """`text` as a recognizer would write it when someone says it."""
    text = _EMAIL.sub(lambda m: _spoken_email(m.group(0)), text)
    text = _PHONE.sub(lambda m: _spoken_phone(m.group(0), spell_digits), text)
    text = _EMOJI.sub(" ", text)
    text = _DROPPED.sub(" ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def _spoken_email(address: str) -> str:
    local, _, domain = address.lower().partition("@")
    words = local.replace(".", " dot ").replace("_", " underscore ").replace("-", " dash ")
    return f"{words} at {domain.replace('.', ' dot ')}"


def _spoken_phone(number: str, spell_digits: bool) -> str:
    digits = re.sub(r"\D", "", number)
    lead = "plus " if number.lstrip().startswith("+") else ""
    if spell_digits:
        return lead + " ".join(_DIGIT_WORDS[int(d)] for d in digits)
    groups = re.findall(r"\d+", number)
    return lead + " ".join(groups)
