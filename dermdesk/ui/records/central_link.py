"""The station's link to the central service: background sending and the daily model-update check.

Why here and not a separate command: a clinic should not have to set up a service for cases to leave,
nor watch a terminal to know they did. While the window runs, a pass of the uploader
(`dermdesk.sync.station_sender.send_pass`) runs on the window's worker pool at start and every
`upload_interval_minutes`; the model check runs at start and daily. Both stop with the window: a pass
in flight finishes the case on its way and leaves the rest queued (its idempotency key makes any
resend harmless). The status bar shows the queue's counts; `sig_snapshot` feeds the queue view.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from dermdesk.records import RecordsError, Role
from dermdesk.records.access import Permission
from dermdesk.records.audit import AuditAction
from dermdesk.settings import DermDeskSettings, SettingsStore
from dermdesk.station import StationModel
from dermdesk.sync import contact as contact_file
from dermdesk.sync import updates
from dermdesk.sync.station_sender import (
    PassOutcome,
    QueueSnapshot,
    SessionFactory,
    queue_snapshot,
    send_pass,
)
from dermdesk.sync.update_offer import UpdateOffer, check_for_update, decline, describe_refusal
from dermdesk.sync.updates import UpdateCheckError, UpdateError
from dermdesk.sync.uploader import UploadError, make_session, reason_in_words
from dermdesk.tasks import TaskState
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.worker import TaskRunner

logger = logging.getLogger(__name__)

DAY_MS = 24 * 60 * 60 * 1000
Now = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class CentralLink(QObject):
    """Sends the upload queue in the background and checks for model updates, for one window."""

    sig_snapshot = Signal(object)
    """A fresh QueueSnapshot (after every pass and every change from the queue view)."""
    sig_offer = Signal(object)
    """An UpdateOffer waiting for an administrator, or None when there is none any more."""
    sig_update_problem = Signal(str)
    """A model-update check failed or refused a package; the line says why (nothing was installed)."""

    def __init__(
        self,
        session: RecordsSession,
        model: StationModel,
        tasks: TaskRunner,
        parent: QWidget,
        *,
        store: SettingsStore | None = None,
        apply_settings: Callable[[DermDeskSettings], None] | None = None,
        session_factory: SessionFactory = make_session,
        now: Now = _utcnow,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.apply_settings = apply_settings
        self.session = session
        self.model = model
        self.tasks = tasks
        self.session_factory = session_factory
        self.now = now
        self.status_label = QLabel(parent)
        self.status_label.setObjectName("uploadStatus")
        self.send_timer = QTimer(self)
        self.send_timer.timeout.connect(self.send_now)
        self.update_timer = QTimer(self)
        self.update_timer.setInterval(DAY_MS)
        self.update_timer.timeout.connect(self.check_update)
        self.snapshot: QueueSnapshot | None = None
        self.last_outcome: PassOutcome | None = None
        self.offer: UpdateOffer | None = None
        self.update_problem: str | None = None
        self.next_try: datetime | None = None
        self._sending = False
        self._checking = False
        self._check_when_reached = False
        self._stopped = False
        self._show_status()

    # --- what is configured -------------------------------------------------------------------

    def configured(self) -> bool:
        settings = self.model.settings
        return bool(settings.upload_url and settings.device_token)

    def start(self) -> None:
        """The records are open: a pass and a model check now, then on their timers."""
        if self._stopped:
            return
        self.send_timer.setInterval(self.model.settings.upload_interval_minutes * 60_000)
        self.send_timer.start()
        self.update_timer.start()
        self.send_now()
        self.check_update()

    def stop(self) -> None:
        """The window closes: no new pass; one in flight ends with the case on its way."""
        self._stopped = True
        self.send_timer.stop()
        self.update_timer.stop()

    # --- sending ------------------------------------------------------------------------------

    def send_now(self) -> None:
        if self._stopped or self._sending:
            return
        if self.session.records is None:
            return
        self._sending = True
        self.tasks.start(
            _run_pass,
            self.session,
            self.model.settings,
            self.session_factory,
            self.now,
            self.configured(),
            name="upload-pass",
            on_done=self._on_pass,
        )

    def _on_pass(
        self, result: tuple[PassOutcome | None, QueueSnapshot] | None, error: BaseException | None
    ) -> None:
        self._sending = False
        if self._stopped:
            return
        if error is not None or result is None:
            if error is not None:
                logger.warning("Upload pass failed: %s", type(error).__name__)
            return
        outcome, snapshot = result
        self.last_outcome = outcome
        reached = outcome is not None and outcome.report is not None and outcome.problem is None
        if reached and self._check_when_reached:  # the last check found the centre away
            self.check_update()
        if self.send_timer.isActive():
            self.next_try = self.now() + timedelta(milliseconds=self.send_timer.remainingTime())
        self._set_snapshot(snapshot)

    def refresh(self) -> None:
        """Read the queue again (on a worker) and tell the views."""
        if self._stopped or self.session.records is None:
            return
        self.tasks.start(
            _snapshot, self.session, self.model.settings, name="upload-queue", on_done=self._on_snapshot
        )

    def _on_snapshot(self, snapshot: QueueSnapshot | None, error: BaseException | None) -> None:
        if snapshot is not None and not self._stopped:
            self._set_snapshot(snapshot)

    def _set_snapshot(self, snapshot: QueueSnapshot) -> None:
        self.snapshot = snapshot
        self._show_status()
        self.sig_snapshot.emit(snapshot)

    def retry_failed(self) -> None:
        """Cases refused for good go back in the queue (the cause was fixed), then a pass."""
        records = self.session.require_records()
        count = records.outbox.requeue_failed()
        logger.info("%d failed case(s) queued again from the window", count)
        self.send_now()

    def set_paused(self, pause: bool) -> None:
        contact_file.set_paused(self.model.settings, pause)
        self._show_status()
        if not pause:
            self.send_now()
        else:
            self.refresh()

    def paused(self) -> bool:
        return contact_file.paused(self.model.settings)

    # --- model updates ------------------------------------------------------------------------

    def check_update(self) -> None:
        if self._stopped or self._checking or not self.configured():
            return
        self._checking = True
        self.tasks.start(
            _run_check, self.model.settings, self.session_factory, name="model-check", on_done=self._on_check
        )

    def _on_check(self, result: UpdateOffer | UpdateError | None, error: BaseException | None) -> None:
        self._checking = False
        if self._stopped:
            return
        if isinstance(result, UpdateError):
            result, error = None, result
        offer = result
        self._check_when_reached = isinstance(error, UpdateCheckError)
        if error is not None:
            self.update_problem = describe_refusal(error) if isinstance(error, UpdateError) else str(error)
            logger.warning("Model update check: %s", type(error).__name__)
            self.sig_update_problem.emit(self.update_problem)
        else:
            self.update_problem = None
        self.offer = offer
        self._show_status()
        self.sig_offer.emit(offer)

    def install(self, offer: UpdateOffer) -> DermDeskSettings:
        """An administrator installs the offer: verified again, switched to, audited (UpdateError)."""
        user = self.session.clinical_user
        if user is None or user.role is not Role.ADMIN or self.store is None:
            raise UpdateError(self.tr("Only an administrator can install a model update."))
        records = self.session.require_records()
        before = str(self.model.settings.model_dir or "shipped model")
        records.audit.require(user, Permission.MANAGE_MODELS, AuditAction.MODEL_SWITCH)
        updated = updates.use_model(self.model.settings, self.store, offer.folder)
        records.audit.model_change(
            user,
            AuditAction.MODEL_SWITCH,
            {"from": before, "to": str(offer.folder), "version": offer.version},
        )
        if self.apply_settings is not None:
            self.apply_settings(updated)
        self.offer_handled()
        return updated

    def decline(self, offer: UpdateOffer) -> None:
        """An administrator declines this version: not offered again (a newer one will be)."""
        if not self.may_install():
            raise UpdateError(self.tr("Only an administrator can decline a model update."))
        decline(self.model.settings, offer)
        self.offer_handled()

    def offer_handled(self) -> None:
        """Installed or declined: the status bar stops announcing it."""
        self.offer = None
        self._show_status()
        self.sig_offer.emit(None)

    def may_install(self) -> bool:
        user = self.session.clinical_user
        return user is not None and user.role is Role.ADMIN

    # --- the status bar -----------------------------------------------------------------------

    def _show_status(self) -> None:
        parts: list[str] = []
        if not self.configured():
            waiting = self.snapshot.counts.get("queued", 0) if self.snapshot else 0
            if waiting:
                parts.append(self.tr("Uploads: %n case(s) waiting, no central service set up", "", waiting))
        elif self.snapshot is not None:
            counts = self.snapshot.counts
            queued = counts.get("queued", 0) + counts.get("sending", 0)
            parts.append(
                self.tr("Uploads: {queued} queued · {sent} sent · {failed} failed").format(
                    queued=queued, sent=counts.get("sent", 0), failed=counts.get("failed", 0)
                )
            )
            if self.paused():
                parts.append(self.tr("sending paused"))
            elif self.last_outcome is not None and self.last_outcome.problem:
                parts.append(self.tr("not reaching the central service"))
        if self.offer is not None:
            parts.append(self.tr("model update {version} waiting").format(version=self.offer.version))
        self.status_label.setText(" · ".join(parts))
        self.status_label.setVisible(bool(parts))
        problem = self.last_outcome.problem if self.last_outcome else None
        tip = reason_in_words(problem) if problem else ""
        self.status_label.setToolTip(tip or self.tr("Records ▸ Upload queue… shows the cases"))


def _run_pass(
    state: TaskState,
    session: RecordsSession,
    settings: DermDeskSettings,
    factory: SessionFactory,
    now: Now,
    configured: bool,
) -> tuple[PassOutcome | None, QueueSnapshot] | None:
    """One pass (worker thread): send if configured, then read the queue as it is now. None while the
    records cannot be read (a clinic server away: the records session says so; the next pass retries)."""
    records = session.require_records()
    outcome = None
    try:
        if configured:
            state.set_progress(0.0, "Sending cases to the central service")
            outcome = send_pass(
                records, settings, session_factory=factory, should_stop=state.is_cancelled, now=now
            )
        return outcome, queue_snapshot(records, settings)
    except RecordsError as exc:
        logger.warning("Upload pass: the records cannot be read now (%s)", type(exc).__name__)
        return None


def _snapshot(state: TaskState, session: RecordsSession, settings: DermDeskSettings) -> QueueSnapshot | None:
    try:
        return queue_snapshot(session.require_records(), settings)
    except RecordsError as exc:
        logger.warning("Upload queue: the records cannot be read now (%s)", type(exc).__name__)
        return None


def _run_check(
    state: TaskState, settings: DermDeskSettings, factory: SessionFactory
) -> UpdateOffer | UpdateError | None:
    """The offer, None when up to date, or why not (an expected outcome, not a crash: no traceback)."""
    state.set_progress(0.0, "Checking for a model update")
    try:
        return check_for_update(settings, factory(settings))
    except UploadError as exc:  # no token, http:// to another machine
        return UpdateCheckError(str(exc))
    except UpdateError as exc:
        return exc
