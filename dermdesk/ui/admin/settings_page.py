"""The station's settings page: what a clinic changes, in sections, checked before anything is saved.

The page is a list of `SettingsSection` widgets. Each section owns some settings: it shows their
values (`load`), says what was changed (`changes`) and shows the message for each of its fields that
the core refuses (`show_problems`). The rules are in `dermdesk.settings_form` (Qt-free): the upload
address must be https unless it names this machine, the logo must be a picture of at most 10 MB, and
the typed settings class checks the rest. Saving applies all sections at once or none.

Other features add their own section (`SettingsPage.add_section`): PACS/FHIR and connection settings
do so without touching this module's sections.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dermdesk.settings import CameraSource, DermDeskSettings, PaperSize, SettingsError
from dermdesk.settings_form import apply_changes
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.sign_in_dialogs import ERROR_STYLE, error_line
from dermdesk.ui.common.terms import vocabulary_word

logger = logging.getLogger(__name__)

RESOLUTIONS = [(640, 480), (1280, 720), (1920, 1080), (2592, 1944), (3840, 2160)]


class SettingsSection(QGroupBox):
    """One titled part of the settings page; subclasses add fields with `add_field`."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.problem_labels: dict[str, QLabel] = {}

    def add_field(self, key: str, label: str, field: QWidget, hint: str = "") -> None:
        """A row for setting `key`, with an optional grey hint and a red message line under it."""
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(field)
        if hint:
            note = QLabel(hint, self)
            note.setWordWrap(True)
            note.setStyleSheet("color: #5b6770;")
            column.addWidget(note)
        problem = error_line(self)
        column.addWidget(problem)
        self.problem_labels[key] = problem
        self.form.addRow(label, column)

    def load(self, settings: DermDeskSettings) -> None:
        raise NotImplementedError

    def changes(self) -> dict[str, Any]:
        """The settings this section owns, as typed now (all of them; unchanged ones are harmless)."""
        raise NotImplementedError

    def show_problems(self, problems: dict[str, str]) -> None:
        for key, label in self.problem_labels.items():
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)


class ClinicSection(SettingsSection):
    """The letterhead of every report and letter, and their paper."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Clinic (letterhead of reports and letters)"), parent)
        self.name = QLineEdit(self)
        self.address = QPlainTextEdit(self)
        self.address.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.phone = QLineEdit(self)
        self.logo = QLineEdit(self)
        self.logo.setPlaceholderText(self.tr("No logo"))
        self.logo_button = QPushButton(self.tr("Choose…"), self)
        self.logo_button.clicked.connect(self._on_choose_logo)
        logo_row = QWidget(self)
        row = QHBoxLayout(logo_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.logo, 1)
        row.addWidget(self.logo_button)
        self.paper = QComboBox(self)
        for size in PaperSize:
            self.paper.addItem(vocabulary_word(size.value), size.value)
        self.add_field("clinic_name", self.tr("Clinic name:"), self.name)
        self.add_field(
            "clinic_address", self.tr("Address:"), self.address, self.tr("One line per line of the address.")
        )
        self.add_field("clinic_phone", self.tr("Phone:"), self.phone)
        self.add_field(
            "clinic_logo", self.tr("Logo:"), logo_row, self.tr("A PNG or JPEG picture, at most 10 MB.")
        )
        self.add_field("paper_size", self.tr("Paper:"), self.paper)
        self.logo_dialog: QFileDialog | None = None

    def load(self, settings: DermDeskSettings) -> None:
        self.name.setText(settings.clinic_name)
        self.address.setPlainText(settings.clinic_address)
        self.phone.setText(settings.clinic_phone)
        self.logo.setText(str(settings.clinic_logo or ""))
        self.paper.setCurrentIndex(max(self.paper.findData(settings.paper_size.value), 0))

    def changes(self) -> dict[str, Any]:
        return {
            "clinic_name": self.name.text().strip(),
            "clinic_address": self.address.toPlainText().strip(),
            "clinic_phone": self.phone.text().strip(),
            "clinic_logo": self.logo.text().strip() or None,
            "paper_size": self.paper.currentData(),
        }

    def _on_choose_logo(self) -> None:
        dialog = QFileDialog(
            self, self.tr("Clinic logo"), str(Path.home()), self.tr("Pictures (*.png *.jpg *.jpeg)")
        )
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.logo.setText)
        self.logo_dialog = dialog
        dialog.open()


class StationSection(SettingsSection):
    """How the station protects the records when nobody is at it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Station"), parent)
        self.idle_lock = QSpinBox(self)
        self.idle_lock.setRange(1, 240)
        self.idle_lock.setSuffix(self.tr(" min"))
        self.add_field(
            "idle_lock_minutes",
            self.tr("Lock the records after:"),
            self.idle_lock,
            self.tr("Without a key or mouse movement; takes effect at the next start."),
        )

    def load(self, settings: DermDeskSettings) -> None:
        self.idle_lock.setValue(settings.idle_lock_minutes)

    def changes(self) -> dict[str, Any]:
        return {"idle_lock_minutes": self.idle_lock.value()}


class CameraSection(SettingsSection):
    """What the station opens at start: which camera, at what size and frame rate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Camera at start"), parent)
        self.source = QComboBox(self)
        for source in CameraSource:
            self.source.addItem(vocabulary_word(source.value), source.value)
        self.index = QSpinBox(self)
        self.index.setRange(0, 16)
        self.resolution = QComboBox(self)
        for width, height in RESOLUTIONS:
            self.resolution.addItem(f"{width} × {height}", (width, height))
        self.fps = QDoubleSpinBox(self)
        self.fps.setRange(1, 240)
        self.fps.setDecimals(0)
        self.add_field(
            "camera_source", self.tr("Source:"), self.source, self.tr("Takes effect at the next start.")
        )
        self.add_field("camera_index", self.tr("Camera number:"), self.index)
        self.add_field("resolution", self.tr("Picture size:"), self.resolution)
        self.add_field("fps", self.tr("Frames a second:"), self.fps)

    def load(self, settings: DermDeskSettings) -> None:
        self.source.setCurrentIndex(max(self.source.findData(settings.camera_source.value), 0))
        self.index.setValue(settings.camera_index)
        size = tuple(settings.resolution)
        if self.resolution.findData(size) < 0:
            self.resolution.addItem(f"{size[0]} × {size[1]}", size)
        self.resolution.setCurrentIndex(self.resolution.findData(size))
        self.fps.setValue(settings.fps)

    def changes(self) -> dict[str, Any]:
        return {
            "camera_source": self.source.currentData(),
            "camera_index": self.index.value(),
            "resolution": tuple(self.resolution.currentData()),
            "fps": self.fps.value(),
        }


class UploadSection(SettingsSection):
    """Where consented, anonymised cases go."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Central service"), parent)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText(self.tr("https://central.example.org (empty: no uploads)"))
        self.add_field(
            "upload_url",
            self.tr("Upload address:"),
            self.url,
            self.tr("Must start with https:// unless it is this machine (localhost)."),
        )

    def load(self, settings: DermDeskSettings) -> None:
        self.url.setText(settings.upload_url or "")

    def changes(self) -> dict[str, Any]:
        return {"upload_url": self.url.text().strip()}


def default_sections() -> list[SettingsSection]:
    return [ClinicSection(), StationSection(), CameraSection(), UploadSection()]


class SettingsPage(QWidget):
    """A window with the settings sections, Save and Close."""

    sig_saved = Signal(object)
    """The DermDeskSettings just saved."""
    sig_refused = Signal(dict)
    """Field name -> message, when Save was refused."""

    def __init__(
        self,
        settings: DermDeskSettings,
        apply: Callable[[DermDeskSettings], None],
        parent: QWidget | None = None,
        *,
        sections: list[SettingsSection] | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("DermDesk — station settings"))
        self.settings = settings
        self._apply = apply
        self.sections: list[SettingsSection] = []
        self.column_widget = QWidget(self)
        self.column = QVBoxLayout(self.column_widget)
        self.column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(self.column_widget)
        scroll.setWidgetResizable(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.error = error_line(self)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Close"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.error)
        outer.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        for section in sections if sections is not None else default_sections():
            self.add_section(section)
        fit_window(self, 720, 760)

    def add_section(self, section: SettingsSection) -> None:
        """Add a section at the end (other features add theirs this way)."""
        section.setParent(self.column_widget)
        self.column.insertWidget(self.column.count() - 1, section)
        section.show()  # at once, also when the page is already on screen
        section.load(self.settings)
        self.sections.append(section)

    def save(self) -> DermDeskSettings | None:
        """Check every section's values together; save them all, or show why not (nothing saved)."""
        changes: dict[str, Any] = {}
        for section in self.sections:
            changes.update(section.changes())
        updated, problems = apply_changes(self.settings, changes)
        owned = set().union(*(section.problem_labels for section in self.sections))
        for section in self.sections:
            section.show_problems(problems)
        if updated is None:
            others = [message for key, message in problems.items() if key not in owned]
            self._show_error(
                self.tr("Not saved: correct the fields marked in red.") + "".join(f" {m}" for m in others)
            )
            self.sig_refused.emit(problems)
            return None
        try:
            self._apply(updated)
        except SettingsError as exc:
            self._show_error(str(exc))
            return None
        self.settings = updated
        for section in self.sections:  # show what is saved now (a write-only field empties again)
            section.load(updated)
        self._show_error("")
        self.status.setText(
            self.tr("Saved. Reports use the new letterhead at once; camera and lock at the next start.")
        )
        logger.info("Station settings saved from the settings page")
        self.sig_saved.emit(updated)
        return updated

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        if message:
            self.error.setStyleSheet(ERROR_STYLE)
