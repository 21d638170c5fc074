"""Alembic environment for the profile store.

Normally driven by `bot.store.migrate`, which passes a live connection in
`config.attributes["connection"]`. From the alembic CLI, pass the database with
`-x url=sqlite:///var/parley.db`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bot.store.engine import make_engine
from bot.store.schema import metadata

config = context.config


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    engine = make_engine(_cli_url())
    try:
        with engine.begin() as conn:
            run_on(conn)
    finally:
        engine.dispose()


def run_offline() -> None:
    context.configure(url=_cli_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _cli_url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    url = url or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("pass the database URL: alembic -x url=<database url> ...")
    return url


if context.is_offline_mode():
    run_offline()
else:
    run_online()
