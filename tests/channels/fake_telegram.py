"""A stand-in for the Telegram Bot API: a real aiohttp server on 127.0.0.1, on its own thread.

Serves /bot<token>/<method> for what Parley calls, records each call, answers like
Telegram, and can be told to fail the next calls (429 with retry_after, 500, 403).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

BOT_ID = 7000001


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]


class FakeTelegram:
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.refused: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}
        self._failures: list[tuple[int, str, dict[str, Any]]] = []
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._message_ids = iter(range(1, 10**9))
        self.url = ""

    @property
    def api_base(self) -> str:
        return f"{self.url}/bot"

    def start(self) -> FakeTelegram:
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        if not ready.wait(10):
            raise RuntimeError("fake Telegram did not start")
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    def fail_next(self, status: int, description: str, **parameters: Any) -> None:
        with self._changed:
            self._failures.append((status, description, parameters))

    def sent_to(self, chat: int | str) -> list[Call]:
        with self._changed:
            return [
                c
                for c in self.calls
                if c.method in ("sendMessage", "sendPhoto")
                and str(c.params.get("chat_id")) == str(chat)
            ]

    def called(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, chat: int | str, count: int, timeout: float = 60) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while (
                len(
                    found := [
                        c
                        for c in self.calls
                        if c.method in ("sendMessage", "sendPhoto")
                        and str(c.params.get("chat_id")) == str(chat)
                    ]
                )
                < count
            ):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(found)} of {count} messages to chat {chat}: {found}"
                    )
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
        app.router.add_post("/bot{token}/{method}", self._method)
        app.router.add_get("/bot{token}/{method}", self._method)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await _params(request)
        with self._changed:
            failure = self._failures.pop(0) if self._failures and method != "getMe" else None
            # Refused calls are kept apart: they delivered nothing.
            (self.refused if failure else self.calls).append(Call(method, params))
            self._changed.notify_all()
        if failure is not None:
            status, description, parameters = failure
            body = {"ok": False, "error_code": status, "description": description}
            if parameters:
                body["parameters"] = parameters
            return web.json_response(body, status=status)
        return web.json_response({"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Parley",
                "username": "parley_test_bot",
            }
        if method in ("sendMessage", "sendPhoto"):
            message: dict[str, Any] = {
                "message_id": next(self._message_ids), "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Parley"},
            }  # fmt: skip
            if "text" in params:
                message["text"] = params["text"]
            return message
        if method == "setWebhook":
            self.webhook = params
            return True
        if method == "deleteWebhook":
            self.webhook = {}
            return True
        if method == "getWebhookInfo":
            return {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self.updates),
            }
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            return [u for u in self.updates if u["update_id"] >= offset]
        return True


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        raw = await request.json()
        return dict(raw) if isinstance(raw, dict) else {}
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        text = value if isinstance(value, str) else "<file>"
        try:
            params[key] = json.loads(text) if text[:1] in "[{" else text
        except json.JSONDecodeError:
            params[key] = text
    params.update({k: v for k, v in request.query.items() if k not in params})
    return params
