"""Camera listing and opening against the real OS: these machines have no camera attached."""

from __future__ import annotations

import itertools
import logging
import time

import cv2
import pytest

from dermdesk.capture.cameras import CameraInfo, OpenCVCamera, list_cameras, opencv_quiet
from dermdesk.capture.frames import CameraError
from dermdesk.capture.grabber import FrameGrabber, StatusEvent, StatusKind


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


def test_a_missing_camera_logs_one_line_per_reconnect_attempt(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """OpenCV's own warnings (written to stderr by its C++ code) stay silent; the grabber says one line
    per attempt, and the pauses between attempts grow."""
    monkeypatch.delenv("OPENCV_LOG_LEVEL", raising=False)
    events: list[StatusEvent] = []
    grabber = FrameGrabber(OpenCVCamera(57), on_status=events.append, retry_initial_s=0.05, retry_max_s=0.4)
    with caplog.at_level(logging.DEBUG):
        grabber.start()
        deadline = time.monotonic() + 30.0
        while sum(e.kind is StatusKind.RECONNECTING for e in events) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        grabber.stop()
    attempts = [e for e in events if e.kind is StatusKind.RECONNECTING]
    assert len(attempts) >= 5
    records = [r for r in caplog.records if r.name.startswith("dermdesk")]
    failed = [r for r in records if "reconnect attempt" in r.getMessage()]
    # The first failed open ("disconnected: ... is it plugged in?"), one line per failed attempt; the
    # attempt the stop interrupted may not have logged yet.
    assert len(failed) in (len(attempts), len(attempts) - 1)
    assert len(records) == 1 + len(failed)
    assert "could not be opened" in records[0].getMessage()
    assert capfd.readouterr().err.count("VIDEOIO") == 0
    gaps = [later.timestamp - earlier.timestamp for earlier, later in itertools.pairwise(attempts)]
    scheduled = (0.1, 0.2, 0.4, 0.4)  # 0.05 before attempt 1, then doubled up to the 0.4 maximum
    for gap, pause in zip(gaps[:4], scheduled[: len(gaps)], strict=True):
        assert gap >= pause * 0.9


def test_opencv_is_quiet_only_inside_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENCV_LOG_LEVEL", raising=False)
    before = cv2.utils.logging.getLogLevel()
    with opencv_quiet():
        with opencv_quiet():
            assert cv2.utils.logging.getLogLevel() == cv2.utils.logging.LOG_LEVEL_ERROR
        assert cv2.utils.logging.getLogLevel() == cv2.utils.logging.LOG_LEVEL_ERROR
    assert cv2.utils.logging.getLogLevel() == before


def test_opencv_is_left_to_talk_when_clinic_it_asks_for_its_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENCV_LOG_LEVEL", "DEBUG")
    before = cv2.utils.logging.getLogLevel()
    with opencv_quiet():
        assert cv2.utils.logging.getLogLevel() == before
