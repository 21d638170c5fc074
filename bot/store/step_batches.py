"""A batch of `steps.advance` written at once, inside a caller-framed transaction: the
sends it queues and the progress its enrollments make.

One INSERT for the batch's new outbox rows and one UPDATE for each group of enrollments
moving to the same place, instead of a SELECT and an INSERT per send and an UPDATE per
enrollment: at hundreds of enrollments a second SQLAlchemy's cost per statement was most
of the time spent queueing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from bot.store.records import Progress, QueuedSend
from bot.store.schema import campaign_enrollments, campaign_sends

ACTIVE, PENDING = "active", "pending"
S, E = campaign_sends.c, campaign_enrollments.c


def queue_sends(conn: Connection, sends: Sequence[QueuedSend], now: datetime) -> int:
    """Queue each send unless its (enrollment, step, variant) is queued already; how
    many were new.

    Two racing batches both see no row; the unique key fails the second insert and the
    store's transaction retry then finds the row queued, as for a single send."""
    rows: dict[str, dict[str, Any]] = {}
    for send in sends:
        rows.setdefault(f"{send.enrollment.id}:{send.step}:{send.variant}", _row(send, now))
    if not rows:
        return 0
    queued = select(S.send_key).where(S.send_key.in_(list(rows)))
    for key in conn.execute(queued).scalars():
        rows.pop(key, None)
    if rows:
        conn.execute(insert(campaign_sends), list(rows.values()))
    return len(rows)


def move_on(conn: Connection, progress: Sequence[Progress], now: datetime) -> None:
    """Move these enrollments on and release their leases: one UPDATE for all that go to
    the same step, time, status and reason (in a batch, most do)."""
    groups: dict[tuple[int, datetime, str, str | None], list[int]] = {}
    for moved in progress:
        place = (moved.step, moved.next_run_at, moved.status, moved.exit_reason)
        groups.setdefault(place, []).append(moved.enrollment_id)
    for (step, next_run_at, status, exit_reason), ids in groups.items():
        conn.execute(
            update(campaign_enrollments)
            .where(E.id.in_(ids))
            .values(step=step, next_run_at=next_run_at, status=status, exit_reason=exit_reason,
                    finished_at=None if status == ACTIVE else now, lease_until=None)
        )  # fmt: skip


def _row(send: QueuedSend, now: datetime) -> dict[str, Any]:
    enrollment = send.enrollment
    return {
        "send_key": f"{enrollment.id}:{send.step}:{send.variant}",
        "enrollment_id": enrollment.id,
        "contact_id": enrollment.contact_id,
        "campaign": enrollment.campaign,
        "step": send.step,
        "variant": send.variant,
        "channels": list(send.channels),
        "status": PENDING,
        "attempts": 0,
        "due_at": now,
        "created_at": now,
    }
