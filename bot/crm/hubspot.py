"""HubSpot: leads upserted by email through the CRM v3 contacts batch API.

One request per batch of at most 100: `POST /crm/v3/objects/contacts/batch/upsert` with
`{"inputs": [{"idProperty": "email", "id": <email>, "objectWriteTraceId": <contact id>,
"properties": {...}}]}`, authenticated with a private app's token as a Bearer token.
HubSpot answers 200 when every input went through, 207 with one entry per refused input
under `errors`, 429 past its rate limits (a 10-second rolling burst limit and a daily
one; `Retry-After` says when to come back) and 401/403 for a bad token or missing
scopes. Parley's own fields go to custom contact properties (`parley_*`, see README).
A custom lead field with `hubspot_property` in lead_fields.yml goes to that property (one
the marketer created in HubSpot): its canonical value, a choice as its option id (set the
HubSpot dropdown's internal values to the ids), yes/no as "true"/"false" for a HubSpot
single checkbox, a date as YYYY-MM-DD; fields without one are not sent. HubSpot's own
properties that Parley sets always win over a mapping to the same name.

An erased person's copy goes through HubSpot's GDPR deletion, `POST
/crm/v3/objects/contacts/gdpr-delete` with `{"objectId": <email>, "idProperty": "email"}`:
it deletes the contact for good (not into the 90-day recycle bin an ordinary delete
uses) and blocks the address from being recreated. HubSpot answers 204, for an address
it does not know too (it blocks it all the same); anything else is retried, so a wrong
base URL answering 404 never passes for a deletion.

Closed deals come back as outcomes (#20, `bot.crm.outcomes`): `POST
/crm/v3/objects/deals/search` for the deals in the mapped stages (`HUBSPOT_DEAL_STAGES`)
modified since the last pull, oldest first, 100 a page; then their contacts through the
v4 associations batch read and those contacts' emails through the contacts batch read.
The private app needs `crm.objects.deals.read` for these.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
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
from bot.crm.outcomes import ClosedDeal, DealPage
from bot.custom_fields import EMPTY, CustomField, LeadFields
from bot.field_values import current_fields
from bot.settings import CrmSettings, Secret

UPSERT_PATH = "/crm/v3/objects/contacts/batch/upsert"
GDPR_DELETE_PATH = "/crm/v3/objects/contacts/gdpr-delete"
DEAL_SEARCH_PATH = "/crm/v3/objects/deals/search"
DEAL_CONTACTS_PATH = "/crm/v4/associations/deals/contacts/batch/read"
CONTACTS_READ_PATH = "/crm/v3/objects/contacts/batch/read"
DEAL_PROPERTIES = (
    "dealstage", "amount", "deal_currency_code", "closedate", "closed_won_reason",
    "closed_lost_reason", "hs_lastmodifieddate",
)  # fmt: skip
DEALS_PER_PAGE = 100
DEFAULT_STAGES = (("closedwon", "won"), ("closedlost", "lost"))
TIMEOUT_S = 15.0
RATE_LIMIT_WAIT = timedelta(seconds=10)  # the burst limit's window, when no Retry-After


class HubSpotConnector:
    name = "hubspot"

    def __init__(
        self,
        token: Secret,
        base_url: str = "https://api.hubapi.com",
        client: httpx.Client | None = None,
        deal_stages: tuple[tuple[str, str], ...] = DEFAULT_STAGES,
        deal_currency: str = "USD",
        lead_fields_file: Path | None = None,
    ) -> None:
        """`lead_fields_file`: where custom fields name their HubSpot properties."""
        self._fields_file = lead_fields_file
        self._token = token
        self._base = base_url.rstrip("/")
        self._stages = dict(deal_stages)
        self._currency = deal_currency
        self._client = client or httpx.Client(timeout=TIMEOUT_S)
        self._owns_client = client is None

    @classmethod
    def from_settings(
        cls, settings: CrmSettings, lead_fields_file: Path | None = None
    ) -> HubSpotConnector | None:
        """None when no access token is set: the sync is off."""
        if settings.hubspot_token is None:
            return None
        return cls(
            settings.hubspot_token,
            settings.hubspot_api_base_url,
            deal_stages=settings.hubspot_deal_stages,
            deal_currency=settings.hubspot_deal_currency,
            lead_fields_file=lead_fields_file,
        )

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def push(self, batch: list[CrmContact]) -> PushResult:
        if not 1 <= len(batch) <= MAX_BATCH:
            raise ValueError(f"HubSpot takes 1 to {MAX_BATCH} contacts a request, not {len(batch)}")
        fields = EMPTY if self._fields_file is None else current_fields(self._fields_file)
        body = {"inputs": [upsert_input(contact, fields) for contact in batch]}
        return read_reply(batch, self._post(UPSERT_PATH, body))

    def erase(self, email: str) -> None:
        body = {"objectId": email, "idProperty": "email"}
        read_erase_reply(self._post(GDPR_DELETE_PATH, body))

    def closed_deals(self, modified_since: datetime | None, after: str | None) -> DealPage:
        """Deals in a mapped stage modified at or after `modified_since`, oldest first."""
        filters: list[dict[str, Any]] = [
            {"propertyName": "dealstage", "operator": "IN", "values": sorted(self._stages)}
        ]
        if modified_since is not None:
            millis = str(int(modified_since.timestamp() * 1000))
            filters.append(
                {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": millis}
            )
        body: dict[str, Any] = {
            "filterGroups": [{"filters": filters}],
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            "properties": list(DEAL_PROPERTIES),
            "limit": DEALS_PER_PAGE,
        }
        if after is not None:
            body["after"] = after
        found = _read_ok(self._post(DEAL_SEARCH_PATH, body))
        rows = [r for r in found.get("results") or [] if isinstance(r, dict) and r.get("id")]
        emails = self._emails_of([str(r["id"]) for r in rows])
        deals = [d for d in (self._deal(r, emails) for r in rows) if d is not None]
        following = ((found.get("paging") or {}).get("next") or {}).get("after")
        return DealPage(deals, str(following) if following else None)

    def _emails_of(self, deal_ids: list[str]) -> dict[str, list[str]]:
        """deal id -> its associated contacts' emails."""
        if not deal_ids:
            return {}
        body = {"inputs": [{"id": deal_id} for deal_id in deal_ids]}
        linked = _read_ok(self._post(DEAL_CONTACTS_PATH, body), partial=True)
        contacts_of: dict[str, list[str]] = {}
        for result in linked.get("results") or []:
            deal_id = str((result.get("from") or {}).get("id", ""))
            contacts_of[deal_id] = [str(to["toObjectId"]) for to in result.get("to") or []]
        wanted = sorted({c for ids in contacts_of.values() for c in ids})
        email_of: dict[str, str] = {}
        for start in range(0, len(wanted), DEALS_PER_PAGE):
            chunk = wanted[start : start + DEALS_PER_PAGE]
            query: dict[str, Any] = {"properties": ["email"], "inputs": [{"id": c} for c in chunk]}
            read = _read_ok(self._post(CONTACTS_READ_PATH, query), partial=True)
            for contact in read.get("results") or []:
                email = (contact.get("properties") or {}).get("email")
                if email:
                    email_of[str(contact.get("id"))] = str(email)
        return {
            deal: [email_of[c] for c in ids if c in email_of] for deal, ids in contacts_of.items()
        }

    def _deal(self, row: dict[str, Any], emails: dict[str, list[str]]) -> ClosedDeal | None:
        props = row.get("properties") or {}
        outcome = self._stages.get(str(props.get("dealstage")))
        modified = _time(props.get("hs_lastmodifieddate")) or _time(row.get("updatedAt"))
        if outcome is None or modified is None:
            return None
        reason = props.get("closed_won_reason" if outcome == "won" else "closed_lost_reason")
        return ClosedDeal(
            deal_id=str(row["id"]),
            outcome=outcome,
            emails=tuple(emails.get(str(row["id"]), ())),
            amount=props.get("amount") or None,
            currency=(props.get("deal_currency_code") or self._currency).upper(),
            reason=reason or None,
            closed_at=_time(props.get("closedate")),
            modified_at=modified,
        )

    def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._token.value}"}
        try:
            return self._client.post(self._base + path, json=body, headers=headers)
        except httpx.HTTPError as error:
            raise CrmUnavailable(f"{type(error).__name__}: {error}") from error


def upsert_input(contact: CrmContact, fields: LeadFields = EMPTY) -> dict[str, Any]:
    return {
        "idProperty": "email",
        "id": contact.email,
        "objectWriteTraceId": contact.contact_id,
        "properties": {**mapped_properties(contact, fields), **properties(contact)},
    }


def mapped_properties(contact: CrmContact, fields: LeadFields) -> dict[str, str]:
    """Custom lead fields mapped to a HubSpot property, with a value for this contact."""
    return {
        f.hubspot_property: hubspot_value(f, contact.custom[f.name])
        for f in fields
        if f.hubspot_property and f.name in contact.custom
    }


def hubspot_value(field: CustomField, value: str) -> str:
    if field.type == "yes_no":
        return "true" if value == "yes" else "false"
    return value


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


def _read_ok(reply: httpx.Response, partial: bool = False) -> dict[str, Any]:
    """The JSON of a 200 (or, for batch reads, a 207 naming what was not found)."""
    if reply.status_code == 200 or (partial and reply.status_code == 207):
        return _json(reply)
    _unavailable_or_refused(reply)


def _time(raw: object) -> datetime | None:
    """HubSpot's times: ISO 8601 ("2026-03-01T12:00:00.000Z") or epoch milliseconds."""
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    try:
        if text.isdigit():
            return datetime.fromtimestamp(int(text) / 1000, tz=timezone.utc)
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


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
