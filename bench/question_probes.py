"""Single questions at four moments of a conversation, played against a real Parley: a
quick check that questions in people's own words get their answer and that the form then
goes on.

Each probe in `bench/questions/<split>-*.yml` is one question a visitor or caller puts to
the bot, with the topic a careful person would say it is about and the moment it is
asked (bench/questions/README.md):

- `start`: as the conversation's first message: the reply must carry the topic's answer.
- `name`, `email`, `budget`: instead of answering that question of the lead or the
  qualifying form, the rest of it answered plainly: the question must be answered, and the
  conversation must still end with the lead confirmed and every detail stored right (the
  question stored as nobody's name is a wrong value).
- `done`: after the lead was confirmed: the reply must carry the answer, not the form
  again and not the fallback.

The `test` split is kept like the persona test split: whoever edits the classifier, the
readers or the training data does not open it (`--split test` prints no questions).

    .venv/bin/python bench/question_probes.py --split dev [--show] [--model PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import count
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.evaluation.judge import judge  # noqa: E402
from bench.evaluation.personas import TOPICS, Ask, Persona  # noqa: E402
from bench.evaluation.responses import BotMessage, ResponseBook  # noqa: E402
from bench.evaluation.run import Running, line_for, running_parley  # noqa: E402
from bench.evaluation.run import play as play_persona  # noqa: E402
from bench.evaluation.simulator import TOPIC_ANSWERS, Player  # noqa: E402
from bench.evaluation.spoken import as_caller  # noqa: E402
from bot import rasa_model  # noqa: E402

QUESTIONS = ROOT / "bench" / "questions"
MOMENTS = ("start", "name", "email", "budget", "done")
# The form question asked just before the moment's own: an `asks` entry goes after it.
_AFTER = {"email": "name", "budget": "authority"}
_numbers = count(100)


@dataclass(frozen=True)
class QuestionProbe:
    at: str
    channel: str
    say: str
    topic: str
    author: str


@dataclass(frozen=True)
class Played:
    probe: QuestionProbe
    answered: bool
    resumed: bool
    replies: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def right(self) -> bool:
        return self.answered and self.resumed


class QuestionProbeError(ValueError):
    """A question probe file that does not follow bench/questions/README.md."""


def load(split: str, root: Path = QUESTIONS) -> list[QuestionProbe]:
    probes: list[QuestionProbe] = []
    for path in sorted(root.glob(f"{split}-*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        author = path.stem.split("-", 1)[1]
        for number, item in enumerate(document.get("questions") or []):
            where = f"{path.name} question {number + 1}"
            if not isinstance(item, dict) or not str(item.get("say") or "").strip():
                raise QuestionProbeError(f"{where}: needs `say`")
            probe = QuestionProbe(
                at=str(item.get("at") or "start"),
                channel=str(item.get("channel") or "chat"),
                say=str(item["say"]),
                topic=str(item.get("topic") or ""),
                author=author,
            )
            if probe.at not in MOMENTS:
                raise QuestionProbeError(f"{where}: `at` is one of {', '.join(MOMENTS)}")
            if probe.channel not in ("chat", "voice"):
                raise QuestionProbeError(f"{where}: channel is chat or voice")
            if probe.topic not in TOPICS:
                raise QuestionProbeError(f"{where}: unknown topic {probe.topic!r}")
            probes.append(probe)
    return probes


def plain_person(number: int, channel: str) -> Persona:
    """Someone who wants a demo and answers every question of the forms plainly: what is
    left to judge is the one question put in the middle."""
    email = f"dana.whitfield{number}@copperleafdesign.com"
    digits = f"{number % 10000:04d}"
    persona = Persona(
        id=f"question-probe-{number}",
        split="dev",
        author="question-probes",
        channel="chat",
        goal="lead",
        opener="Hi, I'd like to book a demo please.",
        says={
            "name": ("Dana Whitfield",),
            "email": (email,),
            "phone": (f"+1 415 555 {digits}",),
            "company": ("Copperleaf Design",),
            "role": ("I'm the operations manager",),
            "need": ("we want to answer website enquiries faster",),
            "company_size": ("about 25 people",),
            "authority": ("yes, it's my decision",),
            "budget": ("around 5,000 dollars a year",),
            "timeline": ("within the next month",),
            "consent": ("yes, that's fine",),
            "summary": ("yes, that's all correct",),
            "offer": ("book a time please",),
            "meeting": ("the first one works",),
            "other": ("sorry, could you say that again?",),
        },
        asks=(),
        mistakes=(),
        closing=(),
        expect={
            "name": "Dana Whitfield",
            "email": email,
            "phone": f"+1415555{digits}",
            "company": "Copperleaf Design",
            "company_size": "11-50",
            "authority": "decides",
            "budget": "1k_10k",
            "timeline": "now",
        },
        consent={"email": "yes", "sms": "yes"},
    )
    return as_caller(persona) if channel == "voice" else persona


def play(probe: QuestionProbe, running: Running, book: ResponseBook) -> Played:
    number = next(_numbers)
    person = plain_person(number, probe.channel)
    wanted = TOPIC_ANSWERS[probe.topic]
    if probe.at == "start":
        line = line_for(person, running.target, book)
        heard = line.start(probe.say)
        _hang_up(line)
        answered = bool(wanted & _names(heard))
        return Played(probe, answered, True, _texts(heard), ())
    if probe.at == "done":
        line = line_for(person, running.target, book)
        transcript = Player(person, line).play()
        verdict = judge(transcript, running.store)
        heard = [] if line.ended else line.send(probe.say)
        _hang_up(line)
        answered = bool(wanted & _names(heard))
        return Played(probe, answered, verdict.success, _texts(heard), tuple(verdict.reasons))
    ask = Ask(probe.say, probe.topic, at_start=probe.at == "name", after=_AFTER.get(probe.at))
    transcript, verdict = play_persona(replace(person, asks=(ask,)), running, book)
    asked_at = next((i for i, t in enumerate(transcript.turns) if t.said == probe.say), None)
    replies = transcript.turns[asked_at].texts if asked_at is not None else []
    reasons = [r for r in verdict.reasons if "not answered" not in r]
    answered = transcript.questions_asked == 1 and transcript.questions_answered == 1
    return Played(probe, answered, not reasons, tuple(replies), tuple(reasons))


def _names(heard: Sequence[BotMessage]) -> set[str]:
    return {name for message in heard for name in message.names}


def _texts(heard: Sequence[BotMessage]) -> tuple[str, ...]:
    return tuple(message.text for message in heard)


def _hang_up(line: object) -> None:
    hang_up = getattr(line, "hang_up", None)
    if callable(hang_up):
        hang_up()


def play_all(probes: Sequence[QuestionProbe], running: Running, workers: int) -> list[Played]:
    book = ResponseBook.load()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda p: play(p, running, book), probes))


def report(played: Sequence[Played]) -> dict[str, Any]:
    def counts(items: Sequence[Played]) -> dict[str, int]:
        return {
            "questions": len(items),
            "answered": sum(p.answered for p in items),
            "resumed": sum(p.resumed for p in items),
            "right": sum(p.right for p in items),
        }

    by: dict[str, dict[str, dict[str, int]]] = {"at": {}, "topic": {}, "channel": {}}
    for key in by:
        groups = sorted({getattr(p.probe, key) for p in played})
        by[key] = {g: counts([p for p in played if getattr(p.probe, key) == g]) for g in groups}
    return {**counts(played), **{f"by_{k}": v for k, v in by.items()}}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("--model", type=Path, help="default: the model for the current inputs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--at", choices=MOMENTS, help="only the questions asked at this moment")
    parser.add_argument("--show", action="store_true", help="dev: print each one not right")
    parser.add_argument("--json", type=Path, help="write the counts here")
    args = parser.parse_args(argv)
    probes = [p for p in load(args.split) if args.at in (None, p.at)]
    model = args.model or rasa_model.train(ROOT)
    with (
        tempfile.TemporaryDirectory(prefix="parley-questions-") as workdir,
        running_parley(Path(workdir), model) as running,
    ):
        played = play_all(probes, running, args.workers)
    if args.show and args.split == "dev":
        for p in played:
            if not p.right:
                what = "not answered" if not p.answered else "; ".join(p.reasons)
                print(f"- [{p.probe.at} {p.probe.channel} {p.probe.topic}] {p.probe.say!r}: {what}")
                for text in p.replies:
                    print("      < " + text.replace("\n", " / ")[:200])
    result = report(played)
    print(
        f"{args.split}: {result['right']} of {result['questions']} right "
        f"(answered {result['answered']}, form resumed {result['resumed']})"
    )
    for key in ("at", "topic", "channel"):
        line = ", ".join(
            f"{g} {c['right']}/{c['questions']}" for g, c in result[f"by_{key}"].items()
        )
        print(f"  by {key}: {line}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
