"""Alerts that must not be missed: a banner across the top of the window and a sound
for every severity 1–2 alert not yet acknowledged (domain/alerting.py decides).

The banner names the most urgent alert, its point and age, with Acknowledge and
Mute; it flashes while a critical alert is past its time. Muting silences the sound
for a while, never the banner, and the banner says until when. When the machine has
no audio output, the banner says that too: never silently.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtMultimedia import QAudioFormat, QMediaDevices, QSoundEffect
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
)

from commandcenter import resources
from commandcenter.domain import bureau_time
from commandcenter.domain.alerting import AlertingPolicy, Announcer, Decision
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.panel import Console
from commandcenter.ui.widgets.style import SEVERITY_COLOURS
from commandcenter.ui.widgets.text import escape, literal, plain

CHECK_EVERY_MS = 5000  # for the passing of time: escalation, ages, the end of a mute
MUTE_CHOICES = (5, 15, 30)  # minutes
ALERT_SHEET = (
    "QFrame#alertBanner {{ background: {background}; }}"
    "QFrame#alertBanner QLabel {{ color: {text}; font-size: 12pt; }}"
)
CALM_SHEET = "QFrame#alertBanner QLabel { font-size: 12pt; }"  # the theme's colours


# data/sounds/*.wav: 16-bit mono PCM at 22,050 Hz
SOUND_FORMAT = QAudioFormat()
SOUND_FORMAT.setSampleRate(22_050)
SOUND_FORMAT.setChannelCount(1)
SOUND_FORMAT.setSampleFormat(QAudioFormat.SampleFormat.Int16)


class BannerText(QLabel):
    """The banner's words: the severity in bold, then the alert, shortened with "…" to the
    room there is and whole on hover, so that a long title never widens the window and
    pushes Acknowledge and Mute off the screen."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)  # the alert's words escaped in it
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._parts = ("", "")

    def show_parts(self, bold: str, rest: str) -> None:
        self._parts = (bold, rest)
        self._render()

    def whole_text(self) -> str:
        """The whole of the words, however short the room (plain text); text() is what the
        label shows, the words escaped in rich text."""
        bold, rest = self._parts
        return f"{bold} · {rest}" if bold else rest

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(
            self.fontMetrics().horizontalAdvance("…") * 8, super().minimumSizeHint().height()
        )

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._render()

    def _render(self) -> None:
        bold, rest = self._parts
        metrics = self.fontMetrics()
        bold_font = self.font()
        bold_font.setBold(True)
        head = (
            QFontMetrics(bold_font).horizontalAdvance(bold) + metrics.horizontalAdvance(" · ")
            if bold
            else 0
        )
        shown = metrics.elidedText(
            rest, Qt.TextElideMode.ElideRight, max(self.width() - head - 4, 0)
        )
        self.setText(f"<b>{escape(bold)}</b> · {escape(shown)}" if bold else escape(shown))
        self.setToolTip(literal(self.whole_text()) if shown != rest else "")


class AlertBanner(QFrame):
    acknowledge = Signal(object)  # the alert
    mute = Signal(float)  # minutes; 0 unmutes
    # whether there is an alert to show. Without one the banner stays, calm, and says so:
    # a bar coming and going moved every panel of the window, and the relayout and
    # repaint of all of them (the map, the tables, each tile's overlay) held the window
    # for 130-180 ms each time an alert came or went.
    shown = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.alert = None
        self.text = BannerText()
        self.text.setObjectName("alertBannerText")
        self.state = QLabel()  # muted until…, no audio output…
        plain(self.state)
        self.ack = QPushButton(self.tr("Acknowledge…"))
        self.ack.clicked.connect(
            lambda: self.alert is not None and self.acknowledge.emit(self.alert)
        )
        self.mute_button = QToolButton()
        self.mute_button.setText(self.tr("Mute"))
        self.mute_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.mute_button)
        for minutes in MUTE_CHOICES:
            menu.addAction(
                self.tr("Mute the sound for %1 minutes").replace("%1", str(minutes)),
                functools.partial(self.mute.emit, float(minutes)),
            )
        menu.addAction(self.tr("Sound on"), lambda: self.mute.emit(0.0))
        self.mute_button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.ack)
        layout.addWidget(self.mute_button)
        self.flash_on = False
        self.escalated = False
        self._sheet: str | None = None
        self._flash = QTimer(self)
        self._flash.setInterval(500)
        self._flash.timeout.connect(self._toggle)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # as tall as its tallest state (an alert's bold rich text stands 2 px taller), so
        # that nothing below moves when an alert comes or goes
        heights = []
        for sheet, text in (
            (ALERT_SHEET.format(background="#000000", text="#ffffff"), ("特急", "Alert")),
            (CALM_SHEET, ("", self.tr("No urgent alert waiting for acknowledgement"))),
        ):
            self._style(sheet)
            self.text.show_parts(*text)
            self.ensurePolished()
            heights.append(self.sizeHint().height())
        self.setFixedHeight(max(heights))
        self.show_alert(None, "", 0, False, "")

    def show_alert(self, alert, point_name: str, others: int, escalated: bool, note: str) -> None:
        self.alert = alert
        if alert is None:
            self._flash.stop()
            self.flash_on = self.escalated = False
            self.text.show_parts("", self.tr("No urgent alert waiting for acknowledgement"))
            self.state.setText(note)
            self.ack.setEnabled(False)
            self._style(CALM_SHEET)
            self.shown.emit(False)
            return
        self.ack.setEnabled(True)
        age = i18n.age((datetime.now(UTC) - alert.occurred_at).total_seconds())
        severity = i18n.severity(alert.severity)
        more = self.tr(" · %1 more not acknowledged").replace("%1", str(others)) if others else ""
        where = (
            f" · {point_name}" if point_name and point_name not in alert.title else ""
        )  # titles often name it
        self.text.show_parts(severity, f"{alert.title}{where} · {age}{more}")
        self.state.setText(note)
        self.escalated = escalated
        colour = SEVERITY_COLOURS.get(alert.severity, "#f85149")
        self._colour = colour
        if escalated and not self._flash.isActive():
            self._flash.start()
        if not escalated:
            self._flash.stop()
            self.flash_on = False
        self._paint()
        self.shown.emit(True)

    def _toggle(self) -> None:
        self.flash_on = not self.flash_on
        self._paint()

    def _paint(self) -> None:
        background = "#ffffff" if self.flash_on else self._colour
        text = self._colour if self.flash_on else "#0d1117"
        self._style(ALERT_SHEET.format(background=background, text=text))

    def _style(self, sheet: str) -> None:
        if (
            sheet != self._sheet
        ):  # a style sheet set again polishes the banner and its children again
            self._sheet = sheet
            self.setStyleSheet(sheet)


class AlertAnnouncer(QObject):
    """Reads the open alerts when they change (and every few seconds), feeds the
    Announcer, plays its sounds and fills the banner."""

    played = Signal(
        str
    )  # "alert" | "escalated": a sound was started (or would have been, without a device)
    # the alert whose place the map and the wall show (Decision.focus): the banner's at
    # start, then each round's newest critical alert
    announced = Signal(object)

    def __init__(
        self,
        console: Console,
        banner: AlertBanner,
        *,
        policy: AlertingPolicy | None = None,
        sound: bool = True,
        parent=None,
    ):
        super().__init__(parent)
        self.console = console
        self.banner = banner
        self.banners: list[AlertBanner] = []  # this one and those on wall screens
        self._shown: tuple = (None, "", 0, False, "")  # what the banners show
        self.announcer = Announcer(policy or AlertingPolicy())
        self.sound_enabled = sound
        self.sounds = {name: self._effect(name) for name in ("alert", "escalated")}
        self.last_decision: Decision | None = None
        self.add_banner(banner)

        def alerts_changed(kind: str) -> None:
            if kind == "alerts":
                self.check()

        console.bridge.changed.connect(alerts_changed)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(CHECK_EVERY_MS)
        self.check()

    def add_banner(self, banner: AlertBanner) -> None:
        """One more banner showing the same alert (on a wall screen that covers the
        window's); it goes when it is deleted."""
        self.banners.append(banner)
        banner.mute.connect(self.mute)
        banner.destroyed.connect(lambda: self._forget(banner))
        banner.show_alert(*self._shown)

    def _forget(self, banner: AlertBanner) -> None:
        self.banners = [b for b in self.banners if b is not banner]

    def _effect(self, name: str) -> QSoundEffect:
        effect = QSoundEffect(self)
        effect.setVolume(0.6 if name == "alert" else 1.0)
        return effect

    def _play(self, name: str) -> None:
        """Loaded at its first play, once there is an output to play it on: loaded for
        none, a sound fails (and Qt warns of it each time)."""
        effect = self.sounds[name]
        if effect.source().isEmpty():
            wav = "alert.wav" if name == "alert" else "alert-escalated.wav"
            effect.setSource(QUrl.fromLocalFile(str(resources.data_file("sounds", wav))))
        effect.play()  # once loaded, if it is not yet

    @staticmethod
    def audio_available() -> bool:
        """An audio output that plays the alert sounds' format."""
        output = QMediaDevices.defaultAudioOutput()
        return not output.isNull() and output.isFormatSupported(SOUND_FORMAT)

    def check(self) -> None:
        snapshots = self.console.snapshots
        self.console.alert_reader.read(
            "announcer",
            lambda: (snapshots.alerts.open(), snapshots.points.by_key()),
            lambda read: self._decide(*read),
            lambda _message: None,
            urgent=True,
        )

    def _decide(self, alerts: list, points: dict) -> None:
        now = datetime.now(UTC)
        decision = self.announcer.decide(alerts, now)
        self.last_decision = decision
        if decision.focus is not None:
            self.announced.emit(decision.focus)
        if decision.sound is not None and self.sound_enabled:
            if self.audio_available():
                self._play(decision.sound)
            self.played.emit(decision.sound)
        pending = self.announcer.pending(alerts)
        alert = decision.banner
        point = points.get(alert.point_id or "") if alert else None
        self._shown = (
            alert,
            point.name if point else "",
            max(0, len(pending) - 1),
            bool(decision.escalated),
            self._note(now),
        )
        for banner in self.banners:
            banner.show_alert(*self._shown)

    def _note(self, now: datetime) -> str:
        if not self.sound_enabled:
            return self.tr("sound off in the configuration")
        until = self.announcer.muted_until
        if until is not None and self.announcer.muted(now):
            return self.tr("muted until %1").replace("%1", bureau_time.bureau_text(until, "%H:%M"))
        if not self.audio_available():
            return self.tr("no audio output: alerts are shown only")
        return ""

    def retranslate(self) -> None:
        """The language changed: the banner's buttons and menu, and its alert said again."""
        i18n.retranslate_widgets(self.banner)
        self.check()

    def mute(self, minutes: float) -> None:
        now = datetime.now(UTC)
        if minutes <= 0:
            self.announcer.unmute()
            self.console.audit("alerts.sound_on", None, {})
        else:
            until = self.announcer.mute(now, minutes)
            self.console.audit("alerts.mute", None, {"until": until.isoformat()})
        self.check()
