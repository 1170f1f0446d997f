"""The grabber thread: reads a source continuously and keeps only the newest frame.

Live dermoscopy must show what the lens sees now. If the preview or the classifier falls behind, queued
frames would make the picture lag further and further, so there is no queue: one slot holds the newest
frame, older ones are dropped (and counted, so a benchmark can say how much work was wasted). Consumers
poll ``latest()`` or block in ``wait_for_frame()``; nothing is copied — the array is published read-only.

A USB cable gets pulled in a clinic. On a CameraError the grabber reports ``disconnected`` with the
reason, closes the source and tries to open it again with a growing pause (0.5 s, 1 s, 2 s, 4 s, 8 s,
then every 10 s) until it works or ``stop()`` is called; the live view recovers by itself when the camera
comes back. Each failed attempt is one log line.

Standby (``set_frame_interval``, see dermdesk.capture.standby): the thread leaves at least that many
seconds between frames, so an idle station reads a few frames a second instead of thirty; setting it
back to 0 resumes the full rate at once, even in the middle of a pause.

A correction (``set_correction``: the white balance from calibration) is applied to each frame on the
grabber thread before it is published, so the preview, stills and the classifier all see the same
corrected picture; its description is added to the frame's metadata.

Callbacks are plain callables (the core knows no Qt). They run ON THE GRABBER THREAD, so they must be
quick and must not touch widgets; ``dermdesk.ui`` turns them into queued Qt signals.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from dermdesk.capture.frames import CameraError, DescribesFrames, Frame, FrameSource, SourceEndedError

log = logging.getLogger(__name__)

THREAD_NAME = "dermdesk-grabber"


class StatusKind(Enum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


@dataclass(frozen=True)
class StatusEvent:
    """A change in the source's state; ``reason`` is readable by staff (set for disconnected)."""

    kind: StatusKind
    source_name: str
    reason: str = ""
    attempt: int = 0  # reconnect attempt number, for RECONNECTING
    timestamp: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class GrabberStats:
    """Counters since start(). ``frames_dropped``: published but replaced before any consumer took them."""

    frames_read: int
    frames_taken: int
    frames_dropped: int
    fps: float  # frames read per second over the last ``fps_window_s``
    reconnects: int
    connected: bool


Correction = Callable[[np.ndarray], np.ndarray]


class FrameGrabber:
    """Owns a FrameSource on a named non-daemon thread; see the module docstring for the contract."""

    def __init__(
        self,
        source: FrameSource,
        *,
        on_frame: Callable[[Frame], None] | None = None,
        on_status: Callable[[StatusEvent], None] | None = None,
        retry_initial_s: float = 0.5,
        retry_max_s: float = 10.0,
        fps_window_s: float = 2.0,
    ) -> None:
        self.source = source
        self.on_frame = on_frame
        self.on_status = on_status
        self.retry_initial_s = retry_initial_s
        self.retry_max_s = retry_max_s
        self._describe: Callable[[], dict[str, object]] | None = (
            source.frame_metadata if isinstance(source, DescribesFrames) else None
        )
        self._fps_window_s = fps_window_s
        self._correction: tuple[Correction, dict[str, object]] | None = None
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Guarded by _cond:
        self._slot: Frame | None = None
        self._slot_taken = False
        self._next_index = 0
        self._frames_taken = 0
        self._frames_dropped = 0
        self._reconnects = 0
        self._connected = False
        self._recent: deque[float] = deque()
        self._frame_interval = 0.0

    # --- lifecycle -------------------------------------------------------------------------------

    @property
    def thread(self) -> threading.Thread | None:
        return self._thread

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the thread; a grabber runs once (make a new one to start again)."""
        if self._thread is not None:
            raise RuntimeError("FrameGrabber.start() called twice")
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=False)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """Stop and join the thread; True when it has ended. Idempotent; a no-op before start().

        Called from a callback (on the grabber thread itself) it only asks the thread to end.
        """
        thread = self._thread
        if thread is None:
            return True
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if thread is threading.current_thread():
            return False
        thread.join(timeout)
        if thread.is_alive():
            log.warning("%s did not stop within %.1f s (source blocked in read)", THREAD_NAME, timeout)
            return False
        return True

    def __enter__(self) -> FrameGrabber:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- consumers (any thread) ------------------------------------------------------------------

    def latest(self) -> Frame | None:
        """The newest frame (None before the first); taking it means it does not count as dropped."""
        with self._cond:
            return self._take()

    def wait_for_frame(self, after_index: int = -1, timeout: float | None = None) -> Frame | None:
        """Block until a frame newer than ``after_index`` is there; None on timeout or stop."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._slot is None or self._slot.index <= after_index:
                if self._stop.is_set():
                    return None
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._cond.wait(remaining)
            return self._take()

    def set_correction(
        self, correct: Correction | None, metadata: Mapping[str, object] | None = None
    ) -> None:
        """Apply ``correct`` (BGR uint8 in, BGR uint8 out, quick) to every frame from the next one on;
        ``metadata`` is merged into each corrected frame's metadata. None removes it. Any thread."""
        self._correction = None if correct is None else (correct, dict(metadata or {}))

    @property
    def frame_interval(self) -> float:
        return self._frame_interval

    def set_frame_interval(self, seconds: float) -> None:
        """Leave at least ``seconds`` between frames (standby); 0: the source's full rate. Any thread;
        a shorter interval takes effect at once, cutting short a pause in progress."""
        if seconds < 0:
            raise ValueError(f"the frame interval cannot be negative, got {seconds}")
        with self._cond:
            self._frame_interval = float(seconds)
            self._cond.notify_all()

    def stats(self) -> GrabberStats:
        with self._cond:
            recent = list(self._recent)
            fps = (len(recent) - 1) / (recent[-1] - recent[0]) if len(recent) > 1 else 0.0
            if recent and time.monotonic() - recent[-1] > self._fps_window_s:
                fps = 0.0  # the source has gone quiet
            return GrabberStats(
                frames_read=self._next_index,
                frames_taken=self._frames_taken,
                frames_dropped=self._frames_dropped,
                fps=fps,
                reconnects=self._reconnects,
                connected=self._connected,
            )

    def _take(self) -> Frame | None:
        if self._slot is not None and not self._slot_taken:
            self._slot_taken = True
            self._frames_taken += 1
        return self._slot

    # --- the thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            if self._open_until_connected(after_failure=False):
                self._read_loop()
        finally:
            with self._cond:
                self._connected = False
            self._close_source()
            self._emit(StatusKind.STOPPED)

    def _read_loop(self) -> None:
        while not self._stop.is_set():
            try:
                image = self.source.read()
            except SourceEndedError as exc:
                self._disconnected(str(exc))
                return
            except CameraError as exc:
                reason = str(exc)
            except Exception as exc:  # a bug in a source must not kill the live view silently
                log.exception("%s: unexpected error while reading", self.source.name)
                reason = f"Unexpected camera error: {exc}"
            else:
                self._publish(image)
                self._rest()
                continue
            self._disconnected(reason)
            if not self._open_until_connected(after_failure=True, reason=reason):
                return

    def _rest(self) -> None:
        """In standby, wait out the frame interval since the last frame (woken early by a change)."""
        with self._cond:
            while not self._stop.is_set() and self._frame_interval > 0 and self._recent:
                remaining = self._recent[-1] + self._frame_interval - time.monotonic()
                if remaining <= 0:
                    return
                self._cond.wait(remaining)

    def _open_until_connected(self, *, after_failure: bool, reason: str = "") -> bool:
        """Open the source, retrying with backoff; False when stop() came first.

        ``after_failure``: the source has just failed, so pause before the first attempt (a camera that
        was just unplugged is not back within milliseconds) and count a success as a reconnect.
        ``reason``: why it failed, repeated in the RECONNECTING events until an attempt says otherwise.
        """
        delay, attempt, retrying = self.retry_initial_s, 0, after_failure
        while True:
            if retrying:
                if self._stop.wait(delay):
                    return False
                delay = min(delay * 2, self.retry_max_s)
                attempt += 1
                self._emit(StatusKind.RECONNECTING, reason=reason, attempt=attempt)
            elif self._stop.is_set():
                return False
            try:
                self.source.open()
            except Exception as exc:
                if not isinstance(exc, CameraError):
                    log.exception("%s: unexpected error while opening", self.source.name)
                reason = str(exc)
                if retrying:
                    log.info("%s: reconnect attempt %d failed: %s", self.source.name, attempt, reason)
                    self._close_source()
                else:
                    self._disconnected(reason)  # the very first open failed: say why before retrying
                retrying = True
                continue
            with self._cond:
                self._connected = True
                self._reconnects += int(after_failure)
            self._emit(StatusKind.CONNECTED)
            return True

    def _disconnected(self, reason: str) -> None:
        log.warning("%s disconnected: %s", self.source.name, reason)
        with self._cond:
            self._connected = False
        self._close_source()
        self._emit(StatusKind.DISCONNECTED, reason=reason)

    def _close_source(self) -> None:
        try:
            self.source.close()
        except Exception:  # closing a dead device may fail; the device is gone either way
            log.exception("%s: error while closing", self.source.name)

    def _publish(self, image: np.ndarray) -> None:
        metadata = self._describe() if self._describe is not None else {}
        correction = self._correction  # one read: set_correction may replace it meanwhile
        if correction is not None:
            try:
                image = correction[0](image)
                metadata = {**metadata, **correction[1]}
            except Exception:  # a broken correction must not stop the live view: drop it, say so
                log.exception("Frame correction failed; frames are published uncorrected from now on")
                self._correction = None
        if not image.flags.c_contiguous:
            image = np.ascontiguousarray(image)
        image.setflags(write=False)
        now = time.monotonic()
        with self._cond:
            frame = Frame(image, self._next_index, now, self.source.name, metadata)
            if self._slot is not None and not self._slot_taken:
                self._frames_dropped += 1
            self._slot, self._slot_taken = frame, False
            self._next_index += 1
            self._recent.append(now)
            while self._recent and now - self._recent[0] > self._fps_window_s:
                self._recent.popleft()
            self._cond.notify_all()
        if self.on_frame is not None:
            try:
                self.on_frame(frame)
            except Exception:
                log.exception("on_frame callback failed")

    def _emit(self, kind: StatusKind, *, reason: str = "", attempt: int = 0) -> None:
        event = StatusEvent(kind, self.source.name, reason, attempt)
        if self.on_status is not None:
            try:
                self.on_status(event)
            except Exception:
                log.exception("on_status callback failed")
