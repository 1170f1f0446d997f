"""Patient records in the capture station: one call wires them into a MainWindow from outside.

`RecordsStation(window, settings)` opens the records once (on a worker), asks for the first
administrator or a sign-in, adds the "Patients" dock (tabbed with the analysis panel) and a "Records"
menu, files the window's saved stills (`MainWindow.sig_still_saved`) to the chosen lesion, opens
lesion timelines and diagnosis forms, and locks after `settings.idle_lock_minutes` without input.
The main window itself knows nothing about records: `dermdesk.ui.app` attaches the station, and the
walk-through test attaches it the same way.

Locking or signing out closes every window that shows patient data (timelines, diagnosis forms,
open dialogs) and clears the dock; the capture station keeps running, saving stills to its session
folder only. When the window closes, the station's tasks finish (a still being filed is filed), the
timer stops and the database is closed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QToolButton, QWidget

from dermdesk.records import LesionInfo, PredictionInput, SecurityPolicy
from dermdesk.records.base import utcnow
from dermdesk.settings import DermDeskSettings
from dermdesk.ui.capture_filing import CaptureFiler
from dermdesk.ui.diagnosis_form import DiagnosisForm
from dermdesk.ui.idle_lock import IdleLock
from dermdesk.ui.lesion_timeline import LesionTimeline
from dermdesk.ui.records_dock import RecordsDock
from dermdesk.ui.records_session import Clock, RecordsSession
from dermdesk.ui.report_dialog import ReportDialog
from dermdesk.ui.sign_in_flow import SignInFlow
from dermdesk.ui.worker import TaskRunner

logger = logging.getLogger(__name__)

TARGET_STYLE = "color: #1f6fb2; font-weight: bold;"
MODEL_KEYS = frozenset({"name", "version", "sha256"})


def live_prediction(window: QMainWindow) -> PredictionInput | None:
    """The live classification's newest result as a prediction to file, if there is a current one."""
    classification = getattr(getattr(window, "analysis", None), "classification", None)
    if classification is None or getattr(classification, "paused", False):
        return None
    display = getattr(classification, "last_display", None)
    result = getattr(display, "result", None)
    model = getattr(result, "model", None)
    if result is None or result.assessment is None or not isinstance(model, Mapping):
        return None
    if not set(model) >= MODEL_KEYS:
        return None
    return PredictionInput.from_assessment(result.assessment, model, result.latency_ms)


def camera_exposure(window: QMainWindow) -> float | None:
    """The manual exposure the camera is set to (None when automatic or unknown)."""
    controls = getattr(getattr(getattr(window, "desk", None), "profile", None), "controls", None)
    if not isinstance(controls, Mapping) or controls.get("exposure.auto"):
        return None
    value = controls.get("exposure")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class RecordsStation(QObject):
    """Everything records adds to one station window."""

    def __init__(
        self,
        window: QMainWindow,
        settings: DermDeskSettings,
        *,
        clock: Clock = utcnow,
        policy: SecurityPolicy | None = None,
        auto_credentials: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.tasks = TaskRunner(window, max_threads=2)
        self.session = RecordsSession(settings, self.tasks, self, clock=clock, policy=policy)
        self.sign_in = SignInFlow(self.session, window, auto_credentials=auto_credentials)
        self.dock = RecordsDock(self.session, window)
        self.filer = CaptureFiler(
            self.session,
            self,
            prediction=lambda: live_prediction(window),
            exposure=lambda: camera_exposure(window),
        )
        self.idle = IdleLock(settings.idle_lock_minutes, self)
        self.patient_windows: list[QWidget] = []
        self.target_label = QLabel(window)
        self.target_label.setStyleSheet(TARGET_STYLE)
        self.stop_filing_button = QToolButton(window)
        self.stop_filing_button.setText("Stop filing")
        self.stop_filing_button.setToolTip("Stills are kept in the session folder only")
        self._closed = False
        self._place_widgets()
        self._connect()
        self._show_target()
        window.installEventFilter(self)
        self.session.open()

    # --- construction ----------------------------------------------------------------------------

    def _place_widgets(self) -> None:
        window = self.window
        # Left, sharing a tab with the camera controls: the live analysis on the right stays in view.
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        desk = getattr(window, "desk", None)
        camera_dock = getattr(desk, "controls_dock", None)
        if camera_dock is not None:
            window.tabifyDockWidget(camera_dock, self.dock)
        self.dock.raise_()
        window.statusBar().addWidget(self.target_label)
        window.statusBar().addWidget(self.stop_filing_button)
        menu = QMenu("&Records", window)
        self.lock_action = QAction("&Lock now", window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.sign_out_action = QAction("Sign &out", window)
        menu.addAction(self.dock.toggleViewAction())
        menu.addSeparator()
        menu.addAction(self.lock_action)
        menu.addAction(self.sign_out_action)
        actions = window.menuBar().actions()
        help_action = next((a for a in actions if a.text().replace("&", "") == "Help"), None)
        if help_action is not None:
            window.menuBar().insertMenu(help_action, menu)
        else:
            window.menuBar().addMenu(menu)

    def _connect(self) -> None:
        session = self.session
        self.window.sig_still_saved.connect(self.filer.file)  # type: ignore[attr-defined]
        self.filer.sig_message.connect(lambda text: self.window.statusBar().showMessage(text, 8000))
        session.sig_opened.connect(lambda _report: self.sign_in.ask())
        session.sig_signed_in.connect(lambda _user: self._on_signed_in())
        session.sig_locked.connect(self._on_records_hidden)
        session.sig_signed_out.connect(self._on_records_hidden)
        session.sig_target_changed.connect(lambda _target: self._show_target())
        self.idle.sig_idle.connect(session.lock)
        self.dock.sig_sign_in_requested.connect(self.sign_in.ask)
        self.dock.sig_timeline_requested.connect(self.open_timeline)
        self.dock.sig_diagnosis_requested.connect(self.open_diagnosis)
        self.dock.sig_report_requested.connect(self.open_report)
        self.lock_action.triggered.connect(session.lock)
        self.sign_out_action.triggered.connect(session.sign_out)
        self.stop_filing_button.clicked.connect(lambda: session.set_target(None))

    # --- state -----------------------------------------------------------------------------------

    def _show_target(self) -> None:
        """The status bar says where stills go, unless nothing is chosen or the records are locked."""
        target = self.session.target
        shown = target is not None and self.session.clinical_user is not None
        self.target_label.setText(f"Filing stills to {target.text}" if shown and target else "")
        self.target_label.setVisible(shown)
        self.stop_filing_button.setVisible(shown)

    def _on_signed_in(self) -> None:
        self.idle.arm()
        self._show_target()

    def _on_records_hidden(self) -> None:
        self.idle.disarm()
        for window in list(self.patient_windows):
            window.close()
        self.patient_windows.clear()
        self._show_target()

    # --- patient windows -------------------------------------------------------------------------

    def _track(self, widget: QWidget) -> None:
        self.patient_windows.append(widget)
        widget.destroyed.connect(lambda *_: self._forget(widget))
        widget.show()
        widget.raise_()

    def _forget(self, widget: QWidget) -> None:
        if widget in self.patient_windows:
            self.patient_windows.remove(widget)

    def open_timeline(self, record_number: str, lesion: LesionInfo) -> LesionTimeline:
        records = self.session.require_records()
        timeline = LesionTimeline(record_number, lesion, records.store, self.tasks, self.window)
        self._track(timeline)
        return timeline

    def open_diagnosis(self, record_number: str, lesion: LesionInfo) -> DiagnosisForm:
        form = DiagnosisForm(self.session, record_number, lesion, self.window)
        form.sig_filed.connect(lambda _diagnosis: self.session.patient_changed(record_number))
        self._track(form)
        return form

    def open_report(self, record_number: str, visit: date | None) -> ReportDialog:
        dialog = ReportDialog(self.session, record_number, visit, self.window)
        self._track(dialog)
        return dialog

    # --- shutdown --------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """The window closes: finish tasks (a still being filed is filed), stop the timer, close."""
        if self._closed:
            return
        self._closed = True
        self.idle.stop()
        self.sign_in.close()
        self.dock.close_dialog()
        for window in list(self.patient_windows):
            window.close()
        self.tasks.shutdown()
        self.session.close()
        logger.info("Patient records closed")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False
