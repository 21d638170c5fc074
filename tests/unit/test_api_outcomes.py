"""Sales outcomes through the REST API (#20) on loopback with a real store: write scope to
record, read scope to read, 404 for an unknown contact, 422 for an unusable outcome,
an idempotent re-post, the audit entry and the lead.outcome event it leaves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api import tokens
from tests.unit.test_api import Api, _contact, _start


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    yield from _start(tmp_path)


def _post(api: Api, contact_id: str, token: str, body: Any) -> httpx.Response:
    return httpx.post(
        f"{api.url}/api/v1/contacts/{contact_id}/outcome",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


WON = {
    "outcome": "won",
    "value": "12500.50",
    "currency": "EUR",
    "reason": "signed the annual plan",
    "occurred_at": "2026-03-01T09:30:00Z",
}


def test_api_records_an_outcome_with_write_scope_and_reads_it_back(api: Api) -> None:
    contact_id = _contact(api.store)
    token = api.token("read", "write")
    api.store.integrations.subscribe_webhook(
        "https://hooks.example.test/o", ["lead.outcome"], "s" * 32
    )
    reply = _post(api, contact_id, token, WON)
    assert reply.status_code == 201, reply.text
    saved = reply.json()
    assert {k: saved[k] for k in WON} == {**WON, "occurred_at": "2026-03-01T09:30:00+00:00"}
    assert saved["source"] == "api" and saved["current"] is True
    assert saved["recorded_by"] == f"api-token:{tokens.split(token)[0]}"  # type: ignore[index]
    read = api.get(f"/api/v1/contacts/{contact_id}/outcome", token).json()
    assert read["contact_id"] == contact_id and read["current"] == saved
    assert read["history"] == [saved]
    [delivery] = api.store.outbox.webhook_deliveries()
    assert delivery.type == "lead.outcome" and delivery.data["value"] == "12500.50"
    actions = [(e.action, e.target) for e in api.store.privacy.audit_entries()]
    assert ("record_outcome", contact_id) in actions and ("api.read", contact_id) in actions


def test_api_reposting_the_same_outcome_is_a_200_that_records_nothing(api: Api) -> None:
    contact_id = _contact(api.store)
    token = api.token("write")
    first = _post(api, contact_id, token, WON)
    again = _post(api, contact_id, token, {**WON, "value": 12500.5})  # a JSON number: exact
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert len(api.store.leads.outcome_history(contact_id)) == 1
    lost = _post(api, contact_id, token, {"outcome": "lost", "reason": "went elsewhere"})
    assert lost.status_code == 201 and lost.json()["value"] is None
    history = api.store.leads.outcome_history(contact_id)
    assert [(o.outcome, o.current) for o in history] == [("won", False), ("lost", True)]


def test_api_outcome_needs_write_scope_to_record_and_read_scope_to_read(api: Api) -> None:
    contact_id = _contact(api.store)
    reader, writer = api.token("read"), api.token("write")
    assert _post(api, contact_id, reader, WON).status_code == 403
    assert api.get(f"/api/v1/contacts/{contact_id}/outcome", writer).status_code == 403
    assert api.get(f"/api/v1/contacts/{contact_id}/outcome", None).status_code == 401
    assert api.store.leads.outcome_history(contact_id) == []


def test_api_outcome_for_an_unknown_contact_is_404(api: Api) -> None:
    token = api.token("read", "write")
    reply = _post(api, "nobody", token, WON)
    assert reply.status_code == 404
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert api.get("/api/v1/contacts/nobody/outcome", token).status_code == 404


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"outcome": "maybe"}, "outcome is one of won, lost"),
        ({}, "outcome is one of won, lost"),
        ({**WON, "value": "-5"}, "value: must not be negative"),
        ({**WON, "value": "12.3456"}, "value: at most 3 decimals"),
        ({**WON, "value": "a lot"}, "value: 'a lot' is not a number"),
        ({**WON, "value": True}, "value is a decimal amount"),
        ({**WON, "currency": "euros"}, "currency: 'euros' is not an ISO 4217 code"),
        ({"outcome": "won", "value": "10"}, "currency: a value needs its currency"),
        ({**WON, "reason": "x" * 501}, "reason: plain text of at most 500"),
        ({**WON, "occurred_at": "yesterday"}, "occurred_at is an ISO 8601"),
        ({**WON, "occurred_at": "2026-03-01T09:30:00"}, "occurred_at needs a UTC offset"),
        ({**WON, "occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at is in the future"),
        ({**WON, "stage": "closedwon"}, "unknown fields: stage"),
        ({**WON, "value": "\u0661\u0662"}, "is not a number such as 12500.00"),
        ({**WON, "value": "1e3"}, "is not a number such as 12500.00"),
        ({**WON, "occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at is an ISO 8601"),
        ({**WON, "reason": "a\u0000b"}, "reason: plain text"),
    ],
)
def test_api_unusable_outcomes_are_422_with_a_clear_message(
    api: Api, body: dict[str, Any], says: str
) -> None:
    contact_id = _contact(api.store)
    reply = _post(api, contact_id, api.token("write"), body)
    assert reply.status_code == 422, reply.text
    problem = reply.json()
    assert problem["title"] == "Unprocessable Entity" and says in problem["detail"]
    assert api.store.leads.outcome_history(contact_id) == []


def test_api_outcome_body_that_is_not_a_json_object_is_400(api: Api) -> None:
    contact_id = _contact(api.store)
    headers = {"Authorization": f"Bearer {api.token('write')}"}
    url = f"{api.url}/api/v1/contacts/{contact_id}/outcome"
    for body in (b"{", b"[]"):
        assert httpx.post(url, content=body, headers=headers, timeout=10).status_code == 400


def test_api_outcome_endpoints_are_described(api: Api) -> None:
    described = httpx.get(f"{api.url}/api/openapi.json", timeout=10).json()
    path = described["paths"]["/api/v1/contacts/{contact_id}/outcome"]
    assert set(path) == {"get", "post"} and "Scope: write" in path["post"]["description"]
    assert {"200", "201", "404", "422"} <= set(path["post"]["responses"])
    assert "OutcomeRecord" in described["components"]["schemas"]
