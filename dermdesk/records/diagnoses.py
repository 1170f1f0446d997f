"""Diagnoses, sign-off and referrals: the doctor's part of a lesion's record.

Why sign-off re-verifies the password: a signed diagnosis goes into reports and, with consent, into
the data that retrains the model, so it must be the doctor's own act, not anyone's at a station left
signed in. A wrong password there counts towards the same lock-out as at login. A signed diagnosis is
final; a later opinion is a new diagnosis, so the history of what was believed when stays readable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user, require
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.credentials import SecurityPolicy, verify_sign_off_password
from dermdesk.records.database import Database
from dermdesk.records.errors import NotFound, RecordValidationError
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
            raise RecordValidationError("Give a diagnosis: a class code or a free-text diagnosis.")
        if code is not None and code not in DIAGNOSIS_CODES:
            raise RecordValidationError(
                f"Unknown diagnosis code {code!r}; use one of {', '.join(DIAGNOSIS_CODES)} or free text."
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
    ) -> DiagnosisInfo:
        """File a diagnosis for a lesion at today's visit; signed off at once when a password is given."""
        require(user, Permission.DIAGNOSE)
        spec = new.validated()
        if sign_off_password is not None:
            self._verify_password(user, sign_off_password)
        now = self._clock()
        with self._db.transaction() as session:
            doctor = acting_user(session, user, Permission.DIAGNOSE, now)
            patient = find_patient(session, record_number)
            lesion = find_lesion(session, patient, lesion_label)
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
                self._sign(session, row, doctor, now)
            return diagnosis_info(row)

    def sign_off(self, user: UserInfo, diagnosis_id: int, password: str) -> DiagnosisInfo:
        """Sign a diagnosis as final after re-checking the doctor's password."""
        require(user, Permission.SIGN_OFF)
        self._verify_password(user, password)
        now = self._clock()
        with self._db.transaction() as session:
            doctor = acting_user(session, user, Permission.SIGN_OFF, now)
            row = session.get(models.Diagnosis, diagnosis_id)
            if row is None:
                raise NotFound(f"There is no diagnosis {diagnosis_id}.")
            if row.signed_off_at is not None:
                signer = row.signed_off_by.username if row.signed_off_by else "?"
                raise RecordValidationError(
                    f"Diagnosis {diagnosis_id} was already signed off by {signer} on "
                    f"{row.signed_off_at.astimezone():%Y-%m-%d %H:%M}; record a new diagnosis to revise it."
                )
            self._sign(session, row, doctor, now)
            return diagnosis_info(row)

    def refer(self, user: UserInfo, record_number: str, lesion_label: str, reason: str) -> ReferralInfo:
        """Open a referral for a lesion (staff or doctor) and mark the lesion as referred."""
        text = check_text(reason, "referral reason", 2000, required=True)
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.CAPTURE, now)
            patient = find_patient(session, record_number)
            lesion = find_lesion(session, patient, lesion_label)
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
    def _sign(session: Session, row: models.Diagnosis, doctor: models.User, now: datetime) -> None:
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
