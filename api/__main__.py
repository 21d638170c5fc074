"""`python -m api`: the API server (`parley run` starts it)."""

from __future__ import annotations

from aiohttp import web

from api.app import build_app
from bot.custom_fields import LeadFieldsFile
from bot.logs import configure_logging
from bot.settings import load_settings
from bot.store import ProfileStore


def main() -> None:
    settings = load_settings()
    configure_logging(settings.ops, "api")
    store = ProfileStore.from_url(settings.database_url)
    app = build_app(
        store,
        settings.default_region,
        rate=settings.api.rate,
        burst=settings.api.burst,
        metrics_token=settings.api.metrics_token,
        lead_fields=LeadFieldsFile(settings.lead_fields_file),
    )
    web.run_app(app, host=settings.bind_host, port=settings.api.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
