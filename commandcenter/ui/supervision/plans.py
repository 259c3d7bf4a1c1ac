"""A plan of points to inspect, composed by the supervisor."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
)

from commandcenter.domain import contract
from commandcenter.domain.geography import COUNTIES
from commandcenter.domain.inspection import (
    Plan,
    choose_points,
)
from commandcenter.ui.supervision.history import OVERDUE
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.text import plain_label


class PlanDialog(QDialog):
    """Which points to inspect: by county, type and level, all or a random sample."""

    def __init__(self, points: list, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New inspection plan"))
        self.points = points
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. 吴中区司法所 11月督查"))
        self.county = QComboBox()
        self.county.addItem(self.tr("All counties"), None)
        for county in COUNTIES:
            self.county.addItem(i18n.place(county.code), county.code)
        self.type = QComboBox()
        self.type.addItem(self.tr("All types"), None)
        for t in contract.PointType:
            self.type.addItem(i18n.term(contract.POINT_TYPE_LABELS, t), t.value)
        self.level = QComboBox()
        self.level.addItem(self.tr("All levels"), None)
        for lv in contract.Level:
            self.level.addItem(i18n.term(contract.LEVEL_LABELS, lv), lv.value)
        self.sample = QSpinBox()
        self.sample.setRange(0, 5000)
        self.sample.setSpecialValueText(self.tr("all of them"))
        self.sample.setToolTip(self.tr("A random sample of this many points (0: all that match)"))
        self.count = QLabel()
        self.problem = plain_label()
        self.problem.setStyleSheet(f"color: {OVERDUE};")
        for combo in (self.county, self.type, self.level):
            combo.currentIndexChanged.connect(self._count)
        self.sample.valueChanged.connect(self._count)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("County"), self.county)
        form.addRow(self.tr("Type"), self.type)
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("Random sample"), self.sample)
        form.addRow(self.count)
        form.addRow(self.problem)
        form.addRow(buttons)
        self._seed = uuid.uuid4().int & 0xFFFFFFFF  # the draw, once made, stays the plan's
        self._count()

    def chosen(self) -> list[str]:
        def one(combo):
            return None if combo.currentData() is None else [combo.currentData()]

        return choose_points(
            self.points,
            counties=one(self.county),
            types=one(self.type),
            levels=one(self.level),
            sample=self.sample.value() or None,
            seed=self._seed,
        )

    def _count(self) -> None:
        self.count.setText(self.tr("%1 points").replace("%1", f"{len(self.chosen()):,}"))

    def plan(self, created_by: str) -> Plan:
        name = self.name.text().strip() or self._default_name()
        return Plan(uuid.uuid4().hex, name, tuple(self.chosen()), 0, created_by, datetime.now(UTC))

    def _default_name(self) -> str:
        parts = [
            c.currentText()
            for c in (self.county, self.type, self.level)
            if c.currentData() is not None
        ]
        return " ".join(parts) or self.tr("All points")

    def accept(self) -> None:
        if not self.chosen():
            self.problem.setText(self.tr("No point matches: widen the choice."))
            return
        super().accept()
