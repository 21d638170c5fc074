"""Many rows into one table in one driver call: what `conn.execute(insert(table), rows)`
does, each value through its column type's own bind processor, without SQLAlchemy's
per-row parameter bookkeeping (which cost imports more than the database did). Rows can
be encoded ahead of the transaction that inserts them.

PostgreSQL takes the rows with COPY: one round trip, and no statement to parse.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError

# COPY's text format: these would end a field or a row, or start an escape.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NOTHING = object()


@dataclass(frozen=True)
class Encoded:
    """Rows of one table made ready for one dialect's driver, before any transaction:
    a parameter tuple a row for SQLite, a line of COPY text a row for PostgreSQL."""

    dialect: str
    table: Table
    names: tuple[str, ...]
    rows: list[Any]

    def only(self, positions: Iterable[int]) -> Encoded:
        return replace(self, rows=[self.rows[position] for position in positions])


def encode(dialect: Dialect, table: Table, rows: Sequence[Mapping[str, Any]]) -> Encoded:
    """`rows`, which must all have the same keys, as `insert` will hand them over."""
    names = tuple(rows[0]) if rows else ()
    columns: list[list[Any]] = []
    for name in names:
        values = [row[name] for row in rows]
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        columns.append(values if process is None else _each(process, values))
    if dialect.name == "postgresql":
        fields = [_each(_copy_field, column) for column in columns]
        encoded: list[Any] = [f"{line}\n" for line in map("\t".join, zip(*fields, strict=True))]
    else:  # SQLite, the only other backend
        encoded = list(zip(*columns, strict=True))
    return Encoded(dialect.name, table, names, encoded)


def insert(conn: Connection, encoded: Encoded) -> None:
    if not encoded.rows:
        return
    dialect = conn.dialect
    if dialect.name != encoded.dialect:
        raise ValueError(f"rows encoded for {encoded.dialect}, not {dialect.name}")
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(map(quote, encoded.names))
    target = f"{dialect.identifier_preparer.format_table(encoded.table)} ({columns})"
    if dialect.name == "postgresql":
        _copy(conn, f"COPY {target} FROM STDIN", "".join(encoded.rows))
    else:  # SQLite's driver takes "?" placeholders
        marks = ", ".join("?" for _ in encoded.names)
        conn.exec_driver_sql(f"INSERT INTO {target} VALUES ({marks})", encoded.rows)


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows`, which must all have the same keys, into `table`."""
    insert(conn, encode(conn.dialect, table, rows))


def _each(process: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """`process` applied to each value; a run of one object (a batch's one `now`) is
    processed once, since processors are pure."""
    done: list[Any] = []
    last, result = _NOTHING, None
    for value in values:
        if value is not last:
            last, result = value, process(value)
        done.append(result)
    return done


def _copy(conn: Connection, statement: str, text: str) -> None:
    cursor = conn.connection.cursor()
    try:
        cursor.copy_expert(statement, io.StringIO(text))
    except conn.dialect.dbapi.Error as error:
        # As SQLAlchemy's own statements fail, so callers tell a lost race from an outage.
        raise DBAPIError.instance(statement, None, error, conn.dialect.dbapi.Error) from error
    finally:
        cursor.close()


def _copy_field(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)
