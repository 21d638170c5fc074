"""Qualifying questions a marketer adds in qualification.yml: their options, and reading
which option a free-text answer means.

A custom question is content, not training data: its answer is found by similarity to
the option's phrasings (words weighed by how rare they are among the question's
phrasings, plus letter triples so a typo still lands), so a question added in the studio
is live at the next publish without retraining. A wrong stored answer is worse than
none: an option is chosen only with a clear score and a clear lead over the next one.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.protected import PROTECTED_WORDS
from bot.types import CUSTOM_OPTION_ID, CUSTOM_QUESTION_ID, LEAD_FIELDS, QUALIFICATION_VALUES

MAX_TEXT = 300
MAX_LABEL = 40
MAX_PHRASING = 120
MAX_OPTIONS = 8
MAX_PHRASINGS = 30
# Channels where the question is heard, not read: the voice wording is used there.
VOICE_CHANNELS = ("voice",)
# Ids a custom question must not take: the built-in questions and the lead's own fields.
RESERVED_IDS = frozenset({*QUALIFICATION_VALUES, *LEAD_FIELDS, "custom", "skipped"})
# Chosen on tests/unit/test_custom_questions.py's paraphrases and negatives: a paraphrase
# sharing the option's rare word clears it, a word shared with every option does not.
THRESHOLD = 0.5
MARGIN = 0.12
_WORD_WEIGHT = 0.7
_QUERY_SHARE = 0.6


# Little words that say nothing about which option is meant. "no", "not", "none", "yes"
# stay: they are often the whole difference between two options.
def _listed(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _listed(
    """a an the and or but so of to in on at by for from with about as is are was were be
    been am do does did have has had i me my we us our you your it its it's this that these
    those there here what which who how just also please well um uh er hmm like really
    probably maybe guess think say said would i'm im we're were we've ive i've use using
    currently mostly mainly pretty quite very kind sort oh ok okay sure thanks right now
    one please tbh honestly all these days at moment"""
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# "Not sure", "skip", "rather not say": no answer, and the question is not asked again.
_DECLINES = re.compile(
    r"\b(?:not sure|unsure|no idea|don'?t know|dont know|dunno|idk|can'?t say|rather not|"
    r"prefer not|no comment|skip|pass|next question|none of your business|not telling)\b",
    re.I,
)


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    phrasings: tuple[str, ...]
    # What a caller hears and says for it, when the label is written for the eye.
    voice: str = ""

    def title_for(self, channel: str) -> str:
        return self.voice if channel in VOICE_CHANNELS and self.voice else self.label


@dataclass(frozen=True)
class CustomQuestion:
    id: str
    text: str
    options: tuple[Option, ...]
    voice: str = ""
    # The second asking, in other words (the first did not land); "" for the default.
    again: str = ""

    def text_for(self, channel: str) -> str:
        return self.voice if channel in VOICE_CHANNELS and self.voice else self.text

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    def to_yaml(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "text": self.text}
        if self.voice:
            data["voice"] = self.voice
        if self.again:
            data["again"] = self.again
        data["options"] = [_option_yaml(o) for o in self.options]
        return data


def _option_yaml(option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {"id": option.id, "label": option.label}
    if option.voice:
        data["voice"] = option.voice
    data["phrasings"] = list(option.phrasings)
    return data


@dataclass(frozen=True)
class Problem:
    field: str  # "id", "text", "voice", "again", "options", "options.<n>.<part>"
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


# ------------------------------------------------------------------ reading the config


def _text(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def parse_question(item: Mapping[str, Any]) -> tuple[CustomQuestion | None, list[Problem]]:
    """A custom question from its YAML mapping (without `skip_when`, which the config
    checks against the other questions), or the problems with it, by field."""
    problems: list[Problem] = []
    question_id = _text(item.get("id"))
    if not CUSTOM_QUESTION_ID.match(question_id):
        problems.append(
            Problem("id", "1-16 lower-case letters, digits and _ (starting with a letter)")
        )
    elif question_id in RESERVED_IDS:
        problems.append(Problem("id", f"{question_id!r} is a built-in question or lead field"))
    for name in ("text", "voice", "again"):
        value = _text(item.get(name))
        if name == "text" and not value:
            problems.append(Problem("text", "the question is empty"))
        elif len(value) > MAX_TEXT:
            problems.append(Problem(name, f"at most {MAX_TEXT} characters"))
    options = _options(item.get("options"), problems)
    problems += _protected(item)
    if problems:
        return None, problems
    question = CustomQuestion(
        question_id,
        _text(item.get("text")),
        tuple(options),
        voice=_text(item.get("voice")),
        again=_text(item.get("again")),
    )
    return question, []


def _protected(item: Mapping[str, Any]) -> list[Problem]:
    """A question about age, gender, religion, ...: its answers could sort people by it,
    and the rubric and the routing would follow."""
    said = [_text(item.get(name)) for name in ("id", "text", "voice", "again")]
    options = item.get("options")
    for option in options if isinstance(options, list) else []:
        if isinstance(option, dict):
            said += [_text(option.get(k)) for k in ("id", "label", "voice")]
            said += [_text(p) for p in option.get("phrasings") or [] if isinstance(p, str)]
    found = next(
        (m for text in said if (m := PROTECTED_WORDS.search(text.replace("_", " ")))), None
    )
    if found is None:
        return []
    reason = (
        f"{found.group(0)!r} is a protected attribute; a qualifying question must not ask about it"
    )
    return [Problem("text", reason)]


def _options(raw: object, problems: list[Problem]) -> list[Option]:
    if not isinstance(raw, list) or len(raw) < 2:
        problems.append(Problem("options", "give at least two answer options"))
        return []
    if len(raw) > MAX_OPTIONS:
        problems.append(Problem("options", f"at most {MAX_OPTIONS} options"))
    options = [o for i, item in enumerate(raw, 1) if (o := _option(i, item, problems))]
    _refuse_repeats(options, problems)
    return options


def _option(number: int, item: object, problems: list[Problem]) -> Option | None:
    where = f"options.{number}"
    if not isinstance(item, dict):
        problems.append(Problem(where, "each option needs an id, a label and phrasings"))
        return None
    before = len(problems)
    option_id = _text(item.get("id"))
    if not CUSTOM_OPTION_ID.match(option_id):
        problems.append(Problem(f"{where}.id", "1-32 lower-case letters, digits and _ (no spaces)"))
    label = _text(item.get("label"))
    if not label or len(label) > MAX_LABEL:
        problems.append(Problem(f"{where}.label", f"a button title of 1-{MAX_LABEL} characters"))
    voice = _text(item.get("voice"))
    if len(voice) > MAX_LABEL:
        problems.append(Problem(f"{where}.voice", f"at most {MAX_LABEL} characters"))
    raw = item.get("phrasings")
    listed = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    phrasings = tuple(dict.fromkeys(p for p in (_text(x) for x in listed) if p))
    if not phrasings:
        problems.append(Problem(f"{where}.phrasings", "give at least one way people say it"))
    elif len(phrasings) > MAX_PHRASINGS or any(len(p) > MAX_PHRASING for p in phrasings):
        problems.append(
            Problem(
                f"{where}.phrasings",
                f"at most {MAX_PHRASINGS} phrasings of {MAX_PHRASING} characters each",
            )
        )
    elif not all(content_words(p) for p in phrasings):
        problems.append(
            Problem(f"{where}.phrasings", "a phrasing of only little words can match anything")
        )
    if len(problems) > before:
        return None
    return Option(option_id, label, phrasings, voice)


def _refuse_repeats(options: Sequence[Option], problems: list[Problem]) -> None:
    """Two options with one id, one button title or one phrasing can't be told apart."""
    seen: dict[str, int] = {}
    for number, option in enumerate(options, 1):
        keys = {
            ("id", option.id),
            ("label", option.label.lower()),
            *(("phrasings", _plain(p)) for p in option.phrasings),
        }
        for part, key in sorted(keys):
            other = seen.setdefault(f"{part}:{key}", number)
            if other != number:
                problems.append(
                    Problem(f"options.{number}.{part}", f"{key!r} is also option {other}'s")
                )


# ------------------------------------------------------------------ reading answers


def _stem(word: str) -> str:
    word = word.replace("'", "")
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str) -> list[str]:
    words = (_NEGATION if w.endswith("n't") else w for w in _WORD.findall(text.lower()))
    return [_stem(w) for w in words if w not in _STOPWORDS]


# "Don't", "haven't", "isn't": one word for the difference they make.
_NEGATION = "not"
# A word is taken for a typo of a word the options use when it is this close to it.
_TYPO_CUTOFF = 0.8


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _grams(words: Sequence[str]) -> dict[str, float]:
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return {gram: 1.0 for gram in grams}


def _overlap(query: Mapping[str, float], document: Mapping[str, float]) -> float:
    """Mostly how much of the answer the phrasing covers, partly the other way round."""
    if not query or not document:
        return 0.0
    shared = sum(query[key] ** 2 for key in query.keys() & document.keys())
    of_query = shared / sum(v * v for v in query.values())
    of_document = shared / sum(v * v for v in document.values())
    return _QUERY_SHARE * of_query + (1 - _QUERY_SHARE) * of_document


@dataclass(frozen=True)
class Reading:
    """What an answer to a custom question says: an option, a refusal, or neither."""

    option: str | None
    declined: bool = False
    score: float = 0.0


@dataclass(frozen=True)
class _Document:
    option: str
    words: Mapping[str, float]
    grams: Mapping[str, float]


@dataclass
class Matcher:
    """A question's options indexed for reading answers."""

    question: CustomQuestion
    _idf: dict[str, float] = field(init=False)
    _asked: set[str] = field(init=False)
    _documents: list[_Document] = field(init=False)

    def __post_init__(self) -> None:
        # The question's own words ("CRM" in "which CRM do you use?") say nothing about
        # which answer is meant: an answer made of them alone is no answer.
        asked = set(content_words(f"{self.question.text} {self.question.voice}"))
        texts = [
            (o.id, text)
            for o in self.question.options
            for text in (o.label, o.voice, *o.phrasings)
            if text
        ]
        documents = [(option, self._answer_words(text, asked)) for option, text in texts]
        frequency: Counter[str] = Counter()
        for _, words in documents:
            frequency.update(set(words))
        total = len(documents)
        self._asked = asked
        self._idf = {w: math.log((1 + total) / (1 + n)) + 1.0 for w, n in frequency.items()}
        self._documents = [
            _Document(option, self._weigh(words), _grams(words))
            for option, words in documents
            if words
        ]

    @staticmethod
    def _answer_words(text: str, asked: set[str]) -> list[str]:
        words = content_words(text)
        # "No CRM": "no" tells it apart. A phrasing made only of the question's words keeps them.
        return [w for w in words if w not in asked] or words

    def _query_words(self, text: str) -> list[str]:
        """The answer's words, each unknown one read as the option word it is a typo of."""
        words = []
        for word in content_words(text):
            if word in self._asked:
                continue
            if word not in self._idf and len(word) >= 4:
                close = difflib.get_close_matches(word, self._idf, n=1, cutoff=_TYPO_CUTOFF)
                word = close[0] if close else word
            words.append(word)
        return words

    def _weigh(self, words: Sequence[str]) -> dict[str, float]:
        # A word no option has weighs little: it says nothing about which one is meant.
        return {w: self._idf.get(w, 0.5) for w in set(words)}

    def scores(self, text: str) -> list[tuple[float, str]]:
        """Each option's similarity to `text` (its best phrasing), best first."""
        words = self._query_words(text)
        if not words:
            return []
        weighed, grams = self._weigh(words), _grams(words)
        best: dict[str, float] = {}
        for document in self._documents:
            score = _WORD_WEIGHT * _overlap(weighed, document.words) + (
                1 - _WORD_WEIGHT
            ) * _overlap(grams, document.grams)
            best[document.option] = max(best.get(document.option, 0.0), score)
        return sorted(((s, o) for o, s in best.items()), reverse=True)

    def read(self, text: str, intent: str | None = None) -> Reading:
        exact = self._exact(text)
        if exact is not None:
            return Reading(exact, score=1.0)
        if _DECLINES.search(text) or intent == "skip":
            return Reading(None, declined=True)
        ranked = self.scores(text)
        if ranked:
            score, option = ranked[0]
            runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
            if score >= THRESHOLD and score - runner_up >= MARGIN:
                return Reading(option, score=round(score, 3))
        return Reading(None, score=round(ranked[0][0], 3) if ranked else 0.0)

    def _exact(self, text: str) -> str | None:
        """The option's id, button title or one of its phrasings, said as it is."""
        said = _plain(text)
        if not said:
            return None
        for option in self.question.options:
            if said in {option.id, _plain(option.label), _plain(option.voice)} | {
                _plain(p) for p in option.phrasings
            } - {""}:
                return option.id
        return None


def read_custom_answer(question: CustomQuestion, text: str, intent: str | None = None) -> Reading:
    return Matcher(question).read(text, intent)
