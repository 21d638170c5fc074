"""`python -m studio`: the marketers' studio on PARLEY_STUDIO_PORT (started by `parley run`)."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.errors import StoreUnavailable
from bot.logs import configure_logging
from bot.settings import load_settings
from bot.store import ProfileStore
from studio.accounts import ensure_setup_token
from studio.app import create_app


def main() -> None:
    settings = load_settings()
    configure_logging(settings.ops, "studio")
    store = ProfileStore.from_url(settings.database_url)
    try:
        first_run = not store.studio.users()
    except StoreUnavailable as error:
        # The studio serves its pages (and says the store is down) until it is back.
        logging.getLogger("studio").error("profile store unavailable at start: %s", error)
        first_run = False
    if first_run:
        ensure_setup_token(settings)
    app = create_app(settings, store)
    web.run_app(
        app, host=settings.bind_host, port=settings.studio.port, print=None, access_log=None
    )


if __name__ == "__main__":
    main()
