"""The station's main window: live view, source picker, lighting buttons, capture, this session's stills.

The window only wires widgets to the core: the grabber (through GrabberBridge) owns the camera on its
own thread, stills are written by a task on the TaskRunner, and every message shown comes from the
core. Lighting, camera controls, quality-gated stills and lighting sequences are the CaptureDesk's;
calibration and measuring the CalibrationDesk's. Closing the window stops the grabber thread and
waits for every task, so nothing outlives it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.capture.grabber import StatusEvent, StatusKind
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.standby import StandbyPolicy
from dermdesk.context import CommandContext
from dermdesk.settings import DermDeskSettings, SettingsError
from dermdesk.source_spec import SourceSpec, open_source
from dermdesk.ui.about import show_about
from dermdesk.ui.analysis_dock import AnalysisDock
from dermdesk.ui.calibration_desk import CalibrationDesk
from dermdesk.ui.camera_selector import CameraSelector
from dermdesk.ui.capture_desk import CaptureDesk
from dermdesk.ui.capture_task import CapturedStill, SessionStills
from dermdesk.ui.error_dialog import ErrorReporter
from dermdesk.ui.grabber_bridge import GrabberBridge
from dermdesk.ui.live_view import LiveView
from dermdesk.ui.log_view import LogDock
from dermdesk.ui.standby_watch import STANDBY_MESSAGE, StandbyWatch
from dermdesk.ui.thumbnail_strip import ThumbnailStrip
from dermdesk.ui.worker import TaskRunner

logger = logging.getLogger(__name__)

NO_STILLS_TEXT = "Stills of this session: none yet — press Space or “Capture still”."
BANNER_STYLE = "background: #7a1f1f; color: white; padding: 6px; font-weight: bold;"


class MainWindow(QMainWindow):
    """One capture station window for one picture source at a time."""

    sig_still_saved = Signal(object)
    """A CapturedStill, after it is on disk and in the strip."""
    sig_source_changed = Signal(object)
    """The SourceSpec now streaming into the live view."""

    def __init__(self, ctx: CommandContext, source: SourceSpec) -> None:
        super().__init__()
        self.setWindowTitle("DermDesk — capture station")
        self._ctx = ctx
        self.settings: DermDeskSettings = ctx.settings
        self.tasks = TaskRunner(self)
        self._still_tasks = TaskRunner(self, max_threads=1)  # StillWriter numbers stills one at a time
        self.session = SessionStills(self.settings.data_dir)
        self.bridge: GrabberBridge | None = None
        self.source_spec = source
        self._closed = False

        self.live_view = LiveView(self)
        self.thumbnails = ThumbnailStrip(self)
        self.camera_selector = CameraSelector(self.tasks, self)
        self.desk = CaptureDesk(self, self._still_tasks)
        self.calibration = CalibrationDesk(self, self.desk, self.tasks)
        self.capture_button = QPushButton("Capture still  (Space)", self)
        self.capture_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.banner = QLabel(self)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.fps_label = QLabel("— fps", self)
        self.stills_label = QLabel(NO_STILLS_TEXT, self)
        self.log_dock = LogDock(self)
        self.error_reporter = ErrorReporter(self, log_hint=f"Log file: {ctx.log_file}")
        self.analysis = AnalysisDock(self.settings, self.live_view, self.tasks, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.analysis)
        self.sig_still_saved.connect(self.analysis.analyse_still)
        self._build_layout()
        self._build_menus()

        self.camera_selector.sig_source_chosen.connect(self._on_source_chosen)
        self.capture_button.clicked.connect(self._on_capture_requested)
        self.desk.sig_still_captured.connect(self._on_still_captured)
        self.thumbnails.itemDoubleClicked.connect(self.calibration.measure_item)
        self.live_view.sig_fps_changed.connect(self._on_fps_changed)
        self.standby = StandbyWatch(StandbyPolicy(self.settings.standby_after_seconds), self)
        self.standby.sig_standby_changed.connect(self._on_standby_changed)
        self.camera_selector.refresh_cameras()
        self.start_source(source)

    # --- construction ----------------------------------------------------------------------------

    def _build_layout(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Source:", self))
        controls.addWidget(self.camera_selector)
        controls.addSpacing(12)
        controls.addWidget(self.desk.lighting_panel)
        controls.addStretch(1)
        controls.addWidget(self.capture_button)
        column = QVBoxLayout()
        column.addLayout(controls)
        column.addWidget(self.banner)
        column.addWidget(self.live_view, 1)
        column.addWidget(self.stills_label)
        column.addWidget(self.thumbnails)
        central = QWidget(self)
        central.setLayout(column)
        self.setCentralWidget(central)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_dock)
        self.log_dock.hide()
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.desk.controls_dock)
        self.statusBar().addPermanentWidget(self.fps_label)
        self.resize(1200, 860)

    def _build_menus(self) -> None:
        self.capture_action = QAction("&Capture still", self)
        self.capture_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.capture_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.capture_action.triggered.connect(self._on_capture_requested)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.capture_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.log_dock.toggleViewAction())
        view_menu.addAction(self.analysis.toggleViewAction())
        self.calibration.add_menu(self.menuBar().addMenu("&Camera"))
        about_action = QAction("&About DermDesk", self)
        about_action.triggered.connect(lambda: show_about(self))
        self.menuBar().addMenu("&Help").addAction(about_action)

    # --- picture source --------------------------------------------------------------------------

    def start_source(self, spec: SourceSpec) -> None:
        """Stop the current source (joining its thread) and stream from `spec` instead."""
        self.stop_source()
        self.source_spec = spec
        self.camera_selector.set_current(spec)
        self.live_view.clear(f"Connecting to {spec}…")
        self.bridge = GrabberBridge(open_source(spec, self.settings), self)
        self.bridge.sig_frame_ready.connect(self._on_frame_ready)
        self.bridge.sig_status.connect(self._on_camera_status)
        self.desk.source_started(spec, self.bridge)
        self.calibration.source_started()
        self.bridge.add_frame_consumer(self.standby.policy.gate(self.analysis.offer_frame))  # grabber thread
        self.bridge.grabber.set_frame_interval(self.standby.policy.frame_interval)
        self.analysis.source_changed()
        self.bridge.start()
        self.sig_source_changed.emit(spec)

    def stop_source(self) -> None:
        bridge, self.bridge = self.bridge, None
        if bridge is not None:
            bridge.sig_frame_ready.disconnect(self._on_frame_ready)
            bridge.stop()
            bridge.deleteLater()

    def _on_source_chosen(self, spec: SourceSpec) -> None:
        logger.info("Source chosen: %s", spec)
        self.settings = spec.to_settings(self.settings)
        self.start_source(spec)

    def _on_frame_ready(self) -> None:
        bridge = self.bridge
        frame = bridge.take_frame() if bridge is not None else None
        if frame is not None:
            self.live_view.show_frame(frame)

    def _on_camera_status(self, event: StatusEvent) -> None:
        bridge = self.bridge
        if bridge is None or event.source_name != bridge.source.name:
            return  # a late message from a source we already switched away from
        if event.kind is StatusKind.DISCONNECTED:
            self.show_camera_problem(f"{event.source_name} is not delivering pictures: {event.reason}")
        elif event.kind is StatusKind.RECONNECTING:
            self.show_camera_problem(
                f"{event.source_name}: {event.reason or 'disconnected'} — trying to reconnect "
                f"(attempt {event.attempt})…"
            )
        elif event.kind is StatusKind.CONNECTED:
            self.banner.hide()
            self.banner.clear()
            self.statusBar().showMessage(f"{event.source_name} connected", 3000)

    def _on_standby_changed(self, standby: bool) -> None:
        """Standby: the source reads a few frames a second and live analysis sees only changed pictures."""
        if self.bridge is not None:
            self.bridge.grabber.set_frame_interval(self.standby.policy.frame_interval)
        if standby:
            self.statusBar().showMessage(STANDBY_MESSAGE)
        elif self.statusBar().currentMessage() == STANDBY_MESSAGE:
            self.statusBar().clearMessage()

    def show_camera_problem(self, message: str) -> None:
        self.banner.setText(message)
        self.banner.show()
        self.statusBar().showMessage(message)

    # --- lighting --------------------------------------------------------------------------------

    @property
    def lighting(self) -> LightingMode | None:
        """The light the device confirmed (None while unknown or not under software control)."""
        return self.desk.lighting

    # --- stills ----------------------------------------------------------------------------------

    def _on_capture_requested(self) -> None:
        self.desk.capture()  # burst, sharpest frame, quality gate, then save (all on workers)

    def _on_still_captured(self, result: CapturedStill) -> None:
        self._on_still_done(result, None)

    def _on_still_done(self, result: CapturedStill | None, error: BaseException | None) -> None:
        if error is not None or result is None:
            message = str(error) if error is not None else "The still was not saved."
            logger.error("Capture failed: %s", message)
            self.statusBar().showMessage(message, 10_000)
            if not self._closed:
                QMessageBox.warning(self, "Still not saved", message)
            return
        self.thumbnails.add_still(result.saved.path, result.thumbnail)
        self.stills_label.setText(
            f"Stills of this session: {self.thumbnails.count()} — in {result.saved.path.parent}"
        )
        self.statusBar().showMessage(f"Saved {result.saved.path.name} in {result.saved.path.parent}", 5000)
        self.sig_still_saved.emit(result)

    # --- status ----------------------------------------------------------------------------------

    def _on_fps_changed(self, fps: float) -> None:
        self.fps_label.setText(f"{fps:.1f} fps")

    def show_notices(self, notices: list[str]) -> None:
        """Settings problems found at start: shown without blocking the live view."""
        for notice in notices:
            box = QMessageBox(QMessageBox.Icon.Warning, "DermDesk settings", notice, parent=self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.show()

    def active_task_threads(self) -> int:
        """Pool threads of this window still running a task (0 once the window is closed)."""
        desk = self.desk.active_task_threads()
        return self.tasks.active_thread_count() + self._still_tasks.active_thread_count() + desk

    # --- shutdown --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self._closed:
            self._closed = True
            self.standby.stop()
            self.stop_source()
            self.desk.shutdown()
            self.analysis.shutdown()
            self.tasks.shutdown()
            self._still_tasks.shutdown()
            self._save_settings()
            self.error_reporter.detach()
            self.log_dock.detach()
            logger.info("Station window closed")
        super().closeEvent(event)

    def _save_settings(self) -> None:
        if self.settings == self._ctx.settings:
            return  # nothing chosen in this window: leave the file as it is
        try:
            self._ctx.store.save(self.settings)
        except SettingsError as exc:
            logger.error("%s", exc)
