"""Validated records of the data center's interfaces, as the client keeps them.

Feed adapters turn the wire JSON (camelCase, contract §3) into these; the store
persists them; exports turn them back into contract-named JSON. Wire values of enums
are kept as plain strings so that unknown values survive (contract §1).
Coordinates are kept as sent (`lng`, `lat`, `coord_sys`) and also normalised to
WGS-84 (`lng_wgs84`, `lat_wgs84`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Org:
    """An organisation of the bureau's hierarchy: its code, name, level and parent."""

    org_code: str
    name: str
    level: str
    parent_code: str | None
    adcode: str | None
    updated_at: datetime | None = None
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class ServicePoint:
    """A service point of the network, with its position and status."""

    point_id: str
    name: str
    type: str
    level: str
    org_code: str
    address: str
    lng: float
    lat: float
    coord_sys: str
    # None when coord_sys is a system the client does not know: kept, but not placed
    lng_wgs84: float | None
    lat_wgs84: float | None
    phone: str
    status: str
    staff_on_duty: int | None
    open_hours: str
    camera_ids: tuple[str, ...]
    updated_at: datetime
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Camera:
    """A camera at a service point."""

    camera_id: str
    point_id: str
    name: str
    online: bool
    ptz: bool
    has_sub_stream: bool
    updated_at: datetime
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class CaseStat:
    """Cases received, closed and pending in one county, category and span."""

    bucket: datetime
    org_code: str
    category: str
    granularity: str  # "hour" | "day": which query produced the row
    received: int
    closed: int
    pending: int
    revision: int


@dataclass(frozen=True, slots=True)
class DashboardSummary:
    """The data center's dashboard: today's cases, the hotline and community correction."""

    as_of: datetime
    # {category: {"received", "closed", "pending"}}
    today: dict[str, dict[str, int]]
    hotline: dict[str, float]  # agentsOnline, callsWaiting, avgWaitSeconds
    correction: dict[str, int]  # underCorrection, electronicMonitoring, alertsOpen
    points: dict[str, int]  # online, offline, alarm


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert raised at a service point, or by this client."""

    alert_id: str
    type: str
    severity: int
    point_id: str | None
    lng: float | None
    lat: float | None
    coord_sys: str | None
    lng_wgs84: float | None
    lat_wgs84: float | None
    occurred_at: datetime
    title: str
    detail: str
    status: str
    ack_by: str | None
    ack_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class TemplateItem:
    """One item of an inspection checklist."""

    item_id: str
    text: str
    kind: str
    max_score: int | None
    required: bool


@dataclass(frozen=True, slots=True)
class InspectionTemplate:
    """An inspection checklist the data center offers."""

    template_id: str
    name: str
    version: int
    items: tuple[TemplateItem, ...]


@dataclass(frozen=True, slots=True)
class InspectionResult:
    """The result of one checklist item in an inspection."""

    item_id: str
    passed: bool | None
    score: int | None
    text: str | None


@dataclass(frozen=True, slots=True)
class Inspection:
    """An inspection record as the data center lists it (GET /inspections)."""

    inspection_id: str
    point_id: str
    template_id: str
    template_version: int
    inspector: str
    started_at: datetime | None
    finished_at: datetime | None
    results: tuple[InspectionResult, ...]
    findings: str
    rectification_due: date | None
    snapshot_count: int
    updated_at: datetime
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Participant:
    """A participant of a video meeting and its state."""

    point_id: str
    state: str


@dataclass(frozen=True, slots=True)
class Meeting:
    """A video meeting with its participants."""

    meeting_id: str
    title: str
    status: str
    mix_url: str | None
    host_point_id: str | None
    start_at: datetime | None
    participants: tuple[Participant, ...]


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record that broke the contract: kept in quarantine with its reason. With
    `stored`, the record itself was stored too, repaired as the reason says (a text
    beyond its length limit shortened)."""

    feed: str
    record_id: str | None
    reason: str
    raw: Any
    received_at: datetime | None = None
    stored: bool = False


@dataclass(frozen=True, slots=True)
class FeedHealthSample:
    """One poll of one feed, stored next to the data (cf. Prometheus `up`)."""

    feed: str
    started_at: datetime
    duration_s: float
    up: bool
    records_in: int
    records_rejected: int
    error: str | None = None
    not_modified: bool = False


@dataclass(slots=True)
class FeedState:
    """What a feed remembers between polls and across restarts."""

    feed: str
    cursor: str | None = None
    etag: str | None = None
    # updatedSince of the next incremental pass: the newest updatedAt on the first page
    # of the last complete pass, less a margin (see feeds.adapters.PagedFeed)
    watermark: datetime | None = None
    last_full_sync: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
