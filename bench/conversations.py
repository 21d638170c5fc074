"""Simulated visitors and callers against a real Parley, judged from the profile store.

    .venv/bin/python bench/conversations.py                 # both splits, every persona
    .venv/bin/python bench/conversations.py --split dev --show-failures
    .venv/bin/python bench/conversations.py --sample 20 --write   # ... figures to bench/results
    .venv/bin/python bench/conversations.py --split dev --spoken  # dev chat personas as callers

Personas are in bench/personas (README there: format, judging, and why nobody who edits
training data reads the test split). The model is trained first if it is stale.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.evaluation.judge import Verdict  # noqa: E402
from bench.evaluation.personas import SPLITS, Split, load_file, load_split  # noqa: E402
from bench.evaluation.report import markdown, split_report  # noqa: E402
from bench.evaluation.run import play_all, running_parley, sample  # noqa: E402
from bench.evaluation.simulator import Transcript  # noqa: E402
from bench.evaluation.spoken import as_caller  # noqa: E402
from bot import rasa_model  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "conversations.json"


def _stop_on_term(signum: int, frame: object) -> None:
    # `timeout` and Ctrl-C alike must stop the Parley this run started, not orphan it.
    raise SystemExit(128 + signum)


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_term)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=[*SPLITS, "both"], default="both")
    parser.add_argument("--sample", type=int, default=0, help="personas per split (0: all)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=[], help="persona ids (dev split only)")
    parser.add_argument("--show-failures", action="store_true", help="dev split only")
    parser.add_argument("--transcripts", action="store_true", help="dev failures in full")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(ROOT)}")
    parser.add_argument("--model", type=Path, help="a trained model (default: train if stale)")
    parser.add_argument(
        "--spoken",
        action="store_true",
        help="dev split only: its chat personas as callers, words as a recognizer writes them",
    )
    parser.add_argument(
        "--file",
        type=Path,
        help="the personas of this one file instead of a split, shown like the dev split's",
    )
    args = parser.parse_args()
    if args.spoken and (args.write or args.split != "dev"):
        parser.error("--spoken replays the dev split only and writes no figures")
    if args.file and (args.write or args.split != "dev"):
        parser.error("--file plays one file as dev personas and writes no figures")
    splits: list[Split] = list(SPLITS) if args.split == "both" else [args.split]
    trained = args.model or rasa_model.train(ROOT)
    results: dict[str, object] = {
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model": trained.name,
        "sample": args.sample or "all",
    }
    for split in splits:
        personas = load_file(args.file, split) if args.file else load_split(split)
        if args.spoken:
            personas = [as_caller(p) for p in personas if p.channel == "chat"]
        if args.only:
            if split == "test":
                continue
            personas = [p for p in personas if p.id.split("~")[0] in args.only]
        elif args.sample:
            personas = sample(personas, args.sample)
        # Each split gets a Parley and a store of its own, as when played alone: one
        # split's bookings must not fill the calendar for the other, nor its phone
        # numbers turn the other's into claims.
        with (
            tempfile.TemporaryDirectory(prefix="parley-eval-") as workdir,
            running_parley(Path(workdir), trained) as parley,
        ):
            started = time.perf_counter()
            show = args.transcripts and split == "dev"
            verdicts = play_all(personas, parley, args.workers, _printer(show))
        report = split_report(verdicts, with_failures=split == "dev")
        report["wall_s"] = round(time.perf_counter() - started, 1)
        results[split] = report
        print(markdown(split, report), "\n", flush=True)
        if args.show_failures and split == "dev":
            _show_failures(verdicts)
    if args.write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


def _printer(show_transcripts: bool):  # type: ignore[no-untyped-def]
    def done(transcript: Transcript, verdict: Verdict) -> None:
        mark = "ok  " if verdict.success else "FAIL"
        if transcript.persona.split != "dev":
            print(f"{mark} {verdict.id}", flush=True)
            return
        print(f"{mark} {verdict.id} {'; '.join(verdict.reasons)}", flush=True)
        if show_transcripts and not verdict.success:
            for turn in transcript.turns:
                print(f"    > {turn.said}")
                for text in turn.texts:
                    print("      < " + text.replace("\n", " / ")[:300])

    return done


def _show_failures(verdicts: list[Verdict]) -> None:
    for verdict in verdicts:
        if not verdict.success:
            print(
                f"- {verdict.id} ({verdict.channel}, {verdict.goal}): {'; '.join(verdict.reasons)}"
            )


if __name__ == "__main__":
    raise SystemExit(main())
