"""Editing a patient's details or a lesion's status when several rooms may have the record open.

Why every edit names the version it was made on (`seen_version`, the `row_version` of the record the
person was looking at): without it, the room that saves last silently wins, and the first room's change
is lost without anyone knowing. Here the row is locked and its version compared; a record changed since
it was opened refuses the edit with `ChangedElsewhere`, naming what changed, so the person looks at the
record as it is now (the UI reloads it) and decides again. Two edits saved at the same instant are
served one after the other by the row lock, and the version check refuses the second.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dermdesk.i18n import _
from dermdesk.i18n.glossary import term_or
from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.database import Database
from dermdesk.records.diagnoses import lock_lesion
from dermdesk.records.errors import ChangedElsewhere, RecordValidationError
from dermdesk.records.lesions import find_lesion
from dermdesk.records.patients import find_patient
from dermdesk.records.views import LesionInfo, PatientRecord, UserInfo, lesion_info, patient_record
from dermdesk.records.vocabulary import (
    LesionStatus,
    check_report_language,
    check_text,
    parse_choice,
    refuse_resident_number,
)

log = logging.getLogger(__name__)


KEEP = "keep"
"""A `PatientDetails.report_language` that leaves the patient's language of reports unchanged."""


@dataclass(frozen=True)
class PatientDetails:
    """The details staff may correct after registration (the rest identifies the patient)."""

    contact: str | None
    fitzpatrick: int | None
    report_language: str | None = KEEP  # "en", "ko", None (the clinic's); KEEP: left as it is

    def validated(self) -> PatientDetails:
        if self.fitzpatrick is not None and not 1 <= self.fitzpatrick <= 6:
            raise RecordValidationError(
                _("Fitzpatrick skin type must be 1 to 6, not {fitzpatrick}.").format(
                    fitzpatrick=self.fitzpatrick
                )
            )
        contact = refuse_resident_number(check_text(self.contact, "contact", 200, required=False), "contact")
        language = self.report_language
        return PatientDetails(
            contact, self.fitzpatrick, language if language == KEEP else check_report_language(language)
        )


class EditService:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    def update_patient(
        self, user: UserInfo, record_number: str, details: PatientDetails, *, seen_version: int
    ) -> PatientRecord:
        """Save corrected details, unless another station changed the patient since `seen_version`."""
        wanted = details.validated()
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.REGISTER_PATIENTS, now)
            patient = _locked_patient(session, record_number)
            if patient.row_version != seen_version:
                raise ChangedElsewhere(
                    _(
                        "Another station changed patient {record_number} after you opened it; your "
                        "change was not saved. The record now shows their change: look at it and edit "
                        "again if yours is still needed."
                    ).format(record_number=patient.record_number)
                )
            changed = [
                name
                for name, old, new in (
                    ("contact", patient.contact, wanted.contact),
                    ("fitzpatrick", patient.fitzpatrick, wanted.fitzpatrick),
                )
                if old != new
            ]
            if wanted.report_language not in (KEEP, patient.report_language):
                changed.append("report_language")
            patient.contact = wanted.contact
            patient.fitzpatrick = wanted.fitzpatrick
            if wanted.report_language != KEEP:
                patient.report_language = wanted.report_language
            session.flush()  # the version check of the UPDATE itself: 0 rows -> ChangedElsewhere
            record_event(
                session,
                AuditAction.UPDATE_PATIENT,
                now,
                user=actor,
                object_type="patient",
                object_id=patient.record_number,
                detail={"fields": changed, "row_version": patient.row_version},
            )
            return patient_record(patient)

    def set_lesion_status(
        self, user: UserInfo, record_number: str, lesion_label: str, status: str, *, seen_version: int
    ) -> LesionInfo:
        """Mark a lesion monitoring, referred, excised or resolved, unless it changed since it was seen."""
        value = parse_choice(LesionStatus, status, "lesion status").value
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.CAPTURE, now)
            patient = find_patient(session, record_number)
            lesion = lock_lesion(session, find_lesion(session, patient, lesion_label))
            if lesion.row_version != seen_version:
                raise ChangedElsewhere(
                    _(
                        "Another station changed lesion {label} after you opened it (it is now "
                        "{status}); your change was not saved. Look at it and change it again if needed."
                    ).format(label=lesion.label, status=term_or("lesion_status", lesion.status))
                )
            previous = lesion.status
            lesion.status = value
            session.flush()
            record_event(
                session,
                AuditAction.UPDATE_LESION,
                now,
                user=actor,
                object_type="lesion",
                object_id=f"{patient.record_number}/{lesion.label}",
                detail={"status": value, "was": previous, "row_version": lesion.row_version},
            )
            return lesion_info(lesion)


def _locked_patient(session: Session, record_number: str) -> models.Patient:
    patient = find_patient(session, record_number, full=True)
    return session.execute(
        select(models.Patient)
        .where(models.Patient.id == patient.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
