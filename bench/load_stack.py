"""A Parley stack for `bench/load.py`, and the CPU its processes use.

Every configuration runs on a fresh PostgreSQL database and a flushed Redis database, the
single stack included, so that one replica and N replicas differ only in the replicas.
CPU time is read from /proc per process group (the supervisor starts each child in its
own session), so a run can say which process used the cores.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import rasa_model  # noqa: E402
from bot.runner import Supervisor, free_port  # noqa: E402
from bot.settings import MACHINE_SECRETS, Settings, load_settings  # noqa: E402
from bot.store import migrate  # noqa: E402
from cli.commands.serve import start_stack  # noqa: E402

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/9"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class RunningStack:
    settings: Settings
    supervisor: Supervisor
    replica_urls: tuple[str, ...]  # each Rasa server, for its /metrics

    @property
    def webhook(self) -> str:
        return f"{self.settings.rasa_url}/webhooks/rest/webhook"


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    admin = psycopg2.connect(f"{POSTGRES}/postgres", connect_timeout=3)
    admin.autocommit = True
    name = f"parley_load_{uuid.uuid4().hex[:10]}"
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        yield f"{POSTGRES}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def stack_settings(data_dir: Path, database: str) -> Settings:
    campaigns = data_dir / "no-campaigns"  # an idle worker: no follow-ups to send
    campaigns.mkdir(parents=True)
    environ = {
        "PARLEY_DATA_DIR": str(data_dir),
        "PARLEY_RASA_PORT": str(free_port()),
        "PARLEY_ACTIONS_PORT": str(free_port()),
        "PARLEY_WORKER_PORT": str(free_port()),
        "PARLEY_API_PORT": str(free_port()),
        "PARLEY_CAMPAIGNS_DIR": str(campaigns),
        "DATABASE_URL": database,
        "PARLEY_TRACKER_STORE_URL": database,
        "PARLEY_REDIS_URL": REDIS_URL,
        # Several machines share one PostgreSQL database: Parley generates no secrets then.
        **{key: f"bench-{key.lower()}-0123456789abcdef" for key in MACHINE_SECRETS},
    }
    return load_settings(environ=environ, dotenv=data_dir / "no.env")


@contextlib.contextmanager
def running_stack(replicas: int, log_dir: Path | None = None) -> Iterator[RunningStack]:
    """Start `replicas` of everything; stop them and drop the database however we leave.

    Logs go to `log_dir` if given (kept), else into a temporary directory (removed)."""
    model_path = rasa_model.train(ROOT)  # no training when the fingerprint matches
    with tempfile.TemporaryDirectory(prefix="parley-load-") as tmp, fresh_database() as db:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
        settings = stack_settings(Path(tmp), db)
        migrate.upgrade(settings.database_url)
        supervisor = Supervisor(
            log_dir or Path(tmp) / "logs", ROOT, say=lambda line: print(line, file=sys.stderr)
        )
        try:
            layout = start_stack(supervisor, settings, model_path, replicas)
            urls = (
                tuple(f"http://127.0.0.1:{port}" for port in layout.rasa_ports)
                if layout is not None
                else (settings.rasa_url,)
            )
            yield RunningStack(settings, supervisor, urls)
        finally:
            supervisor.stop()


@dataclass(frozen=True)
class CpuSample:
    busy: float  # seconds of CPU the whole machine spent, all cores
    by_part: dict[str, float]  # seconds of CPU per part of the run


def sample_cpu(supervisor: Supervisor) -> CpuSample:
    groups = {child.process.pid: name for name, child in supervisor.children.items()}
    by_part: dict[str, float] = {}
    for pid in (entry for entry in os.listdir("/proc") if entry.isdigit()):
        stat = _read_stat(pid)
        if stat is None:
            continue
        part = _part(int(pid), stat, groups)
        if part is not None:
            by_part[part] = by_part.get(part, 0.0) + stat[2]
    return CpuSample(_machine_busy(), by_part)


def _read_stat(pid: str) -> tuple[str, int, float] | None:
    """(command, process group, CPU seconds) of one process, or None if it has gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    comm = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return comm, int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _part(pid: int, stat: tuple[str, int, float], groups: dict[int, str]) -> str | None:
    comm, group, _ = stat
    if group in groups:
        return groups[group]
    if pid == os.getpid():
        return "load generator (this script)"
    if comm == "postgres":
        return "postgres (whole server)"
    if comm.startswith("redis-server"):
        return "redis (whole server)"
    return None


def _machine_busy() -> float:
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def cores_used(before: CpuSample, after: CpuSample, seconds: float) -> dict[str, float]:
    """Average cores each part kept busy between two samples, and what the rest of the
    machine (other users included) used."""
    used = {
        part: (after.by_part[part] - before.by_part.get(part, 0.0)) / seconds
        for part in after.by_part
    }
    used["everything else on the machine"] = (after.busy - before.busy) / seconds - sum(
        used.values()
    )
    used["machine total"] = (after.busy - before.busy) / seconds
    return dict(sorted(used.items(), key=lambda item: -item[1]))
