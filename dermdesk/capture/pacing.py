"""Pacing a synthetic or recorded source to its frame rate with a monotonic clock.

A real camera blocks in read() until the sensor has the next picture; the virtual dermatoscope and a video
file must imitate that, or the grabber would spin a core producing frames nobody can show. The pacer
sleeps until the next frame slot and never bursts to catch up after a stall (a camera does not either):
when it falls more than one frame behind it restarts its schedule from now.
"""

from __future__ import annotations

import time


class FramePacer:
    """Sleeps until the next frame time; at most one frame interval per call, so stop() stays prompt."""

    def __init__(self, fps: float) -> None:
        if not fps > 0:
            raise ValueError(f"frame rate must be positive, got {fps}")
        self.fps = float(fps)
        self.interval = 1.0 / self.fps
        self._next: float | None = None

    def reset(self) -> None:
        """Forget the schedule; the next wait() returns at once (used after open or a seek)."""
        self._next = None

    def wait(self) -> float:
        """Block until the next frame slot and return the seconds slept (0 when already late)."""
        now = time.monotonic()
        if self._next is None or now - self._next > self.interval:
            # First frame, or more than a frame late (debugger, stalled machine): start afresh.
            self._next = now + self.interval
            return 0.0
        delay = self._next - now
        self._next += self.interval
        if delay > 0:
            time.sleep(delay)
            return delay
        return 0.0
