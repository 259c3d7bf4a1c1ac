"""The duty log: append-only on SQLite and PostgreSQL, corrections as new entries, the
filters of a day, a shift, a person and a desk's scope, the shifts of the bureau's
clock, the client's own entries written once, the panel, its PDF and XLSX."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from commandcenter.domain import bureau_time
from commandcenter.domain.duty import CLIENT, Kind, shift_of
from commandcenter.domain.people import CITY, Person, Scope
from commandcenter.domain.records import Alert, FeedHealthSample
from commandcenter.services import Operator
from commandcenter.services.duty import DutyCommands, DutyRefused
from commandcenter.store import Store

WUZHONG, GUSU = "320506", "320508"
OFFICER = Operator("王敏 (wangmin)", "duty_officer")
WANG = Person("wangmin", "王敏", ("duty_officer",), county=WUZHONG)
LI = Person("lili", "李丽", ("duty_officer",), county=None)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path):
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    else:
        s = Store(request.getfixturevalue("pg_url"))
    yield s
    s.close()


def at_bureau(day: str, hh: int, mm: int) -> datetime:
    return bureau_time.from_wall_time(
        datetime.fromisoformat(day).date(), datetime.strptime(f"{hh}:{mm}", "%H:%M").time()
    )


# -- the shifts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hh", "mm", "expected"),
    [
        (3, 0, ("2026-03-09", "night")),  # at 03:00 the night shift of yesterday
        (8, 29, ("2026-03-09", "night")),
        (8, 30, ("2026-03-10", "day")),
        (17, 29, ("2026-03-10", "day")),
        (17, 30, ("2026-03-10", "night")),
        (23, 59, ("2026-03-10", "night")),
    ],
)
def test_the_shift_of_an_instant_in_bureau_time(hh, mm, expected):
    moment = at_bureau("2026-03-10", hh, mm)
    assert shift_of(moment) == expected
    # the same instant in UTC (and as a desk in another zone would hold it)
    assert shift_of(moment.astimezone(UTC)) == expected


def test_a_roster_shift_takes_the_usual_ones_place():
    start = at_bureau("2026-03-10", 20, 0)
    assert shift_of(at_bureau("2026-03-11", 3, 0), ("S-night-2", start)) == (
        "2026-03-10",
        "S-night-2",
    )


# -- the store ------------------------------------------------------------------------------


def test_the_log_refuses_changes_and_a_correction_is_a_new_entry(any_store):
    commands = DutyCommands(any_store)
    first = commands.write_entry(OFFICER, WANG, "吴中区司法所来电，设备已恢复", Scope(WUZHONG))
    for statement in (
        sa.update(sa.table("duty_log", sa.column("text"))).values(text="改过"),
        sa.delete(sa.table("duty_log")),
    ):
        with (
            pytest.raises(sa.exc.DBAPIError, match="append-only"),
            any_store.engine.begin() as conn,
        ):
            conn.execute(statement)
    fixed = commands.correct_entry(OFFICER, WANG, first, "吴中区司法所来电，设备于 02:10 恢复")
    entries = any_store.duty_entries()
    assert [e.id for e in entries] == [fixed, first]  # newest first
    assert entries[0].kind == Kind.CORRECTION and entries[0].corrects == first
    assert entries[1].text == "吴中区司法所来电，设备已恢复"  # kept as it was written
    assert entries[0].county == WUZHONG  # the corrected entry's county
    with pytest.raises(DutyRefused, match="no duty-log entry 999"):
        commands.correct_entry(OFFICER, WANG, 999, "x")
    with pytest.raises(DutyRefused, match="empty"):
        commands.write_entry(OFFICER, WANG, "   ", Scope(WUZHONG))
    with pytest.raises(DutyRefused, match="conference_operator"):
        commands.write_entry(Operator("会务", "conference_operator"), None, "x", CITY)
    actions = [(e.action, e.target) for e in sorted(any_store.audit_log(), key=lambda e: e.id)]
    assert actions == [("duty.log", str(first)), ("duty.correct", str(fixed))]


def test_entries_filtered_by_day_shift_person_and_scope(store):
    def add(author, name, county, at, text):
        return store.append_duty_entry(
            author=author, author_name=name, kind=Kind.ENTRY, text=text, county=county, at=at
        )

    add("wangmin", "王敏", WUZHONG, at_bureau("2026-03-10", 9, 0), "吴中白班")
    add("wangmin", "王敏", WUZHONG, at_bureau("2026-03-11", 2, 0), "吴中夜班（10日）")
    add("zhaoqiang", "赵强", GUSU, at_bureau("2026-03-10", 10, 0), "姑苏白班")
    add("lili", "李丽", None, at_bureau("2026-03-10", 19, 0), "市局夜班")
    add(CLIENT, "系统", None, at_bureau("2026-03-10", 20, 0), "数据接口中断：告警")
    add("wangmin", "王敏", WUZHONG, at_bureau("2026-03-11", 9, 0), "吴中 11 日白班")

    def texts(**kw):
        return [e.text for e in store.duty_entries(**kw)]

    assert texts(shift_date="2026-03-10") == [
        "吴中夜班（10日）",
        "数据接口中断：告警",
        "市局夜班",
        "姑苏白班",
        "吴中白班",
    ]
    assert texts(shift_date="2026-03-10", shift_id="day") == ["姑苏白班", "吴中白班"]
    assert texts(shift_date="2026-03-10", author="wangmin") == ["吴中夜班（10日）", "吴中白班"]
    # a county desk: its county's entries and the client's city-wide ones, not the city's
    # officers' nor another county's
    assert texts(shift_date="2026-03-10", scope=Scope(WUZHONG)) == [
        "吴中夜班（10日）",
        "数据接口中断：告警",
        "吴中白班",
    ]
    assert len(texts(shift_date="2026-03-10", scope=CITY)) == 5
    assert texts(limit=2) == ["吴中 11 日白班", "吴中夜班（10日）"]


# -- the client's own entries ---------------------------------------------------------------


def _alert(alert_id: str, status: str, severity: int = 1, **kw) -> Alert:
    now = datetime.now(UTC)
    return Alert(
        alert_id=alert_id,
        type="geofence",
        severity=severity,
        point_id=None,
        lng=None,
        lat=None,
        coord_sys=None,
        lng_wgs84=None,
        lat_wgs84=None,
        occurred_at=kw.get("occurred_at", now - timedelta(minutes=5)),
        title="社区矫正对象越界",
        detail="",
        status=status,
        ack_by=kw.get("ack_by"),
        ack_at=kw.get("ack_at"),
        updated_at=kw.get("updated_at", now),
    )


def test_the_client_logs_a_critical_alert_once_however_many_writers_see_it(any_store, tmp_path):
    from commandcenter.feeds.duty_events import DutyEvents
    from commandcenter.services.alerts import AlertCommands

    # two collectors over one store (a lead handed over: both saw the same page)
    first, second = DutyEvents(any_store), DutyEvents(any_store)
    new = _alert("AL-1", "new")
    first.store_alerts([new, _alert("AL-2", "new", severity=3)])
    # the other one reads the same page again, newer in nothing but its time
    second.store_alerts(
        [_alert("AL-1", "new", updated_at=datetime.now(UTC) + timedelta(seconds=1))]
    )
    # an old alert of a first sync is not news
    first.store_alerts([_alert("AL-OLD", "new", occurred_at=datetime.now(UTC) - timedelta(days=3))])
    # the desk acknowledges it; the data center then reports it acknowledged
    AlertCommands(any_store).acknowledge(new, "已通知司法所", OFFICER)
    acked = _alert(
        "AL-1",
        "acked",
        ack_by=OFFICER.name,
        ack_at=datetime.now(UTC),
        updated_at=datetime.now(UTC) + timedelta(seconds=1),
    )
    second.store_alerts([acked])
    first.store_alerts([acked])
    AlertCommands(any_store).close(acked, "已处置", OFFICER)
    alerts = any_store.duty_entries(kind=Kind.ALERT)
    assert [e.text.split("：")[0] for e in reversed(alerts)] == [
        "严重告警到达",
        f"严重告警已确认（{OFFICER.name}）",
        f"严重告警已关闭（{OFFICER.name}）",
    ]
    assert all("AL-1" in e.text and e.author == CLIENT for e in alerts)


def test_a_feed_down_and_back_is_logged_once_per_change(any_store):
    from commandcenter.feeds.duty_events import DutyEvents

    desk_a, desk_b = DutyEvents(any_store, {"alerts": "告警"}), DutyEvents(any_store)

    def sample(up: bool) -> FeedHealthSample:
        return FeedHealthSample(
            "alerts", datetime.now(UTC), 0.1, up, 0, 0, None if up else "timeout"
        )

    desk_a.record_feed_health(sample(True))  # up from the start: nothing to log
    desk_a.record_feed_health(sample(False))
    desk_a.record_feed_health(sample(True))  # one failed poll: no outage to log
    assert any_store.duty_entries(kind=Kind.FEED) == []
    for _ in range(3):  # three in a row: down
        desk_a.record_feed_health(sample(False))
        desk_b.record_feed_health(sample(False))  # the same outage seen by a second writer
    desk_b.record_feed_health(sample(True))
    desk_a.record_feed_health(sample(True))
    feeds = [e.text for e in reversed(any_store.duty_entries(kind=Kind.FEED))]
    assert feeds == ["数据接口中断：告警（timeout）", "数据接口恢复：alerts"]
    assert len(any_store.feed_health("alerts")) == 11


# -- the panel and its exports ----------------------------------------------------------------


@pytest.fixture
def console(qtbot, store):
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    c = Console(store, StoreBridge(store), BackgroundReader(), person=WANG, role="duty_officer")
    yield c
    c.lane.wait(10_000)
    c.reader.close(5_000)
    c.snapshots.close()


def test_the_panel_shows_the_days_entries_and_writes_one(qtbot, console, store):
    from PySide6.QtCore import Qt

    from commandcenter.ui.people.duty_log import DutyLogPanel

    commands = DutyCommands(store)
    first = commands.write_entry(OFFICER, WANG, "接市局通知：今晚加强巡查", Scope(WUZHONG))
    commands.write_entry(Operator("赵强", "duty_officer"), None, "姑苏的事", Scope(GUSU))
    panel = DutyLogPanel(console)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    assert panel.table.item(0, 5).text() == "接市局通知：今晚加强巡查"

    panel.text.setPlainText("吴中区司法所视频恢复")
    qtbot.mouseClick(panel.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=10_000)
    assert panel.table.item(0, 5).text() == "吴中区司法所视频恢复"
    assert panel.text.toPlainText() == ""
    newest = store.duty_entries(limit=1)[0]
    assert (newest.author, newest.author_name, newest.county) == ("wangmin", "王敏", WUZHONG)

    # correct the first entry: the old one stays, marked, the correction names it
    panel.table.selectRow(1)
    assert panel.selected_entry().id == first
    panel.correct_selected("接市局通知：今晚 22 时前加强巡查")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=10_000)
    assert panel.table.item(0, 5).text().startswith(f"【更正第 {first} 条】")
    corrected_row = next(r for r in range(3) if panel.table.item(r, 0).text() == str(first))
    assert "见第" in panel.table.item(corrected_row, 5).text()

    # the filters: a person (the only one this desk sees), the other shift (nobody wrote)
    assert panel.person.count() == 2  # everyone, 王敏
    panel.person.setCurrentIndex(panel.person.findData("wangmin"))
    assert panel.table.rowCount() == 3
    other = "day" if shift_of(datetime.now(UTC))[1] == "night" else "night"
    panel.shift.setCurrentIndex(panel.shift.findData(other))
    assert panel.table.rowCount() == 0


def test_the_days_log_as_pdf_and_xlsx(qtbot, console, store, tmp_path):
    import openpyxl
    import pypdf

    from commandcenter.ui.people.duty_log import DutyLogPanel

    commands = DutyCommands(store)
    first = commands.write_entry(OFFICER, WANG, "吴中区司法所来电，视频已恢复", Scope(WUZHONG))
    commands.correct_entry(OFFICER, WANG, first, "吴中区司法所来电，视频 02:10 恢复")
    hostile = '=HYPERLINK("http://evil.example/x","点击")'
    commands.write_entry(OFFICER, WANG, hostile, Scope(WUZHONG))
    panel = DutyLogPanel(console)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=10_000)

    pdf = tmp_path / "值班日志.pdf"
    panel.export_pdf(pdf)
    qtbot.waitUntil(lambda: pdf.is_file() and panel.pdf_button.isEnabled(), timeout=60_000)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "值班日志" in text
    compact = "".join(text.split())  # the PDF's lines and spaces aside
    assert "吴中区司法所来电，视频02:10恢复" in compact
    assert f"【更正第{first}条】" in compact and "（已更正，见第" in compact

    xlsx = tmp_path / "值班日志.xlsx"
    panel.export_xlsx(xlsx)
    qtbot.waitUntil(lambda: xlsx.is_file() and panel.xlsx_button.isEnabled(), timeout=30_000)
    sheet = openpyxl.load_workbook(xlsx).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "序号"
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == hostile)
    assert cell.data_type == "s"  # text, never a formula
    assert [a.action for a in store.audit_log()].count("duty.export") == 2


def test_a_shift_change_is_a_line_of_the_log(store):
    entry_id = DutyCommands(store).record_sign_in(OFFICER, WANG, Scope(WUZHONG), "值班员")
    entry = store.duty_entry(entry_id)
    assert (entry.kind, entry.author, entry.county) == (Kind.SIGN_IN, "wangmin", WUZHONG)
    assert entry.text.startswith("王敏签到上岗（") and "值班员" in entry.text
    assert (entry.shift_date, entry.shift_id) == shift_of(entry.at)
