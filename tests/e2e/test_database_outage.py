"""PostgreSQL goes away mid-conversation: the person is told, nothing is lost or forgotten.

The whole stack reaches PostgreSQL (profile store and Rasa's tracker store) through a TCP
proxy that the test cuts: open connections reset, new ones refused, as when the server
stops. Stock Rasa would answer from an empty in-memory conversation here (rasa#6125).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from channels.messages import APOLOGY
from tests.databases import fresh_database
from tests.e2e.conftest import Stack, launch, rest_id
from tests.faults.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture(scope="module")
def proxy() -> Iterator[TcpProxy]:
    with TcpProxy("127.0.0.1", 5432) as running:
        yield running


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    with fresh_database("parley_outage") as url:
        yield url.rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def stack(
    proxy: TcpProxy, database: str, trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    url = f"postgresql://postgres@127.0.0.1:{proxy.port}/{database}"
    running = launch(
        tmp_path_factory.mktemp("outage"),
        trained_model,
        DATABASE_URL=url,
        PARLEY_TRACKER_STORE_URL=url,
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()


def ready(stack: Stack) -> httpx.Response:
    return httpx.get(f"{stack.settings.rasa_url}/ready", timeout=10)


def test_a_short_outage_during_a_turn_is_retried_unnoticed(stack: Stack, proxy: TcpProxy) -> None:
    sender = f"blip-{uuid.uuid4().hex[:8]}"
    stack.say(sender, "I'd like a demo")
    proxy.cut()
    threading.Timer(0.8, proxy.restore).start()
    answer = stack.text(sender, "Lena Fischer")
    assert APOLOGY.lower() not in answer
    contact = stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None and contact.name == "Lena Fischer"


def test_a_long_outage_gets_an_apology_and_the_conversation_resumes(
    stack: Stack, proxy: TcpProxy
) -> None:
    sender = f"outage-{uuid.uuid4().hex[:8]}"
    stack.say(sender, "I'd like a demo")
    stack.say(sender, "Jonas Weber")
    proxy.cut()
    try:
        assert ready(stack).status_code == 503
        assert ready(stack).json()["checks"]["tracker_store"].startswith("unavailable")
        during = stack.text(sender, "jonas@weber.example")
        assert during == APOLOGY.lower()
    finally:
        proxy.restore()
    assert ready(stack).status_code == 200
    # The same conversation, not an empty one: the form still knows the name and asks
    # again for what the outage swallowed.
    again = stack.text(sender, "jonas@weber.example")
    assert "name" not in again and APOLOGY.lower() not in again
    contact = stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None
    assert (contact.name, contact.email) == ("Jonas Weber", "jonas@weber.example")
    slots = stack.slots(sender)
    assert slots["lead_name"] == "Jonas Weber"
