""" "Export DICOM…" for a visit: choose a folder, write the visit's DICOM objects there, see what went out.

Self-contained: it takes the records, the signed-in user, the patient's record number, the visit and
the settings as plain arguments, and imports nothing of the main window. The export itself
(`dermdesk.interop.export.export_visit`: reading the pictures, assigning or reusing UIDs, writing the
files) runs on the dialog's own TaskRunner; closing the dialog cancels and waits for it. What the core
refuses (an empty visit, a folder that cannot be written, a permission) is shown in the dialog.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.interop.export import DicomExportError, VisitExport, export_visit
from dermdesk.records import Records, RecordsError, UserInfo
from dermdesk.records.reports import VisitKey
from dermdesk.settings import DermDeskSettings
from dermdesk.station import PatientInView
from dermdesk.tasks import TaskState
from dermdesk.ui.common.patient_banner import PatientBanner
from dermdesk.ui.common.sign_in_dialogs import ErrorLine
from dermdesk.ui.common.worker import TaskRunner

logger = logging.getLogger(__name__)

ERROR_STYLE = "color: #a61b1b;"


def _export(
    _state: TaskState,
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    folder: Path,
    settings: DermDeskSettings,
) -> VisitExport | str:
    """The export, or the core's refusal as a sentence to show."""
    try:
        return export_visit(records, user, record_number, visit, folder, settings)
    except (DicomExportError, RecordsError) as exc:
        return str(exc)


class DicomExportDialog(QDialog):
    """Writes one visit's stills, signed report and model results as DICOM files into a folder."""

    sig_exported = Signal(object)
    """The VisitExport once the files are written."""

    def __init__(
        self,
        parent: QWidget | None,
        records: Records,
        user: UserInfo,
        record_number: str,
        visit: VisitKey,
        settings: DermDeskSettings,
        *,
        patient: PatientInView | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export DICOM"))
        self.setMinimumWidth(480)
        self.patient_banner = PatientBanner(patient=patient, parent=self)
        self._records, self._user, self._settings = records, user, settings
        self._record_number, self._visit = record_number, visit
        self.record_number = record_number  # the patient this window is about (closes with them)
        self._runner = TaskRunner(self)
        which = (
            self.tr("the newest visit") if visit is None else self.tr("the visit {visit}").format(visit=visit)
        )
        intro = QLabel(
            self.tr(
                "Writes {which} of {record_number} as DICOM files: dermoscopy and "
                "other stills, the signed report (PDF) and the model's results. The "
                "files carry the patient's name and record number; keep them within "
                "the clinic."
            ).format(which=which, record_number=record_number)
        )
        intro.setWordWrap(True)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("Folder for the .dcm files"))
        self.choose_button = QPushButton(self.tr("Choose…"))
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Close"))
        self.status = ErrorLine(self)  # grows the dialog for a long summary or refusal
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.patient_banner)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.folder.textChanged.connect(self._on_folder_changed)
        self.choose_button.clicked.connect(self._on_choose)
        self.export_button.clicked.connect(self._on_export)
        self.close_button.clicked.connect(self.reject)
        self._on_folder_changed(self.folder.text())

    def _on_folder_changed(self, text: str) -> None:
        self.export_button.setEnabled(bool(text.strip()))

    def _on_choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Folder for the DICOM files"), self.folder.text()
        )
        if chosen:
            self.folder.setText(chosen)

    def _on_export(self) -> None:
        folder = Path(self.folder.text().strip()).expanduser()
        self.export_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Writing the DICOM files…"))
        args = (self._records, self._user, self._record_number, self._visit, folder, self._settings)
        self._runner.start(_export, *args, name="dicom export", on_done=self._on_done)

    def _on_done(self, result: object, error: BaseException | None) -> None:
        self.export_button.setEnabled(bool(self.folder.text().strip()))
        if isinstance(result, VisitExport):
            lines = [
                result.summary,
                *result.notes,
                self.tr("Folder: {strip}").format(strip=self.folder.text().strip()),
            ]
            self.status.setText("\n".join(lines))
            self.sig_exported.emit(result)
            return
        self.status.setStyleSheet(ERROR_STYLE)
        if isinstance(result, str):
            self.status.setText(result)
        else:
            logger.error("DICOM export failed: %s", type(error).__name__)
            self.status.setText(self.tr("The export failed: {error}").format(error=error))

    def done(self, code: int) -> None:
        self._runner.shutdown()
        super().done(code)
