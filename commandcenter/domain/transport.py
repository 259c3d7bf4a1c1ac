"""How the data center is reached, and whether that leaves its traffic open to others
on the network: plain HTTP, or TLS whose certificate is not checked, to a host that is
not this machine."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

PLAIN_HTTP = "plain_http"
UNVERIFIED_TLS = "unverified_tls"


def is_loopback(host: str | None) -> bool:
    """Whether the host is this machine (a loopback name or address)."""
    if not host:
        return False
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def transport_risk(url: str | None, verify_tls: bool) -> str | None:
    """PLAIN_HTTP or UNVERIFIED_TLS for a data center beyond this machine reached that
    way; None when it is safe, or on this machine (the embedded one included)."""
    if not url:
        return None
    parts = urlsplit(url)
    if is_loopback(parts.hostname):
        return None
    if parts.scheme == "http":
        return PLAIN_HTTP
    if parts.scheme == "https" and not verify_tls:
        return UNVERIFIED_TLS
    return None


def risk_in_words(url: str, risk: str) -> str:
    """For the log: what the risk is, for whom."""
    host = urlsplit(url).hostname
    if risk == PLAIN_HTTP:
        return (
            f"the data center {host} is reached over plain http://: its answers (names, "
            "alerts, camera URLs) cross the network unencrypted and can be changed on the way"
        )
    return (
        f"the data center {host}'s TLS certificate is not verified ([datacenter] verify_tls = "
        "false): anyone on the network between can pose as it"
    )
