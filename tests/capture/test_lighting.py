from __future__ import annotations

from dermdesk.capture.lighting import LightingMode


def test_every_mode_has_a_distinct_label_and_a_stable_value() -> None:
    assert len(LightingMode) == 8
    assert len({mode.label for mode in LightingMode}) == 8
    for mode in LightingMode:
        assert LightingMode(mode.value) is mode


def test_only_cross_polarised_white_is_polarised() -> None:
    assert [mode for mode in LightingMode if mode.polarised] == [LightingMode.WHITE_POLARISED]


def test_wavelengths_and_bands() -> None:
    assert LightingMode.UV_365.wavelength_nm == 365
    assert [m.wavelength_nm for m in LightingMode if m.narrow_band] == [450, 525, 590, 630]
    assert LightingMode.WHITE.wavelength_nm is None
    assert not LightingMode.OFF.lit
    assert all(mode.lit for mode in LightingMode if mode is not LightingMode.OFF)
