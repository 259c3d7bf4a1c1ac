"""The UI's language: Qt Linguist translations of our own strings and Qt's dialogs,
and the domain's terms (service-point types, statuses, places) in that language.

Our source strings are English, marked with `tr()`; the Chinese that the bureau
reads by default comes from `translations/commandcenter_zh_CN.ts`, compiled to a
`.qm` by the setup (`tools/translations.py build`). Should the `.qm` be missing or
older than its `.ts` (a checkout that skipped the setup), it is compiled on start.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from commandcenter.domain import contract
from commandcenter.domain.freshness import describe_age
from commandcenter.domain.geography import county_name

log = logging.getLogger(__name__)

CHINESE = "zh_CN"
ENGLISH = "en"
LANGUAGES = {CHINESE: "中文", ENGLISH: "English"}
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
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
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
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
    ours = QTranslator(app)
    qm = compiled_catalogue(choice)
    if qm is not None and ours.load(str(qm)):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning(
            "no compiled translation for %s in %s: the interface stays in English",
            choice,
            TRANSLATIONS,
        )
    return choice


def compiled_catalogue(choice: str) -> Path | None:
    ts = TRANSLATIONS / f"commandcenter_{choice}.ts"
    qm = ts.with_suffix(".qm")
    if ts.exists() and (not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime):
        compile_catalogue(ts, qm)
    return qm if qm.exists() else None


def compile_catalogue(ts: Path, qm: Path) -> bool:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    try:
        done = subprocess.run(
            [str(lrelease), "-silent", str(ts), "-qm", str(qm)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except OSError as exc:
        log.warning("cannot compile %s: %s", ts.name, exc)
        return False
    if done.returncode != 0:
        log.warning("cannot compile %s: %s", ts.name, done.stderr.strip() or done.stdout.strip())
        return False
    return True


def term(mapping: dict, value: object) -> str:
    """A domain term (type, level, status…) in the UI's language."""
    return contract.label(mapping, value, _language)


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
