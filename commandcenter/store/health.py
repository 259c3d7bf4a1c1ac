"""How the feeds are doing: each poll's health, the records rejected (quarantine), and
each feed's state (cursor, ETag, watermark) between polls."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from commandcenter.domain.records import (
    FeedHealthSample,
    FeedState,
    Rejection,
)
from commandcenter.store import schema as t
from commandcenter.store.changes import ChangeNotices
from commandcenter.store.rows import (
    health_sample_from_row,
    raw_text,
    utc_now,
)

log = logging.getLogger(__name__)

HEALTH_SAMPLES_KEPT = 2000


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    """A record the feeds rejected or stored shortened, with why and a bounded copy."""

    id: int
    feed: str
    record_id: str | None
    reason: str
    raw: Any
    first_seen: datetime
    last_seen: datetime
    times_seen: int


class FeedHealth(ChangeNotices):
    """Feed health samples, poll history, feed state and the quarantine."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._health_writes = 0
        super().__init__(*args, **kwargs)

    def add_rejections(self, rejections: Iterable[Rejection]) -> int:
        """Add rejected records to the quarantine; returns how many were added."""
        now = utc_now()
        added = 0
        with self._begin() as conn:
            for r in rejections:
                raw = raw_text(r.raw)
                fingerprint = hashlib.sha256(
                    "\x1f".join([r.feed, r.record_id or "", r.reason, raw]).encode("utf-8")
                ).hexdigest()
                seen = r.received_at or now
                updated = conn.execute(
                    sa.update(t.quarantine)
                    .where(t.quarantine.c.fingerprint == fingerprint)
                    .values(last_seen=seen, times_seen=t.quarantine.c.times_seen + 1)
                ).rowcount
                if not updated:
                    conn.execute(
                        sa.insert(t.quarantine).values(
                            fingerprint=fingerprint,
                            feed=r.feed,
                            record_id=r.record_id,
                            reason=r.reason,
                            raw=raw,
                            first_seen=seen,
                            last_seen=seen,
                            times_seen=1,
                        )
                    )
                    added += 1
        if added:
            self._emit("quarantine")
        return added

    def record_feed_health(self, sample: FeedHealthSample) -> None:
        """Keep one poll's health sample."""
        with self._begin() as conn:
            conn.execute(
                sa.insert(t.feed_health).values(
                    feed=sample.feed,
                    started_at=sample.started_at,
                    duration_s=sample.duration_s,
                    up=sample.up,
                    records_in=sample.records_in,
                    records_rejected=sample.records_rejected,
                    error=sample.error,
                    not_modified=sample.not_modified,
                )
            )
            self._health_writes += 1
            if self._health_writes % 100 == 0:
                cutoff = conn.execute(
                    sa.select(t.feed_health.c.id)
                    .where(t.feed_health.c.feed == sample.feed)
                    .order_by(t.feed_health.c.id.desc())
                    .offset(HEALTH_SAMPLES_KEPT)
                    .limit(1)
                ).scalar()
                if cutoff is not None:
                    conn.execute(
                        sa.delete(t.feed_health).where(
                            t.feed_health.c.feed == sample.feed, t.feed_health.c.id <= cutoff
                        )
                    )
        self._emit("feed_health", {sample.feed})

    def load_feed_state(self, feed: str) -> FeedState:
        """A feed's cursor, ETag, watermark and last full sync as stored."""
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(t.feed_state).where(t.feed_state.c.feed == feed)).first()
        if r is None:
            return FeedState(feed)
        return FeedState(feed, r.cursor, r.etag, r.watermark, r.last_full_sync, dict(r.extra or {}))

    def save_feed_state(self, state: FeedState) -> None:
        """Save a feed's cursor, ETag, watermark and last full sync."""
        with self._begin() as conn:
            self._upsert_rows(
                conn,
                t.feed_state,
                [
                    {
                        "feed": state.feed,
                        "cursor": state.cursor,
                        "etag": state.etag,
                        "watermark": state.watermark,
                        "last_full_sync": state.last_full_sync,
                        "extra": state.extra or {},
                    }
                ],
            )

    def reset_feed_state(self, feed: str | None = None) -> None:
        """Forget a feed's state (every feed's when none is named): it reads from scratch."""
        with self._begin() as conn:
            stmt = sa.delete(t.feed_state)
            if feed is not None:
                stmt = stmt.where(t.feed_state.c.feed == feed)
            conn.execute(stmt)

    def rejections(
        self, *, feed: str | None = None, limit: int | None = None
    ) -> list[QuarantineEntry]:
        """The quarantine's entries, newest first, filtered as given."""
        stmt = sa.select(t.quarantine).order_by(t.quarantine.c.last_seen.desc(), t.quarantine.c.id)
        if feed is not None:
            stmt = stmt.where(t.quarantine.c.feed == feed)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [
            QuarantineEntry(
                r.id,
                r.feed,
                r.record_id,
                r.reason,
                json.loads(r.raw),
                r.first_seen,
                r.last_seen,
                r.times_seen,
            )
            for r in self._all(stmt)
        ]

    def feed_health(self, feed: str | None = None, *, limit: int = 100) -> list[FeedHealthSample]:
        """The newest health samples, of one feed when given."""
        stmt = sa.select(t.feed_health).order_by(t.feed_health.c.id.desc()).limit(limit)
        if feed is not None:
            stmt = stmt.where(t.feed_health.c.feed == feed)
        return [health_sample_from_row(r) for r in self._all(stmt)]

    def feed_poll_history(
        self, feeds: Iterable[str], per_feed: int
    ) -> dict[str, tuple[list[FeedHealthSample], FeedHealthSample | None]]:
        """For each feed: its newest `per_feed` polls, newest first, and its newest
        successful poll (which may be older than all of those). Asked feed by feed along
        the (feed, started_at) index: a desk asks every second, of thousands of polls."""
        h = t.feed_health
        history: dict[str, tuple[list[FeedHealthSample], FeedHealthSample | None]] = {}
        with self.engine.connect() as conn:
            for feed in feeds:
                newest_first = sa.select(h).where(h.c.feed == feed).order_by(h.c.started_at.desc())
                recent = [
                    health_sample_from_row(r) for r in conn.execute(newest_first.limit(per_feed))
                ]
                success = next((s for s in recent if s.up), None)
                if success is None and recent:
                    row = conn.execute(newest_first.where(h.c.up).limit(1)).first()
                    success = health_sample_from_row(row) if row is not None else None
                history[feed] = (recent, success)
        return history

    def last_success(self, feed: str) -> datetime | None:
        """When the feed last polled with success, as stored."""
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.max(t.feed_health.c.started_at)).where(
                    t.feed_health.c.feed == feed, t.feed_health.c.up
                )
            ).scalar()
