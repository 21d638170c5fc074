"""A real studio on a loopback port, in a thread, for tests and the browser tests."""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from aiohttp import web

from bot import passwords
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.store import ProfileStore, upgrade
from studio.app import create_app

# What a publish may change: a test works on a copy, never on the project's own files.
CONTENT = ("config.yml", "domain.yml", "data", "consent.yml", "qualification.yml",
           "scoring.yml", "booking.yml", "knowledge.yml", "routing.yml", "lead_fields.yml",
           "campaigns",
           "conversation_tests.yml",
           "tests/test_stories.yml")  # fmt: skip
PASSWORD = "correct horse battery"


def copy_content(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in CONTENT:
        source = PROJECT_ROOT / name
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(
                source, destination, ignore=shutil.ignore_patterns("*.py", "__pycache__")
            )
        else:
            shutil.copy2(source, destination)
    return target


def studio_settings(tmp: Path, **env: str) -> Settings:
    return load_settings({
        "PARLEY_DATA_DIR": str(tmp / "var"),
        "DATABASE_URL": f"sqlite:///{tmp / 'parley.db'}",
        "PARLEY_TRACKER_STORE_URL": f"sqlite:///{tmp / 'tracker.db'}",
        "PARLEY_CONTENT_DIR": str(copy_content(tmp / "content")),
        **env,
    })  # fmt: skip


@dataclass
class StudioServer:
    settings: Settings
    store: ProfileStore
    url: str = ""
    _loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    _runner: web.AppRunner | None = None
    _thread: threading.Thread | None = None
    _clients: list[StudioClient] = field(default_factory=list)

    def start(self) -> StudioServer:
        ready = threading.Event()

        async def serve() -> None:
            self._runner = web.AppRunner(create_app(self.settings, self.store), access_log=None)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            port = self._runner.addresses[0][1]
            self.url = f"http://127.0.0.1:{port}"
            ready.set()

        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(serve(), self._loop)
        if not ready.wait(30):
            raise RuntimeError("the studio did not start")
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(30)
        self._loop.close()
        for client in self._clients:
            client.close()
        self.store.dispose()

    def add_user(self, email: str, role: str, name: str = "") -> str:
        self.store.studio.create_user(
            email, name or role.title(), role, passwords.hash_password(PASSWORD)
        )
        return email

    def client(self) -> StudioClient:
        client = StudioClient(self.url)
        self._clients.append(client)
        return client

    def signed_in(self, role: str) -> StudioClient:
        email = f"{role}@example.com"
        if self.store.studio.user_with_hash(email) is None:
            self.add_user(email, role)
        client = self.client()
        client.login(email, PASSWORD)
        return client


class StudioClient:
    """A browser-like client: keeps cookies, sends the studio's Origin and CSRF token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, follow_redirects=False, timeout=60)
        self.csrf = ""

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        response = self.http.get(path, **kwargs)  # type: ignore[arg-type]
        found = re.search(r'<meta name="csrf-token" content="([^"]*)"', response.text)
        if found and found.group(1):
            self.csrf = found.group(1)
        return response

    def post(
        self,
        path: str,
        data: Mapping[str, str] | None = None,
        *,
        csrf: bool = True,
        origin: str | None = None,
    ) -> httpx.Response:
        fields = dict(data or {})
        if csrf:
            fields.setdefault("csrf_token", self.csrf)
        return self.http.post(path, data=fields, headers={"Origin": origin or self.url})

    def post_json(self, path: str, body: object, *, origin: str | None = None) -> httpx.Response:
        headers = {"Origin": origin or self.url, "X-CSRF-Token": self.csrf}
        return self.http.post(path, json=body, headers=headers)

    def login(self, email: str, password: str) -> httpx.Response:
        response = self.post(
            "/login", {"email": email, "password": password, "next": "/"}, csrf=False
        )
        if response.status_code != 303:
            raise AssertionError(f"login failed: {response.status_code} {response.text[:300]}")
        self.get("/")
        return response


def start_studio(tmp: Path, **env: str) -> StudioServer:
    settings = studio_settings(tmp, **env)
    upgrade(settings.database_url)
    return StudioServer(settings, ProfileStore.from_url(settings.database_url)).start()
