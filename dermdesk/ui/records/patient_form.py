"""Registering a patient: the form, and the core's verdict shown in it.

The form does not validate record numbers, names or dates itself; the core does (`typed_dates` reads
the typed birth date, `PatientService.register` checks the rest), and its message ("A patient with
record number DD-000123 already exists.", "The date of birth … is in the future.", "… February 1984
has no day 31.") appears under the form, which stays open until the patient is filed. The message
goes away as soon as any field is changed.

Nothing is filled in for the person: the birth date is typed (in the locale's order, or ISO) and the
sex chosen — "unknown" must be chosen on purpose — so no default birth date or sex is filed silently.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.records import NewPatient, PatientRecord, RecordsError, RecordValidationError, Sex
from dermdesk.records.typed_dates import parse_typed_date, typed_date_hint
from dermdesk.ui.common.sign_in_dialogs import error_line
from dermdesk.ui.common.terms import vocabulary_word
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

FITZPATRICK = (QT_TRANSLATE_NOOP("patient_form", "not recorded"), "I", "II", "III", "IV", "V", "VI")
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}
"""Each language of reports by its own name (a Korean reader finds 한국어 in an English screen)."""

Register = Callable[[NewPatient], PatientRecord]


class NewPatientDialog(QDialog):
    """Record number, names, birth date, sex, skin type, contact and research consent."""

    sig_registered = Signal(object)
    """The PatientRecord the core filed."""

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New patient"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(440)
        self._register = register
        self.record_number = QLineEdit(self)
        self.record_number.setPlaceholderText("e.g. DD-000123")
        self.given_name = QLineEdit(self)
        self.family_name = QLineEdit(self)
        self.day_first = locale_day_first()
        self.date_of_birth = QLineEdit(self)
        self.date_of_birth.setPlaceholderText(typed_date_hint(self.day_first))
        self.sex = QComboBox(self)
        self.sex.addItem(self.tr("Choose…"), "")  # no default: "unknown" is chosen on purpose
        for sex in Sex:
            self.sex.addItem(vocabulary_word(sex.value), sex.value)
        self.fitzpatrick = QComboBox(self)
        for index, text in enumerate(FITZPATRICK):
            self.fitzpatrick.addItem(QCoreApplication.translate("patient_form", text), index or None)
        self.contact = QLineEdit(self)
        self.contact.setPlaceholderText(self.tr("phone or e-mail (optional)"))
        self.report_language = QComboBox(self)
        self.report_language.addItem(self.tr("Clinic's default"), None)
        for code, name in LANGUAGE_NAMES.items():
            self.report_language.addItem(name, code)
        self.report_language.setToolTip(
            self.tr("The language of this patient's reports and referral letters")
        )
        self.consent = QCheckBox(self.tr("Consents to pseudonymised research use of the pictures"), self)
        self.error = error_line(self)
        self.register_button = QPushButton(self.tr("Register patient"), self)
        self.register_button.setDefault(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.register_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Record number:"), self.record_number)
        form.addRow(self.tr("Given name:"), self.given_name)
        form.addRow(self.tr("Family name:"), self.family_name)
        form.addRow(self.tr("Date of birth:"), self.date_of_birth)
        form.addRow(self.tr("Sex:"), self.sex)
        form.addRow(self.tr("Fitzpatrick skin type:"), self.fitzpatrick)
        form.addRow(self.tr("Contact:"), self.contact)
        form.addRow(self.tr("Language of reports:"), self.report_language)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.consent)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.register_button.clicked.connect(self._on_register)
        for field in (
            self.record_number,
            self.given_name,
            self.family_name,
            self.date_of_birth,
            self.contact,
        ):
            field.textEdited.connect(self._clear_error)
        self.sex.currentIndexChanged.connect(self._clear_error)

    def _clear_error(self, *_: object) -> None:
        """The person is fixing what the message said: it must not stay up and mislead."""
        self.error.clear()
        self.error.hide()

    def birth_date(self) -> date:
        """The typed birth date; RecordValidationError (a clear message) when it is not a real date."""
        return parse_typed_date(
            self.date_of_birth.text(), day_first=self.day_first, what=self.tr("date of birth")
        )

    def new_patient(self) -> NewPatient:
        born = self.birth_date()
        sex = self.sex.currentData()
        if not sex:
            raise RecordValidationError(
                self.tr("Choose the patient's sex (choose “unknown” if it is not known).")
            )
        return NewPatient(
            record_number=self.record_number.text(),
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            date_of_birth=born,
            sex=sex,
            fitzpatrick=self.fitzpatrick.currentData(),
            contact=self.contact.text() or None,
            research_consent=self.consent.isChecked(),
            report_language=self.report_language.currentData(),
        )

    def _on_register(self) -> None:
        try:
            record = self._register(self.new_patient())
        except RecordsError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.sig_registered.emit(record)
        self.accept()


def locale_day_first() -> bool:
    """Whether the station's locale writes the day before the month (most of the world does)."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat).lower()
    day, month = pattern.find("d"), pattern.find("m")
    return not (0 <= month < day)
