"""Rasa's side of one action-server call, four ways (run by hand: `.venv/bin/python bench/action_calls.py`).

Times Rasa's `RemoteAction.run`, in this process, against Parley's real action server
(loopback, SQLite profile store) for `action_help`, which makes no store call, with a
tracker of about the lead script's size: through Rasa's endpoint (a new HTTP session and
connection per call) or the kept-alive one (channels/action_session.py), with the whole
domain in the call or without it (endpoints.yml's selective domain). The rounds run the
four ways in turn, so the machine's load falls on all of them alike; the turn latency
bench (bench/turn_latency.py) is too noisy on a shared machine to see a few ms a call.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_file import write_results  # noqa: E402
from bot.runner import Supervisor  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.stack import action_server  # noqa: E402
from bot.store import upgrade  # noqa: E402

ACTION = "action_help"


def tracker_events(turns: int) -> list[Any]:
    """A conversation like the lead script's: user turns with NLU's parse, the bot's
    answers, slots."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    ranking = [{"name": f"intent_{i}", "confidence": 0.01} for i in range(10)]
    events: list[Any] = []
    for n in range(turns):
        intent = {"name": "inform", "confidence": 0.97}
        parse = {"intent": intent, "entities": [], "intent_ranking": [intent, *ranking],
                 "text": f"my company is Acme {n}", "message_id": f"m{n}"}  # fmt: skip
        events += [
            UserUttered(parse["text"], intent, [], parse, message_id=f"m{n}"),
            SlotSet("lead_company", f"Acme {n}"),
            ActionExecuted("lead_form"),
            BotUttered("And what is your role there?", {"utter_action": "utter_ask_lead_role"}),
            ActionExecuted("action_listen"),
        ]
    return events


async def measure(url: str, secret: str, rounds: int, turns: int) -> dict[str, Any]:
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from channels import action_responses
    from channels.action_session import KeptAliveEndpoint, close_sessions

    action_responses.install()  # as channels/rasa_api.py does: Rasa's own check costs 25 ms
    domain = Domain.load(ROOT / "domain.yml")
    tracker = DialogueStateTracker.from_events("bench-calls", tracker_events(turns), domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    headers = {"Authorization": f"Bearer {secret}"}
    ways: dict[str, EndpointConfig] = {}
    for selective in (False, True):
        plain = EndpointConfig(url=url, headers=headers, enable_selective_domain=selective)
        domain_part = "no domain" if selective else "domain"
        ways[f"new session, {domain_part}"] = plain
        ways[f"kept alive, {domain_part}"] = KeptAliveEndpoint.like(plain)
    sizes = {
        name: len(json.dumps(RemoteAction(ACTION, endpoint)._action_call_format(tracker, domain)))
        for name, endpoint in ways.items()
    }
    timings: dict[str, list[float]] = {name: [] for name in ways}
    for round_ in range(rounds + 5):
        order = list(ways.items())
        order = order[round_ % len(order) :] + order[: round_ % len(order)]
        for name, endpoint in order:
            started = time.perf_counter()
            await RemoteAction(ACTION, endpoint).run(
                CollectingOutputChannel(), nlg, tracker, domain
            )
            if round_ >= 5:  # the first rounds warm both servers up
                timings[name].append((time.perf_counter() - started) * 1000)
    await close_sessions()
    return {
        name: {
            "calls": len(samples),
            "median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(sorted(samples)[int(0.95 * (len(samples) - 1))], 2),
            "body_kb": round(sizes[name] / 1024, 1),
        }
        for name, samples in timings.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300, help="calls per way")
    parser.add_argument("--turns", type=int, default=20, help="turns in the tracker")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Supervisor(Path(tmp) / "logs", ROOT) as supervisor:
        settings = load_settings(environ={"PARLEY_DATA_DIR": tmp}, dotenv=Path(tmp) / "none.env")
        upgrade(settings.database_url)
        supervisor.start(action_server(settings))
        figures = asyncio.run(
            measure(
                f"{settings.actions_url}/webhook",
                settings.actions_secret.value,
                args.rounds,
                args.turns,
            )
        )
    print(f"\n{'way':28} {'calls':>6} {'median ms':>10} {'p95 ms':>8} {'body KB':>8}")
    for name, row in figures.items():
        print(
            f"{name:28} {row['calls']:>6} {row['median_ms']:>10.2f} {row['p95_ms']:>8.2f} "
            f"{row['body_kb']:>8.1f}"
        )
    write_results("action_calls", {"action": ACTION, "turns": args.turns, "ways": figures})


if __name__ == "__main__":
    main()
