""" "Send to PACS" and "Export FHIR…" for a visit: the visit goes to the clinic's own PACS or EHR.

Self-contained like the DICOM export dialog: records, user, record number, visit and settings come in
as plain arguments. The work (making the objects or the Bundle, queueing them in the outbox, sending
what waits) runs on the dialog's own TaskRunner; closing the dialog cancels and waits. What cannot go
now stays in the outbox with its reason and goes at the next send; what the PACS or EHR refused is
shown in its words.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
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

from dermdesk.interop.destinations import DestinationError, describe
from dermdesk.interop.export import DicomExportError
from dermdesk.interop.fhir_bundle import FhirExportError
from dermdesk.interop.fhir_send import FhirFile, export_fhir, queue_fhir, send_fhir_pending
from dermdesk.interop.outbox import JobState, OutboxError
from dermdesk.interop.pacs_send import queue_visit, send_pending
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
REFUSALS = (DicomExportError, FhirExportError, DestinationError, OutboxError, RecordsError)


def _send_to_pacs(
    _state: TaskState,
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    settings: DermDeskSettings,
) -> tuple[bool, list[str]]:
    """(all sent, lines to show): queue the visit, then send everything that waits."""
    try:
        queue_visit(records, user, record_number, visit, settings)
        report = send_pending(records, user, settings)
    except REFUSALS as exc:
        return False, [str(exc)]
    done = report.stopped is None and all(job.state is JobState.SENT for job in report.jobs)
    return done, report.lines()


def _send_to_ehr(
    _state: TaskState,
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    settings: DermDeskSettings,
) -> tuple[bool, list[str]]:
    try:
        queue_fhir(records, user, record_number, visit, settings)
        report = send_fhir_pending(records, user, settings)
    except REFUSALS as exc:
        return False, [str(exc)]
    done = report.stopped is None and all(job.state is JobState.SENT for job in report.jobs)
    return done, report.lines()


def _write_file(
    _state: TaskState,
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    path: Path,
    settings: DermDeskSettings,
) -> FhirFile | str:
    try:
        return export_fhir(records, user, record_number, visit, path, settings)
    except REFUSALS as exc:
        return str(exc)


class _VisitDialog(QDialog):
    """What both dialogs share: the banner, an intro, a status line and a task runner."""

    def __init__(
        self,
        parent: QWidget | None,
        records: Records,
        user: UserInfo,
        record_number: str,
        visit: VisitKey,
        settings: DermDeskSettings,
        patient: PatientInView | None,
        title: str,
        intro: str,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(500)
        self.patient_banner = PatientBanner(patient=patient, parent=self)
        self._records, self._user, self._settings = records, user, settings
        self._record_number, self._visit = record_number, visit
        self.record_number = record_number  # the patient this window is about (closes with them)
        self._runner = TaskRunner(self)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.status = ErrorLine(self)
        self.status.setWordWrap(True)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)

    def _args(self) -> tuple[Records, UserInfo, str, VisitKey, DermDeskSettings]:
        return self._records, self._user, self._record_number, self._visit, self._settings

    def _working(self, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)

    def _show(self, ok: bool, lines: list[str]) -> None:
        self.status.setStyleSheet("" if ok else ERROR_STYLE)
        self.status.setText("\n".join(lines))

    def _failed(self, error: BaseException | None, what: str) -> None:
        logger.error("%s failed: %s", what, type(error).__name__)
        self._show(False, [self.tr("{what} failed: {error}").format(what=what, error=error)])

    def done(self, code: int) -> None:
        self._runner.shutdown()
        super().done(code)


def _which(visit: VisitKey) -> str:
    return (
        QCoreApplication.translate("clinic_systems", "the newest visit")
        if visit is None
        else QCoreApplication.translate("clinic_systems", "the visit {visit}").format(visit=visit)
    )


class PacsSendDialog(_VisitDialog):
    """Sends one visit's stills, signed report and model results to the clinic's PACS."""

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
        where = describe(settings).get("pacs") or self.tr(
            "no PACS configured (ask clinic IT: Settings ▸ PACS / EHR)"
        )
        intro = self.tr(
            "Sends {which} of {record_number} to the clinic's PACS ({where}): the "
            "stills, the signed report and the model's results, with the same "
            "DICOM UIDs every time. If the PACS cannot take them now they wait in "
            "this station's outbox and go with the next send."
        ).format(which=_which(visit), record_number=record_number, where=where)
        super().__init__(
            parent, records, user, record_number, visit, settings, patient, self.tr("Send to PACS"), intro
        )
        self.send_button = QPushButton(self.tr("Send"), self)
        self.send_button.setDefault(True)
        self.send_button.setEnabled("pacs" in describe(settings))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.patient_banner)
        layout.addWidget(self.intro)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.send_button.clicked.connect(self._on_send)

    def _on_send(self) -> None:
        self.send_button.setEnabled(False)
        self._working(self.tr("Sending to the PACS…"))
        self._runner.start(_send_to_pacs, *self._args(), name="pacs send", on_done=self._on_done)

    def _on_done(self, result: object, error: BaseException | None) -> None:
        self.send_button.setEnabled(True)
        if isinstance(result, tuple):
            ok, lines = result
            self._show(bool(ok), list(lines))
        else:
            self._failed(error, self.tr("Sending to the PACS"))


class FhirExportDialog(_VisitDialog):
    """Writes one visit as a FHIR Bundle file, or sends it to the clinic's EHR."""

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
        intro = self.tr(
            "Writes {which} of {record_number} as a FHIR R4 Bundle: patient, "
            "encounter, lesions, pictures, the model's results and the signed "
            "report (PDF). It carries the patient's name and record number: keep "
            "the file within the clinic."
        ).format(which=_which(visit), record_number=record_number)
        super().__init__(
            parent, records, user, record_number, visit, settings, patient, self.tr("Export FHIR"), intro
        )
        self.path = QLineEdit(self)
        self.path.setPlaceholderText(self.tr("File for the Bundle (.json)"))
        self.choose_button = QPushButton(self.tr("Choose…"), self)
        self.save_button = QPushButton(self.tr("Save file"), self)
        self.send_button = QPushButton(self.tr("Send to EHR"), self)
        ehr = describe(settings).get("ehr")
        self.send_button.setEnabled(ehr is not None)
        self.send_button.setToolTip(ehr or self.tr("No EHR is configured (Settings ▸ PACS / EHR)"))
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.patient_banner)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.path.textChanged.connect(lambda text: self.save_button.setEnabled(bool(text.strip())))
        self.save_button.setEnabled(False)
        self.choose_button.clicked.connect(self._on_choose)
        self.save_button.clicked.connect(self._on_save)
        self.send_button.clicked.connect(self._on_send)

    def _on_choose(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("FHIR Bundle file"), self.path.text(), self.tr("FHIR JSON (*.json)")
        )
        if chosen:
            self.path.setText(chosen)

    def _on_save(self) -> None:
        path = Path(self.path.text().strip()).expanduser()
        self.save_button.setEnabled(False)
        self._working(self.tr("Writing the FHIR Bundle…"))
        records, user, number, visit, settings = self._args()
        args = (records, user, number, visit, path, settings)
        self._runner.start(_write_file, *args, name="fhir export", on_done=self._on_saved)

    def _on_saved(self, result: object, error: BaseException | None) -> None:
        self.save_button.setEnabled(bool(self.path.text().strip()))
        if isinstance(result, FhirFile):
            lines = [
                self.tr("FHIR Bundle of {entries} resources written to {path}.").format(
                    entries=result.entries, path=result.path
                ),
                *result.notes,
            ]
            self._show(True, lines)
        elif isinstance(result, str):
            self._show(False, [result])
        else:
            self._failed(error, self.tr("Writing the FHIR Bundle"))

    def _on_send(self) -> None:
        self.send_button.setEnabled(False)
        self._working(self.tr("Sending to the EHR…"))
        self._runner.start(_send_to_ehr, *self._args(), name="fhir send", on_done=self._on_sent)

    def _on_sent(self, result: object, error: BaseException | None) -> None:
        self.send_button.setEnabled(True)
        if isinstance(result, tuple):
            ok, lines = result
            self._show(bool(ok), list(lines))
        else:
            self._failed(error, self.tr("Sending to the EHR"))
