"""What a still records about how it was taken, and the white balance applied by the grabber."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from dermdesk.capture.calibration import WhiteBalance
from dermdesk.capture.frames import Frame
from dermdesk.capture.grabber import FrameGrabber
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.sidecar import read_sidecar
from dermdesk.capture.stills import StillWriter
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope


def frame(metadata: dict[str, object] | None = None) -> Frame:
    image = np.full((48, 64, 3), 120, np.uint8)
    image.setflags(write=False)
    return Frame(image, 3, time.monotonic(), "Virtual dermatoscope", metadata or {})


def test_polarisation_and_wavelength_come_with_the_lighting_mode(tmp_path: Path) -> None:
    writer = StillWriter(tmp_path)
    polarised = read_sidecar(writer.save(frame(), lighting=LightingMode.WHITE_POLARISED).path)
    assert polarised.polarised is True and polarised.wavelength_nm is None
    uv = read_sidecar(writer.save(frame({"lighting": "uv_365"})).path)
    assert uv.lighting == "uv_365" and uv.polarised is False and uv.wavelength_nm == 365
    unknown = read_sidecar(writer.save(frame()).path)
    assert unknown.lighting is None and unknown.polarised is None


def test_extra_fields_are_recorded_but_may_not_replace_the_writers_own(tmp_path: Path) -> None:
    writer = StillWriter(tmp_path)
    saved = writer.save(frame(), extra={"contact": False, "quality_gate_overridden": True})
    sidecar = read_sidecar(saved.path)
    assert sidecar.contact is False and sidecar.quality_gate_overridden is True
    with pytest.raises(ValueError, match="may not replace lighting, sha256"):
        writer.save(frame(), extra={"sha256": "0", "lighting": "white"})
    assert writer.next_number == 2  # nothing was written for the refused one


def test_the_grabber_applies_a_white_balance_to_every_frame_and_says_so(virtual: VirtualDermatoscope) -> None:
    grabber = FrameGrabber(virtual)
    grabber.start()
    try:
        plain = grabber.wait_for_frame(timeout=5)
        assert plain is not None
        balance = WhiteBalance((0.5, 1.0, 1.0))
        grabber.set_correction(balance.apply, {"white_balance_gains": list(balance.gains)})
        corrected = grabber.wait_for_frame(plain.index + 1, timeout=5)
        assert corrected is not None
        assert corrected.metadata["white_balance_gains"] == [0.5, 1.0, 1.0]
        assert corrected.image[..., 0].mean() < 0.6 * plain.image[..., 0].mean()
        assert not corrected.image.flags.writeable
        grabber.set_correction(lambda image: 1 / 0, {})  # a broken correction is dropped, frames go on
        later = grabber.wait_for_frame(corrected.index + 2, timeout=5)
        assert later is not None and "white_balance_gains" not in later.metadata
    finally:
        grabber.stop()
