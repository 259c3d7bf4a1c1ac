"""The clicked point's card: what it is, who is there, its open alerts and cameras, and what
to do with it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import contract
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.style import SEVERITY_COLOURS
from commandcenter.ui.widgets.text import escape, plain


class PointCard(QFrame):
    """The clicked point: what it is, who is there, its open alerts and cameras, and
    what to do with it."""

    open_cameras = Signal(str)
    inspect = Signal(str)
    invite = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pointCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.point = None
        self.title = QLabel()
        plain(self.title)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.details = QLabel()  # rich text of ours, every value escaped
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.alerts = QLabel()
        self.alerts.setTextFormat(Qt.TextFormat.RichText)
        self.alerts.setWordWrap(True)
        self.cameras_button = QPushButton(self.tr("Open cameras on the wall"))
        self.cameras_button.clicked.connect(
            lambda: self.point and self.open_cameras.emit(self.point.point_id)
        )
        self.inspect_button = QPushButton(self.tr("Start an inspection"))
        self.inspect_button.clicked.connect(
            lambda: self.point and self.inspect.emit(self.point.point_id)
        )
        self.invite_button = QPushButton(self.tr("Add to a meeting"))
        self.invite_button.clicked.connect(
            lambda: self.point and self.invite.emit(self.point.point_id)
        )
        close = QToolButton()
        close.setText("×")
        close.clicked.connect(self.hide)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(self.alerts)
        layout.addStretch(1)
        for button in (self.cameras_button, self.inspect_button, self.invite_button):
            layout.addWidget(button)
        self.setMinimumWidth(260)
        self.hide()

    def show_point(self, point, alerts: list, county: str) -> None:
        self.point = point
        self.title.setText(point.name)
        staff = "—" if point.staff_on_duty is None else str(point.staff_on_duty)
        rows = [
            (self.tr("Type"), i18n.term(contract.POINT_TYPE_LABELS, point.type)),
            (self.tr("Level"), i18n.term(contract.LEVEL_LABELS, point.level)),
            (self.tr("County"), county),
            (self.tr("Status"), i18n.term(contract.POINT_STATUS_LABELS, point.status)),
            (self.tr("Address"), point.address or "—"),
            (self.tr("Phone"), point.phone or "—"),
            (self.tr("Staff on duty"), staff),
            (self.tr("Open hours"), point.open_hours or "—"),
            (self.tr("Cameras"), str(len(point.camera_ids))),
        ]
        self.details.setText(
            "<table>"
            + "".join(
                f"<tr><td style='color:#8b949e;padding-right:8px'>{escape(k)}</td><td>{escape(v)}</td></tr>"
                for k, v in rows
            )
            + "</table>"
        )
        if alerts:
            items = "".join(
                f"<li><span style='color:{SEVERITY_COLOURS.get(a.severity, '#f85149')}'>"
                f"{escape(i18n.term(contract.SEVERITY_LABELS, a.severity))}</span> {escape(a.title)}</li>"
                for a in sorted(alerts, key=lambda a: a.severity)[:6]
            )
            self.alerts.setText(
                escape(self.tr("Open alerts")) + f"<ul style='margin:2px'>{items}</ul>"
            )
        else:
            self.alerts.setText(self.tr("No open alerts"))
        self.cameras_button.setEnabled(bool(point.camera_ids))
        self.show()


class CardRoom(QScrollArea):
    """The card's place beside or under the map: it scrolls when the room is short, so a
    card never squeezes the map to a strip, and it is shown only while the card is."""

    def __init__(self, card: PointCard, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(card)  # which shows the card: hidden again until a point is chosen
        card.hide()
        self.setMinimumWidth(card.minimumWidth() + 16)
        self.setVisible(False)
        card.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShowToParent and self.isHidden():
            self.setVisible(True)
            splitter = self.parentWidget()
            if isinstance(splitter, QSplitter):  # the map keeps three fifths of the room
                total = sum(splitter.sizes())
                if total:
                    splitter.setSizes([total * 3 // 5, total - total * 3 // 5])
        elif event.type() == QEvent.Type.HideToParent:
            self.setVisible(False)
        return False
