"""One clock: every time the client shows, exports or prints is the bureau's (Asia/Shanghai
unless configured), on a workstation whose own zone is UTC."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from commandcenter.config import ConfigError, load_config
from tests.test_ui import chinese, console_factory  # noqa: F401 - the fixtures

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def machine_in_utc():
    """This machine's own zone is UTC for one test (the bureau's is not)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    assert datetime(2026, 11, 24, 1, 30, tzinfo=UTC).astimezone().utcoffset() == timedelta(0)
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def bureau_zone():
    """Set the bureau's zone for one test; Asia/Shanghai again after it."""
    from commandcenter.domain import bureau_time

    yield bureau_time.use_zone
    bureau_time.use_zone(bureau_time.DEFAULT_ZONE)


def shanghai(t: datetime, pattern: str) -> str:
    return t.astimezone(SHANGHAI).strftime(pattern)


def utc(t: datetime, pattern: str) -> str:
    return t.astimezone(UTC).strftime(pattern)


# -- the configuration -------------------------------------------------------------


def test_the_zone_is_configured_and_a_bad_name_is_named_in_the_error(tmp_path):
    from commandcenter.config import Config

    assert Config().time_zone == "Asia/Shanghai"
    good = tmp_path / "good.toml"
    good.write_text('[workstation]\ntime_zone = "Europe/Berlin"\n', encoding="utf-8")
    assert load_config(good, environ={}).time_zone == "Europe/Berlin"
    for bad in ("Asia/Shangai", "../../etc/passwd", "", "UTC+8"):
        file = tmp_path / "bad.toml"
        file.write_text(f'[workstation]\ntime_zone = "{bad}"\n', encoding="utf-8")
        with pytest.raises(ConfigError) as raised:
            load_config(file, environ={})
        message = str(raised.value)
        assert "[workstation] time_zone" in message and "Traceback" not in message
        assert (repr(bad) if bad else "empty") in message
    file.write_text("[workstation]\ntime_zone = 8\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"time_zone must be a str"):
        load_config(file, environ={})


def test_the_zone_data_is_the_tzdata_package_where_the_system_has_none():
    import tzdata  # a dependency: Windows has no zone files of its own

    assert "Asia/Shanghai" in (tzdata.__file__ or "") or tzdata.IANA_VERSION


def test_bureau_time_keeps_its_days_across_a_change_of_daylight_saving_time(
    machine_in_utc, bureau_zone
):
    from commandcenter.domain import bureau_time

    bureau_zone("Europe/Berlin")
    # 2026-10-25: Berlin's clocks go back at 03:00 CEST, a day of 25 hours
    noon = datetime(2026, 10, 25, 12, 0, tzinfo=BERLIN)
    assert bureau_time.midnight(noon) == datetime(2026, 10, 25, tzinfo=BERLIN)
    assert bureau_time.offset_s(datetime(2026, 10, 24, 12, tzinfo=UTC)) == 7200
    assert bureau_time.offset_s(datetime(2026, 10, 26, 12, tzinfo=UTC)) == 3600
    assert bureau_time.bureau_text(noon.astimezone(UTC), "%H:%M") == "12:00"
    entered = bureau_time.from_wall_time(date(2026, 10, 26), datetime.min.time())
    assert entered.astimezone(UTC) == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="naive"):
        bureau_time.at_bureau(datetime(2026, 1, 1))


def test_the_date_axis_puts_days_on_the_bureaus_midnight_across_daylight_saving(
    qtbot, machine_in_utc, bureau_zone
):
    from commandcenter.ui.statistics.charts import BureauDateAxis, TrendChart

    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(1000, 400)
    chart.grab()  # drawn once: the axis measures its labels with the font it paints in
    axis = chart.getAxis("bottom")
    assert isinstance(axis, BureauDateAxis)
    for zone, start in (
        (SHANGHAI, datetime(2026, 11, 20, tzinfo=SHANGHAI)),
        (BERLIN, datetime(2026, 10, 20, tzinfo=BERLIN)),  # over the change on the 25th
    ):
        bureau_zone(zone.key)
        lo, hi = start.timestamp(), (start + timedelta(days=10)).timestamp()
        levels = axis.tickValues(lo, hi, 800)
        days = next(ticks for spacing, ticks in levels if spacing == 86400)
        assert len(days) >= 9
        for tick in days:
            local = datetime.fromtimestamp(tick, zone)
            assert (local.hour, local.minute) == (0, 0), f"{zone.key}: a day tick at {local}"
        labels = axis.tickStrings(days, 1, 86400)
        assert labels == [datetime.fromtimestamp(t, zone).strftime("%m-%d") for t in days]
        # hours: the bureau's wall time, not the machine's (UTC)
        hour = datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI).timestamp()
        assert axis.tickStrings([hour], 1, 3600) == [
            datetime.fromtimestamp(hour, zone).strftime("%H:%M")
        ]


# -- every place in the console ------------------------------------------------------


def test_a_workstation_in_utc_shows_bureau_time_everywhere(
    machine_in_utc,
    console_factory,  # noqa: F811 - the fixture
    qtbot,
    tmp_path,
    store,
):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from commandcenter.domain.records import Meeting
    from commandcenter.exports import records
    from commandcenter.ui.meetings.tables import meeting_columns
    from commandcenter.ui.statistics.trend import StatsSpec
    from commandcenter.ui.supervision.inspection_report import _when
    from commandcenter.ui.widgets.date_range import CustomRangeDialog

    make, _server, _runner, _client = console_factory
    window = make()
    p = window.panels

    def column_texts(model, _record=None) -> set[str]:
        """Every cell the table shows."""
        return {
            str(model.data(model.index(row, c), Qt.ItemDataRole.DisplayRole))
            for row in range(model.rowCount())
            for c in range(model.columnCount())
        }

    # the alert list and the alert's detail and timeline
    alerts = p["alerts"]
    qtbot.waitUntil(lambda: len(alerts.model.records) > 0, timeout=10_000)
    alert = alerts.model.records[0]
    texts = column_texts(alerts.model, alert)
    assert shanghai(alert.occurred_at, "%m-%d %H:%M:%S") in texts
    assert utc(alert.occurred_at, "%m-%d %H:%M:%S") not in texts
    alerts.table.selectRow(0)
    qtbot.waitUntil(lambda: alerts.detail.alert is not None, timeout=10_000)
    shown = alerts.detail.alert
    assert shanghai(shown.occurred_at, "%m-%d %H:%M:%S") in alerts.detail.facts.text()
    qtbot.waitUntil(lambda: alerts.detail.timeline.topLevelItemCount() > 0, timeout=10_000)
    timeline = alerts.detail.timeline
    times = [timeline.topLevelItem(n).text(0) for n in range(timeline.topLevelItemCount())]
    assert shanghai(shown.occurred_at, "%m-%d %H:%M:%S") in times  # its arrival

    # meeting times: the table and the editor of a scheduled start
    start = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # 09:30 in Suzhou
    meeting = Meeting("M-1", "例会", "scheduled", None, None, start, ())
    assert "11-24 09:30" in [c.value(meeting) for c in meeting_columns({})]
    from commandcenter.ui.widgets.bureau_clock import instant_of, show_instant

    editor = p["meetings"].start_at
    show_instant(editor, start)
    assert editor.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-11-24 09:30"
    assert instant_of(editor) == start

    # the statistics: the date axis, the read-out, the exported table, the custom range
    window.docks["statistics"].raise_()
    stats = p["statistics"]
    qtbot.waitUntil(
        lambda: stats._trend is not None and len(stats._trend.hours) > 0, timeout=10_000
    )
    trend = stats._trend
    hour = float(trend.hours[-1])
    at = datetime.fromtimestamp(hour, UTC)
    assert stats.trend.getAxis("bottom").tickStrings([hour], 1, 3600) == [shanghai(at, "%H:%M")]
    stats.trend.read_out(len(trend.hours) - 1)
    assert stats.trend.hover_text.startswith(shanghai(at, "%Y-%m-%d %H:%M"))
    hourly = stats.tables()[0]
    assert hourly.rows[-1][0] == shanghai(at, "%Y-%m-%d %H:%M")
    dialog = CustomRangeDialog(at - timedelta(hours=5), at)
    assert dialog.end.dateTime().toString("yyyy-MM-dd HH:00") == shanghai(at, "%Y-%m-%d %H:00")
    assert dialog.span() == (at - timedelta(hours=5), at)
    dialog.deleteLater()
    assert StatsSpec().span(at)[1] > at

    # supervision: the history and the inspection report's times
    inspections = [i for i in store.inspections() if i.finished_at is not None]
    assert inspections
    assert _when(inspections[0].finished_at) == shanghai(
        inspections[0].finished_at, "%Y-%m-%d %H:%M"
    )

    from commandcenter.ui.supervision.history import columns as history_columns

    finished = inspections[0]
    shown = [c.value(finished) for c in history_columns({}, {}, date.today())]
    assert shanghai(finished.finished_at, "%Y-%m-%d %H:%M") in shown

    # the overview's "as of" and the daily report's header
    summary = store.latest_dashboard_summary()
    window.docks["overview"].raise_()
    overview = p["overview"]
    qtbot.waitUntil(
        lambda: shanghai(summary.as_of, "%Y-%m-%d %H:%M") in overview.as_of.text(), timeout=10_000
    )
    from commandcenter.ui.statistics.daily_report import compose_report, read_figures

    now = datetime.now(UTC)
    report = compose_report(read_figures(window.console, now), {}, "Noto Sans CJK SC")
    header = report.toPlainText()
    assert f"截至 {shanghai(now, '%H:%M')}（北京时间）" in header
    assert shanghai(now, "%Y年%m月%d日") in header

    # operations: the polls' times and the audit log
    health = p["health"]
    qtbot.waitUntil(lambda: len(health.history.records) > 0, timeout=10_000)
    poll = health.history.records[0]
    assert shanghai(poll.started_at, "%H:%M:%S") in column_texts(health.history, poll)
    window.console.audit("test.clock", None, {})
    audit = p["audit"]
    audit.reload(urgent=True)
    qtbot.waitUntil(lambda: len(audit.model.records) > 0, timeout=10_000)
    entry = audit.model.records[0]
    assert shanghai(entry.at, "%Y-%m-%d %H:%M:%S") in column_texts(audit.model, entry)

    # exports people open: times with the bureau's offset
    exported = records.to_csv(records.rows(store, "alerts"))
    first_alert = store.alerts()[0]
    assert first_alert.occurred_at.astimezone(SHANGHAI).isoformat(timespec="seconds") in exported

    # the status bar's clock
    clock = window.findChild(QLabel, "bureauClock")
    now = datetime.now(UTC)
    assert clock.text() in {
        shanghai(now, "%m-%d %H:%M"),
        shanghai(now - timedelta(minutes=1), "%m-%d %H:%M"),
    }
    assert "北京时间" in clock.toolTip()


def test_exports_and_reports_follow_a_configured_zone(machine_in_utc, bureau_zone, qapp):
    """The zone is the configuration's: another bureau's clock reaches the files too."""
    from commandcenter.domain import bureau_time
    from commandcenter.exports import records
    from commandcenter.ui.supervision.inspection_report import _when
    from commandcenter.ui.widgets import i18n

    bureau_zone("Europe/Berlin")
    t = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)  # 10:00 in Berlin (summer time)
    assert i18n.moment(t) == "07-01 10:00:00"
    assert _when(t) == "2026-07-01 10:00"
    assert records.to_json([{"at": t}]).count("2026-07-01T10:00:00+02:00") == 1
    assert bureau_time.zone_label("zh_CN").startswith("Europe/Berlin, UTC+")
