"""Rate limits on the public chat endpoints (#17): per conversation and per client
address, a 429 with Retry-After; loopback callers exempt from the address limit; behind
a trusted proxy the forwarded address counts, and hops the client wrote do not."""

from __future__ import annotations

import ipaddress
import uuid

import httpx
import pytest

from channels.rate_limits import Limit, TokenBuckets, address_key, client_address
from tests.e2e.conftest import Stack
from tests.security import public_chat
from tests.security.public_chat import ADDRESS_BURST, CONVERSATION_BURST, rest_post, webchat_url

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

chat_stack, chat_twilio, chat_telegram = (
    public_chat.chat_stack,
    public_chat.chat_twilio,
    public_chat.chat_telegram,
)

LOOPBACK = [ipaddress.ip_network("127.0.0.1/32")]


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_the_burst_then_says_how_long_to_wait() -> None:
    clock = Clock()
    buckets = TokenBuckets(Limit(rate=2.0, burst=3), clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.take("b") == 0.0  # another key has its own bucket
    clock.now += 0.25
    assert buckets.take("a") == pytest.approx(0.25)
    clock.now += 0.25
    assert buckets.take("a") == 0.0
    clock.now += 60
    assert [buckets.take("a") for _ in range(4)][-1] > 0  # refilled only up to the burst


def test_buckets_forget_the_least_recently_used_past_their_size() -> None:
    clock = Clock()
    buckets = TokenBuckets(Limit(rate=0.001, burst=1), max_keys=2, clock=clock)
    for key in ("a", "b"):
        buckets.take(key)
    assert buckets.take("a") > 0 and buckets.take("b") > 0
    buckets.take("c")  # "a" was used longest ago
    assert buckets.take("a") == 0.0


def test_forwarded_for_counts_only_from_a_trusted_proxy() -> None:
    assert client_address("203.0.113.9", "198.51.100.7", ()) == "203.0.113.9"
    assert client_address("203.0.113.9", "198.51.100.7", LOOPBACK) == "203.0.113.9"
    assert client_address("127.0.0.1", "198.51.100.7", LOOPBACK) == "198.51.100.7"
    assert client_address("127.0.0.1", None, LOOPBACK) == "127.0.0.1"


def test_hops_the_client_wrote_into_forwarded_for_are_ignored() -> None:
    proxies = [*LOOPBACK, ipaddress.ip_network("10.0.0.0/8")]
    # The client sent "X-Forwarded-For: 1.2.3.4"; the proxies appended what they saw.
    assert client_address("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.2", proxies) == (
        "198.51.100.7"
    )
    assert client_address("127.0.0.1", "not-an-ip, 198.51.100.7", proxies) == "198.51.100.7"
    assert client_address("127.0.0.1", "::ffff:198.51.100.8", proxies) == "198.51.100.8"


def test_ipv6_clients_share_a_bucket_per_64() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("198.51.100.7") == "198.51.100.7"


# ------------------------------------------------------------------ on a running stack


def _sender() -> str:
    return f"flood-{uuid.uuid4().hex[:10]}"


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def assert_throttled(reply: httpx.Response, scope: str) -> None:
    assert reply.status_code == 429, reply.text
    assert int(reply.headers["Retry-After"]) >= 1
    assert scope in reply.json()["error"]


def test_rest_conversation_gets_a_429_after_its_burst(chat_stack: Stack) -> None:
    sender = _sender()
    for _ in range(CONVERSATION_BURST):
        assert rest_post(chat_stack, {"sender": sender, "message": " "}).status_code == 200
    assert_throttled(
        rest_post(chat_stack, {"sender": sender, "message": "hello"}), "this conversation"
    )
    assert rest_post(chat_stack, {"sender": _sender(), "message": " "}).status_code == 200


def test_rest_client_address_gets_a_429_behind_a_trusted_proxy(chat_stack: Stack) -> None:
    headers = {**chat_stack.rest_headers(), **_from("198.51.100.10")}
    for _ in range(ADDRESS_BURST):
        reply = rest_post(chat_stack, {"sender": _sender(), "message": " "}, headers)
        assert reply.status_code == 200, reply.text
    body = {"sender": _sender(), "message": "hello"}
    assert_throttled(rest_post(chat_stack, body, headers), "this address")
    # A hop the client wrote itself does not make it someone else.
    spoofed = {**headers, "X-Forwarded-For": "192.0.2.1, 198.51.100.10"}
    assert_throttled(rest_post(chat_stack, body, spoofed), "this address")
    other = {**chat_stack.rest_headers(), **_from("198.51.100.11")}
    assert rest_post(chat_stack, body, other).status_code == 200


def test_loopback_callers_are_exempt_from_the_address_limit(chat_stack: Stack) -> None:
    for _ in range(ADDRESS_BURST + 4):
        assert rest_post(chat_stack, {"sender": _sender(), "message": " "}).status_code == 200


def test_webchat_conversation_gets_a_429_after_its_burst(chat_stack: Stack) -> None:
    session = httpx.post(webchat_url(chat_stack, "/session"), timeout=10).json()["session"]
    body = {"session": session, "message": " "}
    for _ in range(CONVERSATION_BURST):
        reply = httpx.post(webchat_url(chat_stack, "/message"), json=body, timeout=60)
        assert reply.status_code == 200, reply.text
    reply = httpx.post(webchat_url(chat_stack, "/message"), json=body, timeout=60)
    assert_throttled(reply, "this conversation")
    assert httpx.get(webchat_url(chat_stack, f"/history?session={session}"), timeout=30).is_success


def test_webchat_sessions_are_limited_per_client_address(chat_stack: Stack) -> None:
    url = webchat_url(chat_stack, "/session")
    for _ in range(ADDRESS_BURST):
        assert httpx.post(url, headers=_from("198.51.100.12"), timeout=10).status_code == 200
    assert_throttled(httpx.post(url, headers=_from("198.51.100.12"), timeout=10), "this address")
    assert httpx.post(url, headers=_from("198.51.100.13"), timeout=10).status_code == 200
