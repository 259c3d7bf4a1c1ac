"""The people at the desk, end to end in the window: signing in with a local account
(keyboard only, the user name remembered, never the password), the role chosen, the
lock after the idle time, the same person coming back, another person taking the desk
over (a shift change: audited, in the duty log, the handover waiting to be accepted),
and the embedded default's demo officer."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QSettings, Qt

from commandcenter.config import Config
from commandcenter.domain.passwords import hash_password
from commandcenter.domain.people import DEMO_PERSON
from commandcenter.feeds.catalog import build_feeds
from commandcenter.feeds.coordinator import FeedCoordinator
from commandcenter.feeds.runner import FeedRunner
from commandcenter.runtime import Runtime
from commandcenter.services.sign_in import SignIn
from tests.conftest import ManualClock

PASSWORDS = {"lijing": "Wuzhong-2026!", "zhaolei": "Gusu-night-77"}


@pytest.fixture
def accounts(store):
    store.add_local_account(
        "lijing",
        name="李静",
        roles=("duty_officer", "supervisor"),
        password_hash=hash_password(PASSWORDS["lijing"]),
        county="320506",
    )
    store.add_local_account(
        "zhaolei",
        name="赵磊",
        roles=("duty_officer",),
        password_hash=hash_password(PASSWORDS["zhaolei"]),
        county="320506",
    )
    return store


@pytest.fixture
def desk(qtbot, tmp_path, accounts, city_world_factory, datacenter_factory, client_factory):
    """A window of a county desk signed in as 李静, locking after 0.6 s idle."""
    from commandcenter.ui.shell.window import MainWindow

    store = accounts
    server = datacenter_factory(city_world_factory(clock=ManualClock()))
    client = client_factory(server.url, retries=0)
    runner = FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {}))
    config = Config(datacenter_url=server.url, ak="test", lock_after_minutes=0.01)
    runtime = Runtime(config=config, store=store, client=client, runner=runner)
    runner.run_once()
    sign_in = SignIn(config, store)
    person = sign_in.sign_in("lijing", PASSWORDS["lijing"])
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        runtime, settings=settings, role="duty_officer", person=person, sign_in=sign_in
    )
    qtbot.addWidget(window)
    window.show()
    yield window, store, tmp_path / "ui.ini"
    window.close()


def actions(store, action: str) -> list:
    return [e for e in store.audit_log() if e.action == action]


def test_signing_in_by_keyboard_remembers_the_name_never_the_password(qtbot, tmp_path, accounts):
    from commandcenter.ui.operations.audit import role_name
    from commandcenter.ui.people.sign_in import SignInDialog

    settings_file = tmp_path / "signin.ini"
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    sign_in = SignIn(Config(datacenter_url="https://dc.example", ak="x"), accounts)
    assert sign_in.needs_sign_in()
    dialog = SignInDialog(sign_in.sign_in, settings, role_name)
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    qtbot.waitUntil(lambda: form.user.hasFocus(), timeout=5_000)
    qtbot.keyClicks(form.user, "lijing")
    qtbot.keyClick(form.user, Qt.Key.Key_Return)  # on to the password
    assert form.password.hasFocus()
    qtbot.keyClicks(form.password, "not-her-password")
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "wrong user name or password" in form.message.text(), timeout=10_000)
    assert form.password.text() == "" and dialog.person is None
    qtbot.keyClicks(form.password, PASSWORDS["lijing"])
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    # two roles: she chooses, by keyboard too
    qtbot.waitUntil(lambda: form.role.isVisible(), timeout=10_000)
    assert [form.role.itemData(i) for i in range(form.role.count())] == [
        "duty_officer",
        "supervisor",
    ]
    form.role.setCurrentIndex(1)
    qtbot.keyClick(form.role, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.person is not None, timeout=5_000)
    assert dialog.person.name == "李静" and dialog.role == "supervisor"
    assert dialog.person.scope.county == "320506"
    settings.sync()
    kept = settings_file.read_text(encoding="utf-8")
    assert "lijing" in kept and PASSWORDS["lijing"] not in kept
    assert [e.user for e in actions(accounts, "person.sign_in_failed")] == ["lijing"]
    assert [e.user for e in actions(accounts, "person.sign_in")] == ["lijing"]

    # the next start offers the name and the role she chose last
    again = SignInDialog(sign_in.sign_in, settings, role_name)
    qtbot.addWidget(again)
    again.show()
    assert again.form.user.text() == "lijing"
    qtbot.waitUntil(lambda: again.form.password.hasFocus(), timeout=5_000)


def test_the_desk_locks_when_idle_and_the_same_person_comes_back(desk, qtbot):
    window, store, _settings = desk
    assert "李静" in window.session.person_label.text()
    assert "吴中区" in window.session.person_label.text()
    qtbot.waitUntil(lambda: window.session.locked, timeout=10_000)
    lock = window.session.lock_screen
    # the controls and the panels are covered, the urgent-alert banner is not
    banner = window.alert_bar.geometry()
    assert lock.geometry().top() == banner.bottom() + 1
    assert lock.geometry().bottom() == window.rect().bottom()
    assert lock.geometry().width() == window.width()
    assert not window.docks["alerts"].isEnabled() and not window.menus.lock_action.isEnabled()
    assert not window.alert_banner.isEnabled()  # seen, not acknowledged, while locked
    assert lock.form.user.text() == "lijing"
    qtbot.waitUntil(lambda: bool(actions(store, "screen.lock")), timeout=5_000)
    qtbot.keyClicks(lock.form.password, PASSWORDS["lijing"])
    qtbot.keyClick(lock.form.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: lock.form.role.isVisible(), timeout=10_000)
    qtbot.keyClick(lock.form.role, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.session.locked, timeout=5_000)
    assert window.console.person.user_name == "lijing"
    assert window.docks["alerts"].isEnabled() and window.menus.lock_action.isEnabled()
    assert [e.user for e in actions(store, "screen.unlock")] == ["lijing"]
    assert not actions(store, "person.shift_change")


def test_another_person_at_the_lock_takes_the_desk_over(desk, qtbot):
    window, store, _settings = desk
    console = window.console
    # the outgoing officer hands over before she leaves
    handover = console.commands.duty.open_handover(
        console.on_duty(), console.person, console.scope, "吴中区司法所视频离线，已报修"
    )
    window.lock_desk()
    assert window.session.locked
    lock = window.session.lock_screen
    lock.form.user.clear()
    qtbot.keyClicks(lock.form.user, "zhaolei")
    qtbot.keyClick(lock.form.user, Qt.Key.Key_Return)
    qtbot.keyClicks(lock.form.password, PASSWORDS["zhaolei"])
    qtbot.keyClick(lock.form.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.session.locked, timeout=10_000)
    assert console.person.user_name == "zhaolei" and console.role == "duty_officer"
    assert console.operator == "赵磊 (zhaolei)"
    assert [e.user for e in actions(store, "person.shift_change")] == ["zhaolei"]
    assert "赵磊" in window.session.person_label.text()
    # the role menu: his one role
    assert [a.data() for a in window.menus.role_actions.actions()] == ["duty_officer"]
    # the duty log has him taking the desk; the handover waits for him
    qtbot.waitUntil(
        lambda: any(e.author == "zhaolei" for e in store.duty_entries(kind="sign_in")),
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: window.handover_review is not None, timeout=10_000)
    assert window.handover_review.handover.id == handover.id


def test_the_embedded_default_signs_the_demo_officer_in_by_itself(store, tmp_path):
    from commandcenter.app import _sign_in

    runtime = Runtime(config=Config(), store=store, client=None, runner=None)
    person, role, sign_in = _sign_in(Config(), runtime, None)
    assert person == DEMO_PERSON and role == "duty_officer" and sign_in is None
    entry = actions(store, "person.sign_in")[0]
    assert entry.user == DEMO_PERSON.audit_name and entry.detail["automatic"]
