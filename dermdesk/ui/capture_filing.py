"""Filing the station's stills to the chosen lesion: the still, how it was taken, the model's view.

The capture station saves every still in its session folder first (`dermdesk.ui.capture_task`); when
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
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from dermdesk.capture.sidecar import StillSidecar, read_sidecar
from dermdesk.records import (
    CaptureMetadata,
    CaptureRequest,
    CaptureResult,
    PredictionInput,
    Records,
    RecordsError,
    UserInfo,
)
from dermdesk.tasks import TaskCancelledError, TaskState
from dermdesk.ui.capture_task import CapturedStill
from dermdesk.ui.records_session import CaptureTarget, RecordsSession

logger = logging.getLogger(__name__)

PredictionSource = Callable[[], PredictionInput | None]
ExposureSource = Callable[[], float | None]


def magnification_value(label: object) -> float | None:
    """ "20x", "20×" or "20" as 20.0; labels without a number ("default") as None."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)", str(label)) if label is not None else None
    return float(match.group(1)) if match else None


def capture_metadata(
    sidecar: StillSidecar | None, captured_at: datetime, exposure: float | None
) -> CaptureMetadata:
    """The records' capture metadata from a still's sidecar (None: no sidecar; what it lacks stays None)."""
    if sidecar is None:
        return CaptureMetadata(exposure=exposure, captured_at=captured_at)
    scale, quality = sidecar.scale, sidecar.quality
    scores = {} if quality is None else quality.scores
    return CaptureMetadata(
        camera=sidecar.source or sidecar.device or None,
        lighting_mode=sidecar.lighting or None,
        polarised=sidecar.polarised,
        contact=sidecar.contact,
        magnification=None if scale is None else magnification_value(scale.magnification),
        mm_per_px=sidecar.mm_per_pixel,  # at the still's size, whatever size the ruler was measured at
        exposure=exposure,
        captured_at=captured_at,
        quality_scores={name: value for name, value in scores.items() if value is not None},
        quality_gate_overridden=sidecar.quality_gate_overridden,
    )


def file_still(
    state: TaskState,
    records: Records,
    user: UserInfo,
    target: CaptureTarget,
    png_path: Path,
    captured_at: datetime,
    prediction: PredictionInput | None,
    exposure: float | None,
) -> CaptureResult:
    """Read a saved still and its sidecar and file it to the target lesion (worker thread)."""
    state.set_progress(0.1, "Filing the still")
    try:
        png = png_path.read_bytes()
    except OSError as exc:
        raise RecordsError(
            f"The still {png_path.name} could not be read back for filing: {exc.strerror}"
        ) from exc
    sidecar: StillSidecar | None
    try:
        sidecar = read_sidecar(png_path)
    except (OSError, ValueError):
        logger.warning("%s has no readable sidecar; filed without capture details", png_path.name)
        sidecar = None
    request = CaptureRequest(
        record_number=target.record_number,
        image=png,
        lesion_label=target.lesion_label,
        metadata=capture_metadata(sidecar, captured_at, exposure),
        prediction=prediction,
    )
    return records.captures.save(user, request)


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
            message = f"{captured.saved.path.name} was NOT filed to {where}: {error}"
            logger.error("%s", message)
            self.sig_message.emit(message)
            return
        self.sig_message.emit(result.message)
        self.sig_filed.emit(result)
        self._session.patient_changed(result.record_number)
