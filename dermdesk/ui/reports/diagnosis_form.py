"""The doctor's diagnosis form for one lesion: record a diagnosis, and sign it with the password again.

The diagnosis is one of the model's seven classes (shown by their clinical names) or free text, with
how it was confirmed and notes. "Record and sign…" and "Sign selected…" ask for the doctor's password
in a `PasswordDialog`; the core re-checks it on a worker (a wrong one counts towards the lock-out) and
its message is shown in that dialog. Accounts without the right to diagnose see the lesion's
diagnoses read-only, with the core's own explanation of why (`access.require`).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.records import (
    Confirmation,
    DiagnosisInfo,
    LesionInfo,
    NewDiagnosis,
    Permission,
    PermissionDenied,
    RecordsError,
)
from dermdesk.records.access import require
from dermdesk.records.errors import DiagnosisConflict
from dermdesk.records.lesion_advice import lesion_advice
from dermdesk.records.wording import diagnosis_text
from dermdesk.station import PatientInView
from dermdesk.ui.common.patient_banner import PatientBanner
from dermdesk.ui.common.record_wording import lesion_site_text
from dermdesk.ui.common.records_session import DiagnosisDraft, RecordsSession
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.sign_in_dialogs import PasswordDialog, error_line
from dermdesk.ui.common.terms import confirmation_name, diagnosis_name
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

OTHER = "other"
NO_PATIENT_TO_SIGN = QT_TRANSLATE_NOOP(
    "diagnosis_form",
    "This window does not show which patient it is about, so nothing is signed: close it and open it "
    "again from the patient's page.",
)
BANNER_STYLE = "background: #fff3cd; color: #5c4400; padding: 6px;"


def diagnosis_line(diagnosis: DiagnosisInfo) -> str:
    signed = (
        QCoreApplication.translate(
            "diagnosis_form", "signed by {signed_off_by} {astimezone:%Y-%m-%d %H:%M}"
        ).format(signed_off_by=diagnosis.signed_off_by, astimezone=diagnosis.signed_off_at.astimezone())
        if diagnosis.signed_off_at
        else QCoreApplication.translate("diagnosis_form", "NOT SIGNED")
    )
    return (
        f"{diagnosis.visit_date.isoformat()} · {diagnosis_text(diagnosis.dx_code, diagnosis.dx_other)} · "
        f"{diagnosis.confirmation} · by {diagnosis.doctor} · {signed}"
        + (
            QCoreApplication.translate("diagnosis_form", " · amends diagnosis {amends_id}").format(
                amends_id=diagnosis.amends_id
            )
            if diagnosis.amends_id is not None
            else ""
        )
    )


def model_suggestion(lesion: LesionInfo) -> str:
    """The lesion's one advice (`lesion_advice`: the still and light behind it, every still's reading
    when they disagree, and the rule), as the report quotes it; or that there is none."""
    advice = lesion_advice(lesion.images)
    if advice is None:
        return QCoreApplication.translate("diagnosis_form", "No model suggestion is filed for this lesion.")
    prediction = advice.decided_by.prediction
    lines = [
        QCoreApplication.translate(
            "diagnosis_form",
            "Model's advice for this lesion: {summary} ({model_name} "
            "{model_version}) — a suggestion, not a diagnosis.",
        ).format(
            summary=advice.summary, model_name=prediction.model_name, model_version=prediction.model_version
        )
    ]
    if advice.disagree:
        lines += [f"• {reading.text}" for reading in advice.readings]
    return "\n".join(lines)


class DiagnosisForm(QWidget):
    """A window: the lesion's diagnoses, and the form to add and sign one."""

    sig_filed = Signal(object)
    """A DiagnosisInfo recorded or signed through this form."""

    def __init__(
        self,
        session: RecordsSession,
        record_number: str,
        lesion: LesionInfo,
        parent: QWidget | None = None,
        *,
        patient: PatientInView | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.patient = patient
        self.patient_banner = PatientBanner(patient=patient, parent=self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(
            self.tr("DermDesk — diagnosis of {record_number} {label}").format(
                record_number=record_number, label=lesion.label
            )
        )
        fit_window(self, 640, 560)
        self._session = session
        self.record_number = record_number
        self.lesion = lesion
        self.diagnoses: list[DiagnosisInfo] = list(lesion.diagnoses)
        self.password_dialog: PasswordDialog | None = None
        self.amends_offer: int | None = None  # the final diagnosis a second signature would amend
        session.sig_patient_changed.connect(self._on_patient_changed)
        self.can_diagnose = False
        self._dirty = False
        self._build()
        self._show_diagnoses()
        self._apply_permission()
        self._restore_draft()
        self.notes.textChanged.connect(self._on_edited)
        self.other.textEdited.connect(self._on_edited)
        self.diagnosis.currentIndexChanged.connect(self._on_edited)

    # --- a half-typed diagnosis survives a lock --------------------------------------------------

    def _draft_key(self) -> tuple[int, str, str] | None:
        user = self._session.user
        return None if user is None else (user.id, self.record_number, self.lesion.label)

    def _on_edited(self, *_: object) -> None:
        self._dirty = True

    def _restore_draft(self) -> None:
        key = self._draft_key()
        draft = self._session.drafts.pop(key, None) if key is not None else None
        if draft is None or not self.can_diagnose:
            return
        self.diagnosis.setCurrentIndex(max(0, self.diagnosis.findData(draft.diagnosis)))
        self.other.setText(draft.other)
        self.notes.setPlainText(draft.notes)
        self._dirty = True
        self.banner.setText(
            self.tr("Your unsaved diagnosis from before the records locked is back; it is not filed yet.")
        )
        self.banner.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Closed by a lock with unsaved input: keep it (in memory) for the same person's return."""
        key = self._draft_key()
        if self._session.locked and self._dirty and key is not None:
            self._session.drafts[key] = DiagnosisDraft(
                str(self.diagnosis.currentData() or ""), self.other.text(), self.notes.toPlainText()
            )
            logger.info("An unsaved diagnosis of %s was kept over the lock", self.lesion.label)
        super().closeEvent(event)

    # --- construction ----------------------------------------------------------------------------

    def _build(self) -> None:
        heading = QLabel(
            f"<b>{self.record_number} · {self.lesion.label}</b> — {lesion_site_text(self.lesion)}", self
        )
        self.suggestion = QLabel(model_suggestion(self.lesion), self)
        self.suggestion.setWordWrap(True)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.history = QListWidget(self)
        self.diagnosis = QComboBox(self)
        self.diagnosis.addItem(
            self.tr("Choose a diagnosis…"), ""
        )  # no class preselected: nothing filed by accident
        for code in CLASS_CODES:
            self.diagnosis.addItem(f"{diagnosis_name(code)} ({code})", code)
        self.diagnosis.addItem(self.tr("Other (free text)…"), OTHER)
        self.other = QLineEdit(self)
        self.other.setPlaceholderText(self.tr("diagnosis in words, when none of the classes fits"))
        self.confirmation = QComboBox(self)
        for confirmation in Confirmation:
            self.confirmation.addItem(confirmation_name(confirmation.value), confirmation.value)
        self.confirmation.setCurrentIndex(self.confirmation.findData(Confirmation.CLINICAL.value))
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText(self.tr("notes (optional)"))
        self.notes.setMaximumHeight(90)
        self.error = error_line(self)
        self.record_button = QPushButton(self.tr("Record"), self)
        self.record_sign_button = QPushButton(self.tr("Record and sign…"), self)
        self.sign_button = QPushButton(self.tr("Sign selected…"), self)
        form = QFormLayout()
        form.addRow(self.tr("Diagnosis:"), self.diagnosis)
        form.addRow(self.tr("Other:"), self.other)
        form.addRow(self.tr("Confirmed by:"), self.confirmation)
        form.addRow(self.tr("Notes:"), self.notes)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.record_sign_button)
        column = QVBoxLayout(self)
        column.addWidget(self.patient_banner)
        column.addWidget(heading)
        column.addWidget(self.suggestion)
        column.addWidget(self.banner)
        column.addWidget(QLabel(self.tr("Diagnoses of this lesion:"), self))
        column.addWidget(self.history, 1)
        sign_row = QHBoxLayout()
        sign_row.addStretch(1)
        sign_row.addWidget(self.sign_button)
        column.addLayout(sign_row)
        column.addWidget(QLabel(self.tr("New diagnosis:"), self))
        column.addLayout(form)
        column.addWidget(self.error)
        column.addLayout(buttons)
        self.diagnosis.currentIndexChanged.connect(self._on_class_chosen)
        self.history.currentItemChanged.connect(lambda *_: self._update_sign_button())
        self.record_button.clicked.connect(self._on_record)
        self.record_sign_button.clicked.connect(lambda: self._ask_password(None))
        self.sign_button.clicked.connect(self._on_sign_selected)
        self._on_class_chosen()

    def _apply_permission(self) -> None:
        user = self._session.clinical_user
        try:
            if user is None:
                raise PermissionDenied(self.tr("Sign in to record diagnoses."))
            require(user, Permission.DIAGNOSE)
        except PermissionDenied as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            for widget in (self.diagnosis, self.other, self.confirmation, self.notes, self.record_button):
                widget.setEnabled(False)
            self.record_sign_button.setEnabled(False)
            self.sign_button.setEnabled(False)
            self.can_diagnose = False
            return
        self.can_diagnose = True
        self._update_sign_button()

    # --- showing ---------------------------------------------------------------------------------

    def _show_diagnoses(self, select_id: int | None = None) -> None:
        self.history.clear()
        for diagnosis in self.diagnoses:
            item = QListWidgetItem(diagnosis_line(diagnosis))
            item.setData(Qt.ItemDataRole.UserRole, diagnosis.id)
            self.history.addItem(item)
            if diagnosis.id == select_id:
                self.history.setCurrentItem(item)
        if not self.diagnoses:
            self.history.addItem(self.tr("No diagnosis recorded yet."))

    def _on_patient_changed(self, record_number: str) -> None:
        """Filed here or in another room: the history shows it; what is being typed stays."""
        user, records = self._session.clinical_user, self._session.records
        if record_number != self.record_number or user is None or records is None:
            return
        try:
            record = records.patients.get(user, record_number)
        except RecordsError as exc:
            logger.warning("The diagnosis history was not refreshed: %s", exc)
            return
        lesion = next((item for item in record.lesions if item.label == self.lesion.label), None)
        if lesion is None:
            return
        selected = self._selected()
        self.lesion, self.diagnoses = lesion, list(lesion.diagnoses)
        self._show_diagnoses(select_id=selected.id if selected is not None else None)
        self._update_sign_button()

    def _selected(self) -> DiagnosisInfo | None:
        item = self.history.currentItem()
        wanted = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        return next((d for d in self.diagnoses if d.id == wanted), None)

    def _update_sign_button(self) -> None:
        selected = self._selected()
        self.sign_button.setEnabled(
            self.can_diagnose and selected is not None and selected.signed_off_at is None
        )

    def _on_class_chosen(self, *_: object) -> None:
        self.other.setEnabled(self.diagnosis.currentData() == OTHER and self.diagnosis.isEnabled())

    def new_diagnosis(self) -> NewDiagnosis:
        code = self.diagnosis.currentData()
        return NewDiagnosis(
            confirmation=self.confirmation.currentData(),
            dx_code=None if code in (OTHER, "") else code,
            dx_other=self.other.text() if code == OTHER else None,
            notes=self.notes.toPlainText() or None,
        )

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # --- recording and signing -------------------------------------------------------------------

    def _on_record(self) -> None:
        user, records = self._session.clinical_user, self._session.records
        if user is None or records is None:
            self.show_error(self.tr("The records are locked; sign in again."))
            return
        try:
            filed = records.diagnoses.record(
                user, self.record_number, self.lesion.label, self.new_diagnosis()
            )
        except RecordsError as exc:
            self.show_error(str(exc))
            return
        self._filed(filed)

    def _on_sign_selected(self) -> None:
        selected = self._selected()
        if selected is not None:
            self._ask_password(selected)

    def _ask_password(self, existing: DiagnosisInfo | None) -> None:
        """Open the password dialog; `existing` None means: record the form's diagnosis signed."""
        user = self._session.clinical_user
        if user is None:
            self.show_error(self.tr("The records are locked; sign in again."))
            return
        if self.patient is None or self.patient.record_number != self.record_number:
            self.show_error(QCoreApplication.translate("diagnosis_form", NO_PATIENT_TO_SIGN))
            return
        if existing is None:
            try:
                new = self.new_diagnosis().validated()
            except RecordsError as exc:
                self.show_error(str(exc))
                return
            purpose = self.tr("Sign “{diagnosis_text}” for {label} as final.").format(
                diagnosis_text=diagnosis_text(new.dx_code, new.dx_other), label=self.lesion.label
            )
        else:
            new = None
            purpose = self.tr("Sign “{diagnosis_text}” as final.").format(
                diagnosis_text=diagnosis_text(existing.dx_code, existing.dx_other)
            )
        dialog = PasswordDialog(user.username, purpose, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_submitted.connect(lambda password: self._sign(dialog, existing, new, password))
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.password_dialog = dialog
        dialog.open()

    def _forget_dialog(self, dialog: PasswordDialog) -> None:
        if self.password_dialog is dialog:
            self.password_dialog = None
            self.amends_offer = None  # an amendment is offered for one signing attempt only

    def _sign(
        self, dialog: PasswordDialog, existing: DiagnosisInfo | None, new: NewDiagnosis | None, password: str
    ) -> None:
        user, records = self._session.clinical_user, self._session.records
        if user is None or records is None:
            dialog.show_error(self.tr("The records are locked; sign in again."))
            return
        service, amends = records.diagnoses, self.amends_offer
        if existing is not None:

            def sign_existing(diagnosis_id: int, secret: str) -> DiagnosisInfo:
                return service.sign_off(user, diagnosis_id, secret, amends=amends)

            self._session.call(
                sign_existing,
                existing.id,
                password,
                name="sign-off",
                on_done=lambda r, e: self._on_signed(dialog, r, e),
            )
            return

        def record_signed(number: str, label: str, spec: NewDiagnosis, secret: str) -> DiagnosisInfo:
            return service.record(user, number, label, spec, sign_off_password=secret, amends=amends)

        self._session.call(
            record_signed,
            self.record_number,
            self.lesion.label,
            new,
            password,
            name="record-and-sign",
            on_done=lambda r, e: self._on_signed(dialog, r, e),
        )

    def _on_signed(
        self, dialog: PasswordDialog, result: DiagnosisInfo | None, error: BaseException | None
    ) -> None:
        if error is not None or result is None:
            message = (
                str(error)
                if isinstance(error, RecordsError)
                else self.tr("Signing failed: {error}").format(error=error)
            )
            if isinstance(error, DiagnosisConflict):  # another room signed first: say so, offer to amend
                self.amends_offer = error.current_id
                message += self.tr(
                    " Sign again here to sign yours as an amendment of diagnosis {current_id}."
                ).format(current_id=error.current_id)
                self._session.patient_changed(self.record_number)
            if self.password_dialog is dialog:
                dialog.show_error(message)
            else:
                self.show_error(message)
            return
        if self.password_dialog is dialog:
            dialog.accept()
        self._filed(result)

    def _filed(self, diagnosis: DiagnosisInfo) -> None:
        self._dirty = False
        self.show_error("")
        others = [d for d in self.diagnoses if d.id != diagnosis.id]
        self.diagnoses = sorted([*others, diagnosis], key=lambda d: d.diagnosed_at)
        self._show_diagnoses(select_id=diagnosis.id)
        self._update_sign_button()
        logger.info("Diagnosis %s of %s %s filed", diagnosis.id, self.record_number, self.lesion.label)
        self.sig_filed.emit(diagnosis)
