"""One patient's page: who they are, their visits, their lesions on the body map and in a list.

Picking a lesion (marker or list row) enables what can be done with it: file the next captures to it,
open its timeline, open the diagnosis form. Clicking the body elsewhere asks to place a new lesion.
The page shows a `PatientRecord` it is handed and keeps nothing else; `clear()` forgets it (lock).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dermdesk.records import LesionInfo, PatientRecord
from dermdesk.ui.common.record_wording import lesion_line_text, patient_heading_text
from dermdesk.ui.records.body_map import BodyMap
from dermdesk.ui.records.consult_dialog import refer_advised

REFER_STYLE = "font-weight: bold; color: #8a4b00;"


class PatientPage(QWidget):
    """Header, body map, lesions and visits of one patient."""

    sig_back = Signal()
    """Back to the patient list."""
    sig_position_picked = Signal(object)
    """A BodyPoint where a new lesion should be placed."""
    sig_target_requested = Signal(str)
    """File the next captures to this lesion label."""
    sig_timeline_requested = Signal(str)
    """Open this lesion's timeline."""
    sig_diagnosis_requested = Signal(str)
    """Open the diagnosis form for this lesion."""
    sig_report_requested = Signal(object)
    """Open the report of this visit (a datetime.date)."""
    sig_dicom_requested = Signal(object)
    """Export this visit (a datetime.date) as DICOM objects."""
    sig_pacs_requested = Signal(object)
    """Send this visit (a datetime.date) to the clinic's PACS."""
    sig_fhir_requested = Signal(object)
    """Export this visit (a datetime.date) as a FHIR Bundle (file or the clinic's EHR)."""
    sig_consult_requested = Signal(str)
    """Ask a dermatologist about this lesion (teledermatology)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: PatientRecord | None = None
        self.back_button = QPushButton(self.tr("← Patients"), self)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.body_map = BodyMap(self)
        self.lesions = QListWidget(self)
        self.lesions.setWordWrap(True)
        self.lesions.setMinimumHeight(80)
        self.visits = QListWidget(self)
        self.visits.setMaximumHeight(70)
        self.target_button = QPushButton(self.tr("File captures here"), self)
        self.target_button.setToolTip(self.tr("Stills taken from now on are filed to the chosen lesion"))
        self.timeline_button = QPushButton(self.tr("Timeline…"), self)
        self.diagnosis_button = QPushButton(self.tr("Diagnosis…"), self)
        self.consult_button = QPushButton(self.tr("Ask a dermatologist…"), self)
        self.consult_button.setToolTip(self.tr("Send this lesion's stills and a question to a dermatologist"))
        self.report_button = QPushButton(self.tr("Report…"), self)
        self.report_button.setToolTip(
            self.tr("The report of the chosen visit (the newest when none is chosen)")
        )
        self.report_button.setEnabled(False)
        self.dicom_button = QPushButton(self.tr("Export DICOM…"), self)
        self.dicom_button.setToolTip(
            self.tr("The chosen visit's stills, signed report and model results for the PACS")
        )
        self.dicom_button.setEnabled(False)
        self.pacs_button = QPushButton(self.tr("Send to PACS"), self)
        self.pacs_button.setToolTip(
            self.tr("The chosen visit to the clinic's PACS (waits in the outbox if it is away)")
        )
        self.fhir_button = QPushButton(self.tr("Export FHIR…"), self)
        self.fhir_button.setToolTip(
            self.tr("The chosen visit as a FHIR Bundle: a file, or sent to the clinic's EHR")
        )
        for button in (self.pacs_button, self.fhir_button):
            button.setEnabled(False)
        self._build_layout()
        self._set_lesion_buttons(False)

        self.back_button.clicked.connect(self.sig_back)
        self.body_map.sig_position_picked.connect(self.sig_position_picked)
        self.body_map.sig_lesion_picked.connect(self.select_lesion)
        self.lesions.currentItemChanged.connect(self._on_current_item)
        self.target_button.clicked.connect(lambda: self._emit_for_selected(self.sig_target_requested))
        self.timeline_button.clicked.connect(lambda: self._emit_for_selected(self.sig_timeline_requested))
        self.diagnosis_button.clicked.connect(lambda: self._emit_for_selected(self.sig_diagnosis_requested))
        self.consult_button.clicked.connect(lambda: self._emit_for_selected(self.sig_consult_requested))
        self.report_button.clicked.connect(lambda: self._emit_for_visit(self.sig_report_requested))
        self.dicom_button.clicked.connect(lambda: self._emit_for_visit(self.sig_dicom_requested))
        self.pacs_button.clicked.connect(lambda: self._emit_for_visit(self.sig_pacs_requested))
        self.fhir_button.clicked.connect(lambda: self._emit_for_visit(self.sig_fhir_requested))

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.target_button)
        buttons.addWidget(self.timeline_button)
        buttons.addWidget(self.diagnosis_button)
        lower = QWidget(self)
        lower_column = QVBoxLayout(lower)
        lower_column.setContentsMargins(0, 0, 0, 0)
        lower_column.addWidget(QLabel(self.tr("Lesions (click a marker or a row):"), lower))
        lower_column.addWidget(self.lesions, 1)
        lower_column.addLayout(buttons)
        lower_column.addWidget(self.consult_button)
        visits_row = QHBoxLayout()
        visits_row.addWidget(QLabel(self.tr("Visits:"), lower))
        visits_row.addStretch(1)
        visits_row.addWidget(self.report_button)
        visits_row.addWidget(self.dicom_button)
        lower_column.addLayout(visits_row)
        lower_column.addWidget(self.visits)
        clinic_row = QHBoxLayout()  # the clinic's own systems (issue 26)
        clinic_row.addStretch(1)
        clinic_row.addWidget(self.pacs_button)
        clinic_row.addWidget(self.fhir_button)
        lower_column.addLayout(clinic_row)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.body_map)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.heading)
        column.addWidget(splitter, 1)

    # --- showing a record ------------------------------------------------------------------------

    def show_record(self, record: PatientRecord, select: str | None = None) -> None:
        """Show `record`; keep (or choose) the selected lesion by label."""
        previous = select or self.selected_label()
        self.record = record
        self.heading.setText(patient_heading_text(record))
        self.body_map.set_lesions(record.lesions)
        self.lesions.blockSignals(True)
        self.lesions.clear()
        for lesion in record.lesions:
            item = QListWidgetItem(lesion_line_text(lesion))
            item.setData(Qt.ItemDataRole.UserRole, lesion.label)
            self.lesions.addItem(item)
        self.lesions.blockSignals(False)
        self.visits.clear()
        for visit in reversed(record.visits):
            item = QListWidgetItem(
                self.tr("{isoformat} — seen by {clinician}").format(
                    isoformat=visit.visit_date.isoformat(), clinician=visit.clinician
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, visit.visit_date)
            self.visits.addItem(item)
        self.report_button.setEnabled(bool(record.visits))
        self.dicom_button.setEnabled(bool(record.visits))
        self.pacs_button.setEnabled(bool(record.visits))
        self.fhir_button.setEnabled(bool(record.visits))
        if not record.visits:
            self.visits.addItem(self.tr("No visits yet: the first capture or diagnosis opens today's visit."))
        self.select_lesion(previous)

    def clear(self) -> None:
        """Forget the patient (the records locked or another user signed in)."""
        self.record = None
        self.heading.clear()
        self.body_map.clear()
        self.lesions.clear()
        self.visits.clear()
        self.report_button.setEnabled(False)
        self.dicom_button.setEnabled(False)
        self.pacs_button.setEnabled(False)
        self.fhir_button.setEnabled(False)
        self._set_lesion_buttons(False)

    def lesion(self, label: str) -> LesionInfo | None:
        if self.record is None:
            return None
        return next((lesion for lesion in self.record.lesions if lesion.label == label), None)

    # --- selection -------------------------------------------------------------------------------

    def selected_label(self) -> str | None:
        item = self.lesions.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def select_lesion(self, label: str | None) -> None:
        for row in range(self.lesions.count()):
            if self.lesions.item(row).data(Qt.ItemDataRole.UserRole) == label:
                self.lesions.setCurrentRow(row)
                return
        self.lesions.setCurrentRow(-1)
        self.body_map.set_selected(None)
        self._set_lesion_buttons(False)

    def _on_current_item(self, item: QListWidgetItem | None, _previous: object) -> None:
        label = None if item is None else str(item.data(Qt.ItemDataRole.UserRole))
        self.body_map.set_selected(label)
        self._set_lesion_buttons(label is not None)
        if label is not None:
            self.target_button.setText(self.tr("File captures to {label}").format(label=label))
            self.timeline_button.setText(self.tr("{label} timeline…").format(label=label))
            lesion = self.lesion(label)
            advised = lesion is not None and refer_advised(lesion)
            self.consult_button.setText(
                self.tr("Ask a dermatologist about {label}…").format(label=label)
                + (self.tr(" (referral advised)") if advised else "")
            )
            self.consult_button.setStyleSheet(REFER_STYLE if advised else "")

    def _set_lesion_buttons(self, enabled: bool) -> None:
        for button in (self.target_button, self.timeline_button, self.diagnosis_button, self.consult_button):
            button.setEnabled(enabled)
        if not enabled:
            self.target_button.setText(self.tr("File captures here"))
            self.timeline_button.setText(self.tr("Timeline…"))
            self.consult_button.setText(self.tr("Ask a dermatologist…"))
            self.consult_button.setStyleSheet("")

    def _emit_for_visit(self, signal: SignalInstance) -> None:
        """The chosen visit, or the newest when none is chosen."""
        if self.record is None or not self.record.visits:
            return
        item = self.visits.currentItem()
        chosen = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        signal.emit(chosen or max(v.visit_date for v in self.record.visits))

    def _emit_for_selected(self, signal: SignalInstance) -> None:
        label = self.selected_label()
        if label is not None:
            signal.emit(label)
