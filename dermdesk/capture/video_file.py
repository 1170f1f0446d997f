"""A recorded clip played as if it were a live camera: for demos, bug reports and repeatable tests.

The clip plays at its own frame rate (paced, so the grabber and the classifier see real-time load) and
optionally loops. A file that is missing, not a video, or damaged is reported with a CameraError that
names the file, because that is what the clinic's IT person will look for; a truncated file plays up to
the damage and then ends (or loops) cleanly instead of hanging.
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np

from dermdesk.capture.frames import CameraError, SourceEndedError
from dermdesk.capture.pacing import FramePacer
from dermdesk.i18n import _

log = logging.getLogger(__name__)

DEFAULT_FPS = 25.0  # when the container does not say (or says nonsense)


class VideoFileSource:
    """A FrameSource reading a video file; ``fps`` is the clip's own rate once opened."""

    def __init__(self, path: Path | str, *, loop: bool = False, name: str | None = None) -> None:
        self.path = Path(path)
        self.loop = loop
        self.name = name if name is not None else self.path.name
        self.fps = DEFAULT_FPS
        self.resolution: tuple[int, int] = (0, 0)
        self._cap: cv2.VideoCapture | None = None
        self._pending: np.ndarray | None = None  # first frame, read at open() to prove the file plays
        self._pacer = FramePacer(DEFAULT_FPS)
        self._frames_this_pass = 0
        self._frame_count = 0  # as the container declares it; 0 when unknown

    def open(self) -> None:
        """Open the file and read its first frame; CameraError naming the file when it cannot play."""
        self.close()
        if not self.path.is_file():
            raise CameraError(
                _("Cannot play {name}: the file does not exist ({path})").format(
                    name=self.path.name, path=self.path
                )
            )
        cap, first = self._start()
        fps = float(cap.get(cv2.CAP_PROP_FPS))
        self.fps = fps if 1.0 <= fps <= 240.0 else DEFAULT_FPS
        self.resolution = (int(first.shape[1]), int(first.shape[0]))
        self._frame_count = max(0, int(cap.get(cv2.CAP_PROP_FRAME_COUNT)))
        self._pacer = FramePacer(self.fps)
        self._cap, self._pending, self._frames_this_pass = cap, first, 0
        log.info("%s opened: %dx%d at %.1f fps, loop=%s", self.path, *self.resolution, self.fps, self.loop)

    def read(self) -> np.ndarray:
        """The next frame at the clip's pace; SourceEndedError at the end when not looping."""
        if self._cap is None:
            raise CameraError(f"{self.name} is not open")
        self._pacer.wait()
        image = self._next_image()
        self._frames_this_pass += 1
        return image

    def close(self) -> None:
        """Release the file; safe to call twice."""
        cap, self._cap, self._pending = self._cap, None, None
        if cap is not None:
            cap.release()

    def _next_image(self) -> np.ndarray:
        if self._pending is not None:
            image, self._pending = self._pending, None
            return image
        assert self._cap is not None
        ok, image = self._cap.read()
        if ok and image is not None and image.size:
            return np.ascontiguousarray(image)
        # End of file, or the point where a truncated file breaks off.
        played = self._frames_this_pass
        if not self.loop:
            if 0 < played < self._frame_count - 1:
                raise SourceEndedError(
                    _("{name} ended after {played} of {frame_count} frames — the file looks damaged").format(
                        name=self.name, played=played, frame_count=self._frame_count
                    )
                )
            raise SourceEndedError(
                _("{name} ended after {played} frames").format(name=self.name, played=played)
            )
        log.debug("%s: looping after %d frames", self.name, played)
        self._cap.release()
        self._cap, image = self._start()
        self._frames_this_pass = 0
        return image

    def _start(self) -> tuple[cv2.VideoCapture, np.ndarray]:
        """A capture positioned after its first frame (reopened rather than seeked: seeking fails on
        damaged files), or CameraError when the file does not decode."""
        cap = cv2.VideoCapture(str(self.path))
        ok, first = cap.read() if cap.isOpened() else (False, None)
        if not ok or first is None or not first.size:
            cap.release()
            raise CameraError(
                _("Cannot play {name}: the file is damaged or not a video").format(name=self.path.name)
            )
        return cap, np.ascontiguousarray(first)
