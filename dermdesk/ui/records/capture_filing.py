"""Filing the station's stills to the chosen lesion: the still, how it was taken, the model's view.

The capture station saves every still in its session folder first (`dermdesk.capture.session_stills`); when
a lesion is chosen on the patient page (`RecordsSession.target`) the same still is then filed through
`captures.save` on a worker: the PNG bytes, capture metadata read from the still's sidecar (camera,
lighting, polarisation, contact, ruler scale, quality scores and whether the gate was overridden) and,
when the live classification has a result, its prediction. Nothing waits for the classifier: no
result, no prediction row.

The capture time is the records' clock at the moment the still was saved, the same clock the core
uses for diagnoses, so a capture and a diagnosis of one day land in the same visit.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from dermdesk.capture.session_stills import CapturedStill
from dermdesk.filing import CaptureTarget, ExposureSource, PredictionSource, file_still
from dermdesk.records import (
    CaptureResult,
    PredictionInput,
)
from dermdesk.tasks import TaskCancelledError
from dermdesk.ui.common.records_session import RecordsSession

logger = logging.getLogger(__name__)


class CaptureFiler(QObject):
    """Files each saved still to the session's capture target, if one is chosen and unlocked."""

    sig_filed = Signal(object)
    """The CaptureResult of a still filed (or spooled for the clinic server)."""
    sig_message = Signal(str)
    """A line for the status bar: filed, not filed and why."""

    def __init__(
        self,
        session: RecordsSession,
        parent: QObject | None = None,
        *,
        prediction: PredictionSource = lambda: None,
        exposure: ExposureSource = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._prediction = prediction
        self._exposure = exposure

    def file(self, captured: CapturedStill) -> None:
        """Called for every still the station saved (GUI thread)."""
        session, target = self._session, self._session.target
        if target is None or session.records is None or session.user is None:
            return  # no lesion chosen: a session still only
        if session.locked:
            self.sig_message.emit(
                f"{captured.saved.path.name} was not filed to {target.record_number}: the records are locked."
            )
            return
        prediction = self._safe_prediction()
        session.tasks.start(
            file_still,
            session.records,
            session.user,
            target,
            captured.saved.path,
            session.clock(),
            prediction,
            self._exposure(),
            name="file-still",
            on_done=lambda result, error: self._on_done(target, captured, result, error),
        )

    def _safe_prediction(self) -> PredictionInput | None:
        try:
            return self._prediction()
        except (KeyError, AttributeError, TypeError) as exc:  # the live panel's shape changed: file without
            logger.warning("No prediction filed with the still: %s", exc)
            return None

    def _on_done(
        self,
        target: CaptureTarget,
        captured: CapturedStill,
        result: CaptureResult | None,
        error: BaseException | None,
    ) -> None:
        if isinstance(error, TaskCancelledError):
            return
        if error is not None or result is None:
            where = f"{target.record_number} {target.lesion_label}"
            message = self.tr("{name} was NOT filed to {where}: {error}").format(
                name=captured.saved.path.name, where=where, error=error
            )
            logger.error("%s", message)
            self.sig_message.emit(message)
            return
        self.sig_message.emit(result.message)
        if result.spooled:
            self._session.note_spooled()
        self.sig_filed.emit(result)
        self._session.patient_changed(result.record_number)
