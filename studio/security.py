"""Sessions, CSRF protection and security headers for every studio request.

A session is a random cookie (HttpOnly, SameSite=Strict) of which the store keeps only a
SHA-256. Every state-changing request must come from the studio's own origin (Origin, or
Referer when a browser sends no Origin) and carry the session's CSRF token, as a form
field or an X-CSRF-Token header.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from aiohttp import web

from bot.errors import StoreUnavailable
from bot.settings import IPNetwork
from bot.store import StudioSession
from studio.web import SESSION, SETTINGS, STORE, Handler, in_thread, is_api, render

COOKIE = "parley_studio"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Forms that are posted before a session exists: the origin check alone guards them.
SESSIONLESS = {"/login", "/setup"}
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def local_path(raw: str, fallback: str = "/") -> str:
    r"""`raw` if it is an absolute path on this site, else `fallback`: never an open
    redirect. Browsers read a backslash as a slash and drop tabs and newlines, so that
    `/\evil.example` goes to evil.example: such characters are refused outright."""
    if not raw.startswith("/") or raw.startswith("//") or len(raw) > 2000:
        return fallback
    if any(c == "\\" or unicodedata.category(c)[0] in "CZ" for c in raw):
        return fallback
    parts = urlsplit(raw)
    return raw if not parts.scheme and not parts.netloc else fallback


def client_address(request: web.Request, trusted: Sequence[IPNetwork]) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the last
    address in X-Forwarded-For that is not one of the trusted proxies."""
    address = request.remote or ""
    forwarded = ",".join(request.headers.getall("X-Forwarded-For", []))
    hops = [h.strip() for h in reversed(forwarded.split(",")) if h.strip()]
    for hop in hops:
        if not _within(address, trusted):
            break
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:  # forged or garbled: the trusted proxy is all we know
            break
    return address


def _within(address: str, networks: Sequence[IPNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(request: web.Request, response: web.StreamResponse, user_id: int) -> None:
    settings = request.app[SETTINGS]
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = datetime.now(timezone.utc) + timedelta(hours=settings.studio.session_hours)
    await in_thread(
        request.app[STORE].studio.open_session, token_hash(token), user_id, csrf, expires
    )
    response.set_cookie(
        COOKIE,
        token,
        max_age=settings.studio.session_hours * 3600,
        httponly=True,
        samesite="Strict",
        secure=settings.studio.secure_cookies,
        path="/",
    )


async def close_session(request: web.Request, response: web.StreamResponse) -> None:
    token = request.cookies.get(COOKIE)
    if token:
        await in_thread(request.app[STORE].studio.close_session, token_hash(token))
    response.del_cookie(COOKIE, path="/")


def same_origin(request: web.Request) -> bool:
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return False
    return urlsplit(source).netloc.lower() == request.host.lower()


@web.middleware
async def sessions(request: web.Request, handler: Handler) -> web.StreamResponse:
    token = request.cookies.get(COOKIE)
    if token and len(token) < 200:
        found: StudioSession | None = await in_thread(
            request.app[STORE].studio.session, token_hash(token)
        )
        if found is not None:
            request[SESSION] = found
    return await handler(request)


@web.middleware
async def csrf(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method in SAFE_METHODS:
        return await handler(request)
    if not same_origin(request):
        return _refused(request, "This request did not come from the studio's own pages.")
    if request.path not in SESSIONLESS:
        found = request.get(SESSION)
        sent = request.headers.get("X-CSRF-Token", "")
        if not sent and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            posted = await request.post()
            value = posted.get("csrf_token", "")
            sent = value if isinstance(value, str) else ""
        if isinstance(found, StudioSession) and not hmac.compare_digest(
            sent.encode(), found.csrf_token.encode()
        ):
            return _refused(
                request,
                "The form had expired or was not the studio's: reload the page and try again.",
            )
    return await handler(request)


def _refused(request: web.Request, message: str) -> web.Response:
    if is_api(request):
        return web.json_response({"error": message}, status=403)
    return render(request, "error.html", status=403, message=message)


@web.middleware
async def headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except StoreUnavailable:
        response = _unavailable(request)
    except web.HTTPException as error:
        if error.status != 404 or is_api(request):
            _secure(request, error)
            raise
        response = render(request, "error.html", status=404, message="There is no such page.")
    _secure(request, response)
    return response


def _secure(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")


def _unavailable(request: web.Request) -> web.Response:
    message = "The profile store is not answering; nothing was changed. Try again shortly."
    if is_api(request):
        return web.json_response({"error": message}, status=503)
    return render(request, "error.html", status=503, message=message)
