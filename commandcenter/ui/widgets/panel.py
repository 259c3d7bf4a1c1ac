"""What every panel of the console shares: the services it is given, reloading off
the GUI thread when its kinds of data change, and a banner that says so when the
feeds behind it are stale or down instead of pretending to be live."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer
from PySide6.QtWidgets import QInputDialog, QVBoxLayout, QWidget

from commandcenter.domain import roles
from commandcenter.domain import thresholds as thresholds_
from commandcenter.domain.freshness import Freshness
from commandcenter.domain.geography import default_population
from commandcenter.domain.people import CITY, Person, Scope
from commandcenter.feeds.catalog import FEED_LABELS
from commandcenter.local.host import signed_in_person
from commandcenter.services import Operator, OperatorCommands
from commandcenter.store import Store
from commandcenter.store.case_history import CaseHistory, ScopedCaseHistory
from commandcenter.store.snapshots import Snapshots
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.commands import CommandLane
from commandcenter.ui.widgets.style import FRESHNESS_COLOURS
from commandcenter.ui.widgets.text import plain_label
from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge


@dataclass
class Console:
    """The services panels work with; one per window."""

    store: Store
    bridge: StoreBridge
    reader: BackgroundReader
    # the feeds' statuses (`coordinators`): the FeedRunner or the collector process, or on a
    # shared store what the store records of the leading collector's polls; None without feeds
    runner: Any = None
    cameras: Any = (
        None  # CameraCommands (preview URLs, PTZ) for the video tiles; None without a data center
    )
    settings: Any = None  # the workstation's QSettings (named wall layouts); None: nothing is kept
    map_base: Any = None  # map.tiles.MapBase from the configuration; None: the offline boundaries
    role: str = "duty_officer"
    operator: str = ""
    # the person signed in (domain.people.Person); None: no sign-in (a test, a tool), the
    # city in scope and `operator` naming whoever gives the commands
    person: Person | None = None
    snapshots: Snapshots = None  # type: ignore[assignment]  # made from the store when not given
    # the case history as the desk's scope reads it; made from the store when not given
    case_history: ScopedCaseHistory = None  # type: ignore[assignment]
    thresholds: dict[str, tuple[float, float]] = field(
        default_factory=lambda: dict(thresholds_.DEFAULTS)
    )
    # residents per county in units of 10,000, for figures per 10,000 residents
    population_10k: dict[str, float] = field(default_factory=lambda: default_population())
    # alerts are read on a reader of their own: a new alert must not wait behind the
    # map's or the directory's read of every point (made from `reader` when not given)
    alert_reader: BackgroundReader = None  # type: ignore[assignment]
    # the operators' commands (services), run off the GUI thread on `lane`; both made
    # from the store when not given
    commands: OperatorCommands = None  # type: ignore[assignment]
    lane: CommandLane = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.person is not None:
            self.operator = self.person.audit_name
        if not self.operator:  # none configured: the person signed in to this desk
            self.operator = signed_in_person() or "?"
        if self.snapshots is None:
            self.snapshots = Snapshots(self.store, scope_of=lambda: self.scope)
        if self.case_history is None:
            self.case_history = ScopedCaseHistory(CaseHistory(self.store), lambda: self.scope)
        if self.alert_reader is None:
            self.alert_reader = BackgroundReader(parent=self.reader.parent())
        if self.commands is None:
            self.commands = OperatorCommands(self.store)
        if self.lane is None:
            self.lane = CommandLane(parent=self.reader.parent())

    @property
    def scope(self) -> Scope:
        """The part of the city this desk sees and acts on: the signed-in person's county,
        or the city."""
        return self.person.scope if self.person is not None else CITY

    def sign_in(self, person: Person, role: str) -> None:
        """A person took the desk (a sign-in, a shift change) in one of their roles."""
        self.person = person
        self.operator = person.audit_name
        self.role = role

    def on_duty(self) -> Operator:
        """Who gives the commands at this workstation now, in its current role."""
        return Operator(self.operator, self.role, self.scope)

    def may(self, action: str) -> bool:
        """Whether this workstation's role may take the action (domain.roles)."""
        return roles.may(self.role, action)

    def audit(self, action: str, target: str | None, detail: dict | None = None) -> None:
        """Every state-changing action of the operator goes through here."""
        self.store.append_audit(
            user=self.operator,
            role=self.role,
            action=action,
            target=target,
            detail=detail or {},
        )


def ask_for_name(parent: QWidget, title: str, prompt: str) -> str | None:
    """A name for something saved in the settings (a layout, a wall); None if cancelled
    or empty. Slashes would nest settings groups, so they become dashes."""
    name, ok = QInputDialog.getText(parent, title, prompt)
    name = name.strip().replace("/", "-")
    return name if ok and name else None


def feed_name(feed: str) -> str:
    return i18n.label(FEED_LABELS.get(feed, feed))


class Panel(QWidget):
    """A panel: `reload()` reads in the background and hands the result to `show_data()`."""

    reload_on: tuple[str, ...] = ()  # store change kinds that call for a reload
    feeds: tuple[str, ...] = ()  # the feeds whose data the panel shows
    # A full sync changes the store many times a second: a panel reads at most once a
    # second (the reader also paces all panels' reads together, see BackgroundReader).
    min_reload_interval_ms = 1000
    alert_lane = False  # read on the console's alert reader (see Console.alert_reader)

    def __init__(self, console: Console, parent: QWidget | None = None):
        super().__init__(parent)
        self.console = console
        self.banner = plain_label()  # may quote the database's words
        self.banner.setObjectName("staleBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        # a command of the operator's that failed: kept until the next one succeeds
        self.command_notice = plain_label()  # quotes the database's words
        self.command_notice.setObjectName("commandNotice")
        self.command_notice.setWordWrap(True)
        self.command_notice.setStyleSheet(f"color: {FRESHNESS_COLOURS[Freshness.DOWN]};")
        self.command_notice.hide()
        self._busy: list[QWidget] = []  # the buttons whose command is being written
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(self.banner)
        outer.addWidget(self.command_notice)
        self.body = QVBoxLayout()
        outer.addLayout(self.body, 1)
        self._stale = False
        self._shown_once = False  # an empty panel reads before the others, unpaced
        self._last_read = QElapsedTimer()
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(lambda: self.reload())
        console.bridge.changed.connect(self._on_change)

    def _on_change(self, kind: str) -> None:
        if kind in self.reload_on:
            self.reload()

    def reload(self, *, urgent: bool = False) -> None:
        """Read again, unless nobody sees the panel (then when it is shown) or it read
        a moment ago (then once the interval has passed). `urgent`: the operator asked
        for it (a filter, a range): read now, before the feeds' reloads."""
        if not self.isVisible():
            self._stale = True
            return
        # one reading of the clock: read twice, the second could pass the interval and
        # ask the timer for a negative wait
        since_ms = self._last_read.elapsed() if self._last_read.isValid() else None
        if not urgent and since_ms is not None and since_ms < self.min_reload_interval_ms:
            if not self._later.isActive():
                self._later.start(int(self.min_reload_interval_ms - since_ms))
            return
        self._later.stop()
        self._stale = False
        self._last_read.start()
        reader = self.console.alert_reader if self.alert_lane else self.console.reader
        reader.read(
            self.objectName(),
            self.read,
            self._show,
            self.show_error,
            urgent=urgent,
            paced=self._shown_once,
        )

    def _show(self, data: Any) -> None:
        self._shown_once = True
        self.show_data(data)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.reload()

    def read(self) -> Any:
        """Runs in a worker thread: read the store and prepare what is shown."""
        return None

    def show_data(self, data: Any) -> None:
        """On the GUI thread: show what `read()` prepared."""

    def retranslate(self) -> None:
        """The language changed: the panel's texts in the new one, and what it shows read
        again (rows, charts and terms are made in the language of their reading)."""
        i18n.retranslate_widgets(self)
        self.reload()

    def apply_scope(self) -> None:
        """Another person took the desk, maybe with another part of the city in scope
        (`console.scope`): read again now. Panels with choices bound to the scope (a
        county list) narrow them first."""
        self.reload(urgent=True)

    def apply_role(self, role: str) -> None:
        """Show the actions this role may take here and hide the others (domain.roles);
        the panel's own checks still refuse what the role may not do."""

    def run_command(
        self,
        what: str,
        call: Callable[[], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
        busy: Sequence[QWidget] = (),
    ) -> None:
        """Give a command (a call of the services) off the GUI thread (CommandLane.run);
        a failure is shown above the panel until the next command succeeds. The `busy`
        buttons stay disabled until it ends, whatever the panel shows meanwhile
        (`hold_busy`)."""
        held = list(busy)
        self._busy.extend(held)

        def release() -> None:
            for widget in held:
                self._busy.remove(widget)

        def done(result: Any) -> None:
            release()
            self.command_notice.hide()
            if on_done is not None:
                on_done(result)

        def failed(text: str) -> None:
            release()
            self.command_notice.setText(text)
            self.command_notice.show()
            if on_failed is not None:
                on_failed(text)

        self.console.lane.run(what, call, owner=self, on_done=done, on_failed=failed, busy=busy)

    def hold_busy(self) -> None:
        """After the panel has set its buttons from what it shows: the ones whose command
        is still being written stay disabled (a reload must not offer it twice)."""
        for widget in self._busy:
            widget.setEnabled(False)

    def show_error(self, message: str) -> None:
        self.banner.setText(
            QCoreApplication.translate("Panel", "Could not read the local store: %1").replace(
                "%1", message
            )
        )
        self.banner.setStyleSheet(f"color: {FRESHNESS_COLOURS[Freshness.DOWN]};")
        self.banner.show()

    def refresh_freshness(self, now: datetime | None = None) -> None:
        """Show, above the panel, which of its feeds are not live and how old their data is."""
        runner = self.console.runner
        if runner is None or not self.feeds:
            return
        now = now or datetime.now(UTC)
        worst = Freshness.FRESH
        parts = []
        for feed in self.feeds:
            coordinator = runner.coordinators.get(feed)
            if coordinator is None:
                continue
            reading = coordinator.status.freshness(now)
            if reading.state is Freshness.FRESH:
                continue
            if reading.state is Freshness.DOWN or worst is Freshness.FRESH:
                worst = reading.state
            age = (
                QCoreApplication.translate("Panel", "never received")
                if reading.age_s is None
                else QCoreApplication.translate("Panel", "data from %1").replace(
                    "%1", i18n.age(reading.age_s)
                )
            )
            state = (
                QCoreApplication.translate("Panel", "down")
                if reading.state is Freshness.DOWN
                else QCoreApplication.translate("Panel", "stale")
            )
            parts.append(f"{feed_name(feed)} {state}, {age}")
        if not parts:
            self.banner.hide()
            return
        self.banner.setText(
            QCoreApplication.translate("Panel", "Not live: %1").replace("%1", "; ".join(parts))
        )
        self.banner.setStyleSheet(f"color: {FRESHNESS_COLOURS[worst]}; font-weight: 600;")
        self.banner.show()
