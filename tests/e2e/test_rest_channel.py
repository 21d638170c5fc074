"""Bad input and outages on the REST channel: a 4xx or a normal reply, never a 5xx."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runner import is_healthy
from channels.messages import APOLOGY
from tests.e2e.conftest import Stack, launch, rest_id

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"\xff\xfe{not utf8", "UTF-8"),
        (b"{this is not json", "not JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"message": "hi"}', "sender"),
        (b'{"sender": "x", "message": 42}', "message"),
        (b'{"sender": "x", "message": "hi", "metadata": [1]}', "metadata"),
    ],
)
def test_malformed_body_is_a_400_naming_the_problem(
    stack: Stack, body: bytes, problem: str
) -> None:
    reply = stack.post_raw(body)
    assert reply.status_code == 400
    assert problem in reply.json()["error"]


def test_empty_message_gets_a_polite_reply(stack: Stack, sender: str) -> None:
    assert "empty" in stack.text(sender, "   ")


def test_ten_kilobyte_message_gets_a_polite_reply(stack: Stack, sender: str) -> None:
    assert "too long" in stack.text(sender, "lorem ipsum " * 900)


def test_emoji_only_message_gets_an_answer(stack: Stack, sender: str) -> None:
    assert stack.say(sender, "🎉🎉🎉")


def test_client_cannot_claim_another_channel(stack: Stack, sender: str) -> None:
    import httpx

    body = {
        "sender": sender,
        "message": "hi I'm Eve, eve@example.org, demo please",
        "input_channel": "telegram",
        "metadata": {"parley_channel": "sms"},
    }
    assert httpx.post(stack.webhook, json=body, timeout=60).status_code == 200
    contact = stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None and [i.channel for i in contact.channels] == ["rest"]


def test_development_mode_answers_local_callers_only(stack: Stack, sender: str) -> None:
    import httpx

    body = {"sender": sender, "message": "hello"}
    assert stack.settings.chat.environment == "development"
    assert httpx.post(stack.webhook, json=body, timeout=60).status_code == 200
    # Through a proxy, "local" could be anyone: development mode does not trust it.
    proxied = httpx.post(
        stack.webhook, json=body, timeout=60, headers={"X-Forwarded-For": "203.0.113.5"}
    )
    assert proxied.status_code == 403 and "PARLEY_REST_TOKEN" in proxied.json()["error"]


@pytest.fixture
def fragile_stack(trained_model: Path, tmp_path: Path) -> Iterator[Stack]:
    running = launch(tmp_path, trained_model)
    yield running
    running.supervisor.stop()
    running.store.dispose()


def test_a_crashed_action_server_is_restarted_and_the_conversation_goes_on(
    fragile_stack: Stack, sender: str
) -> None:
    """kill -9 of the action server mid-form: every turn meanwhile gets the apology, the
    supervisor starts it again, and the visitor's next message continues the form."""
    stack = fragile_stack
    stack.say(sender, "I'd like a demo")
    stack.say(sender, "Olga Petrova")
    stop = threading.Event()
    watcher = threading.Thread(target=stack.supervisor.watch, kwargs={"until": stop})
    watcher.start()
    try:
        actions = stack.supervisor.children["action server"]
        crashed = actions.process
        os.killpg(crashed.pid, signal.SIGKILL)
        crashed.wait(30)
        killed_at = time.monotonic()

        answers_meanwhile = [stack.text(sender, "olga@petrova.dev")]
        contact = stack.store.contacts.for_identity("rest", rest_id(sender))
        assert contact is not None and contact.name == "Olga Petrova"
        continued = None
        while continued is None and not is_healthy(f"{stack.settings.actions_url}/health"):
            assert time.monotonic() - killed_at < 90, "the action server was not restarted"
            answer = stack.text(sender, "olga@petrova.dev")
            if answer == APOLOGY.lower():
                answers_meanwhile.append(answer)
            else:
                # The server came up between the health check and this turn: the form went on.
                continued = answer
            time.sleep(0.5)
        back_after = time.monotonic() - killed_at
        print(f"action server back after {back_after:.1f} s; {len(answers_meanwhile)} "
              "turns meanwhile, each answered with the apology")  # fmt: skip
        assert answers_meanwhile == [APOLOGY.lower()] * len(answers_meanwhile)
        assert actions.process is not crashed and actions.restarts == 1

        if continued is None:
            continued = stack.text(sender, "olga@petrova.dev")
        assert "phone" in continued
    finally:
        stop.set()
        watcher.join(10)
    contact = stack.store.contacts.for_identity("rest", rest_id(sender))
    assert contact is not None and (contact.name, contact.email) == (
        "Olga Petrova",
        "olga@petrova.dev",
    )
