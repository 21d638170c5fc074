"""The web chat routes against a real stack: sessions, messages, history, CORS, bad input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from channels.webchat import BadSession, SessionSigner
from tests.e2e.conftest import Stack, launch

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ORIGIN = "https://www.customer-site.test"


@pytest.fixture(scope="module")
def web_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = launch(
        tmp_path_factory.mktemp("webchat"), trained_model, PARLEY_WEBCHAT_ORIGINS=ORIGIN
    )
    yield running
    running.supervisor.stop()
    running.store.dispose()


def url(stack: Stack, path: str) -> str:
    return f"{stack.settings.rasa_url}/webhooks/webchat{path}"


def new_session(stack: Stack) -> str:
    reply = httpx.post(url(stack, "/session"), timeout=10)
    assert reply.status_code == 200
    session: str = reply.json()["session"]
    return session


def say(stack: Stack, session: str, text: str, shown: str | None = None) -> list[dict[str, object]]:
    body = {"session": session, "message": text, **({"shown": shown} if shown else {})}
    reply = httpx.post(url(stack, "/message"), json=body, timeout=60)
    assert reply.status_code == 200, reply.text
    messages: list[dict[str, object]] = reply.json()["messages"]
    return messages


def test_signer_accepts_only_what_it_issued() -> None:
    signer = SessionSigner("secret-one")
    session = signer.issue()
    assert signer.sender_of(session).startswith("web-")
    for forged in (None, "", "x", "+14155550134", session + "0", session.split(".")[0] + ".0"):
        with pytest.raises(BadSession):
            signer.sender_of(forged)
    with pytest.raises(BadSession):
        SessionSigner("secret-two").sender_of(session)


def test_widget_files_and_demo_page_are_served(web_stack: Stack) -> None:
    page = httpx.get(url(web_stack, "/"), timeout=10)
    assert page.status_code == 200 and "data-parley-chat" in page.text
    script = httpx.get(url(web_stack, "/parley-chat.js"), timeout=10)
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert httpx.get(url(web_stack, "/parley-chat.css"), timeout=10).status_code == 200
    assert httpx.get(url(web_stack, "/../../etc/passwd"), timeout=10).status_code == 404
    assert httpx.get(url(web_stack, "/secrets.txt"), timeout=10).status_code == 404


def test_a_conversation_is_kept_and_replayed_as_history(web_stack: Stack) -> None:
    session = new_session(web_stack)
    first = say(web_stack, session, "/greet", None)
    assert any("automated assistant" in str(m.get("text", "")).lower() for m in first)
    say(web_stack, session, "/request_demo", shown="Book a demo")
    say(web_stack, session, "Dana Reyes")
    history = httpx.get(url(web_stack, "/history"), params={"session": session}, timeout=10).json()
    texts = [(m["from"], m["text"]) for m in history["messages"]]
    assert ("person", "Book a demo") in texts and ("person", "Dana Reyes") in texts
    assert texts[-1] == ("bot", "What's the best email address to reach you?")
    sender = SessionSigner(web_stack.settings.webchat_secret.value).sender_of(session)
    contact = web_stack.store.contacts.for_identity("web", sender)
    assert contact is not None and contact.name == "Dana Reyes"


def test_history_of_a_new_session_is_empty(web_stack: Stack) -> None:
    reply = httpx.get(
        url(web_stack, "/history"), params={"session": new_session(web_stack)}, timeout=10
    )
    assert reply.json() == {"messages": [], "cursor": 0}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"message": "hi"}', 403),
        (b'{"session": "+14155550134", "message": "hi"}', 403),
        (None, 400),  # a valid session but no message: filled in below
    ],
)
def test_bad_requests_are_refused_and_nothing_is_stored(
    web_stack: Stack, body: bytes | None, status: int
) -> None:
    before = web_stack.store.contacts.count()
    if body is None:
        body = b'{"session": "%s", "message": 42}' % new_session(web_stack).encode()
    reply = httpx.post(
        url(web_stack, "/message"),
        content=body,
        timeout=10,
        headers={"Content-Type": "application/json"},
    )
    assert reply.status_code == status, reply.text
    assert "error" in reply.json()
    assert web_stack.store.contacts.count() == before


def test_oversized_messages_are_refused(web_stack: Stack) -> None:
    body = {"session": new_session(web_stack), "message": "x" * 5000}
    assert httpx.post(url(web_stack, "/message"), json=body, timeout=10).status_code == 400


def test_forged_session_cannot_read_history(web_stack: Stack) -> None:
    reply = httpx.get(url(web_stack, "/history"), params={"session": "0" * 32 + ".x"}, timeout=10)
    assert reply.status_code == 403


def test_cors_only_for_configured_origins(web_stack: Stack) -> None:
    # The widget posts text/plain JSON, a "simple" request: no preflight is needed.
    session = httpx.post(url(web_stack, "/session"), headers={"Origin": ORIGIN}, timeout=10)
    assert session.headers["access-control-allow-origin"] == ORIGIN
    body = {"session": session.json()["session"], "message": "hello"}
    allowed = httpx.post(
        url(web_stack, "/message"),
        json=body,
        headers={"Origin": ORIGIN, "Content-Type": "text/plain;charset=UTF-8"},
        timeout=60,
    )
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ORIGIN
    other = httpx.post(
        url(web_stack, "/session"), headers={"Origin": "https://evil.test"}, timeout=10
    )
    assert "access-control-allow-origin" not in other.headers
    assert allowed.headers.get_list("access-control-allow-origin") == [ORIGIN]  # exactly once


def test_signed_identities_are_refused_while_no_identity_secret_is_set(web_stack: Stack) -> None:
    reply = httpx.post(url(web_stack, "/session"), json={"identity": "a.b.c"}, timeout=10)
    assert reply.status_code == 400
    assert "PARLEY_WEBCHAT_IDENTITY_SECRET" in reply.json()["error"]
