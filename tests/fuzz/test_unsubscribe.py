"""The unsubscribe link under hostile input: forged tokens are a 404 that stores nothing;
a genuine link with junk bodies and headers withdraws consent and keeps the evidence as
it was given."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import Secret
from bot.unsubscribe import unsubscribe_token
from tests.fuzz.conftest import (
    UNSUBSCRIBE_SECRET,
    Fuzzer,
    FuzzStack,
    any_text,
    content_types,
    fuzz_settings,
    header_values,
    junk_bodies,
    settled_counts,
    with_content_type,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.fuzz]

PREFIX = "/webhooks/unsubscribe/u/"
SECRET = Secret(UNSUBSCRIBE_SECRET)


def _forged(contact_id: str, kind: str, junk: str) -> str:
    genuine = unsubscribe_token(contact_id, SECRET)
    if kind == "other secret":
        return unsubscribe_token(contact_id, Secret(UNSUBSCRIBE_SECRET + "x"))
    if kind == "truncated":
        return genuine[:-1]
    if kind == "flipped":
        return genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    return quote(junk, safe="") or "x"


def test_unsubscribe_forged_tokens_are_404_and_store_nothing(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    contact = fuzz_stack.store.contacts.ensure("web", f"fuzz-unsub-{uuid.uuid4().hex}")
    before = settled_counts(fuzz_stack.stack)

    @fuzz_settings(2)
    @given(
        kind=st.sampled_from(["other secret", "truncated", "flipped", "junk"]),
        junk=any_text,
        method=st.sampled_from(["GET", "POST"]),
        body=junk_bodies,
        content_type=content_types,
    )
    def case(kind: str, junk: str, method: str, body: bytes, content_type: str | None) -> None:
        url = fuzz_stack.rasa + PREFIX + _forged(contact.id, kind, junk)
        reply = fuzzer.send(
            "unsubscribe (forged)",
            method,
            url,
            content=body,
            headers=with_content_type(content_type),
        )
        assert reply.status_code in (404, 405), reply.status_code

    case()
    assert settled_counts(fuzz_stack.stack) == before
    fuzz_stack.assert_alive()


def test_unsubscribe_genuine_links_survive_junk_and_keep_the_user_agent_as_sent(
    fuzz_stack: FuzzStack, fuzzer: Fuzzer
) -> None:
    @fuzz_settings(0.5)
    @given(
        body=junk_bodies | st.just(b"List-Unsubscribe=One-Click"),
        content_type=content_types,
        agent=header_values,
        method=st.sampled_from(["GET", "POST"]),
    )
    def case(body: bytes, content_type: str | None, agent: str, method: str) -> None:
        contact = fuzz_stack.store.contacts.ensure("web", f"fuzz-unsub-{uuid.uuid4().hex}")
        url = fuzz_stack.rasa + PREFIX + unsubscribe_token(contact.id, SECRET)
        headers = {**with_content_type(content_type), "User-Agent": agent}
        reply = fuzzer.send("unsubscribe (genuine)", method, url, content=body, headers=headers)
        assert reply.status_code == 200
        if method == "GET":
            return
        history = fuzz_stack.store.consent.history(contact.id)
        assert [e.granted for e in history] == [False]
        kept = history[0].evidence.get("user_agent")
        assert kept == (agent.strip()[:300] or None), (kept, agent)

    case()
    fuzz_stack.assert_alive()
