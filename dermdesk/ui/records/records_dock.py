"""The "Patients" dock: sign-in state, patient list, patient page — or the administrator's accounts.

What it shows follows the session: a message while the records open, fail, are locked or nobody is
signed in; the accounts page for administrators; the patient list and a patient's page for staff and
doctors. Locking or signing out clears every list and page, so no patient data stays on screen.

Reads go straight to the core's services (each audited there); the core's messages appear in the
dock's status line or in the dialog that caused them. The timeline and diagnosis windows are opened
by the records station, which this dock asks through `sig_timeline_requested` and
`sig_diagnosis_requested`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dermdesk.filing import CaptureTarget
from dermdesk.records import LesionInfo, NewLesion, NewPatient, PatientRecord, RecordsError, Role, UserInfo
from dermdesk.station import PatientInView, StationModel
from dermdesk.ui.admin.user_admin import UserAdmin
from dermdesk.ui.common.record_wording import lesion_site_text
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.sign_in_dialogs import ERROR_STYLE
from dermdesk.ui.common.terms import vocabulary_word
from dermdesk.ui.common.vertical_scroll import VerticalScroll
from dermdesk.ui.records.body_map import BodyPoint
from dermdesk.ui.records.lesion_dialog import NewLesionDialog
from dermdesk.ui.records.patient_form import NewPatientDialog
from dermdesk.ui.records.patient_list import PatientList
from dermdesk.ui.records.patient_page import PatientPage

logger = logging.getLogger(__name__)

MESSAGE, ADMIN, LIST, PATIENT = range(4)


class RecordsDock(QDockWidget):
    """Patient records beside the capture station."""

    sig_timeline_requested = Signal(str, object)
    """(record number, LesionInfo) whose timeline to open."""
    sig_diagnosis_requested = Signal(str, object)
    """(record number, LesionInfo) whose diagnosis form to open."""
    sig_sign_in_requested = Signal()
    """The user wants the sign-in dialog again."""
    sig_report_requested = Signal(str, object)
    """(record number, visit date) whose report to open."""
    sig_dicom_requested = Signal(str, object)
    """(record number, visit date) to export as DICOM."""
    sig_pacs_requested = Signal(str, object)
    """(record number, visit date) to send to the clinic's PACS."""
    sig_fhir_requested = Signal(str, object)
    """(record number, visit date) to export as FHIR."""
    sig_consult_requested = Signal(str, object)
    """(record number, LesionInfo) to ask a dermatologist about."""

    def __init__(self, session: RecordsSession, model: StationModel, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Patients"), parent)
        self._model = model
        self.setObjectName("records-dock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self._session = session
        self.dialog: NewPatientDialog | NewLesionDialog | None = None
        self.who = QLabel(self)
        self.lock_button = QPushButton(self.tr("Lock"), self)
        self.sign_out_button = QPushButton(self.tr("Sign out"), self)
        self.message = QLabel(self.tr("Opening the patient records…"), self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sign_in_button = QPushButton(self.tr("Sign in…"), self)
        self.admin = UserAdmin(session, self)
        self.patient_list = PatientList(self)
        self.patient_page = PatientPage(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet(ERROR_STYLE)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._message_page())
        self.pages.addWidget(self.admin)
        self.pages.addWidget(self.patient_list)
        self.pages.addWidget(self.patient_page)
        self.setWidget(self._content())
        self.setMinimumWidth(320)
        self._connect()
        self._show_message(self.tr("Opening the patient records…"))

    def _message_page(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.addStretch(1)
        column.addWidget(self.message)
        column.addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        return page

    def _content(self) -> QWidget:
        content = QWidget(self)
        header = QHBoxLayout()
        header.addWidget(self.who, 1)
        header.addWidget(self.lock_button)
        header.addWidget(self.sign_out_button)
        # The pages scroll when the screen is too low for them (the patient page with its body map),
        # so the dock never makes the window taller than a 1280×720 screen.
        scroll = VerticalScroll(self.pages, content)
        self.pages.currentChanged.connect(self._size_by_current_page)
        self._size_by_current_page(self.pages.currentIndex())
        column = QVBoxLayout(content)
        column.addLayout(header)
        column.addWidget(scroll, 1)
        column.addWidget(self.status)
        return content

    def _size_by_current_page(self, current: int) -> None:
        """The stack is as tall as the page shown, not as its tallest page (the accounts page)."""
        for index in range(self.pages.count()):
            policy = QSizePolicy.Policy.Preferred if index == current else QSizePolicy.Policy.Ignored
            page = self.pages.widget(index)
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.pages.updateGeometry()

    def _connect(self) -> None:
        session = self._session
        session.sig_opened.connect(
            lambda _report: self._show_message(self.tr("Sign in to see patient records."))
        )
        session.sig_open_failed.connect(self._show_message)
        session.sig_signed_in.connect(self._on_signed_in)
        session.sig_locked.connect(
            lambda: self._hide_records(self.tr("Locked: patient data is hidden. Sign in again."))
        )
        session.sig_signed_out.connect(
            lambda: self._hide_records(self.tr("Signed out. Sign in to see patient records."))
        )
        session.sig_patient_changed.connect(self._on_patient_changed)
        self.lock_button.clicked.connect(session.lock)
        self.sign_out_button.clicked.connect(session.sign_out)
        self.sign_in_button.clicked.connect(self.sig_sign_in_requested)
        self.patient_list.sig_search.connect(self.search)
        self.patient_list.sig_patient_chosen.connect(self.open_patient)
        self.patient_list.sig_new_patient.connect(self._on_new_patient)
        page = self.patient_page
        page.sig_back.connect(self._on_back)
        page.sig_position_picked.connect(self._on_position_picked)
        page.sig_target_requested.connect(self._on_target_requested)
        page.sig_timeline_requested.connect(lambda label: self._request(self.sig_timeline_requested, label))
        page.sig_diagnosis_requested.connect(lambda label: self._request(self.sig_diagnosis_requested, label))
        page.sig_consult_requested.connect(lambda label: self._request(self.sig_consult_requested, label))
        page.sig_report_requested.connect(lambda visit: self._for_patient(self.sig_report_requested, visit))
        page.sig_dicom_requested.connect(lambda visit: self._for_patient(self.sig_dicom_requested, visit))
        page.sig_pacs_requested.connect(lambda visit: self._for_patient(self.sig_pacs_requested, visit))
        page.sig_fhir_requested.connect(lambda visit: self._for_patient(self.sig_fhir_requested, visit))

    # --- session state ---------------------------------------------------------------------------

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        records_open = self._session.records is not None
        self.sign_in_button.setVisible(records_open and self._session.clinical_user is None)
        self.who.setText("")
        self.lock_button.hide()
        self.sign_out_button.hide()
        self.pages.setCurrentIndex(MESSAGE)

    def _hide_records(self, text: str) -> None:
        self._model.set_patient(None)
        self.close_dialog()
        self.patient_page.clear()
        self.patient_list.clear()
        self.admin.clear()
        self.status.clear()
        self._show_message(text)

    def _on_signed_in(self, user: UserInfo) -> None:
        self.who.setText(
            self.tr("Signed in: <b>{display_name}</b> ({value})").format(
                display_name=user.display_name, value=vocabulary_word(user.role.value)
            )
        )
        self.lock_button.show()
        self.sign_out_button.show()
        self.status.clear()
        if user.role is Role.ADMIN:
            self.admin.refresh()
            self.pages.setCurrentIndex(ADMIN)
            return
        if self.pages.currentIndex() != PATIENT or self.patient_page.record is None:
            self.pages.setCurrentIndex(LIST)
            self.search(self.patient_list.search.text().strip())

    def close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None

    # --- patients --------------------------------------------------------------------------------

    def _user(self) -> UserInfo:
        user = self._session.clinical_user
        if user is None:
            raise RecordsError(self.tr("The records are locked; sign in again."))
        return user

    def search(self, text: str) -> None:
        try:
            found = self._session.require_records().patients.list(self._user(), text or None)
        except RecordsError as exc:
            self.status.setText(str(exc))
            return
        self.status.clear()
        self.patient_list.show_patients(found)

    def refresh(self) -> None:
        """Read the page shown again (the clinic server is back, or the records changed elsewhere)."""
        record = self.patient_page.record
        if record is not None and self.pages.currentIndex() == PATIENT:
            self.open_patient(record.record_number)
        elif self.pages.currentIndex() == LIST:
            self.search(self.patient_list.search.text().strip())

    def open_patient(self, record_number: str, select: str | None = None) -> PatientRecord | None:
        """Show a patient's page (the core audits the view); None and a message if refused."""
        try:
            record = self._session.require_records().patients.get(self._user(), record_number)
        except RecordsError as exc:
            self.status.setText(str(exc))
            return None
        self.status.clear()
        self.patient_page.show_record(record, select=select)
        self.pages.setCurrentIndex(PATIENT)
        self._model.set_patient(PatientInView.of(record))
        return record

    def _on_back(self) -> None:
        self._model.set_patient(None)
        self.patient_page.clear()
        self.pages.setCurrentIndex(LIST)
        self.search(self.patient_list.search.text().strip())

    def _on_patient_changed(self, record_number: str) -> None:
        record = self.patient_page.record
        if (
            record is not None
            and record.record_number == record_number
            and self.pages.currentIndex() == PATIENT
        ):
            self.open_patient(record_number)

    def _on_new_patient(self) -> None:
        def register(new: NewPatient) -> PatientRecord:
            return self._session.require_records().patients.register(self._user(), new)

        dialog = NewPatientDialog(register, self)
        dialog.sig_registered.connect(lambda record: self.open_patient(record.record_number))
        self._open_dialog(dialog)

    # --- lesions ---------------------------------------------------------------------------------

    def _on_position_picked(self, point: BodyPoint) -> None:
        record = self.patient_page.record
        if record is None:
            return
        number = record.record_number

        def add(new: NewLesion) -> LesionInfo:
            return self._session.require_records().lesions.add(self._user(), number, new)

        dialog = NewLesionDialog(point, add, self)
        dialog.sig_added.connect(lambda lesion: self._on_lesion_added(number, lesion))
        self._open_dialog(dialog)

    def _on_lesion_added(self, record_number: str, lesion: LesionInfo) -> None:
        """A lesion placed on the body map is what staff are about to photograph: file captures to it."""
        self.open_patient(record_number, select=lesion.label)
        self._on_target_requested(lesion.label)

    def _on_target_requested(self, label: str) -> None:
        record, lesion = self.patient_page.record, self.patient_page.lesion(label)
        if record is None or lesion is None:
            return
        target = CaptureTarget(
            record.record_number, label, lesion_site_text(lesion), lesion.anatom_site_general
        )
        self._model.set_patient(PatientInView.of(record))
        self._model.set_target(target)
        self._session.set_target(target)

    def _for_patient(self, signal: SignalInstance, visit: object) -> None:
        record = self.patient_page.record
        if record is not None:
            signal.emit(record.record_number, visit)

    def _request(self, signal: SignalInstance, label: str) -> None:
        record, lesion = self.patient_page.record, self.patient_page.lesion(label)
        if record is not None and lesion is not None:
            signal.emit(record.record_number, lesion)

    def _open_dialog(self, dialog: NewPatientDialog | NewLesionDialog) -> None:
        self.close_dialog()
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.open()

    def _forget_dialog(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None
