"""The studio's aiohttp application: middlewares, pages of every area, static files."""

from __future__ import annotations

import importlib
from pathlib import Path

from aiohttp import web

from bot.settings import Settings
from bot.store import ProfileStore
from studio import accounts, security
from studio.web import SETTINGS, STORE, TEMPLATES, render, requires, templates

STATIC = Path(__file__).parent / "static"
# Each area is a module with `routes` (a RouteTableDef) and, optionally, `setup(app)`.
AREAS: tuple[str, ...] = (
    "studio.accounts",
    "studio.dashboard",
    "studio.contacts",
    "studio.policy_editors",
    "studio.campaign_editor",
    "studio.publish_pages",
    "studio.try_panel",
    "studio.conversation_editor",  # after try_panel: it runs the tests on its draft bot
    "studio.content",
    "studio.qualifying_editor",
    "studio.knowledge_editor",
    "studio.fields_editor",
    "studio.topics",
    "studio.routing_editor",
    "studio.flow",
    "studio.inbox",
    "studio.inbox_live",
)


def create_app(settings: Settings, store: ProfileStore) -> web.Application:
    app = web.Application(
        middlewares=[security.headers, security.sessions, security.csrf],
        client_max_size=1024 * 1024,
    )
    app[SETTINGS], app[STORE], app[TEMPLATES] = settings, store, templates()
    app.router.add_get("/health", health)
    app.router.add_get("/", home)
    app.router.add_static("/static/", STATIC)
    for name in AREAS:
        area = importlib.import_module(name)
        app.router.add_routes(area.routes)
        if hasattr(area, "setup"):
            area.setup(app)
    return app


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@requires("dashboard")
async def home(request: web.Request) -> web.Response:
    return render(request, "home.html")


__all__ = ["accounts", "create_app"]
