"""The duty roster (值班表, contract 4.2): the simulator's roster over real HTTP, the feed
that stores it (a broken shift quarantined, the rest kept), who is on duty when, the v1
data center that has no roster, and the panel and status-bar line that show it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from commandcenter.domain import bureau_time
from commandcenter.domain.freshness import Freshness
from commandcenter.domain.geography import CITY_CODE, COUNTIES
from commandcenter.domain.people import CITY, Person, Scope
from commandcenter.domain.roster import (
    InvalidShift,
    RosterPerson,
    Shift,
    desk_org,
    local_shift,
    officers_from_lines,
    on_roster,
    roster_dates,
    rosters_seen,
    shift_on_duty,
)
from commandcenter.feeds.catalog import DEFAULT_INTERVALS, FEED_LABELS, build_feeds
from commandcenter.feeds.coordinator import FeedCoordinator
from commandcenter.feeds.errors import ApiError
from commandcenter.feeds.roster import DutyRosterFeed, parse_shift
from commandcenter.feeds.runner import FeedRunner
from commandcenter.services import Operator
from commandcenter.services.roster import RosterCommands

GUSU = "320508"
ORGS = 1 + len(COUNTIES)  # the city and its ten counties


def _runner(client, store) -> FeedRunner:
    return FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {}))


def _roster_requests(server) -> int:
    return sum(1 for e in server.requests.entries() if e.path == "/api/v1/duty-roster")


def _today() -> date:
    return bureau_time.now().date()


# -- the simulator ------------------------------------------------------------------------


def test_the_simulator_serves_every_orgs_roster_signed_over_http(
    city_world_factory, datacenter_factory, client_factory
):
    world = city_world_factory()
    server = datacenter_factory(world)
    client = client_factory(server.url, retries=0)
    day = date(2026, 11, 24)
    data = client.get("/duty-roster", {"date": day.isoformat()}).data
    assert data["date"] == "2026-11-24"
    shifts = data["shifts"]
    assert len(shifts) == 2 * ORGS
    assert {s["orgCode"] for s in shifts} == {CITY_CODE, *(c.code for c in COUNTIES)}
    gusu = [s for s in shifts if s["orgCode"] == GUSU]
    assert [(s["shiftId"], s["start"], s["end"]) for s in gusu] == [
        ("DS-320508-20261124-D", "2026-11-24T08:30:00+08:00", "2026-11-24T17:30:00+08:00"),
        ("DS-320508-20261124-N", "2026-11-24T17:30:00+08:00", "2026-11-25T08:30:00+08:00"),
    ]
    for shift in shifts:
        org = shift["orgCode"]
        assert re.fullmatch(rf"P-{org}-[123]", shift["leader"]["personId"])
        assert 2 <= len(shift["officers"]) <= 3
        for person in [shift["leader"], *shift["officers"]]:
            assert re.fullmatch(rf"P-{org}-([1-9]|1[0-2])", person["personId"])
            assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", person["name"])
            assert re.fullmatch(r"1[3-9]\d{9}", person["phone"])
    # deterministic from the seed and the date; one org when asked; today by default
    assert client.get("/duty-roster", {"date": "2026-11-24"}).data == data
    one = client.get("/duty-roster", {"date": "2026-11-24", "orgCode": GUSU}).data
    assert one["shifts"] == gusu
    assert client.get("/duty-roster").data["date"] == world.duty_roster()["date"]
    other_day = client.get("/duty-roster", {"date": "2026-11-25"}).data["shifts"]
    assert [s["officers"] for s in other_day] != [s["officers"] for s in shifts]


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "20261124", "2026-11-24T00:00"])
def test_a_bad_roster_date_is_refused_naming_the_field(
    bad, city_world_factory, datacenter_factory, client_factory
):
    server = datacenter_factory(city_world_factory())
    client = client_factory(server.url, retries=0)
    with pytest.raises(ApiError) as refused:
        client.get("/duty-roster", {"date": bad})
    assert refused.value.status == 422
    assert refused.value.code == "0x02422001"
    assert refused.value.msg.startswith("date:")


def test_a_v1_simulator_has_no_roster_and_says_version_1_0(
    city_world_factory, datacenter_factory, client_factory
):
    world = city_world_factory()
    v1 = datacenter_factory(world, contract="1.0")
    v11 = datacenter_factory(world)
    client = client_factory(v1.url, retries=0)
    with pytest.raises(ApiError) as refused:
        client.get("/duty-roster")
    assert (refused.value.status, refused.value.code) == (404, "0x02404001")
    assert client.health().data["version"].startswith("1.0")
    assert client.get("/orgs").data["total"] > 0  # the rest of v1 is there
    assert client_factory(v11.url).health().data["version"].startswith("1.1")
    with pytest.raises(ValueError, match="contract"):
        datacenter_factory(world, contract="2.0")


# -- parsing and storing ----------------------------------------------------------------


def test_the_feed_stores_yesterdays_and_todays_rosters_and_follows_removals(
    city_world_factory, datacenter_factory, client_factory, store
):
    world = city_world_factory(fresh=True)
    server = datacenter_factory(world)
    runner = _runner(client_factory(server.url, retries=0), store)
    roster = runner["duty_roster"]
    roster.refresh()
    assert roster.status.last_update_success, roster.status.last_error
    yesterday, today = roster_dates(datetime.now(UTC))
    shifts = store.duty_shifts([yesterday, today])
    assert len(shifts) == 4 * ORGS
    assert {s.date for s in shifts} == {yesterday, today}
    assert all(s.source == "datacenter" for s in shifts)
    assert store.feature_offered("duty_roster") is True
    night = next(s for s in shifts if s.shift_id == f"DS-{GUSU}-{today:%Y%m%d}-N")
    assert bureau_time.at_bureau(night.start).time() == time(17, 30)
    assert night.end - night.start == timedelta(hours=15)
    assert night.leader is not None and night.leader.person_id.startswith(f"P-{GUSU}-")
    assert store.duty_shifts([today], [GUSU]) == [
        s for s in shifts if s.org_code == GUSU and s.date == today
    ]
    # nothing changed: conditional GETs, nothing written
    roster.refresh()
    assert roster.status.last_result.not_modified
    # a shift removed upstream disappears here
    world.remove_roster_shift(night.shift_id)
    roster.refresh()
    assert night.shift_id not in {s.shift_id for s in store.duty_shifts([yesterday, today])}
    assert len(store.duty_shifts([yesterday, today])) == 4 * ORGS - 1


def test_a_malformed_shift_is_quarantined_and_the_rest_kept(
    city_world_factory, datacenter_factory, client_factory, store
):
    world = city_world_factory(fresh=True)
    server = datacenter_factory(world)
    feed = DutyRosterFeed(300, client_factory(server.url, retries=0), store)
    today = _today()
    start = f"{today}T09:00:00+08:00"
    person = {"personId": "P-X-1", "name": "王敏", "phone": "13900000000"}
    hostile = "<b>x</b>" + "长" * 300
    world.add_roster_shift(
        today, {"shiftId": "BAD-1", "orgCode": GUSU, "start": start, "end": start}
    )
    world.add_roster_shift(
        today,
        {
            "shiftId": "BAD-2",
            "orgCode": GUSU,
            "start": start,
            "end": f"{today}T18:00:00+08:00",
            "leader": {"name": "无编号"},
            "officers": [],
        },
    )
    world.add_roster_shift(
        today,
        {
            "shiftId": "BAD-3",
            "orgCode": GUSU,
            "start": "tomorrow",
            "end": f"{today}T18:00:00+08:00",
            "leader": person,
        },
    )
    world.add_roster_shift(
        today,
        {
            "shiftId": "BAD-4",
            "orgCode": GUSU,
            "start": start,
            "end": f"{today}T18:00:00+08:00",
            "leader": person,
            "officers": [person, "李强"],
        },
    )
    world.add_roster_shift(today, ["not", "a", "shift"])
    world.add_roster_shift(
        today,
        {
            "shiftId": "HOSTILE",
            "orgCode": GUSU,
            "start": start,
            "end": f"{today}T18:00:00+08:00",
            "leader": {**person, "name": hostile},
            "officers": [],
            "unknownField": {"ignored": True},
        },
    )
    result = FeedCoordinator(feed, store)
    result.refresh()
    assert result.status.last_update_success, result.status.last_error
    kept = {s.shift_id: s for s in store.duty_shifts(roster_dates(datetime.now(UTC)))}
    assert len(kept) == 4 * ORGS + 1
    assert kept["HOSTILE"].leader.name.startswith("<b>x</b>长")  # kept, shortened
    reasons = {r.record_id: r.reason for r in store.rejections(feed="duty_roster")}
    assert "is not after start" in reasons["BAD-1"]
    assert reasons["BAD-2"] == "leader: missing personId"
    assert reasons["BAD-3"].startswith("start ")
    assert reasons["BAD-4"].startswith("officers[1] must be a JSON object")
    assert reasons[None] == "a shift must be a JSON object, got list ['not', 'a', 'shift']"
    assert reasons["HOSTILE"].startswith("stored shortened: name had 308 characters")
    assert result.status.last_result.rejected == 5

    # a shift stored before and sent broken now keeps what was stored of it
    day_shift = f"DS-{GUSU}-{today:%Y%m%d}-D"
    before = kept[day_shift]
    world.remove_roster_shift(day_shift)
    world.add_roster_shift(
        today, {"shiftId": day_shift, "orgCode": GUSU, "start": start, "end": "later"}
    )
    result.refresh()
    after = {s.shift_id: s for s in store.duty_shifts([today])}
    assert after[day_shift] == before
    assert "end" in {r.record_id: r.reason for r in store.rejections(feed="duty_roster")}[day_shift]


# -- who is on duty -----------------------------------------------------------------------


def _parsed(world, day: date) -> list[Shift]:
    return [parse_shift(raw, day) for raw in world.duty_roster(day)["shifts"]]


def test_at_three_in_the_morning_yesterdays_night_shift_is_on_duty(city_world_factory):
    world = city_world_factory()
    three = bureau_time.from_wall_time(date(2026, 11, 25), time(3, 0))
    yesterday, today = roster_dates(three)
    assert (yesterday, today) == (date(2026, 11, 24), date(2026, 11, 25))
    shifts = _parsed(world, yesterday) + _parsed(world, today)
    assert shift_on_duty(shifts, GUSU, three).shift_id == "DS-320508-20261124-N"
    assert shift_on_duty(_parsed(world, today), GUSU, three) is None  # today's alone: nobody
    # 08:30 sharp: the day shift has taken over; 17:30 the night shift
    at = bureau_time.from_wall_time
    assert shift_on_duty(shifts, GUSU, at(today, time(8, 30))).shift_id.endswith("25-D")
    assert shift_on_duty(shifts, GUSU, at(today, time(8, 29))).shift_id.endswith("24-N")
    assert shift_on_duty(shifts, GUSU, at(today, time(17, 30))).shift_id.endswith("25-N")
    assert shift_on_duty(shifts, CITY_CODE, three).shift_id == "DS-320500-20261124-N"
    assert shift_on_duty(shifts, "999999", three) is None


def test_on_roster_by_person_id_and_else_by_exact_name():
    shift = local_shift(
        "S",
        GUSU,
        date(2026, 11, 24),
        time(8, 30),
        time(17, 30),
        RosterPerson("P-320508-1", "王敏", "139"),
        [RosterPerson("P-320508-5", "李强"), RosterPerson(None, "张伟")],
    )
    by_id = Person("wm", "某人", ("duty_officer",), person_id="P-320508-5")
    assert on_roster(by_id, shift)
    assert not on_roster(Person("x", "李强", ("duty_officer",), person_id="P-9"), shift)
    assert on_roster(Person("zw", "张伟", ("duty_officer",)), shift)
    assert on_roster(Person("wm", "王敏", ("duty_officer",)), shift)
    assert not on_roster(Person("zw2", "张伟伟", ("duty_officer",)), shift)
    assert not on_roster(Person("nobody", "", ("duty_officer",)), shift)


def test_the_desks_organisations_and_a_local_shift_entered_by_wall_clock():
    gusu = Scope(GUSU)
    assert desk_org(gusu) == GUSU and desk_org(CITY) == CITY_CODE
    assert rosters_seen(gusu) == (GUSU, CITY_CODE) and rosters_seen(CITY) is None
    night = local_shift(
        "L", GUSU, date(2026, 11, 24), time(17, 30), time(8, 30), RosterPerson(None, "王敏"), []
    )
    assert night.local and night.start.isoformat() == "2026-11-24T17:30:00+08:00"
    assert night.end.isoformat() == "2026-11-25T08:30:00+08:00"
    with pytest.raises(InvalidShift, match="leader on duty or at least one officer"):
        local_shift("L", GUSU, date(2026, 11, 24), time(8), time(9), None, [])
    with pytest.raises(InvalidShift, match="at most 200"):
        local_shift(
            "L", GUSU, date(2026, 11, 24), time(8), time(9), RosterPerson(None, "x" * 201), []
        )
    assert officers_from_lines("李强 13912345678\n\n 张 伟 \n欧阳 0512-65550000\n") == [
        RosterPerson(None, "李强", "13912345678"),
        RosterPerson(None, "张 伟", ""),
        RosterPerson(None, "欧阳", "0512-65550000"),
    ]


def test_local_shifts_are_audited_and_live_beside_the_data_centers(store):
    commands = RosterCommands(store)
    by = Operator("张三 (zhangsan)", "duty_officer")
    heard = []
    store.subscribe(lambda event: heard.append(event.kind))
    today = _today()
    shift = commands.add_local_shift(
        GUSU, today, time(8, 30), time(17, 30), RosterPerson(None, "王敏", "139"), [], by
    )
    assert store.duty_shifts([today]) == [shift]
    assert store.replace_datacenter_shifts(today, []) == 0  # the data center's only
    assert store.duty_shifts([today]) == [shift]
    entry = store.audit_log(limit=1)[0]
    assert (entry.action, entry.target, entry.user) == ("roster.local_add", shift.shift_id, by.name)
    assert entry.detail["leader"] == {"name": "王敏", "phone": "139"}
    assert commands.remove_local_shift(shift.shift_id, by)
    assert store.duty_shifts([today]) == []
    assert store.audit_log(limit=1)[0].action == "roster.local_remove"
    assert not commands.remove_local_shift(shift.shift_id, by)
    assert heard.count("duty_roster") == 2


# -- a v1 data center -------------------------------------------------------------------


def test_against_a_v1_data_center_the_roster_is_not_offered_and_nothing_is_red(
    city_world_factory, datacenter_factory, client_factory, store
):
    server = datacenter_factory(city_world_factory(), contract="1.0")
    runner = _runner(client_factory(server.url, retries=0), store)
    runner.run_once()
    statuses = {name: c.status for name, c in runner.coordinators.items()}
    assert all(s.last_update_success for s in statuses.values()), {
        n: s.last_error for n, s in statuses.items() if not s.last_update_success
    }
    now = datetime.now(UTC)
    assert {n: s.freshness(now).state for n, s in statuses.items()} == dict.fromkeys(
        statuses, Freshness.FRESH
    )
    assert store.feature_offered("duty_roster") is False
    assert store.counts()["service_points"] > 0  # everything else keeps working
    assert store.duty_shifts(roster_dates(now)) == []
    assert not [s for s in store.feed_health("duty_roster") if not s.up]
    # not asked again at full rate
    asked = _roster_requests(server)
    assert asked == 1
    for _ in range(3):
        runner["duty_roster"].refresh()
    assert _roster_requests(server) == asked
    assert runner["duty_roster"].status.last_update_success


def test_a_v1_data_center_is_asked_again_rarely_or_when_its_version_changes(
    city_world_factory, datacenter_factory, client_factory, store
):
    world = city_world_factory()
    v1 = datacenter_factory(world, contract="1.0")
    clock = [datetime(2026, 11, 24, 2, 0, tzinfo=UTC)]
    version = ["1.0-sim"]
    feed = DutyRosterFeed(
        300,
        client_factory(v1.url, retries=0),
        store,
        server_version=lambda: version[0],
        now=lambda: clock[0],
    )
    feed.poll()
    assert store.feature_offered("duty_roster") is False
    clock[0] += timedelta(minutes=29)
    assert feed.poll().not_modified
    assert _roster_requests(v1) == 1
    clock[0] += timedelta(minutes=1)
    feed.poll()
    assert _roster_requests(v1) == 2
    assert store.feature_offered("duty_roster") is False
    # the data center is upgraded: its version changes, the roster is asked for at once
    v11 = datacenter_factory(world)
    feed.client = client_factory(v11.url, retries=0)
    version[0] = "1.1-sim"
    clock[0] += timedelta(minutes=1)
    result = feed.poll()
    assert store.feature_offered("duty_roster") is True
    assert result.records_in == 4 * ORGS
    assert len(store.duty_shifts(roster_dates(clock[0]))) == 4 * ORGS


def test_the_roster_feed_is_in_the_catalogue():
    assert DEFAULT_INTERVALS["duty_roster"] == 300
    assert FEED_LABELS["duty_roster"] == "值班表"
    assert FEED_LABELS["duty_roster"].en == "Duty roster"


# -- the panel and the status-bar line -----------------------------------------------------


@pytest.fixture
def console_factory(qtbot, store):
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    consoles = []

    def make(runner=None, person: Person | None = None, role: str = "duty_officer") -> Console:
        console = Console(
            store, StoreBridge(store), BackgroundReader(), runner=runner, person=person, role=role
        )
        consoles.append(console)
        return console

    yield make
    for console in consoles:
        console.lane.wait()
        console.reader.close(5_000)


def _texts(tree) -> list[list[str]]:
    rows = []
    for n in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(n)
        rows.append([group.text(0)])
        for c in range(group.childCount()):
            child = group.child(c)
            rows.append([child.text(column) for column in range(tree.columnCount())])
    return rows


def test_the_panel_against_a_v1_data_center_takes_a_local_shift(
    qtbot, qapp, city_world_factory, datacenter_factory, client_factory, store, console_factory
):
    from PySide6.QtCore import QTime

    from commandcenter.ui.people.roster import RosterPanel
    from commandcenter.ui.widgets import i18n

    i18n.install(qapp, i18n.CHINESE)
    server = datacenter_factory(city_world_factory(), contract="1.0")
    runner = _runner(client_factory(server.url, retries=0), store)
    runner["duty_roster"].refresh()
    person = Person("zhangsan", "张三", ("duty_officer",), county=GUSU)
    console = console_factory(runner, person)
    panel = RosterPanel(console)
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.not_offered.isVisible())
    assert panel.not_offered.text().startswith("本数据中心不提供值班表接口（数据接口 v1）")
    assert panel.form.isVisible()
    assert panel.form_org.count() == 1 and panel.form_org.currentData() == GUSU
    # nothing entered: said at once, nothing written
    panel.add_button.click()
    assert panel.form_notice.isVisible() and panel.form_notice.text()
    panel.form_leader.setText("<b>王敏</b>")
    panel.form_leader_phone.setText("13912345678")
    panel.form_officers.setPlainText("李强 13800000001\n张伟")
    panel.form_start.setTime(QTime(0, 0))
    panel.form_end.setTime(QTime(23, 59))
    panel.add_button.click()
    qtbot.waitUntil(lambda: len(_texts(panel.tree)) == 2)
    group, row = _texts(panel.tree)
    assert group == ["姑苏区"]
    assert row[1:4] == ["<b>王敏</b> 13912345678", "李强 13800000001、张伟", "本地"]
    assert row[4] == "当班"
    entry = store.audit_log(limit=1)[0]
    assert entry.action == "roster.local_add" and entry.user == "张三 (zhangsan)"
    (shift,) = store.duty_shifts([_today()])
    assert shift.local and shift.officers == (
        RosterPerson(None, "李强", "13800000001"),
        RosterPerson(None, "张伟", ""),
    )
    assert panel.form_leader.text() == ""  # ready for the next one
    # removed again: audited, gone
    panel.tree.topLevelItem(0).child(0).setSelected(True)
    assert panel.remove_button.isEnabled()
    panel.remove_button.click()
    qtbot.waitUntil(lambda: store.duty_shifts([_today()]) == [])
    assert store.audit_log(limit=1)[0].action == "roster.local_remove"
    qtbot.waitUntil(lambda: len(_texts(panel.tree)) == 1)
    # a role that may not enter shifts sees no form
    panel.apply_role("conference_operator")
    assert not panel.form.isVisible()


def test_the_panel_shows_the_scopes_rosters_with_the_shift_on_duty(
    qtbot, qapp, city_world_factory, datacenter_factory, client_factory, store, console_factory
):
    from commandcenter.ui.people.roster import RosterPanel
    from commandcenter.ui.widgets import i18n

    i18n.install(qapp, i18n.CHINESE)
    server = datacenter_factory(city_world_factory())
    runner = _runner(client_factory(server.url, retries=0), store)
    runner["duty_roster"].refresh()
    county = console_factory(runner, Person("zs", "张三", ("duty_officer",), county=GUSU))
    panel = RosterPanel(county)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 2)
    rows = _texts(panel.tree)
    assert [r[0] for r in rows if len(r) == 1] == ["姑苏区", "苏州市"]
    assert not panel.not_offered.isVisible() and not panel.form.isVisible()
    on_duty = [r for r in rows if len(r) > 1 and r[4] == "当班"]
    assert len(on_duty) == 2  # one for the county, one for the city
    now = datetime.now(UTC)
    current = shift_on_duty(store.duty_shifts(roster_dates(now)), GUSU, now)
    assert on_duty[0][1] == f"{current.leader.name} {current.leader.phone}"
    assert all(r[3] == "数据中心" for r in rows if len(r) > 1)
    # another day: that day's roster only
    panel.day.setDate(panel.day.date().addDays(-1))
    qtbot.waitUntil(lambda: _texts(panel.tree) != rows)
    # at midnight a panel showing today's roster goes on to the new day's
    panel._today = panel.shown_day
    panel._tick()
    assert panel.shown_day == _today()
    # the city desk sees every org
    city = RosterPanel(console_factory(runner, None))
    qtbot.addWidget(city)
    city.show()
    qtbot.waitUntil(lambda: city.tree.topLevelItemCount() == ORGS)
    assert city.tree.topLevelItem(0).text(0) == "苏州市"


def test_the_roster_line_names_who_is_on_duty_and_warns_who_is_not(
    qtbot, qapp, city_world_factory, datacenter_factory, client_factory, store, console_factory
):
    from commandcenter.ui.people.roster import RosterLine
    from commandcenter.ui.widgets import i18n

    i18n.install(qapp, i18n.CHINESE)
    server = datacenter_factory(city_world_factory())
    _runner(client_factory(server.url, retries=0), store)["duty_roster"].refresh()
    now = datetime.now(UTC)
    current = shift_on_duty(store.duty_shifts(roster_dates(now)), GUSU, now)
    officer = current.officers[0]
    on = RosterLine(
        console_factory(None, Person("o", "某人", ("duty_officer",), GUSU, officer.person_id))
    )
    qtbot.addWidget(on)
    qtbot.waitUntil(lambda: on.reading is not None)
    names = "、".join(p.name for p in current.officers)
    assert on.text() == f"值班领导 {current.leader.name} · 值班员 {names}"
    assert not on.warning
    off = RosterLine(console_factory(None, Person("x", "外人", ("duty_officer",), GUSU)))
    qtbot.addWidget(off)
    qtbot.waitUntil(lambda: off.reading is not None)
    assert off.text().startswith("您不在本班次值班表中 · ")  # first: what stays when shortened
    assert off.warning and "color" in off.styleSheet()
    assert off.toolTip()


def test_the_roster_line_against_a_v1_data_center_and_hostile_names(
    qtbot, qapp, city_world_factory, datacenter_factory, client_factory, store, console_factory
):
    from PySide6.QtCore import Qt

    from commandcenter.ui.people.roster import RosterLine
    from commandcenter.ui.widgets import i18n

    i18n.install(qapp, i18n.CHINESE)
    server = datacenter_factory(city_world_factory(), contract="1.0")
    _runner(client_factory(server.url, retries=0), store)["duty_roster"].refresh()
    line = RosterLine(console_factory(None, Person("x", "张三", ("duty_officer",), GUSU)))
    qtbot.addWidget(line)
    qtbot.waitUntil(lambda: line.reading is not None)
    assert line.text() == "值班表：数据中心未提供"
    assert not line.warning
    hostile = "<b>x</b>" + "长" * 150
    RosterCommands(store).add_local_shift(
        GUSU,
        _today(),
        time(0, 0),
        time(0, 0),  # the whole of today: on duty now
        RosterPerson(None, hostile, ""),
        [RosterPerson(None, "张三", "")],
        Operator("张三 (x)", "duty_officer"),
    )
    qtbot.waitUntil(lambda: line.reading is not None and line.reading.shift is not None)
    assert line.textFormat() == Qt.TextFormat.PlainText
    assert line.text() == f"值班领导 {hostile} · 值班员 张三"
    assert not line.warning  # 张三 is on it, by name


def test_the_roster_on_a_shared_postgresql_store(
    pg_url, city_world_factory, datacenter_factory, client_factory
):
    from commandcenter.store import Store

    world = city_world_factory()
    desk, other = Store(pg_url), Store(pg_url)
    try:
        other.listen_for_changes()
        heard = []
        other.subscribe(lambda event: heard.append(event))
        feed = DutyRosterFeed(300, client_factory(datacenter_factory(world).url), desk)
        result = feed.poll()
        assert result.records_in == 4 * ORGS
        now = datetime.now(UTC)
        assert len(other.duty_shifts(roster_dates(now))) == 4 * ORGS
        assert other.feature_offered("duty_roster") is True
        assert feed.poll().not_modified
        shift = RosterCommands(desk).add_local_shift(
            GUSU,
            _today(),
            time(8, 30),
            time(17, 30),
            RosterPerson(None, "王敏"),
            [],
            Operator("张三 (x)", "duty_officer"),
        )
        assert shift in other.duty_shifts([_today()], [GUSU])
        from tests.conftest import wait_until

        wait_until(
            lambda: any(e.kind == "duty_roster" and e.elsewhere for e in heard),
            what="the other desk hearing of the roster's change",
        )
    finally:
        desk.close()
        other.close()


def test_the_panel_and_the_line_change_language_in_place(
    qtbot, qapp, city_world_factory, datacenter_factory, client_factory, store, console_factory
):
    from commandcenter.ui.people.roster import RosterLine, RosterPanel
    from commandcenter.ui.widgets import i18n

    i18n.install(qapp, i18n.CHINESE)
    server = datacenter_factory(city_world_factory(), contract="1.0")
    _runner(client_factory(server.url, retries=0), store)["duty_roster"].refresh()
    console = console_factory(None, Person("x", "张三", ("duty_officer",), GUSU))
    panel, line = RosterPanel(console), RosterLine(console)
    for widget in (panel, line):
        qtbot.addWidget(widget)
        widget.show()
    qtbot.waitUntil(lambda: line.reading is not None and panel.not_offered.isVisible())
    assert panel.tree.headerItem().text(1) == "值班领导"
    i18n.install(qapp, i18n.ENGLISH)
    panel.retranslate()
    qtbot.waitUntil(lambda: line.text() == "Duty roster: not offered by the data center")
    assert panel.tree.headerItem().text(1) == "Leader on duty"
    assert panel.not_offered.text().startswith("This data center offers no duty roster")
    assert panel.form_org.currentText() == "Gusu"


def test_a_broken_roster_document_fails_the_poll_and_keeps_what_was_stored(store, client_factory):
    """A server of the test's own: answers are set one by one."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    answers: dict[str, object] = {}

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self):
            day = self.path.partition("date=")[2][:10]
            body = json.dumps({"code": "0", "msg": "success", "data": answers[day]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        now = datetime.now(UTC)
        yesterday, today = (d.isoformat() for d in roster_dates(now))
        shift = {
            "shiftId": "S1",
            "orgCode": GUSU,
            "start": bureau_time.iso(now - timedelta(hours=1)),
            "end": bureau_time.iso(now + timedelta(hours=1)),
            "leader": {"personId": "P-1", "name": "王敏", "phone": ""},
            "officers": [],
        }
        answers[yesterday] = {"date": yesterday, "shifts": []}
        answers[today] = {"date": today, "shifts": [shift]}
        url = f"http://127.0.0.1:{server.server_address[1]}"
        coordinator = FeedCoordinator(
            DutyRosterFeed(300, client_factory(url, retries=0), store), store
        )
        coordinator.refresh()
        assert [s.shift_id for s in store.duty_shifts(roster_dates(now))] == ["S1"]
        for broken, words in (
            ({"date": today, "shifts": "none today"}, "shifts is a str, not a list"),
            ({"date": yesterday, "shifts": []}, f"asked for the roster of {today}, answered"),
            ([shift], "data is a list"),
        ):
            answers[today] = broken
            coordinator.refresh()
            assert not coordinator.status.last_update_success
            assert words in coordinator.status.last_error
            assert [s.shift_id for s in store.duty_shifts(roster_dates(now))] == ["S1"]
    finally:
        server.shutdown()
        server.server_close()
