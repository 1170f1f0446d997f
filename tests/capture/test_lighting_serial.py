"""The serial LED ring driver against a real pseudo-terminal pair: bytes on the wire, replies, failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dermdesk.capture.lighting import LightingError, LightingMode, open_lighting
from dermdesk.capture.lighting.serial_ring import SerialLedRing
from tests.capture.fake_led_ring import FakeLedRing


@pytest.fixture
def ring_device() -> Iterator[FakeLedRing]:
    device = FakeLedRing()
    yield device
    device.close()


def opened(device: FakeLedRing, timeout_s: float = 0.5) -> SerialLedRing:
    ring = SerialLedRing(device.port, timeout_s=timeout_s)
    ring.open()
    return ring


def test_open_asks_for_the_modes_and_switching_sends_one_line_per_mode(ring_device: FakeLedRing) -> None:
    ring = opened(ring_device)
    try:
        assert ring.available_modes() == (
            LightingMode.OFF,
            LightingMode.WHITE,
            LightingMode.WHITE_POLARISED,
            LightingMode.UV_365,
        )
        ring.set_mode(LightingMode.UV_365)
        ring.set_mode(LightingMode.WHITE_POLARISED)
        assert ring.current_mode is LightingMode.WHITE_POLARISED
        assert ring.query_mode() is LightingMode.WHITE_POLARISED
    finally:
        ring.close()
    assert bytes(ring_device.received) == b"MODES?\nMODE uv_365\nMODE white_polarised\nMODE?\n"
    assert ring_device.mode == "white_polarised"


def test_open_lighting_parses_a_serial_spec(ring_device: FakeLedRing) -> None:
    ring = open_lighting(f"serial:{ring_device.port}@57600", timeout_s=0.5)
    try:
        assert isinstance(ring, SerialLedRing) and ring.baudrate == 57600
        assert LightingMode.UV_365 in ring.available_modes()
    finally:
        ring.close()


def test_a_mode_the_ring_lacks_is_refused_before_anything_is_sent(ring_device: FakeLedRing) -> None:
    ring = opened(ring_device)
    try:
        with pytest.raises(LightingError, match=r"has no Narrow band 450 nm \(blue\) — it offers: Light off"):
            ring.set_mode(LightingMode.NB_450)
    finally:
        ring.close()
    assert ring_device.lines == ["MODES?"]


def test_an_err_reply_is_reported_with_the_devices_reason() -> None:
    device = FakeLedRing(refuse={"uv_365": "UV LED over temperature"})
    ring = opened(device)
    try:
        with pytest.raises(LightingError, match="refused “MODE uv_365”: UV LED over temperature"):
            ring.set_mode(LightingMode.UV_365)
        ring.set_mode(LightingMode.WHITE)  # the ring still works for the other modes
        assert ring.current_mode is LightingMode.WHITE
    finally:
        ring.close()
        device.close()


def test_a_silent_ring_times_out_with_a_clear_message() -> None:
    device = FakeLedRing(silent=True)
    try:
        with pytest.raises(LightingError, match=r"did not answer within 0.3 s — check its cable"):
            SerialLedRing(device.port, timeout_s=0.3).open()
    finally:
        device.close()
    assert device.lines == ["MODES?"]


def test_a_port_that_vanishes_gives_a_lighting_error_and_every_later_call_says_so(
    ring_device: FakeLedRing,
) -> None:
    ring = opened(ring_device)
    ring.set_mode(LightingMode.WHITE)
    ring_device.vanish()
    with pytest.raises(LightingError, match="no longer connected — check its USB cable"):
        ring.set_mode(LightingMode.UV_365)
    with pytest.raises(LightingError, match="no longer connected"):
        ring.set_mode(LightingMode.WHITE)
    ring.close()  # safe after the port is gone
    ring.close()


def test_a_port_that_does_not_exist_cannot_be_opened() -> None:
    with pytest.raises(LightingError, match=r"/dev/ttyDOESNOTEXIST could not be opened — is it plugged in\?"):
        SerialLedRing("/dev/ttyDOESNOTEXIST").open()


def test_a_device_without_known_modes_is_refused() -> None:
    device = FakeLedRing(modes=("infrared",))
    try:
        with pytest.raises(LightingError, match="reports no lighting modes DermDesk knows"):
            opened(device)
    finally:
        device.close()
