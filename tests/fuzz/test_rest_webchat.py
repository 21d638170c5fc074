"""The REST channel and the web chat under hostile input: a 400/403/404 for what is
malformed or forged (and nothing stored), an answer for hostile but well-formed text."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.e2e.conftest import rest_id
from tests.fuzz.conftest import (
    Fuzzer,
    FuzzStack,
    any_text,
    assert_new_values_as_given,
    content_types,
    fuzz_settings,
    hostile_text,
    identities,
    json_values,
    junk_bodies,
    lead_values,
    settled_counts,
    stored_as_given,
    with_content_type,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.fuzz]

REST = "/webhooks/rest/webhook"
WEBCHAT = "/webhooks/webchat"


def _not_a_rest_body(raw: bytes) -> bool:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return True
    sender = body.get("sender") if isinstance(body, dict) else None
    return not isinstance(sender, str) or not sender.strip() or len(sender) > 256


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value).encode()


malformed_rest_bodies = st.one_of(
    junk_bodies,
    json_values.map(_json_bytes),
    st.fixed_dictionaries({"sender": json_values, "message": json_values}).map(_json_bytes),
    st.fixed_dictionaries(
        {"sender": hostile_text, "message": json_values, "metadata": json_values}
    ).map(_json_bytes),
).filter(lambda raw: _not_a_rest_body(raw) or not isinstance(json.loads(raw).get("message"), str))


def test_rest_malformed_bodies_are_400_and_store_nothing(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    before = settled_counts(fuzz_stack.stack)

    @fuzz_settings(3)
    @given(body=malformed_rest_bodies, content_type=content_types)
    def case(body: bytes, content_type: str | None) -> None:
        reply = fuzzer.send(
            "rest webhook (malformed)",
            "POST",
            fuzz_stack.rasa + REST,
            content=body,
            headers=with_content_type(content_type),
        )
        assert reply.status_code == 400, reply.text

    case()
    assert settled_counts(fuzz_stack.stack) == before
    fuzz_stack.assert_alive()


def test_rest_hostile_texts_get_an_answer_and_only_what_was_said_is_stored(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    said: list[str] = []
    senders: set[str] = set()
    known, before = identities(fuzz_stack.stack), lead_values(fuzz_stack.stack)

    @fuzz_settings(0.5)
    @given(
        sender=hostile_text.filter(lambda s: 0 < len(s.strip()) <= 256),
        text=hostile_text,
        metadata=st.none() | st.dictionaries(any_text, json_values, max_size=3),
    )
    def case(sender: str, text: str, metadata: dict[str, Any] | None) -> None:
        said.append(text)
        senders.add(sender.strip())
        body = {"sender": sender, "message": text, "metadata": metadata}
        reply = fuzzer.send(
            "rest webhook (hostile text)", "POST", fuzz_stack.rasa + REST, json=body
        )
        assert reply.status_code == 200
        assert all(isinstance(m, dict) for m in reply.json())

    case()
    settled_counts(fuzz_stack.stack)
    new = identities(fuzz_stack.stack) - known
    assert {external for _, external in new} <= {rest_id(s) for s in senders}, new
    assert_new_values_as_given(fuzz_stack.stack, before, said)


def test_rest_hostile_lead_answers_are_stored_as_given_or_not_at_all(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    before = lead_values(fuzz_stack.stack)

    @fuzz_settings(0.3)
    @given(answer=hostile_text)
    def case(answer: str) -> None:
        sender = f"fuzz-lead-{uuid.uuid4().hex[:12]}"
        for text in ("i'd like to see a demo of the product", answer):
            reply = fuzzer.send(
                "rest webhook (lead answers)",
                "POST",
                fuzz_stack.rasa + REST,
                json={"sender": sender, "message": text},
            )
            assert reply.status_code == 200
        contact = fuzz_stack.store.contacts.for_identity("rest", rest_id(sender))
        if contact is None:
            return
        for name in ("name", "company", "role", "need", "email", "phone"):
            value = getattr(contact, name)
            if value and before.get(contact.id, {}).get(name) != value:
                assert stored_as_given(name, value, [answer]), (name, value, answer)

    case()
    fuzz_stack.assert_alive()


def test_rest_health_route_ignores_hostile_queries_and_headers(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    @fuzz_settings(1)
    @given(query=st.dictionaries(hostile_text, hostile_text, max_size=5),
           method=st.sampled_from(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"]))  # fmt: skip
    def case(query: dict[str, str], method: str) -> None:
        reply = fuzzer.send(
            "rest health", method, fuzz_stack.rasa + "/webhooks/rest/", params=query
        )
        # 413/414: Sanic refuses a request line or headers over its limits before routing.
        assert reply.status_code in (200, 204, 404, 405, 413, 414), reply.status_code

    case()


# ------------------------------------------------------------------ web chat


def _session(fuzz_stack: FuzzStack, fuzzer: Fuzzer) -> str:
    reply = fuzzer.send("webchat session", "POST", fuzz_stack.rasa + f"{WEBCHAT}/session")
    assert reply.status_code == 200
    session: str = reply.json()["session"]
    return session


forged_sessions = st.one_of(
    json_values,
    st.builds(
        lambda a, b: f"{a}.{b}",
        st.text("0123456789abcdef", min_size=32, max_size=32),
        st.text("0123456789abcdef", max_size=40),
    ),
)


def test_webchat_forged_sessions_and_junk_are_refused_and_store_nothing(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    before = settled_counts(fuzz_stack.stack)
    message_url = fuzz_stack.rasa + f"{WEBCHAT}/message"

    @fuzz_settings(3)
    @given(
        session=forged_sessions,
        message=json_values,
        junk=junk_bodies,
        content_type=content_types,
        as_junk=st.booleans(),
    )
    def case(
        session: Any, message: Any, junk: bytes, content_type: str | None, as_junk: bool
    ) -> None:
        body = junk if as_junk else _json_bytes({"session": session, "message": message})
        reply = fuzzer.send(
            "webchat message (forged/junk)",
            "POST",
            message_url,
            content=body,
            headers=with_content_type(content_type),
        )
        assert reply.status_code in (400, 403), reply.text
        history = fuzzer.send(
            "webchat history (forged)",
            "GET",
            fuzz_stack.rasa + f"{WEBCHAT}/history",
            params={"session": session if isinstance(session, str) else json.dumps(session)},
        )
        assert history.status_code in (403, 413, 414)  # a huge forged session: too large
        updates = fuzzer.send(
            "webchat updates (forged)",
            "GET",
            fuzz_stack.rasa + f"{WEBCHAT}/updates",
            params={"session": session if isinstance(session, str) else json.dumps(session),
                    "after": "0"},
        )  # fmt: skip
        assert updates.status_code in (403, 413, 414)

    case()
    assert settled_counts(fuzz_stack.stack) == before
    fuzz_stack.assert_alive()


def test_webchat_hostile_messages_in_a_real_session_get_an_answer(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    session = _session(fuzz_stack, fuzzer)
    said: list[str] = []
    before = lead_values(fuzz_stack.stack)

    @fuzz_settings(0.4)
    @given(message=hostile_text, shown=st.none() | json_values)
    def case(message: str, shown: Any) -> None:
        said.append(message)
        reply = fuzzer.send(
            "webchat message (hostile text)",
            "POST",
            fuzz_stack.rasa + f"{WEBCHAT}/message",
            json={"session": session, "message": message, "shown": shown},
        )
        assert reply.status_code == 200 if len(message) <= 4000 else 400
        history = fuzzer.send(
            "webchat history",
            "GET",
            fuzz_stack.rasa + f"{WEBCHAT}/history",
            params={"session": session},
        )
        assert history.status_code == 200

    case()
    settled_counts(fuzz_stack.stack)
    assert_new_values_as_given(fuzz_stack.stack, before, said)


def test_webchat_updates_take_only_a_cursor(fuzz_stack: FuzzStack, fuzzer: Fuzzer) -> None:
    session = _session(fuzz_stack, fuzzer)

    @fuzz_settings(0.3)
    @given(after=hostile_text)
    def case(after: str) -> None:
        reply = fuzzer.send(
            "webchat updates (hostile cursor)",
            "GET",
            fuzz_stack.rasa + f"{WEBCHAT}/updates",
            params={"session": session, "after": after},
        )
        # No cursor (Sanic drops a blank one) reads from the start.
        cursor = after.isascii() and after.isdigit() and len(after) <= 12
        expected = (200,) if cursor or not after else (400,)
        assert reply.status_code in (*expected, 414), (after, reply.text)

    case()
    fuzz_stack.assert_alive()


TRAVERSALS = (
    "..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fpyproject.toml",
    "....//....//etc/passwd", "..\\..\\windows\\win.ini", "parley-chat.js%00.html",
    "index.html/..", "%c0%ae%c0%ae/%c0%ae%c0%ae", "parley-chat.js?x=../../",
)  # fmt: skip


def test_webchat_static_routes_serve_only_their_files(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    @fuzz_settings(1)
    @given(name=st.sampled_from(TRAVERSALS) | any_text.map(lambda t: quote(t, safe="")))
    def case(name: str) -> None:
        reply = fuzzer.send("webchat static", "GET", f"{fuzz_stack.rasa}{WEBCHAT}/{name}")
        assert reply.status_code in (200, 404), reply.status_code
        assert b"root:" not in reply.content and b"[tool.ruff]" not in reply.content

    case()


def test_rasa_port_survives_broken_http(fuzz_stack: FuzzStack, fuzzer: Fuzzer) -> None:
    @fuzz_settings(1)
    @given(
        line=st.binary(max_size=300),
        header=st.binary(max_size=300),
        path=st.sampled_from(
            [REST, f"{WEBCHAT}/message", "/webhooks/twilio/webhook", "/webhooks/telegram/webhook"]
        ),
    )
    def case(line: bytes, header: bytes, path: str) -> None:
        request = (
            b"POST "
            + path.encode()
            + line
            + b" HTTP/1.1\r\nHost: x\r\n"
            + header
            + b"\r\nContent-Length: 2\r\n\r\n{}"
        )
        fuzzer.raw("rasa raw HTTP", fuzz_stack.rasa_port, request)

    case()
    fuzz_stack.assert_alive()


# ------------------------------------------------------------------ regressions

# Valid-looking JSON that Python's decoder refuses with something other than a
# JSONDecodeError: both were a 500 from the REST channel and the web chat.
UNUSABLE_JSON = {
    "deep-nesting": b"[" * 50_000 + b"]" * 50_000,
    "huge-integer": b'{"sender": "a", "message": "b", "n": ' + b"1" * 5000 + b"}",
}


@pytest.mark.parametrize("body", UNUSABLE_JSON.values(), ids=UNUSABLE_JSON.keys())
@pytest.mark.parametrize("path", [REST, f"{WEBCHAT}/message"])
def test_unusable_json_is_a_400_not_a_500(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer, path: str, body: bytes
) -> None:
    reply = fuzzer.send(
        "regressions",
        "POST",
        fuzz_stack.rasa + path,
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert reply.status_code == 400
