"""The publish page, its progress, the versions with their diffs, and rollback."""

from __future__ import annotations

import asyncio
import difflib
from collections.abc import Mapping
from pathlib import Path

from aiohttp import web

from studio.publishing import PublishBusy, Publisher, ensure_baseline
from studio.web import (
    SETTINGS,
    STORE,
    audit,
    form,
    in_thread,
    redirect,
    render,
    requires,
    user_of,
)
from studio.workspace import Workspace

routes = web.RouteTableDef()
PUBLISHER = web.AppKey("publisher", Publisher)


def validate_build(root: Path) -> list[str]:
    from studio.validation import validate_draft  # Rasa's validator loads only when used

    return [f"{p.file} {p.field}: {p.message}".replace("  ", " ") for p in validate_draft(root)]


def setup(app: web.Application) -> None:
    app[PUBLISHER] = Publisher(app[SETTINGS], app[STORE], validate_build)

    # aiohttp 3.9 types Signal.append as taking a callback of callbacks.
    app.on_cleanup.append(_finish_publish)  # type: ignore[arg-type]


async def _finish_publish(app: web.Application) -> None:
    """A publish half way through its swap must not be cut off by a shutdown."""
    await asyncio.to_thread(app[PUBLISHER].wait, 900)


def unified(old: Mapping[str, str], new: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """Per changed file, its unified diff lines (old → new)."""
    changed = []
    for path in sorted(set(old) | set(new)):
        before, after = old.get(path, ""), new.get(path, "")
        if before != after:
            lines = difflib.unified_diff(
                before.splitlines(), after.splitlines(), f"a/{path}", f"b/{path}", lineterm="", n=2
            )
            changed.append((path, list(lines)))
    return changed


@routes.get("/publish")
@requires("content.publish")
async def publish_page(request: web.Request) -> web.Response:
    settings, store = request.app[SETTINGS], request.app[STORE]
    workspace = Workspace.for_settings(settings)
    draft, live = await in_thread(workspace.files), await in_thread(workspace.live_files)
    versions = await in_thread(store.studio.versions, 50)
    job = request.app[PUBLISHER].current
    return render(
        request,
        "publish/publish.html",
        changes=unified(live, draft),
        versions=versions,
        job=job.as_json() if job else None,
        notice=request.query.get("notice", ""),
    )


@routes.post("/publish")
@requires("content.publish")
async def publish(request: web.Request) -> web.StreamResponse:
    settings, store = request.app[SETTINGS], request.app[STORE]
    data = await form(request)
    note = data.get("note", "").strip()[:500]
    workspace = Workspace.for_settings(settings)
    draft = await in_thread(workspace.files)
    if draft == await in_thread(workspace.live_files):
        return redirect(
            "/publish?notice=The draft is the same as what is live: nothing to publish."
        )
    await in_thread(ensure_baseline, settings, store)
    user = user_of(request)
    try:
        job = request.app[PUBLISHER].start(draft, f"studio:{user.email}", note or "(no note)")
    except PublishBusy as error:
        return redirect(f"/publish?notice={error}")
    await audit(request, "studio.publish_started", str(job.number), note=note)
    return redirect("/publish")


@routes.get("/api/publish/status")
@requires("content.publish")
async def publish_status(request: web.Request) -> web.Response:
    job = request.app[PUBLISHER].current
    return web.json_response(job.as_json() if job else {"state": "idle"})


@routes.get("/versions/{number:\\d+}")
@requires("content.publish")
async def version_page(request: web.Request) -> web.Response:
    store = request.app[STORE]
    number = int(request.match_info["number"])
    version = await in_thread(store.studio.version, number)
    if version is None:
        raise web.HTTPNotFound()
    before = await in_thread(store.studio.version, number - 1) if number > 1 else None
    changes = unified(before.files if before else {}, version.files) if before else []
    return render(request, "publish/version.html", version=version, before=before, changes=changes)


@routes.post("/versions/{number:\\d+}/rollback")
@requires("content.publish")
async def rollback(request: web.Request) -> web.StreamResponse:
    store = request.app[STORE]
    number = int(request.match_info["number"])
    version = await in_thread(store.studio.version, number)
    if version is None:
        raise web.HTTPNotFound()
    user = user_of(request)
    try:
        job = request.app[PUBLISHER].start(
            version.files,
            f"studio:{user.email}",
            f"Rollback to version {number}",
            rolled_back_from=number,
        )
    except PublishBusy as error:
        return redirect(f"/publish?notice={error}")
    await audit(request, "studio.rollback_started", str(number), job=job.number)
    return redirect("/publish")
