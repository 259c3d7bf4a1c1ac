"""Drives a running simulated data center over HTTP (`/_sim/…`): faults, injected
alerts, statistics spikes and point statuses, for tests, demos and benchmarks."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import requests

from commandcenter.domain import signing


class SimulatorControl:
    def __init__(self, base_url: str, ak: str, sk: str, *, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.ak = ak
        self._sk = sk
        self.timeout = timeout
        self._session = requests.Session()

    def __repr__(self) -> str:
        return f"SimulatorControl({self.base_url!r}, ak={self.ak!r})"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SimulatorControl:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        content_type = "application/json" if data is not None else None
        timestamp = str(int(time.time() * 1000))
        nonce = str(uuid.uuid4())
        text = signing.string_to_sign(
            method,
            accept="application/json",
            content_md5=None,
            content_type=content_type,
            ak=self.ak,
            nonce=nonce,
            timestamp=timestamp,
            path_and_query=signing.canonical_path(urlsplit(path).path, []),
        )
        headers = {
            "Accept": "application/json",
            signing.HEADER_KEY: self.ak,
            signing.HEADER_TIMESTAMP: timestamp,
            signing.HEADER_NONCE: nonce,
            signing.HEADER_SIGNATURE: signing.signature(self._sk, text),
        }
        if content_type:
            headers["Content-Type"] = content_type
        response = self._session.request(
            method, self.base_url + path, data=data, headers=headers, timeout=self.timeout
        )
        try:
            envelope = response.json()
        except ValueError:
            envelope = None
        if (
            response.status_code >= 400
            or not isinstance(envelope, dict)
            or envelope.get("code") != "0"
        ):
            message = envelope.get("msg") if isinstance(envelope, dict) else response.text[:200]
            raise RuntimeError(f"{method} {path}: HTTP {response.status_code} {message}")
        return envelope.get("data")

    def faults(self) -> dict:
        return self.request("GET", "/_sim/faults")

    def set_faults(self, **faults: Any) -> dict:
        return self.request("PUT", "/_sim/faults", faults)

    def requests(self) -> dict:
        """The request log: early requests per client (sent while a Retry-After it was
        given still ran), Retry-Afters given, and the last requests."""
        return self.request("GET", "/_sim/requests")

    def inject_alert(self, **alert: Any) -> dict:
        return self.request("POST", "/_sim/alerts", alert)

    def inject_stat_spike(self, **spike: Any) -> dict:
        return self.request("POST", "/_sim/stat-spike", spike)

    def set_point_status(self, point_id: str, status: str) -> dict:
        return self.request("POST", f"/_sim/points/{point_id}/status", {"status": status})
