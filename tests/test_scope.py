"""A county desk sees and acts on its county only: every panel, search, export and
report, against a store synced from the simulated data center over real HTTP; the city
desk sees all; another person taking the desk over brings their own scope."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QSettings

from commandcenter.config import Config
from commandcenter.domain.geography import county_code
from commandcenter.domain.people import Person
from commandcenter.feeds.catalog import build_feeds
from commandcenter.feeds.coordinator import FeedCoordinator
from commandcenter.feeds.runner import FeedRunner
from commandcenter.runtime import Runtime
from commandcenter.services.command import OutOfScope
from commandcenter.store.scope import alert_in_scope
from tests.conftest import ManualClock

WUZHONG = "320506"
OFFICER = Person("lijing", "李静", ("duty_officer", "supervisor"), county=WUZHONG, source="local")
CITY_OFFICER = Person("wangmin", "王敏", ("duty_officer",), county=None, source="local")


@pytest.fixture
def county_desk(qtbot, tmp_path, store, city_world_factory, datacenter_factory, client_factory):
    from commandcenter.ui.shell.window import MainWindow

    server = datacenter_factory(city_world_factory(clock=ManualClock()))
    client = client_factory(server.url, retries=0)
    runner = FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {}))
    runtime = Runtime(
        config=Config(datacenter_url=server.url, ak="test"),
        store=store,
        client=client,
        runner=runner,
    )
    runner.run_once()
    window = MainWindow(
        runtime,
        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
        role="duty_officer",
        person=OFFICER,
    )
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def in_county(org_code: str) -> bool:
    return county_code(org_code) == WUZHONG


def test_a_county_officer_sees_their_county_in_every_panel(county_desk, qtbot, store):
    window = county_desk
    p = window.panels
    points = {sp.point_id: sp for sp in store.service_points()}
    ours = {i for i, sp in points.items() if in_county(sp.org_code)}
    assert ours and len(ours) < len(points)  # the city has other counties' points too

    # the directory and its search
    qtbot.waitUntil(lambda: p["directory"].model.rowCount() == len(ours), timeout=10_000)
    assert {r.point_id for r in p["directory"].model.records} == ours
    outside = next(sp for sp in points.values() if not in_county(sp.org_code))
    p["directory"].search.setText(outside.name)
    qtbot.waitUntil(lambda: p["directory"].model.rowCount() == 0, timeout=5_000)

    # alerts: those of the county's points (or, with no point, that happened there)
    everything = {a.alert_id: a for a in store.alerts()}
    expected = {i for i, a in everything.items() if alert_in_scope(a, points, OFFICER.scope)}
    assert expected and len(expected) < len(everything)
    window.docks["alerts"].show()
    window.docks["alerts"].raise_()
    qtbot.waitUntil(lambda: p["alerts"].model.rowCount() > 0, timeout=10_000)
    shown = {a.alert_id for a in p["alerts"].model.records}
    assert shown and shown <= expected

    # the wall: cameras of the county's points only
    qtbot.waitUntil(lambda: bool(p["wall"]._contents), timeout=10_000)
    assert all(c.camera.point_id in ours for c in p["wall"]._contents)

    # the map: its points and its county menu
    qtbot.waitUntil(lambda: p["map"]._state is not None, timeout=20_000)
    qtbot.waitUntil(lambda: set(p["map"]._state.points) <= ours, timeout=10_000)
    assert p["map"]._counties == [WUZHONG]

    # statistics: the county's trend, its export tables, nothing of another county
    stats = p["statistics"]
    assert stats.spec.county == WUZHONG
    assert [stats.county.itemData(i) for i in range(stats.county.count())] == [WUZHONG]
    figures = window.console.case_history.figures()
    assert set(figures.orgs) and all(in_county(o) for o in figures.orgs)
    window.docks["statistics"].show()
    window.docks["statistics"].raise_()
    qtbot.waitUntil(lambda: stats._trend is not None, timeout=10_000)
    ranking = stats.tables()[1]
    assert {row[1] for row in ranking.rows} <= {WUZHONG}

    # the overview: the city-wide summary is not shown, the county's figures are
    overview = p["overview"]
    window.docks["overview"].show()
    window.docks["overview"].raise_()
    qtbot.waitUntil(lambda: "吴中区" in overview.as_of.text(), timeout=10_000)

    # the daily report: the county's
    from commandcenter.ui.statistics.daily_report import read_figures

    report = read_figures(window.console)
    assert report.place == "吴中区"
    assert "实时情况" not in report.live

    # supervision and meetings: only what concerns the county's points
    supervision = p["supervision"]
    window.docks["supervision"].show()
    window.docks["supervision"].raise_()
    qtbot.waitUntil(lambda: supervision.data is not None, timeout=10_000)
    assert all(i.point_id in ours for i in supervision.data.inspections)
    assert set(supervision.data.points) == ours
    meetings = p["meetings"]
    assert all(
        m.host_point_id in ours or any(x.point_id in ours for x in m.participants)
        for m in meetings.meetings.records
    )


def test_a_county_officer_cannot_act_outside_the_county(county_desk, store):
    console = county_desk.console
    points = {sp.point_id: sp for sp in store.service_points()}
    outside = next(
        a for a in store.alerts(open_only=True) if not alert_in_scope(a, points, OFFICER.scope)
    )
    with pytest.raises(OutOfScope) as refused:
        console.commands.alerts.acknowledge(outside, "不是本区", console.on_duty())
    assert "吴中区" in refused.value.reason and outside.alert_id in refused.value.reason
    assert store.commands(target=outside.alert_id) == []  # nothing was written
    other_point = next(i for i, sp in points.items() if not in_county(sp.org_code))
    with pytest.raises(OutOfScope):
        console.commands.meetings.launch("跨区会议", None, [other_point], None, console.on_duty())
    own = next(a for a in store.alerts(open_only=True) if alert_in_scope(a, points, OFFICER.scope))
    console.commands.alerts.acknowledge(own, "已处置", console.on_duty())  # in scope: accepted
    assert store.commands(target=own.alert_id)


def test_another_person_taking_the_desk_brings_their_scope(county_desk, qtbot, store):
    window = county_desk
    directory = window.panels["directory"]
    every = len(store.service_points())
    qtbot.waitUntil(lambda: 0 < directory.model.rowCount() < every, timeout=10_000)
    window.take_over(CITY_OFFICER, "duty_officer")
    assert window.console.person == CITY_OFFICER and window.console.scope.city
    assert window.console.operator == "王敏 (wangmin)"
    qtbot.waitUntil(lambda: directory.model.rowCount() == every, timeout=10_000)
    stats = window.panels["statistics"]
    assert stats.spec.county is None and stats.county.count() > 1
    # the role menu holds the person's roles only
    roles = [a.data() for a in window.menus.role_actions.actions()]
    assert roles == ["duty_officer"]
    assert not window.switch_role("supervisor", confirm=False)


def test_a_county_desk_keeps_and_changes_its_own_roster_only(store):
    from datetime import time

    from commandcenter.domain.bureau_time import now as bureau_now
    from commandcenter.domain.geography import CITY_CODE
    from commandcenter.domain.roster import RosterPerson
    from commandcenter.services.command import Operator
    from commandcenter.services.roster import RosterCommands, RosterRefused

    roster = RosterCommands(store)
    ours = Operator(OFFICER.audit_name, "duty_officer", OFFICER.scope)
    city = Operator(CITY_OFFICER.audit_name, "duty_officer", CITY_OFFICER.scope)
    day = bureau_now().date()
    leader = RosterPerson(None, "周伟", "13800000000")
    with pytest.raises(RosterRefused, match="吴中区"):
        roster.add_local_shift(CITY_CODE, day, time(8, 30), time(17, 30), leader, [], ours)
    own = roster.add_local_shift(WUZHONG, day, time(8, 30), time(17, 30), leader, [], ours)
    citys = roster.add_local_shift(CITY_CODE, day, time(8, 30), time(17, 30), leader, [], city)
    with pytest.raises(RosterRefused):
        roster.remove_local_shift(citys.shift_id, ours)
    assert {s.shift_id for s in store.duty_shifts([day])} == {own.shift_id, citys.shift_id}
    assert roster.remove_local_shift(own.shift_id, ours)
    with pytest.raises(RosterRefused, match="may not"):
        roster.add_local_shift(
            WUZHONG,
            day,
            time(8, 30),
            time(17, 30),
            leader,
            [],
            Operator("会务", "conference_operator", OFFICER.scope),
        )


def test_an_alert_without_a_point_belongs_where_it_happened(store):
    from dataclasses import replace
    from datetime import UTC, datetime

    from commandcenter.domain.geography import CITY_CODE
    from commandcenter.domain.records import Alert
    from commandcenter.store.scope import alert_county

    now = datetime.now(UTC)
    sos = Alert(
        "AL-SOS",
        "sos",
        1,
        None,
        120.260789,
        31.147655,
        "GCJ02",
        None,
        None,
        now,
        "一键求助",
        "",
        "new",
        None,
        None,
        now,
    )
    assert alert_county(sos, None) == WUZHONG
    assert alert_in_scope(sos, {}, OFFICER.scope)
    assert not alert_in_scope(sos, {}, Person("x", "x", ("duty_officer",), county="320508").scope)
    nowhere = replace(sos, lng=None, lat=None)
    assert alert_county(nowhere, None) == CITY_CODE  # the city sees it, no county does
    assert not alert_in_scope(nowhere, {}, OFFICER.scope)


def test_a_county_desk_reads_its_own_audit_entries_and_refuses_unknown_alerts(
    county_desk, qtbot, store
):
    window = county_desk
    store.append_audit(
        user="王敏 (wangmin)",
        role="duty_officer",
        action="alert.comment",
        target="AL-X",
        detail={"text": "另一区的备注"},
    )
    window.console.audit("ui.language", "zh_CN", {})
    audit = window.panels["audit"]
    window.docks["audit"].show()
    window.docks["audit"].raise_()
    audit.reload(urgent=True)
    qtbot.waitUntil(lambda: audit.model.rowCount() > 0, timeout=10_000)
    assert {e.user for e in audit.model.records} <= {OFFICER.audit_name, OFFICER.user_name}
    console = window.console
    with pytest.raises(OutOfScope, match="no alert AL-NOPE"):
        console.commands.alerts.comment("AL-NOPE", "查询", console.on_duty())
