"""Signing in and out, the first admin, user management and the audit log."""

from __future__ import annotations

import hmac
import os
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from bot import passwords
from bot.errors import InvalidField
from bot.settings import Settings, keep_secret_file
from bot.store import StudioUser
from studio.roles import ROLES, can
from studio.security import client_address, close_session, local_path, open_session
from studio.web import (
    SETTINGS,
    STORE,
    audit,
    form,
    in_thread,
    redirect,
    render,
    requires,
    session_of,
    user_of,
)

routes = web.RouteTableDef()
# Failed sign-ins in the last WINDOW seconds. Per email and client address: someone
# guessing from elsewhere never locks the real person out of their own address. Per
# address: one client guessing many emails (an office behind one address has room).
# Per email from anywhere: guessing spread over many addresses; addresses the person
# signed in from lately stay open even then.
WINDOW, MAX_PER_PAIR, MAX_PER_ADDRESS, MAX_PER_EMAIL = 900.0, 5, 50, 100
KNOWN_ADDRESSES = 10  # per email
TRACKED_KEYS = 10_000  # beyond this, expired entries are swept on each failure


@dataclass
class LoginThrottle:
    failures: dict[str, deque[float]] = field(default_factory=dict)
    known: dict[str, deque[str]] = field(default_factory=dict)

    def refused(self, email: str, address: str) -> bool:
        now = time.monotonic()
        limits = [(f"pair:{email} {address}", MAX_PER_PAIR), (f"ip:{address}", MAX_PER_ADDRESS)]
        if address not in self.known.get(email, ()):
            limits.append((f"email:{email}", MAX_PER_EMAIL))
        return any(len(self._recent(key, now)) >= limit for key, limit in limits)

    def failed(self, email: str, address: str) -> None:
        now = time.monotonic()
        if len(self.failures) > TRACKED_KEYS:
            for key in [k for k in self.failures if not self._recent(k, now)]:
                del self.failures[key]
        for key in (f"pair:{email} {address}", f"ip:{address}", f"email:{email}"):
            self.failures.setdefault(key, deque()).append(now)

    def succeeded(self, email: str, address: str) -> None:
        self.failures.pop(f"pair:{email} {address}", None)
        known = self.known.setdefault(email, deque(maxlen=KNOWN_ADDRESSES))
        if address not in known:
            known.append(address)

    def _recent(self, key: str, now: float) -> deque[float]:
        seen = self.failures.get(key, deque())
        while seen and now - seen[0] > WINDOW:
            seen.popleft()
        return seen


THROTTLE = web.AppKey("login_throttle", LoginThrottle)


def setup(app: web.Application) -> None:
    app[THROTTLE] = LoginThrottle()


def setup_token_file(settings: Settings) -> Path:
    return settings.data_dir / "studio_setup_token"


def ensure_setup_token(settings: Settings) -> Path:
    """The one-time token for creating the first admin (readable by the operator only)."""
    token_file = setup_token_file(settings)
    keep_secret_file(token_file, secrets.token_urlsafe(16))
    return token_file


def _claim_setup_token(token_file: Path, given: str) -> Path | None:
    """Take the token out of play if `given` is it: of two requests with it, one wins.

    No await between the read and the rename, and a rename is atomic: the loser finds
    no file. The claimed file is put back if creating the admin then fails."""
    try:
        expected = token_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return None
    claimed = token_file.with_name(f".{token_file.name}.{secrets.token_hex(8)}")
    try:
        os.rename(token_file, claimed)
    except FileNotFoundError:
        return None
    return claimed


@routes.get("/login")
async def login_page(request: web.Request) -> web.Response:
    if not await in_thread(request.app[STORE].studio.users):
        raise web.HTTPSeeOther("/setup")
    return render(request, "login.html", next=local_path(request.query.get("next", "/")), error="")


@routes.post("/login")
async def login(request: web.Request) -> web.StreamResponse:
    data = await form(request)
    email = data.get("email", "").strip().lower()
    password = data.get("password", "")
    target = local_path(data.get("next", "/"))
    throttle = request.app[THROTTLE]
    address = client_address(request, request.app[SETTINGS].studio.trusted_proxies)
    if throttle.refused(email, address):
        await audit(request, "studio.login_throttled", email[:255])
        return render(
            request,
            "login.html",
            status=429,
            next=target,
            error="Too many failed sign-ins: wait 15 minutes and try again.",
        )
    store = request.app[STORE]
    found = await in_thread(store.studio.user_with_hash, email)
    user, stored = found if found else (None, passwords.DUMMY_HASH)
    ok = await in_thread(passwords.verify_password, stored, password)
    if user is None or not ok or user.disabled:
        throttle.failed(email, address)
        await audit(request, "studio.login_failed", email[:255])
        return render(
            request, "login.html", status=401, next=target, error="Wrong email or password."
        )
    throttle.succeeded(email, address)
    if passwords.needs_rehash(stored):
        await in_thread(store.studio.set_password, user.id, passwords.hash_password(password))
    response = redirect(target)
    await open_session(request, response, user.id)
    await in_thread(
        store.privacy.record_audit, f"studio:{user.email}", "studio.login", str(user.id)
    )
    return response


@routes.post("/logout")
async def logout(request: web.Request) -> web.StreamResponse:
    response = redirect("/login")
    if session_of(request) is not None:
        await audit(request, "studio.logout", str(user_of(request).id))
    await close_session(request, response)
    return response


@routes.get("/setup")
async def setup_page(request: web.Request) -> web.Response:
    if await in_thread(request.app[STORE].studio.users):
        raise web.HTTPSeeOther("/login")
    # Made here too, for a studio that started while the profile store was down.
    await in_thread(ensure_setup_token, request.app[SETTINGS])
    return render(request, "setup.html", error="", email="", name="")


@routes.post("/setup")
async def create_first_admin(request: web.Request) -> web.StreamResponse:
    """The first admin, with the one-time token `parley run` printed."""
    store, settings = request.app[STORE], request.app[SETTINGS]
    if await in_thread(store.studio.users):
        raise web.HTTPSeeOther("/login")
    data = await form(request)
    email, name = data.get("email", "").strip().lower(), data.get("name", "").strip()
    try:
        hashed = await _checked(email, name, "admin", data.get("password", ""))
    except InvalidField as error:
        return render(request, "setup.html", status=400, email=email, name=name, error=str(error))
    token_file = setup_token_file(settings)
    claimed = _claim_setup_token(token_file, data.get("token", "").strip())
    if claimed is None:
        return render(
            request,
            "setup.html",
            status=403,
            email=email,
            name=name,
            error="That is not the setup token `parley run` printed.",
        )
    try:
        user = await _store_user(request, email, name, "admin", hashed)
    except BaseException:
        os.rename(claimed, token_file)  # still unused: the operator may try again
        raise
    claimed.unlink(missing_ok=True)
    response = redirect("/")
    await open_session(request, response, user.id)
    return response


async def _create(
    request: web.Request, email: str, name: str, role: str, password: str
) -> StudioUser:
    hashed = await _checked(email, name, role, password)
    return await _store_user(request, email, name, role, hashed)


async def _checked(email: str, name: str, role: str, password: str) -> str:
    """The password's hash once every field is valid; else InvalidField."""
    if "@" not in email or len(email) > 255:
        raise InvalidField("email", "enter an email address")
    if not name or len(name) > 100:
        raise InvalidField("name", "enter a name of up to 100 characters")
    if role not in ROLES:
        raise InvalidField("role", f"one of {', '.join(ROLES)}")
    return await in_thread(passwords.hash_password, password)


async def _store_user(
    request: web.Request, email: str, name: str, role: str, hashed: str
) -> StudioUser:
    user = await in_thread(request.app[STORE].studio.create_user, email, name, role, hashed)
    await audit(request, "studio.user_created", str(user.id), role=role)
    return user


@routes.get("/users")
@requires("users.manage")
async def users_page(request: web.Request) -> web.Response:
    users = await in_thread(request.app[STORE].studio.users)
    return render(request, "users.html", users=users, roles=list(ROLES), error="")


@routes.post("/users")
@requires("users.manage")
async def add_user(request: web.Request) -> web.StreamResponse:
    data = await form(request)
    try:
        await _create(
            request,
            data.get("email", "").strip().lower(),
            data.get("name", "").strip(),
            data.get("role", ""),
            data.get("password", ""),
        )
    except InvalidField as error:
        users = await in_thread(request.app[STORE].studio.users)
        return render(
            request, "users.html", status=400, users=users, roles=list(ROLES), error=str(error)
        )
    raise web.HTTPSeeOther("/users")


@routes.post("/users/{user_id:\\d+}")
@requires("users.manage")
async def change_user(request: web.Request) -> web.StreamResponse:
    user_id, store = int(request.match_info["user_id"]), request.app[STORE]
    data = await form(request)
    if user_id == user_of(request).id:
        raise web.HTTPBadRequest(text="You cannot change or disable your own account here.")
    if data.get("action") == "disable":
        await in_thread(store.studio.disable_user, user_id)
        await audit(request, "studio.user_disabled", str(user_id))
    elif data.get("role") in ROLES:
        await in_thread(store.studio.set_role, user_id, data["role"])
        await audit(request, "studio.user_role", str(user_id), role=data["role"])
        if not can(data["role"], "inbox.work"):
            await in_thread(store.inbox.release_held_by, user_id)
    else:
        raise web.HTTPBadRequest(text="Choose a role or disable.")
    raise web.HTTPSeeOther("/users")


@routes.get("/audit")
@requires("audit.view")
async def audit_page(request: web.Request) -> web.Response:
    entries = await in_thread(request.app[STORE].privacy.audit_entries, 200)
    return render(request, "audit.html", entries=entries)
