"""`python -m actions.server`: rasa-sdk's action server with readiness and metrics.

Takes the arguments of `python -m rasa_sdk` (`--actions actions --port 5055`),
`--logging-config-file logging.yml` and `--host` (default PARLEY_ACTIONS_HOST, loopback:
never the channels' PARLEY_BIND_HOST). Beside rasa-sdk's /health, /webhook and /actions it
serves /ready (503 while the profile store cannot be reached) and /metrics (actions run
and failed, by action name).

Every request but /health, /ready and /metrics must carry `Authorization: Bearer
<PARLEY_ACTIONS_SECRET>`, which Rasa sends from endpoints.yml: anyone else who can reach
the port gets 401 and nothing runs (an action call names any conversation it likes).

rasa-sdk imports every module under `actions/` to find actions, this one included:
nothing here runs at import time.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import logging
import logging.config
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from rasa_sdk import utils
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse

from actions.deps import default_settings, default_store
from actions.profiling import add_profiling
from actions.sent_domain import add_domain_guard
from bot.errors import StoreUnavailable
from bot.logs import configure_logging
from bot.metrics import ACTION_ERRORS, ACTIONS, exposition
from bot.store import ProfileStore

logger = logging.getLogger("parley.actions")

READY_TIMEOUT_S = 5.0
# Probes and scrapes: they run no action and read no profile.
OPEN_PATHS = frozenset({"/health", "/ready", "/metrics"})
UNAUTHORIZED = {
    "error": "unauthorized",
    "detail": "send the action server's secret (PARLEY_ACTIONS_SECRET) as "
    "'Authorization: Bearer <secret>'; Rasa does so from endpoints.yml",
}


def store_problem(store: ProfileStore) -> str | None:
    """None when the profile store answers; otherwise which dependency is down.

    The driver's message (host names, user names, SQL) goes to the log, not to whoever
    asks /ready.
    """
    try:
        store.check_available()
    except StoreUnavailable as error:
        logger.warning("not ready: profile store unavailable: %s", error)
        return "profile store unavailable"
    return None


def bearer_matches(request: Request, secret: str) -> bool:
    """The request carries `Authorization: Bearer <secret>`, compared in constant time."""
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return False
    return hmac.compare_digest(sent.strip().encode(), secret.encode())


def add_authentication(app: Sanic, secret: str) -> None:
    """Nothing but the open probes runs, or is even listed, without Rasa's secret."""

    async def authenticate(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or bearer_matches(request, secret):
            return None
        logger.warning("refused an unauthenticated %s %s", request.method, request.path)
        return response.json(UNAUTHORIZED, status=401, headers={"WWW-Authenticate": "Bearer"})

    app.register_middleware(authenticate, "request")


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


def action_call(request: Request) -> object:
    """A /webhook call's body, parsed; None when it is not JSON (rasa-sdk answered 400)."""
    try:
        if request.headers.get("Content-Encoding") == "deflate":
            return json.loads(zlib.decompress(request.body))
        # rasa-sdk parsed it with `request.json`, which Sanic keeps: a body carries the
        # tracker (30-130 KB), and the domain for a few actions: not worth parsing twice.
        return request.json
    except (ValueError, zlib.error, InvalidUsage):
        return None


def action_name(request: Request) -> str:
    """The action a /webhook call asked for, `unknown` when the body does not say."""
    call = action_call(request)
    name = call.get("next_action") if isinstance(call, dict) else None
    return name if isinstance(name, str) and name else "unknown"


def add_metrics(app: Sanic) -> None:
    @app.get("/metrics")
    async def metrics(_: Request) -> HTTPResponse:
        body, content_type = exposition()
        return response.raw(body, content_type=content_type)

    async def count_actions(request: Request, answer: BaseHTTPResponse) -> None:
        if request.path != "/webhook" or request.method != "POST" or answer.status == 401:
            return  # a refused call ran nothing, and its body names whatever it likes
        # rasa-sdk answers 404 for names it does not know: they must not become labels.
        name = "unknown" if answer.status == 404 else action_name(request)
        ACTIONS.labels(name).inc()
        if not 200 <= answer.status < 300:
            ACTION_ERRORS.labels(name).inc()

    app.register_middleware(count_actions, "response")


def build_app(
    secret: str,
    actions: str = "actions",
    cors: str | list[str] | None = None,
    auto_reload: bool = False,
    store: Callable[[], ProfileStore] = default_store,
) -> Sanic:
    """rasa-sdk's app behind `secret`, with /ready and /metrics; `store` is called on
    each /ready."""
    if not secret:
        raise ValueError("the action server needs a secret (PARLEY_ACTIONS_SECRET)")
    app = create_app(actions, cors_origins=cors, auto_reload=auto_reload)
    add_authentication(app, secret)
    add_domain_guard(app)
    add_readiness(app, store)
    add_metrics(app)
    if add_profiling(app):
        logger.warning("turn profiling is on (PARLEY_TURN_PROFILE_DIR): for benchmarks only")
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    return app


def argument_parser() -> argparse.ArgumentParser:
    parser = create_argument_parser()
    parser.prog = "python -m actions.server"
    # rasa-sdk spells it --logging-config_file; Rasa spells it with hyphens. Accept both.
    parser.add_argument("--logging-config-file", dest="logging_config_file", default=None)
    # rasa-sdk 3.6 reads SANIC_HOST and defaults to 0.0.0.0; Parley says where, explicitly.
    parser.add_argument("--host", default=None, help="interface (default PARLEY_ACTIONS_HOST)")
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
    settings = default_settings()
    app = build_app(
        settings.actions_secret.value, args.actions or "actions", args.cors, args.auto_reload
    )
    ssl = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    host = args.host or settings.actions_host
    logger.info("action server listening on %s:%d", host, args.port)
    app.run(
        host,
        args.port,
        ssl=ssl,
        workers=utils.number_of_sanic_workers(),
        auto_reload=False,
        motd=False,
    )


if __name__ == "__main__":
    main()
