"""Lighting sequences end to end without Qt: the virtual dermatoscope behind a real grabber thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from dermdesk.capture.grabber import FrameGrabber
from dermdesk.capture.lighting import LightingError, LightingMode, VirtualLighting
from dermdesk.capture.lighting.serial_ring import SerialLedRing
from dermdesk.capture.sequence import SequenceInterruptedError, run_lighting_sequence
from dermdesk.capture.sidecar import read_sidecar
from dermdesk.capture.stills import StillWriter
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope
from tests.capture.fake_led_ring import FakeLedRing

MODES = [LightingMode.WHITE, LightingMode.WHITE_POLARISED, LightingMode.UV_365, LightingMode.NB_525]


@pytest.fixture
def running(virtual: VirtualDermatoscope) -> Iterator[tuple[VirtualDermatoscope, FrameGrabber]]:
    grabber = FrameGrabber(virtual)
    grabber.start()
    assert grabber.wait_for_frame(timeout=5) is not None
    yield virtual, grabber
    grabber.stop()


def test_one_still_per_mode_with_its_lighting_metadata(
    running: tuple[VirtualDermatoscope, FrameGrabber], tmp_path: Path
) -> None:
    source, grabber = running
    lighting = VirtualLighting(source)
    lighting.set_mode(LightingMode.WHITE_POLARISED)
    writer = StillWriter(tmp_path / "session")
    stills = run_lighting_sequence(
        None, lighting=lighting, frames=grabber, writer=writer, modes=MODES, extra={"contact": True}
    )
    assert [still.mode for still in stills] == MODES
    assert sorted(p.name for p in writer.session_dir.glob("*.png")) == [
        f"still-000{i}.png" for i in range(1, 5)
    ]
    means = []
    for position, (still, mode) in enumerate(zip(stills, MODES, strict=True), start=1):
        sidecar = read_sidecar(still.saved.path)
        assert sidecar.lighting == mode.value
        assert sidecar.frame_metadata["lighting"] == mode.value  # the light had switched: settled
        assert sidecar.polarised is mode.polarised
        assert sidecar.wavelength_nm == mode.wavelength_nm
        assert sidecar.contact is True
        assert sidecar.lighting_controller == "Virtual dermatoscope"
        assert sidecar.sequence.position == position and sidecar.sequence.count == 4
        assert sidecar.sequence.modes == [m.value for m in MODES]
        assert sidecar.quality_gate == "recorded" and sidecar.quality_gate_overridden is False
        assert len(sidecar.burst.sharpness) == 5
        means.append(still.best.frame.image.reshape(-1, 3).mean(axis=0))
    assert len({read_sidecar(s.saved.path).sequence.id for s in stills}) == 1
    white, _, uv, green = means
    assert uv.mean() < 0.5 * white.mean()  # UV is dark violet
    assert green[1] > green[0] and green[1] > green[2]  # 525 nm is green
    assert source.lighting is LightingMode.WHITE_POLARISED  # switched back afterwards


def test_a_mode_the_device_lacks_is_refused_before_any_still(
    running: tuple[VirtualDermatoscope, FrameGrabber], tmp_path: Path
) -> None:
    source, grabber = running
    lighting = VirtualLighting(source, modes=[LightingMode.WHITE, LightingMode.WHITE_POLARISED])
    writer = StillWriter(tmp_path / "session")
    with pytest.raises(LightingError, match="has no UV 365 nm"):
        run_lighting_sequence(
            None, lighting=lighting, frames=grabber, writer=writer, modes=[LightingMode.UV_365]
        )
    with pytest.raises(LightingError, match="Choose at least one lighting mode"):
        run_lighting_sequence(None, lighting=lighting, frames=grabber, writer=writer, modes=[])
    assert not (tmp_path / "session").exists() or not list((tmp_path / "session").iterdir())


def test_a_serial_ring_that_vanishes_mid_sequence_keeps_the_stills_taken(
    running: tuple[VirtualDermatoscope, FrameGrabber], tmp_path: Path
) -> None:
    source, grabber = running
    # The pretend ring lights the virtual dermatoscope, and its cable is pulled at the third command.
    device = FakeLedRing(on_mode=source.set_lighting, vanish_on_command=3)
    ring = SerialLedRing(device.port, timeout_s=0.5)
    ring.open()
    writer = StillWriter(tmp_path / "session")
    modes = [LightingMode.WHITE, LightingMode.UV_365, LightingMode.WHITE_POLARISED]
    try:
        with pytest.raises(SequenceInterruptedError) as caught:
            run_lighting_sequence(None, lighting=ring, frames=grabber, writer=writer, modes=modes)
    finally:
        ring.close()
        device.close()
    error = caught.value
    assert bytes(device.received) == b"MODES?\nMODE white\nMODE uv_365\n"
    assert [still.mode for still in error.taken] == [LightingMode.WHITE]
    assert error.missing == [LightingMode.UV_365, LightingMode.WHITE_POLARISED]
    assert error.stopped_at is LightingMode.UV_365
    assert "no longer connected — check its USB cable" in str(error)
    assert "missing: UV 365 nm (Wood's light), White light, cross-polarised" in str(error)
    kept = error.taken[0].saved.path
    assert kept.is_file() and read_sidecar(kept).lighting == "white"
    assert sorted(p.name for p in writer.session_dir.iterdir()) == ["still-0001.json", "still-0001.png"]


class UnplugAfterSwitching(VirtualLighting):
    """Pulls the dermatoscope's cable right after the light switched to ``unplug_at``."""

    def __init__(self, source: VirtualDermatoscope, unplug_at: LightingMode) -> None:
        super().__init__(source)
        self.unplug_at = unplug_at

    def set_mode(self, mode: LightingMode) -> None:
        super().set_mode(mode)
        if mode is self.unplug_at:
            self.source.set_unplugged(True)


def test_a_dermatoscope_unplugged_mid_sequence_says_which_modes_are_missing(
    running: tuple[VirtualDermatoscope, FrameGrabber], tmp_path: Path
) -> None:
    source, grabber = running
    lighting = UnplugAfterSwitching(source, LightingMode.NB_525)
    writer = StillWriter(tmp_path / "session")
    with pytest.raises(SequenceInterruptedError) as caught:
        run_lighting_sequence(
            None, lighting=lighting, frames=grabber, writer=writer, modes=MODES, timeout_s=0.5
        )
    error = caught.value
    assert [still.mode for still in error.taken] == MODES[:3]
    assert error.missing == [LightingMode.NB_525]
    assert "No picture came from the camera for 0.5 s" in str(error)
    assert "Kept 3 still(s)" in str(error)
    assert len(list(writer.session_dir.glob("*.png"))) == 3
    assert all(np.asarray(s.best.frame.image).size for s in error.taken)
