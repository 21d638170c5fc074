"""A stand-in for Twilio's REST API: a real aiohttp server on 127.0.0.1, on its own thread.

It records every message Parley asks it to send and answers like Twilio does; it can be
told to fail the next requests (a 500 by default, or any status and Twilio error code) or
to keep the next one waiting, to exercise retries and the senders' error model.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp import BasicAuth, web


@dataclass(frozen=True)
class SentMessage:
    account_sid: str
    to: str
    from_: str
    body: str
    status_callback: str
    auth_token: str = ""  # the basic auth password the request came with
    content_type: str = ""


class FakeTwilio:
    def __init__(self) -> None:
        self.sent: list[SentMessage] = []
        self.requests = 0
        self.arrivals: list[float] = []  # time.monotonic() as each request was taken in
        self._failures_left = 0
        self._failure = (500, 20500)
        self._stall_s = 0.0
        self._late_s = 0.0
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self.url = ""

    def start(self) -> FakeTwilio:
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        if not ready.wait(10):
            raise RuntimeError("fake Twilio did not start")
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    def fail_next(self, count: int, status: int = 500, code: int = 20500) -> None:
        with self._changed:
            self._failures_left = count
            self._failure = (status, code)

    def stall_next(self, seconds: float) -> None:
        """Answer the next request only after `seconds` (the message is sent at once)."""
        with self._changed:
            self._stall_s = seconds

    def delay_next(self, seconds: float) -> None:
        """Take the next request in only after `seconds`, as if the network held it up
        on its way: it arrives that much later than it left."""
        with self._changed:
            self._late_s = seconds

    def to(self, number: str) -> list[SentMessage]:
        with self._changed:
            return [m for m in self.sent if m.to == number]

    def wait_for(self, number: str, count: int, timeout: float = 60) -> list[SentMessage]:
        """The messages sent to `number`, once there are at least `count` of them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := [m for m in self.sent if m.to == number]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(found)} of {count} messages to {number}: {found}")
                self._changed.wait(left)
            return found

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._startup())
        ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _startup(self) -> None:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self._create_message)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _create_message(self, request: web.Request) -> web.Response:
        with self._changed:
            late, self._late_s = self._late_s, 0.0
        await asyncio.sleep(late)
        form = await request.post()
        auth = _basic_auth(request)
        if auth is None or auth.login != request.match_info["sid"]:
            # Twilio's answer to a request without the account's credentials.
            return web.json_response({"code": 20003, "message": "Authenticate"}, status=401)
        with self._changed:
            self.requests += 1
            self.arrivals.append(time.monotonic())
            stall, self._stall_s = self._stall_s, 0.0
            if self._failures_left > 0:
                self._failures_left -= 1
                status, code = self._failure
                return web.json_response(
                    {"code": code, "message": "boom", "status": status}, status=status
                )
            message = SentMessage(
                request.match_info["sid"],
                str(form["To"]),
                str(form["From"]),
                str(form["Body"]),
                str(form.get("StatusCallback", "")),
                auth.password,
                request.content_type,
            )
            self.sent.append(message)
            self._changed.notify_all()
        # Like a Twilio that queued the message but is slow to say so.
        await asyncio.sleep(stall)
        return web.json_response(_resource(message), status=201)


def _basic_auth(request: web.Request) -> BasicAuth | None:
    try:
        return BasicAuth.decode(request.headers.get("Authorization", ""))
    except ValueError:
        return None


def _resource(message: SentMessage) -> dict[str, Any]:
    return {
        "sid": f"SM{uuid.uuid4().hex}",
        "account_sid": message.account_sid,
        "to": message.to,
        "from": message.from_,
        "body": message.body,
        "status": "queued",
        "num_segments": "1",
        "direction": "outbound-api",
    }
