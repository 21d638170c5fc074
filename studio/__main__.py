"""`python -m studio`: the marketers' studio on PARLEY_STUDIO_PORT (started by `parley run`)."""

from __future__ import annotations

import secrets

from aiohttp import web

from bot.logs import configure_logging
from bot.settings import load_settings
from bot.store import ProfileStore
from studio.accounts import setup_token_file
from studio.app import create_app


def main() -> None:
    settings = load_settings()
    configure_logging(settings.ops, "studio")
    store = ProfileStore.from_url(settings.database_url)
    if not store.studio_users():
        token_file = setup_token_file(settings)
        if not token_file.is_file():
            token_file.parent.mkdir(parents=True, exist_ok=True)
            token_file.write_text(secrets.token_urlsafe(16) + "\n")
            token_file.chmod(0o600)
    app = create_app(settings, store)
    web.run_app(app, host=settings.bind_host, port=settings.studio.port, print=None,
                access_log=None)  # fmt: skip


if __name__ == "__main__":
    main()
