"""Registering a patient: the form, and the core's verdict shown in it.

The form does not validate record numbers, names or dates itself; `PatientService.register` does, and
its message ("A patient with record number DD-000123 already exists.", "The date of birth … is in the
future.") appears under the form, which stays open until the patient is filed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.records import NewPatient, PatientRecord, RecordsError, Sex
from dermdesk.ui.common.sign_in_dialogs import error_line

FITZPATRICK = ("not recorded", "I", "II", "III", "IV", "V", "VI")

Register = Callable[[NewPatient], PatientRecord]


class NewPatientDialog(QDialog):
    """Record number, names, birth date, sex, skin type, contact and research consent."""

    sig_registered = Signal(object)
    """The PatientRecord the core filed."""

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New patient")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(440)
        self._register = register
        self.record_number = QLineEdit(self)
        self.record_number.setPlaceholderText("e.g. DD-000123")
        self.given_name = QLineEdit(self)
        self.family_name = QLineEdit(self)
        self.date_of_birth = QDateEdit(self)
        self.date_of_birth.setDisplayFormat("yyyy-MM-dd")
        self.date_of_birth.setCalendarPopup(True)
        self.date_of_birth.setDate(QDate(1970, 1, 1))
        self.sex = QComboBox(self)
        for sex in Sex:
            self.sex.addItem(sex.value, sex.value)
        self.sex.setCurrentIndex(self.sex.findData(Sex.UNKNOWN.value))
        self.fitzpatrick = QComboBox(self)
        for index, text in enumerate(FITZPATRICK):
            self.fitzpatrick.addItem(text, index or None)
        self.contact = QLineEdit(self)
        self.contact.setPlaceholderText("phone or e-mail (optional)")
        self.consent = QCheckBox("Consents to anonymised research use of the pictures", self)
        self.error = error_line(self)
        self.register_button = QPushButton("Register patient", self)
        self.register_button.setDefault(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.register_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("Record number:", self.record_number)
        form.addRow("Given name:", self.given_name)
        form.addRow("Family name:", self.family_name)
        form.addRow("Date of birth:", self.date_of_birth)
        form.addRow("Sex:", self.sex)
        form.addRow("Fitzpatrick skin type:", self.fitzpatrick)
        form.addRow("Contact:", self.contact)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.consent)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.register_button.clicked.connect(self._on_register)

    def new_patient(self) -> NewPatient:
        born = self.date_of_birth.date()  # QDate.toPython() is typed `object`: build the date ourselves
        return NewPatient(
            record_number=self.record_number.text(),
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            date_of_birth=date(born.year(), born.month(), born.day()),
            sex=self.sex.currentData(),
            fitzpatrick=self.fitzpatrick.currentData(),
            contact=self.contact.text() or None,
            research_consent=self.consent.isChecked(),
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
