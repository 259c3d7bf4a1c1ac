"""The UI's language: Qt Linguist translations of our own strings and Qt's dialogs,
and the domain's terms (service-point types, statuses, places) in that language.

Our source strings are English, marked with `tr()`; the Chinese that the bureau
reads by default comes from `translations/commandcenter_zh_CN.ts`, compiled into the
package's data (`data/translations/*.qm`) when the package is built, or by the setup
of a checkout (`tools/translations.py build`).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, Qt, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

from commandcenter import resources
from commandcenter.domain import bureau_time, contract
from commandcenter.domain.freshness import describe_age
from commandcenter.domain.geography import county_name

log = logging.getLogger(__name__)

CHINESE = "zh_CN"
ENGLISH = "en"
LANGUAGES = {CHINESE: "中文", ENGLISH: "English"}
# Qt's own catalogues for its dialogs, buttons and shortcuts' names.
QT_CATALOGUES = ("qtbase", "qtmultimedia")

_language = CHINESE
_installed: list[QTranslator] = []


def choose_language(requested: str | None, configured: str | None = None) -> str:
    """--lang, else the configured language, else the system locale when it is
    English, else Chinese."""
    for choice in (requested, configured):
        if choice:
            return normalise(choice)
    system = QLocale.system().name()
    return ENGLISH if system.startswith("en") else CHINESE


def normalise(choice: str) -> str:
    text = choice.replace("-", "_")
    if text.lower().startswith("zh"):
        return CHINESE
    if text.lower().startswith("en"):
        return ENGLISH
    raise ValueError(f"unknown language {choice!r} (known: {', '.join(LANGUAGES)})")


def language() -> str:
    return _language


def install(app: QCoreApplication, choice: str) -> str:
    """Load the translators for a language; returns the language in effect."""
    global _language
    uninstall(app)
    _language = choice
    if choice == ENGLISH:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        _install_catalogues(app, [])  # the source's words, remembered for a switch back
        return choice
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    catalogues = []
    ours = QTranslator(app)
    qm = compiled_catalogue(choice)
    if qm is not None and ours.load(str(qm)):
        catalogues.append(ours)  # first: it also fills what Qt's own leave in English
    else:
        log.warning(
            "no compiled translation for %s in %s: the interface stays in English",
            choice,
            resources.data("translations"),
        )
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalogue in QT_CATALOGUES:
        translator = QTranslator(app)
        if translator.load(f"{catalogue}_{choice}", qt_dir):
            catalogues.append(translator)
        else:
            log.warning("Qt's %s catalogue for %s is not in %s", catalogue, choice, qt_dir)
    _install_catalogues(app, catalogues)
    return choice


def _install_catalogues(app: QCoreApplication, catalogues: list[QTranslator]) -> None:
    translator = RememberingTranslator(catalogues, app)
    app.installTranslator(translator)
    _installed.append(translator)


def uninstall(app: QCoreApplication) -> None:
    """Take out the translators `install` put in: Qt's and our strings as in the source.
    They are children of the application, so they are deleted, not only taken out."""
    for translator in _installed:
        app.removeTranslator(translator)
        translator.deleteLater()
    _installed.clear()


def compiled_catalogue(choice: str) -> Path | None:
    try:
        return resources.data_file("translations", f"commandcenter_{choice}.qm")
    except resources.MissingData:
        return None


def term(mapping: dict, value: object) -> str:
    """A domain term (type, level, status…) in the UI's language."""
    shown = contract.label(mapping, value, _language)
    _remember(shown, lambda: contract.label(mapping, value, _language))
    return shown


def severity(level: int) -> str:
    """A severity as its number and its word ("1 特急"): read without telling colours apart."""
    return f"{level} {term(contract.SEVERITY_LABELS, level)}"


def place(code: str | None) -> str:
    shown = county_name(code, _language)
    _remember(shown, lambda: county_name(code, _language))
    return shown


def age(age_s: float | None) -> str:
    """How long ago, in the UI's language ("3 分钟前")."""
    return describe_age(age_s, _language)


def moment(dt: datetime | None) -> str:
    """When, to the second, on the bureau's clock, within the last year ("11-24 09:30:05")."""
    return bureau_time.bureau_text(dt, "%m-%d %H:%M:%S")


def label(term: str) -> str:
    """A single domain term (a feed's name, a freshness state) in the UI's language."""
    if not isinstance(term, contract.Term):
        return term
    shown = term.in_language(_language)
    _remember(shown, lambda: term.in_language(_language))
    return shown


def tr(text: str) -> str:
    """Translate a string outside a class (column titles built in workers). lupdate
    files a bare tr() outside a class under the empty context, as this looks it up."""
    return QCoreApplication.translate("", text)


# -- a change of language in place ------------------------------------------------------
#
# Every text the interface shows in a language passed through a translator (tr()) or a
# domain term above. What was shown is remembered with how to say it again, so a window
# can be put into another language without being built again: each widget's texts are
# looked up and said again in the language now installed (`retranslate_widgets`).
# Texts made from a translated pattern ("%1 more") are matched against the patterns.

_memory: dict[str, Callable[[], str]] = {}
_patterns: dict[str, tuple[str, str, str | None]] = {}  # shown pattern -> its tr() key
_memory_lock = threading.Lock()
_PLACEHOLDER = re.compile(r"%([1-9])")


def _remember(shown: str, again: Callable[[], str]) -> None:
    if shown and len(shown) < 400:
        with _memory_lock:
            _memory.setdefault(shown, again)


class RememberingTranslator(QTranslator):
    """Our catalogue and Qt's, asked in turn; what each text was shown as is remembered
    (a switch of language finds the source of what is on screen)."""

    def __init__(self, catalogues: list[QTranslator], parent=None):
        super().__init__(parent)
        self._catalogues = catalogues

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False

    def translate(self, context, source, disambiguation=None, n=-1):
        text = ""
        for catalogue in self._catalogues:
            text = catalogue.translate(context, source, disambiguation, n) or ""
            if text:
                break
        if source and "%n" not in source:
            shown = text or source
            key = (str(context), source, disambiguation)
            _remember(shown, lambda: QCoreApplication.translate(*key))
            if _PLACEHOLDER.search(shown):
                with _memory_lock:
                    _patterns.setdefault(shown, key)
        return text or None  # a null string: not translated here, the source stands


def say_again(text: str) -> str:
    """`text`, shown in the language before, in the language now installed; unchanged
    when it was not a translated text (names, figures, what the data center sent)."""
    if not text:
        return text
    with _memory_lock:
        again = _memory.get(text)
        patterns = list(_patterns.items()) if again is None else []
    if again is not None:
        return again()
    for pattern, key in patterns:
        match = _pattern_regex(pattern).fullmatch(text)
        if match is None:
            continue
        result = QCoreApplication.translate(*key)
        for name, value in match.groupdict().items():
            result = result.replace(f"%{name[1:]}", say_again(value))
        return result
    return text


@functools.lru_cache(maxsize=4096)
def _pattern_regex(pattern: str) -> re.Pattern:
    parts = _PLACEHOLDER.split(pattern)
    regex, seen = "", set()
    for n, part in enumerate(parts):
        if n % 2 == 0:
            regex += re.escape(part)
        elif part in seen:
            regex += f"(?P=p{part})"
        else:
            seen.add(part)
            regex += f"(?P<p{part}>.+?)"
    return re.compile(regex, re.DOTALL)


def retranslate_widgets(root: QObject) -> None:
    """Say again, in the language now installed, the texts of `root`, its widgets, its
    actions and its tables' column titles."""
    widgets = [root, *root.findChildren(QWidget)] if isinstance(root, QWidget) else []
    for widget in widgets:
        _retranslate_widget(widget)
    for action in root.findChildren(QAction):
        for get, put in ((action.text, action.setText), (action.toolTip, action.setToolTip)):
            _say_again(get, put)


def _say_again(get: Callable[[], str], put: Callable[[str], None]) -> None:
    old = get()
    new = say_again(old)
    if new != old:
        put(new)


def _retranslate_widget(widget: QWidget) -> None:
    _say_again(widget.windowTitle, widget.setWindowTitle)
    _say_again(widget.toolTip, widget.setToolTip)
    _say_again(widget.statusTip, widget.setStatusTip)
    if isinstance(widget, QMenu):
        _say_again(widget.title, widget.setTitle)
    if isinstance(widget, QLabel | QAbstractButton):
        _say_again(widget.text, widget.setText)
    if isinstance(widget, QGroupBox):
        _say_again(widget.title, widget.setTitle)
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
        _say_again(widget.placeholderText, widget.setPlaceholderText)
    if isinstance(widget, QAbstractSpinBox):
        _say_again(widget.specialValueText, widget.setSpecialValueText)
    if isinstance(widget, QComboBox):
        for n in range(widget.count()):
            _say_again(
                functools.partial(widget.itemText, n), functools.partial(widget.setItemText, n)
            )
    if isinstance(widget, QTabWidget):
        for n in range(widget.count()):
            _say_again(
                functools.partial(widget.tabText, n), functools.partial(widget.setTabText, n)
            )
            _say_again(
                functools.partial(widget.tabToolTip, n), functools.partial(widget.setTabToolTip, n)
            )
    if isinstance(widget, QTreeWidget):
        header = widget.headerItem()
        for n in range(header.columnCount()):
            _say_again(functools.partial(header.text, n), functools.partial(header.setText, n))
    if isinstance(widget, QAbstractItemView):
        _retranslate_columns(widget.model())


def _retranslate_columns(model) -> None:
    """The column titles of our record tables (widgets.tables.Column)."""
    columns = getattr(model, "columns", None)
    if not isinstance(columns, list) or not columns:
        return
    changed = False
    for n, column in enumerate(columns):
        title = getattr(column, "title", None)
        if not isinstance(title, str):
            return
        new = say_again(title)
        if new != title:
            columns[n] = dataclasses.replace(column, title=new)
            changed = True
    if changed:
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(columns) - 1)
