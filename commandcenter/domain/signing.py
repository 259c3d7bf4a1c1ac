"""AK/SK request signing of the data center's interfaces (contract §2).

Both sides use this: the feed client signs, the simulator verifies. Query values
are *not* URL-encoded in the string to sign, so callers pass decoded pairs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

HEADER_KEY = "X-Ca-Key"
HEADER_TIMESTAMP = "X-Ca-Timestamp"
HEADER_NONCE = "X-Ca-Nonce"
HEADER_SIGNATURE = "X-Ca-Signature"

# A timestamp further than this from the server's clock is refused (0x02401004),
# and a nonce is remembered for as long.
MAX_CLOCK_SKEW_MS = 15 * 60 * 1000


def canonical_path(path: str, query: Iterable[tuple[str, str]]) -> str:
    """Path plus query parameters sorted by name, `name=value` joined by `&`, not encoded."""
    pairs = sorted(query, key=lambda kv: (kv[0], kv[1]))
    if not pairs:
        return path
    return path + "?" + "&".join(f"{name}={value}" for name, value in pairs)


def string_to_sign(
    method: str,
    *,
    accept: str | None,
    content_md5: str | None,
    content_type: str | None,
    ak: str,
    nonce: str,
    timestamp: str,
    path_and_query: str,
) -> str:
    """The text a request's signature is computed over."""
    return "\n".join(
        [
            method.upper(),
            accept or "",
            content_md5 or "",
            content_type or "",
            f"x-ca-key:{ak}",
            f"x-ca-nonce:{nonce}",
            f"x-ca-timestamp:{timestamp}",
            path_and_query,
        ]
    )


def signature(sk: str, text: str) -> str:
    """The HMAC-SHA256 signature of `text` with the SK, as the contract encodes it."""
    digest = hmac.new(sk.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signatures_match(expected: str, given: str) -> bool:
    """Compare two signatures in constant time."""
    return hmac.compare_digest(
        expected.encode("ascii", "replace"), given.encode("ascii", "replace")
    )
