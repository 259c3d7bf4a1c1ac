"""Words of Qt's own dialogs that Qt's Chinese catalogue leaves in English.

The file dialog's "Look in" and "Files of type" and the print dialog's page set are
not translated in the qtbase catalogue shipped with Qt: they are listed here, under
Qt's own contexts, so that our catalogue (asked before Qt's) gives them in Chinese.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

QT_WORDS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    QT_TRANSLATE_NOOP("QPrintSettingsOutput", "Page &Set:"),
)
