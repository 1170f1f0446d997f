"""What staff may do with one filed picture: keep it out of reports, or move it to the right lesion.

A poor picture filed by mistake (a black still, a blurred one) stays in the record — nothing clinical
is deleted here — but "Leave out of reports" keeps it out of every visit report and referral letter.
A picture filed to the wrong lesion moves to another lesion of the same patient; the core refuses a
move to another patient's lesion. Both changes run on a worker and are audited by the core.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from dermdesk.records import ImageInfo
from dermdesk.ui.common.records_session import RecordsSession


class PictureActions(QWidget):
    """ "In reports" tick box and "Move to" lesion chooser under one picture."""

    sig_changed = Signal(str)
    """A change was made (or refused): the sentence to show."""

    def __init__(
        self,
        session: RecordsSession,
        record_number: str,
        info: ImageInfo,
        other_labels: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.record_number = record_number
        self.info = info
        self.in_reports = QCheckBox(self.tr("In reports"), self)
        self.in_reports.setChecked(info.for_report)
        self.in_reports.setToolTip(
            self.tr(
                "Untick to leave this picture out of visit reports and referral "
                "letters (it stays in the record; the change is audited)."
            )
        )
        self.move_to = QComboBox(self)
        self.move_to.addItem(self.tr("Move to lesion…"), None)
        for label in other_labels:
            self.move_to.addItem(label, label)
        self.move_to.setEnabled(bool(other_labels))
        self.move_button = QPushButton(self.tr("Move"), self)
        self.move_button.setEnabled(False)
        self.move_to.currentIndexChanged.connect(
            lambda _index: self.move_button.setEnabled(self.move_to.currentData() is not None)
        )
        self.in_reports.toggled.connect(self._on_in_reports)
        self.move_button.clicked.connect(self._on_move)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.move_to, 1)
        row.addWidget(self.move_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.in_reports)
        column.addLayout(row)

    def _on_in_reports(self, checked: bool) -> None:
        user = self._session.clinical_user
        if user is None:
            return
        self.in_reports.setEnabled(False)
        reason = "" if checked else "left out of reports at the station"  # stored with the picture: English
        self._session.call(
            self._session.require_records().captures.set_for_report,
            user,
            self.info.id,
            checked,
            reason,
            name="picture-in-reports",
            on_done=lambda _result, error: self._on_report_done(checked, error),
        )

    def _on_report_done(self, checked: bool, error: BaseException | None) -> None:
        self.in_reports.setEnabled(True)
        if error is not None:
            self.in_reports.blockSignals(True)
            self.in_reports.setChecked(not checked)
            self.in_reports.blockSignals(False)
            self.sig_changed.emit(
                self.tr("Picture {number} was not changed: {error}").format(
                    number=self.info.number, error=error
                )
            )
            return
        where = self.tr("goes into reports again") if checked else self.tr("is left out of reports")
        self.sig_changed.emit(
            self.tr("Picture {number} {where}.").format(number=self.info.number, where=where)
        )
        self._session.patient_changed(self.record_number)

    def move_to_lesion(self, label: str, record_number: str | None = None) -> None:
        """Move the picture to lesion ``label`` (of ``record_number``, by default this patient)."""
        user = self._session.clinical_user
        if user is None:
            return
        self.move_button.setEnabled(False)
        self._session.call(
            self._session.require_records().captures.move_image,
            user,
            self.info.id,
            record_number or self.record_number,
            label,
            name="move-picture",
            on_done=self._on_moved,
        )

    def _on_move(self) -> None:
        label = self.move_to.currentData()
        if label is not None:
            self.move_to_lesion(str(label))

    def _on_moved(self, label: str | None, error: BaseException | None) -> None:
        if error is not None or label is None:
            self.move_button.setEnabled(True)
            self.sig_changed.emit(
                self.tr("Picture {number} was not moved: {error}").format(
                    number=self.info.number, error=error
                )
            )
            return
        self.setEnabled(False)
        self.sig_changed.emit(
            self.tr("Picture {number} moved to lesion {label}.").format(number=self.info.number, label=label)
        )
        self._session.patient_changed(self.record_number)
