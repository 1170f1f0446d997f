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
from typing import Any

import cv2
from PySide6.QtCore import QObject, Qt, Signal

from dermdesk.capture.frames import Frame
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.live import LiveClassifier, LiveResult, LiveStats
from dermdesk.inference.live_display import LiveDisplay, heatmap_rgba
from dermdesk.inference.package import ModelPackage

logger = logging.getLogger(__name__)

STOP_TIMEOUT_S = 30.0  # long enough for a model compile in progress when the window closes at once


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
        self.model_limits: dict[str, Any] = {}
        """The package's stated limits (manifest ``limits``, e.g. its acral wording), once it is ready."""
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

    def _on_engine_ready(self, package: ModelPackage) -> None:
        limits = package.manifest.extra("limits")
        self.model_limits = dict(limits) if isinstance(limits, dict) else {}
        self.model_summary = dict(package.summary)
        self.sig_model_ready.emit(self.model_summary)

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
        self._sig_engine_ready.emit(classifier.package)  # immutable: safe to hand to the GUI thread
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
