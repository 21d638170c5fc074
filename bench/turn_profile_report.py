"""Per-stage breakdown of Parley turns from the lines bot/turn_profile.py wrote.

Each Rasa "turn" line (the agent handling one message) is a turn; every other line of
the same conversation whose start falls inside it belongs to it, the action server's
included. Figures are per turn: mean milliseconds, calls, sizes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

Line = dict[str, Any]
# Stages as the Rasa server sees them, in the order a turn meets them. The action-server
# calls happen within slot extraction (form validation) and actions; a call's time
# includes its run in the action server, which includes the profile-store calls.
RASA_STAGES = ("tracker_read", "nlu", "extract_slots", "policies", "actions", "tracker_save")
NESTED_STAGES = ("action_call", "action_run", "store")


def turns_by_sender(lines: Iterable[Line]) -> dict[str, list[tuple[Line, list[Line]]]]:
    """Each conversation's turns in order, each with the lines that fall inside it."""
    turns: dict[str, list[tuple[Line, list[Line]]]] = defaultdict(list)
    others: list[Line] = []
    for line in lines:
        if line["stage"] == "turn":
            turns[line["sender"]].append((line, []))
        else:
            others.append(line)
    for found in turns.values():
        found.sort(key=lambda pair: pair[0]["at"])
    for line in others:
        inside = _containing(turns.get(line["sender"], []), line["at"])
        if inside is not None:
            inside.append(line)
    return dict(turns)


def _containing(turns: list[tuple[Line, list[Line]]], at: float) -> list[Line] | None:
    for turn, inside in turns:
        if turn["at"] <= at <= turn["at"] + turn["ms"] / 1000:
            return inside
    return None


def breakdown(turns: list[tuple[Line, list[Line]]], client_ms: float) -> dict[str, Any]:
    """Mean per turn of each stage, with `client_ms` the mean turn as the client saw it."""
    count = len(turns)
    if count == 0:
        return {"turns": 0}
    per_stage: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    actions: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    runs: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for turn, inside in turns:
        per_stage["turn"] += turn["ms"]
        for line in inside:
            per_stage[line["stage"]] += line["ms"]
            calls[line["stage"]] += 1
            if line["stage"] == "tracker_read":
                per_stage["tracker_read_events"] += line.get("events", 0)
            if line["stage"] == "actions":
                ran = runs[str(line.get("action"))]
                ran["calls"] += 1
                ran["ms"] += line["ms"]
            if line["stage"] == "action_run":
                _add_action_run(actions[str(line.get("action"))], line)
                per_stage["store"] += line.get("store_ms", 0.0)
                calls["store"] += len(line.get("store_calls", []))
    rasa_ms = sum(per_stage[stage] for stage in RASA_STAGES) / count
    return {
        "turns": count,
        "client_ms": round(client_ms, 1),
        "channel_and_http_ms": round(client_ms - per_stage["turn"] / count, 1),
        "rasa_turn_ms": round(per_stage["turn"] / count, 1),
        "rasa_other_ms": round(per_stage["turn"] / count - rasa_ms, 1),
        "stages": {
            stage: {
                "ms": round(per_stage[stage] / count, 1),
                "calls": round(calls[stage] / count, 2),
            }
            for stage in (*RASA_STAGES, *NESTED_STAGES)
        },
        "tracker_read_events": round(per_stage["tracker_read_events"] / count),
        "actions": {name: _action_means(figures, count) for name, figures in actions.items()},
        "runs": {
            name: {
                "calls_per_turn": round(ran["calls"] / count, 2),
                "ms_per_run": round(ran["ms"] / ran["calls"], 1),
            }
            for name, ran in runs.items()
        },
    }


def _add_action_run(figures: dict[str, float], line: Line) -> None:
    figures["calls"] += 1
    figures["ms"] += line["ms"]
    figures["store_ms"] += line.get("store_ms", 0.0)
    figures["request_bytes"] += line.get("request_bytes", 0)
    figures["events"] += line.get("events", 0)


def _action_means(figures: dict[str, float], turns: int) -> dict[str, float]:
    calls = figures["calls"]
    return {
        "calls_per_turn": round(calls / turns, 2),
        "ms_per_call": round(figures["ms"] / calls, 1),
        "store_ms_per_call": round(figures["store_ms"] / calls, 1),
        "request_kb": round(figures["request_bytes"] / calls / 1024, 1),
        "tracker_events": round(figures["events"] / calls),
    }


def render(groups: dict[str, dict[str, Any]]) -> str:
    """The breakdown as a table: one column per group of turns."""
    names = list(groups)
    rows: list[tuple[str, list[str]]] = [
        ("turns measured", [str(groups[n]["turns"]) for n in names]),
        ("client turn", [_ms(groups[n]["client_ms"]) for n in names]),
        ("  channel + HTTP", [_ms(groups[n]["channel_and_http_ms"]) for n in names]),
    ]
    for stage in RASA_STAGES:
        rows.append((f"  {stage}", [_stage(groups[n]["stages"][stage]) for n in names]))
    rows.append(("  Rasa other", [_ms(groups[n]["rasa_other_ms"]) for n in names]))
    rows.append(("within extract_slots and actions:", ["" for _ in names]))
    for depth, stage in enumerate(NESTED_STAGES):
        label = "  " * (depth + 1) + stage
        rows.append((label, [_stage(groups[n]["stages"][stage]) for n in names]))
    rows.append(("events read", [str(groups[n]["tracker_read_events"]) for n in names]))
    width = max(len(label) for label, _ in rows)
    header = f"{'per turn':{width}}  " + "  ".join(f"{n:>22}" for n in names)
    lines = [header] + [
        f"{label:{width}}  " + "  ".join(f"{cell:>22}" for cell in cells) for label, cells in rows
    ]
    for name in names:
        lines.append(f"\nactions run by Rasa (the action-server call included), {name}:")
        for action, ran in sorted(
            groups[name]["runs"].items(),
            key=lambda kv: -kv[1]["ms_per_run"] * kv[1]["calls_per_turn"],
        ):
            lines.append(
                f"  {action:40} {ran['calls_per_turn']:>5.2f}/turn {ran['ms_per_run']:>7.1f} ms"
            )
        lines.append(f"\naction calls, {name}:")
        for action, figures in sorted(groups[name]["actions"].items()):
            lines.append(
                f"  {action:40} {figures['calls_per_turn']:>5.2f}/turn "
                f"{figures['ms_per_call']:>7.1f} ms (store {figures['store_ms_per_call']:.1f}) "
                f"{figures['request_kb']:>7.1f} KB, {figures['tracker_events']} events"
            )
    return "\n".join(lines)


def _ms(value: float) -> str:
    return f"{value:.1f} ms"


def _stage(figures: dict[str, float]) -> str:
    return f"{figures['ms']:.1f} ms ({figures['calls']:.2f}x)"
