"""Analysing a captured still, as a plain task function run by the window's TaskRunner.

A still gets the careful path: the PNG as written (lossless, the exact pixels that were filed), its
lighting from the sidecar, eight flipped/rotated views averaged (TTA) and a heatmap of the top diagnosis
laid over the lesion crop with `dermdesk.inference.heatmap.overlay`. Reading, inference and blending all
run on a worker thread; the panel receives a small finished picture.

Stills use their own compiled model (`StillAnalyser`), built on first use on the worker thread: a
LesionClassifier serves one thread at a time, and the live one belongs to the classifier thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from dermdesk.capture.sidecar import read_sidecar
from dermdesk.decoding import PictureRefused, decode_picture
from dermdesk.i18n import _
from dermdesk.inference.classifier import Classification, LesionClassifier
from dermdesk.inference.heatmap import overlay
from dermdesk.tasks import TaskState

PREVIEW_SIDE = 270  # pixels of the lesion picture shown in the panel (narrower than the panel)
MARGIN = 0.08  # share of the crop's side shown around it


class StillAnalysisError(RuntimeError):
    """The still could not be read back for analysis; the message is for clinic staff."""


@dataclass(frozen=True)
class StillAnalysis:
    """A still's TTA classification and, when it has a diagnosis, a small BGR picture with the heatmap."""

    path: Path
    classification: Classification
    overlay: np.ndarray | None
    lighting: str | None = None  # the light the still was taken under (from its sidecar)


class StillAnalyser:
    """One classifier for stills, made on first use (on the worker thread); one still at a time."""

    def __init__(self, make_classifier: Callable[[], LesionClassifier]) -> None:
        self._make_classifier = make_classifier
        self._classifier: LesionClassifier | None = None
        self._lock = threading.Lock()

    def classify(self, rgb: np.ndarray, lighting: object) -> Classification:
        with self._lock:
            if self._classifier is None:
                self._classifier = self._make_classifier()
            return self._classifier.classify(rgb, tta=True, lighting=lighting)


def analyse_still(state: TaskState, analyser: StillAnalyser, path: Path) -> StillAnalysis:
    """Classify the still at `path` with TTA and lay the top class's heatmap over it (worker thread)."""
    state.set_progress(0.1, _("Reading the still"))
    try:
        bgr = decode_picture(path)  # the one bounded decoder: size and integrity checked first
    except (OSError, PictureRefused) as exc:
        raise StillAnalysisError(
            _("The still {name} could not be read back for analysis: {exc}").format(name=path.name, exc=exc)
        ) from exc
    try:
        lighting = read_sidecar(path).lighting
    except (OSError, ValueError):
        lighting = None  # no sidecar: treated as white light, like a frame without lighting metadata
    state.raise_if_cancelled()
    state.set_progress(0.3, _("Analysing the still (eight views)"))
    classification = analyser.classify(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), lighting)
    state.raise_if_cancelled()
    picture = None
    assessment, outputs = classification.assessment, classification.outputs
    if assessment is not None and outputs is not None:
        state.set_progress(0.9, _("Drawing the heatmap"))
        top = list(assessment.probabilities).index(assessment.ranking[0])
        blended = overlay(bgr, classification.crop, outputs.cam, top)
        crop = classification.crop
        picture = lesion_preview(blended, crop.x, crop.y, crop.side)
    state.set_progress(1.0, _("Still analysed"))
    return StillAnalysis(path, classification, picture, lighting)


def lesion_preview(bgr: np.ndarray, x: int, y: int, side: int, size: int = PREVIEW_SIDE) -> np.ndarray:
    """The crop square with a small margin, resized to `size` pixels wide (C-contiguous BGR)."""
    pad = int(side * MARGIN)
    height, width = bgr.shape[:2]
    top, left = max(0, y - pad), max(0, x - pad)
    bottom, right = min(height, y + side + pad), min(width, x + side + pad)
    region = bgr[top:bottom, left:right]
    scale = size / max(1, region.shape[1])
    resized = cv2.resize(region, (size, max(1, round(region.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(resized)
