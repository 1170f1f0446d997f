"""The work behind the capture button, as a plain task function run by the window's TaskRunner.

Encoding a 1080p PNG, writing it durably and making a thumbnail take tens of milliseconds to seconds
(slow shares); none of it may run on the GUI thread, or the live view would stutter at every capture.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from dermdesk.capture.frames import Frame
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.stills import SavedStill, StillWriter, new_session_dir
from dermdesk.tasks import TaskState

THUMBNAIL_WIDTH = 160


@dataclass(frozen=True)
class CapturedStill:
    """A saved still and a small BGR thumbnail of it for the strip."""

    saved: SavedStill
    thumbnail: np.ndarray


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


def capture_still(
    state: TaskState, session: SessionStills, frame: Frame, lighting: LightingMode | None
) -> CapturedStill:
    """Save `frame` as the session's next still and return it with a thumbnail (worker thread)."""
    state.set_progress(0.1, "Saving the still")
    saved = session.writer().save(frame, lighting=lighting)
    state.set_progress(0.8, "Making the thumbnail")
    height = max(1, round(frame.height * THUMBNAIL_WIDTH / frame.width))
    thumbnail = cv2.resize(frame.image, (THUMBNAIL_WIDTH, height), interpolation=cv2.INTER_AREA)
    state.set_progress(1.0, "Saved")
    return CapturedStill(saved=saved, thumbnail=np.ascontiguousarray(thumbnail))
