"""The station's records, opened once per window, and who is signed in to them.

Why one object: the patient list, the body map, capture filing and the diagnosis form all need the
same `Records`, the same signed-in user and the same lock state. `RecordsSession` holds them and says
when they change (`sig_*`); widgets never open records themselves.

Opening (schema check, migrations, spooled captures, the integrity check) and every call that hashes
a password or writes an image runs on the window's TaskRunner (`call`), so the live view never waits
for the database. Quick reads and small writes (a patient list, registering a patient) run directly.

Locking keeps the user (only they, or another account signing in, can unlock) but forgets nothing
else: widgets listen to `sig_locked` and drop whatever patient data they show.

A clinic server that is away does not stop the window: the records open offline (`sig_server` says
so), a recent sign-in at this station still works, stills are spooled, and a timer asks the server
every `RECONNECT_INTERVAL_MS` on a worker (`Records.reconnect`); when it answers, the spool is filed
and `sig_server` says that too, without a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from dermdesk.filing import CaptureTarget
from dermdesk.records import (
    DatabaseUnavailable,
    FlushReport,
    IntegrityReport,
    Records,
    RecordsError,
    SecurityPolicy,
    StartupReport,
    UserInfo,
)
from dermdesk.records.base import utcnow
from dermdesk.settings import DermDeskSettings
from dermdesk.tasks import TaskState
from dermdesk.ui.common.worker import TaskRunner

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ServiceDone = Callable[[Any, BaseException | None], None]
RECONNECT_INTERVAL_MS = 10_000


@dataclass(frozen=True)
class ServerState:
    """Whether the clinic's records server answers, and a line for the status bar."""

    reachable: bool
    text: str


def _waiting(records: Records) -> int:
    return len(records.spool.pending()) if records.spool is not None else 0


def offline_text(waiting: int) -> str:
    kept = (
        QCoreApplication.translate("records_session", ", {waiting} picture(s) kept on this station").format(
            waiting=waiting
        )
        if waiting
        else ""
    )
    return QCoreApplication.translate(
        "records_session", "Records server unreachable: working offline{kept}"
    ).format(kept=kept)


@dataclass(frozen=True)
class OpenedRecords:
    records: Records
    report: StartupReport


def open_records(
    state: TaskState, settings: DermDeskSettings, clock: Clock, policy: SecurityPolicy | None
) -> OpenedRecords:
    """Open the records and run the start-up checks (worker thread)."""
    state.set_progress(0.1, QCoreApplication.translate("records_session", "Opening the patient records"))
    records = Records.open(settings, clock=clock, policy=policy, allow_offline=True)
    if not records.online:  # the clinic server is away: open offline, the reconnect timer takes over
        return OpenedRecords(
            records, StartupReport(FlushReport(waiting=_waiting(records)), IntegrityReport())
        )
    try:
        state.set_progress(
            0.5, QCoreApplication.translate("records_session", "Checking pictures against the records")
        )
        report = records.startup()
    except BaseException:
        records.close()
        raise
    return OpenedRecords(records, report)


@dataclass(frozen=True)
class _Refused:
    """The core refused the call (wrong password, invalid input): an answer, not a task failure."""

    error: RecordsError


def reconnect(state: TaskState, records: Records) -> tuple[FlushReport | None, int]:
    """Ask the server (worker thread): the flush report once it answers (None while it is away) and
    the pictures still waiting in the spool."""
    try:
        report = records.reconnect()
    except DatabaseUnavailable:
        return None, _waiting(records)
    return report, _waiting(records)


def _service_call(state: TaskState, fn: Callable[..., Any], *args: Any) -> Any:
    """Run one records call on a worker (password hashing, image files, a slow clinic server)."""
    try:
        return fn(*args)
    except RecordsError as exc:
        return _Refused(exc)


@dataclass(frozen=True)
class DiagnosisDraft:
    """What a diagnosis form held, unsaved, when the records locked (kept in memory, never on disk)."""

    diagnosis: str
    other: str
    notes: str


class RecordsSession(QObject):
    """This window's records, signed-in user, lock state and capture target."""

    sig_opened = Signal(object)
    """The StartupReport, once the records are open."""
    sig_open_failed = Signal(str)
    """Why the records could not be opened, for staff."""
    sig_signed_in = Signal(object)
    """The UserInfo now signed in (also after unlocking)."""
    sig_locked = Signal()
    """Patient data must be hidden now; the same user may unlock."""
    sig_signed_out = Signal()
    """Nobody is signed in any more."""
    sig_target_changed = Signal(object)
    """The CaptureTarget captures are filed to now, or None."""
    sig_patient_changed = Signal(str)
    """Something was filed for this record number (capture, lesion, diagnosis): views refresh."""
    sig_server = Signal(object)
    """The ServerState of a clinic records server when it changes (or spooled pictures were filed)."""

    def __init__(
        self,
        settings: DermDeskSettings,
        tasks: TaskRunner,
        parent: QObject | None = None,
        *,
        clock: Clock = utcnow,
        policy: SecurityPolicy | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.tasks = tasks
        self.clock = clock
        self.policy = policy
        self.records: Records | None = None
        self.user: UserInfo | None = None
        self.locked = False
        self.locked_when_idle = False  # the last lock came from the idle timer, not the person
        self.drafts: dict[tuple[int, str, str], DiagnosisDraft] = {}
        self.target: CaptureTarget | None = None
        self.server: ServerState | None = None  # None: a station of its own (SQLite), or not known yet
        self._closed = False
        self._probing = False
        self._reconnect_timer = QTimer(self)
        self._reconnect_timer.setInterval(RECONNECT_INTERVAL_MS)
        self._reconnect_timer.timeout.connect(self.check_server)

    # --- opening and closing ---------------------------------------------------------------------

    def open(self) -> None:
        """Open the records on a worker; `sig_opened` or `sig_open_failed` follows."""
        self.tasks.start(
            open_records, self.settings, self.clock, self.policy, name="open-records", on_done=self._on_open
        )

    def _on_open(self, opened: OpenedRecords | None, error: BaseException | None) -> None:
        if self._closed:
            if opened is not None:
                opened.records.close()
            return
        if error is not None or opened is None:
            message = self.tr("The patient records could not be opened: {error}").format(error=error)
            logger.error("%s", message)
            self.sig_open_failed.emit(message)
            return
        self.records = opened.records
        for line in opened.report.lines():
            logger.warning("Records start-up: %s", line)
        if not opened.records.database.is_sqlite:
            self._set_server(
                ServerState(True, self.tr("Records server connected"))
                if opened.records.online
                else ServerState(False, offline_text(opened.report.spool.waiting))
            )
            self._reconnect_timer.start()
        self.sig_opened.emit(opened.report)

    # --- the clinic server -----------------------------------------------------------------------

    def check_server(self) -> None:
        """Ask the server on a worker; file the spool when it answers (the timer calls this)."""
        if self.records is None or self._closed or self._probing:
            return
        self._probing = True
        self.tasks.start(reconnect, self.records, name="reconnect", on_done=self._on_reconnect)

    def _on_reconnect(
        self, result: tuple[FlushReport | None, int] | None, error: BaseException | None
    ) -> None:
        self._probing = False
        if self._closed:
            return
        if error is not None or result is None:  # e.g. DatabaseTooNew after another room's upgrade
            self._set_server(ServerState(False, self.tr("Records server: {error}").format(error=error)))
            return
        report, waiting = result
        if report is None:
            self._set_server(ServerState(False, offline_text(waiting)))
            return
        if report.filed or report.failed or (self.server is not None and not self.server.reachable):
            text = self.tr("Records server reachable again")
            if report.filed or report.failed or report.waiting:
                text += f": {report.summary}"
            self._set_server(ServerState(True, text), force=bool(report.filed or report.failed))

    def note_spooled(self) -> None:
        """A capture was just spooled: the server went away (the status bar says so at once)."""
        if self.records is not None:
            self._set_server(ServerState(False, offline_text(_waiting(self.records))), force=True)

    def _set_server(self, state: ServerState, *, force: bool = False) -> None:
        if state == self.server and not force:
            return
        if self.server is None or self.server.reachable != state.reachable:
            logger.info("Records server %s", "reachable" if state.reachable else "unreachable")
        self.server = state
        self.sig_server.emit(state)

    def close(self) -> None:
        """Forget the user and close the database (the window closes; its tasks have stopped)."""
        self._closed = True
        self._reconnect_timer.stop()
        self.user = None
        if self.records is not None:
            self.records.close()
            self.records = None

    # --- running calls ---------------------------------------------------------------------------

    def call(self, fn: Callable[..., Any], *args: Any, name: str, on_done: ServiceDone) -> None:
        """Run `fn(*args)` (a records service method) on a worker; `on_done(result, error)` on the
        GUI thread."""

        def unwrap(result: Any, error: BaseException | None) -> None:
            if isinstance(result, _Refused):
                on_done(None, result.error)
            else:
                on_done(result, error)

        self.tasks.start(_service_call, fn, *args, name=name, on_done=unwrap)

    def require_records(self) -> Records:
        if self.records is None:
            raise RuntimeError(self.tr("The patient records are not open."))
        return self.records

    # --- who is signed in ------------------------------------------------------------------------

    @property
    def clinical_user(self) -> UserInfo | None:
        """The signed-in user while unlocked, else None (patient data must not be shown)."""
        return None if self.locked else self.user

    def sign_in(self, user: UserInfo) -> None:
        """A successful login or unlock. Another account than before starts from a clean slate."""
        if self.user is not None and self.user.id != user.id:
            self.set_target(None)
            self.drafts.clear()
        self.user, self.locked = user, False
        logger.info("%s signed in (%s)", user.username, user.role.value)
        self.sig_signed_in.emit(user)

    def lock(self) -> None:
        """Hide patient data until the password is given again (the person chose to lock)."""
        self._lock(idle=False)

    def lock_when_idle(self) -> None:
        """The idle timer locks: the same, but the unlock dialog says it happened after a while."""
        self._lock(idle=True)

    def _lock(self, *, idle: bool) -> None:
        if self.user is None or self.locked:
            return
        self.locked, self.locked_when_idle = True, idle
        logger.info("Records locked for %s", self.user.username)
        self.sig_locked.emit()

    def sign_out(self) -> None:
        if self.user is None:
            return
        logger.info("%s signed out", self.user.username)
        self.user, self.locked = None, False
        self.drafts.clear()  # a half-typed note is kept over a lock, never for the next person
        self.set_target(None)
        self.sig_signed_out.emit()

    # --- the capture target ----------------------------------------------------------------------

    def set_target(self, target: CaptureTarget | None) -> None:
        if target == self.target:
            return
        self.target = target
        self.sig_target_changed.emit(target)

    def patient_changed(self, record_number: str) -> None:
        self.sig_patient_changed.emit(record_number)
