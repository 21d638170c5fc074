"""Outbound event webhooks: signed POSTs of integration events to subscribers.

Each delivery carries the event id (`X-Parley-Event-Id`, also in the body) and an
HMAC-SHA256 signature over timestamp and body (`X-Parley-Signature: t=...,v1=...`, the
scheme of handoff webhooks: `bot.handoff.verify` is what a receiver does, rejecting
anything older than five minutes). Failures retry with backoff; after the last try a
delivery is `failed`, listed by `parley webhooks failed` until `parley webhooks retry`.
The same event may arrive twice (a timeout after the receiver saved it): its id makes
the second one safe to ignore.

Subscribers are other companies' servers on the internet: a URL must be https and every
address its host resolves to must be public (not private, loopback, link-local,
multicast or reserved), checked when subscribing and again at each delivery, whose
connection goes only to an address that passed the check (a DNS answer that changes in
between, "DNS rebinding", reaches nothing inside). PARLEY_WEBHOOKS_ALLOW_PRIVATE lifts
this for tests and labs.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import secrets
import socket
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

import httpcore
import httpx

from bot.delivery import Attempt, DeliveryReport, settle
from bot.errors import DeliveryFailed, InvalidField
from bot.handoff import post_signed
from bot.store import EVENT_TYPES, ProfileStore, WebhookDelivery

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def check_subscription(url: str, events: list[str], allow_private: bool = False) -> None:
    check_target(url, allow_private)
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown or not events:
        raise InvalidField(
            "events", f"{', '.join(unknown) or 'none given'}: choose from {', '.join(EVENT_TYPES)}"
        )


def check_target(url: str, allow_private: bool = False) -> None:
    """Raise InvalidField unless `url` is https to a host whose every address is public."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number, a broken IPv6 literal
        raise InvalidField("url", f"{url!r} is not a URL") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes or not host:
        raise InvalidField("url", f"{url!r}: use an https:// URL")
    if not allow_private:
        public_addresses(host, port or 443)


def public_addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, if all of them are public; else InvalidField."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise InvalidField("url", f"{host} does not resolve ({error})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    for address in addresses:
        if not is_public(address):
            raise InvalidField(
                "url",
                f"{host} is {address}, a private, loopback, link-local "
                "or reserved address (PARLEY_WEBHOOKS_ALLOW_PRIVATE)",
            )
    return addresses


def is_public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])  # fe80::1%eth0: a zone, so local
    except ValueError:
        return False
    return all(_global(a) for a in _embedded(ip))


def _embedded(ip: Address) -> Iterable[Address]:
    """The address and any IPv4 address carried inside it (mapped, 6to4, Teredo)."""
    yield ip
    if isinstance(ip, ipaddress.IPv6Address):
        inside = (ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ()))
        yield from (a for a in inside if a is not None)


def _global(ip: Address) -> bool:
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_reserved
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_unspecified
        or ip.is_private
    )


class _PublicOnly(httpcore.NetworkBackend):
    """Connects only to an address that passed the check, resolved at that moment."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            address = public_addresses(host, port)[0]
        except InvalidField as refused:
            raise httpcore.ConnectError(refused.reason) from None
        return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("webhooks go to public addresses, never a socket file")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def public_client() -> httpx.Client:
    """An HTTP client that reaches public addresses only, and never through a proxy
    from the environment (the proxy would do the resolving)."""
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=_PublicOnly()
    )
    return httpx.Client(transport=transport, trust_env=False)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(
        {
            "id": delivery.event_id,
            "type": delivery.type,
            "occurred_at": delivery.occurred_at.isoformat(),
            "data": delivery.data,
        },
        separators=(",", ":"),
    ).encode()


def post(
    delivery: WebhookDelivery, client: httpx.Client, allow_private: bool = False
) -> tuple[bool, bool, str]:
    """(delivered, worth retrying, what happened)."""
    try:
        check_target(delivery.url, allow_private)
    except InvalidField as refused:
        return False, False, f"refused: {refused.reason}"
    try:
        post_signed(delivery.url, delivery.secret, delivery.event_id, body_of(delivery), client)
    except DeliveryFailed as failure:
        return False, failure.retryable, failure.reason
    return True, False, "delivered"


def deliver_due(
    store: ProfileStore,
    now: datetime,
    client: httpx.Client | None = None,
    limit: int = 50,
    allow_private: bool = False,
) -> DeliveryReport:
    """Send every due delivery once; retries are scheduled, last failures kept."""
    due = store.outbox.claim_due_webhooks(now, limit=limit)
    if not due:
        return DeliveryReport()
    if client is not None:
        return _deliver(store, due, client, now, allow_private)
    with httpx.Client() if allow_private else public_client() as own:
        return _deliver(store, due, own, now, allow_private)


def _deliver(
    store: ProfileStore,
    due: list[WebhookDelivery],
    client: httpx.Client,
    now: datetime,
    allow_private: bool,
) -> DeliveryReport:
    tries = (_try(delivery, client, allow_private) for delivery in due)
    return settle(store.outbox.finish_webhook, tries, MAX_ATTEMPTS, now)


def _try(delivery: WebhookDelivery, client: httpx.Client, allow_private: bool) -> Attempt:
    ok, retryable, what = post(delivery, client, allow_private)
    if ok:
        return Attempt(delivery.id, delivery.attempts)
    logger.warning(
        "webhook %s to %s (try %d): %s", delivery.event_id, delivery.url, delivery.attempts, what
    )
    return Attempt(delivery.id, delivery.attempts, what, retryable)
