"""The feeds of the data center's interfaces, with their default poll intervals."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from commandcenter.domain.contract import Term
from commandcenter.feeds import parsing, passes
from commandcenter.feeds.adapters import CursorFeed, HealthFeed, PagedFeed, SnapshotFeed, single
from commandcenter.feeds.client import DataCenterClient
from commandcenter.feeds.coordinator import Feed
from commandcenter.feeds.duty_events import DutyEvents
from commandcenter.feeds.roster import DutyRosterFeed
from commandcenter.store import Store

# Seconds. Alerts are polled fastest: they must reach the duty officer at once.
DEFAULT_INTERVALS: dict[str, float] = {
    "health": 5,
    "alerts": 3,
    "dashboard": 15,
    "service_points": 15,
    "cameras": 60,
    "stats_hour": 30,
    "stats_day": 300,
    "orgs": 600,
    "inspection_templates": 600,
    "inspections": 60,
    # rosters change a few times a day; a v1 data center without one is asked every 30 min
    "duty_roster": 300,
}

FEED_NAMES = tuple(DEFAULT_INTERVALS)

FEED_LABELS = {
    "health": Term("数据中心", "Data center"),
    "alerts": Term("告警", "Alerts"),
    "dashboard": Term("综合概览", "Dashboard"),
    "service_points": Term("服务点位", "Service points"),
    "cameras": Term("视频通道", "Cameras"),
    "stats_hour": Term("小时统计", "Hourly statistics"),
    "stats_day": Term("日统计", "Daily statistics"),
    "orgs": Term("组织机构", "Organisations"),
    "inspection_templates": Term("督查模板", "Inspection templates"),
    "inspections": Term("督查记录", "Inspections"),
    "duty_roster": Term("值班表", "Duty roster"),
}


def build_feeds(
    client: DataCenterClient,
    store: Store,
    intervals: Mapping[str, float] | None = None,
    *,
    page_size: int = 1000,
) -> list[Feed]:
    """Every feed of the contract, each with its adapter, parser and writer."""
    every = {**DEFAULT_INTERVALS, **(intervals or {})}
    paged = partial(PagedFeed, client=client, store=store, page_size=page_size)
    health = HealthFeed(every["health"], client, store)
    return [
        health,
        CursorFeed(
            "alerts",
            "/alerts",
            every["alerts"],
            client,
            store,
            parse=parsing.parse_alert,
            # critical alerts also go into the duty log, on this polling side only
            write=DutyEvents(store).store_alerts,
        ),
        SnapshotFeed(
            "dashboard",
            "/dashboard/summary",
            every["dashboard"],
            client,
            store,
            parse=single(parsing.parse_dashboard_summary, "dashboard"),
            write=lambda summaries: store.save_dashboard_summary(summaries[0]),
        ),
        paged(
            name="service_points",
            path="/service-points",
            interval_s=every["service_points"],
            parse=parsing.parse_service_point,
            key=lambda p: p.point_id,
            write=store.upsert_service_points,
            mark_absent_deleted=partial(store.mark_absent_deleted, "service_points"),
        ),
        paged(
            name="cameras",
            path="/cameras",
            interval_s=every["cameras"],
            parse=parsing.parse_camera,
            key=lambda c: c.camera_id,
            write=store.upsert_cameras,
            mark_absent_deleted=partial(store.mark_absent_deleted, "cameras"),
        ),
        CursorFeed(
            "stats_hour",
            "/stats/cases",
            every["stats_hour"],
            client,
            store,
            parse=partial(parsing.parse_case_stat, granularity="hour"),
            write=store.upsert_case_stats,
            extra_params={"granularity": "hour"},
        ),
        CursorFeed(
            "stats_day",
            "/stats/cases",
            every["stats_day"],
            client,
            store,
            parse=partial(parsing.parse_case_stat, granularity="day"),
            write=store.upsert_case_stats,
            extra_params={"granularity": "day"},
        ),
        paged(
            name="orgs",
            path="/orgs",
            interval_s=every["orgs"],
            parse=parsing.parse_org,
            key=lambda o: o.org_code,
            write=store.upsert_orgs,
            mark_absent_deleted=partial(store.mark_absent_deleted, "orgs"),
        ),
        SnapshotFeed(
            "inspection_templates",
            "/inspection-templates",
            every["inspection_templates"],
            client,
            store,
            parse=passes.parse_inspection_templates,
            write=store.replace_inspection_templates,
        ),
        paged(
            name="inspections",
            path="/inspections",
            interval_s=every["inspections"],
            parse=parsing.parse_inspection,
            key=lambda i: i.inspection_id,
            write=store.upsert_inspections,
        ),
        # a new version of the data center may bring the roster: asked again at once
        DutyRosterFeed(
            every["duty_roster"], client, store, server_version=lambda: health.last_version
        ),
    ]
