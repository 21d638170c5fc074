"""One-click unsubscribe against a real stack: the page, RFC 8058 POSTs, forged links."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.runner import Supervisor
from bot.settings import PROJECT_ROOT, Secret
from bot.store import Contact, ProfileStore
from bot.unsubscribe import unsubscribe_token, unsubscribe_url
from channels.unsubscribe import BUTTON, WORDING
from cli.commands.serve import start_stack
from tests.e2e.conftest import Stack, launch, stack_settings

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SECRET = Secret("test-unsubscribe-secret-0123456789")
ONE_CLICK = {"List-Unsubscribe": "One-Click"}
DOWN_URL = "postgresql://postgres@127.0.0.1:1/parley"  # nothing listens on port 1


@pytest.fixture(scope="module")
def unsubscribe_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    running = launch(
        tmp_path_factory.mktemp("unsubscribe"),
        trained_model,
        PARLEY_UNSUBSCRIBE_SECRET=SECRET.value,
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()


@pytest.fixture(scope="module")
def storeless_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """A stack whose profile store is down from the start."""
    data_dir = tmp_path_factory.mktemp("unsubscribe-down")
    settings = stack_settings(
        data_dir, PARLEY_UNSUBSCRIBE_SECRET=SECRET.value, DATABASE_URL=DOWN_URL
    )
    supervisor = Supervisor(data_dir / "logs", PROJECT_ROOT, say=lambda _: None)
    try:
        start_stack(supervisor, settings, trained_model)
    except BaseException:
        supervisor.stop()
        raise
    running = Stack(settings, ProfileStore.from_url(DOWN_URL), supervisor)
    yield running
    running.supervisor.stop()
    running.store.dispose()


@pytest.fixture
def subscriber(unsubscribe_stack: Stack) -> Contact:
    """Someone who agreed to marketing email in a web chat."""
    store = unsubscribe_stack.store
    contact = store.contacts.ensure("web", f"web-{uuid.uuid4().hex}")
    store.consent.record(
        contact.id,
        "email",
        True,
        channel="web",
        wording="Email me product news",
        wording_version="test-1",
        source="conversation",
        evidence={},
    )
    return contact


def link(stack: Stack, contact_id: str) -> str:
    return unsubscribe_url(stack.settings.rasa_url, contact_id, SECRET)


def test_unsubscribe_page_shows_the_button_and_records_nothing(
    unsubscribe_stack: Stack, subscriber: Contact
) -> None:
    page = httpx.get(link(unsubscribe_stack, subscriber.id), timeout=10)
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert BUTTON in page.text and 'method="post"' in page.text and "Acme Test Co" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert len(unsubscribe_stack.store.consent.history(subscriber.id)) == 1
    assert unsubscribe_stack.store.consent.do_not_contact(subscriber.id) == []


def test_unsubscribe_one_click_records_one_email_withdrawal(
    unsubscribe_stack: Stack, subscriber: Contact
) -> None:
    store = unsubscribe_stack.store
    reply = httpx.post(
        link(unsubscribe_stack, subscriber.id),
        data=ONE_CLICK,
        headers={"User-Agent": "Mail-Provider-Unsubscriber/1.0"},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    _granted, withdrawn = store.consent.history(subscriber.id)
    assert (withdrawn.purpose, withdrawn.granted) == ("email", False)
    assert withdrawn.source == "unsubscribe" and withdrawn.channel == "web"
    assert withdrawn.wording == WORDING["one-click"]
    assert withdrawn.wording_version == "unsubscribe-1"
    assert withdrawn.evidence == {
        "method": "one-click",
        "user_agent": "Mail-Provider-Unsubscriber/1.0",
    }
    assert not store.consent.is_granted(subscriber.id, "email")
    [entry] = store.consent.do_not_contact(subscriber.id)
    assert (entry.channel, entry.reason, entry.active) == ("email", "withdrawn", True)


def test_unsubscribe_second_post_adds_nothing(
    unsubscribe_stack: Stack, subscriber: Contact
) -> None:
    store = unsubscribe_stack.store
    url = link(unsubscribe_stack, subscriber.id)
    assert httpx.post(url, data=ONE_CLICK, timeout=10).status_code == 200
    history, entries = (
        store.consent.history(subscriber.id),
        store.consent.do_not_contact(subscriber.id),
    )
    again = httpx.post(url, data=ONE_CLICK, timeout=10)
    assert again.status_code == 200, again.text
    assert store.consent.history(subscriber.id) == history
    assert store.consent.do_not_contact(subscriber.id) == entries


def test_unsubscribe_button_confirms_on_a_page(
    unsubscribe_stack: Stack, subscriber: Contact
) -> None:
    reply = httpx.post(link(unsubscribe_stack, subscriber.id), data={}, timeout=10)
    assert reply.status_code == 200
    assert "You are unsubscribed" in reply.text
    withdrawn = unsubscribe_stack.store.consent.history(subscriber.id)[-1]
    assert withdrawn.wording == WORDING["page"] and withdrawn.evidence["method"] == "page"
    assert unsubscribe_stack.store.consent.is_do_not_contact(subscriber.id, "email")


def test_unsubscribe_forged_token_answers_404_and_records_nothing(
    unsubscribe_stack: Stack, subscriber: Contact
) -> None:
    forged = unsubscribe_token(subscriber.id, Secret("someone-elses-secret"))
    url = f"{unsubscribe_stack.settings.rasa_url}/webhooks/unsubscribe/u/{forged}"
    for method in ("GET", "POST"):
        reply = httpx.request(method, url, data=ONE_CLICK if method == "POST" else None, timeout=10)
        assert reply.status_code == 404, method
        assert BUTTON not in reply.text
    assert len(unsubscribe_stack.store.consent.history(subscriber.id)) == 1
    assert unsubscribe_stack.store.consent.do_not_contact(subscriber.id) == []


def test_unsubscribe_of_an_erased_contact_still_answers_200(
    unsubscribe_stack: Stack, subscriber: Contact
) -> None:
    url = link(unsubscribe_stack, subscriber.id)
    unsubscribe_stack.store.privacy.erase(subscriber.id, salt="test-salt")
    reply = httpx.post(url, data={}, timeout=10)
    assert reply.status_code == 200 and "You are unsubscribed" in reply.text


def test_unsubscribe_while_the_store_is_down_answers_503_try_again(
    storeless_stack: Stack,
) -> None:
    url = link(storeless_stack, "0123456789abcdef0123456789abcdef")
    assert httpx.get(url, timeout=10).status_code == 200  # the page needs no store
    for body in (ONE_CLICK, {}):
        reply = httpx.post(url, data=body, timeout=30)
        assert reply.status_code == 503
        assert "try again" in reply.text and reply.headers["retry-after"] == "60"
