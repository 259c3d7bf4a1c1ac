"""What can go wrong asking the data center, as exceptions whose message says it in words an
operator can act on, and whether asking again may help."""

from __future__ import annotations

from commandcenter.domain import contract


class DataCenterError(Exception):
    """Anything that stops a request from giving usable data."""

    retry_after: float | None = None

    @property
    def whole_client(self) -> bool:
        """True when every request of the client fails the same way (no connection,
        refused credentials): the client reports it once, feeds need not."""
        return False

    def again(self) -> DataCenterError:
        """The same failure, to raise once more (in another thread, for another
        request) without sharing this one's traceback."""
        clone = type(self).__new__(type(self), *self.args)
        clone.__dict__.update(self.__dict__)
        return clone


class Unreachable(DataCenterError):
    """No complete HTTP answer: refused, reset, timed out, TLS failure."""


class NotConnected(Unreachable):
    """No connection could be made at all: the host name not found, the port refused,
    no route, no TLS, a connection that timed out."""

    @property
    def whole_client(self) -> bool:
        """Whether the failure stands for every interface, not this one alone."""
        return True


class TimeLimitReached(Unreachable):
    """The run's deadline passed: the request was not sent, or was cut off there."""


class BadResponse(DataCenterError):
    """An answer that is not the contract's JSON envelope (HTML error page, truncated body…)."""


class ResponseTooLarge(BadResponse):
    """An answer beyond the configured size limit: not read further."""


class ApiError(DataCenterError):
    """The data center answered with an error envelope or an error status."""

    def __init__(
        self,
        status: int,
        code: str | None,
        msg: str,
        *,
        retry_after: float | None = None,
        words: str | None = None,
    ):
        self.status = status
        self.code = code
        self.msg = msg
        self.retry_after = retry_after
        super().__init__(
            words or f"HTTP {status}" + (f" {code}" if code else "") + (f": {msg}" if msg else "")
        )


class AuthError(ApiError):
    """401/403: wrong key or signature, clock skew, replayed nonce, missing permission."""

    @property
    def whole_client(self) -> bool:
        """Whether the refusal stands for every interface, not this one alone."""
        # 403 is one interface the key may not use; a 401 refuses the key everywhere
        # (a replayed nonce is one request's bad luck)
        return self.status == 401 and self.code != contract.ERR_NONCE


class RetryLater(ApiError):
    """429/503 with Retry-After: the server asks us to come back later."""


class HeldBack(RetryLater):
    """Not sent: a `Retry-After` of the server still runs for longer than this
    request may wait (or than the run has left)."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(0, None, message, retry_after=retry_after, words=message)


class CursorGone(ApiError):
    """410: the server no longer knows the cursor; restart without one."""


def worth_retrying(exc: DataCenterError) -> bool:
    """Whether asking again may succeed: never for a refusal or an error of the
    request itself (4xx other than 408/429), nor after the run's deadline."""
    if isinstance(exc, TimeLimitReached | AuthError | CursorGone):
        return False
    if isinstance(exc, RetryLater):
        return True
    if isinstance(exc, ApiError):
        return exc.status >= 500 or exc.status == 408
    return True
