"""Signing in and out, the first admin, user management and the audit log."""

from __future__ import annotations

import hmac
import secrets
import time
from collections import deque
from pathlib import Path

from aiohttp import web

from bot import passwords
from bot.errors import InvalidField
from bot.settings import Settings
from bot.store import StudioUser
from studio.roles import ROLES
from studio.security import close_session, open_session
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
# Failed logins in the last WINDOW seconds, per email and (for an office behind one
# address, more of them) per client address.
WINDOW, MAX_PER_EMAIL, MAX_PER_ADDRESS = 900.0, 5, 50
FAILURES = web.AppKey("login_failures", dict[str, deque[float]])


def setup(app: web.Application) -> None:
    app[FAILURES] = {}


def setup_token_file(settings: Settings) -> Path:
    return settings.data_dir / "studio_setup_token"


def ensure_setup_token(settings: Settings) -> Path:
    """The one-time token for creating the first admin (readable by the operator only)."""
    token_file = setup_token_file(settings)
    if not token_file.is_file():
        token_file.parent.mkdir(parents=True, exist_ok=True)
        token_file.write_text(secrets.token_urlsafe(16) + "\n")
        token_file.chmod(0o600)
    return token_file


def _throttled(failures: dict[str, deque[float]], email: str, address: str) -> bool:
    now = time.monotonic()
    for key, limit in ((f"email:{email}", MAX_PER_EMAIL), (f"ip:{address}", MAX_PER_ADDRESS)):
        seen = failures.setdefault(key, deque())
        while seen and now - seen[0] > WINDOW:
            seen.popleft()
        if len(seen) >= limit:
            return True
    return False


def _failed(failures: dict[str, deque[float]], email: str, address: str) -> None:
    for key in (f"email:{email}", f"ip:{address}"):
        failures.setdefault(key, deque()).append(time.monotonic())


def _next(raw: str) -> str:
    """Only a path on this site: never an open redirect."""
    return raw if raw.startswith("/") and not raw.startswith("//") and "\\\\" not in raw else "/"


@routes.get("/login")
async def login_page(request: web.Request) -> web.Response:
    if not await in_thread(request.app[STORE].studio_users):
        raise web.HTTPSeeOther("/setup")
    return render(request, "login.html", next=_next(request.query.get("next", "/")), error="")


@routes.post("/login")
async def login(request: web.Request) -> web.StreamResponse:
    data = await form(request)
    email = data.get("email", "").strip().lower()
    password = data.get("password", "")
    target = _next(data.get("next", "/"))
    failures, address = request.app[FAILURES], request.remote or ""
    if _throttled(failures, email, address):
        await audit(request, "studio.login_throttled", email[:255])
        return render(request, "login.html", status=429, next=target, error="Too many failed sign-ins: wait 15 minutes and try again.")  # fmt: skip
    store = request.app[STORE]
    found = await in_thread(store.studio_user_with_hash, email)
    user, stored = found if found else (None, passwords.DUMMY_HASH)
    ok = await in_thread(passwords.verify_password, stored, password)
    if user is None or not ok or user.disabled:
        _failed(failures, email, address)
        await audit(request, "studio.login_failed", email[:255])
        return render(request, "login.html", status=401, next=target, error="Wrong email or password.")  # fmt: skip
    if passwords.needs_rehash(stored):
        await in_thread(store.set_studio_password, user.id, passwords.hash_password(password))
    response = redirect(target)
    await open_session(request, response, user.id)
    await in_thread(store.record_audit, f"studio:{user.email}", "studio.login", str(user.id))
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
    if await in_thread(request.app[STORE].studio_users):
        raise web.HTTPSeeOther("/login")
    # Made here too, for a studio that started while the profile store was down.
    await in_thread(ensure_setup_token, request.app[SETTINGS])
    return render(request, "setup.html", error="", email="", name="")


@routes.post("/setup")
async def create_first_admin(request: web.Request) -> web.StreamResponse:
    """The first admin, with the one-time token `parley run` printed."""
    store, settings = request.app[STORE], request.app[SETTINGS]
    if await in_thread(store.studio_users):
        raise web.HTTPSeeOther("/login")
    data = await form(request)
    email, name = data.get("email", "").strip().lower(), data.get("name", "").strip()
    token_file = setup_token_file(settings)
    expected = token_file.read_text().strip() if token_file.is_file() else ""
    if not expected or not hmac.compare_digest(data.get("token", "").strip(), expected):
        return render(request, "setup.html", status=403, email=email, name=name,
                      error="That is not the setup token `parley run` printed.")  # fmt: skip
    try:
        user = await _create(request, email, name, "admin", data.get("password", ""))
    except InvalidField as error:
        return render(request, "setup.html", status=400, email=email, name=name, error=str(error))
    token_file.unlink(missing_ok=True)
    response = redirect("/")
    await open_session(request, response, user.id)
    return response


async def _create(
    request: web.Request, email: str, name: str, role: str, password: str
) -> StudioUser:
    if "@" not in email or len(email) > 255:
        raise InvalidField("email", "enter an email address")
    if not name or len(name) > 100:
        raise InvalidField("name", "enter a name of up to 100 characters")
    if role not in ROLES:
        raise InvalidField("role", f"one of {', '.join(ROLES)}")
    hashed = await in_thread(passwords.hash_password, password)
    user = await in_thread(request.app[STORE].create_studio_user, email, name, role, hashed)
    await audit(request, "studio.user_created", str(user.id), role=role)
    return user


@routes.get("/users")
@requires("users.manage")
async def users_page(request: web.Request) -> web.Response:
    users = await in_thread(request.app[STORE].studio_users)
    return render(request, "users.html", users=users, roles=list(ROLES), error="")


@routes.post("/users")
@requires("users.manage")
async def add_user(request: web.Request) -> web.StreamResponse:
    data = await form(request)
    try:
        await _create(request, data.get("email", "").strip().lower(), data.get("name", "").strip(),
                      data.get("role", ""), data.get("password", ""))  # fmt: skip
    except InvalidField as error:
        users = await in_thread(request.app[STORE].studio_users)
        return render(request, "users.html", status=400, users=users, roles=list(ROLES), error=str(error))  # fmt: skip
    raise web.HTTPSeeOther("/users")


@routes.post("/users/{user_id:\\d+}")
@requires("users.manage")
async def change_user(request: web.Request) -> web.StreamResponse:
    user_id, store = int(request.match_info["user_id"]), request.app[STORE]
    data = await form(request)
    if user_id == user_of(request).id:
        raise web.HTTPBadRequest(text="You cannot change or disable your own account here.")
    if data.get("action") == "disable":
        await in_thread(store.disable_studio_user, user_id)
        await audit(request, "studio.user_disabled", str(user_id))
    elif data.get("role") in ROLES:
        await in_thread(store.set_studio_role, user_id, data["role"])
        await audit(request, "studio.user_role", str(user_id), role=data["role"])
    else:
        raise web.HTTPBadRequest(text="Choose a role or disable.")
    raise web.HTTPSeeOther("/users")


@routes.get("/audit")
@requires("audit.view")
async def audit_page(request: web.Request) -> web.Response:
    entries = await in_thread(request.app[STORE].audit_entries, 200)
    return render(request, "audit.html", entries=entries)
