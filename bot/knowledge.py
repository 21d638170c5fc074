"""Answers to common questions (knowledge.yml): a list marketers edit in the studio, each
entry several phrasings of one question and its answer, with optional channel variants.

The bot finds the entry a message asks about by similarity to the phrasings (words
weighed by how rare they are among all phrasings, plus letter triples so a typo still
lands), not by a trained intent: an edited list is live at the next publish without
retraining. A wrong answer is worse than none, so a match needs a clear score and a
clear lead over the next entry; below that the message is left to the rest of the bot.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ParleyError
from bot.watched_file import WatchedFile

# Channel variants an entry may carry; WhatsApp falls back to the SMS one (both are texts).
VARIANT_CHANNELS = ("web", "telegram", "sms", "whatsapp", "voice")
_FALLBACK_VARIANT = {"whatsapp": "sms", "rest": "web", "shell": "web"}
MAX_ANSWER = 1000
MAX_QUESTION = 300
MAX_ENTRIES = 500
ENTRY_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
# Chosen on the dev personas' 5,400 messages (bench/personas/dev): at it, no question
# there matched an entry it does not ask about, once requests about the person are left
# out (actions/knowledge.py); tests/unit/test_knowledge.py has paraphrases that clear it.
THRESHOLD = 0.45
# For a question nothing else in the bot understood (the fallback, out of scope): the
# alternative there is "sorry, I can't help with that".
LOOSE_THRESHOLD = 0.40
MARGIN = 0.08
_WORD_WEIGHT = 0.65
QUERY_SHARE = 0.6
ANSWER_WEIGHT = 0.7


def _words(text: str) -> list[str]:
    return text.split()


_STOPWORDS = frozenset(
    _words(
        """a an the and or but if so of to in on at by for from with about into as is are was
    were be been being am do does did doing have has had having i me my we us our you your
    it its it's this that these those there here what which who whom how when where why
    can could will would should may might must shall any some all just also please tell
    know let like want wanted need get got im i'm ive i've id i'd you're youre there's
    theres what's whats how's hows does anyone much many really guys hi hello hey thanks
    thank quick question wondering wonder curious one yes no yeah ok okay sure bot"""
    )
)
# Words that name one thing of a kind a question may ask about in general ("do you speak
# german?" asks which languages): each also counts as the kind.
_KINDS = {
    "language": _words(
        """english spanish french german portuguese italian dutch polish arabic
    chinese mandarin cantonese japanese korean hindi russian turkish swedish tagalog
    vietnamese hebrew greek multilingual"""
    ),
    "license": ["licence", "licensing", "licenced", "licensed"],
    "mobile": ["android", "iphone", "ipad", "tablet", "smartphone"],
}
_KIND_OF = {word: kind for kind, words in _KINDS.items() for word in words}
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


class KnowledgeError(ParleyError):
    """knowledge.yml (or an import) is not a valid list; `problems` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    entry: int | None  # 0-based position in the list, None for the file as a whole
    field: str  # "id", "questions", "answer", "channels.<name>" or "" for the file
    message: str

    @property
    def where(self) -> str:
        """`entry 2 questions`, `entry 3`, or "" for the file as a whole."""
        entry = "" if self.entry is None else f"entry {self.entry + 1}"
        return f"{entry} {self.field}".strip()

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class Entry:
    id: str
    questions: tuple[str, ...]
    answer: str
    variants: Mapping[str, str] = field(default_factory=dict)

    def answer_for(self, channel: str) -> str:
        """The channel's own answer if the entry has one, else the general answer."""
        variant = self.variants.get(channel) or self.variants.get(
            _FALLBACK_VARIANT.get(channel, "")
        )
        return variant or self.answer

    def to_yaml(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "questions": list(self.questions),
            "answer": self.answer,
        }
        if self.variants:
            data["channels"] = dict(self.variants)
        return data


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float
    runner_up: float


def _stem(word: str) -> str:
    word = word.replace("'", "")
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str) -> list[str]:
    words: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word in _STOPWORDS:
            continue
        words.append(_stem(word))
        if word in _KIND_OF:
            words.append(_KIND_OF[word])
    return words


def _trigrams(words: Sequence[str]) -> Counter[str]:
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def _overlap(query: Mapping[str, float], document: Mapping[str, float]) -> float:
    """How much of the query the document covers, mostly, and of the document the query:
    a short question naming the one rare word of a long phrasing still scores."""
    if not query or not document:
        return 0.0
    shared = sum(query[key] ** 2 for key in query.keys() & document.keys())
    of_query = shared / sum(v * v for v in query.values())
    of_document = shared / sum(v * v for v in document.values())
    return QUERY_SHARE * of_query + (1 - QUERY_SHARE) * of_document


@dataclass(frozen=True)
class _Phrasing:
    entry: int
    weight: float
    words: Mapping[str, float]
    grams: Mapping[str, float]


class Knowledge:
    """The list, indexed for finding which entry a message asks about."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = tuple(entries)
        # Each phrasing is a document, and so is the answer (weighed less): the answer's
        # words are the marketer's own vocabulary for the topic ("SMS" in an answer about
        # channels finds "does it do sms" that no phrasing spelt).
        documents = [
            (index, 1.0, content_words(question))
            for index, entry in enumerate(self.entries)
            for question in entry.questions
        ] + [
            (index, ANSWER_WEIGHT, content_words(e.answer)) for index, e in enumerate(self.entries)
        ]
        frequency: Counter[str] = Counter()
        for _, _, words in documents:
            frequency.update(set(words))
        total = max(1, len(documents))
        self._idf = {w: math.log((1 + total) / (1 + n)) + 1.0 for w, n in frequency.items()}
        self._unknown_idf = math.log(1 + total) + 1.0
        self._phrasings = [
            _Phrasing(index, weight, self._weigh(words), self._grams(words))
            for index, weight, words in documents
        ]

    def __len__(self) -> int:
        return len(self.entries)

    def _weigh(self, words: Sequence[str]) -> dict[str, float]:
        return {w: self._idf.get(w, self._unknown_idf) for w in set(words)}

    @staticmethod
    def _grams(words: Sequence[str]) -> dict[str, float]:
        return {gram: 1.0 for gram in _trigrams(words)}

    def scores(self, text: str) -> list[tuple[float, Entry]]:
        """Each entry's similarity to `text` (its best phrasing), best first."""
        words = content_words(text)
        if not words:
            return []
        weighed, grams = self._weigh(words), self._grams(words)
        best: dict[int, float] = {}
        for phrasing in self._phrasings:
            if phrasing.weight < 1.0 and len(weighed.keys() & phrasing.words.keys()) < 2:
                continue  # an answer's one word in common ("today") is no evidence
            score = phrasing.weight * (
                _WORD_WEIGHT * _overlap(weighed, phrasing.words)
                + (1 - _WORD_WEIGHT) * _overlap(grams, phrasing.grams)
            )
            if score > best.get(phrasing.entry, 0.0):
                best[phrasing.entry] = score
        ranked = sorted(best.items(), key=lambda item: -item[1])
        return [(score, self.entries[index]) for index, score in ranked]

    def match(self, text: str, threshold: float = THRESHOLD) -> Match | None:
        """The entry `text` clearly asks about, or None."""
        ranked = self.scores(text)
        if not ranked:
            return None
        score, entry = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if score < threshold or score - runner_up < MARGIN:
            return None
        return Match(entry, round(score, 3), round(runner_up, 3))


EMPTY = Knowledge(())


# ------------------------------------------------------------------ reading and writing


def _text(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def entries_from_data(data: object) -> list[Entry]:
    """Validate parsed YAML (a mapping with `answers:`, or the bare list)."""
    if data is None:
        return []
    items = data.get("answers") if isinstance(data, dict) else data
    if items is None:
        return []
    if not isinstance(items, list):
        raise KnowledgeError([Problem(None, "", "`answers` must be a list of entries")])
    problems: list[Problem] = []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    if len(items) > MAX_ENTRIES:
        problems.append(Problem(None, "", f"at most {MAX_ENTRIES} entries"))
    for index, item in enumerate(items):
        named = _text(item.get("id")) if isinstance(item, dict) else ""
        if named and named in seen:
            problems.append(Problem(index, "id", f"{named!r} is already entry {seen[named] + 1}"))
        elif named:
            seen[named] = index
        found = _entry(index, item, problems)
        if found is not None:
            entries.append(found)
    if problems:
        raise KnowledgeError(problems)
    return entries


def _entry(index: int, item: object, problems: list[Problem]) -> Entry | None:
    if not isinstance(item, dict):
        problems.append(Problem(index, "", "each entry needs an id, questions and an answer"))
        return None
    before = len(problems)
    entry_id = _text(item.get("id"))
    if not ENTRY_ID.match(entry_id):
        problems.append(
            Problem(index, "id", "lower-case letters, digits and _ (starting with a letter)")
        )
    raw_questions = item.get("questions")
    if isinstance(raw_questions, str):
        raw_questions = [raw_questions]
    questions = [q for q in (_text(x) for x in raw_questions or []) if q]
    if len(questions) < 2:
        problems.append(
            Problem(index, "questions", "give at least two ways people ask this question")
        )
    elif any(len(q) > MAX_QUESTION for q in questions):
        problems.append(Problem(index, "questions", f"each at most {MAX_QUESTION} characters"))
    elif not all(content_words(q) for q in questions):
        problems.append(
            Problem(index, "questions", "a phrasing made only of little words can match anything")
        )
    answer = str(item.get("answer") or "").strip()
    if not answer:
        problems.append(Problem(index, "answer", "the answer is empty"))
    elif len(answer) > MAX_ANSWER:
        problems.append(Problem(index, "answer", f"at most {MAX_ANSWER} characters"))
    variants: dict[str, str] = {}
    channels = item.get("channels") or {}
    if not isinstance(channels, dict):
        problems.append(Problem(index, "channels", "a mapping of channel to answer"))
        channels = {}
    for channel, text in channels.items():
        if channel not in VARIANT_CHANNELS:
            problems.append(
                Problem(
                    index,
                    f"channels.{channel}",
                    f"unknown channel; use one of {', '.join(VARIANT_CHANNELS)}",
                )
            )
        elif str(text or "").strip():
            if len(str(text)) > MAX_ANSWER:
                problems.append(
                    Problem(index, f"channels.{channel}", f"at most {MAX_ANSWER} characters")
                )
            variants[str(channel)] = str(text).strip()
    if len(problems) > before:
        return None
    return Entry(entry_id, tuple(dict.fromkeys(questions)), answer, variants)


def parse(text: str) -> list[Entry]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise KnowledgeError([Problem(None, "", f"not valid YAML: {error}")]) from error
    return entries_from_data(data)


HEADER = (
    "# Answers to common questions: the bot answers them at any point and goes on where it\n"
    "# was. Edit in the studio (Content > Common questions) or here; see README.md.\n"
)


def dump(entries: Iterable[Entry]) -> str:
    body = yaml.safe_dump(
        {"version": 1, "answers": [e.to_yaml() for e in entries]},
        sort_keys=False,
        allow_unicode=True,
        width=4096,  # never wrapped: the studio's round-trip editor keeps lines as they are
    )
    return HEADER + body


def load(path: Path) -> Knowledge:
    """The list in `path`; a missing file is an empty list."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return EMPTY
    return Knowledge(parse(text))


class KnowledgeFile(WatchedFile[Knowledge]):
    """The list in a file, read again when the file changes (a publish rewrites it)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, load, EMPTY)


# ------------------------------------------------------------------ imports


def _slug(text: str, taken: set[str]) -> str:
    base = "_".join(content_words(text)[:5]) or "question"
    base = re.sub(r"[^a-z0-9_]", "", base)
    base = base if base[:1].isalpha() else f"q_{base}"
    base = base[:50]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def from_csv(text: str, existing: Iterable[str] = ()) -> list[Entry]:
    """Rows of `question,answer` (a header row naming them is optional); further
    phrasings in more `question` columns or separated by `|`; an `id` column is kept, and
    a `voice`/`sms`/... column is that channel's answer."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise KnowledgeError([Problem(None, "", "the file has no rows")])
    header = [cell.strip().lower() for cell in rows[0]]
    if "question" in header and "answer" in header:
        names, rows = header, rows[1:]
    else:
        names = ["question", "answer"] + ["question"] * max(0, len(rows[0]) - 2)
    taken = set(existing)
    data: list[dict[str, Any]] = []
    for row in rows:
        item: dict[str, Any] = {"questions": [], "channels": {}}
        for name, cell in zip(names, row, strict=False):
            value = cell.strip()
            if name == "question":
                item["questions"].extend(q.strip() for q in value.split("|") if q.strip())
            elif name == "answer":
                item["answer"] = value
            elif name == "id" and value:
                item["id"] = value
            elif name in VARIANT_CHANNELS and value:
                item["channels"][name] = value
        item.setdefault("id", _slug(" ".join(item["questions"][:1]), taken))
        data.append(item)
    return entries_from_data(data)


_HEADING = re.compile(r"^#{2,3}\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^[-*+]\s+(.+)$")


def from_markdown(text: str, existing: Iterable[str] = ()) -> list[Entry]:
    """`## Question` headings; bullet lines right under a heading are more phrasings, the
    paragraphs after them the answer."""
    taken = set(existing)
    data: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    answer_lines: list[str] = []

    def close() -> None:
        if current is not None:
            current["answer"] = "\n".join(answer_lines).strip()
            data.append(current)

    for line in text.splitlines():
        heading = _HEADING.match(line.strip())
        if heading:
            close()
            question = heading.group(1)
            current = {"id": _slug(question, taken), "questions": [question]}
            answer_lines = []
            continue
        if current is None:
            continue
        bullet = _BULLET.match(line.strip())
        if bullet and not "".join(answer_lines).strip():
            current["questions"].append(bullet.group(1))
        else:
            answer_lines.append(line.rstrip())
    close()
    if not data:
        raise KnowledgeError([Problem(None, "", "no `## question` headings found")])
    return entries_from_data(data)
