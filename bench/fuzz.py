"""Fuzzing every HTTP route, at benchmark size (run by hand: `.venv/bin/python bench/fuzz.py`).

Runs the CI fuzz suite (tests/fuzz) against one real Parley stack on loopback with
PARLEY_FUZZ_EXAMPLES raised so that at least --min-cases requests are sent (10,000 by
default), then prints what the tests themselves counted, per route: cases, answers by
status class, the slowest answer. "none" counts broken-HTTP cases the server closed
without an answer. Fails (exit 1) when a test failed or fewer cases than --min-cases ran.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Requests per unit of PARLEY_FUZZ_EXAMPLES summed over tests/fuzz (about 47): 240 gives
# some 11,000 cases, a margin over 10,000 for cases hypothesis filters out.
DEFAULT_EXAMPLES = 240


def run_suite(examples: int, report: Path, timeout_s: float) -> int:
    env = {**os.environ, "PARLEY_FUZZ_EXAMPLES": str(examples), "PARLEY_FUZZ_REPORT": str(report)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/fuzz"]
    return subprocess.run(command, cwd=ROOT, env=env, timeout=timeout_s, check=False).returncode


def table(report: dict[str, Any]) -> str:
    header = (
        f"{'route':<34} {'cases':>7} {'2xx':>7} {'4xx':>7} {'5xx':>5} {'none':>6} {'max ms':>8}"
    )
    lines = [header, "-" * len(header)]
    totals = {"cases": 0, "2xx": 0, "4xx": 0, "5xx": 0, "none": 0}
    for route, stats in sorted(report.items()):
        statuses = stats["statuses"]
        counts = {k: int(statuses.get(k, 0)) for k in ("2xx", "4xx", "5xx", "none")}
        counts["cases"] = int(stats["cases"])
        for key, value in counts.items():
            totals[key] += value
        lines.append(
            f"{route:<34} {counts['cases']:>7} {counts['2xx']:>7} {counts['4xx']:>7} "
            f"{counts['5xx']:>5} {counts['none']:>6} {stats['max_latency_s'] * 1000:>8.0f}"
        )
    lines.append("-" * len(header))
    lines.append(
        f"{'total':<34} {totals['cases']:>7} {totals['2xx']:>7} {totals['4xx']:>7} "
        f"{totals['5xx']:>5} {totals['none']:>6}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/fuzz.py", description=__doc__)
    parser.add_argument(
        "--examples",
        type=int,
        default=DEFAULT_EXAMPLES,
        help="PARLEY_FUZZ_EXAMPLES for the run (default %(default)s)",
    )
    parser.add_argument("--min-cases", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=20 * 60, help="seconds, whole run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="parley-fuzz-") as tmp:
        report_path = Path(tmp) / "report.json"
        started = time.monotonic()
        code = run_suite(args.examples, report_path, args.timeout)
        elapsed = time.monotonic() - started
        report = json.loads(report_path.read_text()) if report_path.is_file() else {}
    print(f"\nPARLEY_FUZZ_EXAMPLES={args.examples}, {elapsed:.0f} s wall (stack start included)\n")
    print(table(report))
    total = sum(int(s["cases"]) for s in report.values())
    if code != 0:
        print(f"\nfuzz suite failed (pytest exit {code})")
        return 1
    if total < args.min_cases:
        print(f"\nonly {total} cases ran, fewer than {args.min_cases}: raise --examples")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
