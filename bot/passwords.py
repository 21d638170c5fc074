"""Studio passwords: Argon2id through argon2-cffi, with its current recommended costs."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.errors import InvalidField

MIN_LENGTH = 12
_HASHER = PasswordHasher()


def check_strength(password: str) -> None:
    """Length is what matters (NIST SP 800-63B); no composition rules."""
    if len(password) < MIN_LENGTH:
        raise InvalidField("password", f"use at least {MIN_LENGTH} characters")
    if len(password) > 1024:
        raise InvalidField("password", "use at most 1,024 characters")


def hash_password(password: str) -> str:
    check_strength(password)
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


# Verified when an unknown email logs in, so a wrong email costs the same time as a wrong
# password and the login form does not reveal who has an account.
DUMMY_HASH = _HASHER.hash("not a password anyone has")
