"""`parley publish status [--follow]`: how the studio's latest publish is going (its
step, and while a model is trained the component, epoch, an estimate and the time),
read from the status the studio writes into the data directory."""

from __future__ import annotations

import argparse
import time
from typing import Any

from bot.settings import Settings
from studio.publishing import read_status
from studio.training_progress import duration

FOLLOW_EVERY = 2.0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    publish = commands.add_parser("publish", help="the studio's publishing: status")
    actions = publish.add_subparsers(dest="publish_command", required=True, metavar="ACTION")
    status = actions.add_parser("status", help="how the latest publish is going")
    status.add_argument(
        "--follow", action="store_true", help="print again every few seconds until it ends"
    )


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    job = read_status(settings)
    if job is None:
        print("nothing published from the studio yet")
        return 0
    shown = ""
    while True:
        line = describe(job)
        if line != shown:
            print(line, flush=True)
            shown = line
        if not args.follow or job.get("state") != "running":
            break
        time.sleep(FOLLOW_EVERY)
        job = read_status(settings) or job
    if not args.follow:
        for step in job.get("steps") or []:
            print(f"  {step_line(step)}")
    if job.get("state") == "failed":
        print(f"failed: {job.get('error')}")
        return 1
    return 0


def describe(job: dict[str, Any]) -> str:
    head = (
        f"{job.get('kind', 'publish')} {job.get('job')} by {job.get('author')}: {job.get('state')}"
    )
    elapsed = duration(float(job.get("elapsed") or 0))
    running = next((s for s in job.get("steps") or [] if s.get("state") == "running"), None)
    percent = round(float(job.get("progress") or 0) * 100)
    if job.get("state") == "running" and running is not None:
        detail = f" · {running['detail']}" if running.get("detail") else ""
        return f"{head} · {percent}% · {elapsed} · {running['label']}{detail}"
    version = f" · version {job['version']}" if job.get("version") else ""
    return f"{head}{version} · took {elapsed}"


def step_line(step: dict[str, Any]) -> str:
    seconds = f" ({step['seconds']} s)" if step.get("seconds") is not None else ""
    detail = f": {step['detail']}" if step.get("detail") else ""
    return f"{step['label']}: {step['state']}{seconds}{detail}"
