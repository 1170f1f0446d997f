"""Signed reports: every sign-off stores the PDF immutably as a new `Report` version of its visit.

Why immutable versions: a report handed to a patient or filed is evidence of what the doctor concluded
at the time. A correction is signed as a new version; an earlier version's file is never replaced. The
PDF is stored content-addressed beside the pictures (`<image store>/reports/ab/cd/<sha256>.pdf`,
written atomically), so the row's sha256 verifies the file and any copy of it. The integrity check of
the pictures does not look into `reports/`.

Why `sign_off` takes a `render` function: the signed PDF itself says who signed, when, and which
version it is, so it can only be laid out after the password is verified and the version number is
known. The report layout (`dermdesk.reports`) depends on the records, not the other way round, so the
records receive the renderer as a plain callable.

The steps: the password is re-checked (a wrong one counts towards the lock-out, as for a diagnosis),
the next version number is chosen, the PDF is rendered outside any transaction, the file is written,
then the row and the audit entry are committed together. When another station signed the same visit
in between, this sign-off is refused with a message instead of making two "version 2"s; its file
stays unreferenced in the store, which is harmless.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dermdesk.files import write_atomic
from dermdesk.i18n import _
from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user, require
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.credentials import SecurityPolicy, verify_sign_off_password
from dermdesk.records.database import Database
from dermdesk.records.errors import ImageStoreError, NotFound, RecordValidationError
from dermdesk.records.image_store import ImageStore, explain_os_error, sha256_bytes, sha256_file
from dermdesk.records.patients import find_patient
from dermdesk.records.views import UserInfo

log = logging.getLogger(__name__)

REPORTS_DIR = "reports"
PDF_MAGIC = b"%PDF-"

VisitKey = int | date | None
"""Which visit: its database id, its date (one visit per patient per day), or None for the newest."""


def parse_visit(text: str | None) -> VisitKey:
    """A visit as typed on the command line: `12` (id), `2026-11-21` (date), `latest` or nothing."""
    value = (text or "").strip().lower()
    if value in ("", "latest", "newest", "last"):
        return None
    if value.isdigit():
        return int(value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RecordValidationError(
            _(
                "Visit {text!r} is not valid: give the visit's date (YYYY-MM-DD), its number, or 'latest'."
            ).format(text=text)
        ) from None


@dataclass(frozen=True)
class ReportVersion:
    """One signed, stored report."""

    id: int
    visit_id: int
    visit_date: date
    version: int
    sha256: str
    relative_path: str
    byte_size: int | None
    signed_by: str | None  # user name
    signed_by_name: str | None
    signed_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class VisitContext:
    """What a report needs about a visit beyond the patient record: its id, the clinician's full name,
    the full names of everyone who appears in the record, and the versions signed so far."""

    visit_id: int
    visit_date: date
    clinician: str
    clinician_username: str
    notes: str | None
    people: dict[str, str]  # user name -> display name
    versions: tuple[ReportVersion, ...]
    roles: dict[str, str] = dataclasses.field(default_factory=dict)  # user name -> role, as stored


@dataclass(frozen=True)
class SignOff:
    """Handed to the renderer: who signs, when, and the version number the PDF will be stored as."""

    version: int
    signed_by: str  # display name, as printed
    username: str
    signed_at: datetime
    role: str = "doctor"  # the signer's role as stored (printed as it is, never a grander title)


Renderer = Callable[[SignOff], bytes]


def report_relative_path(sha256: str) -> str:
    return f"{REPORTS_DIR}/{sha256[:2]}/{sha256[2:4]}/{sha256}.pdf"


def find_visit(session: Session, patient: models.Patient, key: VisitKey) -> models.Visit:
    """The patient's visit by id, by date, or the newest; NotFound with the patient's record number."""
    query = select(models.Visit).where(models.Visit.patient_id == patient.id)
    if isinstance(key, int):
        visit = session.scalar(query.where(models.Visit.id == key))
        missing = _("Patient {record_number} has no visit number {key}.")
    elif isinstance(key, date):
        visit = session.scalar(query.where(models.Visit.visit_date == key))
        missing = _("Patient {record_number} has no visit on {key}.")
    else:
        visit = session.scalar(query.order_by(models.Visit.visit_date.desc()).limit(1))
        missing = _("Patient {record_number} has no visits yet.")
    if visit is None:
        shown = key.isoformat() if isinstance(key, date) else key
        raise NotFound(missing.format(record_number=patient.record_number, key=shown))
    return visit


def _version_info(row: models.Report, visit: models.Visit, signer: models.User | None) -> ReportVersion:
    return ReportVersion(
        id=row.id,
        visit_id=visit.id,
        visit_date=visit.visit_date,
        version=row.version,
        sha256=row.file_sha256,
        relative_path=report_relative_path(row.file_sha256),
        byte_size=None,
        signed_by=signer.username if signer else None,
        signed_by_name=signer.display_name if signer else None,
        signed_at=row.signed_at,
        created_at=row.created_at,
    )


def _people(session: Session, patient: models.Patient) -> tuple[dict[str, str], dict[str, str]]:
    """Display names and roles of the users who appear in the patient's record (clinicians, the
    people who took pictures, doctors, signers), each keyed by user name."""
    ids: set[int] = {visit.clinician_id for visit in patient.visits}
    for lesion in patient.lesions:
        ids.update(image.captured_by_id for image in lesion.images)
        for diagnosis in lesion.diagnoses:
            ids.add(diagnosis.doctor_id)
            if diagnosis.signed_off_by_id is not None:
                ids.add(diagnosis.signed_off_by_id)
    if not ids:
        return {}, {}
    rows = list(
        session.execute(
            select(models.User.username, models.User.display_name, models.User.role).where(
                models.User.id.in_(ids)
            )
        )
    )
    return {name: display for name, display, _ in rows}, {name: role for name, _, role in rows}


_SAFE_KIND = re.compile(r"^[a-z][a-z -]{1,39}$")


class ReportService:
    """Signed report versions of visits, and the audit entries for reports leaving the station."""

    def __init__(
        self, database: Database, store: ImageStore, policy: SecurityPolicy, clock: Callable[[], datetime]
    ) -> None:
        self._db = database
        self._store = store
        self._policy = policy
        self._clock = clock

    # --- reading -------------------------------------------------------------------------------------

    def context(self, user: UserInfo, record_number: str, visit: VisitKey = None) -> VisitContext:
        """The visit's id, date, clinician, notes, the people in the record and the signed versions."""
        with self._db.transaction() as session:
            acting_user(session, user, Permission.VIEW_PATIENTS, self._clock())
            patient = find_patient(session, record_number, full=True)
            row = find_visit(session, patient, visit)
            people, roles = _people(session, patient)
            return VisitContext(
                visit_id=row.id,
                visit_date=row.visit_date,
                clinician=row.clinician.display_name,
                clinician_username=row.clinician.username,
                notes=row.notes,
                people=people,
                versions=tuple(self._versions(session, [row])),
                roles=roles,
            )

    def versions(
        self, user: UserInfo, record_number: str, visit: VisitKey = None, *, all_visits: bool = False
    ) -> list[ReportVersion]:
        """Signed versions of one visit's report (or of every visit's), oldest first."""
        with self._db.transaction() as session:
            acting_user(session, user, Permission.VIEW_PATIENTS, self._clock())
            patient = find_patient(session, record_number)
            visits = list(patient.visits) if all_visits else [find_visit(session, patient, visit)]
            return self._versions(session, visits)

    def read(self, user: UserInfo, report_id: int) -> bytes:
        """The stored PDF of a version, verified against its sha256; audited as a view."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.VIEW_PATIENTS, now)
            row = session.get(models.Report, report_id)
            if row is None:
                raise NotFound(_("There is no report {report_id}.").format(report_id=report_id))
            visit = session.get(models.Visit, row.visit_id)
            assert visit is not None
            record_event(
                session,
                AuditAction.VIEW_PATIENT,
                now,
                user=actor,
                object_type="report",
                object_id=row.id,
                detail={"patient": visit.patient.record_number, "version": row.version},
            )
            sha256 = row.file_sha256
        path = self._store.root / report_relative_path(sha256)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImageStoreError(
                explain_os_error(exc, _("read the stored report"), self._store.root)
            ) from exc
        if sha256_bytes(data) != sha256:
            raise ImageStoreError(
                _("The stored report {report_id} does not match its checksum; it is damaged.").format(
                    report_id=report_id
                )
            )
        return data

    @staticmethod
    def _versions(session: Session, visits: list[models.Visit]) -> list[ReportVersion]:
        by_id = {visit.id: visit for visit in visits}
        if not by_id:
            return []
        rows = session.scalars(
            select(models.Report)
            .where(models.Report.visit_id.in_(by_id))
            .order_by(models.Report.visit_id, models.Report.version)
        )
        out = []
        for row in rows:
            signer = session.get(models.User, row.signed_by_id) if row.signed_by_id is not None else None
            out.append(_version_info(row, by_id[row.visit_id], signer))
        return out

    # --- signing -------------------------------------------------------------------------------------

    def sign_off(
        self, user: UserInfo, record_number: str, visit: VisitKey, password: str, render: Renderer
    ) -> ReportVersion:
        """Re-check the doctor's password, render the signed report and store it as the next version."""
        require(user, Permission.SIGN_OFF)
        self._verify_password(user, password)
        now = self._clock()
        with self._db.transaction() as session:
            doctor = acting_user(session, user, Permission.SIGN_OFF, now)
            patient = find_patient(session, record_number)
            visit_row = find_visit(session, patient, visit)
            visit_id, number = visit_row.id, patient.record_number
            version = self._latest_version(session, visit_id) + 1
            sign_off = SignOff(version, doctor.display_name, doctor.username, now, doctor.role)
        data = render(sign_off)
        if not data.startswith(PDF_MAGIC):
            raise RecordValidationError(_("The rendered report is not a PDF; nothing was signed."))
        sha256 = self._write(data)
        with self._db.transaction() as session:
            doctor = acting_user(session, user, Permission.SIGN_OFF, self._clock())
            if self._latest_version(session, visit_id) + 1 != version:
                raise RecordValidationError(
                    _(
                        "Another report of this visit was signed off at the same time; version {version} "
                        "exists now. Open the report again and sign the current one."
                    ).format(version=version)
                )
            row = models.Report(
                visit_id=visit_id,
                file_sha256=sha256,
                version=version,
                signed_by_id=doctor.id,
                signed_at=now,
                created_at=now,
            )
            session.add(row)
            session.flush()
            record_event(
                session,
                AuditAction.SIGN_OFF,
                now,
                user=doctor,
                object_type="report",
                object_id=row.id,
                detail={"patient": number, "visit": visit_id, "version": version, "sha256": sha256},
            )
            stored_visit = session.get(models.Visit, visit_id)
            assert stored_visit is not None
            info = _version_info(row, stored_visit, doctor)
        log.info("Report of visit %s signed off by %s as version %d", visit_id, user.username, version)
        return dataclasses.replace(info, byte_size=len(data))

    def record_export(
        self,
        user: UserInfo,
        record_number: str,
        kind: str,
        sha256: str,
        *,
        visit_id: int | None = None,
        lesion: str | None = None,
    ) -> None:
        """Audit a report or letter leaving the station (written to a file, printed): what and whose."""
        if not _SAFE_KIND.match(kind):
            raise ValueError(f"unexpected export kind {kind!r}")
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.VIEW_PATIENTS, now)
            patient = find_patient(session, record_number)
            detail: dict[str, object] = {"format": "pdf", "kind": kind, "sha256": sha256}
            if visit_id is not None:
                detail["visit"] = visit_id
            if lesion is not None:
                detail["lesion"] = lesion
            record_event(
                session,
                AuditAction.EXPORT,
                now,
                user=actor,
                object_type="patient",
                object_id=patient.record_number,
                detail=detail,
            )

    # --- helpers -------------------------------------------------------------------------------------

    @staticmethod
    def _latest_version(session: Session, visit_id: int) -> int:
        query = select(func.max(models.Report.version)).where(models.Report.visit_id == visit_id)
        return int(session.scalar(query) or 0)

    def _write(self, data: bytes) -> str:
        """Store the PDF under its checksum; an intact existing copy is kept, never rewritten."""
        sha256 = sha256_bytes(data)
        target = self._store.root / report_relative_path(sha256)
        try:
            if not (target.is_file() and sha256_file(target) == sha256):
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, data)
        except OSError as exc:
            raise ImageStoreError(
                explain_os_error(exc, _("store the signed report"), self._store.root)
            ) from exc
        return sha256

    def _verify_password(self, user: UserInfo, password: str) -> None:
        verify_sign_off_password(self._db, self._policy, self._clock(), user.id, user.username, password)
