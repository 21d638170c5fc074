"""Email notices of the sales inbox (#20), through the worker's steps and a real SMTP
server on loopback, on SQLite and PostgreSQL: a new handoff goes to every sales user
while nobody holds the conversation, the person's messages to the holder; at most one
email per conversation every few minutes; never what was said; off by default."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from email.message import Message
from pathlib import Path

import pytest

from bot.errors import InvalidSetting
from bot.runner import Supervisor, free_port
from bot.settings import PROJECT_ROOT, Settings, load_settings
from bot.stack import campaign_worker
from bot.store import ProfileStore, StudioUser, upgrade
from campaigns.inbox_notices import queue_notices
from campaigns.worker import deliver_due
from tests.handoff.conftest import Inbox

T0 = datetime.now(timezone.utc).replace(microsecond=0)
WORDS = "my budget is 40k and my cell is 555-0100"


@pytest.fixture
def notifying(tmp_path: Path, environ: dict[str, str]) -> Settings:
    wanted = {
        **environ,
        "PARLEY_INBOX_EMAIL": "true",
        "PARLEY_STUDIO_URL": "https://studio.acme.test/",
    }
    return load_settings(environ=wanted, dotenv=tmp_path / "none.env")


def _user(store: ProfileStore, name: str, role: str = "sales") -> StudioUser:
    return store.studio.create_user(f"{name.lower()}@acme.test", name, role, "x", now=T0)


def _handed_off(store: ProfileStore, at: datetime = T0, conversation: str = "conv-7") -> None:
    ada = store.leads.update_fields(
        "web", conversation, {"name": "Ada Byron", "email": "ada@byron.example"}, conversation,
        now=at,
    )  # fmt: skip
    store.leads.request_handoff(ada.id, conversation_id=conversation, channel="web",
                                reason="asked for a person", transcript=[], outbox=[], now=at)  # fmt: skip


def _mailed(store: ProfileStore, settings: Settings, at: datetime, smtp: Inbox) -> list[Message]:
    """The emails one worker tick sends at `at`."""
    before = len(smtp.messages)
    queue_notices(store, settings, at)
    deliver_due(store, settings, at)
    return smtp.messages[before:]


def _text(message: Message) -> str:
    return str(message.get_payload(decode=True).decode())  # type: ignore[union-attr]


def test_a_new_handoff_emails_each_sales_user_while_nobody_holds_it(
    store: ProfileStore, notifying: Settings, smtp: tuple[Inbox, int]
) -> None:
    for name, role in (("Ben", "sales"), ("Cleo", "sales"), ("Ann", "admin"), ("Dee", "sales")):
        _user(store, name, role)
    store.studio.disable_user(store.studio.users()[-1].id, now=T0)
    _handed_off(store)
    sent = _mailed(store, notifying, T0, smtp[0])
    assert sorted(m["To"] for m in sent) == ["ben@acme.test", "cleo@acme.test"]
    [handoff] = store.inbox.messages("conv-7")
    assert {m["Subject"] for m in sent} == {"New handoff: Ada Byron on web chat"}
    body = _text(sent[0])
    assert f"https://studio.acme.test/inbox/m/{handoff.id}" in body
    assert "nobody holds the conversation" in body
    assert "ada@byron.example" not in body and "asked for a person on web chat" in body
    assert _mailed(store, notifying, T0 + timedelta(minutes=10), smtp[0]) == []


def test_the_persons_messages_email_the_holder_at_most_once_every_few_minutes(
    store: ProfileStore, notifying: Settings, smtp: tuple[Inbox, int]
) -> None:
    ben = _user(store, "Ben")
    _handed_off(store)
    store.inbox.claim("conv-7", ben, now=T0)
    _mailed(store, notifying, T0, smtp[0])  # the handoff, to Ben who holds it
    store.inbox.take_person_message("conv-7", WORDS, now=T0 + timedelta(minutes=1))
    assert _mailed(store, notifying, T0 + timedelta(minutes=1), smtp[0]) == []  # too soon
    store.inbox.take_person_message("conv-7", "hello?", now=T0 + timedelta(minutes=2))
    [sent] = _mailed(store, notifying, T0 + timedelta(minutes=5), smtp[0])
    assert (sent["To"], sent["Subject"]) == ("ben@acme.test", "Ada Byron wrote on web chat")
    body = _text(sent)
    assert "sent 2 messages on web chat, in a conversation you hold" in body
    assert WORDS not in body and "hello?" not in body and "555" not in body
    first_words = next(m for m in store.inbox.messages("conv-7") if m.body == WORDS)
    assert f"/inbox/m/{first_words.id}" in body
    assert _mailed(store, notifying, T0 + timedelta(minutes=30), smtp[0]) == []


def test_news_answered_in_time_or_long_past_is_not_emailed(
    store: ProfileStore, notifying: Settings, smtp: tuple[Inbox, int]
) -> None:
    ben = _user(store, "Ben")
    _handed_off(store)
    store.inbox.claim("conv-7", ben, now=T0)
    _mailed(store, notifying, T0, smtp[0])
    store.inbox.take_person_message("conv-7", "still there?", now=T0 + timedelta(minutes=1))
    store.inbox.reply("conv-7", ben, "Yes!", delivery="shown", now=T0 + timedelta(minutes=2))
    assert _mailed(store, notifying, T0 + timedelta(minutes=6), smtp[0]) == []
    store.inbox.take_person_message("conv-7", "thanks", now=T0 + timedelta(minutes=7))
    # The worker was down for two hours: the inbox has it, email would be stale.
    assert _mailed(store, notifying, T0 + timedelta(hours=2), smtp[0]) == []


def test_a_conversation_closed_before_the_email_is_not_emailed(
    store: ProfileStore, notifying: Settings, smtp: tuple[Inbox, int]
) -> None:
    ben = _user(store, "Ben")
    _handed_off(store)
    store.inbox.close("conv-7", ben, now=T0 + timedelta(seconds=1))
    assert _mailed(store, notifying, T0 + timedelta(seconds=2), smtp[0]) == []


def test_two_workers_queue_one_notice(
    store: ProfileStore, notifying: Settings, smtp: tuple[Inbox, int]
) -> None:
    _user(store, "Ben")
    _handed_off(store)
    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(lambda _: queue_notices(store, notifying, T0), range(2)))
    assert sorted(counts) == [0, 1]
    deliver_due(store, notifying, T0)
    assert len(smtp[0].messages) == 1


def test_notices_are_off_unless_asked_for_and_need_smtp(
    tmp_path: Path, store: ProfileStore, settings: Settings, environ: dict[str, str],
    smtp: tuple[Inbox, int],
) -> None:  # fmt: skip
    _user(store, "Ben")
    _handed_off(store)
    assert _mailed(store, settings, T0, smtp[0]) == []
    no_smtp = {k: v for k, v in environ.items() if not k.startswith("PARLEY_SMTP")}
    with pytest.raises(InvalidSetting, match=r"PARLEY_INBOX_EMAIL.*PARLEY_SMTP_HOST"):
        load_settings(environ={**no_smtp, "PARLEY_INBOX_EMAIL": "true"}, dotenv=tmp_path / "x")
    with pytest.raises(InvalidSetting, match="PARLEY_STUDIO_URL"):
        load_settings(environ={**environ, "PARLEY_STUDIO_URL": "studio.acme.test"},
                      dotenv=tmp_path / "x")  # fmt: skip
    with pytest.raises(InvalidSetting, match="PARLEY_INBOX_EMAIL_EVERY_MINUTES"):
        load_settings(environ={**environ, "PARLEY_INBOX_EMAIL_EVERY_MINUTES": "0"},
                      dotenv=tmp_path / "x")  # fmt: skip


@pytest.mark.slow
def test_a_worker_process_emails_the_holder_within_seconds(
    tmp_path: Path, environ: dict[str, str], smtp: tuple[Inbox, int]
) -> None:
    """Through `parley run`'s own way of starting a worker: the settings reach it."""
    wanted = {**environ, "PARLEY_INBOX_EMAIL": "true", "PARLEY_WORKER_PORT": str(free_port()),
              "PARLEY_STUDIO_URL": "https://studio.acme.test"}  # fmt: skip
    settings = load_settings(environ=wanted, dotenv=tmp_path / "none.env")
    upgrade(settings.database_url)
    store = ProfileStore.from_url(settings.database_url)
    supervisor = Supervisor(tmp_path / "logs", PROJECT_ROOT, say=lambda _: None)
    try:
        ben = _user(store, "Ben")
        now = datetime.now(timezone.utc)
        _handed_off(store, at=now)
        store.inbox.claim("conv-7", ben, now=now)
        store.inbox.take_person_message("conv-7", WORDS, now=now)
        supervisor.start(campaign_worker(settings))
        deadline = time.monotonic() + 30
        while not smtp[0].messages and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        supervisor.stop()
        store.dispose()
    [sent] = smtp[0].messages
    assert sent["To"] == "ben@acme.test" and sent["Subject"] == "Ada Byron wrote on web chat"
    assert "https://studio.acme.test/inbox/m/" in _text(sent) and WORDS not in _text(sent)
