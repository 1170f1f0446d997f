"""Changes made in another room appear here: the patient on screen is re-read when its stamp changes.

Every `POLL_INTERVAL_MS` a worker asks the records for the change stamp of the patient in view
(`Records.stamps.of_patient`: counts and row versions only, not audited as a view); when it differs
from the last one seen, `RecordsSession.patient_changed` is called, and the screens that show the
patient re-read it (one audited view) as they do after this station's own filing. Open dialogs and
forms are separate windows and keep what the person is typing; the patient page keeps its selection.
This station's own changes reset the stamp, so they are not re-read twice.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from dermdesk.records import Records, RecordsError, UserInfo
from dermdesk.records.change_stamp import ChangeStamp
from dermdesk.station import StationModel
from dermdesk.tasks import TaskState
from dermdesk.ui.common.records_session import RecordsSession

logger = logging.getLogger(__name__)

POLL_INTERVAL_MS = 5_000


def read_stamp(state: TaskState, records: Records, user: UserInfo, record_number: str) -> ChangeStamp | None:
    """The stamp (worker thread); None while the server is away or the patient cannot be read."""
    try:
        return records.stamps.of_patient(user, record_number)
    except RecordsError:
        return None


class ChangeWatch(QObject):
    """Polls the change stamp of the patient in view while someone is signed in and unlocked."""

    def __init__(self, session: RecordsSession, model: StationModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._model = model
        self._seen: dict[str, ChangeStamp] = {}
        self._polling = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_INTERVAL_MS)
        self.timer.timeout.connect(self.poll)
        session.sig_signed_in.connect(lambda _user: self.timer.start())
        session.sig_locked.connect(self._stop)
        session.sig_signed_out.connect(self._stop)
        session.sig_patient_changed.connect(self._forget)  # our own change: re-read already

    def poll(self) -> None:
        user, patient, records = self._session.clinical_user, self._model.patient, self._session.records
        if self._polling or user is None or patient is None or records is None:
            return
        self._polling = True
        number = patient.record_number
        self._session.tasks.start(
            read_stamp,
            records,
            user,
            number,
            name="change-stamp",
            on_done=lambda stamp, error: self._on_stamp(number, stamp, error),
        )

    def _on_stamp(self, record_number: str, stamp: ChangeStamp | None, error: BaseException | None) -> None:
        self._polling = False
        if error is not None or stamp is None or self._session.clinical_user is None:
            return
        before = self._seen.get(record_number)
        self._seen[record_number] = stamp
        if before is not None and before != stamp:
            logger.info("The patient in view was changed at another station; showing the change")
            self._session.patient_changed(record_number)
            self._seen[record_number] = stamp  # patient_changed forgot it; this is what is shown now

    def _forget(self, record_number: str) -> None:
        self._seen.pop(record_number, None)

    def _stop(self) -> None:
        self.timer.stop()
        self._seen.clear()
