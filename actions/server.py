"""`python -m actions.server`: rasa-sdk's action server with readiness and metrics.

Takes the arguments of `python -m rasa_sdk` (`--actions actions --port 5055`), and
`--logging-config-file logging.yml`. Beside rasa-sdk's /health, /webhook and /actions it
serves /ready (503 while the profile store cannot be reached) and /metrics (actions run
and failed, by action name).

rasa-sdk imports every module under `actions/` to find actions, this one included:
nothing here runs at import time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import logging.config
import os
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from rasa_sdk import utils
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse

from actions.deps import default_settings, default_store
from bot.errors import StoreUnavailable
from bot.logs import configure_logging
from bot.metrics import ACTION_ERRORS, ACTIONS, exposition
from bot.store import ProfileStore

logger = logging.getLogger("parley.actions")

READY_TIMEOUT_S = 5.0


def store_problem(store: ProfileStore) -> str | None:
    """None when the profile store answers; otherwise why not."""
    try:
        store.check_available()
    except StoreUnavailable as error:
        return f"profile store unavailable: {error}"
    return None


def add_readiness(app: Sanic, store: Callable[[], ProfileStore]) -> None:
    @app.get("/ready")
    async def ready(_: Request) -> HTTPResponse:
        try:
            problem = await asyncio.wait_for(
                asyncio.to_thread(store_problem, store()), READY_TIMEOUT_S
            )
        except asyncio.TimeoutError:
            problem = f"profile store did not answer within {READY_TIMEOUT_S:g} s"
        if problem is not None:
            return response.json({"status": "unavailable", "reason": problem}, status=503)
        return response.json({"status": "ok"})


def action_name(request: Request) -> str:
    """The action a /webhook call asked for, `unknown` when the body does not say."""
    try:
        body = request.body
        if request.headers.get("Content-Encoding") == "deflate":
            body = zlib.decompress(body)
        call = json.loads(body)
    except (ValueError, zlib.error):  # not JSON, or not deflate: rasa-sdk answered 400
        return "unknown"
    name = call.get("next_action") if isinstance(call, dict) else None
    return name if isinstance(name, str) and name else "unknown"


def add_metrics(app: Sanic) -> None:
    @app.get("/metrics")
    async def metrics(_: Request) -> HTTPResponse:
        body, content_type = exposition()
        return response.raw(body, content_type=content_type)

    async def count_actions(request: Request, answer: BaseHTTPResponse) -> None:
        if request.path != "/webhook" or request.method != "POST":
            return
        # rasa-sdk answers 404 for names it does not know: they must not become labels.
        name = "unknown" if answer.status == 404 else action_name(request)
        ACTIONS.labels(name).inc()
        if not 200 <= answer.status < 300:
            ACTION_ERRORS.labels(name).inc()

    app.register_middleware(count_actions, "response")


def build_app(
    actions: str = "actions",
    cors: str | list[str] | None = "*",
    auto_reload: bool = False,
    store: Callable[[], ProfileStore] = default_store,
) -> Sanic:
    """rasa-sdk's app with /ready and /metrics; `store` is called on each /ready."""
    app = create_app(actions, cors_origins=cors, auto_reload=auto_reload)
    add_readiness(app, store)
    add_metrics(app)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    return app


def argument_parser() -> argparse.ArgumentParser:
    parser = create_argument_parser()
    parser.prog = "python -m actions.server"
    # rasa-sdk spells it --logging-config_file; Rasa spells it with hyphens. Accept both.
    parser.add_argument("--logging-config-file", dest="logging_config_file", default=None)
    return parser


def configure(config_file: str | None) -> None:
    configure_logging(default_settings().ops, "actions.server")
    if config_file is not None:
        # Unlike rasa-sdk, fail loudly on a config that does not apply.
        logging.config.dictConfig(yaml.safe_load(Path(config_file).read_text("utf-8")))
    utils.update_sanic_log_level()


def main(argv: Sequence[str] | None = None) -> None:
    args = argument_parser().parse_args(argv)
    configure(args.logging_config_file)
    app = build_app(args.actions or "actions", args.cors, args.auto_reload)
    ssl = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    host = os.environ.get("SANIC_HOST") or default_settings().bind_host
    logger.info("action server listening on %s:%d", host, args.port)
    app.run(host, args.port, ssl=ssl, workers=utils.number_of_sanic_workers(),
            auto_reload=False, motd=False)  # fmt: skip


if __name__ == "__main__":
    main()
