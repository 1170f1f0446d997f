"""The LightingController interface: the virtual driver, device specs, and the optional Dino-Lite."""

from __future__ import annotations

import numpy as np
import pytest

from dermdesk.capture.lighting import (
    LightingController,
    LightingError,
    LightingMode,
    VirtualLighting,
    open_lighting,
    parse_lighting_spec,
)
from dermdesk.capture.lighting.dinolite import DinoLiteLighting, dinolite_available
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope


def test_virtual_lighting_switches_what_the_dermatoscope_shows(virtual: VirtualDermatoscope) -> None:
    lighting = VirtualLighting(virtual)
    assert isinstance(lighting, LightingController)
    assert lighting.available_modes() == tuple(LightingMode)
    virtual.open()
    white = virtual.read()
    lighting.set_mode(LightingMode.UV_365)
    uv = virtual.read()
    assert lighting.current_mode is LightingMode.UV_365 and virtual.frame_metadata()["lighting"] == "uv_365"
    assert uv.mean() < 0.5 * white.mean()


def test_virtual_lighting_offers_only_its_modes_and_fails_while_unplugged(
    virtual: VirtualDermatoscope,
) -> None:
    lighting = VirtualLighting(virtual, modes=[LightingMode.WHITE_POLARISED, LightingMode.OFF])
    assert lighting.available_modes() == (LightingMode.OFF, LightingMode.WHITE_POLARISED)
    with pytest.raises(
        LightingError, match=r"has no Narrow band 630 nm .* it offers: Light off, White light"
    ):
        lighting.set_mode(LightingMode.NB_630)
    virtual.set_unplugged(True)
    with pytest.raises(LightingError, match="is unplugged — its light cannot be switched"):
        lighting.set_mode(LightingMode.OFF)


@pytest.mark.parametrize("spec", ["usb:3", "serial:", "v4l2", "bluetooth:ring"])
def test_unknown_lighting_specs_are_refused_with_the_accepted_forms(spec: str) -> None:
    with pytest.raises(LightingError, match=r"use serial:PORT\[@BAUD\], v4l2:/dev/videoN or dinolite"):
        open_lighting(spec)
    assert parse_lighting_spec("serial:COM3@9600") == ("serial", "COM3@9600")


def test_dinolite_is_only_offered_where_its_sdk_is() -> None:
    assert not dinolite_available()  # Linux CI: no Windows, no DNX64.dll
    with pytest.raises(LightingError, match="needs Windows and the DNX64 SDK"):
        open_lighting("dinolite")


class FakeDnx64:
    """Stands in for the DLL object, recording calls (the real SDK is untestable here)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[int, ...]]] = []

    def SetVideoDeviceIndex(self, index: object) -> None:  # noqa: N802 (the SDK's names)
        self.calls.append(("SetVideoDeviceIndex", (int(index.value),)))  # type: ignore[attr-defined]

    def Init(self) -> bool:  # noqa: N802
        return True

    def SetLEDState(self, index: object, state: object) -> None:  # noqa: N802
        self.calls.append(("SetLEDState", (int(index.value), int(state.value))))  # type: ignore[attr-defined]


def test_the_thin_dinolite_driver_maps_modes_to_led_states() -> None:
    dll = FakeDnx64()
    lighting = DinoLiteLighting(dll, device_index=1, led_states={LightingMode.OFF: 0, LightingMode.UV_365: 2})
    lighting.set_mode(LightingMode.UV_365)
    with pytest.raises(LightingError, match="has no White light"):
        lighting.set_mode(LightingMode.WHITE)
    assert dll.calls == [("SetVideoDeviceIndex", (1,)), ("SetLEDState", (1, 2))]
    assert np.array_equal(lighting.available_modes(), (LightingMode.OFF, LightingMode.UV_365))
