"""Calibration dialogs: the ruler (two clicks and a distance) for the scale in mm per pixel.

The ruler dialog shows the frame that was on screen when it opened (the frame's own pixels, not copied),
takes two clicks on ruler ticks, the distance between them in mm and the magnification in use, and
computes the scale on a worker thread (the clicks are refined to the ticks there). Bad input — a click
beside the picture, a distance of zero, a negative or absurd one — is answered in the dialog in plain
words and it stays open. The white-reference calibration needs no dialog of its own: the desk asks
for the card with a message box and measures it off the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.capture.calibration import ScaleCalibration, calibrate_scale
from dermdesk.capture.frames import Frame
from dermdesk.tasks import TaskState
from dermdesk.ui.capture.measure_tool import ClickablePicture
from dermdesk.ui.common.screen_fit import fit_window
from dermdesk.ui.common.worker import TaskRunner

logger = logging.getLogger(__name__)

ERROR_STYLE = "color: #b00020; font-weight: bold;"


def _calibrate(
    state: TaskState,
    frame: Frame,
    points: list[tuple[float, float]],
    distance_mm: float,
    magnification: str,
) -> ScaleCalibration:
    state.set_progress(0.2, QCoreApplication.translate("calibration_dialogs", "Finding the ruler's ticks"))
    return calibrate_scale(frame.image, points[0], points[1], distance_mm, magnification=magnification)


class RulerDialog(QDialog):
    """Scale from a ruler: click two ticks, type their distance in mm, choose the magnification."""

    sig_calibrated = Signal(object)
    """The ScaleCalibration the user accepted."""

    def __init__(
        self,
        frame: Frame,
        runner: TaskRunner,
        magnifications: Sequence[str],
        current: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Scale from a ruler"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.frame = frame
        self._runner = runner
        self.picture = ClickablePicture(self)
        self.picture.set_picture(frame.image)
        self.distance = QDoubleSpinBox(self)
        self.distance.setRange(-10_000, 10_000)  # the core refuses what makes no sense, and says why
        self.distance.setDecimals(2)
        self.distance.setSuffix(" mm")
        self.distance.setValue(10.0)
        self.magnification = QComboBox(self)
        self.magnification.setEditable(True)
        self.magnification.addItems(sorted({*magnifications, current}))
        self.magnification.setCurrentText(current)
        self.message = QLabel(
            self.tr("Click two ticks of the ruler, as far apart as you can see clearly."), self
        )
        self.message.setWordWrap(True)
        self.calibrate_button = QPushButton(self.tr("Calibrate"), self)
        self.calibrate_button.setDefault(True)
        cancel = QPushButton(self.tr("Cancel"), self)
        form = QFormLayout()
        form.addRow(self.tr("Distance between the clicks:"), self.distance)
        form.addRow(self.tr("Magnification:"), self.magnification)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.calibrate_button)
        column = QVBoxLayout(self)
        column.addWidget(self.picture, 1)
        column.addWidget(self.message)
        column.addLayout(form)
        column.addLayout(buttons)
        self.picture.sig_clicked.connect(self._on_clicked)
        self.picture.sig_clicked_outside.connect(self._on_clicked_outside)
        self.calibrate_button.clicked.connect(self._on_calibrate)
        cancel.clicked.connect(self.reject)
        fit_window(self, 900, 700)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")

    def _on_clicked(self, x: float, y: float) -> None:
        count = len(self.picture.points)
        self._say(
            self.tr("Tick {count} at ({x:.0f}, {y:.0f}).").format(count=count, x=x, y=y)
            + (self.tr(" Now the second tick.") if count == 1 else "")
        )

    def _on_clicked_outside(self) -> None:
        self._say(self.tr("That click was outside the picture — click on the ruler's ticks."), error=True)

    def _on_calibrate(self) -> None:
        points = list(self.picture.points)
        if len(points) < 2:
            self._say(self.tr("Click two ticks of the ruler first."), error=True)
            return
        self.calibrate_button.setEnabled(False)
        self._say(self.tr("Measuring…"))
        self._runner.start(
            _calibrate,
            self.frame,
            points,
            self.distance.value(),
            self.magnification.currentText(),
            name="ruler-calibration",
            on_done=self._on_done,
        )

    def _on_done(self, scale: ScaleCalibration | None, error: BaseException | None) -> None:
        self.calibrate_button.setEnabled(True)
        if error is not None or scale is None:
            self._say(str(error), error=True)
            return
        logger.info("Ruler calibration: %.5f mm per pixel at %s", scale.mm_per_pixel, scale.magnification)
        self.sig_calibrated.emit(scale)
        self.accept()
