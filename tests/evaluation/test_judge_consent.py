"""The judge's consent verdicts: a yes nobody gave is wrong; a yes given is missed only
where the bot had a way to reach the person on that channel."""

from __future__ import annotations

from bench.evaluation.judge import Verdict, _check_consent


def _verdict() -> Verdict:
    return Verdict(id="p", split="dev", author="a", channel="chat", goal="lead", success=False)


def _export(profile: dict[str, str], granted: dict[str, bool]) -> dict[str, object]:
    history = [{"purpose": p, "granted": g, "source": "chat"} for p, g in granted.items()]
    return {"profile": profile, "consent_history": history}


def test_a_yes_for_texts_is_not_missed_when_no_number_was_given() -> None:
    verdict = _verdict()
    _check_consent(
        {"email": "yes", "sms": "yes"}, _export({"email": "a@b.io"}, {"email": True}), verdict
    )
    assert verdict.missed == [] and verdict.wrong == []


def test_a_yes_for_texts_is_missed_when_the_number_was_there() -> None:
    verdict = _verdict()
    _check_consent(
        {"sms": "yes"}, _export({"email": "a@b.io", "phone": "+14155550123"}, {}), verdict
    )
    assert verdict.missed == ["consent sms (said yes)"]


def test_a_yes_nobody_gave_is_wrong_whatever_was_given() -> None:
    verdict = _verdict()
    _check_consent({}, _export({}, {"email": True}), verdict)
    assert verdict.wrong == ["consent email: granted (said none)"]
