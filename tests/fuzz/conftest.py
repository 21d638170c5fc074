"""Fuzzing every HTTP route of one real Parley (issue #9): hostile input in, never a 5xx.

One stack (Rasa server with Parley's connectors, action server, campaign worker, REST API)
serves the whole directory, with Twilio and Telegram configured against loopback fakes
so that the signed paths are live. Every request goes through `Fuzzer.send`, which
checks the status, times the request and counts it per route; with PARLEY_FUZZ_REPORT
set, the counts are written there as JSON when the session ends (bench/fuzz.py reads
them). PARLEY_FUZZ_EXAMPLES scales how many cases each property runs.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import sqlalchemy
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sanic.request import RequestParameters
from twilio.request_validator import RequestValidator

from api import tokens
from bot.store import ProfileStore
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.fake_twilio import FakeTwilio
from tests.e2e.conftest import Stack, launch

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "fuzz-auth-token-0123456789abcdef"
PUBLIC_URL = "https://bot.fuzz.test"
SMS_FROM = "+15005550006"
TELEGRAM_TOKEN = "123456:FUZZ-token-abcdefghijklmnopqrstu"
TELEGRAM_SECRET = "fuzz-telegram-secret_0123456789"
UNSUBSCRIBE_SECRET = "fuzz-unsubscribe-secret-0123456789"
EXAMPLES = int(os.environ.get("PARLEY_FUZZ_EXAMPLES", "40"))
SETTLE_S = 1.5


def fuzz_settings(weight: float = 1.0) -> settings:
    """Deterministic runs scaled by PARLEY_FUZZ_EXAMPLES; `weight` shares it out between
    cheap properties (a 4xx in a millisecond) and costly ones (a whole Rasa turn)."""
    return settings(
        max_examples=max(3, round(EXAMPLES * weight)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )


# ------------------------------------------------------------------ counting cases


@dataclass
class RouteStats:
    cases: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    max_latency_s: float = 0.0

    def add(self, status: int | None, latency_s: float) -> None:
        self.cases += 1
        self.statuses["none" if status is None else f"{status // 100}xx"] += 1
        self.max_latency_s = max(self.max_latency_s, latency_s)


STATS: dict[str, RouteStats] = {}


def record(route: str, status: int | None, latency_s: float) -> None:
    STATS.setdefault(route, RouteStats()).add(status, latency_s)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Add this process's counts to the report: with test workers (`./parley test`),
    each counted only the tests it ran. tests/conftest.py empties it at the start."""
    target = os.environ.get("PARLEY_FUZZ_REPORT")
    if not target:
        return
    with Path(target).open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        handle.seek(0)
        text = handle.read()
        report: dict[str, Any] = json.loads(text) if text.strip() else {}
        for route, s in STATS.items():
            seen = report.setdefault(route, {"cases": 0, "statuses": {}, "max_latency_s": 0.0})
            seen["cases"] += s.cases
            seen["statuses"] = dict(Counter(seen["statuses"]) + s.statuses)
            seen["max_latency_s"] = max(seen["max_latency_s"], s.max_latency_s)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(dict(sorted(report.items())), indent=2))


# ------------------------------------------------------------------ sending


class Fuzzer:
    """Sends one fuzz case, counts it, and fails it on a 5xx."""

    def __init__(self) -> None:
        self.client = httpx.Client(timeout=90)

    def send(self, route: str, method: str, url: str | httpx.URL, **kwargs: Any) -> httpx.Response:
        started = time.perf_counter()
        try:
            reply = self.client.request(method, url, **kwargs)
        except httpx.TransportError:
            record(route, None, time.perf_counter() - started)
            raise
        record(route, reply.status_code, time.perf_counter() - started)
        assert reply.status_code < 500, f"{route}: {reply.status_code} {reply.text[:400]!r}"
        return reply

    def raw(self, route: str, port: int, request: bytes) -> int | None:
        """Bytes no HTTP client would send; the status line's code, or None when the
        server just closed the connection (allowed: nothing to answer)."""
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            try:
                conn.sendall(request)
                conn.shutdown(socket.SHUT_WR)
                head = _read_head(conn)
            except (ConnectionResetError, BrokenPipeError):
                head = b""
        parts = head.split(b" ", 2)
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        record(route, status, time.perf_counter() - started)
        assert status is None or status < 500, f"{route}: {head[:200]!r}"
        return status


def _read_head(conn: socket.socket) -> bytes:
    head = b""
    while b"\r\n" not in head:
        chunk = conn.recv(4096)
        if not chunk:
            break
        head += chunk
    return head.split(b"\r\n", 1)[0]


@pytest.fixture(scope="session")
def fuzzer() -> Iterator[Fuzzer]:
    running = Fuzzer()
    yield running
    running.client.close()


# ------------------------------------------------------------------ the stack


@dataclass
class FuzzStack:
    stack: Stack
    twilio: FakeTwilio
    telegram: FakeTelegram
    api_token: str

    @property
    def rasa(self) -> str:
        return self.stack.settings.rasa_url

    @property
    def rasa_port(self) -> int:
        return self.stack.settings.rasa_port

    @property
    def api_port(self) -> int:
        return self.stack.settings.api.port

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def worker_port(self) -> int:
        return self.stack.settings.campaigns.worker_port

    @property
    def worker(self) -> str:
        return f"http://127.0.0.1:{self.worker_port}"

    @property
    def store(self) -> ProfileStore:
        return self.stack.store

    def assert_alive(self) -> None:
        """Every process still answers its health route: no case crashed one."""
        for url in (
            f"{self.rasa}/webhooks/rest/",
            f"{self.api}/api/health",
            f"{self.worker}/health",
            f"{self.stack.settings.actions_url}/health",
        ):
            assert httpx.get(url, timeout=30).status_code == 200, url


def _environment(twilio: FakeTwilio, telegram: FakeTelegram) -> dict[str, str]:
    return {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_SMS_FROM": SMS_FROM, "PARLEY_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_API_BASE_URL": twilio.url, "PARLEY_VOICE_SALES_NUMBER": "+15005550009",
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": telegram.api_base,
        "PARLEY_UNSUBSCRIBE_SECRET": UNSUBSCRIBE_SECRET,
        # The rate limiter is tested elsewhere; here every case should reach a handler.
        "PARLEY_API_RATE": "10000", "PARLEY_API_BURST": "100000",
    }  # fmt: skip


@pytest.fixture(scope="session")
def fuzz_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FuzzStack]:
    twilio, telegram = FakeTwilio().start(), FakeTelegram(TELEGRAM_TOKEN).start()
    stack = launch(tmp_path_factory.mktemp("fuzz"), trained_model, **_environment(twilio, telegram))
    issued = tokens.issue()
    stack.store.integrations.create_api_token(
        issued.token_id, "fuzz", ["read", "write", "privacy"], issued.secret_hash
    )
    try:
        yield FuzzStack(stack, twilio, telegram, issued.token)
    finally:
        stack.supervisor.stop()
        stack.store.dispose()
        twilio.stop()
        telegram.stop()


# ------------------------------------------------------------------ what got stored


def row_counts(stack: Stack) -> dict[str, int]:
    """Rows per table in the profile store and the tracker store."""
    counts: dict[str, int] = {}
    for label, url in (
        ("profile", stack.settings.database_url),
        ("tracker", stack.settings.tracker_store_url),
    ):
        engine = sqlalchemy.create_engine(url)
        try:
            with engine.connect() as conn:
                for table in sqlalchemy.inspect(conn).get_table_names():
                    query = sqlalchemy.text(f'SELECT COUNT(*) FROM "{table}"')
                    counts[f"{label}.{table}"] = int(conn.execute(query).scalar_one())
        finally:
            engine.dispose()
    return counts


def settled_counts(stack: Stack, timeout_s: float = 120) -> dict[str, int]:
    """Row counts once background turns (Twilio, Telegram answer first, work after)
    have stopped writing."""
    deadline = time.monotonic() + timeout_s
    last = row_counts(stack)
    while time.monotonic() < deadline:
        time.sleep(SETTLE_S)
        now = row_counts(stack)
        if now == last:
            return now
        last = now
    raise AssertionError(f"the stores never settled: {last}")


def identities(stack: Stack) -> set[tuple[str, str]]:
    with stack.store.engine.connect() as conn:
        rows = conn.execute(sqlalchemy.text("SELECT channel, external_id FROM channel_identities"))
        return {(str(channel), str(external)) for channel, external in rows}


LEAD_TEXT_FIELDS = ("name", "company", "role", "need", "email", "phone")


def lead_values(stack: Stack) -> dict[str, dict[str, str]]:
    """Each contact's stored lead fields that hold a value, by contact id."""
    found: dict[str, dict[str, str]] = {}
    for contact in stack.store.contacts.iterate():
        values = {f: getattr(contact, f) for f in LEAD_TEXT_FIELDS if getattr(contact, f, None)}
        found[contact.id] = {f: str(v) for f, v in values.items()}
    return found


def _folded(text: str) -> str:
    """The reader's normalization: invisible format characters and pictographs dropped
    (bot.leads.strip_symbols) before and after NFKC, so that a symbol NFKC would spell
    out in letters ("🈐" is "ココ") counts as the pictograph the reader drops; case folded,
    runs of spaces made one."""
    text = unicodedata.normalize("NFKC", _without_symbols(text)).casefold()
    return " ".join(_without_symbols(text).split())


def _without_symbols(text: str) -> str:
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Cs"))
    return kept.replace("\ufe0e", "").replace("\ufe0f", "")


def stored_as_given(field_name: str, value: str, said: list[str]) -> bool:
    """A stored lead value is a piece of something sent, or its normalized form (an
    email folded to lower case, a phone number in E.164), never something new."""
    if "\ufffd" in value and not any("\ufffd" in s for s in said):
        return False  # mojibake: bytes were lost on the way in
    if field_name == "phone":
        digits = "".join(ch for ch in value if ch.isdigit())
        return any(digits[-7:] in "".join(ch for ch in s if ch.isdigit()) for s in said)
    return any(_folded(value) in _folded(s) for s in said)


# ------------------------------------------------------------------ Twilio signatures


def form_as_parsed(body: bytes) -> RequestParameters:
    """The form exactly as Parley parses it (channels.twilio_messaging.form_of)."""
    text = body.decode("utf-8", errors="replace")
    return RequestParameters(parse_qs(text, keep_blank_values=True))


def twilio_signature(url: str, body: bytes, token: str = AUTH_TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(url, form_as_parsed(body)))


def public_url_of(local_url: str) -> str:
    """The public URL Twilio signs for a request sent to `local_url` on loopback."""
    parts = urlsplit(local_url)
    return PUBLIC_URL + parts.path + (f"?{parts.query}" if parts.query else "")


def sent_texts(forms: list[Mapping[str, str]], *names: str) -> list[str]:
    return [str(form[name]) for form in forms for name in names if form.get(name)]


# ------------------------------------------------------------------ hostile input

NASTY_STRINGS = (
    "", " ", "\x00", "\u202eevil", "'; DROP TABLE contacts; --", "<script>alert(1)</script>",
    "{{7*7}}${jndi:ldap://x}", "../../../../etc/passwd", "%00%ff%2e%2e", "\r\nX-Injected: 1",
    "Z̸̢̧a̷l̵g̴o̶", "👩‍👩‍👧‍👦" * 50, "ａｄｍｉｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "whatsapp:", "+1 (415) 555-0134",
    "STOP", "start", "x" * 5000, "١٢٣٤٥٦٧٨٩", "null", "[]", "NaN", "-1", "9" * 400,
)  # fmt: skip
# Text httpx can put on the wire: any code point but lone surrogates.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
hostile_text = st.one_of(st.sampled_from(NASTY_STRINGS), any_text)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=20,
)
DEEP_JSON = b"[" * 50_000 + b"]" * 50_000
HOSTILE_BODIES = (
    b"", b"\xff\xfe\xfa", b"{", b"[", b"null", b"{}", b"[]", b'"text"', b"1e999999",
    DEEP_JSON, b"[" * 100_000, b'{"a": ' + b"1" * 5000 + b"}", b"\xef\xbb\xbf{}",
    b'{"sender": "\xc3\x28", "message": "\xa0\xa1"}', b"\x00" * 4096, b"a=1&b=%ZZ&&=&",
    b"{" * 3000 + b"}" * 3000,
)  # fmt: skip
junk_bodies = st.one_of(st.sampled_from(HOSTILE_BODIES), st.binary(max_size=2048))
CONTENT_TYPES = (
    None, "application/json", "application/json; charset=latin-1", "text/plain",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
    "multipart/form-data", "application/xml", "*/*", "application/json; charset=\x7f",
)  # fmt: skip
content_types = st.sampled_from(CONTENT_TYPES)
# Header values HTTP can carry (no CR, LF, NUL or DEL), in the ASCII httpx sends as is.
# h11 refuses leading or trailing blanks, so they are stripped here, not sent.
header_values = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=200).map(
    str.strip
)


def with_content_type(content_type: str | None) -> dict[str, str]:
    return {} if content_type is None else {"Content-Type": content_type}


def assert_new_values_as_given(
    stack: Stack, before: dict[str, dict[str, str]], said: list[str]
) -> None:
    """Every lead value stored or changed since `before` came from what was `said`."""
    for contact_id, values in lead_values(stack).items():
        for name, value in values.items():
            if before.get(contact_id, {}).get(name) != value:
                assert stored_as_given(name, value, said), (contact_id, name, value)
