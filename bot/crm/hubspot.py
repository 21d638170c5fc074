"""HubSpot: leads upserted by email through the CRM v3 contacts batch API.

One request per batch of at most 100: `POST /crm/v3/objects/contacts/batch/upsert` with
`{"inputs": [{"idProperty": "email", "id": <email>, "objectWriteTraceId": <contact id>,
"properties": {...}}]}`, authenticated with a private app's token as a Bearer token.
HubSpot answers 200 when every input went through, 207 with one entry per refused input
under `errors`, 429 past its rate limits (a 10-second rolling burst limit and a daily
one; `Retry-After` says when to come back) and 401/403 for a bad token or missing
scopes. Parley's own fields go to custom contact properties (`parley_*`, see README).

An erased person's copy goes through HubSpot's GDPR deletion, `POST
/crm/v3/objects/contacts/gdpr-delete` with `{"objectId": <email>, "idProperty": "email"}`:
it deletes the contact for good (not into the 90-day recycle bin an ordinary delete
uses) and blocks the address from being recreated. HubSpot answers 204, for an address
it does not know too (it blocks it all the same); anything else is retried, so a wrong
base URL answering 404 never passes for a deletion.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, NoReturn

import httpx

from bot.crm.connector import (
    MAX_BATCH,
    BatchRejected,
    CrmContact,
    CrmUnavailable,
    PushResult,
    Rejection,
)
from bot.settings import CrmSettings, Secret

UPSERT_PATH = "/crm/v3/objects/contacts/batch/upsert"
GDPR_DELETE_PATH = "/crm/v3/objects/contacts/gdpr-delete"
TIMEOUT_S = 15.0
RATE_LIMIT_WAIT = timedelta(seconds=10)  # the burst limit's window, when no Retry-After


class HubSpotConnector:
    name = "hubspot"

    def __init__(
        self,
        token: Secret,
        base_url: str = "https://api.hubapi.com",
        client: httpx.Client | None = None,
    ) -> None:
        self._token = token
        self._base = base_url.rstrip("/")
        self._client = client or httpx.Client(timeout=TIMEOUT_S)
        self._owns_client = client is None

    @classmethod
    def from_settings(cls, settings: CrmSettings) -> HubSpotConnector | None:
        """None when no access token is set: the sync is off."""
        if settings.hubspot_token is None:
            return None
        return cls(settings.hubspot_token, settings.hubspot_api_base_url)

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def push(self, batch: list[CrmContact]) -> PushResult:
        if not 1 <= len(batch) <= MAX_BATCH:
            raise ValueError(f"HubSpot takes 1 to {MAX_BATCH} contacts a request, not {len(batch)}")
        body = {"inputs": [upsert_input(contact) for contact in batch]}
        return read_reply(batch, self._post(UPSERT_PATH, body))

    def erase(self, email: str) -> None:
        body = {"objectId": email, "idProperty": "email"}
        read_erase_reply(self._post(GDPR_DELETE_PATH, body))

    def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._token.value}"}
        try:
            return self._client.post(self._base + path, json=body, headers=headers)
        except httpx.HTTPError as error:
            raise CrmUnavailable(f"{type(error).__name__}: {error}") from error


def upsert_input(contact: CrmContact) -> dict[str, Any]:
    return {
        "idProperty": "email",
        "id": contact.email,
        "objectWriteTraceId": contact.contact_id,
        "properties": properties(contact),
    }


def properties(contact: CrmContact) -> dict[str, str]:
    """HubSpot's own properties, then Parley's; what Parley does not know is left alone."""
    values = {
        "firstname": contact.first_name, "lastname": contact.last_name,
        "phone": contact.phone, "company": contact.company, "jobtitle": contact.job_title,
        "parley_lead_status": contact.lead_status,
        "parley_score": None if contact.score is None else str(contact.score),
        "parley_grade": contact.grade, "parley_stage": contact.stage,
        "parley_consent": consent_summary(contact.consent) or None,
    }  # fmt: skip
    return {name: value for name, value in values.items() if value is not None}


def consent_summary(consent: Mapping[str, bool]) -> str:
    """ "email: granted; sms: withdrawn": each purpose ever asked about, current state."""
    return "; ".join(
        f"{purpose}: {'granted' if granted else 'withdrawn'}"
        for purpose, granted in sorted(consent.items())
    )


def read_reply(batch: list[CrmContact], reply: httpx.Response) -> PushResult:
    status = reply.status_code
    if status in (200, 201):
        return PushResult(len(batch))
    if status == 207:
        return _partial(batch, _json(reply))
    _unavailable_or_refused(reply)


def _unavailable_or_refused(reply: httpx.Response) -> NoReturn:
    status = reply.status_code
    what = f"HTTP {status}: {_message(reply)}"
    if status == 429:
        raise CrmUnavailable(what, retry_after(reply) or RATE_LIMIT_WAIT)
    if status == 408 or status >= 500:
        raise CrmUnavailable(what, retry_after(reply))
    if status in (401, 403):
        raise CrmUnavailable(f"{what} (check HUBSPOT_ACCESS_TOKEN and the app's scopes)")
    raise BatchRejected(what)


def read_erase_reply(reply: httpx.Response) -> None:
    if reply.status_code in (200, 204):
        return
    _unavailable_or_refused(reply)


def retry_after(reply: httpx.Response) -> timedelta | None:
    raw = reply.headers.get("Retry-After", "").strip()
    try:
        seconds = float(raw)
    except ValueError:
        return None  # absent, or an HTTP date (HubSpot sends seconds)
    return timedelta(seconds=min(max(seconds, 0.0), 3600.0))


def _partial(batch: list[CrmContact], body: dict[str, Any]) -> PushResult:
    """Map each error of a 207 to the inputs it names (trace id, email or HubSpot id)."""
    by_key = {key: c for c in batch for key in (c.contact_id.lower(), c.email.lower())}
    rejected: dict[str, Rejection] = {}
    for error in body.get("errors") or []:
        named = {by_key[key].contact_id for key in _keys(error) if key in by_key}
        if not named:
            raise BatchRejected(f"HTTP 207 naming no input: {_describe(error)}")
        for contact_id in named:
            rejected.setdefault(contact_id, Rejection(contact_id, _describe(error)))
    return PushResult(len(batch) - len(rejected), tuple(rejected.values()))


def _keys(error: dict[str, Any]) -> set[str]:
    found = [error.get("objectWriteTraceId"), error.get("id")]
    for value in (error.get("context") or {}).values():
        found.extend(value if isinstance(value, list) else [value])
    return {str(key).lower() for key in found if key}


def _describe(error: dict[str, Any]) -> str:
    category = error.get("category") or error.get("errorType") or error.get("policyName")
    message = str(error.get("message") or "no message")[:300]
    return f"{category}: {message}" if category else message


def _message(reply: httpx.Response) -> str:
    body = _json(reply)
    return _describe(body) if body else reply.text[:200]


def _json(reply: httpx.Response) -> dict[str, Any]:
    try:
        body = reply.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}
