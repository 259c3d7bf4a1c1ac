"""Passwords of the local accounts: kept only as a salted scrypt hash, its parameters
written in the hash so that stronger ones can be chosen later without breaking the old.

The form is `scrypt$n$r$p$salt$hash`, salt and hash in base64. scrypt is memory-hard
(n=2**14, r=8: 16 MiB a try), so that a copy of the store does not give its passwords
up to a graphics card in an afternoon.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import secrets

MIN_LENGTH = 8
SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
# the most memory a stored hash may ask for: parameters come from the store, which is
# not to be trusted to keep a desk from a hash that would take all its memory
MAX_MEMORY = 256 * 1024 * 1024


class WeakPassword(ValueError):
    """A password refused before it is kept: empty, or too short."""


def check_strength(password: str) -> None:
    """Refuse a password not worth keeping, with the reason in words."""
    if not password:
        raise WeakPassword("the password is empty")
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"the password is shorter than {MIN_LENGTH} characters")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=MAX_MEMORY
    )


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """The password's hash as the store keeps it, with a fresh random salt."""
    check_strength(password)
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, n, r, p, HASH_BYTES)
    return "$".join(
        (
            SCHEME,
            str(n),
            str(r),
            str(p),
            base64.b64encode(salt).decode("ascii"),
            base64.b64encode(digest).decode("ascii"),
        )
    )


def verify_password(password: str, stored: str) -> bool:
    """Whether the password is the one `stored` was made from. A damaged or unknown
    hash verifies nothing; the comparison takes the same time wherever they differ."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME or not password:
        return False
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return False
    if not expected or n < 2 or n & (n - 1) or r < 1 or p < 1:
        return False
    try:
        digest = _scrypt(password, salt, n, r, p, len(expected))
    except (ValueError, MemoryError):  # parameters beyond what this machine allows
        return False
    return hmac.compare_digest(digest, expected)


@functools.cache
def _nobody() -> str:
    return hash_password(secrets.token_urlsafe(16))


def spend_as_long_as_a_check(password: str) -> None:
    """Take the time a verification takes, for a user name that has no account: a wrong
    user name takes as long to refuse as a wrong password, and does not tell which
    accounts exist."""
    verify_password(password or "-", _nobody())
