"""Lesions (the unit of follow-up) and visits (the day a patient was seen).

Why labels like "L1": staff and doctors talk about "the lesion on the left shoulder, L3" across years
of visits; the label is given once, per patient, in order, and never reused. Two rooms starting a
lesion on the same patient at once must not both take "L3": the patient's row is locked (SELECT ...
FOR UPDATE on PostgreSQL; SQLite has one writer at a time anyway) before the next label is read. A
visit is one per patient per day and is opened implicitly by the first capture or diagnosis of that
day (under the same lock, so two rooms share it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dermdesk.i18n import _
from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.database import Database
from dermdesk.records.errors import NotFound, RecordValidationError
from dermdesk.records.patients import find_patient
from dermdesk.records.views import LesionInfo, UserInfo, lesion_info
from dermdesk.records.vocabulary import BodyView, LesionStatus, check_text, parse_choice, parse_site

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewLesion:
    """Where a newly followed lesion is: ISIC site, finer free text, optional body-map point."""

    site: str
    site_detail: str | None = None
    map_x: float | None = None
    map_y: float | None = None
    map_view: str | None = None

    def validated(self) -> NewLesion:
        """A copy with canonical values, or RecordValidationError naming what is wrong."""
        site = parse_site(self.site).value
        detail = check_text(self.site_detail, "site description", 200, required=False)
        given = [v is not None for v in (self.map_x, self.map_y, self.map_view)]
        if any(given) and not all(given):
            raise RecordValidationError(_("A body-map position needs x, y and the view (front or back)."))
        view = None
        if self.map_view is not None:
            view = parse_choice(BodyView, self.map_view, "body-map view").value
            for axis, value in (("x", self.map_x), ("y", self.map_y)):
                if value is None or not 0.0 <= value <= 1.0:
                    raise RecordValidationError(
                        _("The body-map {axis} must be between 0 and 1, not {value}.").format(
                            axis=axis, value=value
                        )
                    )
        return NewLesion(site, detail, self.map_x, self.map_y, view)


def find_lesion(session: Session, patient: models.Patient, label: str) -> models.Lesion:
    wanted = label.strip().upper()
    lesion = session.scalar(
        select(models.Lesion).where(models.Lesion.patient_id == patient.id, models.Lesion.label == wanted)
    )
    if lesion is None:
        raise NotFound(
            _("Patient {record_number} has no lesion {wanted}.").format(
                record_number=patient.record_number, wanted=wanted
            )
        )
    return lesion


def lock_patient(session: Session, patient: models.Patient) -> None:
    """Hold the patient's row until the transaction ends, so per-patient numbering cannot race."""
    session.execute(
        select(models.Patient.id).where(models.Patient.id == patient.id).with_for_update()
    ).scalar_one()


def next_label(session: Session, patient: models.Patient) -> str:
    lock_patient(session, patient)
    labels = session.scalars(select(models.Lesion.label).where(models.Lesion.patient_id == patient.id))
    numbers = [int(label[1:]) for label in labels if label[1:].isdigit()]
    return f"L{max(numbers, default=0) + 1}"


def create_lesion(session: Session, patient: models.Patient, new: NewLesion, today: date) -> models.Lesion:
    """Add a lesion row with the next free label (`new` must be validated)."""
    lesion = models.Lesion(
        patient=patient,
        label=next_label(session, patient),
        anatom_site_general=new.site,
        site_detail=new.site_detail,
        map_x=new.map_x,
        map_y=new.map_y,
        map_view=new.map_view,
        first_seen=today,
        status=LesionStatus.MONITORING.value,
    )
    session.add(lesion)
    session.flush()
    return lesion


def visit_on(session: Session, patient: models.Patient, day: date, clinician: models.User) -> models.Visit:
    """The patient's visit of `day`, opened now by `clinician` if there is none yet (under the patient's
    row lock, so two rooms opening the day's visit at once share one)."""
    query = select(models.Visit).where(models.Visit.patient_id == patient.id, models.Visit.visit_date == day)
    visit = session.scalar(query)
    if visit is None:
        lock_patient(session, patient)
        visit = session.scalar(query)
    if visit is None:
        visit = models.Visit(patient=patient, visit_date=day, clinician=clinician)
        session.add(visit)
        session.flush()
    return visit


class LesionService:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    def add(self, user: UserInfo, record_number: str, new: NewLesion) -> LesionInfo:
        """Start following a lesion (the body-map click in the UI)."""
        lesion_spec = new.validated()
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.CAPTURE, now)
            patient = find_patient(session, record_number)
            lesion = create_lesion(session, patient, lesion_spec, now.astimezone().date())
            record_event(
                session,
                AuditAction.ADD_LESION,
                now,
                user=actor,
                object_type="lesion",
                object_id=f"{patient.record_number}/{lesion.label}",
                detail={"site": lesion_spec.site},
            )
            return lesion_info(lesion)
