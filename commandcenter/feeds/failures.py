"""What stopped a request, in words an operator can act on.

requests and urllib3 wrap the system's error in three or four layers whose text
names pools and retries; the operator needs to know whether the host name was not
found, the port refused, the server spoke no TLS, or the connection broke after it
was made. Only the first kind means no connection was made at all, which is what
decides how long a one-off sync keeps trying.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass

import urllib3.exceptions

# OpenSSL's reasons when the other side answered a TLS handshake with something that
# is not TLS (most often a plain HTTP server's "400 Bad Request").
_NOT_TLS_REASONS = (
    "WRONG_VERSION_NUMBER",
    "RECORD_LAYER_FAILURE",
    "PACKET_LENGTH_TOO_LONG",
    "HTTP_REQUEST",
    "UNKNOWN_PROTOCOL",
)


@dataclass(frozen=True, slots=True)
class Failure:
    """A failure in words for the operator, and whether a connection was made."""

    connected: bool  # False: no connection was made (DNS, refused, unreachable, TLS)
    words: str


def causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and everything it wraps: arguments, causes, contexts, urllib3's reasons."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack += [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        stack += [
            c
            for c in (current.__cause__, current.__context__, getattr(current, "reason", None))
            if isinstance(c, BaseException)
        ]


def connection_failure(exc: BaseException, host: str) -> Failure:
    """A requests ConnectionError (or what it wraps) before any answer arrived."""
    found = list(causes(exc))
    for cause in found:
        if isinstance(cause, urllib3.exceptions.NameResolutionError | socket.gaierror):
            return Failure(False, _name_not_found(found, host))
    for cause in found:
        if isinstance(cause, ConnectionRefusedError):
            return Failure(False, f"the data center at {host} refused the connection")
    for cause in found:
        if isinstance(cause, ConnectionResetError):
            return Failure(True, "the connection was reset by the server before it answered")
        if type(cause).__name__ == "RemoteDisconnected":
            return Failure(True, "the server closed the connection without answering")
    for cause in found:
        if isinstance(cause, urllib3.exceptions.NewConnectionError):
            system = next(
                (c for c in found if isinstance(c, OSError) and c.strerror and c is not cause),
                None,
            )
            words = system.strerror.lower() if system and system.strerror else short(cause)
            return Failure(False, f"cannot connect to the data center at {host}: {words}")
    return Failure(True, short(exc))


def _name_not_found(found: list[BaseException], host: str) -> str:
    error = next((c for c in found if isinstance(c, socket.gaierror)), None)
    if error is not None and error.errno == socket.EAI_AGAIN:
        return f"host name {host} could not be looked up (no answer from the name server)"
    return f"host name {host} not found"


def tls_failure(exc: BaseException, host: str) -> str:
    """What the TLS library said, found under the layers requests and urllib3 wrap it in."""
    for cause in causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return (
                f"TLS verification of {host} failed: its certificate is not trusted "
                f"({cause.verify_message}); for an intranet CA set [datacenter] ca_bundle"
            )
        if isinstance(cause, ssl.SSLError):
            reason = (cause.reason or "").upper()
            if reason in _NOT_TLS_REASONS:
                return (
                    f"the server at {host} did not speak TLS "
                    "(is it plain HTTP? then the URL starts with http://)"
                )
            return f"the TLS handshake with {host} failed: {cause.reason or short(cause)}"
    return f"the TLS connection to {host} failed: {short(exc)}"


def short(exc: BaseException, limit: int = 160) -> str:
    """The exception in one line of at most `limit` characters."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
