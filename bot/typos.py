"""Common misspellings and dictated punctuation, undone before a message is read.

People who find typing hard write "compnay", "emial", "no thanx im jus asking", or
dictate "my name is gerald fitch full stop". The readers look for words ("company is",
"just asking", "no thanks"); these are put right first. Only words that are nobody's
name or company are corrected, and the values read keep the person's own spelling
where they are not one of these words.
"""

from __future__ import annotations

import re

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
    (re.compile(r"\s*\bfull stop\b", re.I), "."),
    (re.compile(r"\s*\bquestion mark\b", re.I), "?"),
    (re.compile(r"\s*\bexclamation (?:mark|point)\b", re.I), "!"),
    (re.compile(r"\s*\bcomma\b", re.I), ","),
    (re.compile(r"\bnew (?:line|paragraph)\b", re.I), "."),
)


def _compiled(table: dict[str, str]) -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile(rf"(?<![\w@.-])(?:{typos})(?![\w@-])", re.I), word)
        for word, typos in table.items()
    ]


_FIELD = _compiled(_FIELD_WORDS)
_CHAT = _compiled(_CHAT_WORDS)


def undictated(text: str) -> str:
    """ "my name is gerald fitch full stop" -> "my name is gerald fitch." """
    for pattern, mark in _DICTATED:
        text = pattern.sub(mark, text)
    return text


def with_field_words(text: str) -> str:
    """Dictated punctuation and misspelt names of details put right."""
    text = undictated(text)
    for pattern, word in _FIELD:
        text = pattern.sub(word, text)
    return text


def with_chat_words(text: str) -> str:
    """As `with_field_words`, and the everyday words of answers and refusals too."""
    text = with_field_words(text)
    for pattern, word in _CHAT:
        text = pattern.sub(word, text)
    return text
