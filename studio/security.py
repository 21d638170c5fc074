"""Sessions, CSRF protection and security headers for every studio request.

A session is a random cookie (HttpOnly, SameSite=Strict) of which the store keeps only a
SHA-256. Every state-changing request must come from the studio's own origin (Origin, or
Referer when a browser sends no Origin) and carry the session's CSRF token, as a form
field or an X-CSRF-Token header.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from aiohttp import web

from bot.errors import StoreUnavailable
from bot.store import StudioSession
from studio.web import SESSION, SETTINGS, STORE, Handler, in_thread, is_api, render

COOKIE = "parley_studio"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Forms that are posted before a session exists: the origin check alone guards them.
SESSIONLESS = {"/login", "/setup"}
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")  # fmt: skip


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_session(request: web.Request, response: web.StreamResponse, user_id: int) -> None:
    settings = request.app[SETTINGS]
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = datetime.now(timezone.utc) + timedelta(hours=settings.studio.session_hours)
    await in_thread(request.app[STORE].open_studio_session, token_hash(token), user_id, csrf,
                    expires)  # fmt: skip
    response.set_cookie(
        COOKIE, token, max_age=settings.studio.session_hours * 3600, httponly=True,
        samesite="Strict", secure=settings.studio.secure_cookies, path="/",
    )  # fmt: skip


async def close_session(request: web.Request, response: web.StreamResponse) -> None:
    token = request.cookies.get(COOKIE)
    if token:
        await in_thread(request.app[STORE].close_studio_session, token_hash(token))
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
            request.app[STORE].studio_session, token_hash(token)
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
            "application/x-www-form-urlencoded", "multipart/form-data"
        }:  # fmt: skip
            posted = await request.post()
            value = posted.get("csrf_token", "")
            sent = value if isinstance(value, str) else ""
        if isinstance(found, StudioSession) and not hmac.compare_digest(
            sent.encode(), found.csrf_token.encode()
        ):
            return _refused(request, "The form had expired or was not the studio's: reload the page and try again.")  # fmt: skip
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
