"""The messages between the desktop and its collector: JSON lines.

  child → desktop   {"event": "ready", "datacenter": url, "embedded": bool}
                    {"event": "changed", "kind": k, "keys": [...] | null}
                    {"event": "status", "status": {...FeedStatus...}}
                    {"event": "failed", "message": "..."}  (then it exits)
                    {"event": "reply", "id": n, "result": {...} | null}  or  "error": {kind, message}
  desktop → child   first line: {"config": {...}, "scale": "city"}
                    {"poll_now": feed | null}
                    {"changed": kind, "keys": [...] | null}  (the desktop wrote, e.g. the outbox)
                    {"call": n, "op": "preview_url" | "ptz", "args": {...}}  (a camera command)

Both ends read and write the pipe as UTF-8 whatever the console's code page (a Chinese
Windows console's is GBK). The desktop closing the pipe (or dying) stops the child. A
child that dies is started again with backoff, and the lamps say what happened meanwhile. The SK
never crosses the pipe: the child reads it as the desktop would have, or makes
one for the embedded data center."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from commandcenter.feeds.coordinator import FeedStatus, PollResult


def encode(message: dict) -> str:
    """One message as the line that carries it."""
    return json.dumps(message, ensure_ascii=False) + "\n"


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def status_to_dict(status: FeedStatus) -> dict[str, Any]:
    result = status.last_result
    return {
        "name": status.name,
        "interval_s": status.interval_s,
        "last_update_success": status.last_update_success,
        "last_success_at": _when(status.last_success_at),
        "last_error": status.last_error,
        "consecutive_failures": status.consecutive_failures,
        "last_result": None
        if result is None
        else {
            "records_in": result.records_in,
            "rejected": result.rejected,
            "changed": result.changed,
            "not_modified": result.not_modified,
        },
    }


def status_from_dict(data: dict[str, Any]) -> FeedStatus:
    result = data.get("last_result")
    at = data.get("last_success_at")
    return FeedStatus(
        name=str(data["name"]),
        interval_s=float(data["interval_s"]),
        last_update_success=data.get("last_update_success"),
        last_success_at=datetime.fromisoformat(at) if at else None,
        last_error=data.get("last_error"),
        consecutive_failures=int(data.get("consecutive_failures", 0)),
        last_result=PollResult(**result) if result else None,
    )
