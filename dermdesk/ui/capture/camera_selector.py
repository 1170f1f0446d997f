"""The picture-source drop-down: the virtual dermatoscope, attached cameras, or a video file.

Cameras are listed by the capture module with the names the OS gives them; listing talks to device
APIs that can take a while on Windows, so it runs through the window's TaskRunner, not on the GUI
thread. Choosing an entry emits `sig_source_chosen` with a SourceSpec; the window does the switching.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from dermdesk.capture.cameras import CameraInfo, list_cameras
from dermdesk.settings import CameraSource
from dermdesk.source_spec import SourceSpec
from dermdesk.tasks import TaskState
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP
from dermdesk.ui.common.worker import TaskRunner

logger = logging.getLogger(__name__)

OPEN_FILE_LABEL = QT_TRANSLATE_NOOP("camera_selector", "Open video file…")
VIDEO_FILTER = QT_TRANSLATE_NOOP("camera_selector", "Videos (*.avi *.mp4 *.mkv *.mov);;All files (*)")


def _list_cameras_task(state: TaskState) -> list[CameraInfo]:
    state.set_progress(0.0, QCoreApplication.translate("camera_selector", "Looking for cameras"))
    return list_cameras()


class CameraSelector(QComboBox):
    """A combo box of picture sources; emits `sig_source_chosen` when the user picks one."""

    sig_source_chosen = Signal(object)
    """The SourceSpec the user picked."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumContentsLength(24)
        self._runner = runner
        self._current = SourceSpec(CameraSource.VIRTUAL)
        self._cameras: list[CameraInfo] = []
        self._rebuild()
        self.activated.connect(self._on_activated)

    def refresh_cameras(self) -> None:
        """List attached cameras in the background; the entries appear when the list is ready."""
        self._runner.start(_list_cameras_task, name="list-cameras", on_done=self._on_cameras_listed)

    def set_current(self, spec: SourceSpec) -> None:
        """Show `spec` as selected without emitting sig_source_chosen."""
        self._current = spec
        self._rebuild()

    def _rebuild(self) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("Virtual dermatoscope"), SourceSpec(CameraSource.VIRTUAL))
        for camera in self._cameras:
            self.addItem(camera.label, SourceSpec(CameraSource.CAMERA, index=camera.index))
        current = self._current
        if current.kind is CameraSource.CAMERA and all(c.index != current.index for c in self._cameras):
            self.addItem(self.tr("Camera {index}").format(index=current.index), current)
        if current.kind is CameraSource.FILE and current.path is not None:
            self.addItem(self.tr("Video: {name}").format(name=current.path.name), current)
        self.addItem(QCoreApplication.translate("camera_selector", OPEN_FILE_LABEL), None)
        for row in range(self.count()):
            if self.itemData(row) == current:
                self.setCurrentIndex(row)
        self.blockSignals(False)

    def _on_cameras_listed(self, cameras: list[CameraInfo] | None, error: BaseException | None) -> None:
        if error is not None:
            logger.warning("Could not list cameras: %s", error)
            return
        self._cameras = cameras or []
        self._rebuild()

    def _on_activated(self, row: int) -> None:
        spec = self.itemData(row)
        if spec is None:
            spec = self._ask_for_video_file()
            if spec is None:
                self._rebuild()  # cancelled: show the current source again
                return
        if spec != self._current:
            self._current = spec
            self._rebuild()
            self.sig_source_chosen.emit(spec)

    def _ask_for_video_file(self) -> SourceSpec | None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a video file"),
            "",
            QCoreApplication.translate("camera_selector", VIDEO_FILTER),
        )
        return SourceSpec(CameraSource.FILE, path=Path(name)) if name else None
