"""Camera controls: support decided by reading back, ranges enforced, the virtual dermatoscope's effects."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from dermdesk.capture.controls import (
    ControlError,
    ControlName,
    OpenCVControls,
    apply_remembered,
    remembered_state,
)
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope


class FakeCapture:
    """Like cv2.VideoCapture on a real driver: set() says True for everything, only some props stick."""

    def __init__(self, sticky: dict[int, float], clamp: dict[int, float] | None = None) -> None:
        self.values = dict(sticky)
        self.clamp = clamp or {}  # props the device has but pins to one value
        self.calls: list[tuple[str, int, float]] = []

    def get(self, prop_id: int) -> float:
        if prop_id in self.clamp:
            return self.clamp[prop_id]
        return self.values.get(prop_id, 0.0)

    def set(self, prop_id: int, value: float) -> bool:
        self.calls.append(("set", prop_id, value))
        if prop_id in self.values:
            self.values[prop_id] = value
        return True  # what OpenCV says, whether or not anything happened


def uvc_camera() -> FakeCapture:
    """Exposure (with auto) and white balance (with auto) are real; gain, focus and zoom are not."""
    return FakeCapture(
        {
            cv2.CAP_PROP_EXPOSURE: 156.0,
            cv2.CAP_PROP_AUTO_EXPOSURE: 3.0,
            cv2.CAP_PROP_WB_TEMPERATURE: 4600.0,
            cv2.CAP_PROP_AUTO_WB: 1.0,
        },
        clamp={cv2.CAP_PROP_ZOOM: 100.0},
    )


def test_support_is_decided_by_reading_back_not_by_what_set_returns() -> None:
    device = uvc_camera()
    controls = OpenCVControls(device, backend=cv2.CAP_V4L2)
    supported = controls.probe()
    assert set(supported) == {ControlName.EXPOSURE, ControlName.WHITE_BALANCE}
    # the probe put everything back as it found it
    assert device.values[cv2.CAP_PROP_EXPOSURE] == 156.0 and device.values[cv2.CAP_PROP_AUTO_EXPOSURE] == 3.0
    assert device.values[cv2.CAP_PROP_WB_TEMPERATURE] == 4600.0 and device.values[cv2.CAP_PROP_AUTO_WB] == 1.0


def test_setting_a_value_switches_auto_off_and_reads_back() -> None:
    device = uvc_camera()
    controls = OpenCVControls(device, backend=cv2.CAP_V4L2)
    assert controls.get(ControlName.EXPOSURE).auto is True
    assert controls.set_value(ControlName.EXPOSURE, 300) == 300.0
    assert device.values[cv2.CAP_PROP_AUTO_EXPOSURE] == 1.0  # V4L2 manual
    assert controls.get(ControlName.EXPOSURE).auto is False
    controls.set_auto(ControlName.EXPOSURE, True)
    assert device.values[cv2.CAP_PROP_AUTO_EXPOSURE] == 3.0


def test_windows_backends_use_their_own_auto_values_and_ranges() -> None:
    device = FakeCapture({cv2.CAP_PROP_EXPOSURE: -6.0, cv2.CAP_PROP_AUTO_EXPOSURE: 0.75})
    controls = OpenCVControls(device, backend=cv2.CAP_MSMF)
    assert controls.probe()[ControlName.EXPOSURE].maximum == 0
    controls.set_value(ControlName.EXPOSURE, -8)
    assert device.values[cv2.CAP_PROP_AUTO_EXPOSURE] == 0.25


def test_out_of_range_values_and_missing_controls_are_clear_errors() -> None:
    controls = OpenCVControls(uvc_camera(), backend=cv2.CAP_V4L2, camera_name="DermLite Cam")
    with pytest.raises(
        ValueError, match=r"Exposure 9000 × 100 µs is out of range: it must be between 1 and 5000"
    ):
        controls.set_value(ControlName.EXPOSURE, 9000)
    with pytest.raises(ValueError, match="White balance nan K is out of range"):
        controls.set_value(ControlName.WHITE_BALANCE, float("nan"))
    with pytest.raises(ControlError, match="DermLite Cam has no focus control"):
        controls.set_value(ControlName.FOCUS, 10)


def test_a_device_that_ignores_a_value_is_reported() -> None:
    device = uvc_camera()
    controls = OpenCVControls(device, backend=cv2.CAP_V4L2)
    controls.probe()
    device.clamp[cv2.CAP_PROP_EXPOSURE] = 156.0  # now it stopped taking values
    with pytest.raises(ControlError, match="did not take exposure 500"):
        controls.set_value(ControlName.EXPOSURE, 500)


def test_remembered_values_are_applied_and_bad_ones_skipped_with_a_notice() -> None:
    device = uvc_camera()
    controls = OpenCVControls(device, backend=cv2.CAP_V4L2)
    supported = controls.probe()
    notices = apply_remembered(
        controls,
        supported,
        {"exposure": 250.0, "exposure.auto": False, "white_balance": 99999.0, "zoom": 200},
    )
    assert device.values[cv2.CAP_PROP_EXPOSURE] == 250.0
    assert len(notices) == 1 and "white balance" in notices[0] and "out of range" in notices[0]
    state = remembered_state(controls, supported)
    assert state == {
        "exposure": 250.0,
        "exposure.auto": False,
        "white_balance": 4600.0,
        "white_balance.auto": True,
    }


def mean_bgr(source: VirtualDermatoscope) -> np.ndarray:
    return np.asarray(source.read().reshape(-1, 3).mean(axis=0))


def test_the_virtual_dermatoscope_has_exposure_white_balance_and_zoom_and_they_change_the_picture() -> None:
    source = VirtualDermatoscope((320, 240), fps=1000.0)
    source.open()
    controls = source.camera_controls()
    assert controls is source.camera_controls()  # one state per dermatoscope
    assert set(controls.probe()) == {ControlName.EXPOSURE, ControlName.WHITE_BALANCE, ControlName.ZOOM}
    before = mean_bgr(source)
    controls.set_value(ControlName.EXPOSURE, 8)  # half the automatic exposure
    darker = mean_bgr(source)
    assert darker.mean() < 0.6 * before.mean()
    controls.set_auto(ControlName.EXPOSURE, True)
    controls.set_value(ControlName.WHITE_BALANCE, 3000)  # camera told the light is warm: it turns bluer
    bluer = mean_bgr(source)
    assert bluer[0] - bluer[2] > before[0] - before[2] + 20
    controls.set_auto(ControlName.WHITE_BALANCE, True)
    plain = source.read()
    controls.set_value(ControlName.ZOOM, 200)
    assert not np.array_equal(source.read(), plain)
    with pytest.raises(ControlError, match="has no focus control"):
        controls.set_value(ControlName.FOCUS, 10)
    with pytest.raises(ValueError, match=r"Zoom 50 % is out of range: it must be between 100 and 300 %"):
        controls.set_value(ControlName.ZOOM, 50)
    with pytest.raises(ControlError, match="Zoom has no automatic mode"):
        controls.set_auto(ControlName.ZOOM, True)
