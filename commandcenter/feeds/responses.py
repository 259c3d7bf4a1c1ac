"""The data center's answers: read within a size and a time limit, and unwrapped from the
contract's envelope."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
import urllib3.exceptions

from commandcenter.feeds.errors import (
    BadResponse,
    DataCenterError,
    ResponseTooLarge,
    TimeLimitReached,
    Unreachable,
)
from commandcenter.feeds.pacing import http_date

READ_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class ApiResponse:
    """An answer of the data center: its status, data, ETag and Date."""

    status: int
    data: Any
    etag: str | None
    server_time: float | None  # epoch seconds from the Date header, if any
    not_modified: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer read in full (within the limits)."""

    status: int
    headers: Mapping[str, str]
    body: bytes


def read_body(
    response: requests.Response,
    what: str,
    *,
    limit: int,
    read_timeout: float,
    time_left: Callable[[], float],
) -> bytes:
    """The body, streamed: cut off beyond the size limit, and when it takes longer
    than the read timeout in all (or passes the run's deadline), however steadily
    it drips; each wait for more bytes is shortened to what is left."""
    declared = declared_length(response)
    if declared is not None and declared > limit:
        raise ResponseTooLarge(
            f"{what}: the answer would be {declared:,} bytes, more than {limit_in_words(limit)}; "
            "not read"
        )
    raw = response.raw
    body_deadline = time.monotonic() + min(read_timeout, time_left())
    body = bytearray()
    while True:
        left = body_deadline - time.monotonic()
        if left <= 0:
            raise slow_body(
                what, len(body), declared, read_timeout=read_timeout, time_left=time_left
            )
        # asked afresh each time: once the body is complete urllib3 hands the
        # connection back to the pool, where it is no longer ours to change
        connection = raw.connection
        if connection is not None and connection.sock is not None:
            connection.sock.settimeout(left)
        try:
            chunk = raw.read1(READ_CHUNK, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError:
            raise slow_body(
                what, len(body), declared, read_timeout=read_timeout, time_left=time_left
            ) from None
        except urllib3.exceptions.DecodeError:
            raise BadResponse(
                f"{what}: the body's {response.headers.get('Content-Encoding')} encoding is corrupt"
            ) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            received = raw.tell()
            of = f" of {declared:,}" if declared is not None else ""
            if "reset" in str(exc).lower():
                raise Unreachable(
                    f"{what}: the connection was reset after {received:,}{of} bytes of the body"
                ) from None
            raise BadResponse(
                f"{what}: the body was cut off after {received:,}{of} bytes"
            ) from None
        if not chunk:
            break
        body += chunk
        if len(body) > limit:
            raise ResponseTooLarge(
                f"{what}: the answer is larger than {limit_in_words(limit)}; cut off there"
            )
    return bytes(body)


def slow_body(
    what: str,
    received: int,
    declared: int | None,
    *,
    read_timeout: float,
    time_left: Callable[[], float],
) -> DataCenterError:
    """The error for a body that stopped arriving: too slow, or out of time."""
    of = f" of {declared:,}" if declared is not None else ""
    if time_left() <= 0:
        return TimeLimitReached(
            f"{what}: the body was cut off at the time limit after {received:,}{of} bytes"
        )
    return Unreachable(
        f"{what}: the body did not arrive within {read_timeout:g} s ({received:,}{of} bytes came)"
    )


def declared_length(response: requests.Response) -> int | None:
    """The Content-Length the server declared, if it is a number."""
    value = response.headers.get("Content-Length", "")
    return int(value) if value.isdigit() else None


def limit_in_words(limit: int) -> str:
    """The answer size limit in words for an error message."""
    return f"the limit of {limit / 2**20:g} MiB ([datacenter] max_response_mib)"


def envelope_of(body: bytes) -> tuple[tuple[str, str, Any] | None, str | None]:
    """The envelope's (code, msg, data), or None and what is wrong with the body when
    it can be said better than "not the envelope"."""
    if not body:
        return None, None
    try:
        parsed = json.loads(body)
    except RecursionError:
        return None, "the body's JSON is nested too deep to read"
    except json.JSONDecodeError as exc:
        unfinished = (
            exc.msg.startswith("Unterminated string") or exc.pos >= len(exc.doc.rstrip()) - 1
        )
        if unfinished and body.lstrip()[:1] in (b"{", b"["):
            return None, f"the body was cut off after {len(body):,} bytes (its JSON is unfinished)"
        return None, None
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and body.lstrip()[:1] in (b"{", b"["):
            return None, f"the body was cut off after {len(body):,} bytes (mid-character)"
        return None, None
    except ValueError:
        return None, None
    if not isinstance(parsed, dict) or "code" not in parsed:
        return None, None
    code = parsed.get("code")
    msg = parsed.get("msg")
    return (str(code)[:64], short_text(msg) if msg is not None else "", parsed.get("data")), None


def short_text(value: object, limit: int = 200) -> str:
    """The value as one line of at most `limit` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def date_header(headers: Mapping[str, str]) -> float | None:
    """The Date header as epoch seconds; None when absent or unreadable."""
    return http_date(headers.get("Date") or "")
