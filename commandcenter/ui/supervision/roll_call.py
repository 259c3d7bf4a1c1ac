"""Roll call (视频点验): the plan's points one after another on video, each answered present,
absent or unreachable by a key."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain.geography import county_code
from commandcenter.domain.inspection import (
    PRESENCE_LABELS,
    Presence,
    RollCall,
)
from commandcenter.ui.supervision.checklist import PROBLEM
from commandcenter.ui.video.tile import VideoTile
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.panel import Console
from commandcenter.ui.widgets.text import escape, plain_label

ROLL_CALL_KEYS = {
    Qt.Key.Key_1: Presence.PRESENT,
    Qt.Key.Key_P: Presence.PRESENT,
    Qt.Key.Key_2: Presence.ABSENT,
    Qt.Key.Key_A: Presence.ABSENT,
    Qt.Key.Key_3: Presence.NO_PICTURE,
    Qt.Key.Key_N: Presence.NO_PICTURE,
}


class RollCallView(QWidget):
    """A fast pass over many stations: each shown with its first camera; one key a
    result (1/P present, 2/A absent, 3/N no picture), S skips. Every answer is saved
    at once."""

    def __init__(self, console: Console, parent=None):
        super().__init__(parent)
        self.console = console
        self.roll_call: RollCall | None = None
        self.position = 0
        self.points: dict = {}
        self.tile = VideoTile(1, console.cameras)
        self.title = QLabel()  # rich text of ours, the point's name escaped
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setObjectName("inspectionHeading")
        self.title.setWordWrap(True)
        self.say(
            self.tr(
                "No roll-call under way. Choose a plan above and start the roll-call: its "
                "points come one after another on video."
            )
        )
        self.progress = QLabel()
        self.keys = QLabel(self.tr("1 / P present · 2 / A absent · 3 / N no picture · S skip"))
        self.seconds = QSpinBox()
        self.seconds.setRange(0, 60)
        self.seconds.setValue(0)
        self.seconds.setSpecialValueText(self.tr("wait for a key"))
        self.seconds.setSuffix(self.tr(" s a station"))
        self.seconds.setToolTip(
            self.tr(
                "Move on by itself after this long without an answer (the station is "
                "then left unanswered)"
            )
        )
        self._advance = QTimer(self)
        self._advance.setSingleShot(True)
        self._advance.timeout.connect(lambda: self._step(1))
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.progress)
        bar.addWidget(self.seconds)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tile, 1)
        layout.addWidget(self.keys)
        self.failure = plain_label()  # quotes the database's words
        self.failure.setWordWrap(True)
        self.failure.setStyleSheet(f"color: {PROBLEM};")
        self.failure.hide()
        layout.addWidget(self.failure)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.tile.set_active(self.tile.camera is not None)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # another tab, or the panel closing: no picture decoded for nobody
        super().hideEvent(event)
        self.tile.set_active(False)

    def say(self, text: str) -> None:
        """A line of ours in the heading (no roll-call under way)."""
        if self.roll_call is None or self.roll_call.finished_at is not None:
            self.title.setText(escape(text))

    def start(self, point_ids: list[str], points: dict) -> None:
        if not self.console.may("inspection.submit"):
            return
        self.points = points
        self.roll_call = RollCall(
            uuid.uuid4().hex,
            self.console.operator or "operator",
            datetime.now(UTC),
            tuple(point_ids),
        )
        roll_call, commands, by = (
            self.roll_call,
            self.console.commands.inspections,
            self.console.on_duty(),
        )
        self._command(
            self.tr("Starting the roll call"), lambda: commands.start_roll_call(roll_call, by)
        )
        self.position = 0
        self._show()
        self.setFocus()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.roll_call is None or self.roll_call.finished_at is not None:
            super().keyPressEvent(event)
            return
        presence = ROLL_CALL_KEYS.get(Qt.Key(event.key()))
        if presence is not None:
            self.answer(presence)
        elif event.key() == Qt.Key.Key_S:
            self._step(1)
        elif event.key() == Qt.Key.Key_Backspace:
            self._step(-1)
        else:
            super().keyPressEvent(event)

    def answer(self, presence: Presence) -> None:
        rc = self.roll_call
        if rc is None:
            return
        point_id = rc.point_ids[self.position]
        self.roll_call = replace(rc, results={**rc.results, point_id: presence})
        roll_call, commands = self.roll_call, self.console.commands.inspections
        self._command(self.tr("Keeping the answer"), lambda: commands.answer_roll_call(roll_call))
        self._step(1)

    def _step(self, step: int) -> None:
        rc = self.roll_call
        if rc is None:
            return
        self.position += step
        if self.position >= len(rc.point_ids):
            self.roll_call = finished = replace(rc, finished_at=datetime.now(UTC))
            commands, by = self.console.commands.inspections, self.console.on_duty()
            self._command(
                self.tr("Finishing the roll call"),
                lambda: commands.finish_roll_call(finished, by),
            )
            self.position = len(rc.point_ids) - 1
            self.tile.assign(None)
        self.position = max(0, self.position)
        self._show()

    def _command(self, what: str, call) -> None:
        """Keep the roll call off the GUI thread; the answers are kept in the order given
        (the command lane runs one at a time). A failure is shown under the picture; the
        next answer keeps the whole roll call again."""
        self.console.lane.run(
            what,
            call,
            owner=self,
            on_done=lambda _none: self.failure.hide(),
            on_failed=self._failed,
        )

    def _failed(self, text: str) -> None:
        self.failure.setText(text)
        self.failure.show()

    def _show(self) -> None:
        rc = self.roll_call
        if rc is None:
            return
        if rc.finished_at is not None:
            counts = rc.counts()
            self.title.setText(
                escape(
                    self.tr(
                        "Roll-call done: %1 present, %2 absent, %3 without picture, %4 unanswered"
                    )
                )
                .replace("%1", str(counts[Presence.PRESENT]))
                .replace("%2", str(counts[Presence.ABSENT]))
                .replace("%3", str(counts[Presence.NO_PICTURE]))
                .replace("%4", str(len(rc.point_ids) - len(rc.results)))
            )
            self.progress.clear()
            return
        point_id = rc.point_ids[self.position]
        point = self.points.get(point_id)
        answered = rc.results.get(point_id)
        self.title.setText(
            f"<b>{escape(point.name if point else point_id)}</b> · "
            + escape(
                f"{i18n.place(county_code(point.org_code)) if point else ''}"
                + (f" · {i18n.term(PRESENCE_LABELS, answered)}" if answered else "")
            )
        )
        self.progress.setText(f"{self.position + 1} / {len(rc.point_ids)}")
        cameras = [c for c in self.console.snapshots.cameras.active() if c.point_id == point_id][:1]
        self.tile.assign(cameras[0] if cameras else None, point)
        self.tile.set_active(bool(cameras) and self.isVisible())
        if self.seconds.value():
            self._advance.start(self.seconds.value() * 1000)
