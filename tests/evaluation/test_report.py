"""The evaluation's breakdowns count failures without quoting what anyone said."""

from __future__ import annotations

from bench.evaluation.judge import Verdict
from bench.evaluation.report import field_counts, markdown, split_report


def _verdict(ident: str, **kwargs: object) -> Verdict:
    verdict = Verdict(
        id=ident, split="test", author="a", channel="chat", goal="lead", success=False
    )
    for key, value in kwargs.items():
        setattr(verdict, key, value)
    return verdict


def test_fields_and_failure_kinds_are_counted_without_the_words() -> None:
    failed = _verdict(
        "p1",
        wrong=["company: 'Paris' (said 'Acme Ltd')"],
        missed=["email (said 'a@b.io')", "consent email (said yes)"],
        reasons=["wrong: ...", "missed: ...", "2 question(s) not answered"],
    )
    lost = _verdict("p2", missed=["email (said 'c@d.io')"], reasons=["goal not reached: lead"])
    fine = _verdict("p3", success=True)

    report = split_report([failed, lost, fine], with_failures=False)

    assert report["by_field"] == {
        "company": {"wrong": 1, "missed": 0},
        "consent email": {"wrong": 0, "missed": 1},
        "email": {"wrong": 0, "missed": 2},
    }
    assert report["failure_kinds"] == {
        "wrong": 1,
        "missed": 1,
        "question not answered": 1,
        "goal not reached: lead": 1,
    }
    table = markdown("test", report)
    assert "email 0/2" in table and "a@b.io" not in table and "Paris" not in table


def test_no_failures_no_counts() -> None:
    assert field_counts([_verdict("p", success=True)]) == {}


def test_banded_fields_count_their_confusions_and_nothing_else() -> None:
    verdicts = [
        _verdict(
            "p1",
            wrong=["timeline: 'now' (said 'quarter')", "company: 'Paris' (said 'Acme Ltd')"],
            missed=["authority (said 'decides')"],
        ),
        _verdict(
            "p2", wrong=["timeline: 'now' (said 'quarter')", "budget: 'under_1k' (said '1k_10k')"]
        ),
    ]

    report = split_report(verdicts, with_failures=False)

    assert report["band_confusions"] == {
        "authority": {"decides -> nothing": 1},
        "budget": {"1k_10k -> under_1k": 1},
        "timeline": {"quarter -> now": 2},
    }
    table = markdown("test", report)
    assert "| timeline said -> stored | quarter -> now 2 |" in table
    assert "Paris" not in table and "Acme" not in table
