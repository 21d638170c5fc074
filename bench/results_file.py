"""Where a benchmark leaves its latest figures: bench/results/<name>.json, committed, with
the machine, the date and the commit measured, so regressions can be compared by tools."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=RESULTS_DIR.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=RESULTS_DIR.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    commit = done.stdout.strip() or "unknown"
    return f"{commit}+uncommitted changes" if dirty.stdout.strip() else commit


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }


def write_results(name: str, figures: dict[str, Any]) -> Path:
    """Write `figures` with the run's context to bench/results/<name>.json; say where."""
    path = RESULTS_DIR / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "benchmark": name,
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": machine(),
        **figures,
    }
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(RESULTS_DIR.parent.parent)}")
    return path
