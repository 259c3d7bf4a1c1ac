"""The hourly case figures of the last months in memory, kept current by reading only
the rows written since the last read.

Ninety days of hourly rows for eight categories and ten counties are 170,000 rows.
Reading and summing them again on every poll (a new row a minute per county and
category, and now and then a late revision of an older hour) took most of a second;
reading what changed takes a millisecond, and the views sum arrays (see
`domain.case_figures`). Rows are found by the time the store wrote them
(`changed_at`), not by their hour, so a late revision of last week's hour is read
like a new one, whichever process wrote it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from commandcenter.domain.case_figures import MEASURES, CaseFigures, epoch_hour
from commandcenter.domain.contract import CaseCategory
from commandcenter.domain.people import Scope
from commandcenter.store.store import Store

DEFAULT_DAYS = 92


@dataclass(frozen=True)
class Refresh:
    """What a refresh of the case history read and changed."""

    version: int  # grows whenever a figure changed
    first_changed: int | None  # epoch hours of the earliest and latest hour that changed
    last_changed: int | None
    rows: int  # rows read


class CaseHistory:
    """Hourly case figures by category × county × hour, from `days` ago on."""

    def __init__(
        self,
        store: Store,
        *,
        days: int = DEFAULT_DAYS,
        clock: Callable[[], datetime] | None = None,
        overlap: timedelta | None = None,
    ):
        self.store = store
        # a row written by a transaction still open at the last read carries an earlier
        # time than the rows read then: read again from a little before the latest seen
        self.overlap = store.write_overlap if overlap is None else overlap
        self.days = days
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._categories: dict[str, int] = {c.value: n for n, c in enumerate(CaseCategory)}
        self._orgs: dict[str, int] = {}
        self._first_hour = 0
        self._values = np.zeros((len(self._categories), 0, 0, len(MEASURES)), dtype=np.int32)
        self._stored = np.zeros((len(self._categories), 0), dtype=bool)
        self._watermark: datetime | None = None
        self._loaded = False
        self.version = 0

    # -- reading the store ---------------------------------------------------------

    def refresh(self) -> Refresh:
        """Read what was written since the last read (everything, the first time)."""
        with self._lock:
            if not self._loaded:
                self._first_hour = epoch_hour(self._clock() - timedelta(days=self.days))
                rows, latest = self.store.case_stats_changed(
                    buckets_from=self._bucket(self._first_hour)
                )
                self._loaded = True
            else:
                rows, latest = self.store.case_stats_changed(
                    since=self._watermark - self.overlap if self._watermark is not None else None,
                    buckets_from=self._bucket(self._first_hour),
                )
            if latest is not None and (self._watermark is None or latest > self._watermark):
                self._watermark = latest
            first, last = self._apply(rows)
            if first is not None:
                self.version += 1
            return Refresh(self.version, first, last, len(rows))

    def figures(self, since: datetime | None = None) -> CaseFigures:
        """A copy of the figures from `since` (default: all held). A `since` before the
        held span reads the older hours from the store first."""
        with self._lock:
            if since is not None and epoch_hour(since) < self._first_hour and self._loaded:
                self._extend_back(epoch_hour(since))
            start = 0 if since is None else max(0, epoch_hour(since) - self._first_hour)
            end = self._last_hour_held() + 1
            start = min(start, end)
            return CaseFigures(
                self._first_hour + start,
                tuple(self._categories),
                tuple(self._orgs),
                self._values[:, :, start:end].copy(),
                self._stored[:, start:end].copy(),
            )

    # -- inside ------------------------------------------------------------------

    @staticmethod
    def _bucket(hour: int) -> datetime:
        return datetime.fromtimestamp(hour * 3600, UTC)

    def _last_hour_held(self) -> int:
        """The index of the latest hour with a stored row (-1: none)."""
        stored = np.flatnonzero(self._stored.any(axis=0))
        return int(stored[-1]) if stored.size else -1

    def _extend_back(self, first_hour: int) -> None:
        # only the hours before those held: the held ones are current already
        older, _latest = self.store.case_stats_changed(
            buckets_from=self._bucket(first_hour), buckets_until=self._bucket(self._first_hour)
        )
        grow = self._first_hour - first_hour
        self._values = np.concatenate(
            [
                np.zeros((*self._values.shape[:2], grow, len(MEASURES)), dtype=np.int32),
                self._values,
            ],
            axis=2,
        )
        self._stored = np.concatenate(
            [np.zeros((self._stored.shape[0], grow), dtype=bool), self._stored], axis=1
        )
        self._first_hour = first_hour
        self._apply(older)

    def _apply(self, rows: Sequence[Sequence[Any]]) -> tuple[int | None, int | None]:
        """Rows as the store's `case_stats_changed` gives them."""
        if not rows:
            return None, None
        epoch_s, org_codes, categories, received, closed, pending = zip(*rows, strict=True)
        hours = np.asarray(epoch_s, dtype=np.int64) // 3600 - self._first_hour
        keep = hours >= 0  # older than the span held
        if not keep.any():
            return None, None
        for name in set(categories) - self._categories.keys():
            self._categories[name] = len(self._categories)
        for code in sorted(set(org_codes) - self._orgs.keys()):
            self._orgs[code] = len(self._orgs)
        cats = np.fromiter(
            map(self._categories.__getitem__, categories), dtype=np.int64, count=len(rows)
        )[keep]
        orgs = np.fromiter(map(self._orgs.__getitem__, org_codes), dtype=np.int64, count=len(rows))[
            keep
        ]
        hours = hours[keep]
        self._reserve(len(self._categories), len(self._orgs), int(hours.max()) + 1)
        figures = np.column_stack([received, closed, pending])[keep]
        # rows read again (the overlap) are no change
        changed = (
            ~(self._values[cats, orgs, hours] == figures).all(axis=1) | ~self._stored[cats, hours]
        )
        if not changed.any():
            return None, None
        cats, orgs, hours = cats[changed], orgs[changed], hours[changed]
        # a key appears once per read (the store keeps one revision of it): plain
        # assignment is right, whatever the order
        self._values[cats, orgs, hours] = figures[changed]
        self._stored[cats, hours] = True
        return int(hours.min()) + self._first_hour, int(hours.max()) + self._first_hour

    def _reserve(self, categories: int, orgs: int, hours: int) -> None:
        c, o, h, m = self._values.shape
        if categories <= c and orgs <= o and hours <= h:
            return
        # hours grow by a week at a time, so an hour passing does not copy 90 days
        shape = (max(c, categories), max(o, orgs), max(h, hours + (168 if hours > h else 0)), m)
        values = np.zeros(shape, dtype=np.int32)
        values[:c, :o, :h] = self._values
        stored = np.zeros((shape[0], shape[2]), dtype=bool)
        stored[:c, :h] = self._stored
        self._values, self._stored = values, stored


class ScopedCaseHistory:
    """The case history as a desk with a scope reads it: the same figures, the counties
    outside the scope left out (a county desk's trends, KPIs, ranking and reports)."""

    def __init__(self, history: CaseHistory, scope_of: Callable[[], Scope]):
        self.history = history
        self._scope_of = scope_of

    def refresh(self) -> Refresh:
        """Read what changed in the store (CaseHistory.refresh)."""
        return self.history.refresh()

    def figures(self, since: datetime | None = None) -> CaseFigures:
        """The figures from `since` in the desk's scope."""
        figures = self.history.figures(since)
        scope = self._scope_of()
        return figures if scope.city else figures.within(scope.covers_org)
