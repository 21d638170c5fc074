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

from bot.lead_vocabulary import word_set

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
    "just": r"jus|jst",
    "what": r"wat|wut|wht",
    "does": r"dus|dose|duz",
    "work": r"wurk|werk",
    "questions": r"qwestions|questons|quesions|qestions|qs|qns",
    "question": r"qwestion|queston|quesion|qestion",
    "person": r"persun|persen|prson",
    "talking": r"tawking|torking",
    "real": r"reel|reall",
    "either": r"ether|eather|eiter",
    "please": r"pleez|pleas|plez",
    "actually": r"acshully|akshully|actully|acually|acutally",
    "price": r"pryce|prise",
    "much": r"mutch|mucj|muck(?= (?:is|does|do|would|will|for|per|a)\b)",
    "cost": r"coast(?= (?:per|a|me|us)\b)|kost",
    "how": r"hw|hoe(?= (?:much|many|long|does|do|can|would)\b)",
    "what's": r"wats",
    "asking": r"askin|askng",
    "thanks": r"thanx|thnx|thanxs|tnx|thanku|thankyou|thx|thks|thnks|tq|tqvm|tysm|tyvm",
}
# Words of the qualifying answers ("befor febuary", "its my bisness", "200 a munth"): the
# answer is kept as a band, never as the words, so they may be put right anywhere.
_ANSWER_WORDS = {
    # misspelt, or said in the person's first language ("donc avril", "antes de marzo")
    "january": r"janurary|janaury|jaunary|janury|januray|janvier|enero|januar|janeiro|januari|gennaio",
    "february": r"febuary|feburary|februry|febrary|febraury|feb'ry|février|fevrier|febrero|"
    r"februar|fevereiro|februari|febbraio",
    "march": r"mars|marzo|märz|maerz|março|maart",
    "april": r"avril|abril",
    "may": r"mayo|maio|maggio",
    "june": r"juin|junio|junho|giugno",
    "july": r"juillet|julio|julho|luglio",
    "august": r"agust|augst|août|aout|agosto|augustus",
    "september": r"septmber|septemeber|setpember|septembre|septiembre|setembro|settembre",
    "october": r"ocotber|octobre|octber|octubre|oktober|outubro|ottobre",
    "november": r"novmber|novemeber|novembr|novembre|noviembre|novembro",
    "december": r"decmber|decemeber|desember|décembre|decembre|diciembre|dezember|dezembro|dicembre",
    "month": r"munth|mnth|montth|mounth|monht|mont",
    "months": r"munths|mnths|mounths|monhts",
    "year": r"yeer|yaer",
    "business": r"bisness|buisness|busness|bussiness|buisiness|bizness|busines",
    "definitely": r"defanatly|definatly|definately|defintely|defiantly|definetly|definitly",
    "before": r"befor|bfore|b4",
    "possible": r"posible|possable|possibel",
    "people": r"peple|poeple|ppl|peeps",
    "employees": r"employes|employess|emploees",
    "budget": r"bugdet|budjet|buget|budgit",
    "decide": r"decied|deside|dicide",
    "thousand": r"thousnd|thosand|thousend|thousan",
    "hundred": r"hundrd|hunderd|hundered",
    "around": r"arround|aroun",
    "about": r"abt|abut",
    "than": r"then(?= (?:that|this|\d))",
    # a month, a year in the person's first language: "RM 1,500 sebulan", "EUR 200 al mes"
    "a month": r"sebulan|per bulan|al mes|por mes|por mês|pro monat|im monat|par mois|per maand",
    "a year": r"setahun|per tahun|al año|por año|por ano|pro jahr|im jahr|par an|per jaar",
}
# Words before "period" that make it a period of time: "a trial period", "the busy period".
_A_PERIOD_OF = word_set(
    """trial notice grace billing busy quiet holiday festive this that the a same time peak slow
    contract probation probationary payment free test pilot waiting cooling sales school exam"""
)


def _period(match: re.Match[str]) -> str:
    word = match["word"] or ""
    return match[0] if word in _A_PERIOD_OF else f"{word}."


# Punctuation said out loud to dictation software.
_DICTATED = (
    # Lower case, as dictation writes them: "Comma Press" is a name.
    (re.compile(r"\s*\bfull stop\b"), "."),
    (re.compile(r"\s*\bquestion mark\b"), "?"),
    (re.compile(r"\s*\bexclamation (?:mark|point)\b"), "!"),
    (re.compile(r"\s*\bcomma\b"), ","),
    # "My name is Luis Ortega period": at the end, or before the next sentence.
    (re.compile(r"(?P<word>\b\w+)?\s+period\b(?=\s*$|\s+[A-Z])"), _period),
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
_ANSWER = _compiled(_ANSWER_WORDS)
# An autocorrected "month" after a sum: "$800 a moth"
_A_MOTH = re.compile(r"(?<=\d)(\s*(?:a|per|/|each|every)\s*)moth\b|(?<=\d\s)(a\s+)moth\b", re.I)
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


def with_answer_words(text: str) -> str:
    """For reading a qualifying answer (kept as a band, never as its words): dictated
    punctuation, the misspelt chat words and the misspelt or first-language words of
    dates, sums and counts."""
    text = _A_MOTH.sub(lambda m: f"{m[1] or m[2]}month", with_chat_words(text))
    for pattern, word in _ANSWER:
        text = pattern.sub(word, text)
    text = _BEFORE.sub("before ", text)
    return _BY_POSTPOSITION.sub(r"by \1", text)


# "antes de marzo", "avant avril": before
_BEFORE = re.compile(r"\b(?:antes de|avant|vor dem|voor)\s+", re.I)
# Hindi's "by" after the date: "15/02 tak live chahiye", "march tak"
_BY_POSTPOSITION = re.compile(
    r"(\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?|\b(?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december|diwali|holi|eid|christmas))\s+tak\b",
    re.I,
)


def with_chat_words(text: str) -> str:
    """For reading answers, refusals and questions (never for the values stored):
    dictated punctuation and the misspelt words of both tables, wherever they stand."""
    text = undictated(text)
    for pattern, word in _CHAT:
        text = pattern.sub(word, text)
    return text
