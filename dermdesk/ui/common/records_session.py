"""The station's records, opened once per window, and who is signed in to them.

Why one object: the patient list, the body map, capture filing and the diagnosis form all need the
same `Records`, the same signed-in user and the same lock state. `RecordsSession` holds them and says
when they change (`sig_*`); widgets never open records themselves.

Opening (schema check, migrations, spooled captures, the integrity check) and every call that hashes
a password or writes an image runs on the window's TaskRunner (`call`), so the live view never waits
for the database. Quick reads and small writes (a patient list, registering a patient) run directly.

Locking keeps the user (only they, or another account signing in, can unlock) but forgets nothing
else: widgets listen to `sig_locked` and drop whatever patient data they show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from dermdesk.filing import CaptureTarget
from dermdesk.records import Records, RecordsError, SecurityPolicy, StartupReport, UserInfo
from dermdesk.records.base import utcnow
from dermdesk.settings import DermDeskSettings
from dermdesk.tasks import TaskState
from dermdesk.ui.common.worker import TaskRunner

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ServiceDone = Callable[[Any, BaseException | None], None]


@dataclass(frozen=True)
class OpenedRecords:
    records: Records
    report: StartupReport


def open_records(
    state: TaskState, settings: DermDeskSettings, clock: Clock, policy: SecurityPolicy | None
) -> OpenedRecords:
    """Open the records and run the start-up checks (worker thread)."""
    state.set_progress(0.1, "Opening the patient records")
    records = Records.open(settings, clock=clock, policy=policy)
    try:
        state.set_progress(0.5, "Checking pictures against the records")
        report = records.startup()
    except BaseException:
        records.close()
        raise
    return OpenedRecords(records, report)


@dataclass(frozen=True)
class _Refused:
    """The core refused the call (wrong password, invalid input): an answer, not a task failure."""

    error: RecordsError


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
        self._closed = False

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
            message = f"The patient records could not be opened: {error}"
            logger.error("%s", message)
            self.sig_open_failed.emit(message)
            return
        self.records = opened.records
        for line in opened.report.lines():
            logger.warning("Records start-up: %s", line)
        self.sig_opened.emit(opened.report)

    def close(self) -> None:
        """Forget the user and close the database (the window closes; its tasks have stopped)."""
        self._closed = True
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
            raise RuntimeError("The patient records are not open.")
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
