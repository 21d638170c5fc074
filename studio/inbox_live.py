"""The inbox's live updates (#20): a server-sent event for every new handoff, message,
note, claim, hand-back and close, so that the inbox and an open conversation change
without a reload (and the browser can notify). `Last-Event-ID` (or `?after=`) resumes
where a dropped connection stopped."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field

from aiohttp import web

from bot.errors import StoreUnavailable
from bot.store import InboxMessage
from studio.web import STORE, audit, in_thread, requires

routes = web.RouteTableDef()
STOPPING = web.AppKey("inbox_stopping", asyncio.Event)
POLL_S = 1.0
KEEP_ALIVE_EVERY = 15  # polls without news between two comments that keep proxies open
# On PostgreSQL an id taken earlier can commit after a later one: each read looks this
# many ids behind the newest one sent, and sends what it has not sent yet.
LOOK_BEHIND = 100


@dataclass
class Cursor:
    """Where one stream is: what it has sent, from its first id on."""

    start: int
    after: int = 0
    sent: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.after = self.start

    @property
    def since(self) -> int:
        return max(self.start, self.after - LOOK_BEHIND)

    def fresh(self, changes: list[InboxMessage]) -> list[InboxMessage]:
        new = [c for c in changes if c.id > self.start and c.id not in self.sent]
        self.sent.update(c.id for c in new)
        self.after = max([self.after, *(c.id for c in new)])
        self.sent = {i for i in self.sent if i > self.since}
        return new


def setup(app: web.Application) -> None:
    app[STOPPING] = asyncio.Event()

    async def stop(app: web.Application) -> None:
        app[STOPPING].set()  # open streams end, so that shutting down does not wait on them

    app.on_shutdown.append(stop)  # type: ignore[arg-type]


def event_of(change: InboxMessage) -> bytes:
    data = {
        "id": change.id, "conversation_id": change.conversation_id,
        "contact_id": change.contact_id, "kind": change.kind, "author": change.author,
        "text": change.body, "at": change.created_at.isoformat(),
    }  # fmt: skip
    return f"id: {change.id}\nevent: inbox\ndata: {json.dumps(data)}\n\n".encode()


@routes.get("/inbox/events")
@requires("inbox.work")
async def events(request: web.Request) -> web.StreamResponse:
    store, stopping = request.app[STORE], request.app[STOPPING]
    start = _resume_from(request)
    cursor = Cursor(await in_thread(store.inbox.latest_change) if start is None else start)
    response = web.StreamResponse(headers={
        "Content-Type": "text/event-stream", "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff", "X-Accel-Buffering": "no",
    })  # fmt: skip
    await response.prepare(request)
    await audit(request, "studio.inbox_followed", "inbox")
    quiet = 0
    with contextlib.suppress(ConnectionResetError):
        await response.write(b"retry: 3000\n\n")
        while not stopping.is_set():
            try:
                changes = cursor.fresh(await in_thread(store.inbox.changes, cursor.since))
            except StoreUnavailable:
                changes = []
            for change in changes:
                await response.write(event_of(change))
            quiet = 0 if changes else quiet + 1
            if quiet and quiet % KEEP_ALIVE_EVERY == 0:
                await response.write(b": still here\n\n")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stopping.wait(), POLL_S)
    return response


def _resume_from(request: web.Request) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.query.get("after", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None
