"""Patient records in the capture station: one call wires them into a MainWindow from outside.

`RecordsStation(window)` opens the records once (on a worker), asks for the first
administrator or a sign-in, adds the "Patients" dock (tabbed with the analysis panel) and a "Records"
menu, files the window's saved stills (`MainWindow.sig_still_saved`) to the chosen lesion, opens
lesion timelines and diagnosis forms, and locks after `settings.idle_lock_minutes` without input.
The main window itself knows nothing about records: `dermdesk.ui.shell.app` attaches the station, and the
walk-through test attaches it the same way.

Locking or signing out closes every window that shows patient data (timelines, diagnosis forms,
open dialogs) and clears the dock; the capture station keeps running, saving stills to its session
folder only. When the window closes, the station's tasks finish (a still being filed is filed), the
timer stops and the database is closed.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QToolButton, QWidget

from dermdesk.consults.sender import ConsultRunReport
from dermdesk.filing import CaptureTarget, camera_exposure, live_prediction
from dermdesk.records import LesionInfo, Role, SecurityPolicy, StartupReport
from dermdesk.records.base import utcnow
from dermdesk.settings import DermDeskSettings
from dermdesk.station import PatientInView
from dermdesk.sync.update_offer import UpdateOffer
from dermdesk.ui.admin.audit_warning import audit_warning_text, show_audit_warning
from dermdesk.ui.admin.connection_section import ConnectionSection
from dermdesk.ui.admin.idle_lock import IdleLock
from dermdesk.ui.admin.language_section import LanguageSection
from dermdesk.ui.admin.own_password import OwnPassword
from dermdesk.ui.admin.settings_page import SettingsPage, UploadSection, default_sections
from dermdesk.ui.admin.sign_in_flow import SignInFlow
from dermdesk.ui.common.records_session import Clock, RecordsSession, ServerState
from dermdesk.ui.common.worker import TaskRunner
from dermdesk.ui.records.capture_filing import CaptureFiler
from dermdesk.ui.records.central_link import CentralLink
from dermdesk.ui.records.change_watch import ChangeWatch
from dermdesk.ui.records.clinic_systems import FhirExportDialog, PacsSendDialog
from dermdesk.ui.records.consult_dialog import ConsultDialog
from dermdesk.ui.records.consult_inbox import ConsultInbox, run_sender
from dermdesk.ui.records.dicom_export_dialog import DicomExportDialog
from dermdesk.ui.records.interop_settings import ClinicSystemsSection
from dermdesk.ui.records.lesion_timeline import LesionTimeline
from dermdesk.ui.records.model_update_dialog import ModelUpdateDialog
from dermdesk.ui.records.picture_recheck import PictureRecheck
from dermdesk.ui.records.records_dock import RecordsDock
from dermdesk.ui.records.server_status import ServerStatus
from dermdesk.ui.records.upload_queue import UploadQueueView
from dermdesk.ui.records.worklist_dialog import WorklistDialog
from dermdesk.ui.reports.diagnosis_form import DiagnosisForm
from dermdesk.ui.reports.report_dialog import ReportDialog
from dermdesk.ui.shell.main_window import MainWindow

logger = logging.getLogger(__name__)

TARGET_STYLE = "color: #1f6fb2; font-weight: bold;"


class RecordsStation(QObject):
    """Everything records adds to one station window."""

    def __init__(
        self,
        window: MainWindow,
        *,
        clock: Clock = utcnow,
        policy: SecurityPolicy | None = None,
        auto_credentials: tuple[str, str] | None = None,
        central_options: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.model = model = window.model
        settings = model.settings
        model.patient_required = True  # with records, stills are only for the patient in the banner
        self.tasks = TaskRunner(window, max_threads=2)
        self.session = RecordsSession(settings, self.tasks, self, clock=clock, policy=policy)
        self.sign_in = SignInFlow(self.session, window, auto_credentials=auto_credentials)
        self.own_password = OwnPassword(self.session, window)
        self.dock = RecordsDock(self.session, model, window)
        self.filer = CaptureFiler(
            self.session,
            self,
            prediction=lambda: live_prediction(model.live_result),
            exposure=lambda: camera_exposure(model.settings.camera_profile(str(model.source)).controls),
        )
        self.idle = IdleLock(settings.idle_lock_minutes, self)
        self.recheck = PictureRecheck(self.session, model, self)
        self.consult_timer = QTimer(self)  # the consult outbox and replies, while someone is signed in
        self.consult_timer.setInterval(settings.upload_interval_minutes * 60_000)
        self.consult_timer.timeout.connect(self._consult_pass)
        self._consult_running = False
        self.change_watch = ChangeWatch(self.session, model, self)  # another room's changes appear
        self.patient_windows: list[QWidget] = []
        self.startup_report: StartupReport | None = None
        self.audit_box: QMessageBox | None = None
        self._audit_warned = False
        self.target_label = QLabel(window)
        self.target_label.setStyleSheet(TARGET_STYLE)
        self.stop_filing_button = QToolButton(window)
        self.stop_filing_button.setText(self.tr("Stop filing"))
        self.stop_filing_button.setToolTip(self.tr("Stills are kept in the session folder only"))
        self.server_status = ServerStatus(self.session, window)
        self.central = CentralLink(
            self.session,
            model,
            self.tasks,
            window,
            store=window.settings_store,
            apply_settings=self._apply_settings,
            **(central_options or {}),
        )
        self.queue_view: UploadQueueView | None = None
        self.update_dialog: ModelUpdateDialog | None = None
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
        window.tabifyDockWidget(window.desk.controls_dock, self.dock)
        self.dock.raise_()
        window.statusBar().addWidget(self.target_label)
        window.statusBar().addWidget(self.stop_filing_button)
        window.statusBar().addPermanentWidget(self.server_status)  # passing messages must not hide it
        window.statusBar().addPermanentWidget(self.central.status_label)
        menu = QMenu(self.tr("&Records"), window)
        self.lock_action = QAction(self.tr("&Lock now"), window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.sign_out_action = QAction(self.tr("Sign &out"), window)
        self.own_password_action = QAction(self.tr("&Change my password…"), window)
        self.settings_action = QAction(self.tr("Station &settings…"), window)
        self.settings_action.setToolTip(
            self.tr("Administrators: clinic letterhead, paper, lock, camera, uploads")
        )
        self.settings_action.setEnabled(False)
        self.settings_page: SettingsPage | None = None
        menu.addAction(self.dock.toggleViewAction())
        self.worklist_action = QAction(self.tr("Today's &worklist…"), window)
        menu.addAction(self.worklist_action)
        self.inbox_action = QAction(self.tr("Consult &inbox (teledermatology)…"), window)
        self.inbox_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        menu.addAction(self.inbox_action)
        self.queue_action = QAction(self.tr("&Upload queue (central service)…"), window)
        menu.addAction(self.queue_action)
        self.update_action = QAction(self.tr("&Model update…"), window)
        self.update_action.setEnabled(False)
        menu.addAction(self.update_action)
        menu.addSeparator()
        menu.addAction(self.lock_action)
        menu.addAction(self.own_password_action)
        menu.addAction(self.settings_action)
        menu.addAction(self.sign_out_action)
        window.menuBar().insertMenu(window.help_menu.menuAction(), menu)  # Help stays last, in any language

    def _connect(self) -> None:
        session = self.session
        self.window.sig_still_saved.connect(self.filer.file)
        self.filer.sig_message.connect(lambda text: self.window.statusBar().showMessage(text, 8000))
        session.sig_opened.connect(self._on_opened)
        session.sig_server.connect(self._on_server)
        session.sig_signed_in.connect(lambda _user: self._on_signed_in())
        session.sig_locked.connect(self._on_records_hidden)
        session.sig_signed_out.connect(self._on_records_hidden)
        session.sig_target_changed.connect(self._on_session_target)
        self.model.target_changed.connect(self._on_model_target)
        self.model.patient_changed.connect(self._on_patient_in_view)
        self.idle.sig_idle.connect(session.lock_when_idle)
        self.dock.sig_sign_in_requested.connect(self.sign_in.ask)
        self.dock.sig_timeline_requested.connect(self.open_timeline)
        self.dock.sig_diagnosis_requested.connect(self.open_diagnosis)
        self.dock.sig_report_requested.connect(self.open_report)
        self.dock.sig_dicom_requested.connect(self.open_dicom_export)
        self.dock.sig_pacs_requested.connect(self.open_pacs_send)
        self.dock.sig_fhir_requested.connect(self.open_fhir_export)
        self.worklist_action.triggered.connect(self.open_worklist)
        self.dock.sig_consult_requested.connect(self.open_consult)
        self.inbox_action.triggered.connect(self.open_inbox)
        self.queue_action.triggered.connect(self.open_queue)
        self.update_action.triggered.connect(self.open_update)
        self.central.sig_offer.connect(self._on_offer)
        self.central.sig_update_problem.connect(lambda text: self.window.statusBar().showMessage(text, 20000))
        self.lock_action.triggered.connect(session.lock)
        self.sign_out_action.triggered.connect(session.sign_out)
        self.own_password_action.triggered.connect(self.own_password.ask)
        self.settings_action.triggered.connect(self.open_settings)
        self.stop_filing_button.clicked.connect(lambda: session.set_target(None))

    # --- state -----------------------------------------------------------------------------------

    def _show_target(self) -> None:
        """The status bar says where stills go, unless nothing is chosen or the records are locked."""
        target = self.session.target
        shown = target is not None and self.session.clinical_user is not None
        self.target_label.setText(
            self.tr("Filing stills to {text}").format(text=target.text) if shown and target else ""
        )
        self.target_label.setVisible(shown)
        self.stop_filing_button.setVisible(shown)

    def _on_session_target(self, target: CaptureTarget | None) -> None:
        if target is None or (
            self.model.patient and self.model.patient.record_number == target.record_number
        ):
            self.model.set_target(target)
        self._show_target()

    def _on_model_target(self, target: CaptureTarget | None) -> None:
        self.session.set_target(target)
        self._show_target()

    def _on_patient_in_view(self, patient: PatientInView | None) -> None:
        """Another patient (or none) on screen: windows about anyone else close, so all agree."""
        number = patient.record_number if patient is not None else None
        for window in list(self.patient_windows):
            if getattr(window, "record_number", None) != number:
                window.close()

    def _on_opened(self, report: StartupReport) -> None:
        self.startup_report = report
        self.central.start()  # cases leave while the station runs, signed in or not
        self.sign_in.ask()

    def open_queue(self) -> UploadQueueView:
        """The upload queue window (anyone at the station: it shows picture numbers and states only)."""
        if self.queue_view is not None:
            self.queue_view.raise_()
            return self.queue_view
        view = UploadQueueView(self.central, self.window)
        view.destroyed.connect(self._on_queue_closed)
        view.show()
        self.queue_view = view
        return view

    def _on_queue_closed(self) -> None:
        self.queue_view = None

    def _on_offer(self, offer: UpdateOffer | None) -> None:
        self.update_action.setEnabled(offer is not None)
        if offer is not None:
            who = "" if self.central.may_install() else self.tr(" (an administrator installs it)")
            self.window.statusBar().showMessage(
                self.tr("A model update ({version}) is waiting{who}: Records ▸ Model update…").format(
                    version=offer.version, who=who
                ),
                20000,
            )

    def open_update(self) -> ModelUpdateDialog | None:
        offer = self.central.offer
        if offer is None:
            return None
        if self.update_dialog is not None:
            self.update_dialog.close()
        dialog = ModelUpdateDialog(self.central, offer, self.window)
        dialog.destroyed.connect(lambda *_: setattr(self, "update_dialog", None))
        dialog.show()
        self.update_dialog = dialog
        return dialog

    def open_settings(self) -> SettingsPage | None:
        """The station settings page (administrators); saving applies the settings at once."""
        user = self.session.clinical_user
        if user is None or user.role is not Role.ADMIN:
            return None
        if self.settings_page is not None:
            self.settings_page.raise_()
            return self.settings_page
        sections = [ConnectionSection() if isinstance(s, UploadSection) else s for s in default_sections()]
        page = SettingsPage(
            self.model.settings,
            self._apply_settings,
            self.window,
            sections=[LanguageSection(), *sections, ClinicSystemsSection()],
        )
        page.destroyed.connect(self._on_settings_page_closed)
        page.show()
        self.settings_page = page
        return page

    def _apply_settings(self, settings: DermDeskSettings) -> None:
        connection_changed = (settings.upload_url, settings.device_token) != (
            self.model.settings.upload_url,
            self.model.settings.device_token,
        )
        self.window.apply_settings(settings)
        self.session.settings = settings  # reports and letters use the new letterhead at once
        self.central.send_timer.setInterval(settings.upload_interval_minutes * 60_000)
        if connection_changed:
            self.central.send_now()
            self.central.check_update()

    def _on_settings_page_closed(self) -> None:
        self.settings_page = None

    def _on_server(self, state: ServerState) -> None:
        """The clinic server answers again: what the dock shows (or failed to show) is read afresh."""
        if state.reachable and self.session.clinical_user is not None:
            self.dock.refresh()

    def _on_signed_in(self) -> None:
        user = self.session.clinical_user
        self.settings_action.setEnabled(user is not None and user.role is Role.ADMIN)
        self.model.set_user(user)
        warning = audit_warning_text(self.startup_report, user) if user is not None else None
        if warning is not None and not self._audit_warned:
            self._audit_warned = True  # once per start: an administrator has been told
            self.audit_box = show_audit_warning(self.window, warning)
        self.dock.raise_()  # the patients (or the accounts) are what a person signing in wants
        self.idle.arm()
        self._show_target()
        if self.model.settings.upload_url and self.model.settings.device_token:
            self.consult_timer.start()

    def _consult_pass(self) -> None:
        """Send queued consults and file replies in the background (the inbox does the same on demand)."""
        if self._consult_running or self.session.clinical_user is None:
            return
        self._consult_running = True
        self.tasks.start(run_sender, self.session, name="consult-sync", on_done=self._on_consult_pass)

    def _on_consult_pass(self, report: ConsultRunReport | None, error: BaseException | None) -> None:
        self._consult_running = False
        if error is not None or report is None:
            logger.warning("Consult pass failed: %s", error)
            return
        if report.replies or report.escalated:
            self.window.statusBar().showMessage(
                self.tr("Consults: {summary} — see the consult inbox").format(summary=report.summary()), 15000
            )
            self._on_consults_changed()

    def _on_records_hidden(self) -> None:
        self.consult_timer.stop()
        self.model.set_user(None)
        self.window.forget_stills()
        self.settings_action.setEnabled(False)
        if self.settings_page is not None:
            self.settings_page.close()
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

    def _patient(self, record_number: str) -> PatientInView | None:
        patient = self.model.patient
        return patient if patient is not None and patient.record_number == record_number else None

    def open_timeline(self, record_number: str, lesion: LesionInfo) -> LesionTimeline:
        records = self.session.require_records()
        timeline = LesionTimeline(
            record_number,
            lesion,
            records.store,
            self.tasks,
            self.window,
            patient=self._patient(record_number),
            specialist=self._answers(record_number, lesion.label),
            session=self.session,
            other_labels=self._other_lesions(record_number, lesion.label),
        )
        self._track(timeline)
        return timeline

    def _answers(self, record_number: str, label: str) -> tuple[str, ...]:
        """The dermatologists' answers about the lesion, for its timeline."""
        user = self.session.clinical_user
        if user is None:
            return ()
        consults = self.session.require_records().consults.inbox(user, record_number=record_number)
        return tuple(
            line
            for consult in reversed(consults)
            if consult.lesion_label == label
            for reply in consult.replies
            if reply.is_answer
            for line in reply.lines()
        )

    def _other_lesions(self, record_number: str, label: str) -> tuple[str, ...]:
        """The patient's other lesions (a picture may be moved to one of them)."""
        record = self.dock.patient_page.record
        if record is None or record.record_number != record_number:
            return ()
        return tuple(lesion.label for lesion in record.lesions if lesion.label != label)

    def open_diagnosis(self, record_number: str, lesion: LesionInfo) -> DiagnosisForm:
        form = DiagnosisForm(
            self.session, record_number, lesion, self.window, patient=self._patient(record_number)
        )
        form.sig_filed.connect(lambda _diagnosis: self.session.patient_changed(record_number))
        self._track(form)
        return form

    def open_consult(self, record_number: str, lesion: LesionInfo) -> ConsultDialog | None:
        if self.session.clinical_user is None:
            return None
        dialog = ConsultDialog(
            self.session, record_number, lesion, self.window, patient=self._patient(record_number)
        )
        self._track(dialog)
        return dialog

    def open_inbox(self) -> ConsultInbox | None:
        if self.session.clinical_user is None:
            return None
        inbox = ConsultInbox(self.session, self.window, live_frame=self._live_frame)
        inbox.sig_changed.connect(self._on_consults_changed)
        self._track(inbox)
        return inbox

    def _live_frame(self) -> np.ndarray | None:
        """The newest picture of the live source (for a consult's clip), or None."""
        bridge = self.window.bridge
        frame = bridge.grabber.latest() if bridge is not None else None
        return None if frame is None else frame.image

    def _on_consults_changed(self) -> None:
        patient = self.model.patient
        if patient is not None:
            self.session.patient_changed(patient.record_number)

    def open_report(self, record_number: str, visit: date | None) -> ReportDialog:
        dialog = ReportDialog(
            self.session, record_number, visit, self.window, patient=self._patient(record_number)
        )
        self._track(dialog)
        return dialog

    def open_dicom_export(self, record_number: str, visit: date | None) -> DicomExportDialog | None:
        user = self.session.clinical_user
        if user is None:
            return None
        records, settings = self.session.require_records(), self.model.settings
        dialog = DicomExportDialog(
            self.window, records, user, record_number, visit, settings, patient=self._patient(record_number)
        )
        self._track(dialog)
        return dialog

    def open_pacs_send(self, record_number: str, visit: date | None) -> PacsSendDialog | None:
        user = self.session.clinical_user
        if user is None:
            return None
        records, settings = self.session.require_records(), self.model.settings
        dialog = PacsSendDialog(
            self.window, records, user, record_number, visit, settings, patient=self._patient(record_number)
        )
        self._track(dialog)
        return dialog

    def open_fhir_export(self, record_number: str, visit: date | None) -> FhirExportDialog | None:
        user = self.session.clinical_user
        if user is None:
            return None
        records, settings = self.session.require_records(), self.model.settings
        dialog = FhirExportDialog(
            self.window, records, user, record_number, visit, settings, patient=self._patient(record_number)
        )
        self._track(dialog)
        return dialog

    def open_worklist(self) -> WorklistDialog | None:
        user = self.session.clinical_user
        if user is None:
            return None
        dialog = WorklistDialog(self.window, self.session.require_records(), user, self.model.settings)
        dialog.sig_patient_picked.connect(self.dock.open_patient)
        dialog.sig_patient_picked.connect(lambda _number: self.dock.raise_())
        self._track(dialog)
        return dialog

    # --- shutdown --------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """The window closes: finish tasks (a still being filed is filed), stop the timer, close."""
        if self._closed:
            return
        self._closed = True
        self.idle.stop()
        self.recheck.stop()
        self.consult_timer.stop()
        self.central.stop()
        if self.queue_view is not None:
            self.queue_view.close()
        if self.update_dialog is not None:
            self.update_dialog.close()
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
