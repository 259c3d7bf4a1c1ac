"""A client that performs an inspection and types its findings a character at a time
(committed by the input method, as Chinese is typed), every 20 ms, until it is killed; it prints the findings after each key (one JSON line), so
that the test knows what was typed when. Used by test_supervision.py.

    python tests/typing_inspector.py STORE_URL POINT_ID
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    from commandcenter.store import Store
    from commandcenter.ui.supervision.inspection_view import DraftSaver, InspectionView
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    app = QApplication(sys.argv[:1])
    store = Store(sys.argv[1])
    console = Console(store, StoreBridge(store), BackgroundReader(), operator="督查员乙")
    saver = DraftSaver(console.commands.inspections.save_draft)
    view = InspectionView(console, saver)
    view.resize(1200, 800)
    view.show()
    point = store.service_point(sys.argv[2])
    template = store.inspection_templates()[0]
    view.open_point(point, template, [], [])
    view.rows[0].widget.setCurrentIndex(1)  # passed
    words = "接待窗口无人值守，公示栏内容过期，台账记录不全。" * 20
    position = iter(range(len(words)))

    def type_one() -> None:
        n = next(position, None)
        if n is None:
            return
        # Chinese arrives from the input method as committed text, not as key codes
        commit = QInputMethodEvent()
        commit.setCommitString(words[n])
        QApplication.sendEvent(view.findings, commit)
        # the test reads what the field holds from this script's output
        findings = json.dumps({"findings": view.findings.toPlainText()}, ensure_ascii=False)
        print(findings, flush=True)  # noqa: T201

    view.findings.setFocus()
    timer = QTimer()
    timer.timeout.connect(type_one)
    timer.start(20)
    app.exec()


if __name__ == "__main__":
    main()
