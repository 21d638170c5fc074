"""Common misspellings and dictated punctuation, undone before a message is read.

People who find typing hard write "compnay", "emial", "no thanx im jus asking", or
dictate "my name is gerald fitch full stop". The readers look for words ("company is",
"just asking", "no thanks"); these are put right first. Only words that are nobody's
name or company are corrected, and the values read keep the person's own spelling
where they are not one of these words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Words that name a detail: what `read_message` looks for ("the compnay is ...").
_FIELD_WORDS = {
    "company": r"compnay|comapny|compny|companey|cmpany|compamy|copmany",
    "email": r"emial|emal|emale|e-mial|eamil|emai",
    "emails": r"emials|emales|eamils",
    "phone": r"phne|phon|fone",
    "number": r"numbr|nmber|nummber|numer",
    "name": r"naem|nmae",
}
# Everyday words the yes/no and refusal readers look for ("no thanx", "jus asking").
_CHAT_WORDS = {
    "thanks": r"thanx|thnx|thanxs|tnx|thanku|thankyou",
    "just": r"jus|jst",
    "what": r"wat|wut|wht",
    "does": r"dus|dose|duz",
    "work": r"wurk|werk",
    "questions": r"qwestions|questons|quesions|qestions",
    "question": r"qwestion|queston|quesion|qestion",
    "person": r"persun|persen|prson",
    "talking": r"tawking|torking",
    "real": r"reel|reall",
    "either": r"ether|eather|eiter",
    "please": r"pleez|pleas|plez",
    "asking": r"askin|askng",
}
# Punctuation said out loud to dictation software.
_DICTATED = (
    # Lower case, as dictation writes them: "Comma Press" is a name.
    (re.compile(r"\s*\bfull stop\b"), "."),
    (re.compile(r"\s*\bquestion mark\b"), "?"),
    (re.compile(r"\s*\bexclamation (?:mark|point)\b"), "!"),
    (re.compile(r"\s*\bcomma\b"), ","),
    (re.compile(r"\bnew (?:line|paragraph)\b"), "."),
)


def _compiled(table: dict[str, str]) -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile(rf"(?<![\w@.-])(?:{typos})(?![\w@-])", re.I), word)
        for word, typos in table.items()
    ]


def _in_context(table: dict[str, str]) -> list[tuple[re.Pattern[str], str]]:
    """Only where the word names a detail ("my compnay", "the emial is"): a business
    called "Fone House" keeps its name."""
    return [
        (
            re.compile(
                rf"(?P<pre>\b(?:my|the|our|your|his|her|their|no|skip|a|an|which|what)\s+)"
                rf"(?:{typos})\b|\b(?:{typos})(?P<post>\s*(?:is|'s|:|address|number|nr)\b)",
                re.I,
            ),
            word,
        )
        for word, typos in table.items()
    ]


_FIELD = _in_context(_FIELD_WORDS)
_CHAT = _compiled({**_FIELD_WORDS, **_CHAT_WORDS})


def undictated(text: str) -> str:
    """ "my name is gerald fitch full stop" -> "my name is gerald fitch." """
    for pattern, mark in _DICTATED:
        text = pattern.sub(mark, text)
    return text


def with_field_words(text: str) -> str:
    """Dictated punctuation, and misspelt names of details where they name one."""
    text = undictated(text)
    for pattern, word in _FIELD:
        text = pattern.sub(_keeping_context(word), text)
    return text


def _keeping_context(word: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return f"{match['pre'] or ''}{word}{match['post'] or ''}"

    return replace


def with_chat_words(text: str) -> str:
    """For reading answers, refusals and questions (never for the values stored):
    dictated punctuation and the misspelt words of both tables, wherever they stand."""
    text = undictated(text)
    for pattern, word in _CHAT:
        text = pattern.sub(word, text)
    return text
