"""Registering, finding and reading patients; every read or change of a record is audited.

Why `get` writes "view patient": medical-records law in most clinics' countries asks who looked at
whose record, not only who changed it, so reading goes through a service that logs it, never through
a query in the UI.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from dermdesk.i18n import _
from dermdesk.i18n.names import is_initials_query, name_initials
from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.database import Database
from dermdesk.records.errors import NotFound, RecordValidationError
from dermdesk.records.outbox import queue_patient, withdraw_patient
from dermdesk.records.typed_dates import dates_in
from dermdesk.records.views import (
    PatientRecord,
    PatientSummary,
    UserInfo,
    patient_record,
    patient_summary,
    to_jsonable,
)
from dermdesk.records.vocabulary import (
    Sex,
    check_birth_date,
    check_report_language,
    check_text,
    normalise_record_number,
    parse_choice,
    refuse_resident_number,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewPatient:
    """What staff type when registering a patient."""

    record_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    fitzpatrick: int | None = None
    contact: str | None = None
    research_consent: bool = False
    report_language: str | None = None  # "en", "ko"; None: the clinic's language of reports


def _matches(part: str) -> ColumnElement[bool]:
    """One search word: part of the record number or a name (also family and given name written
    together, 김민수), Hangul initial consonants (ㄱㅁㅅ), or (typed as a date) the birth date."""
    part = unicodedata.normalize("NFC", part)  # Hangul typed on some systems arrives decomposed
    escaped = part.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"  # a typed % or _ is searched for, not a wildcard
    if is_initials_query(part):
        return models.Patient.name_initials.like(pattern, escape="\\")
    options: list[ColumnElement[bool]] = [
        models.Patient.record_number.ilike(pattern, escape="\\"),
        models.Patient.given_name.ilike(pattern, escape="\\"),
        models.Patient.family_name.ilike(pattern, escape="\\"),
        (models.Patient.family_name + models.Patient.given_name).ilike(pattern, escape="\\"),
    ]
    options += [models.Patient.date_of_birth == day for day in dates_in(part)]
    return or_(*options)


def find_patient(session: Session, record_number: str, *, full: bool = False) -> models.Patient:
    """The patient with this record number (any spelling that normalises to it), or NotFound."""
    number = normalise_record_number(record_number)
    query = select(models.Patient).where(models.Patient.record_number == number)
    if full:
        lesion = selectinload(models.Patient.lesions)
        query = query.options(
            selectinload(models.Patient.visits),
            lesion.selectinload(models.Lesion.images).selectinload(models.Image.predictions),
            lesion.selectinload(models.Lesion.diagnoses),
            lesion.selectinload(models.Lesion.referrals),
        )
    patient = session.scalar(query)
    if patient is None:
        raise NotFound(_("No patient has the record number {number}.").format(number=number))
    return patient


def _matching(query: Select[Any], search: str | None) -> Select[Any]:
    """`query` narrowed to patients matching every word of `search` (if given), each word found in the
    record number, the given or family name, or read as the birth date ("Ada Lovelace", "lovelace ada",
    "DD-000123", "1971-05-17", "17.05.1971")."""
    for part in (search or "").split():  # every part must match: names in any order
        query = query.where(_matches(part))
    return query


class PatientService:
    def __init__(
        self, database: Database, clock: Callable[[], datetime], *, upload_unlabelled: bool = False
    ) -> None:
        self._db = database
        self._clock = clock
        self._upload_unlabelled = upload_unlabelled

    def register(self, user: UserInfo, new: NewPatient) -> PatientRecord:
        """File a new patient; refuses duplicates and implausible values with a clear reason."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.REGISTER_PATIENTS, now)
            row = self._validated_row(new, actor, now)
            exists = select(models.Patient.id).where(models.Patient.record_number == row.record_number)
            if session.scalar(exists) is not None:
                raise RecordValidationError(
                    _("A patient with record number {record_number} already exists.").format(
                        record_number=row.record_number
                    )
                )
            session.add(row)
            try:
                session.flush()
            except IntegrityError as exc:  # registered at another station a moment ago
                raise RecordValidationError(
                    _("A patient with record number {record_number} already exists.").format(
                        record_number=row.record_number
                    )
                ) from exc
            record_event(
                session,
                AuditAction.REGISTER_PATIENT,
                now,
                user=actor,
                object_type="patient",
                object_id=row.record_number,
                detail={"research_consent": row.research_consent},
            )
            return patient_record(row)

    def get(self, user: UserInfo, record_number: str) -> PatientRecord:
        """The whole record (visits, lesions, images, predictions, diagnoses); audited as a view."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.VIEW_PATIENTS, now)
            patient = find_patient(session, record_number, full=True)
            record_event(
                session,
                AuditAction.VIEW_PATIENT,
                now,
                user=actor,
                object_type="patient",
                object_id=patient.record_number,
            )
            return patient_record(patient)

    def list(
        self, user: UserInfo, search: str | None = None, limit: int = 200, offset: int = 0
    ) -> list[PatientSummary]:
        """Patients by record number; with `search`, those matching every word of it (see `_matching`);
        one page of `limit` from `offset` (`count` says how many there are in all)."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.VIEW_PATIENTS, now)
            query = _matching(select(models.Patient), search)
            query = query.order_by(models.Patient.record_number).offset(offset).limit(limit)
            found = [patient_summary(row) for row in session.scalars(query)]
            for shown in found:  # names and birth dates were read: one entry per patient shown
                record_event(
                    session,
                    AuditAction.LIST_PATIENTS,
                    now,
                    user=actor,
                    object_type="patient",
                    object_id=shown.record_number,
                    detail={"searched": bool(search), "count": len(found)},
                )
            if not found:
                record_event(
                    session,
                    AuditAction.LIST_PATIENTS,
                    now,
                    user=actor,
                    object_type="patient",
                    detail={"searched": bool(search), "count": 0},
                )
            return found

    def count(self, user: UserInfo, search: str | None = None) -> int:
        """How many patients `list` would page through (a number only: no record is read)."""
        with self._db.transaction() as session:
            acting_user(session, user, Permission.VIEW_PATIENTS, self._clock())
            query = _matching(select(func.count()).select_from(models.Patient), search)
            return int(session.scalar(query) or 0)

    def record_consent(self, user: UserInfo, record_number: str, consent: bool) -> PatientRecord:
        """Record (or withdraw) consent to research use, with today's date and who recorded it."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.REGISTER_PATIENTS, now)
            patient = find_patient(session, record_number, full=True)
            patient.research_consent = consent
            patient.consent_date = now.astimezone().date()
            patient.consent_recorded_by = actor
            if consent:
                queued = queue_patient(session, patient, now, unlabelled=self._upload_unlabelled)
            else:
                queued = -withdraw_patient(session, patient, now)
            record_event(
                session,
                AuditAction.UPDATE_PATIENT,
                now,
                user=actor,
                object_type="patient",
                object_id=patient.record_number,
                detail={"research_consent": consent, "upload_queue_change": queued},
            )
            return patient_record(patient)

    def export(self, user: UserInfo, record_number: str) -> dict[str, Any]:
        """The record as JSON-ready data (for a letter, a transfer); audited as an export."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.VIEW_PATIENTS, now)
            patient = find_patient(session, record_number, full=True)
            record_event(
                session,
                AuditAction.EXPORT,
                now,
                user=actor,
                object_type="patient",
                object_id=patient.record_number,
                detail={"format": "json"},
            )
            data: dict[str, Any] = to_jsonable(patient_record(patient))
            return data

    def _validated_row(self, new: NewPatient, actor: models.User, now: datetime) -> models.Patient:
        today = now.astimezone().date()
        fitzpatrick = new.fitzpatrick
        if fitzpatrick is not None and not 1 <= fitzpatrick <= 6:
            raise RecordValidationError(
                _("Fitzpatrick skin type must be 1 to 6, not {fitzpatrick}.").format(fitzpatrick=fitzpatrick)
            )
        given = _name(new.given_name, "given name")
        family = _name(new.family_name, "family name")
        return models.Patient(
            record_number=normalise_record_number(new.record_number),
            given_name=given,
            family_name=family,
            name_initials=name_initials(family, given),
            report_language=check_report_language(new.report_language),
            date_of_birth=check_birth_date(new.date_of_birth, today),
            sex=parse_choice(Sex, new.sex, "sex").value,
            fitzpatrick=fitzpatrick,
            contact=refuse_resident_number(
                check_text(new.contact, "contact", 200, required=False), "contact"
            ),
            research_consent=new.research_consent,
            consent_date=today if new.research_consent else None,
            consent_recorded_by=actor if new.research_consent else None,
            created_by_id=actor.id,
            created_at=now,
        )


def _name(value: str, what: str) -> str:
    """A checked name part in composed Unicode (NFC), so 김 typed anywhere is stored, and found, alike."""
    text = check_text(unicodedata.normalize("NFC", value or ""), what, 100, required=True)
    assert text is not None  # required
    return refuse_resident_number(text, what) or text
