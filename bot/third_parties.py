"""People a visitor speaks for or about: their names and addresses are never taken as the
visitor's own.

"Hi, my manager Mr. Omar Haddad wants to speak with your sales team", then at the name
question "Please note Omar Haddad": the name is the manager's. A PA who gives only her
boss's details gives none of her own, and a wrong detail is worse than a missing one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TITLE = r"(?:mr|mrs|ms|miss|dr|doc|ma'?am|madam|sir|mister|missus|doctor|prof)\.?"
_RELATION = (
    r"(?:boss|manager|director|ceo|cfo|coo|cto|md|owner|husband|wife|partner|colleague|client|"
    r"supervisor|chairman|chairwoman|principal|employer|dad|father|mum|mom|mother|son|daughter|"
    r"brother|sister|founder|president|gm|line manager|managing director|team lead)"
)
# A name as typed (capitalised words) or, after a title, as a recognizer writes it.
_CAPITALISED = (
    r"[A-Z][\w'’-]+(?:\s+(?:(?:van|de|der|den|al|bin|da|di|le|la|el)\s+)?[A-Z][\w'’-]+){0,2}"
)
_AFTER_TITLE = r"[^\W\d_][\w'’-]+(?:\s+[^\W\d_][\w'’-]+)?"
_INTRODUCED = re.compile(
    rf"\b(?i:(?:my|our)\s+{_RELATION}(?:'s)?,?\s+(?:(?:is|named|called)\s+)?)"
    rf"(?:(?i:{_TITLE})\s+(?P<titled>{_AFTER_TITLE})|(?P<plain>{_CAPITALISED}))|"
    rf"\b(?i:(?:his|her|their) name(?:'s|’s| is)\s+)(?:(?i:{_TITLE})\s+)?(?P<named>{_CAPITALISED}|{_AFTER_TITLE})|"
    rf"\b(?i:(?:it'?s |this is |that'?s )?(?:for|on behalf of|(?:from )?the office of)\s+)"
    rf"(?:(?i:(?:my|our)\s+{_RELATION},?)\s+)?"
    # A company is "for" too ("a chatbot for Green Valley Dental"): a bare name only with a
    # person's pronoun after it ("it's for Richard Hale, he's the one you need").
    rf"(?:(?i:{_TITLE})\s+(?P<for_titled>{_AFTER_TITLE})|(?P<for_plain>{_CAPITALISED})(?=\s*,?\s*(?i:he|she)\b))",
)
# A title alone says nothing of whose name it is: "Kind regards, Dr. Katrin Vogel" signs off.
# Words a recognizer runs on with after a name: "mister rajesh malhotra he wants".
_NOT_A_NAME_WORD = frozenset(
    [
        "he",
        "she",
        "they",
        "wants",
        "want",
        "wanted",
        "is",
        "was",
        "will",
        "would",
        "said",
        "says",
        "asked",
        "has",
        "had",
        "and",
        "or",
        "but",
        "the",
        "a",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "from",
        "with",
        "about",
        "please",
        "who",
        "which",
        "that",
        "decides",
        "decide",
        "signs",
    ]
)


# Whose address or number follows: "his number is ...", "you can reach ma'am carla at ...",
# "my boss's email is ...", "cc my colleague ...". Someone else's is never stored as theirs.
_OTHERS_CONTACT = re.compile(
    r"\b(?:his|her|their|(?!(?:it|that|what|here|there|let|he|she|who|one|name|mine)'s\b)[a-z]+'s|"
    r"(?:my|our) (?:boss|manager|director|ceo|md|husband|wife|partner|colleague|assistant|pa|"
    r"secretary|client|owner|supervisor|dad|mum|mom|father|mother|son|daughter|brother|sister)(?:'s)?)"
    r"\s+(?:\w+\s+)?(?:e-?mail|address|number|phone|mobile|cell|line|whatsapp)\b|"
    r"\b(?:reach|call|contact|e-?mail|ring|text|message|cc|copy)\s+(?:in\s+)?"
    r"(?:him|her|them|(?:ma'?am|sir|mr|mrs|ms|miss|dr|doc)\.?\s+\w+|(?:my|our) \w+)\s+(?:at|on|via|through)\b|"
    r"\bcc\b|\bcopy (?:in )?(?:(?:my|our) \w+|him|her|them)\b",
    re.IGNORECASE,
)


_NAME_OF_SOMEONE_ELSE = re.compile(
    r"^\W*(?:(?:it'?s|it is|this is|that'?s|that is|the (?:demo|meeting|call|request|enquiry) is)\s+)?"
    r"(?:for|on behalf of)\s+(?!me\b|myself\b|us\b|now\b|the moment\b)|"
    r"\b(?:he|she)(?:'s| is) the one\b|\b(?:his|her) name(?:'s| is)\b",
    re.IGNORECASE,
)


def given_as_someone_elses(before: str) -> bool:
    """Whether the words just before an address or number give it as someone else's."""
    clause = re.split(r"[.;!?]\s|,\s*(?:and|but)\b|\b(?:mine|my own)\b", before)[-1]
    return bool(_OTHERS_CONTACT.search(clause))


def names_someone_else(text: str) -> bool:
    """Whether an answer to "what's your name?" gives someone else's ("it's for Richard
    Hale, he's the one you need")."""
    return bool(_NAME_OF_SOMEONE_ELSE.search(text))


def names_of_others(texts: Iterable[str]) -> list[str]:
    """The names of people the visitor mentioned as someone else (boss, client, spouse)."""
    found: list[str] = []
    for text in texts:
        for match in _INTRODUCED.finditer(text):
            said = next(group for group in match.groups() if group)
            words: list[str] = []
            for word in said.split():
                if word.lower() in _NOT_A_NAME_WORD:
                    break
                words.append(word.strip(".,;:!?'’"))
            if words and any(len(word) >= 3 for word in words):
                found.append(" ".join(words))
    return found


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+", name.lower()) if len(w) >= 3}


def is_someone_elses_name(name: str, others: Iterable[str]) -> bool:
    """Whether `name` is (part of) a name said as someone else's: "Omar Haddad" after "my
    manager Mr. Omar Haddad". A shared family name alone is not: "Priya Patel" after "my
    husband Raj Patel" is her own."""
    said = _words(name)
    return bool(said) and any(
        (other := _words(o)) and (said <= other or other <= said) for o in others
    )


def is_someone_elses_address(email: str, others: Iterable[str], own_name: str | None) -> bool:
    """Whether an address is that of someone named as someone else ("richard.hale@..."
    after "it's for Richard Hale") and names nothing of the person's own name."""
    local = email.split("@", 1)[0].lower()
    if own_name and any(word in local for word in _words(own_name)):
        return False
    return any(word in local for other in others for word in _words(other))
