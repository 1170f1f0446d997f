""" "Ask a dermatologist": the teleconsultation request for one lesion.

The sender writes the question, picks the urgency and the short history, and ticks the stills to send
(the newest visit's white and polarised stills and its overview photo are ticked already). "Check what
will leave" builds exactly the pseudonymised request the centre will receive and shows it field by
field; "Send" stays off until that check has passed for the text as it is now. The identifier check and
the consent check are the core's (`dermdesk.consults`); their refusals are shown here as they are.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dermdesk.consults import desk
from dermdesk.records import LesionInfo, RecordsError
from dermdesk.records.consults import ConsultDraft, ConsultInfo
from dermdesk.station import PatientInView
from dermdesk.ui.common.patient_banner import PatientBanner
from dermdesk.ui.common.record_wording import lesion_site_text
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.terms import stored_light_name, vocabulary_word
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

YES_NO = ("recent_change", "itch", "bleeding", "pain", "melanoma_personal", "melanoma_family")
YES_NO_LABELS = {
    "recent_change": QT_TRANSLATE_NOOP("consult_dialog", "Recent change"),
    "itch": QT_TRANSLATE_NOOP("consult_dialog", "Itch"),
    "bleeding": QT_TRANSLATE_NOOP("consult_dialog", "Bleeding"),
    "pain": QT_TRANSLATE_NOOP("consult_dialog", "Pain"),
    "melanoma_personal": QT_TRANSLATE_NOOP("consult_dialog", "Melanoma before (patient)"),
    "melanoma_family": QT_TRANSLATE_NOOP("consult_dialog", "Melanoma in the family"),
}
DEFAULT_LIGHTS = ("white", "white_polarised")
ERROR_STYLE = "color: #a40000;"


def refer_advised(lesion: LesionInfo) -> bool:
    """Whether the model's referral rule fired on the lesion's newest analysed picture."""
    analysed = [i for i in lesion.images if i.predictions]
    return bool(analysed) and analysed[-1].predictions[-1].refer


class ConsultDialog(QWidget):
    """The request form for one lesion (a window of its own, closed when the records lock)."""

    sig_sent = Signal(object)
    """The ConsultInfo of the consult just queued."""

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
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(
            self.tr("DermDesk — ask a dermatologist about {record_number} {label}").format(
                record_number=record_number, label=lesion.label
            )
        )
        fit_window(self, 980, 700)
        self.session = session
        self.record_number = record_number
        self.lesion = lesion
        self.checked_text: str | None = None
        self.banner = PatientBanner(patient=patient, parent=self)
        advice = self.tr("The model advises referral for this lesion. ") if refer_advised(lesion) else ""
        intro = QLabel(
            self.tr(
                "<b>{label}</b> — {lesion_site}. {advice}The request leaves "
                "pseudonymised: no name, record number or birth date. Write the "
                "question without them."
            ).format(label=lesion.label, lesion_site=lesion_site_text(lesion), advice=advice),
            self,
        )
        intro.setWordWrap(True)
        self.question = QPlainTextEdit(self)
        self.question.setPlaceholderText(
            self.tr("The clinical question, e.g. 'Changing naevus: excise or follow?'")
        )
        self.question.setMaximumHeight(90)
        self.urgency = QComboBox(self)
        for urgency in ("routine", "soon", "urgent"):
            self.urgency.addItem(vocabulary_word(urgency), urgency)
        self.duration = QSpinBox(self)
        self.duration.setRange(0, 5200)
        self.duration.setSpecialValueText(self.tr("unknown"))
        self.duration.setSuffix(self.tr(" weeks"))
        self.skin_type = QSpinBox(self)
        self.skin_type.setRange(0, 6)
        self.skin_type.setSpecialValueText(self.tr("unknown"))
        self.flags = {
            name: QCheckBox(QCoreApplication.translate("consult_dialog", YES_NO_LABELS[name]), self)
            for name in YES_NO
        }
        self.pictures = QListWidget(self)
        newest = max((i.visit_date for i in lesion.images), default=None)
        for image in lesion.images:
            light = (
                stored_light_name(image.lighting_mode) if image.lighting_mode else self.tr("overview photo")
            )
            item = QListWidgetItem(
                self.tr("Image {id} · {isoformat} · {light}").format(
                    id=image.id, isoformat=image.visit_date.isoformat(), light=light
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, image.id)
            default = image.visit_date == newest and (
                image.lighting_mode in DEFAULT_LIGHTS or image.lighting_mode is None
            )
            item.setCheckState(Qt.CheckState.Checked if default else Qt.CheckState.Unchecked)
            self.pictures.addItem(item)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setPlaceholderText(self.tr("Press 'Check what will leave' to see exactly what is sent."))
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.consent_button = QPushButton(self.tr("Record teleconsultation consent…"), self)
        self.check_button = QPushButton(self.tr("Check what will leave"), self)
        self.send_button = QPushButton(self.tr("Send to a dermatologist"), self)
        self.send_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Close"), self)
        self._build_layout(intro)
        self.question.textChanged.connect(self._on_changed)
        self.urgency.currentIndexChanged.connect(self._on_changed)
        self.pictures.itemChanged.connect(self._on_changed)
        self.check_button.clicked.connect(self.check)
        self.send_button.clicked.connect(self.send)
        self.consent_button.clicked.connect(self._on_consent)
        self.close_button.clicked.connect(self.close)
        self._show_consent()

    def _build_layout(self, intro: QLabel) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Question"), self.question)
        form.addRow(self.tr("Urgency"), self.urgency)
        form.addRow(self.tr("Duration"), self.duration)
        form.addRow(self.tr("Skin type (Fitzpatrick)"), self.skin_type)
        flags = QHBoxLayout()
        for box in self.flags.values():
            flags.addWidget(box)
        flags.addStretch(1)
        form.addRow(self.tr("History"), flags)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Pictures to send (white and polarised by default)"), self))
        left.addWidget(self.pictures, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("What will leave"), self))
        right.addWidget(self.preview, 1)
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.consent_button)
        buttons.addStretch(1)
        for button in (self.check_button, self.send_button, self.close_button):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(self.banner)
        column.addWidget(intro)
        column.addLayout(form)
        column.addLayout(columns, 1)
        column.addWidget(self.message)
        column.addLayout(buttons)

    def draft(self) -> ConsultDraft:
        history: dict[str, object] = {name: True for name, box in self.flags.items() if box.isChecked()}
        if self.duration.value():
            history["duration_weeks"] = self.duration.value()
        if self.skin_type.value():
            history["skin_type"] = self.skin_type.value()
        chosen = tuple(
            int(self.pictures.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.pictures.count())
            if self.pictures.item(n).checkState() == Qt.CheckState.Checked
        )
        return ConsultDraft(
            self.record_number,
            self.lesion.label,
            self.question.toPlainText(),
            self.urgency.currentData(),
            history,
            chosen,
        )

    def _show_consent(self) -> None:
        user = self.session.clinical_user
        if user is None:
            return
        try:
            given = self.session.require_records().consults.has_consent(user, self.record_number)
        except RecordsError as exc:
            self.message.setText(str(exc))
            return
        self.consent_button.setVisible(not given)
        if not given:
            self.message.setText(
                self.tr(
                    "The patient has not consented to teleconsultation: sending is refused "
                    "until the consent is recorded."
                )
            )

    def _on_consent(self) -> None:
        user = self.session.clinical_user
        if user is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Teleconsultation consent"),
            self.tr(
                "Has the patient agreed that pseudonymised pictures of this lesion and "
                "the question are sent to a dermatologist for an opinion? (This is "
                "separate from consent to research use.)"
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.session.require_records().consults.set_consent(user, self.record_number, True)
        except RecordsError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText("")
        self.consent_button.hide()

    def _on_changed(self, *_args: object) -> None:
        self.checked_text = None
        self.send_button.setEnabled(False)

    def check(self) -> bool:
        """Build what would leave and show it; True when it may be sent as it is."""
        user = self.session.clinical_user
        if user is None:
            return False
        try:
            _, lines = desk.preview(self.session.require_records(), self.session.settings, user, self.draft())
        except RecordsError as exc:
            self.preview.setPlainText("")
            self.message.setText(str(exc))
            self._on_changed()
            return False
        self.preview.setPlainText("\n".join(lines))
        self.message.setText("")
        self.checked_text = self.question.toPlainText()
        self.send_button.setEnabled(True)
        return True

    def send(self) -> ConsultInfo | None:
        user = self.session.clinical_user
        if user is None or self.checked_text != self.question.toPlainText():
            return None
        try:
            info = desk.send(self.session.require_records(), user, self.draft())
        except RecordsError as exc:
            self.message.setText(str(exc))
            return None
        logger.info("Consult %s queued", info.id)
        self.sig_sent.emit(info)
        self.session.patient_changed(self.record_number)
        self.close()
        return info
