"""The live picture: paints the newest frame, scaled to fit, and measures the shown frame rate.

Painting wraps the frame's own numpy buffer in a QImage (Format_BGR888, bytesPerLine from the
array's row stride): no conversion and no copy on the GUI thread. Qt does not own that memory, so the
widget keeps the Frame (and with it the array) for as long as the QImage exists. Frames are read-only
once published (see dermdesk.capture.frames), so the grabber never writes into a buffer shown here.

Live analysis can lay a small RGBA heatmap (made off the GUI thread) over the square the model looked at
(`set_overlay`); the next frame's paint stretches it there semi-transparently (well under a millisecond).
"""

from __future__ import annotations

import logging
import time
from collections import deque

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from dermdesk.capture.frames import Frame

logger = logging.getLogger(__name__)

FPS_WINDOW_S = 1.0
TIMING_SAMPLES = 4096


def frame_to_qimage(frame: Frame) -> QImage:
    """A QImage over the frame's pixels (no copy). Keep `frame` alive while the QImage is used."""
    image = frame.image
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype.name != "uint8":
        raise ValueError(f"expected a BGR uint8 picture, got shape {image.shape} {image.dtype}")
    if not image.flags.c_contiguous:
        raise ValueError("the picture's rows are not contiguous; frames must be C-contiguous")
    height, width = image.shape[:2]
    return QImage(image.data, width, height, image.strides[0], QImage.Format.Format_BGR888)


class LiveView(QWidget):
    """Shows one frame at a time; `show_frame` is called at most once per new frame by the window."""

    sig_fps_changed = Signal(float)
    """Frames shown per second over the last second, emitted about once a second."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(320, 180)
        self._frame: Frame | None = None
        self._image: QImage | None = None
        self._placeholder = self.tr("No picture yet")
        self._overlay_box: tuple[int, int, int] | None = None  # x, y, side in frame pixels
        self._overlay_pixels: np.ndarray | None = None  # keeps the buffer under _overlay_image alive
        self._overlay_image: QImage | None = None
        self.frames_shown = 0
        self.frames_skipped = 0
        self.paints = 0
        self._window_start = time.monotonic()
        self._window_frames = 0
        self.fps = 0.0
        self.paint_ms: deque[float] = deque(maxlen=TIMING_SAMPLES)
        """Milliseconds each paint of a frame took on the GUI thread (for `bench capture`)."""
        self.latency_ms: deque[float] = deque(maxlen=TIMING_SAMPLES)
        """Milliseconds from the grabber publishing a frame to its paint starting."""

    @property
    def frame(self) -> Frame | None:
        """The frame on screen now (the one a capture saves)."""
        return self._frame

    def show_frame(self, frame: Frame) -> None:
        """Make `frame` the picture on screen; counts frames the grabber produced but we never showed."""
        previous = self._frame
        if (
            previous is not None
            and frame.source_name == previous.source_name
            and frame.index > previous.index
        ):
            self.frames_skipped += frame.index - previous.index - 1
        self._image = frame_to_qimage(frame)
        self._frame = frame  # keeps the buffer under the QImage alive
        self.frames_shown += 1
        self._count_for_fps()
        self.update()

    @property
    def overlay_box(self) -> tuple[int, int, int] | None:
        """The square (x, y, side in frame pixels) outlined over the picture, if any."""
        return self._overlay_box

    @property
    def overlay_heatmap(self) -> np.ndarray | None:
        """The RGBA heatmap stretched over `overlay_box`, if any."""
        return self._overlay_pixels

    def set_overlay(self, box: tuple[int, int, int] | None, heatmap: np.ndarray | None = None) -> None:
        """Outline `box` (x, y, side in frame pixels), stretch `heatmap` (RGBA uint8) over it; None: none.

        Shown from the next paint, which the next frame brings (no extra paint per result); call
        `update()` as well when the change must show while no frames arrive.
        """
        if heatmap is not None and (heatmap.ndim != 3 or heatmap.shape[2] != 4 or heatmap.dtype != np.uint8):
            raise ValueError(f"expected an RGBA uint8 heatmap, got shape {heatmap.shape} {heatmap.dtype}")
        self._overlay_box = box
        self._overlay_pixels = None if heatmap is None else np.ascontiguousarray(heatmap)
        self._overlay_image = (
            None
            if self._overlay_pixels is None
            else QImage(
                self._overlay_pixels.data,
                self._overlay_pixels.shape[1],
                self._overlay_pixels.shape[0],
                self._overlay_pixels.strides[0],
                QImage.Format.Format_RGBA8888,
            )
        )

    def clear(self, message: str) -> None:
        """Drop the picture (source changed or lost) and show `message` instead."""
        self._image = None
        self._frame = None
        self._overlay_box = self._overlay_pixels = self._overlay_image = None
        self._placeholder = message
        self.fps = 0.0
        self.sig_fps_changed.emit(0.0)
        self.update()

    def _count_for_fps(self) -> None:
        self._window_frames += 1
        now = time.monotonic()
        elapsed = now - self._window_start
        if elapsed >= FPS_WINDOW_S:
            self.fps = self._window_frames / elapsed
            self._window_start, self._window_frames = now, 0
            self.sig_fps_changed.emit(self.fps)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(960, 540)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        started = time.perf_counter()
        self.paints += 1
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(24, 24, 24))
        image = self._image
        if image is None:
            painter.setPen(QColor(200, 200, 200))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._placeholder)
        else:
            target = _fit(image.size(), self.rect())
            painter.drawImage(target, image)
            if self._overlay_box is not None:
                self._paint_overlay(painter, target, image.width())
        painter.end()
        if image is not None and self._frame is not None:
            self.paint_ms.append((time.perf_counter() - started) * 1000.0)
            self.latency_ms.append((time.monotonic() - self._frame.timestamp) * 1000.0 - self.paint_ms[-1])

    def _paint_overlay(self, painter: QPainter, target: QRect, frame_width: int) -> None:
        scale = target.width() / max(1, frame_width)
        x, y, side = self._overlay_box or (0, 0, 0)
        box = QRectF(target.left() + x * scale, target.top() + y * scale, side * scale, side * scale)
        if self._overlay_image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(box, self._overlay_image)
        painter.setPen(QPen(QColor(255, 255, 255, 160), 1, Qt.PenStyle.DashLine))
        painter.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5))


def _fit(size: QSize, area: QRect) -> QRect:
    """The largest rectangle of `size`'s aspect ratio centred in `area`."""
    scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = area.left() + (area.width() - scaled.width()) // 2
    top = area.top() + (area.height() - scaled.height()) // 2
    return QRect(left, top, scaled.width(), scaled.height())
