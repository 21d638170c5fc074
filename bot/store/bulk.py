"""Many rows into one table in one driver call: what `conn.execute(insert(table), rows)`
does, each value through its column type's own bind processor, without SQLAlchemy's
per-row parameter bookkeeping (which cost imports more than the database did).

PostgreSQL takes the rows with COPY: one round trip, and no statement to parse.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

# COPY's text format: these would end a field or a row, or start an escape.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NOTHING = object()


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows`, which must all have the same keys, into `table`."""
    if not rows:
        return
    names = list(rows[0])
    dialect = conn.dialect
    columns: list[list[Any]] = []
    for name in names:
        values = [row[name] for row in rows]
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        columns.append(values if process is None else _each(process, values))
    quote = dialect.identifier_preparer.quote
    target = f"{dialect.identifier_preparer.format_table(table)} ({', '.join(map(quote, names))})"
    if dialect.name == "postgresql":
        _copy(conn, target, columns)
    else:  # SQLite, the only other backend; its driver's placeholder is "?"
        marks = ", ".join("?" for _ in names)
        conn.exec_driver_sql(
            f"INSERT INTO {target} VALUES ({marks})", list(zip(*columns, strict=True))
        )


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


def _copy(conn: Connection, target: str, columns: list[list[Any]]) -> None:
    fields = [_each(_copy_field, column) for column in columns]
    text = "".join(f"{line}\n" for line in map("\t".join, zip(*fields, strict=True)))
    statement = f"COPY {target} FROM STDIN"
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
