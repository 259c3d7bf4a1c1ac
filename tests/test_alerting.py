"""Urgent alerts announced with a sound and a banner, escalated when nobody answers,
muted for a while but never silently."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from commandcenter.domain.alerting import AlertingPolicy, Announcer
from commandcenter.domain.records import Alert

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def alert(alert_id: str, severity: int, status: str = "new", at: datetime = NOW) -> Alert:
    return Alert(
        alert_id,
        "emergency",
        severity,
        None,
        None,
        None,
        None,
        None,
        None,
        at,
        f"告警 {alert_id}",
        "",
        status,
        None,
        None,
        at,
    )


def test_each_urgent_alert_is_announced_once_and_a_critical_one_escalates_until_acknowledged():
    a = Announcer(AlertingPolicy(announce_up_to=2, escalate_after_s=60, repeat_s=30))
    first = a.decide([alert("A1", 1), alert("A2", 2), alert("A3", 3)], NOW)
    assert [x.alert_id for x in first.announce] == ["A1", "A2"] and first.sound == "alert"
    assert first.banner.alert_id == "A1" and first.escalated == ()
    again = a.decide([alert("A1", 1), alert("A2", 2)], NOW + timedelta(seconds=10))
    assert again.announce == () and again.sound is None and again.banner.alert_id == "A1"
    late = a.decide([alert("A1", 1), alert("A2", 2)], NOW + timedelta(seconds=61))
    assert [x.alert_id for x in late.escalated] == ["A1"] and late.sound == "escalated"
    assert (
        a.decide([alert("A1", 1)], NOW + timedelta(seconds=70)).sound is None
    )  # not before repeat_s
    assert a.decide([alert("A1", 1)], NOW + timedelta(seconds=92)).sound == "escalated"
    done = a.decide([alert("A1", 1, "acked"), alert("A2", 2)], NOW + timedelta(seconds=100))
    assert done.escalated == () and done.banner.alert_id == "A2"
    assert a.decide([], NOW + timedelta(seconds=101)).banner is None


def test_muting_silences_the_sound_for_a_while_but_keeps_the_banner():
    a = Announcer()
    until = a.mute(NOW, 5)
    muted = a.decide([alert("B1", 1)], NOW + timedelta(minutes=1))
    assert (
        muted.sound is None
        and muted.banner.alert_id == "B1"
        and until == NOW + timedelta(minutes=5)
    )
    after = a.decide([alert("B1", 1), alert("B2", 2)], NOW + timedelta(minutes=6))
    assert after.sound in ("alert", "escalated") and a.muted(NOW + timedelta(minutes=6)) is False


def test_the_banner_names_the_alert_sounds_and_says_when_it_cannot(qtbot, store):
    from commandcenter.ui.alerts.announcer import AlertAnnouncer, AlertBanner
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    console = Console(store, StoreBridge(store), BackgroundReader(), operator="值班员甲")
    banner = AlertBanner()
    qtbot.addWidget(banner)
    shown = []
    banner.shown.connect(shown.append)
    announcer = AlertAnnouncer(
        console, banner, policy=AlertingPolicy(escalate_after_s=1.0, repeat_s=1.0)
    )
    try:
        now = datetime.now(UTC)
        with qtbot.waitSignal(announcer.played, timeout=5_000) as played:
            store.upsert_alerts([alert("C1", 1, at=now - timedelta(seconds=5))])
        assert played.args == ["alert"]
        qtbot.waitUntil(lambda: banner.alert is not None and shown[-1] is True, timeout=5_000)
        assert "告警 C1" in banner.text.text() and "特急" in banner.text.text()
        height = banner.height()
        assert (
            banner.minimumHeight() == banner.maximumHeight() == height >= banner.sizeHint().height()
        )
        if not announcer.audio_available():  # this machine has no audio output: the banner says so
            assert banner.state.text() != ""
        # nobody acknowledges: after a second it escalates, flashing and louder
        with qtbot.waitSignal(
            announcer.played, timeout=10_000, check_params_cb=lambda s: s == "escalated"
        ):
            pass
        assert banner.escalated
        banner.mute.emit(5.0)
        qtbot.waitUntil(
            lambda: "muted until" in banner.state.text() or "静音至" in banner.state.text(),
            timeout=5_000,
        )
        assert any(e.action == "alerts.mute" for e in store.audit_log())
        with qtbot.assertNotEmitted(announcer.played, wait=1500):
            store.upsert_alerts([alert("C2", 2, at=now)])
        qtbot.waitUntil(
            lambda: "1" in banner.text.text(), timeout=5_000
        )  # "1 more not acknowledged"
        store.upsert_alerts(
            [
                replace(alert("C1", 1, at=now - timedelta(seconds=5)), status="acked"),
                replace(alert("C2", 2, at=now), status="closed"),
            ]
        )
        qtbot.waitUntil(lambda: banner.alert is None and shown[-1] is False, timeout=5_000)
        # the banner stays and says so, at the same height: nothing else in the window moves
        assert banner.text.text() in (
            "无待确认的紧急告警",
            "No urgent alert waiting for acknowledgement",
        )
        assert not banner.ack.isEnabled() and not banner.escalated
        assert banner.height() == height >= banner.sizeHint().height()
    finally:
        console.reader.close(5_000)
        console.alert_reader.close(5_000)
        console.snapshots.close()


def test_an_alerts_timeline_merges_the_data_centers_reports_with_the_desks_actions_in_order():
    from commandcenter.domain.alert_handling import (
        Action,
        AlertAction,
        effective_status,
        handling,
        timeline,
    )

    a = alert("AL-1", 1, at=NOW)
    t = [NOW + timedelta(seconds=s) for s in range(10)]
    history = [
        {"status": "new", "ack_by": None, "ack_at": None, "updated_at": t[0], "recorded_at": t[1]},
        {
            "status": "acked",
            "ack_by": "乙",
            "ack_at": t[5],
            "updated_at": t[5],
            "recorded_at": t[6],
        },
        {
            "status": "acked",
            "ack_by": "乙",
            "ack_at": t[5],
            "updated_at": t[5],
            "recorded_at": t[6],
        },  # re-sent
    ]
    actions = [
        AlertAction("AL-1", Action.SEEN, "甲", t[2]),
        AlertAction("AL-1", Action.ASSIGN, "甲", t[3], "丙"),
        AlertAction("AL-1", Action.ACKNOWLEDGE, "甲", t[4], "已派员"),
        AlertAction("AL-1", Action.COMMENT, "丙", t[7], "到场"),
        AlertAction("AL-1", Action.CLOSE, "甲", t[8], "处置完毕"),
    ]
    entries = timeline(a, history, actions, refusals=[(t[9], "422 operator")])
    assert [(e.event, e.actor) for e in entries] == [
        ("occurred", ""),
        ("arrived", ""),
        ("seen", "甲"),
        ("assign", "甲"),
        ("acknowledge", "甲"),
        ("acked", "乙"),
        ("comment", "丙"),
        ("close", "甲"),
        ("refused", ""),
    ]
    assert [e.source for e in entries][:2] == ["datacenter", "datacenter"]
    handled = handling(actions)["AL-1"]
    assert handled.assignee == "丙" and handled.closed_by == "甲" and handled.closed_at == t[8]
    assert effective_status(replace(a, status="acked"), handled) == "closed"
    assert effective_status(a, None) == "new"
    # reassigned: the latest assignment holds
    later = handling([*actions, AlertAction("AL-1", Action.ASSIGN, "甲", t[9], "丁")])["AL-1"]
    assert later.assignee == "丁"


def test_the_map_and_wall_open_on_the_banners_alert_then_follow_each_new_critical_one():
    """One rule decides: at start the place shown is the banner's alert (the most severe,
    waiting longest), not the newest of the backlog; later each round's newest critical."""
    a = Announcer(AlertingPolicy())
    backlog = [
        alert("OLD1", 1, at=NOW - timedelta(hours=2)),
        alert("NEW1", 1, at=NOW - timedelta(minutes=5)),
        alert("URG2", 2, at=NOW - timedelta(hours=3)),
    ]
    first = a.decide(backlog, NOW)
    assert first.banner.alert_id == "OLD1" and first.focus is first.banner
    assert a.decide(backlog, NOW + timedelta(seconds=5)).focus is None  # nothing new
    later = [*backlog, alert("N2", 1, at=NOW + timedelta(minutes=1))]
    later += [alert("N3", 1, at=NOW + timedelta(minutes=2)), alert("N4", 2)]
    decided = a.decide(later, NOW + timedelta(minutes=3))
    assert decided.banner.alert_id == "OLD1" and decided.focus.alert_id == "N3"
