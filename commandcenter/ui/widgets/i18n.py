"""The UI's language: Qt Linguist translations of our own strings and Qt's dialogs,
and the domain's terms (service-point types, statuses, places) in that language.

Our source strings are English, marked with `tr()`; the Chinese that the bureau
reads by default comes from `translations/commandcenter_zh_CN.ts`, compiled into the
package's data (`data/translations/*.qm`) when the package is built, or by the setup
of a checkout (`tools/translations.py build`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from commandcenter import resources
from commandcenter.domain import contract
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
        return choice
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalogue in QT_CATALOGUES:
        translator = QTranslator(app)
        if translator.load(f"{catalogue}_{choice}", qt_dir):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            translator.deleteLater()
    ours = QTranslator(app)
    qm = compiled_catalogue(choice)
    if qm is not None and ours.load(str(qm)):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        ours.deleteLater()
        log.warning(
            "no compiled translation for %s in %s: the interface stays in English",
            choice,
            resources.data("translations"),
        )
    return choice


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
    return contract.label(mapping, value, _language)


def severity(level: int) -> str:
    """A severity as its number and its word ("1 特急"): read without telling colours apart."""
    return f"{level} {term(contract.SEVERITY_LABELS, level)}"


def place(code: str | None) -> str:
    return county_name(code, _language)


def age(age_s: float | None) -> str:
    """How long ago, in the UI's language ("3 分钟前")."""
    return describe_age(age_s, _language)


def moment(dt: datetime | None) -> str:
    """When, to the second, in this machine's time zone, within the last year ("11-24 09:30:05")."""
    return dt.astimezone().strftime("%m-%d %H:%M:%S") if dt else ""


def label(term: str) -> str:
    """A single domain term (a feed's name, a freshness state) in the UI's language."""
    return term.in_language(_language) if isinstance(term, contract.Term) else term


def tr(text: str) -> str:
    """Translate a string outside a class (column titles built in workers). lupdate
    files a bare tr() outside a class under the empty context, as this looks it up."""
    return QCoreApplication.translate("", text)
