"""`python -m bot.api`: the API server (`parley run` starts it)."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.api.app import build_app
from bot.settings import load_settings
from bot.store import ProfileStore


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = load_settings()
    store = ProfileStore.from_url(settings.database_url)
    app = build_app(
        store, settings.default_region, rate=settings.api.rate, burst=settings.api.burst
    )
    web.run_app(app, host=settings.bind_host, port=settings.api.port, print=None,
                access_log=None)  # fmt: skip


if __name__ == "__main__":
    main()
