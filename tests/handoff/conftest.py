"""A real HTTP receiver that checks handoff signatures, and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.runner import free_port
from bot.settings import Settings, load_settings
from bot.store import ProfileStore, upgrade
from tests.store.conftest import BACKENDS, fresh_pg_schema, pg_engine

SECRET = "handoff-test-secret-0123456789"


@dataclass
class Receiver:
    url: str
    # Status codes to answer with, in order; 200 once they run out.
    script: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    rejected: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            header = self.headers.get("X-Parley-Signature", "")
            parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
            expected = hmac.new(
                SECRET.encode(), f"{parts.get('t')}.".encode() + body, hashlib.sha256
            ).hexdigest()
            fresh = abs(time.time() - int(parts.get("t", "0"))) < 300
            with receiver.lock:
                if not (fresh and hmac.compare_digest(expected, parts.get("v1", ""))):
                    receiver.rejected += 1
                    status = 401
                else:
                    status = receiver.script.pop(0) if receiver.script else 200
                    if status == 200:
                        event = json.loads(body)
                        assert event["event_id"] == self.headers["X-Parley-Event-Id"]
                        receiver.received.append(event)
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/handoff")
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def environ(tmp_path: Path, receiver: Receiver, smtp: tuple[Inbox, int]) -> dict[str, str]:
    """Settings that send handoffs to the loopback receiver and SMTP server."""
    return {
        "PARLEY_DATA_DIR": str(tmp_path),
        "PARLEY_COMPANY_NAME": "Acme Test Co",
        "PARLEY_HANDOFF_URL": receiver.url,
        "PARLEY_HANDOFF_SECRET": SECRET,
        "PARLEY_SMTP_HOST": "127.0.0.1",
        "PARLEY_SMTP_PORT": str(smtp[1]),
        "PARLEY_SMTP_SECURITY": "none",
        "PARLEY_MAIL_FROM": "parley@acme.test",
        "PARLEY_SALES_EMAIL": "sales@acme.test",
        "PARLEY_POSTAL_ADDRESS": "Acme Test Co, 1 Main St, Springfield",
    }


@pytest.fixture
def settings(tmp_path: Path, environ: dict[str, str]) -> Settings:
    return load_settings(environ=environ, dotenv=tmp_path / "none.env")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, settings: Settings) -> Iterator[ProfileStore]:
    if request.param == "sqlite":
        upgrade(settings.database_url)
        profile_store = ProfileStore.from_url(settings.database_url)
        yield profile_store
        profile_store.dispose()
        return
    with fresh_pg_schema() as schema:
        engine = pg_engine(schema)
        upgrade(engine)
        profile_store = ProfileStore(engine)
        yield profile_store
        profile_store.dispose()
