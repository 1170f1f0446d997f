"""The patient banner: who every screen acting on a patient is about, in two identifiers and more.

A clinic's first safety rule is two identifiers on every screen that acts on a patient. The banner shows
the full name, record number, birth date with age, and sex of the station model's patient (or of the
patient a separate window was opened for), elided with the whole text in the tooltip when the window is
narrow, and disappears when no patient is open.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from dermdesk.station import PatientInView, StationModel
from dermdesk.ui.common.terms import vocabulary_word

BANNER_STYLE = "background: #0d4f73; color: white; padding: 4px 8px; font-weight: bold; font-size: 11pt;"


def banner_text(patient: PatientInView, today: date) -> str:
    """Name, record number, birth date with age, and sex, in the window's language."""
    template = QCoreApplication.translate(
        "PatientBanner", "{name} · {record_number} · born {born} ({age} y) · {sex}"
    )
    return template.format(
        name=patient.full_name,
        record_number=patient.record_number,
        born=patient.date_of_birth.isoformat(),
        age=patient.age(today),
        sex=vocabulary_word(patient.sex),
    )


class ElidedLabel(QLabel):
    """A one-line label that elides on the right when narrow, with the whole text in its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.updateGeometry()
        self._elide()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Room for the whole text; the layout may give less, then the text elides."""
        margins = self.contentsMargins()
        width = (
            QFontMetrics(self.font()).horizontalAdvance(self._full) + 24 + margins.left() + margins.right()
        )
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(min(self.sizeHint().width(), 120), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(0, self.contentsRect().width() - 16)
        elided = QFontMetrics(self.font()).elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        super().setText(elided)


class PatientBanner(ElidedLabel):
    """The patient in view; follows the station model, or shows one fixed patient (separate windows)."""

    def __init__(
        self,
        model: StationModel | None = None,
        parent: QWidget | None = None,
        *,
        patient: PatientInView | None = None,
        hides_itself: bool = True,
    ) -> None:
        super().__init__(parent)
        self._hides_itself = hides_itself  # False in a toolbar, which shows and hides it through its action
        self.setObjectName("patient-banner")
        self.setStyleSheet(BANNER_STYLE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(200)
        self.patient: PatientInView | None = None
        if model is not None:
            model.patient_changed.connect(self.show_patient)
            patient = model.patient
        self.show_patient(patient)

    def show_patient(self, patient: PatientInView | None) -> None:
        self.patient = patient
        text = "" if patient is None else self.tr("Patient: ") + banner_text(patient, date.today())
        self.set_full_text(text)
        if self._hides_itself:
            self.setVisible(patient is not None)
