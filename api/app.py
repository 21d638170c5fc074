"""The API server: aiohttp, scoped bearer tokens, per-token rate limits, problem+json.

Every store call runs in a thread (the store is synchronous); every read of personal
data is written to the audit log with the token's id as the actor.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import time
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, cast

from aiohttp import web

from api import tokens
from api.openapi import description
from bot.custom_fields import EMPTY, FieldsError, LeadFields, LeadFieldsFile
from bot.errors import ContactNotFound, InvalidField, StoreUnavailable
from bot.leads import normalize_email, normalize_phone
from bot.metrics import HTTP_REQUESTS, exposition, status_class
from bot.segments import Compare, Everyone, InList, Or, Segment
from bot.settings import Secret
from bot.store import (
    ApiToken,
    ConsentChange,
    ConsentWords,
    Contact,
    Enrollment,
    OutcomeRecord,
    ProfileStore,
)
from bot.types import OUTCOMES, PURPOSES, ContactId, LeadField

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STORE = web.AppKey("store", ProfileStore)
REGION = web.AppKey("region", str)
# The custom lead fields of lead_fields.yml, read again when a publish rewrites it.
LEAD_FIELDS: web.AppKey[LeadFieldsFile | None] = web.AppKey("lead_fields")
# Prometheus' own bearer token (PARLEY_METRICS_TOKEN); an API token with read scope works
# too. Loopback is no exemption: under --scale a proxy on this machine is loopback.
METRICS_TOKEN: web.AppKey[Secret | None] = web.AppKey("metrics_token")
TOKEN = "parley_token"
PUBLIC = ("/api/openapi.json", "/api/health", "/api/ready")
METRICS = "/api/metrics"
MAX_BODY = 64 * 1024
# Enrollment cursors are row ids: a 64-bit signed integer in every database.
LARGEST_ID = 2**63 - 1


class Problem(Exception):
    def __init__(self, status: int, title: str, detail: str = "", **headers: str) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers

    def response(self) -> web.Response:
        body = {"type": "about:blank", "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        return web.Response(
            status=self.status,
            text=json.dumps(body),
            headers=self.headers,
            content_type="application/problem+json",
        )


@dataclass
class RateLimits:
    """A token bucket per API token: `rate` requests a second, bursts of `burst`."""

    rate: float
    burst: int
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, key: str) -> float:
        """0 when allowed, else the seconds to wait."""
        now = time.monotonic()
        level, since = self.buckets.get(key, (float(self.burst), now))
        level = min(float(self.burst), level + (now - since) * self.rate)
        if level < 1:
            self.buckets[key] = (level, now)
            return (1 - level) / self.rate
        self.buckets[key] = (level - 1, now)
        return 0.0


LIMITER = web.AppKey("limiter", RateLimits)


def now() -> datetime:
    return datetime.now(timezone.utc)


async def in_thread(request: web.Request, work: Callable[[ProfileStore], Any]) -> Any:
    return await asyncio.to_thread(work, request.app[STORE])


@web.middleware
async def count_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    # The route's template, never the raw path: contact ids must not become labels.
    resource = request.match_info.route.resource
    route = resource.canonical if resource is not None else "unmatched"
    try:
        response = await handler(request)
    except web.HTTPException as error:
        HTTP_REQUESTS.labels(route, status_class(error.status)).inc()
        raise
    HTTP_REQUESTS.labels(route, status_class(response.status)).inc()
    return response


@web.middleware
async def problems(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except Problem as problem:
        return problem.response()
    except ContactNotFound:
        return Problem(404, "Not Found", "no such contact").response()
    except InvalidField as error:
        return Problem(400, "Bad Request", str(error)).response()
    except FieldsError as error:  # a hand-edited file; a publish never writes one
        return Problem(500, "Internal Server Error", f"lead_fields.yml: {error}").response()
    except StoreUnavailable:
        return Problem(
            503, "Service Unavailable", "the profile store is unavailable", **{"Retry-After": "5"}
        ).response()
    except web.HTTPException as error:
        if error.status >= 400:
            kept = {k: v for k, v in error.headers.items() if k in ("Allow", "Retry-After")}
            return Problem(error.status, error.reason, **kept).response()
        raise


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    header = request.headers.get("Authorization", "")
    if request.path in PUBLIC or (request.path == METRICS and _is_metrics_token(request, header)):
        return await handler(request)
    parts = tokens.split(header.removeprefix("Bearer ")) if header.startswith("Bearer ") else None
    if parts is None:
        raise Problem(
            401,
            "Unauthorized",
            "send Authorization: Bearer <token>",
            **{"WWW-Authenticate": "Bearer"},
        )
    token: ApiToken | None = await in_thread(request, lambda s: s.integrations.api_token(parts[0]))
    if (
        token is None
        or token.revoked_at is not None
        or not tokens.matches(parts[1], token.secret_hash)
    ):
        raise Problem(
            401, "Unauthorized", "unknown or revoked token", **{"WWW-Authenticate": "Bearer"}
        )
    wait = request.app[LIMITER].take(token.id)
    if wait:
        raise Problem(
            429, "Too Many Requests", "slow down", **{"Retry-After": str(max(1, round(wait)))}
        )
    request[TOKEN] = token
    stale = token.last_used_at is None or (now() - token.last_used_at).total_seconds() > 60
    if stale:  # "last used" to the minute is enough, and spares a write per request
        await in_thread(request, lambda s: s.integrations.record_api_token_use(token.id))
    return await handler(request)


def _is_metrics_token(request: web.Request, header: str) -> bool:
    expected = request.app[METRICS_TOKEN]
    sent = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    return expected is not None and hmac.compare_digest(sent.encode(), expected.value.encode())


def require(request: web.Request, scope: str) -> ApiToken:
    token: ApiToken = request[TOKEN]
    if scope not in token.scopes:
        raise Problem(403, "Forbidden", f"this token lacks the {scope} scope")
    return token


async def audited(request: web.Request, action: str, target: str, **details: Any) -> None:
    token = request[TOKEN]
    await in_thread(
        request, lambda s: s.privacy.record_audit(f"api-token:{token.id}", action, target, details)
    )


def contact_json(contact: Contact, store: ProfileStore) -> dict[str, Any]:
    latest = store.leads.latest_score(contact.id)
    score = (
        None
        if latest is None
        else {
            "score": latest.score,
            "grade": latest.grade,
            "stage": latest.stage,
            "computed_at": latest.computed_at.isoformat(),
        }
    )
    # A typed email or phone that another contact holds keeps the two apart (#17): staff
    # decide, in the studio, whether they are one person.
    duplicates = [
        {"claim_id": c.id, "field": c.field, "value": c.value, "claimed_at": c.created_at.isoformat(),
         "other_contact_id": c.holder_id if c.contact_id == contact.id else c.contact_id}
        for c in store.contacts.possible_duplicates(contact.id)
    ]  # fmt: skip
    return {**contact.to_export(), "score": score, "possible_duplicates": duplicates}


def _limit(request: web.Request) -> int:
    raw = request.query.get("limit", "50")
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= 100:
        raise Problem(400, "Bad Request", "limit is a whole number from 1 to 100")
    return int(raw)


def _plain_text(name: str, value: str) -> str:
    """Refuse control characters (PostgreSQL refuses NUL) and unpaired surrogates."""
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in value):
        raise Problem(400, "Bad Request", f"{name} contains control characters")
    return value


def _matching(text: str) -> Segment:
    """Contacts whose name, email, company or phone contains `text` (any case)."""
    return Or(
        tuple(Compare(field, "contains", text) for field in ("name", "email", "company", "phone"))
    )


def _page(
    store: ProfileStore, segment: Segment, after: ContactId | None, limit: int
) -> dict[str, Any]:
    ids = store.campaigns.contact_ids_in_segment(segment, now(), after=after, limit=limit + 1)
    items = [contact_json(store.contacts.get(i), store) for i in ids[:limit]]
    return {"items": items, "next": ids[limit - 1] if len(ids) > limit else None}


def _text_param(request: web.Request, name: str, longest: int) -> str | None:
    value = request.query.get(name)
    if value is not None and not 1 <= len(value) <= longest:
        raise Problem(400, "Bad Request", f"{name} is 1 to {longest} characters")
    return value if value is None else _plain_text(name, value)


def _path_text(request: web.Request, name: str) -> str:
    value = request.match_info[name]
    if not 1 <= len(value) <= 64:
        raise Problem(400, "Bad Request", f"{name} is 1 to 64 characters")
    return _plain_text(name, value)


def _contact_key(request: web.Request) -> ContactId:
    return ContactId(_path_text(request, "contact_id"))


def _after_contact(request: web.Request) -> ContactId | None:
    """A contacts page's `after`: the last id of the previous page."""
    after = _text_param(request, "after", 64)
    return None if after is None else ContactId(after)


def _cursor(request: web.Request) -> int:
    """An enrollment page's `after`: a row id, 0 for the first page."""
    raw = request.query.get("after", "0")
    if not re.fullmatch(r"[0-9]{1,19}", raw) or int(raw) > LARGEST_ID:
        raise Problem(400, "Bad Request", "after is the `next` of the previous page")
    return int(raw)


async def list_contacts(request: web.Request) -> web.Response:
    require(request, "read")
    limit, after = _limit(request), _after_contact(request)
    query = _text_param(request, "q", 320)
    if query is not None:

        def search(store: ProfileStore) -> dict[str, Any]:
            found = store.contacts.find(query) if after is None else None
            if found is not None:  # an exact id, email or phone
                return {"items": [contact_json(found, store)], "next": None}
            return _page(store, _matching(query), after, limit)

        page = await in_thread(request, search)
    else:
        page = await in_thread(request, lambda s: _page(s, Everyone(), after, limit))
    await audited(request, "api.read", "contacts", count=len(page["items"]))
    return web.json_response(page)


async def list_leads(request: web.Request) -> web.Response:
    require(request, "read")
    given = request.query.get("grade")
    grades = given.split(",") if given is not None else []
    if any(g not in ("A", "B", "C", "D") for g in grades):
        raise Problem(400, "Bad Request", "grade is some of A, B, C, D")
    segment: Segment = InList("grade", tuple(grades or ("A", "B", "C", "D")))
    limit, after = _limit(request), _after_contact(request)
    page = await in_thread(request, lambda s: _page(s, segment, after, limit))
    await audited(request, "api.read", "leads", count=len(page["items"]))
    return web.json_response(page)


async def get_contact(request: web.Request) -> web.Response:
    require(request, "read")
    key = _contact_key(request)
    body = await in_thread(request, lambda s: contact_json(s.contacts.get(key), s))
    await audited(request, "api.read", body["id"])
    return web.json_response(body)


async def patch_contact(request: web.Request) -> web.Response:
    require(request, "write")
    key, body = _contact_key(request), await _json_body(request)
    given = body.pop("fields", None)
    fields = _fields(request, body)
    custom = _custom_fields(request, given)

    def write(store: ProfileStore) -> Contact:
        _check_clearable(store, key, custom, _lead_fields(request))
        return store.integrations.update_contact_fields(key, fields, custom=custom)

    contact = await in_thread(request, write)
    await audited(
        request, "api.update", contact.id, fields=sorted(fields), custom_fields=sorted(custom)
    )
    reply = await in_thread(request, lambda s: contact_json(contact, s))
    return web.json_response(reply)


async def _json_body(request: web.Request, exact: bool = False) -> dict[str, Any]:
    """The request's JSON object; `exact` reads numbers with decimals as Decimal."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise Problem(413, "Payload Too Large", f"at most {MAX_BODY} bytes")
    try:
        body = json.loads(await request.text(), parse_float=Decimal if exact else float)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise Problem(400, "Bad Request", f"the body is not JSON: {error}") from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise Problem(400, "Bad Request", f"the body is not usable JSON: {error}") from None
    except RecursionError:  # `[[[[...` a few thousand deep
        raise Problem(400, "Bad Request", "the body is nested too deeply") from None
    if not isinstance(body, dict):
        raise Problem(400, "Bad Request", "the body must be a JSON object")
    return body


def _fields(request: web.Request, body: dict[str, Any]) -> dict[LeadField, str]:
    allowed = ("name", "email", "phone", "company", "role", "need")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise Problem(400, "Bad Request", f"unknown fields: {', '.join(unknown)}")
    fields: dict[LeadField, str] = {}
    for name, value in body.items():
        if not isinstance(value, str) or not value.strip() or len(value) > 320:
            raise Problem(400, "Bad Request", f"{name} must be text of 1 to 320 characters")
        fields[cast(LeadField, name)] = _clean(name, value.strip(), request.app[REGION])
    return fields


def _lead_fields(request: web.Request) -> LeadFields:
    source = request.app[LEAD_FIELDS]
    return EMPTY if source is None else source.current()


def _custom_fields(request: web.Request, given: object) -> dict[str, str | None]:
    """`fields` of a PATCH: custom lead field -> a value, canonical by the field's type
    (InvalidField, a 400 naming the field, otherwise), or null to forget the value."""
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise Problem(400, "Bad Request", "fields must be an object of custom lead fields")
    setting = {name: value for name, value in given.items() if value is not None}
    clean = _lead_fields(request).normalize(setting, region=request.app[REGION])
    return {name: clean.get(name) for name in given}


def _check_clearable(
    store: ProfileStore, key: ContactId, custom: dict[str, str | None], defined: LeadFields
) -> None:
    """A null forgets a value of a field the file defines, or one the contact holds (a
    field since removed); any other name is as unknown as in a value."""
    nulls = [name for name, value in custom.items() if value is None]
    held = store.leads.custom_fields(key) if nulls else {}
    for name in nulls:
        if defined.get(name) is None and name not in held:
            known = ", ".join(defined.names) or "none are defined"
            raise InvalidField(name, f"not a lead field of this bot ({known})")


def _clean(name: str, value: str, region: str) -> str:
    try:
        if name == "email":
            return normalize_email(value)
        if name == "phone":
            return normalize_phone(value, region)
    except ValueError as error:
        raise Problem(400, "Bad Request", f"{name}: {error}") from None
    return value


async def get_timeline(request: web.Request) -> web.Response:
    require(request, "read")
    key = _contact_key(request)
    events = await in_thread(request, lambda s: [e.to_export() for e in s.contacts.timeline(key)])
    await audited(request, "api.read", key, part="timeline")
    return web.json_response({"items": events})


async def get_consent(request: web.Request) -> web.Response:
    require(request, "read")
    key = _contact_key(request)

    def read(store: ProfileStore) -> dict[str, Any]:
        history = store.consent.history(key)
        state = store.consent.state(key).items()
        current = {p: e.in_force for p, e in state}
        pending = sorted(p for p, e in state if e.pending and e.granted)
        return {"current": current, "pending": pending, "history": [e.to_export() for e in history]}

    body = await in_thread(request, read)
    await audited(request, "api.read", key, part="consent")
    return web.json_response(body)


async def post_consent(request: web.Request) -> web.Response:
    token = require(request, "privacy")
    key, body = _contact_key(request), await _json_body(request)
    record = _consent_record(body)
    evidence = {**record["evidence"], "api_token": token.id}
    words = ConsentWords("staff", record["wording"], record["wording_version"], "staff", evidence)
    change = await in_thread(request, lambda s: _change_consent(s, key, record, words))
    event = change.events[0]
    await audited(
        request,
        "api.consent",
        event.contact_id,
        purpose=record["purpose"],
        granted=record["granted"],
    )
    return web.json_response(event.to_export(), status=201)


def _change_consent(
    store: ProfileStore, key: ContactId, record: dict[str, Any], words: ConsentWords
) -> ConsentChange:
    """The whole effect, as any other grant or withdrawal: a grant lifts the purpose's
    do-not-contact entry (a STOP's included), a withdrawal adds one."""
    purposes = [record["purpose"]]
    if record["granted"]:
        return store.consent.grant(key, purposes, words)
    return store.consent.withdraw(key, purposes, words, "withdrawn through the API")


def _consent_record(body: dict[str, Any]) -> dict[str, Any]:
    expected = {"purpose", "granted", "wording", "wording_version", "evidence"}
    if set(body) != expected:
        raise Problem(400, "Bad Request", f"give exactly: {', '.join(sorted(expected))}")
    evidence = body["evidence"]
    text_fields = (body["purpose"], body["wording"], body["wording_version"])
    if not all(isinstance(v, str) and v.strip() for v in text_fields):
        raise Problem(400, "Bad Request", "purpose, wording and wording_version are text")
    if body["purpose"] not in PURPOSES:
        raise Problem(400, "Bad Request", f"purpose is one of {', '.join(PURPOSES)}")
    if not isinstance(body["granted"], bool):
        raise Problem(400, "Bad Request", "granted is true or false")
    if (
        not isinstance(evidence, dict)
        or not evidence
        or len(evidence) > 20
        or not all(isinstance(v, str) and len(v) <= 500 for v in evidence.values())
    ):
        raise Problem(400, "Bad Request", "evidence is an object of 1 to 20 texts")
    if len(body["wording"]) > 2000 or len(body["wording_version"]) > 64:
        raise Problem(400, "Bad Request", "wording or wording_version too long")
    return body


OUTCOME_FIELDS = {"outcome", "value", "currency", "reason", "occurred_at"}
# A sale closes in the past; a few minutes ahead is another machine's clock.
CLOCK_SKEW = timedelta(minutes=5)


def unprocessable(detail: str) -> Problem:
    return Problem(422, "Unprocessable Entity", detail)


def outcome_json(record: OutcomeRecord) -> dict[str, Any]:
    return {k: v for k, v in record.to_export().items() if k != "contact_id"}


async def get_outcome(request: web.Request) -> web.Response:
    require(request, "read")
    key = _contact_key(request)

    def read(store: ProfileStore) -> dict[str, Any]:
        history = store.leads.outcome_history(key)
        current = next((o for o in history if o.current), None)
        return {
            "contact_id": store.contacts.get(key).id,
            "current": None if current is None else outcome_json(current),
            "history": [outcome_json(o) for o in history],
        }

    body = await in_thread(request, read)
    await audited(request, "api.read", body["contact_id"], part="outcome")
    return web.json_response(body)


async def post_outcome(request: web.Request) -> web.Response:
    """Record a sale won or lost; the same as the current outcome again is a 200 that
    records nothing, so a client may safely retry. The store audits it."""
    token = require(request, "write")
    key, body = _contact_key(request), await _json_body(request, exact=True)
    given = _outcome_record(body)

    def record(store: ProfileStore) -> tuple[OutcomeRecord, bool]:
        return store.leads.record_outcome(
            key, source="api", recorded_by=f"api-token:{token.id}", **given
        )

    try:
        saved, new = await in_thread(request, record)
    except InvalidField as error:
        raise unprocessable(str(error)) from None
    return web.json_response(outcome_json(saved), status=201 if new else 200)


def _outcome_record(body: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(body) - OUTCOME_FIELDS)
    if unknown:
        raise unprocessable(f"unknown fields: {', '.join(unknown)}")
    outcome = body.get("outcome")
    if outcome not in OUTCOMES:
        raise unprocessable(f"outcome is one of {', '.join(OUTCOMES)}")
    value = body.get("value")
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, (str, int, Decimal))
    ):
        raise unprocessable('value is a decimal amount such as "12500.00"')
    for name in ("currency", "reason", "occurred_at"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise unprocessable(f"{name} is text")
    return {
        "outcome": outcome,
        "value": value,
        "currency": body.get("currency"),
        "reason": body.get("reason"),
        "occurred_at": _closed_at(body.get("occurred_at")),
    }


def _closed_at(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        when = datetime.fromisoformat(re.sub("[zZ]$", "+00:00", raw.strip()))
        if when.tzinfo is None:
            raise unprocessable("occurred_at needs a UTC offset (e.g. 2026-03-01T12:00:00Z)")
        when = when.astimezone(timezone.utc)
    except (ValueError, OverflowError):  # year 1 at +14:00 is before anything UTC can say
        raise unprocessable("occurred_at is an ISO 8601 date and time") from None
    if when > now() + CLOCK_SKEW:
        raise unprocessable("occurred_at is in the future")
    return when


async def get_enrollments(request: web.Request) -> web.Response:
    require(request, "read")
    key = _contact_key(request)
    rows = await in_thread(request, lambda s: s.campaigns.enrollments(contact_id=key))
    items = [_enrollment_json(e) for e in rows]
    await audited(request, "api.read", key, part="enrollments")
    return web.json_response({"items": items})


def _enrollment_json(e: Enrollment) -> dict[str, Any]:
    return {
        "campaign": e.campaign,
        "contact_id": e.contact_id,
        "status": e.status,
        "step": e.step,
        "enrolled_at": e.enrolled_at.isoformat(),
        "exit_reason": e.exit_reason,
    }


async def campaign_enrollments(request: web.Request) -> web.Response:
    require(request, "read")
    campaign, after, limit = _path_text(request, "campaign"), _cursor(request), _limit(request)
    rows = await in_thread(
        request, lambda s: s.campaigns.enrollments_page(campaign, after, limit + 1)
    )
    items = [_enrollment_json(e) for e in rows[:limit]]
    following = str(rows[limit - 1].id) if len(rows) > limit else None
    await audited(request, "api.read", f"campaign:{campaign}", count=len(items))
    return web.json_response({"items": items, "next": following})


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(description())


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def ready(request: web.Request) -> web.Response:
    """200 while the profile store answers: a balancer sends requests only then."""
    try:
        await asyncio.wait_for(asyncio.to_thread(request.app[STORE].check_available), 5)
    except (StoreUnavailable, asyncio.TimeoutError) as error:
        reason = str(error) or "the profile store did not answer within 5 s"
        return web.json_response({"status": "unavailable", "reason": reason}, status=503)
    return web.json_response({"status": "ok"})


async def metrics(request: web.Request) -> web.Response:
    if TOKEN in request:  # an API token, not Prometheus' own
        require(request, "read")
    body, content_type = exposition()
    return web.Response(body=body, headers={"Content-Type": content_type})


def build_app(
    store: ProfileStore,
    region: str,
    rate: float = 10.0,
    burst: int = 20,
    metrics_token: Secret | None = None,
    lead_fields: LeadFieldsFile | None = None,
) -> web.Application:
    """`lead_fields`: the custom fields a PATCH may set; without it, none."""
    app = web.Application(
        middlewares=[count_requests, problems, authenticate], client_max_size=MAX_BODY
    )
    app[STORE], app[LIMITER], app[REGION] = store, RateLimits(rate, burst), region
    app[METRICS_TOKEN] = metrics_token
    app[LEAD_FIELDS] = lead_fields
    app.router.add_get("/api/openapi.json", openapi)
    app.router.add_get("/api/health", health)
    app.router.add_get("/api/ready", ready)
    app.router.add_get(METRICS, metrics)
    app.router.add_get("/api/v1/contacts", list_contacts)
    app.router.add_get("/api/v1/leads", list_leads)
    app.router.add_get("/api/v1/contacts/{contact_id}", get_contact)
    app.router.add_patch("/api/v1/contacts/{contact_id}", patch_contact)
    app.router.add_get("/api/v1/contacts/{contact_id}/timeline", get_timeline)
    app.router.add_get("/api/v1/contacts/{contact_id}/consent", get_consent)
    app.router.add_post("/api/v1/contacts/{contact_id}/consent", post_consent)
    app.router.add_get("/api/v1/contacts/{contact_id}/enrollments", get_enrollments)
    app.router.add_get("/api/v1/contacts/{contact_id}/outcome", get_outcome)
    app.router.add_post("/api/v1/contacts/{contact_id}/outcome", post_outcome)
    app.router.add_get("/api/v1/campaigns/{campaign}/enrollments", campaign_enrollments)
    return app
