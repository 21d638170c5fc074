"""What every studio page uses: the app's keys, the signed-in user, permissions,
templates, forms and the audit log."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote

import jinja2
from aiohttp import web
from multidict import MultiDict, MultiDictProxy

from bot.settings import Settings
from bot.store import ProfileStore, StudioSession, StudioUser
from studio.roles import Permission, can

P = ParamSpec("P")
T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

STORE = web.AppKey("store", ProfileStore)
SETTINGS = web.AppKey("settings", Settings)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
# Filled by the session middleware for a signed-in request.
SESSION = "studio_session"
MAX_FORM = 256 * 1024
TEMPLATE_DIR = Path(__file__).parent / "templates"


def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["can"] = can
    return env


def session_of(request: web.Request) -> StudioSession | None:
    found = request.get(SESSION)
    return found if isinstance(found, StudioSession) else None


def user_of(request: web.Request) -> StudioUser:
    """The signed-in user; only call from a handler behind `requires`."""
    found = session_of(request)
    if found is None:
        raise web.HTTPUnauthorized()
    return found.user


def is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/")


def requires(permission: Permission) -> Callable[[Handler], Handler]:
    """Signed in, with a role that has `permission`: else login page, 401 or 403."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            found = session_of(request)
            if found is None:
                if is_api(request):
                    raise web.HTTPUnauthorized(
                        text='{"error": "sign in first"}', content_type="application/json"
                    )
                raise web.HTTPSeeOther(f"/login?next={quote(request.rel_url.path_qs, safe='/')}")
            if not can(found.user.role, permission):
                await audit(request, "studio.forbidden", request.path, permission=permission)
                raise web.HTTPForbidden(
                    text=render_text(request, "error.html", status=403,
                                     message=f"Your role ({found.user.role}) may not do this."),
                    content_type="text/html",
                )  # fmt: skip
            return await handler(request)

        return guarded

    return wrap


def render_text(request: web.Request, template: str, **context: Any) -> str:
    found = session_of(request)
    env = request.app[TEMPLATES]
    return env.get_template(template).render(
        user=found.user if found else None,
        csrf_token=found.csrf_token if found else "",
        path=request.path,
        **context,
    )


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    return web.Response(
        text=render_text(request, template, **context), status=status, content_type="text/html"
    )


def redirect(location: str) -> web.Response:
    """A 303 that is returned, not raised: raised ones lose the cookies set on them."""
    return web.Response(status=303, headers={"Location": location})


async def form(request: web.Request) -> MultiDictProxy[str]:
    """The posted form, text fields only; over MAX_FORM is a 413."""
    if request.content_length is not None and request.content_length > MAX_FORM:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_FORM, actual_size=request.content_length)
    data = await request.post()
    return MultiDictProxy(MultiDict((k, v) for k, v in data.items() if isinstance(v, str)))


async def in_thread(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """The store is synchronous: every call leaves the event loop."""
    return await asyncio.to_thread(function, *args, **kwargs)


async def audit(request: web.Request, action: str, target: str, **details: Any) -> None:
    """Every change and every view of personal data, with the user as the actor."""
    found = session_of(request)
    actor = f"studio:{found.user.email}" if found else "studio:anonymous"
    store = request.app[STORE]
    await in_thread(store.privacy.record_audit, actor, action, target, _plain(details))


def _plain(details: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, str | int | float | bool) or v is None else str(v)
        for k, v in details.items()
    }
