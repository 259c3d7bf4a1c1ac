"""帮助 → 关于: the client's version and licence, the data center and store in use, and
every library and data set it is built on with its licence (data/licenses.toml), with
the diagnostics a support call asks for one click away."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter import __version__, diagnostics
from commandcenter.local import logs
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.placement import keep_on_screen
from commandcenter.ui.workers.jobs import Job, JobSteps, OnGui

LICENCE_NAME = "MIT"


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    use: str
    distribution: str | None = None


def _installed(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _probed_version(what: str) -> str:
    try:
        if what == "ffmpeg":
            import av

            return str(getattr(av, "ffmpeg_version_info", "?"))
        if what == "geos":
            import shapely

            return shapely.geos_version_string
    except ImportError:
        pass
    return "?"


def component_entries() -> list[dict[str, Any]]:
    """The entries of data/licenses.toml as written."""
    text = (importlib.resources.files("commandcenter") / "data" / "licenses.toml").read_text(
        encoding="utf-8"
    )
    return tomllib.loads(text)["component"]


def components(language: str | None = None) -> list[Component]:
    """What the client is built on, with the versions installed here; optional
    libraries only when they are installed."""
    chinese = (language or i18n.language()) == "zh_CN"
    found = []
    for entry in component_entries():
        distribution = entry.get("distribution")
        if distribution:
            version = _installed(distribution)
            if version is None:
                if entry.get("optional"):
                    continue
                version = "?"
        elif entry.get("version_of"):
            version = _probed_version(entry["version_of"])
        else:
            version = entry.get("version", "")
        found.append(
            Component(
                name=entry["name"],
                version=version,
                licence=entry["licence"],
                use=entry["use_zh"] if chinese else entry["use_en"],
                distribution=distribution,
            )
        )
    return found


def licence_text() -> str:
    """The client's own LICENSE: from the installed package's metadata, else the
    checkout it runs from."""
    try:
        distribution = importlib.metadata.distribution("commandcenter")
        for name in ("licenses/LICENSE", "LICENSE"):
            text = distribution.read_text(name)
            if text:
                return text
    except importlib.metadata.PackageNotFoundError:
        pass
    # a checkout: the LICENSE beside the pyproject.toml above this file
    for folder in Path(__file__).resolve().parents:
        if (folder / "pyproject.toml").is_file():
            try:
                return (folder / "LICENSE").read_text(encoding="utf-8")
            except OSError:
                break
    return f"{LICENCE_NAME} License"


class TextDialog(QDialog):
    """A long text (the licence, the diagnostics) to read and copy."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 560)
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("Copy"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(text))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


def diagnostics_job(runtime) -> JobSteps[str]:
    """The diagnostics of the running client: its own screens (GUI thread), the rest
    (the SK looked for in the keyring, files measured) in a worker."""
    facts = yield OnGui(lambda: diagnostics.display_facts(QApplication.instance()))
    sections = diagnostics.gather(runtime.config, runtime=runtime, facts=facts)
    return diagnostics.report_text(sections)


class AboutDialog(QDialog):
    def __init__(self, runtime, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.runtime = runtime
        self.setWindowTitle(self.tr("About"))
        self.resize(900, 640)
        name = QLabel(self.tr("Justice Bureau Command Center"))
        name.setStyleSheet("font-size: 18pt; font-weight: 700;")
        version = QLabel(self.tr("Version %1").replace("%1", __version__))
        version.setObjectName("aboutVersion")
        version.setStyleSheet("font-size: 12pt;")
        licence = QLabel(
            self.tr("commandcenter is free software under the %1 licence.").replace(
                "%1", LICENCE_NAME
            )
        )
        show_licence = QPushButton(self.tr("Licence text…"))
        show_licence.clicked.connect(self.show_licence)

        facts = QFormLayout()
        self.datacenter = QLabel(self._datacenter())
        self.store = QLabel(runtime.store.url_for_display)
        log_file = logs.current_log_file()
        self.log_file = QLabel(str(log_file) if log_file else self.tr("none"))
        for label in (self.datacenter, self.store, self.log_file):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        facts.addRow(self.tr("Data center in use:"), self.datacenter)
        facts.addRow(self.tr("Store in use:"), self.store)
        facts.addRow(self.tr("Log file:"), self.log_file)

        heading = QLabel(self.tr("Built on, with thanks:"))
        heading.setStyleSheet("font-weight: 700;")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("aboutComponents")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Component"), self.tr("Version"), self.tr("Licence"), self.tr("Used for")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for component in components():
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate(
                (component.name, component.version, component.licence, component.use)
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # the column may be too narrow for all of it
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.diagnostics_button = QPushButton(self.tr("Diagnostics…"))
        self.diagnostics_button.setToolTip(
            self.tr("Versions, folders, data center, store, screens and graphics, for support")
        )
        self.diagnostics_button.clicked.connect(self.show_diagnostics)
        buttons.addButton(self.diagnostics_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(show_licence, QDialogButtonBox.ButtonRole.ActionRole)
        if log_file is not None:
            folder = QPushButton(self.tr("Open log folder"))
            folder.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file.parent)))
            )
            buttons.addButton(folder, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(name)
        layout.addWidget(version)
        layout.addWidget(licence)
        layout.addLayout(facts)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.job: Job | None = None

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        keep_on_screen(self)

    def _datacenter(self) -> str:
        runtime = self.runtime
        if runtime.uses_embedded:
            url = getattr(runtime.runner, "datacenter_url", None) or (
                runtime.client.base_url if runtime.client is not None else ""
            )
            return self.tr("embedded simulated data center %1").replace("%1", url).strip()
        ak = runtime.config.ak or ""
        return f"{runtime.config.datacenter_url} (AK {ak})"

    def show_licence(self) -> TextDialog:
        dialog = TextDialog(self.tr("Licence"), licence_text(), self)
        dialog.show()
        return dialog

    def show_diagnostics(self) -> None:
        from commandcenter.ui.widgets.progress import run_job

        self.job = run_job(
            self,
            self.tr("Gathering the diagnostics"),
            diagnostics_job(self.runtime),
            on_done=lambda text: TextDialog(self.tr("Diagnostics"), text, self).show(),
            failure=self.tr("The diagnostics could not be gathered"),
            button=self.diagnostics_button,
        )
