"""`parley campaigns ...` and `parley segments ...`, run in-process against a SQLite file
and a campaigns directory of their own, with the clock fixed at NOON."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, load_settings
from bot.store import Contact, ProfileStore, upgrade
from campaigns.definitions import load_campaigns
from cli.commands import campaigns as cli
from tests.campaigns.conftest import NOON, Clock, Harness, RecordingSender, lead

HELLO = """
name: hello
description: One message to say hello.
trigger: {event: manual}
audience: consent(sms) or consent(email)
cost_per_send: {sms: 0.01}
steps:
  - id: first
    send:
      channels: [sms, email]
      variants:
        - name: warm
          message:
            text: "Hi {{ first_name | default('there') }}, thanks from {{ company_name }}!"
            email: {subject: "Thanks {{ first_name }}", body: "Hi {{ first_name }}."}
        - name: short
          message:
            text: "Hello from {{ company_name }}"
            email: {subject: "Hello", body: "Hello."}
"""

Run = Callable[..., tuple[int, str]]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every setting the commands rely on, pointing into tmp_path."""
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "hello.yml").write_text(HELLO, encoding="utf-8")
    shutil.copy(PROJECT_ROOT / "campaigns" / "nurture.yml", campaigns)
    values = {
        "PARLEY_DATA_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'parley.db'}",
        "PARLEY_CAMPAIGNS_DIR": str(campaigns),
        "PARLEY_PUBLIC_URL": "https://bot.example.test",
        "PARLEY_COMPANY_NAME": "Acme",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


@pytest.fixture
def db(env: dict[str, str]) -> Iterator[ProfileStore]:
    """The store the commands open, on the same DATABASE_URL."""
    upgrade(env["DATABASE_URL"])
    db = ProfileStore.from_url(env["DATABASE_URL"])
    yield db
    db.dispose()


@pytest.fixture
def run(env: dict[str, str]) -> Run:
    def run(*argv: str) -> tuple[int, str]:
        out = io.StringIO()
        return cli.run(list(argv), load_settings(), out=out, clock=lambda: NOON), out.getvalue()

    return run


def three_leads(store: ProfileStore) -> tuple[Contact, Contact, Contact]:
    """Dana (SMS consent, has email), Sam (SMS consent), Lee (email consent, no email)."""
    dana = lead(store, email="dana@example.com")
    sam = lead(store, external_id="+14155550777", phone="+14155550777", name="Sam Lee")
    lee = lead(
        store, external_id="+14155550888", phone="+14155550888", name="Lee Park", consent=("email",)
    )
    return dana, sam, lee


def row(output: str, campaign: str) -> list[str]:
    [line] = [line for line in output.splitlines() if line.startswith(f"{campaign} ")]
    return line.split()


def test_validate_checks_every_file_in_the_campaigns_directory(run: Run) -> None:
    code, output = run("campaigns", "validate")
    assert code == 0
    assert output.splitlines() == [
        "✓ hello.yml: hello, 1 steps, trigger manual, audience consent(sms) or consent(email)",
        "✓ nurture.yml: nurture, 5 steps, trigger grade_changed, audience not tag(customer) "
        "and (consent(email) or consent(sms) or consent(telegram))",
    ]


def test_validate_reports_a_broken_file_with_its_field(run: Run, env: dict[str, str]) -> None:
    broken = Path(env["PARLEY_CAMPAIGNS_DIR"]) / "broken.yml"
    broken.write_text(
        HELLO.replace("name: hello", "name: broken").replace("[sms, email]", "[sms, fax]"),
        encoding="utf-8",
    )
    code, output = run("campaigns", "validate")
    assert code == 1
    assert output.splitlines()[0] == (
        "✗ broken.yml: steps[0].send.channels[1]: 'fax' is not one of preferred, sms, "
        "whatsapp, telegram, email"
    )
    assert [line[:1] for line in output.splitlines()] == ["✗", "✓", "✓"]


def test_validate_checks_only_the_files_given(run: Run, env: dict[str, str]) -> None:
    code, output = run(
        "campaigns", "validate", str(Path(env["PARLEY_CAMPAIGNS_DIR"]) / "hello.yml")
    )
    assert (code, output.count("✓")) == (0, 1)


def test_validate_refuses_two_files_with_one_campaign_name(run: Run, env: dict[str, str]) -> None:
    directory = Path(env["PARLEY_CAMPAIGNS_DIR"])
    (directory / "hello2.yml").write_text(HELLO, encoding="utf-8")
    code, output = run("campaigns", "validate")
    assert code == 1
    assert "✗ hello2.yml: name: 'hello' is also in hello.yml" in output.splitlines()


def test_list_shows_campaigns_state_and_enrollments(run: Run, db: ProfileStore) -> None:
    dana, *_ = three_leads(db)
    assert run("campaigns", "enroll", "hello", "--contact", dana.id)[0] == 0
    code, output = run("campaigns", "list")
    assert code == 0
    assert output.splitlines()[0].split() == [
        "campaign", "trigger", "steps", "state", "enrolled", "active",
    ]  # fmt: skip
    assert row(output, "hello") == ["hello", "manual", "1", "running", "1", "1"]
    assert row(output, "nurture") == ["nurture", "grade_changed", "5", "running", "0", "0"]


def test_pause_and_resume_show_in_list(run: Run) -> None:
    assert run("campaigns", "pause", "hello") == (
        0,
        "hello is paused: nothing is enrolled or sent\n",
    )
    assert row(run("campaigns", "list")[1], "hello")[3] == "paused"
    assert row(run("campaigns", "list")[1], "nurture")[3] == "running"
    assert run("campaigns", "resume", "hello") == (0, "hello is running\n")
    assert row(run("campaigns", "list")[1], "hello")[3] == "running"


@pytest.mark.parametrize(
    "argv",
    [
        ["pause", "helo"],
        ["resume", "helo"],
        ["enroll", "helo", "--contact", "x"],
        ["preview", "helo", "x"],
    ],
    ids=["pause", "resume", "enroll", "preview"],
)
def test_unknown_campaign_name_is_a_clear_error(run: Run, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        run("campaigns", *argv)
    assert caught.value.code == "parley: no campaign 'helo' (campaigns: hello, nurture)"


def test_enroll_by_contact_id(run: Run, db: ProfileStore) -> None:
    dana, sam, _ = three_leads(db)
    code, output = run("campaigns", "enroll", "hello", "--contact", dana.id)
    assert (code, output.splitlines()[-1].split(" (")[0]) == (0, "enrolled 1 of 1 in hello")
    assert [e.contact_id for e in db.campaigns.enrollments("hello")] == [dana.id]
    # Once enrolled, enrolling again does nothing.
    code, output = run("campaigns", "enroll", "hello", "--contact", dana.id, "--contact", sam.id)
    assert output.startswith("enrolled 1 of 2 in hello")
    assert {e.contact_id for e in db.campaigns.enrollments("hello")} == {dana.id, sam.id}


def test_enroll_skips_an_unknown_contact(run: Run, db: ProfileStore) -> None:
    code, output = run("campaigns", "enroll", "hello", "--contact", "no-such-contact")
    assert code == 0
    assert output.splitlines()[0].startswith("skipped: ")
    assert "no-such-contact" in output.splitlines()[0]
    assert output.splitlines()[1].startswith("enrolled 0 of 1 in hello")


def test_enroll_by_segment(run: Run, db: ProfileStore) -> None:
    dana, sam, _ = three_leads(db)
    code, output = run("campaigns", "enroll", "hello", "--segment", "consent(sms)")
    assert (code, output.split(" (")[0]) == (0, "enrolled 2 of 2 in hello")
    assert {e.contact_id for e in db.campaigns.enrollments("hello")} == {dana.id, sam.id}
    assert row(run("campaigns", "list")[1], "hello")[4:] == ["2", "2"]


def test_enroll_without_contact_or_segment_says_what_to_give(run: Run, db: ProfileStore) -> None:
    with pytest.raises(SystemExit, match="give --contact ID"):
        run("campaigns", "enroll", "hello")


def test_enroll_with_a_bad_segment_fails(run: Run, db: ProfileStore) -> None:
    assert run("campaigns", "enroll", "hello", "--segment", "grade in [A, E]")[0] == 1
    assert db.campaigns.enrollments("hello") == []


def test_preview_renders_each_variant_and_channel(run: Run, db: ProfileStore) -> None:
    dana, *_ = three_leads(db)
    code, output = run("campaigns", "preview", "hello", "dana@example.com")
    assert code == 0
    assert output.splitlines() == [
        f"campaign hello for contact {dana.id} (in the audience: consent(sms) or consent(email))",
        "",
        "1. first (send)",
        "   [warm · sms] would send",
        "     Hi Dana, thanks from Acme!",
        "   [warm · email] would not send: no consent",
        "     Subject: Thanks Dana",
        "     Hi Dana.",
        "   [short · sms] would send",
        "     Hello from Acme",
        "   [short · email] would not send: no consent",
        "     Subject: Hello",
        "     Hello.",
    ]


def test_preview_says_why_a_channel_would_not_send(run: Run, db: ProfileStore) -> None:
    *_, lee = three_leads(db)
    code, output = run("campaigns", "preview", "hello", lee.id)
    assert code == 0
    assert "   [warm · sms] would not send: no consent" in output.splitlines()
    assert "   [warm · email] would not send: no email address" in output.splitlines()


def test_preview_of_an_unknown_contact_is_a_clear_error(run: Run, db: ProfileStore) -> None:
    with pytest.raises(SystemExit) as caught:
        run("campaigns", "preview", "hello", "nobody@example.com")
    assert caught.value.code == "parley: no contact 'nobody@example.com'"


def test_stats_counts_sent_and_skipped_after_a_tick(run: Run, db: ProfileStore) -> None:
    dana, _, lee = three_leads(db)
    run("campaigns", "enroll", "hello", "--contact", dana.id, "--contact", lee.id)
    settings = load_settings()
    campaigns = load_campaigns(settings.campaigns.directory)
    senders = {c: RecordingSender(c) for c in ("sms", "whatsapp", "telegram", "email")}
    assert Harness(db, settings, campaigns, senders, Clock()).tick() == {
        "sent": 1,
        "skipped": 1,
    }
    code, output = run("campaigns", "stats", "hello")
    assert code == 0
    lines = output.splitlines()
    assert lines[0] == "campaign hello: 2 enrolled (2 completed)"
    # Variants are drawn per enrollment; SMS counts as delivered only once Twilio says so.
    rows = [
        re.sub(r" (warm|short) ", " V ", line).split()
        for line in lines
        if line.startswith("  first ")
    ]
    assert sorted(rows) == [
        ["first", "V", "-", "0", "0", "0", "1", "0", "0", "0"],
        ["first", "V", "sms", "1", "0", "0", "0", "0", "0", "0"],
    ]
    assert "      skipped 1: sms: no consent; email: no email address" in lines
    assert lines[-2] == "  converted 0; sales won 0"
    assert lines[-1] == (
        "  cost 0.01; cost per converted lead n/a (no conversions); "
        "cost per sale won n/a (no sales won)"
    )


def test_stats_without_a_name_covers_every_campaign(run: Run, db: ProfileStore) -> None:
    code, output = run("campaigns", "stats")
    assert code == 0
    assert re.findall(r"^campaign (\S+): 0 enrolled \(none\)$", output, re.M) == [
        "hello",
        "nurture",
    ]


def test_segments_preview_points_at_the_mistake(run: Run) -> None:
    code, output = run("segments", "preview", "grade in [A, E]")
    assert code == 2
    assert output == (
        "parley: 'E' is not a valid grade; one of A, B, C, D\n  grade in [A, E]\n               ^\n"
    )


def test_segments_preview_counts_and_samples(run: Run, db: ProfileStore) -> None:
    dana, sam, lee = three_leads(db)
    code, output = run("segments", "preview", "consent(sms)")
    assert code == 0
    lines = output.splitlines()
    assert lines[1] == "2 contacts match"
    assert {line.split()[0] for line in lines[2:]} == {dana.id, sam.id}
    assert lee.id not in output


def test_parley_entry_point_runs_campaign_commands_in_process(
    env: dict[str, str],
) -> None:
    result = subprocess.run(
        [".venv/bin/python", "-m", "cli.main", "campaigns", "validate"],
        cwd=PROJECT_ROOT, env={**os.environ, **env}, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [line[:12] for line in result.stdout.splitlines()] == [
        "✓ hello.yml:",
        "✓ nurture.ym",
    ]
