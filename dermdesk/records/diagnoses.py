"""Diagnoses, sign-off and referrals: the doctor's part of a lesion's record.

Why sign-off re-verifies the password: a signed diagnosis goes into reports and, with consent, into
the data that retrains the model, so it must be the doctor's own act, not anyone's at a station left
signed in. A wrong password there counts towards the same lock-out as at login. A signed diagnosis is
final; a later opinion is a new diagnosis, so the history of what was believed when stays readable.

Several rooms on one server: signing and filing lock the lesion's row first (SELECT ... FOR UPDATE), so
two doctors signing at the same instant are served one after the other, and the second is told who
signed first. A lesion's final diagnosis is its newest signed one; a signed diagnosis that says
something else is an explicit amendment (`amends=` the current final one): the first stays on record,
the amendment names it, and the audit log has an "amend diagnosis" entry. Without `amends` such a
signature is refused with `DiagnosisConflict`, which shows the first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dermdesk.i18n import _
from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user, require
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.credentials import SecurityPolicy, verify_sign_off_password
from dermdesk.records.database import Database
from dermdesk.records.errors import DiagnosisConflict, NotFound, RecordValidationError
from dermdesk.records.lesions import find_lesion, visit_on
from dermdesk.records.outbox import queue_lesion
from dermdesk.records.patients import find_patient
from dermdesk.records.views import DiagnosisInfo, ReferralInfo, UserInfo, diagnosis_info, referral_info
from dermdesk.records.vocabulary import (
    DIAGNOSIS_CODES,
    Confirmation,
    LesionStatus,
    ReferralStatus,
    check_text,
    parse_choice,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewDiagnosis:
    """A doctor's diagnosis: a model class code (`mel`, `nv`, ...) or free text, and its confirmation."""

    confirmation: str
    dx_code: str | None = None
    dx_other: str | None = None
    notes: str | None = None

    def validated(self) -> NewDiagnosis:
        code = (self.dx_code or "").strip().lower() or None
        other = check_text(self.dx_other, "diagnosis text", 200, required=False)
        if code is None and other is None:
            raise RecordValidationError(_("Give a diagnosis: a class code or a free-text diagnosis."))
        if code is not None and code not in DIAGNOSIS_CODES:
            raise RecordValidationError(
                _("Unknown diagnosis code {code!r}; use one of {value} or free text.").format(
                    code=code, value=", ".join(DIAGNOSIS_CODES)
                )
            )
        return NewDiagnosis(
            confirmation=parse_choice(Confirmation, self.confirmation, "confirmation").value,
            dx_code=code,
            dx_other=other,
            notes=check_text(self.notes, "notes", 4000, required=False),
        )


class DiagnosisService:
    def __init__(self, database: Database, policy: SecurityPolicy, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._policy = policy
        self._clock = clock

    def record(
        self,
        user: UserInfo,
        record_number: str,
        lesion_label: str,
        new: NewDiagnosis,
        *,
        sign_off_password: str | None = None,
        amends: int | None = None,
    ) -> DiagnosisInfo:
        """File a diagnosis for a lesion at today's visit; signed off at once when a password is given
        (`amends`: the id of the signed final diagnosis it knowingly replaces, if it differs)."""
        require(user, Permission.DIAGNOSE)
        spec = new.validated()
        if sign_off_password is not None:
            self._verify_password(user, sign_off_password)
        now = self._clock()
        with self._db.transaction() as session:
            doctor = acting_user(session, user, Permission.DIAGNOSE, now)
            patient = find_patient(session, record_number)
            lesion = lock_lesion(session, find_lesion(session, patient, lesion_label))
            row = models.Diagnosis(
                lesion=lesion,
                visit=visit_on(session, patient, now.astimezone().date(), doctor),
                doctor=doctor,
                dx_code=spec.dx_code,
                dx_other=spec.dx_other,
                confirmation=spec.confirmation,
                notes=spec.notes,
                diagnosed_at=now,
            )
            session.add(row)
            session.flush()
            record_event(
                session,
                AuditAction.DIAGNOSE,
                now,
                user=doctor,
                object_type="diagnosis",
                object_id=row.id,
                detail={
                    "patient": patient.record_number,
                    "lesion": lesion.label,
                    "dx_code": spec.dx_code,
                    "confirmation": spec.confirmation,
                },
            )
            if sign_off_password is not None:
                self._sign(session, row, doctor, now, amends)
            return diagnosis_info(row)

    def sign_off(
        self, user: UserInfo, diagnosis_id: int, password: str, *, amends: int | None = None
    ) -> DiagnosisInfo:
        """Sign a diagnosis as final after re-checking the doctor's password (`amends`: see `record`)."""
        require(user, Permission.SIGN_OFF)
        self._verify_password(user, password)
        now = self._clock()
        with self._db.transaction() as session:
            doctor = acting_user(session, user, Permission.SIGN_OFF, now)
            lesion_id = session.scalar(
                select(models.Diagnosis.lesion_id).where(models.Diagnosis.id == diagnosis_id)
            )
            if lesion_id is None:
                raise NotFound(_("There is no diagnosis {diagnosis_id}.").format(diagnosis_id=diagnosis_id))
            lock_lesion(session, session.get_one(models.Lesion, lesion_id))
            row = session.get_one(models.Diagnosis, diagnosis_id, populate_existing=True)
            if row.signed_off_at is not None:
                signer = row.signed_off_by.username if row.signed_off_by else "?"
                raise RecordValidationError(
                    _(
                        "Diagnosis {diagnosis_id} was already signed off by {signer} on "
                        "{astimezone:%Y-%m-%d %H:%M}; record a new diagnosis to revise it."
                    ).format(
                        diagnosis_id=diagnosis_id, signer=signer, astimezone=row.signed_off_at.astimezone()
                    )
                )
            self._sign(session, row, doctor, now, amends)
            return diagnosis_info(row)

    def refer(self, user: UserInfo, record_number: str, lesion_label: str, reason: str) -> ReferralInfo:
        """Open a referral for a lesion (staff or doctor) and mark the lesion as referred."""
        text = check_text(reason, "referral reason", 2000, required=True)
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.CAPTURE, now)
            patient = find_patient(session, record_number)
            lesion = lock_lesion(session, find_lesion(session, patient, lesion_label))
            row = models.Referral(
                lesion=lesion,
                reason=text or "",
                status=ReferralStatus.OPEN.value,
                created_by_id=actor.id,
                created_at=now,
            )
            session.add(row)
            lesion.status = LesionStatus.REFERRED.value
            session.flush()
            record_event(
                session,
                AuditAction.REFER,
                now,
                user=actor,
                object_type="referral",
                object_id=row.id,
                detail={"patient": patient.record_number, "lesion": lesion.label},
            )
            return referral_info(row)

    def _verify_password(self, user: UserInfo, password: str) -> None:
        verify_sign_off_password(self._db, self._policy, self._clock(), user.id, user.username, password)

    @staticmethod
    def _sign(
        session: Session, row: models.Diagnosis, doctor: models.User, now: datetime, amends: int | None
    ) -> None:
        current = final_diagnosis(session, row.lesion_id, besides=row.id)
        if current is not None and _says(current) != _says(row):
            if amends != current.id:
                raise DiagnosisConflict(_conflict_message(current, row), current.id)
            row.amends_id = current.id
            record_event(
                session,
                AuditAction.AMEND_DIAGNOSIS,
                now,
                user=doctor,
                object_type="diagnosis",
                object_id=row.id,
                detail={
                    "lesion": row.lesion.label,
                    "patient": row.lesion.patient.record_number,
                    "amends": current.id,
                    "was": current.dx_code or "free text",
                    "now": row.dx_code or "free text",
                },
            )
        elif amends is not None:
            raise RecordValidationError(
                _(
                    "Diagnosis {amends} is not this lesion's final diagnosis, or says the same; "
                    "there is nothing to amend."
                ).format(amends=amends)
            )
        row.signed_off_at = now
        row.signed_off_by = doctor
        record_event(
            session,
            AuditAction.SIGN_OFF,
            now,
            user=doctor,
            object_type="diagnosis",
            object_id=row.id,
            detail={"lesion": row.lesion.label, "patient": row.lesion.patient.record_number},
        )
        log.info("Diagnosis %s signed off by %s", row.id, doctor.username)
        queue_lesion(session, row.lesion, now)  # with consent, the confirmed case waits for upload


def lock_lesion(session: Session, lesion: models.Lesion) -> models.Lesion:
    """Hold the lesion's row (and read it afresh) until the transaction ends: diagnoses, sign-offs and
    referrals of one lesion from several rooms are served one at a time."""
    return session.execute(
        select(models.Lesion)
        .where(models.Lesion.id == lesion.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def final_diagnosis(
    session: Session, lesion_id: int, *, besides: int | None = None
) -> models.Diagnosis | None:
    """The lesion's final diagnosis: its newest signed one (by id, which the server hands out in commit
    order, never by a station's clock)."""
    query = select(models.Diagnosis).where(
        models.Diagnosis.lesion_id == lesion_id, models.Diagnosis.signed_off_at.is_not(None)
    )
    if besides is not None:
        query = query.where(models.Diagnosis.id != besides)
    return session.scalar(query.order_by(models.Diagnosis.id.desc()).limit(1))


def _says(row: models.Diagnosis) -> tuple[str | None, str | None]:
    return row.dx_code, (row.dx_other or "").strip().lower() or None


def _conflict_message(current: models.Diagnosis, row: models.Diagnosis) -> str:
    signer = current.signed_off_by.username if current.signed_off_by else "?"
    when = f"{current.signed_off_at.astimezone():%Y-%m-%d %H:%M}" if current.signed_off_at else "?"
    return (
        f"Lesion {row.lesion.label} already has a signed final diagnosis: "
        f"{current.dx_code or current.dx_other} (diagnosis {current.id}, signed by {signer} on {when}). "
        f"Yours ({row.dx_code or row.dx_other}) was not signed. To change the final diagnosis, sign yours "
        "as an amendment of it; both stay on the record."
    )
