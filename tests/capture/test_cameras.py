"""Camera listing and opening against the real OS: these machines have no camera attached."""

from __future__ import annotations

import time

import pytest

from dermdesk.capture.cameras import CameraInfo, OpenCVCamera, list_cameras
from dermdesk.capture.frames import CameraError


def test_listing_runs_for_real_and_returns_camera_infos() -> None:
    cameras = list_cameras()
    assert isinstance(cameras, list)
    assert all(isinstance(camera, CameraInfo) for camera in cameras)


def test_listing_with_a_backend_this_build_lacks_gives_an_empty_list() -> None:
    assert list_cameras(backend=12345) == []


def test_label_shows_usb_ids_when_known() -> None:
    assert CameraInfo(0, "DermLite Cam", 200, vid=0x1234, pid=0xABCD).label == "DermLite Cam (1234:ABCD)"
    assert CameraInfo(1, "HD USB Camera", 200).label == "HD USB Camera"


def test_opening_a_camera_that_is_not_there_says_so_quickly() -> None:
    camera = OpenCVCamera(57)
    started = time.monotonic()
    with pytest.raises(CameraError, match=r"Camera 57 could not be opened — is it plugged in\?"):
        camera.open()
    assert time.monotonic() - started < 10.0
    camera.close()
    camera.close()  # twice is fine


def test_reading_a_camera_that_is_not_open_is_a_camera_error() -> None:
    with pytest.raises(CameraError, match="not open"):
        OpenCVCamera(57, name="Dermatoscope").read()
