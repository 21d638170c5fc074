"""`./parley run` from the command to "Parley is ready", and what the running stack holds in
memory (by hand: `.venv/bin/python bench/stack_start.py [--rounds N]`).

Each round runs the real command (`python -m cli run --no-train`: migrate, housekeeping,
the five processes) on SQLite in a scratch data directory with free loopback ports, the
model already trained. Once the banner is printed it sums the resident memory (VmRSS) of
the command and every process below it, per child, then stops the stack with SIGTERM as
Ctrl-C would. Writes the latest figures to bench/results/stack_start.json.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_file import write_results  # noqa: E402
from bot import rasa_model  # noqa: E402
from bot.runner import free_port  # noqa: E402

READY = "Parley is ready."
TIMEOUT_S = 180.0


def _proc_table() -> dict[int, tuple[int, str, int]]:
    """pid -> (parent pid, command name, resident kB) of every process we may read."""
    table: dict[int, tuple[int, str, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue  # gone, or not ours to read
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss = int(fields.get("VmRSS", "0 kB").split()[0])
        table[int(entry.name)] = (int(fields["PPid"]), fields["Name"].strip(), rss)
    return table


def _descendants(root: int, table: dict[int, tuple[int, str, int]]) -> list[int]:
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _, _) in table.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def resident_mb(command_pid: int) -> dict[str, float]:
    """Resident MB of the command itself and of each direct child with its own subtree."""
    table = _proc_table()
    sizes = {"parley run (the supervisor)": table[command_pid][2] / 1024}
    for child in (pid for pid, row in table.items() if row[0] == command_pid):
        tree = [child, *_descendants(child, table)]
        argv = (Path("/proc") / str(child) / "cmdline").read_bytes().split(b"\0")
        name = " ".join(a.decode(errors="replace") for a in argv[:4] if a)
        sizes[name] = sum(table[pid][2] for pid in tree if pid in table) / 1024
    return sizes


def one_round(model: Path) -> tuple[float, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="parley-bench-start-") as scratch:
        env = {
            **os.environ,
            "PARLEY_DATA_DIR": scratch,
            "PARLEY_RASA_PORT": str(free_port()),
            "PARLEY_ACTIONS_PORT": str(free_port()),
            "PARLEY_WORKER_PORT": str(free_port()),
            "PARLEY_API_PORT": str(free_port()),
            "PARLEY_STUDIO_PORT": str(free_port()),
            "PARLEY_MODELS_DIR": str(model.parent),
        }
        started = time.monotonic()
        command = subprocess.Popen(
            [sys.executable, "-m", "cli", "run", "--no-train"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert command.stdout is not None
        lines: list[str] = []
        try:
            for line in command.stdout:
                lines.append(line)
                if line.strip() == READY:
                    break
                if time.monotonic() - started > TIMEOUT_S:
                    break
            else:
                raise SystemExit("parley run ended before it was ready:\n" + "".join(lines))
            ready = time.monotonic() - started
            time.sleep(2)  # let the children finish what they do right after their health
            memory = resident_mb(command.pid)
        finally:
            command.send_signal(signal.SIGTERM)
            command.wait(60)
    return ready, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    model = rasa_model.train(ROOT)
    results = [one_round(model) for _ in range(rounds)]
    ready = [round(seconds, 1) for seconds, _ in results]
    totals = [round(sum(memory.values())) for _, memory in results]
    print(f"ready after (s): {ready}, median {statistics.median(ready):.1f}")
    print(f"resident memory, whole stack (MB): {totals}, median {statistics.median(totals):.0f}")
    print("| process | resident MB (last round) |\n|---|---|")
    for name, size in results[-1][1].items():
        print(f"| `{name}` | {size:.0f} |")
    write_results(
        "stack_start",
        {
            "ready_seconds": ready,
            "ready_seconds_median": statistics.median(ready),
            "resident_mb_total": totals,
            "resident_mb_by_process": {k: round(v) for k, v in results[-1][1].items()},
            "load_average_1m": os.getloadavg()[0],
        },
    )


if __name__ == "__main__":
    main()
