"""Consent configuration, keywords and what a withdrawal covers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.consent import ConsentConfigError, load_consent_config, withdrawal_scope
from bot.keywords import match_keyword
from bot.settings import PROJECT_ROOT
from bot.types import PURPOSES


def test_shipped_consent_file_loads() -> None:
    config = load_consent_config(PROJECT_ROOT / "consent.yml")
    assert [q.purpose for q in config.questions] == ["email", "sms"]
    assert config.pending(set(), {"email"}).purpose == "email"  # type: ignore[union-attr]
    assert config.pending({"email"}, {"email"}) is None  # sms needs a phone
    assert config.pending({"email"}, {"phone"}).purpose == "sms"  # type: ignore[union-attr]
    assert "Acme" in (config.wording_for("email", "Acme") or "")


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ("ask: []", "version"),
        ('version: "1"\nask:\n  - purpose: fax\n    wording: x', "ask[0].purpose 'fax'"),
        ('version: "1"\nask:\n  - purpose: email', "ask[0].wording is missing"),
        ('version: "1"\nask:\n  - purpose: email\n    wording: "hi {name}"', "unknown placeholder"),
        (
            'version: "1"\nask:\n  - purpose: sms\n    wording: x\n    requires: shoe_size',
            "requires",
        ),
    ],
)
def test_bad_consent_file_names_the_field(tmp_path: Path, document: str, problem: str) -> None:
    path = tmp_path / "consent.yml"
    path.write_text(document)
    with pytest.raises(ConsentConfigError, match=re.escape(problem)):
        load_consent_config(path)


@pytest.mark.parametrize(
    ("text", "channel", "keyword", "expected"),
    [
        ("stop texting me", "web", None, {"sms"}),
        ("unsubscribe me from emails", "sms", None, {"email"}),
        ("no more whatsapp or calls please", "web", None, {"whatsapp", "phone"}),
        ("don't contact me again", "web", None, set(PURPOSES)),
        ("stop everything", "sms", None, set(PURPOSES)),
        ("STOP", "sms", "stop", {"sms"}),
        ("STOP", "telegram", "stop", {"telegram"}),
        ("STOP", "rest", "stop", set(PURPOSES)),
        ("STOPALL", "sms", "stop_all", set(PURPOSES)),
        ("unsubscribe", "whatsapp", None, {"whatsapp"}),
    ],
)
def test_withdrawal_scope(text: str, channel: str, keyword: str | None, expected: set[str]) -> None:
    assert withdrawal_scope(text, channel, keyword) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "channel", "kind"),
    [
        ("STOP", "rest", "stop"),
        (" stop! ", "sms", "stop"),
        ("Stop all", "sms", "stop_all"),
        ("cancel", "sms", "stop"),
        ("END", "whatsapp", "stop"),
        ("quit", "sms", "stop"),
        ("revoke", "rest", "stop"),
        ("opt-out", "web", "stop"),
        ("START", "rest", "start"),
        ("unstop", "sms", "start"),
        ("yes", "sms", "start"),
        ("HELP", "rest", "help"),
        ("info", "sms", "help"),
        ("STOP por favor", "sms", "stop"),
        ("bitte stop", "whatsapp", "stop"),
        ("Stop, thanks!", "rest", "stop"),
        ("merci STOP", "sms", "stop"),
    ],
)
def test_keywords_match_whole_messages(text: str, channel: str, kind: str) -> None:
    found = match_keyword(text, channel)  # type: ignore[arg-type]
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("cancel", "rest"),
        ("yes", "web"),
        ("don't stop the demo", "sms"),
        ("stop it now please", "sms"),
        ("stopwatch", "sms"),
        ("STOP " * 20, "sms"),
    ],
)
def test_other_messages_are_not_keywords(text: str, channel: str) -> None:
    assert match_keyword(text, channel) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("changed my mind, no texts please, email only", {"sms"}),
        ("stop the text messages, emails are fine", {"sms"}),
        ("no more emails or texts", {"email", "sms"}),
    ],
)
def test_a_withdrawal_keeps_what_it_says_to_keep(text: str, scope: set[str]) -> None:
    assert withdrawal_scope(text, "rest", None) == scope
