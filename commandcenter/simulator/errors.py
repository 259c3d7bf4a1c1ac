"""Errors the simulated world raises; the server maps them to contract responses."""

from __future__ import annotations


class SimulatorError(Exception):
    status = 500
    code = "0x02500001"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(SimulatorError):
    status = 404
    code = "0x02404001"


class InvalidRequest(SimulatorError):
    """422: the message names the first invalid field (contract §3.11)."""

    status = 422
    code = "0x02422001"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


class Conflict(SimulatorError):
    status = 409
    code = "0x02409001"


class UnsupportedProtocol(SimulatorError):
    status = 415
    code = "0x02415001"


class ApiProblem(Exception):
    """A request answered with an error envelope: its status, code, message and headers."""

    def __init__(self, status: int, code: str, msg: str, headers: dict | None = None):
        super().__init__(msg)
        self.status, self.code, self.msg, self.headers = status, code, msg, headers or {}
