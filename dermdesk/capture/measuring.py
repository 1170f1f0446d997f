"""Reading a saved still back for measuring, with the ruler scale it was taken at."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dermdesk.capture.calibration import ScaleCalibration
from dermdesk.capture.sidecar import StillSidecar, read_sidecar
from dermdesk.decoding import PictureRefused, decode_picture
from dermdesk.i18n import _
from dermdesk.tasks import TaskState


def load_still(state: TaskState, path: Path) -> tuple[np.ndarray, StillSidecar]:
    """Read a still and its sidecar (worker thread)."""
    state.set_progress(0.1, _("Opening {name}").format(name=path.name))
    try:
        pixels = decode_picture(path)  # the one bounded decoder: size and integrity checked first
    except (OSError, PictureRefused) as exc:
        raise OSError(
            _("{name} could not be read — was it moved or deleted? ({exc})").format(name=path.name, exc=exc)
        ) from exc
    return np.ascontiguousarray(pixels), read_sidecar(path)


def scale_from_sidecar(sidecar: StillSidecar, size: tuple[int, int]) -> ScaleCalibration | None:
    """The scale a still was taken at, as its sidecar records it (None if it was not calibrated)."""
    record = sidecar.scale
    if record is None:
        return None
    width, height = record.width, record.height
    calibrated = (width, height) if width is not None and height is not None else size
    return ScaleCalibration(record.mm_per_pixel, calibrated, record.magnification)
