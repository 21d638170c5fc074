"""Unsubscribe links for marketing email: signed tokens, their URL and the mail headers.

A token is `<contact id>.<MAC>`, the MAC being HMAC-SHA256 over the contact id keyed with
PARLEY_UNSUBSCRIBE_SECRET, cut to 128 bits and base64url-encoded without padding. Links
never expire: a person must be able to unsubscribe from a years-old email.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from bot.settings import Secret
from bot.types import ContactId

PATH_PREFIX = "/webhooks/unsubscribe/u/"
ONE_CLICK_BODY = "List-Unsubscribe=One-Click"  # RFC 8058
_MAC_BYTES = 16
_CONTACT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TOKEN = re.compile(r"([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{22})")


def unsubscribe_token(contact_id: ContactId, secret: Secret) -> str:
    if not _CONTACT_ID.fullmatch(contact_id):
        raise ValueError(f"contact id {contact_id!r} is not 1-64 URL-safe characters")
    return f"{contact_id}.{_mac(contact_id, secret)}"


def contact_for_token(token: str, secret: Secret) -> ContactId | None:
    """The contact id a token was issued for; None for anything forged or malformed."""
    match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        return None
    contact_id, given = match.groups()
    if not hmac.compare_digest(given.encode(), _mac(contact_id, secret).encode()):
        return None
    return ContactId(contact_id)


def unsubscribe_url(public_url: str, contact_id: ContactId, secret: Secret) -> str:
    return f"{public_url.rstrip('/')}{PATH_PREFIX}{unsubscribe_token(contact_id, secret)}"


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers that give mail clients a one-click unsubscribe (RFC 2369, RFC 8058)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": ONE_CLICK_BODY}


def _mac(contact_id: str, secret: Secret) -> str:
    return signed_mac(b"parley-unsubscribe:", contact_id, secret)


def signed_mac(purpose: bytes, value: str, secret: Secret) -> str:
    """HMAC-SHA256 of `value` keyed with `secret`, cut to 128 bits, base64url without
    padding. The `purpose` prefix keeps MACs for different links apart."""
    digest = hmac.new(secret.value.encode(), purpose + value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_MAC_BYTES]).rstrip(b"=").decode()
