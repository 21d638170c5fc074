"""Judge a played conversation from what the profile store holds (as `parley privacy export`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from bench.evaluation.personas import CONSENT_PURPOSES, LEAD_FIELDS, QUAL_FIELDS
from bench.evaluation.simulator import Transcript
from bench.evaluation.values import same_value
from bot.store import ProfileStore


@dataclass
class Verdict:
    id: str
    split: str
    author: str
    channel: str
    goal: str
    success: bool
    reasons: list[str] = field(default_factory=list)
    stored: int = 0  # values stored (lead fields and qualifying answers)
    wrong: list[str] = field(default_factory=list)  # "company: 'Paris' (said 'Acme')"
    missed: list[str] = field(default_factory=list)
    # An email or phone another persona of the run already holds (personas reuse the
    # example numbers): rightly kept as this contact's unproven claim, not on its profile.
    held_as_claims: list[str] = field(default_factory=list)
    summaries_shown: int = 0
    summaries_corrected: int = 0
    options_pressed: int = 0
    fallbacks: int = 0
    turns: int = 0
    turns_to_goal: int | None = None
    turn_ms: list[float] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "turn_ms"}


def judge(transcript: Transcript, store: ProfileStore) -> Verdict:
    persona = transcript.persona
    verdict = Verdict(
        id=persona.id,
        split=persona.split,
        author=persona.author,
        channel=persona.channel,
        goal=persona.goal,
        success=False,
        summaries_shown=transcript.summaries_shown,
        summaries_corrected=transcript.summaries_corrected,
        options_pressed=transcript.options_pressed,
        fallbacks=transcript.fallbacks,
        turns=len(transcript.turns),
        turns_to_goal=transcript.reached_at,
        turn_ms=[t.ms for t in transcript.turns],
    )
    channel = "voice" if transcript.channel == "voice" else "rest"
    contact = store.contacts.for_identity(channel, transcript.conversation_id)  # type: ignore[arg-type]
    export = store.privacy.export(contact.id) if contact is not None else None
    claims = store.contacts.open_claims(contact.id) if contact is not None else []
    _compare_values(persona.expect, export, verdict, {(c.field, c.value) for c in claims})
    _check_consent(persona.consent, export, verdict)
    _check_goal(transcript, export, verdict)
    if transcript.error:
        verdict.reasons.append(f"error: {transcript.error}")
    if transcript.loop:
        verdict.reasons.append("loop: the same reply three times, or no end in sight")
    if transcript.questions_answered < transcript.questions_asked:
        unanswered = transcript.questions_asked - transcript.questions_answered
        verdict.reasons.append(f"{unanswered} question(s) not answered")
    if verdict.wrong:
        verdict.reasons.append("wrong: " + "; ".join(verdict.wrong))
    if verdict.missed:
        verdict.reasons.append("missed: " + "; ".join(verdict.missed))
    verdict.success = not verdict.reasons
    return verdict


def stored_values(export: dict[str, Any] | None) -> dict[str, str | None]:
    if export is None:
        return {}
    profile = export["profile"]
    values: dict[str, str | None] = {f: profile.get(f) for f in LEAD_FIELDS}
    values.update({f: export.get("qualification", {}).get(f) for f in QUAL_FIELDS})
    return values


def _compare_values(
    expect: dict[str, str | None] | Any,
    export: dict[str, Any] | None,
    verdict: Verdict,
    claims: Collection[tuple[str, str]] = (),
) -> None:
    stored = stored_values(export)
    for field_name in (*LEAD_FIELDS, *QUAL_FIELDS):
        value, expected = stored.get(field_name), expect.get(field_name)
        if value is not None:
            verdict.stored += 1
        if same_value(field_name, value, expected):
            continue
        if value is None and (field_name, expected) in claims:
            verdict.held_as_claims.append(f"{field_name} (said {expected!r})")
        elif value is None:
            verdict.missed.append(f"{field_name} (said {expected!r})")
        else:
            verdict.wrong.append(f"{field_name}: {value!r} (said {expected!r})")


def _check_consent(
    expect: dict[str, str] | Any, export: dict[str, Any] | None, verdict: Verdict
) -> None:
    profile = (export or {}).get("profile") or {}
    # Texts need a number and emails an address: nobody is asked about a channel that
    # has no way to reach them, so a yes they would have given is not missed.
    reachable = {"email": bool(profile.get("email")), "sms": bool(profile.get("phone"))}
    latest: dict[str, bool] = {}
    for event in (export or {}).get("consent_history", []):
        if event.get("source") != "confirmation":
            latest[event["purpose"]] = bool(event["granted"])
    for purpose in CONSENT_PURPOSES:
        wanted = expect.get(purpose, "none")
        given = latest.get(purpose)
        got = "none" if given is None else "yes" if given else "no"
        # "no" and "none" both leave the person uncontacted; a yes nobody gave is wrong.
        if got == "yes" and wanted != "yes":
            verdict.wrong.append(f"consent {purpose}: granted (said {wanted})")
        elif wanted == "yes" and got != "yes" and reachable.get(purpose, True):
            verdict.missed.append(f"consent {purpose} (said yes)")


def _check_goal(transcript: Transcript, export: dict[str, Any] | None, verdict: Verdict) -> None:
    goal = transcript.persona.goal
    profile = (export or {}).get("profile") or {}
    reached = {
        "lead": profile.get("lead_status") == "confirmed",
        "handoff": bool((export or {}).get("handoffs")) or transcript.reached_at is not None,
        "book": bool((export or {}).get("bookings")),
        "show_data": transcript.reached_at is not None,
        "erase": export is None and transcript.reached_at is not None,
        "questions": transcript.reached_at is not None,
        "leave": True,
    }[goal]
    if not reached:
        verdict.reasons.append(f"goal not reached: {goal}")
