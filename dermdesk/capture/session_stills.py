"""The work behind the capture buttons, as plain task functions run by the window's TaskRunners.

Encoding a 1080p PNG, writing it durably and making a thumbnail take tens of milliseconds to seconds
(slow shares); none of it may run on the GUI thread, or the live view would stutter at every capture.
The same goes for bursts (they wait for the grabber's next frames), quality checks, lighting
sequences and white-reference measurements: each is a function here, run on a worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from dermdesk.capture.burst import BestFrame, FrameWaiter, best_of_burst, collect_burst
from dermdesk.capture.calibration import WhiteBalance, mean_image, measure_white_balance
from dermdesk.capture.lighting import LightingController, LightingMode
from dermdesk.capture.sequence import SequenceInterruptedError, SequenceStill, run_lighting_sequence
from dermdesk.capture.stills import SavedStill, StillWriter, new_session_dir
from dermdesk.i18n import _
from dermdesk.tasks import TaskState

THUMBNAIL_WIDTH = 160


@dataclass(frozen=True)
class CapturedStill:
    """A saved still and a small BGR thumbnail of it for the strip."""

    saved: SavedStill
    thumbnail: np.ndarray
    lighting: LightingMode | None = None
    overridden: bool = False  # kept although the quality gate refused it


class SessionStills:
    """This window's capture session: the session folder is made at the first still, not at start."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._writer: StillWriter | None = None

    def writer(self) -> StillWriter:
        if self._writer is None:
            self._writer = StillWriter(new_session_dir(self.data_dir))
        return self._writer

    @property
    def session_dir(self) -> Path | None:
        return None if self._writer is None else self._writer.session_dir


def thumbnail_of(image: np.ndarray) -> np.ndarray:
    """A THUMBNAIL_WIDTH-wide copy of a BGR picture (worker thread)."""
    height = max(1, round(image.shape[0] * THUMBNAIL_WIDTH / image.shape[1]))
    return np.ascontiguousarray(cv2.resize(image, (THUMBNAIL_WIDTH, height), interpolation=cv2.INTER_AREA))


@dataclass(frozen=True)
class StillCandidate:
    """The sharpest frame of a burst, judged, with a thumbnail for the quality dialog."""

    best: BestFrame
    lighting: LightingMode | None
    thumbnail: np.ndarray


def take_candidate(state: TaskState, frames: FrameWaiter, lighting: LightingMode | None) -> StillCandidate:
    """Burst, sharpest frame, quality checks (worker thread; waits for the grabber's next frames)."""
    state.set_progress(0.1, _("Taking a burst"))
    best = best_of_burst(frames, lighting, state=state)
    return StillCandidate(best=best, lighting=lighting, thumbnail=thumbnail_of(best.frame.image))


def save_candidate(
    state: TaskState,
    session: SessionStills,
    candidate: StillCandidate,
    extra: Mapping[str, object],
    overridden: bool,
) -> CapturedStill:
    """Save a judged still; the sidecar records its quality and whether the gate was overridden."""
    state.set_progress(0.2, _("Saving the still"))
    fields = {**extra, **candidate.best.sidecar_fields(overridden=overridden)}
    saved = session.writer().save(candidate.best.frame, lighting=candidate.lighting, extra=fields)
    return CapturedStill(
        saved=saved, thumbnail=candidate.thumbnail, lighting=candidate.lighting, overridden=overridden
    )


class SequenceStoppedError(RuntimeError):
    """A lighting sequence stopped early; ``captured`` are the stills it kept (with thumbnails)."""

    def __init__(self, message: str, captured: list[CapturedStill]) -> None:
        super().__init__(message)
        self.captured = captured


@dataclass(frozen=True)
class SequenceOutcome:
    """The stills of a finished sequence and, per mode, the quality problems found."""

    captured: list[CapturedStill]
    problems: dict[LightingMode, list[str]]


def _captured(stills: list[SequenceStill]) -> list[CapturedStill]:
    return [
        CapturedStill(saved=s.saved, thumbnail=thumbnail_of(s.best.frame.image), lighting=s.mode)
        for s in stills
    ]


def take_sequence(
    state: TaskState,
    session: SessionStills,
    lighting: LightingController,
    frames: FrameWaiter,
    modes: list[LightingMode],
    extra: Mapping[str, object],
) -> SequenceOutcome:
    """One still per mode (worker thread); SequenceStoppedError keeps the stills taken before a failure."""
    try:
        stills = run_lighting_sequence(
            state, lighting=lighting, frames=frames, writer=session.writer(), modes=modes, extra=extra
        )
    except SequenceInterruptedError as exc:
        raise SequenceStoppedError(str(exc), _captured(exc.taken)) from exc
    problems = {s.mode: s.best.report.messages for s in stills if not s.best.report.passed}
    return SequenceOutcome(captured=_captured(stills), problems=problems)


def measure_white_reference(state: TaskState, frames: FrameWaiter, frame_count: int = 5) -> WhiteBalance:
    """Average a few new frames of the reference card and measure its gains (worker thread)."""
    state.set_progress(0.2, _("Measuring the reference card"))
    burst = collect_burst(frames, frame_count, state=state)
    return measure_white_balance(mean_image([frame.image for frame in burst]))
