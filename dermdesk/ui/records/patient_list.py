"""The patient list: search by names (any parts, any order), record number or birth date; open a
patient, register a new one.

Searching is audited by the core (who listed which patients), so the list is not re-queried on every
key stroke: a short pause in typing, or Enter, runs the search. The widget shows `PatientSummary`
values handed to it; the records dock does the querying and shows the core's errors.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.i18n import current_language
from dermdesk.i18n.names import full_name
from dermdesk.records import PatientSummary
from dermdesk.ui.common.terms import vocabulary_word

SEARCH_PAUSE_MS = 400


def patient_line(patient: PatientSummary) -> str:
    return QCoreApplication.translate(
        "patient_list", "{record_number} — {name} (born {isoformat}, {sex})"
    ).format(
        record_number=patient.record_number,
        name=full_name(patient.family_name, patient.given_name, current_language()),
        isoformat=patient.date_of_birth.isoformat(),
        sex=vocabulary_word(patient.sex),
    )


class PatientList(QWidget):
    """A search field, the matching patients and a "New patient…" button."""

    sig_search = Signal(str)
    """Run a search for this text (empty: all patients, up to the core's limit)."""
    sig_patient_chosen = Signal(str)
    """The record number of the patient to open."""
    sig_new_patient = Signal()
    """The user wants to register a patient."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search: names in any order, record number or birth date…"))
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton(self.tr("New patient…"), self)
        self.patients = QListWidget(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.patients, 1)
        column.addWidget(self.status)

        self.search.textEdited.connect(lambda _text: self._pause.start())
        self.search.returnPressed.connect(self.run_search)
        self._pause.timeout.connect(self.run_search)
        self.new_button.clicked.connect(self.sig_new_patient)
        self.patients.itemActivated.connect(self._on_item)

    def run_search(self) -> None:
        self._pause.stop()
        self.sig_search.emit(self.search.text().strip())

    def show_patients(self, patients: list[PatientSummary]) -> None:
        self.patients.clear()
        for patient in patients:
            item = QListWidgetItem(patient_line(patient))
            item.setData(Qt.ItemDataRole.UserRole, patient.record_number)
            self.patients.addItem(item)
        searched = self.search.text().strip()
        if patients:
            self.status.setText(
                self.tr("{patients} patient(s)").format(patients=len(patients))
                + (self.tr(" matching “{searched}”").format(searched=searched) if searched else "")
            )
        else:
            self.status.setText(
                self.tr("No patient matches “{searched}”.").format(searched=searched)
                if searched
                else self.tr("No patients yet.")
            )

    def record_numbers(self) -> list[str]:
        return [
            self.patients.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.patients.count())
        ]

    def clear(self) -> None:
        """Forget what was shown (the records locked)."""
        self._pause.stop()
        self.search.clear()
        self.patients.clear()
        self.status.clear()

    def _on_item(self, item: QListWidgetItem) -> None:
        self.sig_patient_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
