"""CI's sample of the conversation evaluation: simulated people against a real Parley.

A fixed sample of each split is played through the REST channel and signed voice
webhooks, and judged from the profile store. The full runs' figures are in
bench/results/conversations.json (bench/README.md says how they were made).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.evaluation.judge import Verdict
from bench.evaluation.personas import SPLITS, load_split
from bench.evaluation.report import figures
from bench.evaluation.run import Running, play_all, running_parley, sample
from bench.evaluation.simulator import Transcript

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = 6
# Regression floors, well under the full runs' figures (bench/results/conversations.json,
# 2026-12-03: success 41% dev and 28% test, wrong values 3.2% and 4.5%), so that a
# sample of six fails on a real regression (the bot stops capturing leads, or starts
# storing wrong details) rather than on one unlucky persona: six personas store about 30
# values, so 0.15 is five wrong ones, three times the full runs' rate. Raise them as
# #18 lands.
MIN_SUCCESS = 0.15
MAX_WRONG_RATE = 0.15


@pytest.fixture(scope="module")
def parley(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with running_parley(tmp_path_factory.mktemp("eval"), trained_model) as running:
        yield running


@pytest.mark.parametrize("split", SPLITS)
def test_a_sample_of_personas_succeeds(parley: Running, split: str) -> None:
    transcripts: list[Transcript] = []
    personas = sample(load_split(split), SAMPLE)  # type: ignore[arg-type]
    verdicts: list[Verdict] = play_all(personas, parley, 2, lambda t, _: transcripts.append(t))
    crashed = [t.persona.id for t in transcripts if t.error]
    assert not crashed, crashed
    result = figures(verdicts)
    assert result["conversations"] == len(personas)
    # Only the dev split's reasons may be read; the test split reports scores.
    reasons = [f"{v.id}: {v.reasons}" for v in verdicts if not v.success and split == "dev"]
    assert result["success_rate"] >= MIN_SUCCESS, (result, reasons)
    assert result["wrong_value_rate"] <= MAX_WRONG_RATE, (result, reasons)


def test_the_committed_results_cover_both_splits() -> None:
    """The figures bench/README quotes are a run of both splits, as many as it says."""
    results = json.loads((ROOT / "bench" / "results" / "conversations.json").read_text())
    for split in SPLITS:
        everyone = len(load_split(split))  # type: ignore[arg-type]
        played = everyone if results["sample"] == "all" else min(int(results["sample"]), everyone)
        assert results[split]["conversations"] == played
