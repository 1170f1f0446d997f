"""Standby: a station nobody is using slows its live picture down and stops classifying it.

A capture station often stands streaming for hours between patients. Live at full rate it spends most of
a core painting and classifying a picture nobody looks at, which heats a small clinic PC and slows
everything else on it. So after ``after_s`` seconds without input (a key, a click, the mouse moving) the
station goes to standby: the grabber reads ``STANDBY_FPS`` frames a second instead of its full rate,
and live classification gets a frame only when the picture has changed since the last one it got (the
dermatoscope was moved onto skin, a lesion was swapped). Any input wakes it at once.

``StandbyPolicy`` is the plain logic (no Qt, no threads of its own, an injectable clock): the window
reports input with ``note_input()`` and asks ``check()`` when ``seconds_left()`` has passed.
``gate(consumer)`` wraps a frame consumer so frames reach it only while live, or changed in standby;
the gate runs on the grabber thread, the rest on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import cv2
import numpy as np

from dermdesk.capture.frames import Frame

log = logging.getLogger(__name__)

STANDBY_FPS = 2.0  # frames a second read in standby: the picture still moves, the CPU rests
CHANGE_THUMBNAIL = (32, 18)  # width x height compared in standby: noise and a hand's tremor average out
CHANGE_THRESHOLD = 6.0  # mean absolute grey-level difference of the thumbnails that counts as "changed"


def thumbnail(image: np.ndarray) -> np.ndarray:
    """A tiny grey summary of a BGR (or grey) picture, for telling a changed scene from sensor noise."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    small = cv2.resize(grey, CHANGE_THUMBNAIL, interpolation=cv2.INTER_AREA)
    return small.astype(np.float32)


def picture_changed(before: np.ndarray, after: np.ndarray, threshold: float = CHANGE_THRESHOLD) -> bool:
    """True when two thumbnails differ by more than ``threshold`` grey levels on average."""
    return float(np.mean(np.abs(before - after))) > threshold


class StandbyPolicy:
    """When the station is live and when it is in standby; see the module docstring.

    ``after_s`` of 0 (or less) means never: the station stays live. ``on_change(standby)`` is called on
    the thread that made the change (the GUI thread in the window).
    """

    def __init__(
        self,
        after_s: float,
        *,
        standby_fps: float = STANDBY_FPS,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[bool], None] | None = None,
    ) -> None:
        if not standby_fps > 0:
            raise ValueError(f"the standby frame rate must be positive, got {standby_fps}")
        self.after_s = float(after_s)
        self.standby_fps = float(standby_fps)
        self.on_change = on_change
        self._clock = clock
        self._last_input = clock()
        self._standby = False
        self._lock = threading.Lock()
        self._reference: np.ndarray | None = None  # thumbnail of the last frame let through in standby
        self.frames_held = 0  # frames the gate kept from its consumer in standby

    @property
    def enabled(self) -> bool:
        return self.after_s > 0

    @property
    def standby(self) -> bool:
        return self._standby

    @property
    def frame_interval(self) -> float:
        """Seconds the grabber should leave between frames now: 0 live (full rate), more in standby."""
        return 1.0 / self.standby_fps if self._standby else 0.0

    def seconds_left(self) -> float | None:
        """Seconds until standby is due without input (0: due now); None in standby or when disabled."""
        if self._standby or not self.enabled:
            return None
        return max(0.0, self._last_input + self.after_s - self._clock())

    def note_input(self) -> bool:
        """The user did something: restart the count and wake from standby. True when it woke."""
        self._last_input = self._clock()
        if not self._standby:
            return False
        self._set(False, "input")
        return True

    def check(self) -> bool:
        """Go to standby when the time without input has passed. True when it went to standby now."""
        if self._standby or not self.enabled or self._clock() - self._last_input < self.after_s:
            return False
        self._set(True, f"no input for {self.after_s:.0f} s")
        return True

    def wake(self, why: str) -> bool:
        """Wake without input (the program needs the full rate, e.g. a capture); True when it woke."""
        self._last_input = self._clock()
        if not self._standby:
            return False
        self._set(False, why)
        return True

    def gate(self, consumer: Callable[[Frame], None]) -> Callable[[Frame], None]:
        """``consumer`` fed every frame while live and, in standby, only frames whose picture changed."""

        def gated(frame: Frame) -> None:
            if not self._standby or self._changed(frame):
                consumer(frame)
            else:
                self.frames_held += 1

        return gated

    def _changed(self, frame: Frame) -> bool:
        small = thumbnail(frame.image)
        with self._lock:
            reference = self._reference
            if reference is None or picture_changed(reference, small):
                self._reference = small
                return reference is not None
        return False

    def _set(self, standby: bool, why: str) -> None:
        with self._lock:
            self._reference = None  # standby compares with the first frame it sees
        self._standby = standby
        log.info("Station %s (%s)", "in standby" if standby else "live again", why)
        if self.on_change is not None:
            self.on_change(standby)
