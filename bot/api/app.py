"""The API server: aiohttp, scoped bearer tokens, per-token rate limits, problem+json.

Every store call runs in a thread (the store is synchronous); every read of personal
data is written to the audit log with the token's id as the actor.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, cast

from aiohttp import web

from bot.api import tokens
from bot.api.openapi import description
from bot.errors import ContactNotFound, InvalidField, StoreUnavailable
from bot.leads import normalize_email, normalize_phone
from bot.metrics import HTTP_REQUESTS, exposition, status_class
from bot.segments import Compare, Everyone, InList, Or, Segment
from bot.store import ApiToken, Contact, Enrollment, ProfileStore
from bot.types import PURPOSES, LeadField

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STORE = web.AppKey("store", ProfileStore)
REGION = web.AppKey("region", str)
TOKEN = "parley_token"
PUBLIC = ("/api/openapi.json", "/api/health", "/api/ready")
# Open to a scraper on this machine; from anywhere else it takes a token with read scope.
METRICS = "/api/metrics"
MAX_BODY = 64 * 1024


class Problem(Exception):
    def __init__(self, status: int, title: str, detail: str = "", **headers: str) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers

    def response(self) -> web.Response:
        body = {"type": "about:blank", "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        return web.Response(status=self.status, text=json.dumps(body), headers=self.headers,
                            content_type="application/problem+json")  # fmt: skip


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
    except StoreUnavailable:
        return Problem(503, "Service Unavailable", "the profile store is unavailable",
                       **{"Retry-After": "5"}).response()  # fmt: skip
    except web.HTTPException as error:
        if error.status >= 400:
            kept = {k: v for k, v in error.headers.items() if k in ("Allow", "Retry-After")}
            return Problem(error.status, error.reason, **kept).response()
        raise


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path in PUBLIC or (request.path == METRICS and _from_loopback(request)):
        return await handler(request)
    header = request.headers.get("Authorization", "")
    parts = tokens.split(header.removeprefix("Bearer ")) if header.startswith("Bearer ") else None
    if parts is None:
        raise Problem(401, "Unauthorized", "send Authorization: Bearer <token>",
                      **{"WWW-Authenticate": "Bearer"})  # fmt: skip
    token: ApiToken | None = await in_thread(request, lambda s: s.api_token(parts[0]))
    if token is None or token.revoked_at is not None or not tokens.matches(parts[1],
                                                                           token.secret_hash):  # fmt: skip
        raise Problem(401, "Unauthorized", "unknown or revoked token",
                      **{"WWW-Authenticate": "Bearer"})  # fmt: skip
    wait = request.app[LIMITER].take(token.id)
    if wait:
        raise Problem(429, "Too Many Requests", "slow down",
                      **{"Retry-After": str(max(1, round(wait)))})  # fmt: skip
    request[TOKEN] = token
    stale = token.last_used_at is None or (now() - token.last_used_at).total_seconds() > 60
    if stale:  # "last used" to the minute is enough, and spares a write per request
        await in_thread(request, lambda s: s.note_api_token_use(token.id))
    return await handler(request)


def _from_loopback(request: web.Request) -> bool:
    try:
        return request.remote is not None and ipaddress.ip_address(request.remote).is_loopback
    except ValueError:  # a Unix socket has no address
        return False


def require(request: web.Request, scope: str) -> ApiToken:
    token: ApiToken = request[TOKEN]
    if scope not in token.scopes:
        raise Problem(403, "Forbidden", f"this token lacks the {scope} scope")
    return token


async def audited(request: web.Request, action: str, target: str, **details: Any) -> None:
    token = request[TOKEN]
    await in_thread(request, lambda s: s.record_audit(f"api-token:{token.id}", action, target,
                                                      details))  # fmt: skip


def contact_json(contact: Contact, store: ProfileStore) -> dict[str, Any]:
    latest = store.latest_score(contact.id)
    score = None if latest is None else {
        "score": latest.score, "grade": latest.grade, "stage": latest.stage,
        "computed_at": latest.computed_at.isoformat()}  # fmt: skip
    return {**contact.to_export(), "score": score}


def _limit(request: web.Request) -> int:
    raw = request.query.get("limit", "50")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise Problem(400, "Bad Request", "limit is a whole number from 1 to 100")
    return int(raw)


def _matching(text: str) -> Segment:
    """Contacts whose name, email, company or phone contains `text` (any case)."""
    return Or(tuple(Compare(field, "contains", text)
                    for field in ("name", "email", "company", "phone")))  # fmt: skip


def _page(store: ProfileStore, segment: Segment, after: str | None, limit: int) -> dict[str, Any]:
    ids = store.contact_ids_in_segment(segment, now(), after=after, limit=limit + 1)
    items = [contact_json(store.get_contact(i), store) for i in ids[:limit]]
    return {"items": items, "next": ids[limit - 1] if len(ids) > limit else None}


def _text_param(request: web.Request, name: str, longest: int) -> str | None:
    value = request.query.get(name)
    if value is not None and not 1 <= len(value) <= longest:
        raise Problem(400, "Bad Request", f"{name} is 1 to {longest} characters")
    return value


def _contact_key(request: web.Request) -> str:
    key = request.match_info["contact_id"]
    if not 1 <= len(key) <= 64:
        raise Problem(400, "Bad Request", "contact_id is 1 to 64 characters")
    return key


async def list_contacts(request: web.Request) -> web.Response:
    require(request, "read")
    limit, after = _limit(request), _text_param(request, "after", 64)
    query = _text_param(request, "q", 320)
    if query is not None:

        def search(store: ProfileStore) -> dict[str, Any]:
            found = store.find_contact(query) if after is None else None
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
    limit, after = _limit(request), _text_param(request, "after", 64)
    page = await in_thread(request, lambda s: _page(s, segment, after, limit))
    await audited(request, "api.read", "leads", count=len(page["items"]))
    return web.json_response(page)


async def get_contact(request: web.Request) -> web.Response:
    require(request, "read")
    key = _contact_key(request)
    body = await in_thread(request, lambda s: contact_json(s.get_contact(key), s))
    await audited(request, "api.read", body["id"])
    return web.json_response(body)


async def patch_contact(request: web.Request) -> web.Response:
    require(request, "write")
    key, fields = _contact_key(request), await _fields(request)
    contact = await in_thread(request, lambda s: s.update_contact_fields(key, fields))
    await audited(request, "api.update", contact.id, fields=sorted(fields))
    body = await in_thread(request, lambda s: contact_json(contact, s))
    return web.json_response(body)


async def _json_body(request: web.Request) -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise Problem(413, "Payload Too Large", f"at most {MAX_BODY} bytes")
    try:
        body = json.loads(await request.text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise Problem(400, "Bad Request", f"the body is not JSON: {error}") from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise Problem(400, "Bad Request", f"the body is not usable JSON: {error}") from None
    except RecursionError:  # `[[[[...` a few thousand deep
        raise Problem(400, "Bad Request", "the body is nested too deeply") from None
    if not isinstance(body, dict):
        raise Problem(400, "Bad Request", "the body must be a JSON object")
    return body


async def _fields(request: web.Request) -> dict[LeadField, str]:
    body = await _json_body(request)
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
    events = await in_thread(request, lambda s: [e.to_export() for e in s.timeline(key)])
    await audited(request, "api.read", key, part="timeline")
    return web.json_response({"items": events})


async def get_consent(request: web.Request) -> web.Response:
    require(request, "read")
    key = _contact_key(request)

    def read(store: ProfileStore) -> dict[str, Any]:
        history = store.consent_history(key)
        current = {p: e.granted for p, e in store.consent_state(key).items()}
        return {"current": current, "history": [e.to_export() for e in history]}

    body = await in_thread(request, read)
    await audited(request, "api.read", key, part="consent")
    return web.json_response(body)


async def post_consent(request: web.Request) -> web.Response:
    token = require(request, "privacy")
    key, body = _contact_key(request), await _json_body(request)
    record = _consent_record(body)
    evidence = {**record["evidence"], "api_token": token.id}
    event = await in_thread(request, lambda s: s.record_consent(
        key, record["purpose"], record["granted"], channel="staff", wording=record["wording"],
        wording_version=record["wording_version"], source="staff", evidence=evidence))  # fmt: skip
    await audited(request, "api.consent", event.contact_id, purpose=record["purpose"],
                  granted=record["granted"])  # fmt: skip
    return web.json_response(event.to_export(), status=201)


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
    if not isinstance(evidence, dict) or not evidence or len(evidence) > 20 or not all(
        isinstance(v, str) and len(v) <= 500 for v in evidence.values()
    ):  # fmt: skip
        raise Problem(400, "Bad Request", "evidence is an object of 1 to 20 texts")
    if len(body["wording"]) > 2000 or len(body["wording_version"]) > 64:
        raise Problem(400, "Bad Request", "wording or wording_version too long")
    return body


async def get_enrollments(request: web.Request) -> web.Response:
    require(request, "read")
    key = _contact_key(request)
    rows = await in_thread(request, lambda s: s.enrollments(contact_id=key))
    items = [_enrollment_json(e) for e in rows]
    await audited(request, "api.read", key, part="enrollments")
    return web.json_response({"items": items})


def _enrollment_json(e: Enrollment) -> dict[str, Any]:
    return {"campaign": e.campaign, "contact_id": e.contact_id, "status": e.status,
            "step": e.step, "enrolled_at": e.enrolled_at.isoformat(),
            "exit_reason": e.exit_reason}  # fmt: skip


async def campaign_enrollments(request: web.Request) -> web.Response:
    require(request, "read")
    campaign = request.match_info["campaign"]
    if not 1 <= len(campaign) <= 64:
        raise Problem(400, "Bad Request", "campaign is 1 to 64 characters")
    after = _text_param(request, "after", 20) or "0"
    if not after.isdigit():
        raise Problem(400, "Bad Request", "after is the `next` of the previous page")
    limit = _limit(request)
    rows = await in_thread(request, lambda s: s.enrollments_page(campaign, int(after), limit + 1))
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
    if TOKEN in request:  # only requests from elsewhere went through authentication
        require(request, "read")
    body, content_type = exposition()
    return web.Response(body=body, headers={"Content-Type": content_type})


def build_app(
    store: ProfileStore, region: str, rate: float = 10.0, burst: int = 20
) -> web.Application:
    app = web.Application(middlewares=[count_requests, problems, authenticate],
                          client_max_size=MAX_BODY)  # fmt: skip
    app[STORE], app[LIMITER], app[REGION] = store, RateLimits(rate, burst), region
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
    app.router.add_get("/api/v1/campaigns/{campaign}/enrollments", campaign_enrollments)
    return app
