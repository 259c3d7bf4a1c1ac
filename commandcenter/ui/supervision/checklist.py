"""The inspection's checklist: one row per template item (pass/fail, score, text, or a kind
not known yet), answered by mouse or keyboard."""

from __future__ import annotations

import logging
from typing import ClassVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from commandcenter.domain.inspection import (
    NOTE,
    PICTURE,
    ItemAnswer,
    answered_as,
)
from commandcenter.domain.records import TemplateItem
from commandcenter.ui.widgets.i18n import tr
from commandcenter.ui.widgets.text import literal, plain_label

log = logging.getLogger(__name__)


PROBLEM = "#f85149"


class ScoreBox(QSpinBox):
    """A score: "—" until given; focused, its text is selected, so typing a number
    replaces it however the focus came."""

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        QTimer.singleShot(0, self.selectAll)


def pass_fail_words() -> tuple[str, str]:
    return tr("pass"), tr("fail")


def new_kind_words() -> dict[str, str]:
    """What an item of a kind the contract does not list says (outside a class, for lupdate)."""
    return {
        "note": tr("A note"),
        "picture": tr("A snapshot (F9) or a note"),
        "snapshot": tr("Snapshot"),
        "snapshot_tip": tr(
            "A snapshot of the live picture as evidence, named in this item's answer"
        ),
    }


class PassFailKeys(QObject):
    """P passes, F fails a pass/fail item, whatever the language of its choices (a
    combo box's own type-ahead would look for 合格 by its first letter)."""

    KEYS: ClassVar[dict[Qt.Key, int]] = {Qt.Key.Key_P: 1, Qt.Key.Key_F: 2}

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.KeyPress
            and not event.modifiers()
            and event.key() in self.KEYS
        ):
            watched.setCurrentIndex(self.KEYS[event.key()])
            return True
        return False


class ItemRow:
    """The widget for one checklist item, and its answer. An item of a kind the contract
    does not list shows that kind as the data center sent it and takes a note; when
    the kind asks for a picture, a snapshot button beside the note too (`on_snapshot`)."""

    def __init__(self, item: TemplateItem, on_change, on_snapshot=None):
        self.item = item
        self.how = answered_as(item.kind)
        self.snapshot_button: QPushButton | None = None
        self.editor: QComboBox | QSpinBox | QLineEdit
        if self.how == "pass_fail":
            choice = QComboBox()
            passed, failed = pass_fail_words()
            choice.addItem("—", None)
            choice.addItem(passed, True)
            choice.addItem(failed, False)
            choice.currentIndexChanged.connect(on_change)
            self.editor = choice
        elif self.how == "score":
            score = ScoreBox()
            top = item.max_score if item.max_score is not None else 100
            score.setRange(-1, top)
            score.setSpecialValueText("—")  # -1: not scored yet
            score.setValue(-1)
            score.setSuffix(f" / {top}")
            score.valueChanged.connect(on_change)
            self.editor = score
        else:
            line_edit = QLineEdit()
            line_edit.textChanged.connect(on_change)
            self.editor = line_edit
        widget: QWidget = self.editor
        text = ("* " if item.required else "") + item.text
        words = new_kind_words()
        if self.how in (NOTE, PICTURE) and isinstance(self.editor, QLineEdit):
            text += f"  〔{item.kind}〕"  # the data center's own kind, as it sent it
            self.editor.setPlaceholderText(
                words["picture"] if self.how == PICTURE else words["note"]
            )
        if self.how == PICTURE:
            self.snapshot_button = QPushButton(words["snapshot"])
            self.snapshot_button.setToolTip(words["snapshot_tip"])
            if on_snapshot is not None:
                self.snapshot_button.clicked.connect(lambda: on_snapshot(self))
            box = QWidget()
            line = QHBoxLayout(box)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(widget, 1)
            line.addWidget(self.snapshot_button)
            box.setFocusProxy(widget)
            widget = box
        self.widget = widget
        self.label = plain_label(text)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.editor)

    def note_snapshot(self, reference: str) -> None:
        """Name a snapshot taken for this item in its answer (which then counts as given)."""
        editor = self.editor
        if not isinstance(editor, QLineEdit):
            return  # only a note or a picture's item takes one
        current = editor.text().strip()
        editor.setText(f"{current}；{reference}" if current else reference)

    def answer(self) -> ItemAnswer:
        w = self.editor
        if isinstance(w, QComboBox):
            return ItemAnswer(passed=w.currentData())
        if isinstance(w, QSpinBox):
            return ItemAnswer(score=None if w.value() < 0 else w.value())
        return ItemAnswer(text=w.text() or None)

    def show_answer(self, answer: ItemAnswer) -> None:
        w = self.editor
        w.blockSignals(True)
        if isinstance(w, QComboBox):
            w.setCurrentIndex(w.findData(answer.passed) if answer.passed is not None else 0)
        elif isinstance(w, QSpinBox):
            w.setValue(-1 if answer.score is None else answer.score)
        else:
            w.setText(answer.text or "")
        w.blockSignals(False)

    def mark(self, problem: str | None) -> None:
        self.label.setStyleSheet(f"color: {PROBLEM};" if problem else "")
        self.editor.setToolTip(literal(problem or ""))
