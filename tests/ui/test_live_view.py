"""The live view paints straight from the frame's buffer."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtGui import QImage

from dermdesk.capture.frames import Frame
from dermdesk.ui.capture.live_view import LiveView, frame_to_qimage


def make_frame(index: int, width: int = 64, height: int = 48) -> Frame:
    image = np.zeros((height, width, 3), np.uint8)
    image[..., 2] = 200  # red in BGR
    image.setflags(write=False)
    return Frame(image, index, time.monotonic(), "test source")


def test_the_qimage_wraps_the_frame_buffer_without_copying() -> None:
    frame = make_frame(0, width=33)  # odd width: rows are not 4-byte aligned
    image = frame_to_qimage(frame)
    assert image.format() == QImage.Format.Format_BGR888
    assert image.bytesPerLine() == frame.image.strides[0] == 99
    shared = np.frombuffer(image.constBits(), np.uint8)
    assert shared.ctypes.data == frame.image.ctypes.data
    assert image.pixelColor(0, 0).red() == 200


def test_a_non_contiguous_picture_is_refused() -> None:
    image = np.zeros((48, 64, 3), np.uint8)[:, ::2]
    with pytest.raises(ValueError, match="contiguous"):
        frame_to_qimage(Frame(image, 0, 0.0, "test"))


def test_the_view_keeps_the_frame_and_counts_skipped_frames(qtbot) -> None:
    view = LiveView()
    qtbot.addWidget(view)
    view.show()
    first, later = make_frame(1), make_frame(4)
    view.show_frame(first)
    view.show_frame(later)
    assert view.frame is later
    assert view.frames_shown == 2
    assert view.frames_skipped == 2
    qtbot.waitUntil(lambda: len(view.paint_ms) >= 1)
