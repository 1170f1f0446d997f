"""Turns the capture grabber's plain callbacks (on its own thread) into queued Qt signals.

Frames: the grabber calls `on_frame` on its thread for every frame. The bridge emits
`sig_frame_ready` only when no notification is already waiting in the GUI thread's queue, and the
slot takes the newest frame with `grabber.latest()`. So however slow the GUI thread is, at most one
notification is queued, no backlog builds up, and each new frame is painted at most once (frames the
preview could not keep up with are counted by the grabber as dropped).

Other consumers: `add_frame_consumer(fn)` hands every new frame to `fn` ON THE GRABBER THREAD as well
(the live classifier's thread-safe `submit`), so frames for analysis never wait for the GUI thread.

Status: every StatusEvent (connected, disconnected with a reason, reconnecting, stopped) is emitted as
`sig_status`. The bridge owns the grabber's lifetime: `stop()` joins its thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from dermdesk.capture.frames import Frame, FrameSource
from dermdesk.capture.grabber import FrameGrabber, GrabberStats, StatusEvent

logger = logging.getLogger(__name__)

STOP_TIMEOUT_S = 5.0


class GrabberBridge(QObject):
    """Runs one FrameGrabber for the window and relays it to the GUI thread."""

    sig_frame_ready = Signal()
    """A newer frame is waiting; call take_frame() (at most one such notification is queued)."""
    sig_status = Signal(object)
    """A StatusEvent from the grabber (connected, disconnected, reconnecting, stopped)."""

    def __init__(self, source: FrameSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._notified = threading.Event()
        self._last_index = -1
        self._consumers: tuple[Callable[[Frame], None], ...] = ()
        self._grabber = FrameGrabber(
            source, on_frame=self._on_grabber_frame, on_status=self._on_grabber_status
        )

    @property
    def grabber(self) -> FrameGrabber:
        return self._grabber

    def start(self) -> None:
        logger.info("Starting the picture source %s", self.source.name)
        self._grabber.start()

    def stop(self) -> bool:
        """Stop the grabber thread and wait for it; True when it has ended."""
        stopped = self._grabber.stop(timeout=STOP_TIMEOUT_S)
        if not stopped:
            logger.error("The picture source %s did not stop in %.0f s", self.source.name, STOP_TIMEOUT_S)
        return stopped

    def stats(self) -> GrabberStats:
        return self._grabber.stats()

    def add_frame_consumer(self, consumer: Callable[[Frame], None]) -> None:
        """Also hand each new frame to `consumer` ON THE GRABBER THREAD: quick, thread-safe, no widgets."""
        self._consumers = (*self._consumers, consumer)

    def take_frame(self) -> Frame | None:
        """The newest frame if it was not taken before, else None. GUI thread only."""
        self._notified.clear()
        frame = self._grabber.latest()
        if frame is None or frame.index == self._last_index:
            return None
        self._last_index = frame.index
        return frame

    def _on_grabber_frame(self, frame: Frame) -> None:  # grabber thread
        for consumer in self._consumers:
            consumer(frame)
        if not self._notified.is_set():
            self._notified.set()
            self.sig_frame_ready.emit()

    def _on_grabber_status(self, event: StatusEvent) -> None:  # grabber thread
        self.sig_status.emit(event)
