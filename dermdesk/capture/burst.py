"""Taking a still as a short burst: wait for the next few frames, keep the sharpest, judge its quality.

Runs on a worker thread (never the GUI thread): it blocks on the grabber for new frames. A camera that
stops delivering (unplugged) ends the wait with a CameraError after ``timeout_s`` instead of hanging.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from dermdesk.capture.frames import CameraError, Frame
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.quality import QualityReport, assess, sharpness
from dermdesk.i18n import _

BURST_FRAMES = 5
"""Frames in a burst: 1/6 s at 30 fps, enough to catch a still moment of a hand-held dermatoscope."""
FRAME_TIMEOUT_S = 2.0
"""How long to wait for any one frame before deciding the camera has stopped."""


class TaskProgress(Protocol):
    """What long capture work reports to and checks (dermdesk.tasks.TaskState fits; so does None)."""

    def set_progress(self, fraction: float, message: str = "") -> None: ...

    def raise_if_cancelled(self) -> None: ...


class FrameWaiter(Protocol):
    """The part of FrameGrabber a burst needs."""

    def latest(self) -> Frame | None: ...

    def wait_for_frame(self, after_index: int = -1, timeout: float | None = None) -> Frame | None: ...


@dataclass(frozen=True)
class BestFrame:
    """The sharpest frame of a burst with its quality report."""

    frame: Frame
    report: QualityReport
    burst_size: int
    sharpness: tuple[float, ...]  # of the burst's frames, in order

    def sidecar_fields(self, *, overridden: bool, gate: str = "applied") -> dict[str, object]:
        """What a still's sidecar records about how it was chosen and judged."""
        return {
            "quality": self.report.to_dict(),
            "quality_gate": gate,
            "quality_gate_overridden": overridden,
            "burst": {"frames": self.burst_size, "sharpness": [round(s, 3) for s in self.sharpness]},
        }


def collect_burst(
    frames: FrameWaiter,
    count: int = BURST_FRAMES,
    *,
    accept: Callable[[Frame], bool] | None = None,
    timeout_s: float = FRAME_TIMEOUT_S,
    state: TaskProgress | None = None,
) -> list[Frame]:
    """The next ``count`` frames newer than the newest one now that ``accept`` (if given) takes.

    CameraError when no new frame comes for ``timeout_s`` (or no acceptable one within ``count`` times
    that); TaskCancelledError when ``state`` is cancelled meanwhile.
    """
    newest = frames.latest()
    after = -1 if newest is None else newest.index
    deadline = time.monotonic() + timeout_s * max(1, count)
    taken: list[Frame] = []
    while len(taken) < count:
        if state is not None:
            state.raise_if_cancelled()
        frame = frames.wait_for_frame(after, timeout=timeout_s)
        if frame is None:
            raise CameraError(
                _("No picture came from the camera for {timeout_s:g} s — is it still connected?").format(
                    timeout_s=timeout_s
                )
            )
        after = frame.index
        if accept is None or accept(frame):
            taken.append(frame)
        elif time.monotonic() > deadline:
            raise CameraError(_("The camera's pictures did not change to the requested light in time."))
    return taken


def shows_lighting(mode: LightingMode) -> Callable[[Frame], bool]:
    """A burst filter: frames that say which light they were taken in must say ``mode``."""

    def accept(frame: Frame) -> bool:
        reported = frame.metadata.get("lighting")
        return reported is None or reported == mode.value

    return accept


def best_of_burst(
    frames: FrameWaiter,
    lighting: LightingMode | None,
    *,
    count: int = BURST_FRAMES,
    timeout_s: float = FRAME_TIMEOUT_S,
    state: TaskProgress | None = None,
) -> BestFrame:
    """Take a burst, keep the sharpest frame and judge it under ``lighting``."""
    accept = shows_lighting(lighting) if lighting is not None else None
    burst = collect_burst(frames, count, accept=accept, timeout_s=timeout_s, state=state)
    scores = tuple(sharpness(frame.image) for frame in burst)
    best = burst[max(range(len(burst)), key=scores.__getitem__)]
    return BestFrame(frame=best, report=assess(best.image, lighting), burst_size=len(burst), sharpness=scores)
