"""The staff side, tried as an outsider would: the studio's sign-in and first-admin setup,
the API's metrics and parameters, secret files, PostgreSQL start-up and event webhooks.

Real servers on loopback throughout: the studio in a thread, the API as its own process
(`python -m api`), receivers that are real HTTP servers, SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from api import tokens
from bot import webhooks
from bot.errors import InvalidField, InvalidSetting
from bot.runner import free_port
from bot.settings import MACHINE_SECRETS, PROJECT_ROOT, load_settings
from bot.store import ProfileStore, upgrade
from studio.accounts import MAX_PER_ADDRESS, MAX_PER_EMAIL, MAX_PER_PAIR, setup_token_file
from tests.databases import fresh_database, shared_secrets
from tests.studio.studio_server import PASSWORD, StudioServer, start_studio

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)
METRICS_TOKEN = "prometheus-scrape-token-0123456789"
PG = pytest.param("postgresql", marks=pytest.mark.postgres)


# ------------------------------------------------------------ 1. sign-in `next=`


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[StudioServer]:
    # The test client is the proxy: it says who the client is in X-Forwarded-For.
    server = start_studio(tmp_path, PARLEY_TRUSTED_PROXIES="127.0.0.1")
    yield server
    server.stop()


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "\\/evil.example", "/\\/evil.example",
    "/\t/evil.example", "/\n/evil.example", "/\x00", "/\u200b/evil.example",
    "https://evil.example/", "javascript:alert(1)", "evil.example", "/ /evil.example",
    "/" + "a" * 3000,
])  # fmt: skip
def test_sign_in_next_refuses_anything_but_a_local_path(studio: StudioServer, target: str) -> None:
    studio.add_user("admin@example.com", "admin")
    client = studio.client()
    page = client.http.get("/login", params={"next": target})
    assert 'name="next" value="/"' in page.text
    signed_in = client.post(
        "/login", {"email": "admin@example.com", "password": PASSWORD, "next": target}, csrf=False
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/"


def test_sign_in_next_keeps_a_local_path_with_its_query(studio: StudioServer) -> None:
    studio.add_user("admin@example.com", "admin")
    client = studio.client()
    bounced = httpx.URL(client.get("/contacts?q=ada&page=2").headers["location"])
    assert bounced.path == "/login" and bounced.params["next"] == "/contacts?q=ada&page=2"
    signed_in = client.post(
        "/login",
        {"email": "admin@example.com", "password": PASSWORD, "next": "/contacts?q=ada&page=2"},
        csrf=False,
    )
    assert signed_in.headers["location"] == "/contacts?q=ada&page=2"


# ------------------------------------------------------------ 2. sign-in throttling


def _sign_in(client: Any, email: str, password: str, address: str) -> int:
    response = client.http.post(
        "/login",
        data={"email": email, "password": password, "next": "/"},
        headers={"Origin": client.url, "X-Forwarded-For": address},
    )
    return int(response.status_code)


def test_an_attacker_elsewhere_does_not_lock_the_owner_out(studio: StudioServer) -> None:
    victim = studio.add_user("victim@example.com", "admin")
    attacker, owner = studio.client(), studio.client()
    for _ in range(MAX_PER_PAIR):
        assert _sign_in(attacker, victim, "guess", "203.0.113.66") == 401
    assert _sign_in(attacker, victim, PASSWORD, "203.0.113.66") == 429
    assert _sign_in(owner, victim, PASSWORD, "198.51.100.7") == 303
    assert "studio.login_throttled" in [e.action for e in studio.store.privacy.audit_entries()]


def test_forwarded_addresses_are_ignored_unless_the_peer_is_a_trusted_proxy(
    tmp_path: Path,
) -> None:
    server = start_studio(tmp_path)  # no trusted proxies: X-Forwarded-For is anyone's say
    try:
        email = server.add_user("slow@example.com", "marketer")
        client = server.client()
        for n in range(MAX_PER_PAIR):
            assert _sign_in(client, email, "guess", f"192.0.2.{n}") == 401
        assert _sign_in(client, email, PASSWORD, "192.0.2.200") == 429
    finally:
        server.stop()


def test_a_forged_hop_before_the_trusted_proxy_counts_as_that_client(
    studio: StudioServer,
) -> None:
    email = studio.add_user("slow@example.com", "marketer")
    client = studio.client()
    # The proxy appends the real client (203.0.113.9); what the client wrote is before it.
    for n in range(MAX_PER_PAIR):
        assert _sign_in(client, email, "guess", f"10.9.9.{n}, 203.0.113.9") == 401
    assert _sign_in(client, email, PASSWORD, "1.2.3.4, 203.0.113.9") == 429


def test_one_address_guessing_many_emails_is_throttled(studio: StudioServer) -> None:
    client = studio.client()
    for n in range(MAX_PER_ADDRESS):
        _sign_in(client, f"user{n}@example.com", "guess", "203.0.113.5")
    studio.add_user("someone@example.com", "analyst")
    assert _sign_in(client, "someone@example.com", PASSWORD, "203.0.113.5") == 429
    assert _sign_in(client, "someone@example.com", PASSWORD, "203.0.113.6") == 303


def test_guessing_spread_over_many_addresses_spares_the_owners_own(
    studio: StudioServer,
) -> None:
    victim = studio.add_user("victim@example.com", "admin")
    owner, attacker = studio.client(), studio.client()
    assert _sign_in(owner, victim, PASSWORD, "198.51.100.7") == 303
    for n in range(MAX_PER_EMAIL):
        _sign_in(attacker, victim, "guess", f"100.{n // 250}.{n % 250}.1")
    assert _sign_in(attacker, victim, PASSWORD, "203.0.113.250") == 429  # a new address
    assert _sign_in(owner, victim, PASSWORD, "198.51.100.7") == 303


# ------------------------------------------------------------ 7. setup token, once


def test_two_setup_posts_with_the_token_make_exactly_one_admin(tmp_path: Path) -> None:
    server = start_studio(tmp_path)
    try:
        token_file = setup_token_file(server.settings)
        token_file.parent.mkdir(parents=True, exist_ok=True)
        token_file.write_text("the-one-token\n")

        def claim(n: int) -> int:
            form = {
                "email": f"boss{n}@example.com",
                "name": f"Boss {n}",
                "password": "a long password",
                "token": "the-one-token",
            }
            return int(server.client().post("/setup", form, csrf=False).status_code)

        with ThreadPoolExecutor(6) as pool:
            statuses = list(pool.map(claim, range(6)))
        assert sorted(statuses) == [303] + [403] * 5, statuses
        assert [u.role for u in server.store.studio.users()] == ["admin"]
        assert not token_file.exists()
        assert not list(token_file.parent.glob(".studio_setup_token*"))
    finally:
        server.stop()


def test_a_failed_setup_leaves_the_token_usable(tmp_path: Path) -> None:
    server = start_studio(tmp_path)
    try:
        token_file = setup_token_file(server.settings)
        token_file.parent.mkdir(parents=True, exist_ok=True)
        token_file.write_text("the-one-token\n")
        form = {"email": "boss@example.com", "name": "Boss", "token": "the-one-token"}
        client = server.client()
        assert client.post("/setup", {**form, "password": "short"}, csrf=False).status_code == 400
        made = client.post("/setup", {**form, "password": "a long password"}, csrf=False)
        assert made.status_code == 303 and len(server.store.studio.users()) == 1
    finally:
        server.stop()


# ------------------------------------------------------------ 3 and 8. the API process


@dataclass
class ApiProcess:
    url: str
    store: ProfileStore

    def token(self, *scopes: str) -> str:
        issued = tokens.issue()
        self.store.integrations.create_api_token(
            issued.token_id, "test", list(scopes), issued.secret_hash
        )
        return issued.token

    def get(self, path: str, token: str | None, **params: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.get(self.url + path, headers=headers, params=params, timeout=10)


@pytest.fixture(params=["sqlite", PG])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ApiProcess]:
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'parley.db'}"
        else:
            url = stack.enter_context(fresh_database("parley_staff"))
        upgrade(url)
        store = ProfileStore.from_url(url)
        stack.callback(store.dispose)
        yield stack.enter_context(_api_process(tmp_path, url, store))


@contextlib.contextmanager
def _api_process(tmp_path: Path, url: str, store: ProfileStore) -> Iterator[ApiProcess]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PARLEY_DATA_DIR": str(tmp_path / "var"),
        "PARLEY_API_PORT": str(port),
        "PARLEY_BIND_HOST": "127.0.0.1",
        "PARLEY_METRICS_TOKEN": METRICS_TOKEN,
        **shared_secrets(url),
    }
    log = (tmp_path / "api.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "api"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/api/health", process, tmp_path / "api.log")
        yield ApiProcess(f"http://127.0.0.1:{port}", store)
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the API exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the API did not answer within 60 s")


def _is_problem(reply: httpx.Response, status: int) -> bool:
    return reply.status_code == status and reply.headers["content-type"].startswith(
        "application/problem+json"
    )


def test_api_metrics_need_a_token_even_from_loopback(api: ApiProcess) -> None:
    anonymous = api.get("/api/metrics", None)
    assert _is_problem(anonymous, 401) and "parley_" not in anonymous.text
    assert _is_problem(api.get("/api/metrics", "not-the-metrics-token-0123456789"), 401)
    assert _is_problem(api.get("/api/metrics", api.token("write")), 403)
    for token in (METRICS_TOKEN, api.token("read")):
        scraped = api.get("/api/metrics", token)
        assert scraped.status_code == 200 and "parley_http_requests_total" in scraped.text


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/campaigns/caf\u00e9-\u6625/enrollments", {"after": "82896884354212269508"}),
        ("/api/v1/campaigns/welcome/enrollments", {"after": "9223372036854775808"}),
        ("/api/v1/campaigns/welcome/enrollments", {"after": "-1"}),
        ("/api/v1/campaigns/welcome/enrollments", {"after": "\u0663"}),  # an Arabic-Indic 3
        ("/api/v1/campaigns/welcome/enrollments", {"limit": "\u00b2"}),  # a superscript 2
        ("/api/v1/campaigns/wel%00come/enrollments", {}),
        ("/api/v1/contacts", {"limit": "0"}),
        ("/api/v1/contacts", {"limit": "99999999999999999999999"}),
        ("/api/v1/contacts", {"q": "ada\x00"}),
        ("/api/v1/contacts", {"after": "c_\x00"}),
        ("/api/v1/leads", {"grade": "A,Z"}),
        ("/api/v1/contacts/c%00x", {}),
        ("/api/v1/contacts/c%01x/timeline", {}),
        ("/api/v1/contacts/" + "x" * 65, {}),
    ],
)
def test_api_out_of_range_parameters_are_a_400_problem(
    api: ApiProcess, path: str, params: dict[str, str]
) -> None:
    token = api.token("read")
    reply = api.get(path, token, **params)
    assert _is_problem(reply, 400), (reply.status_code, reply.text)
    assert reply.json()["status"] == 400


def test_api_cursor_at_the_largest_id_is_an_empty_page(api: ApiProcess) -> None:
    token = api.token("read")
    last = api.get("/api/v1/campaigns/caf\u00e9/enrollments", token, after=str(2**63 - 1))
    assert last.status_code == 200 and last.json() == {"items": [], "next": None}


def test_api_description_states_the_ranges() -> None:
    from api.openapi import description

    enrollments = description()["paths"]["/api/v1/campaigns/{campaign}/enrollments"]["get"]
    after = next(p for p in enrollments["parameters"] if p["name"] == "after")
    assert after["schema"]["pattern"] == "^[0-9]{1,19}$"
    assert "9223372036854775807" in after["description"]


# ------------------------------------------------------------ 4. secret files


RACE = """
import sys, time
from pathlib import Path
start = float(sys.argv[2])
while time.time() < start:
    pass
from bot.settings import load_settings
s = load_settings(environ={"PARLEY_DATA_DIR": sys.argv[1]}, dotenv=Path(sys.argv[1]) / "x")
print(s.rasa_token.value, s.erasure_salt.value, s.webchat_secret.value,
      s.campaigns.unsubscribe_secret.value)
"""


def test_racing_processes_share_one_secret_kept_0600(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    start = f"{time.time() + 3:.3f}"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(data_dir), start],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    seen = {racer.communicate(timeout=60)[0] for racer in racers}
    assert len(seen) == 1 and len(next(iter(seen)).split()) == 4, seen
    kept = sorted(p.name for p in data_dir.iterdir())
    assert {"erasure_salt", "rasa_token", "unsubscribe_secret", "webchat_secret"} <= set(kept)
    assert not [name for name in kept if name.startswith(".")]  # no temporary file left
    for name in kept:
        assert (data_dir / name).stat().st_mode & 0o777 == 0o600, name


def test_a_readable_secret_file_is_tightened(tmp_path: Path) -> None:
    (tmp_path / "rasa_token").write_text("kept-from-before\n")
    (tmp_path / "rasa_token").chmod(0o644)
    settings = load_settings(environ={"PARLEY_DATA_DIR": str(tmp_path)}, dotenv=tmp_path / "x")
    assert settings.rasa_token.value == "kept-from-before"
    assert (tmp_path / "rasa_token").stat().st_mode & 0o777 == 0o600


def test_the_studio_setup_token_is_made_0600(tmp_path: Path) -> None:
    server = start_studio(tmp_path)
    try:
        assert server.client().get("/setup").status_code == 200
        token_file = setup_token_file(server.settings)
        assert token_file.stat().st_mode & 0o777 == 0o600 and token_file.read_text().strip()
    finally:
        server.stop()


# ------------------------------------------------------------ 5. PostgreSQL start-up

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def test_postgres_start_up_names_every_missing_secret(tmp_path: Path) -> None:
    with pytest.raises(InvalidSetting) as refused:
        load_settings(
            environ={"PARLEY_DATA_DIR": str(tmp_path), "DATABASE_URL": PG_URL},
            dotenv=tmp_path / "x",
        )
    for key in MACHINE_SECRETS:
        assert key in str(refused.value)
    assert not list(tmp_path.iterdir())  # nothing generated


def test_postgres_start_up_names_only_what_is_missing(tmp_path: Path) -> None:
    given = {**shared_secrets(PG_URL)}
    del given["PARLEY_ERASURE_SALT"]
    environ = {"PARLEY_DATA_DIR": str(tmp_path), "DATABASE_URL": PG_URL, **given}
    with pytest.raises(InvalidSetting, match="PARLEY_ERASURE_SALT") as refused:
        load_settings(environ=environ, dotenv=tmp_path / "x")
    assert "PARLEY_RASA_TOKEN" not in str(refused.value)
    complete = {**environ, "PARLEY_ERASURE_SALT": "salt-" + "0" * 32}
    assert load_settings(environ=complete, dotenv=tmp_path / "x").erasure_salt.value
    assert not list(tmp_path.iterdir())


def test_parley_on_postgres_without_secrets_refuses_to_start(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in MACHINE_SECRETS}
    env.update(DATABASE_URL=PG_URL, PARLEY_DATA_DIR=str(tmp_path))
    ran = subprocess.run(
        [sys.executable, "-m", "cli.main", "webhooks", "list"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 1
    assert "required with PostgreSQL" in ran.stderr
    assert all(key in ran.stderr for key in MACHINE_SECRETS), ran.stderr


# ------------------------------------------------------------ 6. event webhooks


@dataclass
class Receiver:
    port: int
    seen: list[bytes]
    connections: list[str]

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://localhost:{self.port}/events"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    seen: list[bytes] = []
    connections: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def setup(self) -> None:
            connections.append(self.client_address[0])
            super().setup()

        def do_POST(self) -> None:
            seen.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Receiver(int(server.server_address[1]), seen, connections)
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("url", [
    "http://hooks.example.com/events",  # not https
    "https://127.0.0.1/events", "https://127.8.9.10/events", "https://localhost/events",
    "https://10.0.0.1/events", "https://172.16.5.4/events", "https://192.168.1.1/events",
    "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/events",
    "https://0.0.0.0/events", "https://224.0.0.1/events", "https://240.0.0.1/events",
    "https://[::1]/events", "https://[fe80::1]/events", "https://[fc00::1]/events",
    "https://[::ffff:127.0.0.1]/events", "https://[::]/events", "https://[2002:7f00:1::]/e",
    "https://[64:ff9b::a00:1]/events", "https://2130706433/events",  # 127.0.0.1 as a number
    "https://hooks.invalid/events", "https:///events", "https://[::1/events",
])  # fmt: skip
def test_webhook_subscriptions_refuse_private_targets(url: str) -> None:
    with pytest.raises(InvalidField):
        webhooks.check_subscription(url, ["lead.captured"])


def test_webhook_subscriptions_take_public_https_and_allow_private_when_told() -> None:
    webhooks.check_subscription("https://8.8.8.8/events", ["lead.captured"])
    webhooks.check_subscription("https://[2001:4860:4860::8888]/e", ["lead.captured"])
    webhooks.check_subscription("http://127.0.0.1:9/events", ["lead.captured"], allow_private=True)


def test_parley_webhooks_subscribe_refuses_a_loopback_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    env = {**os.environ, "DATABASE_URL": url, "PARLEY_DATA_DIR": str(tmp_path / "var")}
    argv = [sys.executable, "-m", "cli.main", "webhooks", "subscribe", "https://localhost/x"]
    ran = subprocess.run(
        argv, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert ran.returncode == 1 and "loopback" in ran.stderr, ran.stderr
    store = ProfileStore.from_url(url)
    try:
        assert store.integrations.webhook_subscriptions() == []
    finally:
        store.dispose()


def _store(tmp_path: Path) -> ProfileStore:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    upgrade(url)
    return ProfileStore.from_url(url)


def test_a_target_that_turned_private_is_not_delivered_to(
    tmp_path: Path, receiver: Receiver
) -> None:
    store = _store(tmp_path)
    try:
        # Subscribed while its name was public; it now resolves to loopback (rebinding).
        store.integrations.subscribe_webhook(
            receiver.url("https"), ["lead.captured"], "s" * 32, now=NOW
        )
        contact = store.contacts.ensure("web", "w1", now=NOW)
        store.leads.set_status(contact.id, "captured", "w1", now=NOW)
        assert webhooks.deliver_due(store, NOW).failed == 1
        [failed] = store.outbox.webhook_deliveries("failed")
        assert failed.last_error is not None and "loopback" in failed.last_error
        assert receiver.connections == []
        # With the setting (tests, labs) a loopback receiver is reached.
        store.integrations.subscribe_webhook(receiver.url(), ["lead.captured"], "s" * 32, now=NOW)
        store.leads.set_status(
            store.contacts.ensure("web", "w2", now=NOW).id, "captured", "w2", now=NOW
        )
        assert webhooks.deliver_due(store, NOW, allow_private=True).delivered == 1
        assert len(receiver.seen) == 1
    finally:
        store.dispose()


def test_the_delivery_connection_goes_only_to_a_checked_address(receiver: Receiver) -> None:
    # What a rebinding answer between the check and the connection would reach.
    with webhooks.public_client() as client, pytest.raises(httpx.ConnectError, match="loopback"):
        client.post(receiver.url(), content=b"{}")
    assert receiver.connections == []
