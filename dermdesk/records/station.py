"""`Records`: one station's records — database, image store, spool — and the services on them.

Why one object: the UI and the CLI open the records once from the settings and then only call
services (`records.patients.get(user, "DD-0001")`); they never see a session or a row. Opening checks
the schema (refusing a newer database) and `startup()` files spooled captures and runs the integrity
check, returning what it found for the UI to show.

A station on a clinic server may be opened while the server is away (`allow_offline`): it is then
`online` False, `sign_in` accepts a recent sign-in made at this station (offline_sign_in), captures
spool, and `reconnect()` — called by the window's timer and by `startup()` — checks the schema, takes
the server's time again and files the spool as soon as the server answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from dermdesk.files import private_dir
from dermdesk.i18n import _
from dermdesk.records.audit import AuditService
from dermdesk.records.audit_chain import ChainReport
from dermdesk.records.backup import BackupResult, backup
from dermdesk.records.base import utcnow
from dermdesk.records.captures import CaptureService, FlushReport
from dermdesk.records.change_stamp import ChangeStamps
from dermdesk.records.consults import ConsultService
from dermdesk.records.credentials import SecurityPolicy
from dermdesk.records.database import Database, open_database
from dermdesk.records.diagnoses import DiagnosisService
from dermdesk.records.dicom_uids import DicomUidService
from dermdesk.records.edits import EditService
from dermdesk.records.errors import DatabaseUnavailable
from dermdesk.records.image_store import ImageStore
from dermdesk.records.integrity import (
    DEFAULT_GRACE,
    ImageProblem,
    IntegrityReport,
    integrity_check,
    recheck_portion,
)
from dermdesk.records.lesions import LesionService
from dermdesk.records.offline_sign_in import remember, sign_in_offline
from dermdesk.records.outbox import OutboxService
from dermdesk.records.patients import PatientService
from dermdesk.records.reports import ReportService
from dermdesk.records.restore import RestoreResult, restore
from dermdesk.records.server_clock import ServerClock
from dermdesk.records.spool import Spool
from dermdesk.records.users import UserService
from dermdesk.records.views import UserInfo
from dermdesk.records.vocabulary import Role
from dermdesk.settings import DermDeskSettings

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
STARTUP_RECHECK_IMAGES = 50
"""Pictures re-hashed at each start: small enough to stay quick on a large archive; the rest follows in
the background, a portion at a time."""


@dataclass(frozen=True)
class StartupReport:
    """What opening the records found: spooled captures filed, and the integrity check."""

    spool: FlushReport
    integrity: IntegrityReport
    damaged: list[ImageProblem] = field(default_factory=list)  # from this start's hash re-check portion
    audit: ChainReport | None = None  # the sealed audit trail's check (None: not run)

    @property
    def audit_warning(self) -> list[str]:
        """What an administrator must be told at sign-in (the window shows it; the CLI prints it)."""
        if self.audit is None or self.audit.intact:
            return []
        return [f"Audit trail: {problem}" for problem in self.audit.problems]

    def lines(self) -> list[str]:
        out = [self.spool.summary] if (self.spool.filed or self.spool.failed or self.spool.waiting) else []
        out += self.integrity.lines()
        out += [
            f"Image {p.image_id} of {p.record_number} lesion {p.lesion_label} does not match its checksum."
            for p in self.damaged
        ]
        return out + self.audit_warning


class Records:
    """The records of one station. Construct with `Records.open(settings)`; close when done."""

    def __init__(
        self,
        database: Database,
        store: ImageStore,
        spool: Spool | None,
        *,
        policy: SecurityPolicy | None = None,
        clock: Clock = utcnow,
        upload_unlabelled: bool = False,
        data_dir: Path | None = None,
    ) -> None:
        self.data_dir = data_dir  # where offline sign-in notes are kept (None: no offline sign-in)
        self.server_clock = clock if isinstance(clock, ServerClock) else None
        self.database = database
        self.store = store
        self.spool = spool
        self.clock = clock
        self.policy = policy or SecurityPolicy()
        self.users = UserService(database, self.policy, clock)
        self.patients = PatientService(database, clock, upload_unlabelled=upload_unlabelled)
        self.lesions = LesionService(database, clock)
        self.captures = CaptureService(database, store, spool, clock, upload_unlabelled=upload_unlabelled)
        self.diagnoses = DiagnosisService(database, self.policy, clock)
        self.audit = AuditService(database, clock)
        self.reports = ReportService(database, store, self.policy, clock)
        self.outbox = OutboxService(database, store, clock)
        self.dicom = DicomUidService(database, clock)
        self.consults = ConsultService(database, store, clock)
        self.edits = EditService(database, clock)
        self.stamps = ChangeStamps(database, clock)

    @classmethod
    def open(
        cls,
        settings: DermDeskSettings,
        *,
        policy: SecurityPolicy | None = None,
        clock: Clock = utcnow,
        allow_offline: bool = False,
    ) -> Records:
        """Open the configured database (SQLite in the data folder, or `database_url`) and image store
        (`allow_offline`: a clinic server away now is not an error; see `online`)."""
        private_dir(settings.data_dir)  # 0700 whatever the umask: everything under it is the user's only
        database = open_database(settings.database_url, settings.data_dir, allow_unreachable=allow_offline)
        if not database.is_sqlite and clock is utcnow:  # rooms with clocks apart: date by the server
            server_clock = ServerClock(database.engine)
            if database.schema_ready:
                server_clock.measure()
            clock = server_clock
        if not database.is_sqlite and settings.image_store is None:
            log.warning(
                "Records are on a shared server but DERMDESK_IMAGE_STORE is not set: pictures taken here "
                "stay in this station's data folder and other stations will report them missing"
            )
        store = ImageStore(
            settings.image_store or settings.data_dir / "images",
            group_access=settings.image_store is not None and settings.image_store_group_access,
            must_exist=settings.image_store is not None and not database.is_sqlite,  # a clinic share
        )
        spool = None if database.is_sqlite else Spool(settings.data_dir / "spool")
        return cls(
            database,
            store,
            spool,
            policy=policy,
            clock=clock,
            upload_unlabelled=settings.upload_unlabelled,
            data_dir=None if database.is_sqlite else settings.data_dir,
        )

    @property
    def online(self) -> bool:
        """False while a clinic server has not answered since this station opened its records."""
        return self.database.schema_ready

    def sign_in(self, username: str, password: str) -> UserInfo:
        """Log in on the server (and note it for offline use); while the server is away, a recent
        sign-in at this station is accepted, for captures that are spooled."""
        try:
            user = self.users.login(username, password)
        except DatabaseUnavailable:
            if self.data_dir is None or self.spool is None:
                raise
            return sign_in_offline(self.data_dir, username, password, self.clock())
        if self.data_dir is not None and user.role is not Role.ADMIN:  # admins never capture
            remember(self.data_dir, user, password, self.clock())
        return user

    def reconnect(self) -> FlushReport:
        """If the server answers: check the schema (once), take its time again, file the spool.
        Raises `DatabaseUnavailable` while it is still away (`DatabaseTooNew` after an upgrade)."""
        if not self.database.schema_ready:
            self.database.ensure_schema()
        elif not self.database.reachable():
            raise DatabaseUnavailable(_("The clinic's records server cannot be reached yet."))
        if self.server_clock is not None:
            self.server_clock.measure()
        return self.flush_spool()

    def startup(self, *, grace: timedelta = DEFAULT_GRACE) -> StartupReport:
        """File what was spooled while the server was away, then check rows against files."""
        flushed = self.flush_spool()
        integrity = self.integrity_check(grace=grace)
        damaged = self.recheck_pictures(max_images=STARTUP_RECHECK_IMAGES)
        return StartupReport(flushed, integrity, damaged, self.audit.verify())

    def recheck_pictures(self, *, max_images: int = 100) -> list[ImageProblem]:
        """Re-hash the next portion of pictures (the window calls this periodically in the background)."""
        return recheck_portion(self.database, self.store, max_images=max_images)

    def integrity_check(
        self, *, verify_hashes: bool = False, grace: timedelta = DEFAULT_GRACE
    ) -> IntegrityReport:
        return integrity_check(self.database, self.store, verify_hashes=verify_hashes, grace=grace)

    def flush_spool(self) -> FlushReport:
        return self.captures.flush_spool()

    def backup(self, user: UserInfo, destination: Path) -> BackupResult:
        """Snapshot the records and images to `destination` (administrators)."""
        return backup(self.database, self.store, user, destination, self.clock())

    def restore(self, source: Path, username: str, password: str) -> RestoreResult:
        """Restore a backup into this empty station, as an administrator of the backup."""
        return restore(self.database, self.store, source, username, password, self.clock())

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> Records:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
