""" "Today's worklist…": the patients the clinic's scheduling system booked for today, to pick instead of
typing them in.

Picking a complete entry registers the patient (or opens them when already registered); an entry that
lacks what registration needs (a birth date, the sex, a usable record number) opens the ordinary
registration form filled with what the entry has, and says what is missing. Manual registration stays
as it was. The worklist is asked on the dialog's own TaskRunner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.interop.destinations import DestinationError
from dermdesk.interop.worklist import WorklistEntry, WorklistError, fetch_worklist, pick
from dermdesk.records import NewPatient, PatientRecord, Records, RecordsError, UserInfo
from dermdesk.settings import DermDeskSettings
from dermdesk.tasks import TaskState
from dermdesk.ui.common.sign_in_dialogs import ErrorLine
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.records.patient_form import NewPatientDialog

logger = logging.getLogger(__name__)

ERROR_STYLE = "color: #a61b1b;"


def _fetch(_state: TaskState, settings: DermDeskSettings, day: date) -> list[WorklistEntry] | str:
    try:
        return fetch_worklist(settings, day)
    except (WorklistError, DestinationError) as exc:
        return str(exc)


def entry_line(entry: WorklistEntry) -> str:
    at = f"{entry.scheduled:%H:%M}" if entry.scheduled else "--:--"
    born = (
        entry.date_of_birth.isoformat()
        if entry.date_of_birth
        else QCoreApplication.translate("worklist_dialog", "born ?")
    )
    text = f"{at}  {entry.name_text or '(no name)'}  ·  {entry.patient_id or '(no ID)'}  ·  {born}"
    if entry.procedure:
        text += f"  ·  {entry.procedure}"
    if entry.problems:
        text += QCoreApplication.translate("worklist_dialog", "\n      incomplete: {problems}").format(
            problems="; ".join(entry.problems)
        )
    return text


def prefill(dialog: NewPatientDialog, entry: WorklistEntry) -> None:
    """Fill the registration form with what the entry has (staff complete the rest)."""
    dialog.record_number.setText(entry.patient_id)
    dialog.given_name.setText(entry.given_name)
    dialog.family_name.setText(entry.family_name)
    if entry.date_of_birth is not None:
        dialog.date_of_birth.setText(entry.date_of_birth.isoformat())  # the typed field takes ISO dates
    if entry.sex is not None:
        dialog.sex.setCurrentIndex(dialog.sex.findData(entry.sex))


class WorklistDialog(QDialog):
    """Today's worklist entries; "Register / open" picks the chosen one."""

    sig_patient_picked = Signal(str)
    """The record number of the patient picked (registered now or already)."""

    def __init__(
        self,
        parent: QWidget | None,
        records: Records,
        user: UserInfo,
        settings: DermDeskSettings,
        *,
        day: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Today's worklist"))
        self.setMinimumSize(560, 360)
        self._records, self._user, self._settings = records, user, settings
        self._day = day or date.today()
        self._runner = TaskRunner(self)
        self.form: NewPatientDialog | None = None
        intro = QLabel(
            self.tr(
                "Patients booked for {isoformat} on the clinic's worklist. Pick one to "
                "register (or open) them without typing; anyone not listed is "
                "registered by hand as before."
            ).format(isoformat=self._day.isoformat())
        )
        intro.setWordWrap(True)
        self.entries = QListWidget(self)
        self.entries.setWordWrap(True)
        self.status = ErrorLine(self)
        self.status.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.pick_button = QPushButton(self.tr("Register / open"), self)
        self.pick_button.setDefault(True)
        self.pick_button.setEnabled(False)
        close = QPushButton(self.tr("Close"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pick_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.entries, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        close.clicked.connect(self.reject)
        self.refresh_button.clicked.connect(self.refresh)
        self.pick_button.clicked.connect(self._on_pick)
        self.entries.itemDoubleClicked.connect(lambda _item: self._on_pick())
        self.entries.currentRowChanged.connect(lambda row: self.pick_button.setEnabled(row >= 0))
        self.refresh()

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Asking the worklist…"))
        self._runner.start(_fetch, self._settings, self._day, name="worklist", on_done=self._on_fetched)

    def _on_fetched(self, result: object, error: BaseException | None) -> None:
        self.refresh_button.setEnabled(True)
        self.entries.clear()
        if isinstance(result, list):
            for entry in result:
                item = QListWidgetItem(entry_line(entry))
                item.setData(Qt.ItemDataRole.UserRole, entry)
                self.entries.addItem(item)
            self.status.setText(
                self.tr("{result} patient(s) on today's worklist.").format(result=len(result))
                if result
                else self.tr("Nobody yet.")
            )
            return
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(
            result if isinstance(result, str) else self.tr("The worklist failed: {error}").format(error=error)
        )

    def chosen(self) -> WorklistEntry | None:
        item = self.entries.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _on_pick(self) -> None:
        entry = self.chosen()
        if entry is None:
            return
        if not entry.complete:
            self._open_form(entry)
            return
        try:
            picked = pick(self._records, self._user, entry)
        except RecordsError as exc:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(str(exc))
            return
        self.sig_patient_picked.emit(picked.record.record_number)
        self.accept()

    def _open_form(self, entry: WorklistEntry) -> None:
        register: Callable[[NewPatient], PatientRecord] = lambda new: self._records.patients.register(  # noqa: E731
            self._user, new
        )
        form = NewPatientDialog(register, self)
        prefill(form, entry)
        form.error.setText(
            self.tr("From the worklist; please complete: {problems}.").format(
                problems="; ".join(entry.problems)
            )
        )
        form.error.show()
        form.sig_registered.connect(lambda record: self._registered(record.record_number))
        self.form = form
        form.open()

    def _registered(self, record_number: str) -> None:
        self.sig_patient_picked.emit(record_number)
        self.accept()

    def done(self, code: int) -> None:
        self._runner.shutdown()
        super().done(code)
