"""API tokens: `pk_<id>_<secret>`, scoped (read, write, privacy); only a hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

SCOPES = ("read", "write", "privacy")
_TOKEN = re.compile(r"pk_([a-z0-9]{12})_([A-Za-z0-9_-]{32,64})")


@dataclass(frozen=True)
class IssuedToken:
    token_id: str
    secret_hash: str
    token: str = ""  # shown once, never stored


def issue() -> IssuedToken:
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return IssuedToken(token_id, hash_secret(secret), f"pk_{token_id}_{secret}")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split(token: str) -> tuple[str, str] | None:
    """(token id, secret) of a well-formed token, else None."""
    match = _TOKEN.fullmatch(token.strip())
    return None if match is None else (match.group(1), match.group(2))


def matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), secret_hash)


def check_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValueError(f"scopes must be some of {', '.join(SCOPES)}, not {unknown or 'none'}")
    return sorted(set(scopes), key=SCOPES.index)
