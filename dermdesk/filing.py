"""Filing the station's stills to the chosen lesion: the still, how it was taken, the model's view.

The capture station saves every still in its session folder first (`dermdesk.capture.session_stills`);
when a lesion is chosen (`CaptureTarget`) the same still is then filed through `captures.save` on a
worker: the PNG bytes, capture metadata read from the still's sidecar (camera, lighting, polarisation,
contact, ruler scale, quality scores and whether the gate was overridden) and, when the live
classification has a result, its prediction. Nothing waits for the classifier: no result, no prediction
row.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dermdesk.capture.sidecar import StillSidecar, read_sidecar
from dermdesk.i18n import _
from dermdesk.inference.live_display import LiveDisplay
from dermdesk.records import (
    CaptureMetadata,
    CaptureRequest,
    CaptureResult,
    PredictionInput,
    Records,
    RecordsError,
    UserInfo,
)
from dermdesk.tasks import TaskState

logger = logging.getLogger(__name__)

MODEL_KEYS = frozenset({"name", "version", "sha256"})


@dataclass(frozen=True)
class CaptureTarget:
    """The lesion that captures are filed to: chosen on the patient page, shown in the status bar."""

    record_number: str
    lesion_label: str
    description: str  # e.g. "upper extremity, right forearm (front)"
    body_site: str | None = None  # ISIC general site, e.g. "palms/soles": decides the limits shown

    @property
    def text(self) -> str:
        return f"{self.record_number} · {self.lesion_label} — {self.description}"


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
    state.set_progress(0.1, _("Filing the still"))
    try:
        png = png_path.read_bytes()
    except OSError as exc:
        raise RecordsError(
            _("The still {name} could not be read back for filing: {strerror}").format(
                name=png_path.name, strerror=exc.strerror
            )
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


def live_prediction(display: object | None) -> PredictionInput | None:
    """The live classification's newest result as a prediction to file, if there is a current one.

    ``display`` is the station model's live result: None while paused, stale or before the first.
    """
    if not isinstance(display, LiveDisplay):
        return None
    result = display.result
    model = result.model
    if result.assessment is None or not isinstance(model, Mapping) or not set(model) >= MODEL_KEYS:
        return None
    return PredictionInput.from_assessment(result.assessment, model, result.latency_ms)


def camera_exposure(controls: Mapping[str, object]) -> float | None:
    """The manual exposure among a camera profile's remembered controls (None when automatic or unknown)."""
    if controls.get("exposure.auto"):
        return None
    value = controls.get("exposure")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
