"""Two clicks on a picture: the widget that takes them, and the tool that measures a lesion in mm.

`ClickablePicture` paints a picture scaled to fit and turns clicks into picture coordinates; a click on
the grey margin around the picture is reported as outside (`sig_clicked_outside`), never guessed into
it. `MeasureDialog` opens a saved still (read from disk on a worker thread), takes two clicks across the
lesion and shows the distance in millimetres, using the scale recorded with the still when it was
taken, else the camera's current ruler calibration.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QDialog, QLabel, QSizePolicy, QVBoxLayout, QWidget

from dermdesk.capture.calibration import CalibrationError, ScaleCalibration, measure_mm
from dermdesk.capture.sidecar import StillSidecar
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.worker import TaskRunner

logger = logging.getLogger(__name__)

MARKER = QColor(255, 214, 0)


class ClickablePicture(QWidget):
    """A picture (BGR uint8 array) scaled to fit, taking up to two clicks in picture coordinates."""

    sig_clicked = Signal(float, float)
    """A click on the picture, in picture pixels (x, y)."""
    sig_clicked_outside = Signal()
    """A click beside the picture (on the margin)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._pixels: np.ndarray | None = None  # keeps the memory under the QImage alive
        self._image: QImage | None = None
        self.points: list[tuple[float, float]] = []
        self.caption = ""

    def set_picture(self, pixels: np.ndarray) -> None:
        """Show ``pixels`` (BGR uint8, C-contiguous; not copied — keep it unchanged) and clear clicks."""
        height, width = pixels.shape[:2]
        self._pixels = pixels
        self._image = QImage(pixels.data, width, height, pixels.strides[0], QImage.Format.Format_BGR888)
        self.points = []
        self.update()

    @property
    def picture_size(self) -> tuple[int, int] | None:
        return None if self._image is None else (self._image.width(), self._image.height())

    def picture_rect(self) -> QRect:
        """Where the picture is drawn in the widget."""
        if self._image is None:
            return QRect()
        scaled = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        left = (self.width() - scaled.width()) // 2
        top = (self.height() - scaled.height()) // 2
        return QRect(left, top, scaled.width(), scaled.height())

    def to_widget(self, x: float, y: float) -> QPointF:
        """Picture pixels to widget coordinates (tests click through this)."""
        rect, size = self.picture_rect(), self.picture_size
        assert size is not None
        return QPointF(rect.left() + x * rect.width() / size[0], rect.top() + y * rect.height() / size[1])

    def to_picture(self, point: QPointF) -> tuple[float, float] | None:
        """Widget coordinates to picture pixels; None beside the picture."""
        rect, size = self.picture_rect(), self.picture_size
        if size is None or rect.isEmpty() or not QRectF(rect).contains(point):
            return None
        x = (point.x() - rect.left()) * size[0] / rect.width()
        y = (point.y() - rect.top()) * size[1] / rect.height()
        return min(x, size[0] - 1e-3), min(y, size[1] - 1e-3)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() != Qt.MouseButton.LeftButton or self._image is None:
            return
        point = self.to_picture(event.position())
        if point is None:
            self.sig_clicked_outside.emit()
            return
        if len(self.points) >= 2:
            self.points = []
        self.points.append(point)
        self.update()
        self.sig_clicked.emit(*point)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(800, 500)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(40, 40, 40))
        if self._image is not None:
            painter.drawImage(self.picture_rect(), self._image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(MARKER, 2))
            ends = [self.to_widget(x, y) for x, y in self.points]
            for end in ends:
                painter.drawEllipse(end, 5, 5)
            if len(ends) == 2:
                painter.drawLine(ends[0], ends[1])
                if self.caption:
                    middle = (ends[0] + ends[1]) / 2
                    painter.drawText(middle + QPointF(8, -8), self.caption)
        painter.end()


from dermdesk.capture.measuring import load_still, scale_from_sidecar  # noqa: E402


class MeasureDialog(QDialog):
    """Measure a lesion on a still: click its two edges, read the diameter in mm."""

    sig_measured = Signal(float)
    """The distance in mm between the two clicks (only when the still has a scale)."""

    def __init__(
        self,
        path: Path,
        runner: TaskRunner,
        fallback: ScaleCalibration | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Measure — {name}").format(name=path.name))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.path = path
        self.scale: ScaleCalibration | None = None
        self._fallback = fallback
        self.picture = ClickablePicture(self)
        self.reading = QLabel(self.tr("Opening the still…"), self)
        self.reading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.hint = QLabel(self.tr("Click one edge of the lesion, then the opposite edge."), self)
        column = QVBoxLayout(self)
        column.addWidget(self.hint)
        column.addWidget(self.picture, 1)
        column.addWidget(self.reading)
        self.picture.sig_clicked.connect(self._on_clicked)
        self.picture.sig_clicked_outside.connect(self._on_clicked_outside)
        fit_window(self, 900, 640)
        runner.start(load_still, path, name="open-still", on_done=self._on_loaded)

    def _on_loaded(self, loaded: tuple[np.ndarray, StillSidecar] | None, error: BaseException | None) -> None:
        if error is not None or loaded is None:
            self.reading.setText(self.tr("The still could not be opened: {error}").format(error=error))
            return
        pixels, sidecar = loaded
        size = (int(pixels.shape[1]), int(pixels.shape[0]))
        self.scale = scale_from_sidecar(sidecar, size) or self._fallback
        self.picture.set_picture(pixels)
        if self.scale is None:
            self.reading.setText(
                self.tr(
                    "No scale for this camera yet: distances are shown in pixels. "
                    "Calibrate with a ruler (Calibrate ▸ Scale from a ruler…) to measure "
                    "in millimetres."
                )
            )
        else:
            self.reading.setText(
                self.tr("Scale: {mm_per_pixel_for:.4f} mm per pixel. Click twice.").format(
                    mm_per_pixel_for=self.scale.mm_per_pixel_for(size)
                )
            )

    def _on_clicked(self, _x: float, _y: float) -> None:
        points, size = self.picture.points, self.picture.picture_size
        if len(points) < 2 or size is None:
            self.picture.caption = ""
            return
        if self.scale is None:
            pixels = math.dist(points[0], points[1])
            self.picture.caption = f"{pixels:.0f} px"
            self.reading.setText(
                self.tr("{pixels:.0f} pixels — no scale yet (calibrate with a ruler).").format(pixels=pixels)
            )
            return
        try:
            millimetres = measure_mm(points[0], points[1], self.scale, size)
        except CalibrationError as exc:
            self.reading.setText(str(exc))
            return
        self.picture.caption = f"{millimetres:.2f} mm"
        self.reading.setText(self.tr("Diameter: {millimetres:.2f} mm").format(millimetres=millimetres))
        self.sig_measured.emit(millimetres)

    def _on_clicked_outside(self) -> None:
        self.reading.setText(self.tr("That click was beside the picture — click on the lesion's edges."))
