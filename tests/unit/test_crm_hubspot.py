"""CRM sync against a fake HubSpot on loopback: a real HTTP server implementing the CRM v3
contacts batch upsert and GDPR delete, and (#20) the deals search, the v4 deal-to-contact
associations batch read and the contacts batch read, checking the Bearer token, recording
every input, and scripted to rate-limit, fail, or refuse one email; with a real SQLite
profile store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.crm import CrmContact, HubSpotConnector, PushResult, SyncReport, pull_outcomes, sync_due
from bot.crm.hubspot import (
    CONTACTS_READ_PATH,
    DEAL_CONTACTS_PATH,
    DEAL_SEARCH_PATH,
    GDPR_DELETE_PATH,
    UPSERT_PATH,
)
from bot.settings import PROJECT_ROOT, Secret, load_settings
from bot.store import ProfileStore, upgrade

NOW = datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc)
TOKEN = "pat-na1-test-0123456789"


@dataclass
class Reply:
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeHubSpot:
    """What HubSpot holds (properties by email) and every batch it was sent."""

    url: str
    script: list[Reply | None] = field(default_factory=list)  # None: answer normally
    refuse_one: set[str] = field(default_factory=set)  # a 207 error for this input
    refuse_batch: set[str] = field(default_factory=set)  # a 400 for any batch holding it
    batches: list[list[dict[str, Any]]] = field(default_factory=list)
    contacts: dict[str, dict[str, str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    erase_script: list[Reply | None] = field(default_factory=list)
    deletions: list[dict[str, Any]] = field(default_factory=list)  # GDPR delete bodies
    blocked: set[str] = field(default_factory=set)  # emails HubSpot will not recreate
    # Deals (#20): id -> properties; deal id -> associated HubSpot contact ids; HubSpot
    # contact id -> email; every search body; scripted answers to searches.
    deals: dict[str, dict[str, str]] = field(default_factory=dict)
    deal_contacts: dict[str, list[str]] = field(default_factory=dict)
    hub_contacts: dict[str, str] = field(default_factory=dict)
    searches: list[dict[str, Any]] = field(default_factory=list)
    search_script: list[Reply | None] = field(default_factory=list)

    def deal(
        self, deal_id: str, stage: str, modified: datetime, emails: tuple[str, ...] = (),
        **properties: str,
    ) -> None:  # fmt: skip
        """A deal as HubSpot holds it, associated with contacts having these emails."""
        with self.lock:
            self.deals[deal_id] = {
                "dealstage": stage, "hs_lastmodifieddate": _hub_time(modified),
                "closedate": _hub_time(modified), **properties,
            }  # fmt: skip
            ids = []
            for email in emails:
                known = [k for k, v in self.hub_contacts.items() if v == email]
                ids.append(known[0] if known else str(500 + len(self.hub_contacts)))
                self.hub_contacts[ids[-1]] = email
            self.deal_contacts[deal_id] = ids

    def search_deals(self, auth: str | None, body: dict[str, Any]) -> Reply:
        with self.lock:
            self.searches.append(body)
            scripted = self.search_script.pop(0) if self.search_script else None
        if scripted is not None:
            return scripted
        if auth != f"Bearer {TOKEN}":
            return Reply(401, {"category": "INVALID_AUTHENTICATION", "message": "no"})
        [group] = body["filterGroups"]
        found = []
        with self.lock:
            for deal_id, props in self.deals.items():
                if all(_matches(props, f) for f in group["filters"]):
                    found.append({"id": deal_id, "properties": {
                        k: props.get(k) for k in body["properties"]}})  # fmt: skip
        assert body["sorts"] == [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}]
        found.sort(key=lambda d: (d["properties"]["hs_lastmodifieddate"], int(d["id"])))
        start = int(body.get("after", 0))
        page = found[start : start + body["limit"]]
        reply: dict[str, Any] = {"total": len(found), "results": page}
        if start + body["limit"] < len(found):
            reply["paging"] = {"next": {"after": str(start + body["limit"])}}
        return Reply(200, reply)

    def deal_associations(self, inputs: list[dict[str, str]]) -> Reply:
        results, errors = [], []
        for given in inputs:
            linked = self.deal_contacts.get(given["id"], [])
            if linked:
                results.append({"from": {"id": given["id"]}, "to": [
                    {"toObjectId": int(c), "associationTypes": [
                        {"category": "HUBSPOT_DEFINED", "typeId": 3, "label": None}]}
                    for c in linked]})  # fmt: skip
            else:
                errors.append({"status": "error", "category": "OBJECT_NOT_FOUND",
                               "message": f"No contacts for deal {given['id']}"})  # fmt: skip
        return Reply(207 if errors else 200, {"status": "COMPLETE", "results": results,
                                               "errors": errors})  # fmt: skip

    def read_contacts(self, body: dict[str, Any]) -> Reply:
        assert body["properties"] == ["email"] and len(body["inputs"]) <= 100
        results = [
            {"id": i["id"], "properties": {"email": self.hub_contacts[i["id"]],
                                          "hs_object_id": i["id"]}}
            for i in body["inputs"] if i["id"] in self.hub_contacts
        ]  # fmt: skip
        return Reply(200, {"status": "COMPLETE", "results": results})

    def gdpr_delete(self, auth: str | None, body: dict[str, Any]) -> Reply:
        with self.lock:
            self.deletions.append(body)
            scripted = self.erase_script.pop(0) if self.erase_script else None
        if scripted is not None:
            return scripted
        if auth != f"Bearer {TOKEN}":
            return Reply(
                401,
                {
                    "status": "error",
                    "category": "INVALID_AUTHENTICATION",
                    "message": "Authentication credentials not found.",
                },
            )
        if body.get("idProperty") != "email" or "@" not in str(body.get("objectId")):
            return Reply(
                400,
                {
                    "status": "error",
                    "category": "VALIDATION_ERROR",
                    "message": "objectId must be an email with idProperty email",
                },
            )
        with self.lock:  # an unknown address is blocked all the same, as HubSpot does
            self.contacts.pop(body["objectId"], None)
            self.blocked.add(body["objectId"])
        return Reply(204)

    def answer(self, auth: str | None, inputs: list[dict[str, Any]]) -> Reply:
        with self.lock:
            self.batches.append(inputs)
            scripted = self.script.pop(0) if self.script else None
        if scripted is not None:
            return scripted
        if auth != f"Bearer {TOKEN}":
            return Reply(
                401,
                {
                    "status": "error",
                    "category": "INVALID_AUTHENTICATION",
                    "message": "Authentication credentials not found.",
                },
            )
        if len(inputs) > 100 or {i["id"] for i in inputs} & self.refuse_batch:
            return Reply(
                400,
                {
                    "status": "error",
                    "category": "VALIDATION_ERROR",
                    "message": "Property values were not valid",
                },
            )
        return self._upsert(inputs)

    def _upsert(self, inputs: list[dict[str, Any]]) -> Reply:
        errors = [
            {"status": "error", "category": "VALIDATION_ERROR",
             "message": f"Property values were not valid for {i['id']}",
             "context": {"objectWriteTraceId": [i["objectWriteTraceId"]]}}
            for i in inputs if i["id"] in self.refuse_one
        ]  # fmt: skip
        with self.lock:
            for i in inputs:
                assert i["idProperty"] == "email"
                if i["id"] not in self.refuse_one:
                    self.contacts[i["id"]] = i["properties"]
        body: dict[str, Any] = {"status": "COMPLETE", "results": [], "errors": errors}
        return Reply(207 if errors else 200, body)


def _hub_time(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{when.microsecond // 1000:03d}Z"
    )


def _matches(props: dict[str, str], rule: dict[str, Any]) -> bool:
    value = props.get(rule["propertyName"])
    if rule["operator"] == "IN":
        return value in rule["values"]
    assert rule["operator"] == "GTE" and rule["propertyName"] == "hs_lastmodifieddate"
    since = datetime.fromtimestamp(int(rule["value"]) / 1000, tz=timezone.utc)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")) >= since


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    fake = FakeHubSpot(f"http://127.0.0.1:{server.server_address[1]}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            auth = self.headers.get("Authorization")
            if self.path == UPSERT_PATH:
                reply = fake.answer(auth, body["inputs"])
            elif self.path == GDPR_DELETE_PATH:
                reply = fake.gdpr_delete(auth, body)
            elif self.path == DEAL_SEARCH_PATH:
                reply = fake.search_deals(auth, body)
            elif self.path == DEAL_CONTACTS_PATH:
                reply = fake.deal_associations(body["inputs"])
            elif self.path == CONTACTS_READ_PATH:
                reply = fake.read_contacts(body)
            else:
                reply = Reply(404, {"message": self.path})
            payload = b"" if reply.status == 204 else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            return None

    server.RequestHandlerClass = Handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProfileStore]:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    upgrade(url)
    profile_store = ProfileStore.from_url(url)
    yield profile_store
    profile_store.dispose()


@pytest.fixture
def connector(hubspot: FakeHubSpot) -> Iterator[HubSpotConnector]:
    hub = HubSpotConnector(Secret(TOKEN), hubspot.url)
    yield hub
    hub.close()


def _lead(store: ProfileStore, n: int, email: bool = True, **fields: str) -> str:
    values = {"name": f"Ada Lovelace {n}", **fields}
    if email:
        values["email"] = f"lead{n}@example.com"
    contact = store.leads.update_fields("web", f"w{n}", values, f"c{n}", now=NOW)  # type: ignore[arg-type]
    store.leads.set_status(contact.id, "captured", f"c{n}", now=NOW)
    return contact.id


def _consent(store: ProfileStore, contact_id: str, purpose: str, granted: bool) -> None:
    store.consent.record(
        contact_id,
        purpose,
        granted,
        channel="web",
        wording="May we email you?",  # type: ignore[arg-type]
        wording_version="v1",
        source="conversation",
        evidence={"conversation_id": "c1"},
        now=NOW,
    )


def _emails(hubspot: FakeHubSpot) -> list[str]:
    return [i["id"] for batch in hubspot.batches for i in batch]


def test_sync_upserts_a_qualified_lead_by_email_with_score_and_consent(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    contact_id = _lead(store, 1, phone="+14155550134", company="Acme", role="CTO")
    store.leads.save_score(
        contact_id,
        score=87,
        grade="A",
        stage="sql",
        rubric_version="r1",
        model_version=None,
        explanation=[],
        now=NOW,
    )
    _consent(store, contact_id, "email", True)
    _consent(store, contact_id, "sms", False)
    report = sync_due(store, connector, NOW)
    assert report.pushed == 1 and report.error is None
    [[sent]] = hubspot.batches
    assert sent["idProperty"] == "email" and sent["id"] == "lead1@example.com"
    assert sent["objectWriteTraceId"] == contact_id
    assert sent["properties"] == {
        "firstname": "Ada", "lastname": "Lovelace 1", "phone": "+14155550134",
        "company": "Acme", "jobtitle": "CTO", "parley_lead_status": "captured",
        "parley_score": "87", "parley_grade": "A", "parley_stage": "sql",
        "parley_consent": "email: granted; sms: withdrawn",
    }  # fmt: skip
    assert store.integrations.crm_cursor("hubspot") == report.position > 0
    assert sync_due(store, connector, NOW).pushed == 0 and len(hubspot.batches) == 1


def test_sync_sends_150_leads_in_two_batches(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    for n in range(150):
        _lead(store, n)
    report = sync_due(store, connector, NOW)
    assert report.pushed == 150
    assert [len(batch) for batch in hubspot.batches] == [100, 50]
    assert sorted(hubspot.contacts) == sorted(f"lead{n}@example.com" for n in range(150))


def test_sync_waits_out_a_rate_limit_then_succeeds(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    _lead(store, 1)
    hubspot.script = [
        Reply(
            429,
            {
                "status": "error",
                "errorType": "RATE_LIMIT",
                "policyName": "TEN_SECONDLY_ROLLING",
                "message": "You have reached your ten_secondly_rolling limit.",
            },
            {"Retry-After": "7"},
        )
    ]
    limited = sync_due(store, connector, NOW)
    assert limited.pushed == 0 and "429" in (limited.error or "")
    assert limited.retry_at == NOW + timedelta(seconds=7)
    assert store.integrations.crm_cursor("hubspot") == 0
    paused = sync_due(store, connector, NOW + timedelta(seconds=3))
    assert paused.retry_at == limited.retry_at and len(hubspot.batches) == 1  # not asked again
    later = sync_due(store, connector, NOW + timedelta(seconds=7))
    assert later.pushed == 1 and later.error is None and "lead1@example.com" in hubspot.contacts
    assert store.integrations.crm_failure("hubspot") is None


def test_sync_retries_a_server_error_on_a_later_tick(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    _lead(store, 1)
    hubspot.script = [Reply(500, {"message": "internal error"})]
    failed = sync_due(store, connector, NOW)
    assert failed.error is not None and failed.error.startswith("HTTP 500")
    assert (
        failed.retry_at == NOW + timedelta(seconds=2)
        and store.integrations.crm_cursor("hubspot") == 0
    )
    assert sync_due(store, connector, NOW + timedelta(seconds=2)).pushed == 1


def test_sync_never_moves_the_cursor_past_a_failed_batch(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    for n in range(150):
        _lead(store, n)
    events = store.integrations.events_after(0, ["lead.captured"], 1000)
    hubspot.script = [None, Reply(503, {"message": "unavailable"})]
    report = sync_due(store, connector, NOW)
    assert report.pushed == 100 and report.error is not None
    assert report.position == events[100].id - 1 == store.integrations.crm_cursor("hubspot")
    assert len(hubspot.contacts) == 100
    retried = sync_due(store, connector, NOW + timedelta(minutes=1))
    assert retried.pushed == 50 and retried.position == events[-1].id
    assert len(hubspot.contacts) == 150 and [len(b) for b in hubspot.batches] == [100, 50, 50]


def test_sync_skips_only_the_contact_hubspot_refuses(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    ids = [_lead(store, n) for n in range(3)]
    hubspot.refuse_one = {"lead1@example.com"}
    report = sync_due(store, connector, NOW)
    assert report.pushed == 2 and [r.contact_id for r in report.rejected] == [ids[1]]
    assert "VALIDATION_ERROR" in report.rejected[0].reason and report.error is None
    assert sorted(hubspot.contacts) == ["lead0@example.com", "lead2@example.com"]
    assert [e.kind for e in store.contacts.timeline(ids[1])][-1] == "crm_rejected"
    assert store.integrations.crm_cursor("hubspot") == report.position
    assert sync_due(store, connector, NOW).pushed == 0 and len(hubspot.batches) == 1


def test_sync_splits_a_batch_refused_as_a_whole_to_skip_the_culprit(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    ids = [_lead(store, n) for n in range(8)]
    hubspot.refuse_batch = {"lead5@example.com"}
    report = sync_due(store, connector, NOW)
    assert report.pushed == 7 and [r.contact_id for r in report.rejected] == [ids[5]]
    assert report.rejected[0].reason.startswith("HTTP 400")
    assert len(hubspot.contacts) == 7 and len(hubspot.batches) == 7  # 8 → 4+4 → 2+2 → 1+1


def test_sync_skips_and_reports_contacts_without_email_or_not_leads(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    anonymous = _lead(store, 1, email=False)
    browsing = store.leads.update_fields("web", "w2", {"email": "b@example.com"}, "c2", now=NOW)
    _consent(store, browsing.id, "email", True)  # a consent change, but not a lead yet
    report = sync_due(store, connector, NOW)
    assert report.without_email == (anonymous,) and report.not_leads == 1
    assert report.pushed == 0 and hubspot.batches == []
    assert store.integrations.crm_cursor("hubspot") == report.position > 0


@dataclass
class ErasingOnFirstPush:
    """Another connector (the interface's second user): erases someone mid-sync, as a
    data-subject request arriving while batches go out would."""

    inner: HubSpotConnector
    store: ProfileStore
    victim: str
    name: str = "hubspot"

    def push(self, batch: list[CrmContact]) -> PushResult:
        if self.victim:
            self.store.privacy.erase(self.victim, "salt-for-erasure-tests", now=NOW)
            self.victim = ""
        return self.inner.push(batch)

    def erase(self, email: str) -> None:
        self.inner.erase(email)


def test_sync_does_not_push_an_erased_contact(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    gone_before = _lead(store, 1)
    store.privacy.erase(gone_before, "salt-for-erasure-tests", now=NOW)
    kept, gone_meanwhile = _lead(store, 2), _lead(store, 3)
    erasing = ErasingOnFirstPush(connector, store, gone_meanwhile)
    report = sync_due(store, erasing, NOW, batch_size=1)
    assert _emails(hubspot) == ["lead2@example.com"] and report.erased == 1
    assert report.pushed == 1 and store.contacts.get(kept).email == "lead2@example.com"


SALT = "salt-for-erasure-tests"
GDPR_BODY = {"objectId": "lead1@example.com", "idProperty": "email"}


def _synced_then_erased(store: ProfileStore, connector: HubSpotConnector) -> str:
    contact_id = _lead(store, 1)
    assert sync_due(store, connector, NOW).pushed == 1
    store.privacy.erase(contact_id, SALT, now=NOW)
    return contact_id


def test_erasure_deletes_the_hubspot_copy_through_gdpr_delete(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    contact_id = _synced_then_erased(store, connector)
    [queued] = store.integrations.pending_crm_erasures("hubspot")
    assert (queued.contact_id, queued.email) == (contact_id, "lead1@example.com")
    report = sync_due(store, connector, NOW)
    assert report.deleted == 1 and report.error is None and "deleted 1" in report.describe()
    assert hubspot.deletions == [GDPR_BODY] and hubspot.contacts == {}
    assert store.integrations.pending_crm_erasures("hubspot") == []  # the email is gone once done
    assert sync_due(store, connector, NOW).deleted == 0 and len(hubspot.deletions) == 1


def test_a_deletion_waits_out_hubspot_being_down_and_goes_before_any_push(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    _synced_then_erased(store, connector)
    _lead(store, 2)
    hubspot.erase_script = [Reply(503, {"message": "unavailable"})]
    down = sync_due(store, connector, NOW)
    assert down.deleted == 0 and down.error is not None and "503" in down.error
    assert down.retry_at == NOW + timedelta(seconds=2) and len(hubspot.batches) == 1
    assert [e.email for e in store.integrations.pending_crm_erasures("hubspot")] == [
        "lead1@example.com"
    ]
    assert sync_due(store, connector, NOW + timedelta(seconds=1)).deleted == 0  # not yet
    back = sync_due(store, connector, NOW + timedelta(seconds=2))
    assert back.deleted == 1 and back.pushed == 1 and back.error is None
    assert hubspot.deletions == [GDPR_BODY, GDPR_BODY] and list(hubspot.contacts) == [
        "lead2@example.com"
    ]
    assert (
        store.integrations.pending_crm_erasures("hubspot") == []
        and store.integrations.crm_failure("hubspot") is None
    )


def test_a_deletion_survives_hubspot_not_answering_at_all(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    _synced_then_erased(store, connector)
    unreachable = HubSpotConnector(Secret(TOKEN), "http://127.0.0.1:9")  # nothing listens
    try:
        report = sync_due(store, unreachable, NOW)
    finally:
        unreachable.close()
    assert report.error is not None and "ConnectError" in report.error
    assert len(store.integrations.pending_crm_erasures("hubspot")) == 1
    assert sync_due(store, connector, NOW + timedelta(minutes=1)).deleted == 1


def test_a_refused_deletion_is_retried_later_without_holding_back_the_rest(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    _synced_then_erased(store, connector)
    _lead(store, 2)
    hubspot.erase_script = [
        Reply(400, {"category": "VALIDATION_ERROR", "message": "lead1@example.com is invalid"})
    ]
    refused = sync_due(store, connector, NOW)
    assert refused.delete_refused == 1 and refused.pushed == 1 and refused.error is None
    [waiting] = store.integrations.pending_crm_erasures("hubspot")
    assert waiting.attempts == 1 and waiting.last_error is not None
    assert "lead1@" not in waiting.last_error and "<email>" in waiting.last_error
    assert sync_due(store, connector, NOW + timedelta(seconds=59)).deleted == 0
    assert sync_due(store, connector, NOW + timedelta(minutes=1)).deleted == 1
    assert hubspot.deletions == [GDPR_BODY, GDPR_BODY]


def test_a_contact_erased_while_it_is_pushed_is_deleted_afterwards(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    contact_id = _lead(store, 1)  # never synced yet: the erasure finds no CRM to queue for
    erasing = ErasingOnFirstPush(connector, store, contact_id)
    assert sync_due(store, erasing, NOW).pushed == 1 and "lead1@example.com" in hubspot.contacts
    assert [e.contact_id for e in store.integrations.pending_crm_erasures("hubspot")] == [
        contact_id
    ]
    assert sync_due(store, erasing, NOW).deleted == 1 and hubspot.contacts == {}


def test_an_erasure_before_any_sync_keeps_no_email_for_a_crm(store: ProfileStore) -> None:
    store.privacy.erase(_lead(store, 1), SALT, now=NOW)
    assert store.integrations.pending_crm_erasures("hubspot") == []


def test_sync_with_a_wrong_token_keeps_the_cursor_and_says_why(
    store: ProfileStore, hubspot: FakeHubSpot
) -> None:
    _lead(store, 1)
    wrong = HubSpotConnector(Secret("pat-wrong"), hubspot.url)
    report = sync_due(store, wrong, NOW)
    wrong.close()
    assert report.error is not None and "HTTP 401" in report.error
    assert "HUBSPOT_ACCESS_TOKEN" in report.error and store.integrations.crm_cursor("hubspot") == 0
    assert store.integrations.crm_failure("hubspot") is not None


def test_sync_report_describes_what_happened() -> None:
    text = SyncReport("hubspot", 9, pushed=3, error="HTTP 500: x", retry_at=NOW).describe()
    assert "pushed 3" in text and "event 9" in text and "HTTP 500: x" in text


def test_crm_settings_are_off_without_a_token_and_reach_child_processes(tmp_path: Path) -> None:
    from bot.stack import child_env

    base = {"PARLEY_DATA_DIR": str(tmp_path)}
    off = load_settings(environ=base, dotenv=tmp_path / "none.env")
    assert not off.crm.configured and off.crm.hubspot_api_base_url == "https://api.hubapi.com"
    assert HubSpotConnector.from_settings(off.crm) is None
    on = load_settings(
        environ={
            **base,
            "HUBSPOT_ACCESS_TOKEN": TOKEN,
            "HUBSPOT_API_BASE_URL": "http://127.0.0.1:9/",
        },
        dotenv=tmp_path / "none.env",
    )
    assert on.crm.configured and on.crm.hubspot_api_base_url == "http://127.0.0.1:9"
    assert TOKEN not in repr(on) and TOKEN not in str(on.describe())
    assert load_settings(environ=child_env(on), dotenv=tmp_path / "none.env") == on


def _parley(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "crm", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_crm_sync_pushes_and_status_reports(
    store: ProfileStore, hubspot: FakeHubSpot, tmp_path: Path
) -> None:
    _lead(store, 1)
    _lead(store, 2)
    env = {
        **os.environ,
        "DATABASE_URL": str(store.engine.url),
        "PARLEY_DATA_DIR": str(tmp_path / "var"),
        "HUBSPOT_ACCESS_TOKEN": TOKEN,
        "HUBSPOT_API_BASE_URL": hubspot.url,
    }
    before = _parley(env, "status")
    assert before.returncode == 0 and "hubspot: on" in before.stdout
    assert "cursor: event 0, 2 events waiting" in before.stdout
    synced = _parley(env, "sync")
    assert synced.returncode == 0, synced.stderr
    assert "pushed 2" in synced.stdout and sorted(hubspot.contacts) == [
        "lead1@example.com",
        "lead2@example.com",
    ]
    after = _parley(env, "status")
    assert "0 events waiting" in after.stdout and "last error: none" in after.stdout
    off = _parley({**env, "HUBSPOT_ACCESS_TOKEN": ""}, "sync")
    assert off.returncode == 2 and "HUBSPOT_ACCESS_TOKEN" in off.stderr
    hubspot.deal("9", "closedwon", NOW, ("lead2@example.com",), amount="300")
    pulled = _parley(env, "pull")
    assert pulled.returncode == 0, pulled.stderr
    assert "hubspot.deals: recorded 1 outcomes" in pulled.stdout
    assert store.leads.outcome(store.contacts.find("lead2@example.com").id).value_text == "300.00"  # type: ignore[union-attr]
    status = _parley(env, "status")
    assert f"hubspot.deals: closed deals read up to {NOW.isoformat()}" in status.stdout


def test_worker_tick_pushes_leads_when_hubspot_is_configured(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector, tmp_path: Path
) -> None:
    import asyncio

    from campaigns.dispatch import Dispatcher, RateLimiter
    from campaigns.steps import Engine
    from campaigns.worker import Health, Worker, limits_of

    settings = load_settings(environ={"PARLEY_DATA_DIR": str(tmp_path)}, dotenv=tmp_path / "x")
    engine = Engine(store, {}, settings, limits_of(settings), lambda snapshot, since: None)
    dispatcher = Dispatcher(engine, {}, RateLimiter({}), lambda: NOW)
    worker = Worker(
        engine, dispatcher, Health([]), clock=lambda: NOW, crm=connector, outcomes=connector
    )
    contact_id = _lead(store, 1)
    hubspot.deal("5", "closedlost", NOW - timedelta(days=1), ("lead1@example.com",))
    asyncio.run(worker.tick())
    assert (
        _emails(hubspot) == ["lead1@example.com"] and store.integrations.crm_cursor("hubspot") > 0
    )
    assert store.leads.outcome(contact_id).outcome == "lost"  # type: ignore[arg-type, union-attr]
    asyncio.run(worker.tick())
    assert len(hubspot.searches) == 1  # deals are pulled once a minute, not every tick


# ------------------------------------------------------------ outcomes from deals (#20)


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def test_closed_deals_come_back_as_each_contacts_outcome(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    won_lead, lost_lead = _lead(store, 1), _lead(store, 2)
    store.integrations.subscribe_webhook("https://hooks.example.test/o", ["lead.outcome"], "s" * 32)
    closed = NOW - timedelta(days=2)
    hubspot.deal("101", "closedwon", closed, ("lead1@example.com",), amount="12500.5",
                 deal_currency_code="eur", closed_won_reason="Best fit")  # fmt: skip
    hubspot.deal("102", "closedlost", closed + timedelta(hours=1), ("LEAD2@example.com",),
                 closed_lost_reason="Went with a competitor")  # fmt: skip
    hubspot.deal("103", "appointmentscheduled", closed, ("lead1@example.com",))
    hubspot.deal("104", "closedwon", closed, ("stranger@example.com",), amount="99")
    hubspot.deal("105", "closedwon", closed)  # no contact at all
    report = pull_outcomes(store, connector, NOW)
    assert (report.recorded, report.unmatched, report.error) == (2, 2, None)
    assert report.modified_since == closed + timedelta(hours=1)
    won = store.leads.outcome(won_lead)  # type: ignore[arg-type]
    assert won is not None and (won.outcome, won.value_text, won.currency) == (
        "won",
        "12500.50",
        "EUR",
    )
    assert (won.source, won.recorded_by, won.reason) == ("hubspot", "hubspot", "Best fit")
    assert won.external_ref == f"101@{_ms(closed)}" and won.occurred_at == closed
    lost = store.leads.outcome(lost_lead)  # type: ignore[arg-type]
    assert lost is not None and (lost.outcome, lost.value, lost.currency) == ("lost", None, None)
    assert lost.reason == "Went with a competitor"
    assert [d.type for d in store.outbox.webhook_deliveries()] == ["lead.outcome"] * 2
    [search] = hubspot.searches
    assert search["filterGroups"] == [
        {
            "filters": [
                {
                    "propertyName": "dealstage",
                    "operator": "IN",
                    "values": ["closedlost", "closedwon"],
                }
            ]
        }
    ]
    assert "amount" in search["properties"] and search["limit"] == 100  # fmt: skip


def test_deals_read_again_record_nothing_and_a_changed_stage_is_a_new_outcome(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    contact_id = _lead(store, 1)
    closed = NOW - timedelta(days=2)
    hubspot.deal("101", "closedwon", closed, ("lead1@example.com",), amount="500")
    assert pull_outcomes(store, connector, NOW).recorded == 1
    again = pull_outcomes(store, connector, NOW + timedelta(minutes=1))
    assert (again.recorded, again.unchanged) == (0, 1)  # the mark is inclusive: read again
    since = hubspot.searches[-1]["filterGroups"][0]["filters"][-1]
    assert since == {
        "propertyName": "hs_lastmodifieddate",
        "operator": "GTE",
        "value": str(_ms(closed)),
    }
    reopened = NOW - timedelta(hours=1)
    hubspot.deal(
        "101", "closedlost", reopened, ("lead1@example.com",), closed_lost_reason="Churned"
    )
    assert pull_outcomes(store, connector, NOW + timedelta(minutes=2)).recorded == 1
    history = store.leads.outcome_history(contact_id)  # type: ignore[arg-type]
    assert [(o.outcome, o.current, o.reason) for o in history] == [
        ("won", False, None), ("lost", True, "Churned"),
    ]  # fmt: skip
    audit = [e for e in store.privacy.audit_entries() if e.action == "record_outcome"]
    assert [e.actor for e in audit] == ["hubspot", "hubspot"]


def test_many_closed_deals_are_read_page_by_page_across_rounds(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    for n in range(150):
        _lead(store, n)
        hubspot.deal(str(1000 + n), "closedwon", NOW - timedelta(days=3, minutes=-n),
                     (f"lead{n}@example.com",))  # fmt: skip
    first = pull_outcomes(store, connector, NOW, max_pages=1)
    assert first.recorded == 100 and first.modified_since == NOW - timedelta(days=3, minutes=-99)
    rest = pull_outcomes(store, connector, NOW + timedelta(minutes=1), max_pages=1)
    assert (rest.recorded, rest.unchanged) == (50, 1)
    assert len(store.leads.outcomes()) == 150


def test_a_custom_stage_mapping_and_the_accounts_currency(
    store: ProfileStore, hubspot: FakeHubSpot
) -> None:
    contact_id = _lead(store, 1)
    custom = HubSpotConnector(
        Secret(TOKEN), hubspot.url, deal_stages=(("contractsigned", "won"),), deal_currency="GBP"
    )
    hubspot.deal("7", "contractsigned", NOW - timedelta(days=1), ("lead1@example.com",),
                 amount="1234.56789")  # fmt: skip
    hubspot.deal("8", "closedlost", NOW - timedelta(days=1), ("lead1@example.com",))
    try:
        assert pull_outcomes(store, custom, NOW).recorded == 1
    finally:
        custom.close()
    outcome = store.leads.outcome(contact_id)  # type: ignore[arg-type]
    assert outcome is not None and (outcome.outcome, outcome.currency) == ("won", "GBP")
    assert outcome.value_text == "1234.568"


def test_a_deal_pull_waits_out_hubspot_being_down(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    _lead(store, 1)
    hubspot.deal("101", "closedwon", NOW - timedelta(days=1), ("lead1@example.com",))
    hubspot.search_script = [Reply(429, {"message": "rate limited"}, {"Retry-After": "4"})]
    limited = pull_outcomes(store, connector, NOW)
    assert limited.recorded == 0 and "429" in (limited.error or "")
    assert limited.retry_at == NOW + timedelta(seconds=4)
    waiting = pull_outcomes(store, connector, NOW + timedelta(seconds=2))
    assert waiting.retry_at == limited.retry_at and len(hubspot.searches) == 1  # not asked
    back = pull_outcomes(store, connector, NOW + timedelta(seconds=4))
    assert back.recorded == 1 and back.error is None
    assert store.integrations.crm_pull("hubspot.deals").attempts == 0


def test_an_unusable_deal_amount_is_refused_and_the_rest_recorded(
    store: ProfileStore, hubspot: FakeHubSpot, connector: HubSpotConnector
) -> None:
    good, bad = _lead(store, 1), _lead(store, 2)
    hubspot.deal("1", "closedwon", NOW - timedelta(days=1), ("lead2@example.com",), amount="-40")
    hubspot.deal("2", "closedwon", NOW - timedelta(days=1), ("lead1@example.com",), amount="40")
    report = pull_outcomes(store, connector, NOW)
    assert (report.recorded, report.refused) == (
        1,
        ["1"],
    ) and "refused deals: 1" in report.describe()
    assert store.leads.outcome(bad) is None and store.leads.outcome(good) is not None  # type: ignore[arg-type]


def test_deal_settings_are_read_checked_and_reach_child_processes(tmp_path: Path) -> None:
    from bot.errors import InvalidSetting
    from bot.stack import child_env

    base = {"PARLEY_DATA_DIR": str(tmp_path), "HUBSPOT_ACCESS_TOKEN": TOKEN}
    default = load_settings(environ=base, dotenv=tmp_path / "none.env")
    assert default.crm.hubspot_deal_stages == (("closedwon", "won"), ("closedlost", "lost"))
    custom = load_settings(
        environ={**base, "HUBSPOT_DEAL_STAGES": "contractsigned=won, closedlost=lost",
                 "HUBSPOT_DEAL_CURRENCY": "eur"},
        dotenv=tmp_path / "none.env",
    )  # fmt: skip
    assert custom.crm.hubspot_deal_stages == (("contractsigned", "won"), ("closedlost", "lost"))
    assert custom.crm.hubspot_deal_currency == "EUR"
    assert load_settings(environ=child_env(custom), dotenv=tmp_path / "none.env") == custom
    for key, raw in (("HUBSPOT_DEAL_STAGES", "closedwon=yes"), ("HUBSPOT_DEAL_STAGES", "a=won,a=lost"),
                     ("HUBSPOT_DEAL_CURRENCY", "euros")):  # fmt: skip
        with pytest.raises(InvalidSetting, match=key):
            load_settings(environ={**base, key: raw}, dotenv=tmp_path / "none.env")


# Custom lead fields (#19): a field with `hubspot_property` goes to that property (a choice
# as its id, yes/no as a HubSpot boolean), one without is not sent.
CUSTOM_FIELDS = """
version: 1
fields:
  - name: heard_from
    type: choice
    question: How did you hear about us?
    options: [{id: search, label: Search engine}, {id: friend, label: A friend}]
    hubspot_property: how_heard
  - {name: wants_trial, type: yes_no, question: "A trial?", hubspot_property: wants_trial}
  - {name: renewal, type: date, question: "Renewal?", hubspot_property: renewal_date}
  - {name: notes, type: text, question: "Anything else?"}
"""


def _sync_custom(store: ProfileStore, hubspot: FakeHubSpot, fields_file: Path) -> dict[str, str]:
    connector = HubSpotConnector(Secret(TOKEN), hubspot.url, lead_fields_file=fields_file)
    try:
        assert sync_due(store, connector, NOW).pushed == 1
    finally:
        connector.close()
    properties: dict[str, str] = hubspot.batches[-1][0]["properties"]
    return properties


def test_mapped_custom_fields_go_to_their_hubspot_properties(
    store: ProfileStore, hubspot: FakeHubSpot, tmp_path: Path
) -> None:
    fields_file = tmp_path / "lead_fields.yml"
    fields_file.write_text(CUSTOM_FIELDS, encoding="utf-8")
    contact_id = _lead(store, 1)
    values = {"heard_from": "friend", "wants_trial": "no", "renewal": "2027-01-31",
              "notes": "not for HubSpot", "gone": "a removed field"}  # fmt: skip
    store.leads.set_custom_fields(contact_id, values, channel="web", now=NOW)
    sent = _sync_custom(store, hubspot, fields_file)
    assert {k: sent[k] for k in ("how_heard", "wants_trial", "renewal_date")} == {
        "how_heard": "friend", "wants_trial": "false", "renewal_date": "2027-01-31",
    }  # fmt: skip
    assert "not for HubSpot" not in sent.values() and "a removed field" not in sent.values()
    assert sent["firstname"] == "Ada"  # the built-in properties as before


def test_without_a_mapping_or_a_value_nothing_custom_is_sent(
    store: ProfileStore, hubspot: FakeHubSpot, tmp_path: Path
) -> None:
    fields_file = tmp_path / "lead_fields.yml"
    fields_file.write_text(CUSTOM_FIELDS, encoding="utf-8")
    contact_id = _lead(store, 2)
    store.leads.set_custom_fields(contact_id, {"wants_trial": "yes"}, channel="web", now=NOW)
    sent = _sync_custom(store, hubspot, fields_file)
    assert sent["wants_trial"] == "true"
    assert not {"how_heard", "renewal_date"} & set(sent)
    unmapped = CUSTOM_FIELDS.replace("hubspot_property: wants_trial", "optional: true")
    fields_file.write_text(unmapped, encoding="utf-8")
    _lead(store, 3)  # a new event, so the next round pushes again
    store.leads.set_custom_fields(contact_id, {"wants_trial": "no"}, channel="web", now=NOW)
    connector = HubSpotConnector(Secret(TOKEN), hubspot.url, lead_fields_file=fields_file)
    try:
        sync_due(store, connector, NOW)
    finally:
        connector.close()
    assert all("wants_trial" not in i["properties"] for i in hubspot.batches[-1])
