"""Start a Parley on loopback for the evaluation and play personas against it."""

from __future__ import annotations

import itertools
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.evaluation.judge import Verdict, judge
from bench.evaluation.lines import CallLine, ChatLine, Line, Target
from bench.evaluation.personas import Persona
from bench.evaluation.responses import ResponseBook
from bench.evaluation.simulator import Player, Transcript
from bot.runner import Supervisor, free_port
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.store import ProfileStore, migrate
from cli.commands.serve import start_stack

TWILIO_TOKEN = "eval-auth-token-0123456789abcdef"
PUBLIC_URL = "https://parley.eval.test"
_callers = itertools.count(1000)


# The shipped hours (booking.yml) over 60 days instead of 14: a split books a meeting for
# most of its 89 booking personas and many of its leads, all within minutes, and 160
# slots ran out; a real calendar fills over weeks.
EVAL_CALENDAR = """\
timezone: Europe/London
days: [mon, tue, wed, thu, fri]
hours: "09:00-17:00"
slot_minutes: 30
notice_hours: 4
days_ahead: 60
title: "Meeting with {company}"
location: "Video call: the link follows from our team"
"""


def eval_settings(data_dir: Path, **overrides: str) -> Settings:
    """A Parley of its own: SQLite in `data_dir`, free loopback ports, the voice channel
    on (signed webhooks only; nothing is ever sent to Twilio), no campaigns."""
    campaigns = data_dir / "no-campaigns"
    campaigns.mkdir(parents=True, exist_ok=True)
    booking = data_dir / "booking.yml"
    booking.write_text(EVAL_CALENDAR, encoding="utf-8")
    environ = {
        "PARLEY_DATA_DIR": str(data_dir),
        "PARLEY_RASA_PORT": str(free_port()),
        "PARLEY_ACTIONS_PORT": str(free_port()),
        "PARLEY_WORKER_PORT": str(free_port()),
        "PARLEY_API_PORT": str(free_port()),
        "PARLEY_STUDIO_PORT": str(free_port()),
        "PARLEY_CAMPAIGNS_DIR": str(campaigns),
        "PARLEY_BOOKING_FILE": str(booking),
        "PARLEY_COMPANY_NAME": "Parley",
        "PARLEY_PRIVACY_URL": "https://parley.eval.test/privacy",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "PARLEY_PUBLIC_URL": PUBLIC_URL,
        # Nothing leaves loopback: a closed local port stands in for Twilio's REST API.
        "TWILIO_API_BASE_URL": f"http://127.0.0.1:{free_port()}",
        **overrides,
    }
    return load_settings(environ=environ, dotenv=data_dir / "no.env")


@dataclass
class Running:
    target: Target
    store: ProfileStore
    supervisor: Supervisor

    def stop(self) -> None:
        self.supervisor.stop()
        self.store.dispose()


@contextmanager
def running_parley(data_dir: Path, model: Path, **overrides: str) -> Iterator[Running]:
    settings = eval_settings(data_dir, **overrides)
    migrate.upgrade(settings.database_url)
    supervisor = Supervisor(data_dir / "logs", PROJECT_ROOT, say=lambda _: None)
    try:
        start_stack(supervisor, settings, model)
        running = Running(
            Target(settings), ProfileStore.from_url(settings.database_url), supervisor
        )
    except BaseException:
        supervisor.stop()
        raise
    try:
        yield running
    finally:
        running.stop()


def line_for(persona: Persona, target: Target, book: ResponseBook) -> Line:
    if persona.channel == "voice":
        return CallLine(target, book, caller=caller_for(persona))
    return ChatLine(target, book)


def caller_for(persona: Persona) -> str:
    """The number a caller rings from: the phone they give, when they give one (people
    call from the mobile they would give, and a caller ID in their own country is how the
    bot reads "oh eight seven..."), else a North American test number."""
    return persona.expect.get("phone") or f"+1415555{next(_callers) % 10000:04d}"


def play(persona: Persona, running: Running, book: ResponseBook) -> tuple[Transcript, Verdict]:
    line = line_for(persona, running.target, book)
    transcript = Player(persona, line).play()
    hang_up = getattr(line, "hang_up", None)
    if callable(hang_up):
        try:
            hang_up()
        except httpx.HTTPError as error:
            # The call's end is Twilio's status callback, after the conversation: a slow
            # or failed one is reported, and the conversation is still judged (one timed
            # out after 30 s in a full run and took the other 1,100 conversations with it).
            print(f"hang-up of {persona.id} failed: {error!r}", file=sys.stderr, flush=True)
    return transcript, judge(transcript, running.store)


def play_all(
    personas: Sequence[Persona],
    running: Running,
    workers: int = 3,
    on_done: Callable[[Transcript, Verdict], None] | None = None,
) -> list[Verdict]:
    """Every persona once, `workers` conversations at a time; verdicts in persona order."""
    book = ResponseBook.load()

    def one(persona: Persona) -> Verdict:
        transcript, verdict = play(persona, running, book)
        if on_done is not None:
            on_done(transcript, verdict)
        return verdict

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, personas))


def sample(personas: Sequence[Persona], size: int, seed: int = 18) -> list[Persona]:
    """A fixed sample: the same personas every run unless the files change."""
    if size >= len(personas):
        return list(personas)
    return sorted(random.Random(seed).sample(list(personas), size), key=lambda p: p.id)
