"""The REST API on loopback with a real store: tokens and scopes, problem+json errors,
rate limits, audit, and schemathesis against its own OpenAPI description."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timezone
from pathlib import Path

import httpx
import pytest
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from api import tokens
from api.app import build_app
from bot.journal import PendingConsent, apply_consent
from bot.runner import free_port
from bot.store import ProfileStore, upgrade
from campaigns.definitions import Message
from campaigns.guards import Limits, refusal
from campaigns.templates import Template

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)


@dataclass
class Api:
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


def _serve(app: web.Application) -> tuple[str, Callable[[], None]]:
    port = free_port()
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)

    def stop() -> None:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    return f"http://127.0.0.1:{port}", stop


def _start(tmp: Path, rate: float = 1000.0, burst: int = 1000) -> Iterator[Api]:
    url = f"sqlite:///{tmp / 'parley.db'}"
    upgrade(url)
    store = ProfileStore.from_url(url)
    base, stop = _serve(build_app(store, "US", rate=rate, burst=burst))
    yield Api(base, store)
    stop()
    store.dispose()


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    yield from _start(tmp_path)


@pytest.fixture(scope="module")
def shared_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from _start(tmp_path_factory.mktemp("api"))


def _contact(store: ProfileStore, external_id: str = "w1", email: str = "ada@acme.io") -> str:
    contact = store.leads.update_fields(
        "web", external_id, {"name": "Ada Lane", "email": email}, external_id, now=NOW
    )
    store.leads.save_score(
        contact.id,
        score=82,
        grade="A",
        stage="sql",
        rubric_version="r",
        model_version=None,
        explanation=[],
        now=NOW,
    )
    return contact.id


def test_api_without_a_token_is_401_problem_json(api: Api) -> None:
    reply = api.get("/api/v1/contacts", None)
    assert reply.status_code == 401
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert reply.json()["title"] == "Unauthorized"
    forged = "pk_aaaaaaaaaaaa_" + "x" * 43
    assert api.get("/api/v1/contacts", forged).status_code == 401


def test_api_scopes_are_enforced(api: Api) -> None:
    contact_id = _contact(api.store)
    reader = api.token("read")
    assert api.get(f"/api/v1/contacts/{contact_id}", reader).json()["score"]["grade"] == "A"
    patch = httpx.patch(
        f"{api.url}/api/v1/contacts/{contact_id}",
        json={"company": "Acme"},
        headers={"Authorization": f"Bearer {reader}"},
        timeout=10,
    )
    assert patch.status_code == 403
    writer = api.token("read", "write")
    patch = httpx.patch(
        f"{api.url}/api/v1/contacts/{contact_id}",
        json={"company": "Acme"},
        headers={"Authorization": f"Bearer {writer}"},
        timeout=10,
    )
    assert patch.status_code == 200 and patch.json()["company"] == "Acme"
    consent = {
        "purpose": "email",
        "granted": True,
        "wording": "May we email you?",
        "wording_version": "staff-1",
        "evidence": {"collected_by": "sam", "method": "call"},
    }
    url = f"{api.url}/api/v1/contacts/{contact_id}/consent"
    denied = httpx.post(url, json=consent, headers={"Authorization": f"Bearer {writer}"})
    assert denied.status_code == 403
    privacy = api.token("privacy")
    made = httpx.post(url, json=consent, headers={"Authorization": f"Bearer {privacy}"})
    assert made.status_code == 201 and made.json()["source"] == "staff"
    assert api.store.consent.is_granted(contact_id, "email")


def _post_consent(
    api: Api, contact_id: str, purpose: str, granted: bool, wording: str
) -> httpx.Response:
    body = {
        "purpose": purpose,
        "granted": granted,
        "wording": wording,
        "wording_version": "staff-1",
        "evidence": {"collected_by": "sam"},
    }
    url = f"{api.url}/api/v1/contacts/{contact_id}/consent"
    return httpx.post(url, json=body, headers={"Authorization": f"Bearer {api.token('privacy')}"})


def test_api_consent_grant_after_an_sms_stop_lets_campaign_sms_through(api: Api) -> None:
    phone = "+14155550134"
    stop = PendingConsent(
        channel="sms",
        external_id=phone,
        purposes=("sms",),
        granted=False,
        wording="STOP",
        wording_version="keyword-1",
        source="keyword",
        evidence={"message_sid": "SM1"},
        occurred_at=NOW.isoformat(),
    )
    apply_consent(api.store, stop)
    contact = api.store.contacts.ensure("sms", phone)
    made = _post_consent(api, contact.id, "sms", True, "May we text you offers?")
    assert made.status_code == 201
    assert api.store.consent.do_not_contact(contact.id) == []
    later = datetime(2026, 3, 3, 18, 0, tzinfo=timezone.utc)  # 10:00 in San Francisco
    limits = Limits(time(8), time(21), cap_per_day=2, cap_per_week=5, default_region="US")
    message = Message({"text": Template("Hello")})
    snapshot = api.store.campaigns.contact_snapshot(contact.id, later)
    assert refusal("sms", snapshot, message, limits, {"sms"}, later) is None


def test_api_consent_withdrawal_blocks_the_purpose_like_any_other(api: Api) -> None:
    contact_id = _contact(api.store)
    made = _post_consent(api, contact_id, "email", False, "Please stop emailing me")
    assert made.status_code == 201 and made.json()["granted"] is False
    entries = api.store.consent.do_not_contact(contact_id)
    assert [(e.channel, e.reason, e.note) for e in entries] == [
        ("email", "withdrawn", "withdrawn through the API")
    ]
    assert not api.store.consent.may_send(contact_id, "email", NOW)


def test_api_revoked_token_stops_working_at_once(api: Api) -> None:
    token = api.token("read")
    assert api.get("/api/v1/contacts", token).status_code == 200
    assert api.store.integrations.revoke_api_token(tokens.split(token)[0])  # type: ignore[index]
    assert api.get("/api/v1/contacts", token).status_code == 401


def test_api_pages_contacts_with_after(api: Api) -> None:
    for n in range(5):
        _contact(api.store, f"w{n}", f"p{n}@acme.io")
    token = api.token("read")
    first = api.get("/api/v1/contacts", token, limit="3").json()
    second = api.get("/api/v1/contacts", token, limit="3", after=first["next"]).json()
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert len(ids) == 5 == len(set(ids)) and second["next"] is None
    assert api.get("/api/v1/contacts", token, q="P3@acme.io").json()["items"][0]["email"] == (
        "p3@acme.io"
    )
    found = api.get("/api/v1/contacts", token, q="ADA LA").json()["items"]
    assert len(found) == 5  # every "Ada Lane", by a piece of the name in any case
    assert api.get("/api/v1/contacts", token, q="zebra").json()["items"] == []
    assert api.get("/api/v1/leads", token, grade="A").json()["items"]
    assert api.get("/api/v1/leads", token, grade="B").json()["items"] == []


def test_api_reads_of_personal_data_are_audited(api: Api) -> None:
    contact_id = _contact(api.store)
    token = api.token("read")
    api.get(f"/api/v1/contacts/{contact_id}/timeline", token)
    [entry, *_] = api.store.privacy.audit_entries()
    assert (entry.action, entry.target) == ("api.read", contact_id)
    assert entry.actor == f"api-token:{tokens.split(token)[0]}"  # type: ignore[index]


def test_api_bad_input_is_400_and_unknown_is_404(api: Api) -> None:
    contact_id = _contact(api.store)
    token = api.token("read", "write")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{api.url}/api/v1/contacts/{contact_id}"
    for body in (b"{", b"[]", b'{"email": "not-an-email"}', b'{"shoe_size": "9"}', b'{"name": 7}'):
        reply = httpx.patch(url, content=body, headers=headers, timeout=10)
        assert reply.status_code == 400, body
    assert api.get("/api/v1/contacts/nobody", token).status_code == 404
    assert api.get("/api/v1/contacts", token, limit="1000").status_code == 400
    assert api.get("/api/v1/nowhere", token).status_code == 404


def test_api_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    # A token every 20 s: a slow machine never refills the bucket between the requests.
    gen = _start(tmp_path, rate=0.05, burst=3)
    api = next(gen)
    token = api.token("read")
    codes = [api.get("/api/v1/contacts", token).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
    limited = api.get("/api/v1/contacts", token)
    assert int(limited.headers["Retry-After"]) >= 1
    for _ in gen:
        pass


def test_api_openapi_description_is_served_without_a_token(api: Api) -> None:
    described = httpx.get(f"{api.url}/api/openapi.json", timeout=10).json()
    assert described["openapi"].startswith("3.")
    assert "/api/v1/contacts/{contact_id}/consent" in described["paths"]


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def api_schema(shared_api: Api) -> schemathesis.BaseSchema:
    _contact(shared_api.store)
    loaded = schemathesis.openapi.from_url(f"{shared_api.url}/api/openapi.json")
    token = shared_api.token("read", "write", "privacy")
    loaded.config.update(headers={"Authorization": f"Bearer {token}"}, base_url=shared_api.url)
    return loaded


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_description(case: schemathesis.Case) -> None:
    # Valid by the schema is not always valid: "0" is a string but not a phone number,
    # and the API says so with a documented 400 problem instead of storing it.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_api_lists_a_campaigns_enrollments_page_by_page(api: Api) -> None:
    ids = [_contact(api.store, f"w{n}", f"e{n}@acme.io") for n in range(3)]
    for contact_id in ids:
        api.store.campaigns.enroll("welcome", contact_id, "manual", NOW)
    token = api.token("read")
    first = api.get("/api/v1/campaigns/welcome/enrollments", token, limit="2").json()
    rest = api.get("/api/v1/campaigns/welcome/enrollments", token, after=first["next"]).json()
    assert [e["contact_id"] for e in first["items"] + rest["items"]] == ids
    assert rest["next"] is None


def test_api_ready_follows_the_profile_store(api: Api) -> None:
    assert httpx.get(f"{api.url}/api/ready", timeout=10).json() == {"status": "ok"}
    away = ProfileStore.from_url("postgresql://postgres@127.0.0.1:1/nowhere")
    base, stop = _serve(build_app(away, "US"))
    try:
        reply = httpx.get(f"{base}/api/ready", timeout=10)
    finally:
        stop()
        away.dispose()
    assert reply.status_code == 503
    assert reply.json()["status"] == "unavailable"
