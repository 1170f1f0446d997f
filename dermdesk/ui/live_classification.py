"""Live classification for the station window: the engine's thread, its frames and results as Qt signals.

Frames: the grabber bridge hands every new frame to `offer_frame` ON THE GRABBER THREAD, which passes it
straight to `LiveClassifier.submit` (thread-safe; the newest frame wins) unless analysis is paused. There
is no hop through the GUI thread, so a busy GUI never starves the classifier and the classifier never
waits for a paint.

Model: the factory verifies, reads and compiles the package ON THE CLASSIFIER THREAD, so the window
opens at once; `sig_model_ready` or `sig_model_failed` follows when that is done.

Results: the engine's callback (classifier thread) makes the small coloured heatmap there, keeps the
newest `LiveDisplay` in one slot and queues at most one notification; the GUI-thread slot takes the
newest and emits `sig_result`. However slow the GUI thread, results never pile up, and the GUI thread
only paints. `stop()` joins the classifier thread; the window calls it when it closes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QObject, Qt, Signal

from dermdesk.capture.frames import Frame
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.heatmap import activation_map
from dermdesk.inference.live import LiveClassifier, LiveResult, LiveStats
from dermdesk.inference.precision import open_station_classifier
from dermdesk.inference.trust import active_package
from dermdesk.settings import DermDeskSettings

logger = logging.getLogger(__name__)

HEATMAP_SIDE = 96  # pixels of the RGBA heatmap; the live view stretches it over the crop
HEATMAP_ALPHA = 0.45  # strongest opacity, as in dermdesk.inference.heatmap.overlay
STOP_TIMEOUT_S = 30.0  # long enough for a model compile in progress when the window closes at once


@dataclass(frozen=True)
class LiveDisplay:
    """One classified frame, ready to show: the engine's result and its heatmap for the top class."""

    result: LiveResult
    heatmap: np.ndarray | None  # HEATMAP_SIDE² RGBA uint8 to stretch over result.crop, or None
    heatmap_class: str | None


def heatmap_rgba(cam: np.ndarray, class_index: int, side: int = HEATMAP_SIDE) -> np.ndarray:
    """One class's activation map as JET colours with opacity rising with activation (RGBA uint8).

    Blending it over the crop gives the same picture as `dermdesk.inference.heatmap.overlay`.
    """
    heat = activation_map(cam, class_index, side)
    colours = cv2.applyColorMap((heat * 255).astype(np.uint8), cv2.COLORMAP_JET)
    rgba = np.empty((side, side, 4), np.uint8)
    rgba[:, :, :3] = colours[:, :, ::-1]
    rgba[:, :, 3] = (HEATMAP_ALPHA * heat * 255).astype(np.uint8)
    return rgba


def package_classifier_factory(settings: DermDeskSettings) -> Callable[[], LesionClassifier]:
    """Load the configured package (or the newest shipped one) and compile it; call it off the GUI thread."""

    def make() -> LesionClassifier:
        package = active_package(settings.model_dir, settings.update_public_key)  # signature verified
        classifier = open_station_classifier(package, cache_dir=settings.model_cache_dir)
        logger.info(
            "Model %s %s (%s) ready for live classification",
            package.name,
            package.version,
            classifier.precision,
        )
        return classifier

    return make


class LiveClassification(QObject):
    """Owns the window's LiveClassifier; see the module docstring for who runs where."""

    sig_result = Signal(object)
    """The newest LiveDisplay, on the GUI thread."""
    sig_model_ready = Signal(object)
    """The model's summary dict (name, version, sha256) once it is compiled."""
    sig_model_failed = Signal(str)
    """Why the model could not be loaded; the live view goes on without advice."""
    _sig_result_waiting = Signal()
    """Emitted on the classifier thread; queued to `_on_result_waiting` on the GUI thread."""
    _sig_engine_ready = Signal(object)
    """Emitted on the classifier thread; queued to `_on_engine_ready`."""
    _sig_engine_failed = Signal(str)
    """Emitted on the classifier thread; queued to `_on_engine_failed`."""

    def __init__(
        self, make_classifier: Callable[[], LesionClassifier], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._make_classifier = make_classifier
        self._lock = threading.Lock()
        self._latest: LiveDisplay | None = None
        self._notified = False
        self._paused = threading.Event()
        self._heatmap = threading.Event()
        self._stopped = False
        self.results_shown = 0
        self.last_display: LiveDisplay | None = None
        """The result the panel shows now (GUI thread); None after `reset()` or `forget_result()`."""
        self.model_summary: dict[str, str] | None = None
        self._engine = LiveClassifier(self._build, self._on_engine_result, self._on_engine_error)
        queued = Qt.ConnectionType.QueuedConnection
        self._sig_result_waiting.connect(self._on_result_waiting, queued)
        self._sig_engine_ready.connect(self._on_engine_ready, queued)
        self._sig_engine_failed.connect(self._on_engine_failed, queued)

    # --- GUI thread ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the classifier thread; the model loads there."""
        self._engine.start()

    def stop(self) -> bool:
        """Stop taking frames and join the classifier thread; True when it has ended. Idempotent."""
        self._stopped = True
        stopped = self._engine.stop(timeout=STOP_TIMEOUT_S)
        if not stopped:
            logger.error("The classifier thread did not stop within %.0f s", STOP_TIMEOUT_S)
        return stopped

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    def set_paused(self, paused: bool) -> None:
        """While paused no frame is classified and no result is emitted: the panel keeps what it shows."""
        if paused:
            self._paused.set()
        else:
            self._engine.reset_smoothing()  # the lens may be elsewhere now
            self._paused.clear()

    def set_heatmap(self, enabled: bool) -> None:
        """Make heatmaps for the coming results (or stop making them)."""
        if enabled:
            self._heatmap.set()
        else:
            self._heatmap.clear()

    def reset(self) -> None:
        """Start afresh (another source): new smoothing, and the previous picture's result forgotten."""
        self._engine.reset_smoothing()
        self.forget_result()

    def forget_result(self) -> None:
        """The last result no longer describes the picture (a still filed now must not carry it)."""
        self.last_display = None

    def stats(self) -> LiveStats:
        return self._engine.stats()

    def _on_result_waiting(self) -> None:
        with self._lock:
            display, self._latest = self._latest, None
            self._notified = False
        if display is None or self._paused.is_set() or self._stopped:
            return
        self.results_shown += 1
        self.last_display = display
        self.sig_result.emit(display)

    def _on_engine_ready(self, summary: dict[str, str]) -> None:
        self.model_summary = summary
        self.sig_model_ready.emit(summary)

    def _on_engine_failed(self, message: str) -> None:
        self.sig_model_failed.emit(message)

    # --- grabber thread --------------------------------------------------------------------------

    def offer_frame(self, frame: Frame) -> None:
        """A new frame from the grabber (its thread): classified unless paused; the newest wins."""
        if not self._paused.is_set() and not self._stopped:
            self._engine.submit(frame)

    # --- classifier thread -----------------------------------------------------------------------

    def _build(self) -> LesionClassifier:
        classifier = self._make_classifier()
        self._sig_engine_ready.emit(dict(classifier.package.summary))
        return classifier

    def _on_engine_error(self, message: str) -> None:
        self._sig_engine_failed.emit(message)

    def _on_engine_result(self, result: LiveResult) -> None:
        heatmap, top = None, None
        assessment = result.assessment
        if self._heatmap.is_set() and assessment is not None and result.cam is not None:
            top = assessment.ranking[0]
            try:
                heatmap = heatmap_rgba(result.cam, list(assessment.probabilities).index(top))
            except (ValueError, cv2.error):  # the figures still count; the picture goes without heatmap
                logger.exception("The live heatmap could not be drawn")
        with self._lock:
            self._latest = LiveDisplay(result, heatmap, top)
            notify, self._notified = not self._notified, True
        if notify:
            self._sig_result_waiting.emit()
