"""The Camera menu: white balance from a reference card, scale from a ruler, measuring, lighting device.

Works on the CaptureDesk's current camera and stores results in its profile: the white-balance gains
(applied to every frame by the grabber from then on, and again whenever this camera starts), and the
ruler scale per magnification (recorded with every still taken afterwards, so measurements on a still
use the scale it was taken at). Every measurement runs on a worker thread; dialogs are opened with
`open()`/`show()`, never `exec()`, so the live view keeps running behind them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QMenu, QMessageBox, QWidget

from dermdesk.capture.calibration import ScaleCalibration, WhiteBalance
from dermdesk.capture.frames import Frame
from dermdesk.capture.grabber import FrameGrabber
from dermdesk.capture.lighting import parse_lighting_spec
from dermdesk.capture.session_stills import measure_white_reference
from dermdesk.settings import ScaleRecord
from dermdesk.station import StationModel
from dermdesk.ui.capture.calibration_dialogs import RulerDialog
from dermdesk.ui.capture.capture_desk import CaptureDesk
from dermdesk.ui.capture.live_view import LiveView
from dermdesk.ui.capture.measure_tool import MeasureDialog
from dermdesk.ui.capture.thumbnail_strip import ThumbnailStrip
from dermdesk.ui.common.terms import vocabulary_word
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP
from dermdesk.ui.common.worker import TaskRunner

logger = logging.getLogger(__name__)

WHITE_REFERENCE_TEXT = QT_TRANSLATE_NOOP(
    "calibration_desk",
    "Put the white or grey reference card under the dermatoscope so that it fills the view, with white "
    "light on, then press Measure.",
)


def apply_white_balance(grabber: FrameGrabber, balance: WhiteBalance | None) -> None:
    """Have the grabber correct every frame with ``balance`` (None or neutral: no correction)."""
    if balance is None or balance.is_identity:
        grabber.set_correction(None)
    else:
        grabber.set_correction(balance.apply, {"white_balance_gains": list(balance.gains)})


class CalibrationDesk(QObject):
    """White balance, ruler scale, the measuring tool and the lighting-device setting."""

    sig_white_balance_set = Signal(object)
    """The WhiteBalance now applied to the current camera."""
    sig_scale_set = Signal(object)
    """The ScaleCalibration now stored for the current camera and magnification."""
    sig_measure_opened = Signal(object)
    """A MeasureDialog was opened."""
    sig_ruler_opened = Signal(object)
    """A RulerDialog was opened."""

    def __init__(
        self,
        model: StationModel,
        desk: CaptureDesk,
        tasks: TaskRunner,
        live_view: LiveView,
        thumbnails: ThumbnailStrip,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._parent = parent
        self._live_view = live_view
        self._thumbnails = thumbnails
        self._desk = desk
        self._tasks = tasks
        self.white_box: QMessageBox | None = None

    def add_menu(self, menu: QMenu) -> None:
        """Fill the window's Camera menu."""
        actions = [
            (self.tr("White balance from a reference card…"), self.ask_for_white_reference),
            (self.tr("Reset white balance"), self.reset_white_balance),
            (self.tr("Scale from a ruler…"), self.open_ruler),
            (self.tr("Measure the selected still…"), self.measure_selected),
            (self.tr("Lighting device…"), self.ask_for_lighting_device),
        ]
        for position, (text, slot) in enumerate(actions):
            if position in (2, 4):
                menu.addSeparator()
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self._desk.controls_dock.toggleViewAction())

    def source_started(self) -> None:
        """Apply the new camera's remembered white balance to its grabber."""
        bridge = self._desk.bridge
        gains = self._desk.profile.white_balance
        if bridge is not None:
            apply_white_balance(bridge.grabber, WhiteBalance(gains) if gains is not None else None)
        self.refresh_summary()

    def refresh_summary(self) -> None:
        """Show the current camera's calibration in the camera panel."""
        profile = self._desk.profile
        record = profile.scale
        if record is None:
            scale = self.tr("not calibrated at {magnification} — Camera ▸ Scale from a ruler…").format(
                magnification=vocabulary_word(profile.magnification)
            )
        else:
            scale = self.tr("{mm_per_pixel:.4f} mm per pixel at {magnification}").format(
                mm_per_pixel=record.mm_per_pixel, magnification=vocabulary_word(profile.magnification)
            )
        gains = profile.white_balance
        if gains is None:
            balance = self.tr("as the camera delivers it — Camera ▸ White balance from a reference card…")
        else:
            balance = self.tr("from a reference card (blue × {value:.2f}, red × {value2:.2f})").format(
                value=gains[0], value2=gains[2]
            )
        self._desk.controls_panel.show_calibration(scale, balance)

    # --- white balance ----------------------------------------------------------------------------

    def ask_for_white_reference(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("White balance"),
            QCoreApplication.translate("calibration_desk", WHITE_REFERENCE_TEXT),
            parent=self._parent,
        )
        measure = box.addButton(self.tr("Measure"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self.measure_white_reference() if button is measure else None
        )
        self.white_box = box
        box.open()

    def measure_white_reference(self) -> None:
        """Average a few frames of the card now in view and derive the gains (worker thread)."""
        bridge = self._desk.bridge
        if bridge is None:
            return
        self._model.notify(self.tr("Measuring the reference card…"))
        self._tasks.start(
            measure_white_reference, bridge.grabber, name="white-reference", on_done=self._on_white
        )

    def _on_white(self, measured: WhiteBalance | None, error: BaseException | None) -> None:
        bridge = self._desk.bridge
        if error is not None or measured is None or bridge is None:
            self._warn(self.tr("White balance not set"), str(error))
            return
        current = self._desk.profile.white_balance
        balance = WhiteBalance(current).combined_with(measured) if current is not None else measured
        self._desk.update_profile(white_balance=balance.gains)
        apply_white_balance(bridge.grabber, balance)
        blue, _, red = balance.gains
        self._model.notify(
            self.tr("White balance set: blue × {blue:.2f}, red × {red:.2f}.").format(blue=blue, red=red), 8000
        )
        self.refresh_summary()
        self.sig_white_balance_set.emit(balance)

    def reset_white_balance(self) -> None:
        self._desk.update_profile(white_balance=None)
        if self._desk.bridge is not None:
            apply_white_balance(self._desk.bridge.grabber, None)
        self._model.notify(self.tr("White balance reset: frames are no longer corrected."), 5000)
        self.refresh_summary()
        self.sig_white_balance_set.emit(WhiteBalance())

    # --- scale and measuring ---------------------------------------------------------------------

    def open_ruler(self, frame: Frame | None = None) -> RulerDialog | None:
        """The ruler dialog on ``frame`` (default: the picture on screen now)."""
        frame = frame if frame is not None else self._live_view.frame
        if frame is None:
            self._model.notify(self.tr("No picture yet: put the ruler under the camera first."), 5000)
            return None
        profile = self._desk.profile
        dialog = RulerDialog(frame, self._tasks, list(profile.scales), profile.magnification, self._parent)
        dialog.sig_calibrated.connect(self._on_scale)
        dialog.show()
        self.sig_ruler_opened.emit(dialog)
        return dialog

    def _on_scale(self, scale: ScaleCalibration) -> None:
        record = ScaleRecord(
            mm_per_pixel=scale.mm_per_pixel,
            width=scale.image_size[0],
            height=scale.image_size[1],
            calibrated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        scales = {**self._desk.profile.scales, scale.magnification: record}
        self._desk.update_profile(scales=scales, magnification=scale.magnification)
        self._model.notify(
            self.tr(
                "Scale for {camera_key} at {magnification}: {mm_per_pixel:.4f} mm per "
                "pixel ({pixels_per_mm:.1f} pixels per mm)."
            ).format(
                camera_key=self._desk.camera_key,
                magnification=scale.magnification,
                mm_per_pixel=scale.mm_per_pixel,
                pixels_per_mm=scale.pixels_per_mm,
            ),
            10_000,
        )
        self.refresh_summary()
        self.sig_scale_set.emit(scale)

    def current_scale(self) -> ScaleCalibration | None:
        profile = self._desk.profile
        record = profile.scale
        if record is None:
            return None
        return ScaleCalibration(record.mm_per_pixel, (record.width, record.height), profile.magnification)

    def measure_selected(self) -> None:
        items = self._thumbnails.selectedItems() or [self._thumbnails.item(0)]
        if items and items[0] is not None:
            self.measure_item(items[0])
        else:
            self._model.notify(self.tr("Capture a still first, then measure on it."), 5000)

    def measure_item(self, item: QListWidgetItem) -> MeasureDialog:
        return self.measure(Path(item.data(Qt.ItemDataRole.UserRole)))

    def measure(self, path: Path) -> MeasureDialog:
        """Open the two-click measuring tool on a saved still."""
        dialog = MeasureDialog(path, self._tasks, self.current_scale(), self._parent)
        dialog.show()
        self.sig_measure_opened.emit(dialog)
        return dialog

    # --- lighting device ---------------------------------------------------------------------------

    def ask_for_lighting_device(self) -> None:
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(self.tr("Lighting device"))
        dialog.setLabelText(
            self.tr(
                "How the light of {camera_key} is switched — serial:PORT (LED ring), "
                "v4l2:/dev/videoN (camera LEDs) or dinolite; leave empty for none:"
            ).format(camera_key=self._desk.camera_key)
        )
        dialog.setTextValue(self._desk.profile.lighting_device or "")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(self.set_lighting_device)
        dialog.open()

    def set_lighting_device(self, text: str) -> None:
        spec = text.strip() or None
        if spec is not None:
            try:
                parse_lighting_spec(spec)
            except ValueError as exc:
                self._warn(self.tr("Lighting device not set"), str(exc))
                return
        self._desk.update_profile(lighting_device=spec)
        self._model.restart_source()  # reopen with the new light

    def _warn(self, title: str, message: str) -> None:
        self._model.warn(title, message)
