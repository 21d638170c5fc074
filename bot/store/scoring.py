"""Qualification answers and scores, inside a caller-framed transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from bot.errors import InvalidField
from bot.protected import PROTECTED_WORDS
from bot.store import integration, outcomes, reads, writes
from bot.store.records import ScoreRecord
from bot.store.schema import (
    contacts,
    lead_scores,
    qualification_answers,
)
from bot.types import (
    CUSTOM_OPTION_ID,
    CUSTOM_QUESTION_ID,
    GRADES,
    QUALIFICATION_VALUES,
    STAGES,
    ContactId,
)

# A grade of A or B is a qualified lead for integrations (lead.qualified).
QUALIFIED_GRADES = ("A", "B")


def check_answers(
    answers: Mapping[str, str], custom: Mapping[str, Collection[str]] | None = None
) -> None:
    """Built-in questions take only their own values. Another field is a question a
    marketer added: its answer is checked against `custom` (its option ids, from the
    caller's qualification.yml) when given, else only for the shape of an id, because
    the store reads no content files and a question removed since keeps its answers."""
    for field, value in answers.items():
        allowed = QUALIFICATION_VALUES.get(field)
        if allowed is None and custom is not None:
            allowed = tuple(custom.get(field, ()))
            if not allowed:
                raise InvalidField(field, "not a qualifying question in qualification.yml")
        if allowed is None:
            if PROTECTED_WORDS.search(field.replace("_", " ")):
                raise InvalidField(field, "names a protected attribute; it is never stored")
            if not CUSTOM_QUESTION_ID.match(field):
                raise InvalidField(
                    field,
                    f"not a qualification field ({', '.join(QUALIFICATION_VALUES)}) "
                    "nor a custom question id (1-16 of a-z, 0-9, _)",
                )
            if not isinstance(value, str) or not CUSTOM_OPTION_ID.match(value):
                raise InvalidField(field, f"{value!r} is not an option id (1-32 of a-z, 0-9, _)")
        elif value not in allowed:
            raise InvalidField(field, f"{value!r} is not one of {', '.join(allowed)}")


def record_answers(
    conn: Connection,
    contact_id: str,
    answers: Mapping[str, str],
    channel: str,
    conversation_id: str,
    now: datetime,
) -> ContactId:
    live = reads.require_id(conn, contact_id)
    reads.lock_contact(conn, live)
    for field, value in answers.items():
        key = (qualification_answers.c.contact_id == live) & (
            qualification_answers.c.field == field
        )
        row = {
            "value": value,
            "channel": channel,
            "conversation_id": conversation_id,
            "answered_at": now,
        }
        if conn.execute(update(qualification_answers).where(key).values(**row)).rowcount == 0:
            conn.execute(insert(qualification_answers).values(contact_id=live, field=field, **row))
    writes.add_event(
        conn,
        live,
        "qualification_answered",
        {"answers": dict(answers), "channel": channel, "conversation_id": conversation_id},
        now,
    )
    conn.execute(update(contacts).where(contacts.c.id == live).values(updated_at=now))
    return live


def answers_of(conn: Connection, contact_id: str) -> dict[str, str]:
    live = reads.require_id(conn, contact_id)
    query = select(qualification_answers.c.field, qualification_answers.c.value).where(
        qualification_answers.c.contact_id == live
    )
    return {row.field: row.value for row in conn.execute(query)}


def save_score(
    conn: Connection,
    contact_id: str,
    *,
    score: int,
    grade: str,
    stage: str,
    rubric_version: str,
    model_version: str | None,
    explanation: list[dict[str, Any]],
    now: datetime,
) -> ScoreRecord:
    if grade not in GRADES or stage not in STAGES or not 0 <= score <= 100:
        raise InvalidField("score", f"score {score}, grade {grade!r}, stage {stage!r} are invalid")
    live = reads.require_id(conn, contact_id)
    previous = _latest(conn, live)
    row = {
        "contact_id": live,
        "score": score,
        "grade": grade,
        "stage": stage,
        "rubric_version": rubric_version,
        "model_version": model_version,
        "explanation": explanation,
        "computed_at": now,
    }
    new_id = conn.execute(insert(lead_scores).values(**row)).inserted_primary_key[0]
    if previous is None or (previous.grade, previous.stage) != (grade, stage):
        # Campaigns start on these: a change of grade or stage is an event in its own right.
        writes.add_event(
            conn, live, "grade_changed",
            {"grade": grade, "stage": stage, "score": score,
             "previous_grade": previous.grade if previous else None,
             "previous_stage": previous.stage if previous else None}, now,
        )  # fmt: skip
    if grade in QUALIFIED_GRADES and (previous is None or previous.grade != grade):
        integration.emit(
            conn,
            "lead.qualified",
            live,
            {"contact_id": live, "score": score, "grade": grade, "stage": stage},
            now,
        )
    return _record({**row, "id": new_id})


def latest_score(conn: Connection, contact_id: str) -> ScoreRecord | None:
    return _latest(conn, reads.require_id(conn, contact_id))


def score_history(conn: Connection, contact_id: str) -> list[ScoreRecord]:
    live = reads.require_id(conn, contact_id)
    query = select(lead_scores).where(lead_scores.c.contact_id == live).order_by(lead_scores.c.id)
    return [_record(row) for row in conn.execute(query).mappings()]


def move(conn: Connection, loser: str, survivor: str) -> None:
    """A merge keeps the survivor's own answers and takes the loser's others."""
    theirs = answers_of(conn, survivor)
    duplicate = (qualification_answers.c.contact_id == loser) & qualification_answers.c.field.in_(
        list(theirs)
    )
    conn.execute(delete(qualification_answers).where(duplicate))
    for table in (qualification_answers, lead_scores):
        conn.execute(update(table).where(table.c.contact_id == loser).values(contact_id=survivor))
    outcomes.move(conn, loser, survivor)


def _latest(conn: Connection, live: ContactId) -> ScoreRecord | None:
    query = (
        select(lead_scores)
        .where(lead_scores.c.contact_id == live)
        .order_by(lead_scores.c.id.desc())
        .limit(1)
    )
    row = conn.execute(query).mappings().first()
    return None if row is None else _record(row)


def record_of(row: Mapping[str, Any]) -> ScoreRecord:
    return _record(row)


def _record(row: Mapping[str, Any]) -> ScoreRecord:
    return ScoreRecord(
        id=int(row["id"]),
        contact_id=ContactId(row["contact_id"]),
        score=int(row["score"]),
        grade=row["grade"],
        stage=row["stage"],
        rubric_version=row["rubric_version"],
        model_version=row["model_version"],
        explanation=tuple(row["explanation"]),
        computed_at=row["computed_at"],
    )
