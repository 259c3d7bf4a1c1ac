"""The case figures held in memory: read once, then only what changed; and the KPIs
computed from them equal sums made row by row from the store."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from commandcenter.domain.case_figures import CLOSED, RECEIVED, bureau_midnight, kpi
from commandcenter.domain.contract import CaseCategory
from commandcenter.domain.geography import COUNTIES
from commandcenter.domain.records import CaseStat
from commandcenter.store.case_history import CaseHistory

NOW = datetime(2026, 11, 24, 9, 20, tzinfo=UTC)  # 17:20 in the bureau's day
CATEGORIES = [c.value for c in CaseCategory]


def seeded_rows(days: int, seed: int = 11) -> list[CaseStat]:
    rng = random.Random(seed)
    hour = NOW.replace(minute=0)
    return [
        CaseStat(
            hour - timedelta(hours=h),
            county.code,
            category,
            "hour",
            rng.randint(0, 30),
            rng.randint(0, 30),
            rng.randint(0, 200),
            1,
        )
        for h in range(days * 24)
        for county in COUNTIES
        for category in CATEGORIES
    ]


@pytest.fixture
def seeded(store):
    rows = seeded_rows(36)
    store.upsert_case_stats(rows)
    return store, rows


def test_kpis_equal_sums_made_row_by_row_from_the_store(seeded):
    store, _rows = seeded
    history = CaseHistory(store, clock=lambda: NOW)
    history.refresh()
    figures = history.figures()
    stored = store.case_stats()  # read back: what the store holds, not what was written
    midnight = bureau_midnight(NOW)
    hour_now = NOW.replace(minute=0)
    part = (NOW - hour_now) / timedelta(hours=1)

    def received_until(category, start, end):
        """Whole hours from start to the hour of `end`, that hour in proportion."""
        hour_end = end.replace(minute=0, second=0, microsecond=0)
        whole = sum(
            r.received for r in stored if r.category == category and start <= r.bucket < hour_end
        )
        return whole + part * sum(
            r.received for r in stored if r.category == category and r.bucket == hour_end
        )

    for category in CATEGORIES:
        k = kpi(figures, category, NOW)
        mine = [r for r in stored if r.category == category]
        assert k.today == sum(r.received for r in mine if midnight <= r.bucket <= hour_now)
        assert k.closed_today == sum(r.closed for r in mine if midnight <= r.bucket <= hour_now)
        assert k.backlog == sum(r.pending for r in mine if r.bucket == hour_now)
        assert k.yesterday == pytest.approx(
            received_until(category, midnight - timedelta(days=1), NOW - timedelta(days=1))
        )
        weeks = [
            received_until(category, midnight - timedelta(weeks=w), NOW - timedelta(weeks=w))
            for w in range(1, 5)
        ]
        assert k.weeks == 4 and k.usual == pytest.approx(sum(weeks) / 4)
        assert list(k.spark) == [
            sum(r.received for r in mine if r.bucket == hour_now - timedelta(hours=23 - n))
            for n in range(24)
        ]
        assert k.vs_usual_pct == pytest.approx(100 * (k.today - k.usual) / k.usual)


def test_weeks_the_store_does_not_hold_are_left_out_of_the_usual(store):
    store.upsert_case_stats(seeded_rows(15))  # two weeks back, and a day
    history = CaseHistory(store, clock=lambda: NOW)
    history.refresh()
    k = kpi(history.figures(), "mediation", NOW)
    assert k.weeks == 2 and k.usual is not None and k.yesterday is not None
    store_empty = CaseHistory(store, clock=lambda: NOW + timedelta(days=200))
    store_empty.refresh()
    empty = kpi(store_empty.figures(), "mediation", NOW + timedelta(days=200))
    assert (empty.today, empty.weeks, empty.usual, empty.yesterday, empty.vs_usual_pct) == (
        0,
        0,
        None,
        None,
        None,
    )


def wait_past_the_overlap(history: CaseHistory) -> None:
    """Until the store's clock (the time it stamps a write with) has left the overlap
    behind the latest write the history has read: the next write is read alone."""
    from tests.conftest import wait_until

    wait_until(
        lambda: datetime.now(UTC) > history._watermark + history.overlap,
        what="the store's clock to pass the overlap",
    )


def test_a_late_revision_is_read_alone_and_changes_its_hour(seeded):
    store, rows = seeded
    # rows written within `overlap` before the latest one seen are read again (for
    # transactions still open then): a short one here, and a wait past it
    history = CaseHistory(store, clock=lambda: NOW, overlap=timedelta(milliseconds=50))
    first = history.refresh()
    assert first.rows == len(rows) and first.version == 1
    assert history.refresh().version == 1  # read again: nothing changed, nothing to redraw
    old = next(
        r
        for r in rows
        if r.bucket == NOW.replace(minute=0) - timedelta(hours=30)
        and r.org_code == "320506"
        and r.category == "mediation"
    )
    before = history.figures()
    h = before.index(old.bucket)
    assert (
        before.series(RECEIVED, h, h + 1, categories=["mediation"], orgs=["320506"])[0]
        == old.received
    )
    # written by another store on the same database, as another process would
    from commandcenter.store import Store

    # a poll: the hour under way grows. A read reads again the latest write it has
    # seen (here the seeding) and what came after; from then on, a poll's worth
    wait_past_the_overlap(history)
    hour = NOW.replace(minute=0)
    store.upsert_case_stats(
        [
            CaseStat(
                r.bucket, r.org_code, r.category, "hour", r.received + 1, r.closed, r.pending, 2
            )
            for r in rows
            if r.bucket == hour
        ]
    )
    assert history.refresh().version == 2
    wait_past_the_overlap(history)
    other = Store(store.url)
    try:
        other.upsert_case_stats(
            [
                CaseStat(
                    old.bucket,
                    old.org_code,
                    old.category,
                    "hour",
                    old.received + 40,
                    old.closed,
                    old.pending,
                    2,
                )
            ]
        )
        stale = CaseStat(
            old.bucket, old.org_code, old.category, "hour", 0, 0, 0, 1
        )  # a lower revision: ignored
        other.upsert_case_stats([stale])
    finally:
        other.close()
    refresh = history.refresh()
    assert (
        refresh.version == 3
        and refresh.first_changed == refresh.last_changed == before.first_hour + h
    )
    assert refresh.rows <= 80 + 1  # the poll before and the revision, not the 70,000 rows
    after = history.figures()
    assert (
        after.series(RECEIVED, h, h + 1, categories=["mediation"], orgs=["320506"])[0]
        == old.received + 40
    )
    assert (
        after.series(CLOSED, h, h + 1, categories=["mediation"], orgs=["320506"])[0] == old.closed
    )


def test_an_earlier_span_than_held_is_read_when_asked_for(seeded):
    store, rows = seeded
    history = CaseHistory(store, days=3, clock=lambda: NOW)
    history.refresh()
    assert history.figures().hours <= 3 * 24 + 1
    older = history.figures(since=NOW - timedelta(days=20))
    start = older.index(NOW - timedelta(days=20))
    hour = NOW.replace(minute=0) - timedelta(days=20)
    expected = sum(r.received for r in rows if r.bucket == hour)
    assert older.series(RECEIVED, start, start + 1)[0] == expected


def test_the_store_knows_when_it_wrote_each_row(store):
    written = datetime.now(UTC)
    store.upsert_case_stats(seeded_rows(1))
    rows, latest = store.case_stats_changed(since=written - timedelta(seconds=1))
    assert len(rows) == 24 * len(COUNTIES) * len(CATEGORIES) and latest >= written - timedelta(
        seconds=1
    )
    assert store.case_stats_changed(since=latest + timedelta(seconds=1)) == ([], None)
    epoch_s, _org, _category, _received, _closed, _pending = rows[0]
    assert isinstance(epoch_s, int) and epoch_s % 3600 == 0


def test_spans_the_figures_do_not_hold_are_zeros(store):
    from commandcenter.domain.case_figures import CaseFigures

    empty = CaseFigures.from_rows([])
    assert empty.series(RECEIVED, 5, 12).tolist() == [0.0] * 7
    assert empty.by_org(RECEIVED, 5, 12).shape == (0, 7)
    store.upsert_case_stats(seeded_rows(1))
    history = CaseHistory(store, clock=lambda: NOW)
    history.refresh()
    figures = history.figures()
    hours = figures.hours
    assert figures.series(RECEIVED, hours + 3, hours + 6).tolist() == [
        0.0,
        0.0,
        0.0,
    ]  # after the last hour
    assert figures.series(RECEIVED, -6, -3).tolist() == [0.0, 0.0, 0.0]  # before the first
    assert figures.series(RECEIVED, hours - 1, hours + 2)[1:].tolist() == [
        0.0,
        0.0,
    ]  # straddling the end
    assert kpi(history.figures(), "mediation", NOW + timedelta(days=3)).today == 0
