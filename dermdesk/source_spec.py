"""Which picture source to open, as one value the CLI, the settings and the camera selector share.

A spec is written `virtual`, `camera:N` or `file:PATH` on the command line and kept as
(camera_source, camera_index, video_file) in the settings. `open_source` turns it into a FrameSource;
the capture package is imported there, not at import time, so parsing a command line stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dermdesk.i18n import _
from dermdesk.settings import CameraSource, DermDeskSettings

if TYPE_CHECKING:
    from dermdesk.capture.frames import FrameSource


@dataclass(frozen=True)
class SourceSpec:
    """A picture source chosen by the user: the virtual dermatoscope, camera N or a video file."""

    kind: CameraSource
    index: int = 0
    path: Path | None = None

    @classmethod
    def parse(cls, text: str) -> SourceSpec:
        """Parse `virtual`, `camera:N` or `file:PATH`; ValueError with a readable reason otherwise."""
        kind, _sep, rest = text.partition(":")
        if kind == CameraSource.VIRTUAL and not rest:
            return cls(CameraSource.VIRTUAL)
        if kind == CameraSource.CAMERA and rest.isdigit():
            return cls(CameraSource.CAMERA, index=int(rest))
        if kind == CameraSource.FILE and rest:
            return cls(CameraSource.FILE, path=Path(rest))
        raise ValueError(
            _("unknown source {text!r}: use virtual, camera:N (N = 0, 1, ...) or file:PATH").format(text=text)
        )

    @classmethod
    def from_settings(cls, settings: DermDeskSettings) -> SourceSpec:
        if settings.camera_source is CameraSource.FILE and settings.video_file is None:
            return cls(CameraSource.VIRTUAL)
        return cls(settings.camera_source, settings.camera_index, settings.video_file)

    def to_settings(self, settings: DermDeskSettings) -> DermDeskSettings:
        """A copy of `settings` remembering this source for the next start."""
        return settings.model_copy(
            update={"camera_source": self.kind, "camera_index": self.index, "video_file": self.path}
        )

    def __str__(self) -> str:
        if self.kind is CameraSource.CAMERA:
            return f"camera:{self.index}"
        if self.kind is CameraSource.FILE:
            return f"file:{self.path}"
        return "virtual"


def open_source(spec: SourceSpec, settings: DermDeskSettings) -> FrameSource:
    """A FrameSource for `spec`, not yet opened (the grabber thread opens it). Cheap to call on the GUI
    thread: the virtual dermatoscope loads its pictures in open(), on the grabber thread."""
    from dermdesk.capture.cameras import OpenCVCamera
    from dermdesk.capture.lighting import LightingMode
    from dermdesk.capture.video_file import VideoFileSource
    from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope

    if spec.kind is CameraSource.CAMERA:
        return OpenCVCamera(spec.index, resolution=settings.resolution, fps=settings.fps)
    if spec.kind is CameraSource.FILE and spec.path is not None:
        return VideoFileSource(spec.path, loop=True)
    try:
        lighting = LightingMode(settings.lighting_mode)
    except ValueError:
        lighting = LightingMode.WHITE_POLARISED
    return VirtualDermatoscope(resolution=settings.resolution, fps=settings.fps, lighting=lighting)
