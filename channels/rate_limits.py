"""How often the public chat endpoints answer one client address or one conversation.

Token buckets in this process's memory: each key may spend `burst` calls at once, then
`rate` a second. Several Rasa servers each keep their own buckets, so behind a load
balancer the real allowance is at most that many times larger; that is fine for what
these are for (one script flooding one server), and needs no shared state.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import ChatSettings, IPNetwork

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_KEYS = 100_000
FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


@dataclass(frozen=True)
class Limit:
    rate: float  # calls a second, once the burst is spent
    burst: int


class TokenBuckets:
    """One bucket per key; past `max_keys` the least recently used is forgotten."""

    def __init__(
        self,
        limit: Limit,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limit = limit
        self._max = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """Spend one call: 0.0 when allowed, otherwise the seconds until the next one."""
        now = self._clock()
        tokens = self._tokens(key, now)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self._limit.rate
        self._buckets[key] = (tokens - 1.0, now)
        self._buckets.move_to_end(key)
        self._evict()
        return 0.0

    def _tokens(self, key: str, now: float) -> float:
        kept = self._buckets.get(key)
        if kept is None:
            return float(self._limit.burst)
        tokens, then = kept
        return min(float(self._limit.burst), tokens + (now - then) * self._limit.rate)

    def _evict(self) -> None:
        while len(self._buckets) > self._max:
            oldest = next(iter(self._buckets))
            # An evicted bucket comes back full: the oldest has been refilling longest.
            del self._buckets[oldest]


def client_address(peer: str, forwarded_for: str | None, trusted: Sequence[IPNetwork]) -> str:
    """Who is calling: the peer, or behind trusted proxies the last untrusted hop they
    name in X-Forwarded-For (the hops before it are whatever the client wrote)."""
    address = _address(peer)
    if address is None or not forwarded_for or not _within(address, trusted):
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        named = _address(hop)
        if named is None:
            break
        address = named
        if not _within(named, trusted):
            break
    return str(address)


def _address(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _within(address: IPAddress, networks: Sequence[IPNetwork]) -> bool:
    return any(address in network for network in networks)


def address_key(address: str) -> str:
    """IPv6 clients get a /64 each, so one bucket covers a whole network's addresses."""
    parsed = _address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed) if parsed is not None else address


def is_loopback(address: str) -> bool:
    parsed = _address(address)
    return parsed is not None and parsed.is_loopback


class ChatLimits:
    """Per client address and per conversation limits for one chat connector."""

    def __init__(
        self,
        settings: ChatSettings,
        trusted_proxies: Sequence[IPNetwork] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._trusted = tuple(trusted_proxies)
        self._warned = False
        self._addresses = TokenBuckets(
            Limit(settings.address_rate, settings.address_burst), clock=clock
        )
        self._conversations = TokenBuckets(
            Limit(settings.conversation_rate, settings.conversation_burst), clock=clock
        )

    def client_of(self, request: Request) -> str:
        return client_address(request.ip, request.headers.get("x-forwarded-for"), self._trusted)

    def check_address(self, request: Request) -> HTTPResponse | None:
        """A 429 when this client has called too often; None when it may go on."""
        address = self.client_of(request)
        if is_loopback(address):
            # Local callers (tests, `parley shell`, the studio) share one address by design.
            if not _forwarded(request):
                return None
            self._warn_untrusted_proxy()
        return too_many(self._addresses.take(address_key(address)), "this address")

    def _warn_untrusted_proxy(self) -> None:
        if not self._warned:
            self._warned = True
            logger.warning(
                "chat requests arrive through a local proxy that is not in "
                "PARLEY_TRUSTED_PROXIES: all its visitors share one rate limit"
            )

    def check_conversation(self, conversation_id: str) -> HTTPResponse | None:
        return too_many(self._conversations.take(conversation_id), "this conversation")


def _forwarded(request: Request) -> bool:
    # A proxy on this machine that is not listed as trusted makes every visitor look
    # local: such requests are limited as the proxy's address rather than exempt.
    return any(request.headers.get(name) for name in FORWARDING_HEADERS)


def too_many(wait_s: float, scope: str) -> HTTPResponse | None:
    if wait_s <= 0:
        return None
    seconds = max(1, math.ceil(wait_s))
    return response.json(
        {"error": f"too many messages from {scope}; try again in {seconds} s"},
        status=429,
        headers={"Retry-After": str(seconds), "Cache-Control": "no-store"},
    )
