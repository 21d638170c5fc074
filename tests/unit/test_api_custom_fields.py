"""Custom lead fields (#19) through the REST API on loopback, with a real SQLite store and
lead_fields.yml: read in `fields`, set and forgotten by PATCH, every bad value a 400
naming the field with nothing written, and the replies as the OpenAPI description says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis

from api import tokens
from api.app import build_app
from bot.custom_fields import LeadFieldsFile
from bot.store import ProfileStore, upgrade
from tests.unit.test_api import NOW, Api, _serve

FIELDS = """
version: 1
fields:
  - name: heard_from
    label: How they heard of us
    type: choice
    question: How did you hear about us?
    options:
      - {id: search, label: Search engine}
      - {id: friend, label: A friend}
  - name: team_size
    type: number
    question: How many people are on your team?
    min: 1
  - name: renewal
    type: date
    question: When is your renewal?
"""


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    upgrade(url)
    fields_file = tmp_path / "lead_fields.yml"
    fields_file.write_text(FIELDS, encoding="utf-8")
    store = ProfileStore.from_url(url)
    base, stop = _serve(build_app(store, "US", lead_fields=LeadFieldsFile(fields_file)))
    yield Api(base, store)
    stop()
    store.dispose()


def _ada(api: Api) -> str:
    ada = api.store.leads.update_fields(
        "web", "w1", {"name": "Ada Lane", "company": "Acme"}, "w1", now=NOW
    )
    api.store.leads.set_custom_fields(
        ada.id, {"heard_from": "search", "old_note": "kept"}, channel="web", now=NOW
    )
    return ada.id


def _patch(api: Api, contact_id: str, body: dict[str, Any]) -> httpx.Response:
    token = api.token("read", "write")
    return httpx.patch(
        f"{api.url}/api/v1/contacts/{contact_id}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def _described(api: Api) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{api.url}/api/openapi.json")


def test_a_contact_carries_its_custom_values_as_described(api: Api) -> None:
    contact_id = _ada(api)
    reply = api.get(f"/api/v1/contacts/{contact_id}", api.token("read"))
    assert reply.status_code == 200
    assert reply.json()["fields"] == {"heard_from": "search", "old_note": "kept"}
    _described(api)["/api/v1/contacts/{contact_id}"]["GET"].validate_response(reply)
    listed = api.get("/api/v1/contacts", api.token("read"))
    assert listed.json()["items"][0]["fields"]["heard_from"] == "search"
    _described(api)["/api/v1/contacts"]["GET"].validate_response(listed)


def test_patch_sets_canonical_values_as_staff_and_audits_the_names(api: Api) -> None:
    contact_id = _ada(api)
    body = {"company": "Acme Labs",
            "fields": {"heard_from": "A friend", "team_size": "1,200", "renewal": "2027-01-31"}}  # fmt: skip
    reply = _patch(api, contact_id, body)
    assert reply.status_code == 200, reply.text
    assert reply.json()["fields"] == {
        "heard_from": "friend", "old_note": "kept", "renewal": "2027-01-31", "team_size": "1200",
    }  # fmt: skip
    assert reply.json()["company"] == "Acme Labs"
    _described(api)["/api/v1/contacts/{contact_id}"]["PATCH"].validate_response(reply)
    changes = [e.data for e in api.store.contacts.timeline(contact_id)
               if e.kind == "custom_field_changed"]  # fmt: skip
    assert {"field": "heard_from", "old": "search", "new": "friend", "channel": "staff",
            "conversation_id": None} in changes  # fmt: skip
    [update] = [e for e in api.store.privacy.audit_entries() if e.action == "api.update"]
    assert update.details["custom_fields"] == ["heard_from", "renewal", "team_size"]


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"heard_from": "radio"}, "heard_from: 'radio' is not one of search, friend"),
        ({"team_size": "0"}, "team_size: is less than 1"),
        ({"team_size": "lots"}, "team_size: 'lots' is not a number"),
        ({"renewal": "31/01/2027"}, "renewal: '31/01/2027' is not a date (YYYY-MM-DD)"),
        ({"shoe_size": "42"}, "shoe_size: not a lead field of this bot"),
        ({"heard_from": ""}, "heard_from: is empty"),
        ({"shoe_size": None}, "shoe_size: not a lead field of this bot"),
        ("search", "fields must be an object"),
    ],
)
def test_a_bad_custom_value_is_a_400_naming_it_and_nothing_changes(
    api: Api, fields: object, detail: str
) -> None:
    contact_id = _ada(api)
    before = api.store.contacts.get(contact_id)
    timeline = api.store.contacts.timeline(contact_id)
    reply = _patch(api, contact_id, {"company": "Changed", "fields": fields})
    assert reply.status_code == 400
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert detail in reply.json()["detail"]
    assert api.store.contacts.get(contact_id) == before
    assert api.store.contacts.timeline(contact_id) == timeline


def test_null_forgets_a_value_of_a_defined_or_removed_field(api: Api) -> None:
    contact_id = _ada(api)
    reply = _patch(api, contact_id, {"fields": {"heard_from": None, "old_note": None}})
    assert reply.status_code == 200, reply.text
    assert reply.json()["fields"] == {}
    assert api.store.leads.custom_fields(contact_id) == {}


def test_without_a_lead_fields_file_every_custom_field_is_unknown(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    upgrade(url)
    store = ProfileStore.from_url(url)
    base, stop = _serve(build_app(store, "US"))
    try:
        contact = store.contacts.ensure("web", "w1", now=NOW)
        issued = tokens.issue()
        store.integrations.create_api_token(
            issued.token_id, "t", ["read", "write"], issued.secret_hash
        )
        reply = httpx.patch(
            f"{base}/api/v1/contacts/{contact.id}",
            json={"fields": {"heard_from": "search"}},
            headers={"Authorization": f"Bearer {issued.token}"},
            timeout=10,
        )
    finally:
        stop()
        store.dispose()
    assert reply.status_code == 400
    assert "none are defined" in reply.json()["detail"]
