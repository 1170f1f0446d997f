"""Live classification: the newest frame, on its own thread, at most one inference in flight.

Frames are offered with ``submit``; while the model is busy a newer frame replaces the waiting one, so a
slow moment never builds a queue and the panel always describes what the lens sees now. Results are
smoothed over recent frames so the figures do not flicker, and the smoothing restarts when the picture
changes (another lesion: the network's pooled features turn away from the previous frame's).

Callbacks are plain callables run on the classifier thread; the UI turns them into queued signals.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.quality import assess as assess_quality
from dermdesk.i18n import N_, _
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.gate import GateVerdict, lighting_verdict
from dermdesk.inference.postprocess import Assessment, assess, calibrated_probabilities
from dermdesk.inference.preprocess import CropBox

log = logging.getLogger(__name__)

THREAD_NAME = "dermdesk-classifier"
SMOOTHING = 0.35  # weight of the newest frame in the running average
SAME_LESION_COSINE = 0.85  # below this, the picture changed: start the average afresh


@dataclass(frozen=True)
class LiveResult:
    """What the panel shows for one classified frame."""

    frame_index: int
    verdict: GateVerdict
    assessment: Assessment | None  # smoothed
    raw_assessment: Assessment | None  # this frame alone
    crop: CropBox | None
    cam: np.ndarray | None
    latency_ms: float
    smoothed_frames: int
    model: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LiveStats:
    submitted: int
    classified: int
    dropped: int  # replaced while waiting, never classified
    rate_hz: float  # classifications per second, recent


class Smoother:
    """Exponential average of probabilities that restarts when the lesion changes."""

    def __init__(self, weight: float = SMOOTHING, same_cosine: float = SAME_LESION_COSINE) -> None:
        self.weight, self.same_cosine = weight, same_cosine
        self.reset()

    def reset(self) -> None:
        self._mean: np.ndarray | None = None
        self._features: np.ndarray | None = None
        self.count = 0

    def update(self, probabilities: np.ndarray, features: np.ndarray) -> np.ndarray:
        if self._mean is not None and self._features is not None and features.size:
            cosine = float(
                features @ self._features / (np.linalg.norm(features) * np.linalg.norm(self._features) + 1e-9)
            )
            if cosine < self.same_cosine:
                self.reset()
        if self._mean is None:
            self._mean, self.count = probabilities.copy(), 1
        else:
            self._mean = (1 - self.weight) * self._mean + self.weight * probabilities
            self.count += 1
        self._features = features
        normalised: np.ndarray = self._mean / self._mean.sum()
        return normalised


QUALITY_REFUSED = N_("No live advice on this frame — {problems}")


def quality_verdict(image: np.ndarray, lighting: object) -> GateVerdict | None:
    """The still quality gate on a live frame: a refusal (with its reasons) or None when it passes.

    One lesion must not show two advices: a frame that would be refused as a still (overexposed,
    blurred, glare, no lesion in view) gets no live advice either.
    """
    try:
        mode: LightingMode | None = LightingMode(str(getattr(lighting, "value", lighting)))
    except ValueError:
        mode = None
    report = assess_quality(image, mode)
    if report.passed:
        return None
    return GateVerdict(False, "quality", _(QUALITY_REFUSED).format(problems=" ".join(report.messages)))


class LiveClassifier:
    """Owns a classifier thread; ``start``, ``submit`` frames, ``stop`` with its owner."""

    def __init__(
        self,
        make_classifier: Callable[[], LesionClassifier],
        on_result: Callable[[LiveResult], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self._make_classifier = make_classifier
        self._on_result = on_result
        self._on_error = on_error
        self._cond = threading.Condition()
        self._pending: Any = None
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._smoother = Smoother()
        self._reset_requested = False
        self._submitted = self._classified = self._dropped = 0
        self._done_at: deque[float] = deque(maxlen=30)
        self.ready = threading.Event()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=False)
        self._thread.start()

    def submit(self, frame: Any) -> None:
        """Offer a frame (a capture ``Frame``: BGR image, index, metadata); the newest always wins."""
        with self._cond:
            if self._pending is not None:
                self._dropped += 1
            self._pending = frame
            self._submitted += 1
            self._cond.notify()

    def reset_smoothing(self) -> None:
        with self._cond:
            self._reset_requested = True

    def stats(self) -> LiveStats:
        with self._cond:
            times = list(self._done_at)
            rate = (
                (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 0.0
            )
            return LiveStats(self._submitted, self._classified, self._dropped, rate)

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop and join the thread (an inference in progress finishes first); idempotent."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    def _run(self) -> None:
        try:
            classifier = self._make_classifier()
        except Exception as exc:  # reported to the panel; the live view keeps running without advice
            log.exception("the model could not be loaded")
            if self._on_error:
                self._on_error(f"The model could not be loaded: {exc}")
            return
        self.ready.set()
        while True:
            with self._cond:
                while self._pending is None and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                frame, self._pending = self._pending, None
                if self._reset_requested:
                    self._smoother.reset()
                    self._reset_requested = False
            try:
                result = self.classify_frame(classifier, frame)
            except Exception as exc:  # one bad frame must not end live advice: report it and go on
                log.warning("frame %s not classified: %s", getattr(frame, "index", "?"), exc, exc_info=True)
                result = LiveResult(
                    getattr(frame, "index", -1),
                    GateVerdict(False, "bad_frame", str(exc)),
                    None,
                    None,
                    None,
                    None,
                    0.0,
                    0,
                )
            with self._cond:
                self._classified += 1
                self._done_at.append(time.monotonic())
            self._on_result(result)

    def classify_frame(self, classifier: LesionClassifier, frame: Any) -> LiveResult:
        """One frame through the shared path (no TTA), then the smoother."""
        image = frame.image
        if (
            not isinstance(image, np.ndarray)
            or image.dtype != np.uint8
            or image.ndim != 3
            or image.shape[2] != 3
        ):
            raise ValueError(
                _("the camera delivered a picture in an unexpected format (expected 8-bit colour)")
            )
        started = time.perf_counter()
        lighting = frame.metadata.get("lighting") if isinstance(frame.metadata, dict) else None
        verdict = lighting_verdict(lighting)
        if not verdict.suitable:
            self._smoother.reset()
            return LiveResult(
                frame.index, verdict, None, None, None, None, 0.0, 0, classifier.package.summary
            )
        classification = classifier.classify(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), tta=False)
        latency = (time.perf_counter() - started) * 1000.0
        out = classification.outputs
        if classification.assessment is None or out is None:
            self._smoother.reset()
            return LiveResult(
                frame.index,
                classification.verdict,
                None,
                None,
                classification.crop,
                None,
                latency,
                0,
                classifier.package.summary,
            )
        refused = quality_verdict(image, lighting)
        if refused is not None:  # no advice on a frame the still's quality gate would refuse
            self._smoother.reset()
            return LiveResult(
                frame.index,
                refused,
                None,
                None,
                classification.crop,
                None,
                latency,
                0,
                classifier.package.summary,
            )
        probabilities = calibrated_probabilities(out.logits, classifier.rules)
        smoothed = self._smoother.update(probabilities, out.features)
        return LiveResult(
            frame.index,
            classification.verdict,
            assess(smoothed, classifier.rules),
            classification.assessment,
            classification.crop,
            out.cam,
            latency,
            self._smoother.count,
            classifier.package.summary,
        )
