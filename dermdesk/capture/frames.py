"""The one contract between cameras and everything that looks at their pictures.

A source yields frames; a grabber thread keeps the newest; consumers (preview, stills, classifier) read
that newest frame and never modify it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np


class CameraError(RuntimeError):
    """A camera could not be opened or stopped delivering; the message is for clinic staff."""


class SourceEndedError(CameraError):
    """A finite source (a video file played once) has no more pictures; retrying will not help."""


@dataclass(frozen=True)
class Frame:
    """One picture from a source: BGR uint8, C-contiguous, read-only once published."""

    image: np.ndarray
    index: int
    timestamp: float  # time.monotonic() at capture
    source_name: str
    metadata: dict[str, object] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


class FrameSource(Protocol):
    """Anything that delivers pictures: a USB camera, the virtual dermatoscope, a video file."""

    name: str

    def open(self) -> None:
        """Start the device; raise CameraError with a readable reason when it cannot."""

    def read(self) -> np.ndarray:
        """Block until the next picture (BGR uint8); raise CameraError when the device fails."""

    def close(self) -> None:
        """Release the device; safe to call twice."""


@runtime_checkable
class DescribesFrames(Protocol):
    """Optional extra of a FrameSource: facts about the picture the last read() returned.

    The virtual dermatoscope says which lesion and lighting mode it shows; the grabber copies that into
    Frame.metadata so a still or a prediction can carry it. Real cameras need not implement it.
    """

    def frame_metadata(self) -> dict[str, object]:
        """Metadata of the picture most recently returned by read(); a fresh dict the caller may keep."""
        ...
