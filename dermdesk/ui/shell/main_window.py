"""The station's main window: it holds the screens, the menus and the layout, and nothing else knows it.

The window makes the station's plain model (`dermdesk.station.StationModel`) and hands it to every
desk and dock; they report through the model's events, which the window turns into the status bar,
warning boxes and the patient banner. The grabber (through GrabberBridge) owns the camera on its own
thread; lighting, camera controls, quality-gated stills and lighting sequences are the CaptureDesk's;
calibration and measuring the CalibrationDesk's. Source, light and capture sit in toolbars, which
overflow into a menu on a narrow screen, and the docks tab and resize, so the window fits 1280×720;
its layout is remembered per screen size (`WindowLayouts`). Closing the window stops the grabber thread
and waits for every task, so nothing outlives it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dermdesk.capture.grabber import StatusEvent, StatusKind
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.session_stills import CapturedStill, SessionStills
from dermdesk.capture.standby import StandbyPolicy
from dermdesk.context import CommandContext
from dermdesk.settings import DermDeskSettings, SettingsError, SettingsStore
from dermdesk.source_spec import SourceSpec, open_source
from dermdesk.station import Notice, StationModel
from dermdesk.ui.analysis.analysis_dock import AnalysisDock
from dermdesk.ui.capture.calibration_desk import CalibrationDesk
from dermdesk.ui.capture.camera_selector import CameraSelector
from dermdesk.ui.capture.capture_desk import CaptureDesk
from dermdesk.ui.capture.grabber_bridge import GrabberBridge
from dermdesk.ui.capture.live_view import LiveView
from dermdesk.ui.capture.thumbnail_strip import ThumbnailStrip
from dermdesk.ui.common.error_dialog import ErrorReporter
from dermdesk.ui.common.patient_banner import ElidedLabel, PatientBanner
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.shell.about import show_about
from dermdesk.ui.shell.language import ui_language
from dermdesk.ui.shell.layout_memory import WindowLayouts
from dermdesk.ui.shell.log_view import LogDock
from dermdesk.ui.shell.notice_bar import NoticeBar
from dermdesk.ui.shell.standby_watch import STANDBY_MESSAGE, StandbyWatch

logger = logging.getLogger(__name__)

NO_STILLS_TEXT = QT_TRANSLATE_NOOP(
    "main_window", "Stills of this session: none yet — press Space or “Capture still”."
)
BANNER_STYLE = "background: #7a1f1f; color: white; padding: 6px; font-weight: bold;"


class MainWindow(QMainWindow):
    """One capture station window for one picture source at a time."""

    sig_still_saved = Signal(object)
    """A CapturedStill, after it is on disk and in the strip."""
    sig_source_changed = Signal(object)
    """The SourceSpec now streaming into the live view."""

    def __init__(self, ctx: CommandContext, source: SourceSpec) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("DermDesk — capture station"))
        self._ctx = ctx
        self.model = StationModel(ctx.settings, source)
        self.tasks = TaskRunner(self)
        self._still_tasks = TaskRunner(self, max_threads=1)  # StillWriter numbers stills one at a time
        self.session = SessionStills(ctx.settings.data_dir)
        self.bridge: GrabberBridge | None = None
        self._closed = False
        self._layouts = WindowLayouts(ctx.store.path.parent / "window-layout.ini")

        self.live_view = LiveView(self)
        self.thumbnails = ThumbnailStrip(self)
        self.camera_selector = CameraSelector(self.tasks, self)
        self.desk = CaptureDesk(self.model, self.session, self._still_tasks, self)
        self.calibration = CalibrationDesk(
            self.model, self.desk, self.tasks, self.live_view, self.thumbnails, self
        )
        self.patient_banner = PatientBanner(self.model, self, hides_itself=False)
        self.capture_button = QPushButton(self.tr("Capture still  (Space)"), self)
        self.capture_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.banner = QLabel(self)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.fps_label = QLabel(self.tr("— fps"), self)
        self.screen_note = ElidedLabel(self)
        self.notice_bar = NoticeBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.notice_bar)
        self.screen_note.hide()
        self.stills_label = QLabel(QCoreApplication.translate("main_window", NO_STILLS_TEXT), self)
        self.log_dock = LogDock(self)
        self.error_reporter = ErrorReporter(
            self, log_hint=self.tr("Log file: {log_file}").format(log_file=ctx.log_file)
        )
        self.analysis = AnalysisDock(self.model, self.live_view, self.tasks, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.analysis)
        self.sig_still_saved.connect(self.analysis.analyse_still)
        self._build_layout()
        self._build_menus()

        self.camera_selector.sig_source_chosen.connect(self._on_source_chosen)
        self.capture_button.clicked.connect(self._on_capture_requested)
        self.desk.sig_still_captured.connect(self._on_still_captured)
        self.thumbnails.itemDoubleClicked.connect(self.calibration.measure_item)
        self.live_view.sig_fps_changed.connect(self._on_fps_changed)
        self.model.notice.connect(self._on_notice)
        self.model.source_restart_requested.connect(self.start_source)
        self.standby = StandbyWatch(StandbyPolicy(self.settings.standby_after_seconds), self)
        self.standby.sig_standby_changed.connect(self._on_standby_changed)
        self.camera_selector.refresh_cameras()
        self.start_source(source)

    # --- construction ----------------------------------------------------------------------------

    def _build_layout(self) -> None:
        banner_bar = QToolBar(self.tr("Patient"), self)
        banner_bar.setObjectName("patient-toolbar")
        banner_bar.setMovable(False)
        banner_bar.toggleViewAction().setVisible(False)  # the patient's identity cannot be hidden
        banner_bar.addWidget(self.patient_banner)
        banner_bar.setVisible(self.model.patient is not None)  # no empty strip while no patient is open
        self.model.patient_changed.connect(lambda patient: banner_bar.setVisible(patient is not None))
        self.banner_bar = banner_bar
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, banner_bar)
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.capture_bar = QToolBar(self.tr("Source, light and capture"), self)
        self.capture_bar.setObjectName("capture-toolbar")
        self.capture_bar.addWidget(QLabel(self.tr(" Source: "), self))
        self.capture_bar.addWidget(self.camera_selector)
        self.capture_bar.addSeparator()
        self.capture_bar.addWidget(self.desk.lighting_panel)
        self.capture_bar.addSeparator()
        self.capture_bar.addWidget(self.capture_button)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.capture_bar)
        column = QVBoxLayout()
        column.setContentsMargins(4, 4, 4, 4)
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
        self.statusBar().addPermanentWidget(self.screen_note, 1)
        self.statusBar().addPermanentWidget(self.fps_label)
        self.stills_label.setWordWrap(True)
        self.banner.setWordWrap(True)
        self.resize(1280, 720)  # the smallest supported screen; `restore_layout` fits the real one

    def _build_menus(self) -> None:
        self.capture_action = QAction(self.tr("&Capture still"), self)
        self.capture_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.capture_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.capture_action.triggered.connect(self._on_capture_requested)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.capture_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        view_menu.addAction(self.log_dock.toggleViewAction())
        view_menu.addAction(self.analysis.toggleViewAction())
        self.calibration.add_menu(self.menuBar().addMenu(self.tr("&Camera")))
        about_action = QAction(self.tr("&About DermDesk"), self)
        about_action.triggered.connect(lambda: show_about(self))
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))  # stays last: others go before it
        self.help_menu.addAction(about_action)

    # --- picture source --------------------------------------------------------------------------

    def start_source(self, spec: SourceSpec) -> None:
        """Stop the current source (joining its thread) and stream from `spec` instead."""
        self.stop_source()
        self.model.set_source(spec)
        self.camera_selector.set_current(spec)
        self.live_view.clear(self.tr("Connecting to {spec}…").format(spec=spec))
        self.bridge = GrabberBridge(open_source(spec, self.model.settings), self)
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
        self.model.settings = spec.to_settings(self.model.settings)
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
            self.show_camera_problem(
                self.tr("{source_name} is not delivering pictures: {reason}").format(
                    source_name=event.source_name, reason=event.reason
                )
            )
        elif event.kind is StatusKind.RECONNECTING:
            self.show_camera_problem(
                self.tr("{source_name}: {value} — trying to reconnect (attempt {attempt})…").format(
                    source_name=event.source_name,
                    value=event.reason or self.tr("disconnected"),
                    attempt=event.attempt,
                )
            )
        elif event.kind is StatusKind.CONNECTED:
            self.banner.hide()
            self.banner.clear()
            name = event.source_name
            if name == "Virtual dermatoscope":  # the built-in source's (stored, English) name
                name = self.tr("Virtual dermatoscope")
            self.statusBar().showMessage(self.tr("{source_name} connected").format(source_name=name), 3000)

    def _on_standby_changed(self, standby: bool) -> None:
        """Standby: the source reads a few frames a second and live analysis sees only changed pictures."""
        if self.bridge is not None:
            self.bridge.grabber.set_frame_interval(self.standby.policy.frame_interval)
        if standby:
            self.statusBar().showMessage(QCoreApplication.translate("standby_watch", STANDBY_MESSAGE))
        elif self.statusBar().currentMessage() == QCoreApplication.translate(
            "standby_watch", STANDBY_MESSAGE
        ):
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

    @property
    def settings(self) -> DermDeskSettings:
        """The station's settings as chosen in this window (saved at close)."""
        return self.model.settings

    @property
    def source_spec(self) -> SourceSpec:
        return self.model.source

    def _on_notice(self, notice: Notice) -> None:
        self.statusBar().showMessage(notice.text, notice.timeout_ms)
        if notice.title is None or self._closed:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, notice.title, notice.text, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()

    # --- stills ----------------------------------------------------------------------------------

    def _on_capture_requested(self) -> None:
        self.desk.capture()  # burst, sharpest frame, quality gate, then save (all on workers)

    def _on_still_captured(self, result: CapturedStill) -> None:
        self._on_still_done(result, None)

    def forget_stills(self) -> None:
        """Clear this session's stills from the screen (signed out or locked: the next person must not
        see the last patient's pictures). The files stay in the session folder and in the records."""
        self.thumbnails.clear()
        self.stills_label.setText(QCoreApplication.translate("main_window", NO_STILLS_TEXT))
        self.analysis.panel.clear_still()

    def _on_still_done(self, result: CapturedStill | None, error: BaseException | None) -> None:
        if error is not None or result is None:
            message = str(error) if error is not None else self.tr("The still was not saved.")
            logger.error("Capture failed: %s", message)
            self.statusBar().showMessage(message, 10_000)
            if not self._closed:
                QMessageBox.warning(self, self.tr("Still not saved"), message)
            return
        self.thumbnails.add_still(
            result.saved.path, result.thumbnail, result.lighting, overridden=result.overridden
        )
        self.stills_label.setText(
            self.tr("Stills of this session: {count} — in {parent}").format(
                count=self.thumbnails.count(), parent=result.saved.path.parent
            )
        )
        self.statusBar().showMessage(
            self.tr("Saved {name} in {parent}").format(
                name=result.saved.path.name, parent=result.saved.path.parent
            ),
            5000,
        )
        self.sig_still_saved.emit(result)

    # --- status ----------------------------------------------------------------------------------

    def _on_fps_changed(self, fps: float) -> None:
        self.fps_label.setText(self.tr("{fps:.1f} fps").format(fps=fps))

    def restore_layout(self) -> None:
        """Size and lay out the window for its screen, as last left on a screen of this size."""
        message = self._layouts.restore(self)
        self.screen_note.setVisible(message is not None)
        if message is not None:
            logger.warning("%s", message)
            self.screen_note.set_full_text(self.tr("Small screen: ") + message)

    def show_notices(self, notices: list[str]) -> None:
        """Settings problems found at start: a bar across the top of the window, never a window of
        its own, so it can neither block the live view nor sit over the sign-in dialog."""
        if notices:
            self.notice_bar.show_notices(notices)

    @property
    def settings_store(self) -> SettingsStore:
        """Where the station's settings are saved (a model update's switch writes through it)."""
        return self._ctx.store

    def apply_settings(self, settings: DermDeskSettings) -> None:
        """Settings chosen on the settings page: in use now and saved at once (SettingsError)."""
        self._ctx.store.save(settings)
        language_changed = settings.language != self.model.settings.language
        self.model.settings = settings
        if language_changed:
            ui_language().apply(settings.language, switch_open_screens=True)

    def active_task_threads(self) -> int:
        """Pool threads of this window still running a task (0 once the window is closed)."""
        desk = self.desk.active_task_threads()
        return self.tasks.active_thread_count() + self._still_tasks.active_thread_count() + desk

    # --- shutdown --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self._closed:
            self._closed = True
            self.standby.stop()
            if self.isVisible():
                self._layouts.remember(self)
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
        if self.model.settings == self._ctx.settings:
            return  # nothing chosen in this window: leave the file as it is
        try:
            self._ctx.store.save(self.model.settings)
        except SettingsError as exc:
            logger.error("%s", exc)
