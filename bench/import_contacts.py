"""Import throughput: a generated CSV of contacts into a fresh profile store.

    .venv/bin/python bench/import_contacts.py [--rows 100000] [--postgres URL]

With --postgres the import goes into a throwaway schema of that database, dropped after.

Every row is a new person with a name, email, phone, company and an email consent with
evidence; one row in fifty repeats an earlier person. Prints rows per second and writes
them to bench/results/import_contacts.json with the machine, the date and the commit.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_file import write_results  # noqa: E402
from bot.importing import ImportOptions, import_contacts  # noqa: E402
from bot.store import ProfileStore, make_engine, upgrade  # noqa: E402

HEADER = ["Full name", "E-mail", "Phone", "Company", "purpose", "consent_source",
          "consent_time", "consent_wording"]  # fmt: skip


def write_file(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for index in range(rows):
            person = index - 7 if index % 50 == 49 else index
            writer.writerow([
                f"  person {_word(person)} ", f"Person.{person}@Example{person % 97}.com ",
                f"(212) 5{person // 10000 % 100:02d}-{person % 10000:04d}", f"Firm {person % 997}",
                "email", "webinar signup", "2024-03-01T10:00:00Z", "Email me product news.",
            ])  # fmt: skip


def _word(number: int) -> str:
    return "".join(chr(ord("a") + int(digit)) for digit in str(number))


def run(engine: Engine, path: Path, rows: int) -> float:
    """The import's rows per second."""
    upgrade(engine)
    store = ProfileStore(engine)
    options = ImportOptions(region="US", salt="bench-salt", progress=False)
    started = time.perf_counter()
    report = import_contacts(store, path, options)
    took = time.perf_counter() - started
    print(
        f"{engine.dialect.name}: {rows} rows in {took:.1f} s = {rows / took:,.0f} rows/s "
        f"(new {report.new}, duplicates {report.duplicates}, bad {len(report.bad_rows)}, "
        f"consent {report.consent_recorded}; {os.cpu_count()} cores)"
    )
    assert store.contacts.count() == report.new
    store.dispose()
    return rows / took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default=None, help="a database URL to import into too")
    args = parser.parse_args()
    load = os.getloadavg()[0]  # others' work on the machine shows in the figures
    rates: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "contacts.csv"
        write_file(path, args.rows)
        rates["sqlite"] = round(run(make_engine(f"sqlite:///{tmp}/parley.db"), path, args.rows))
        if args.postgres:
            with throwaway_schema(args.postgres) as engine:
                rates["postgresql"] = round(run(engine, path, args.rows))
    write_results(
        "import_contacts",
        {"load_average_1m_at_start": round(load, 2), "rows": args.rows, "rows_per_second": rates},
    )


@contextmanager
def throwaway_schema(url: str) -> Iterator[Engine]:
    schema = f"bench_{uuid.uuid4().hex}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
