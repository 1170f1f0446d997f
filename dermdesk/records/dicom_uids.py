"""DICOM UIDs of a visit's objects, assigned once at the first export and kept in the records.

Why stored: a PACS files objects by their UIDs. Exporting (or, later, resending after a failure) the
same still twice must give the same Study, Series and SOP Instance UIDs, or the PACS shows it twice.
So the first export of a visit assigns a Study Instance UID to the visit, a Series Instance UID to
each lesion-and-light (and to the visit's reports and model results), and a SOP Instance UID to each
still, signed report version and prediction; every later export reads them back. Each of those
objects is immutable once stored, so one UID per object stays right.

Import goes the other way (`adopt`): a still read from a DICOM file keeps the UIDs it came with, so a
round trip to another station and back names the same objects. Where the visit or series already
has different UIDs here, the still is filed without them and gets new ones at its next export.

This module does not know how UIDs are made (that is `dermdesk.interop`); it is handed a function.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dermdesk.i18n import _
from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.database import Database
from dermdesk.records.errors import NotFound
from dermdesk.records.patients import find_patient
from dermdesk.records.views import UserInfo

log = logging.getLogger(__name__)


class DicomObject(StrEnum):
    """What a DICOM instance of the records stands for."""

    IMAGE = "image"
    REPORT = "report"
    PREDICTION = "prediction"


@dataclass(frozen=True)
class ObjectToExport:
    """One object of a visit to be given UIDs: which row, in which series, as which SOP class."""

    kind: DicomObject
    object_id: int
    series_content: str  # the light for stills; "report" or "model result"
    lesion_label: str | None
    sop_class_uid: str


@dataclass(frozen=True)
class InstanceUids:
    study_uid: str
    series_uid: str
    series_number: int
    sop_instance_uid: str
    instance_number: int


@dataclass(frozen=True)
class VisitUids:
    visit_id: int
    study_uid: str
    instances: dict[tuple[DicomObject, int], InstanceUids]

    def of(self, kind: DicomObject, object_id: int) -> InstanceUids:
        return self.instances[(kind, object_id)]


@dataclass(frozen=True)
class ImportedUids:
    """The UIDs a still arrived with."""

    study_uid: str
    series_uid: str
    sop_instance_uid: str
    sop_class_uid: str
    series_number: int | None = None
    instance_number: int | None = None


def forget_image(session: Session, image_id: int) -> None:
    """Drop the instance UIDs of a still deleted in error and of its predictions (capture service)."""
    predictions = select(models.Prediction.id).where(models.Prediction.image_id == image_id)
    rows = session.scalars(
        select(models.DicomInstance).where(
            (models.DicomInstance.image_id == image_id) | models.DicomInstance.prediction_id.in_(predictions)
        )
    )
    for row in rows:
        session.delete(row)
    session.flush()


def _study(
    session: Session, visit: models.Visit, make_uid: Callable[[], str], now: datetime
) -> models.DicomStudy:
    study = session.scalar(select(models.DicomStudy).where(models.DicomStudy.visit_id == visit.id))
    if study is None:
        study = models.DicomStudy(visit_id=visit.id, study_uid=make_uid(), created_at=now)
        session.add(study)
        session.flush()
    return study


def _find_series(
    session: Session, study: models.DicomStudy, lesion_id: int | None, content: str
) -> models.DicomSeries | None:
    query = select(models.DicomSeries).where(
        models.DicomSeries.study_id == study.id, models.DicomSeries.content == content
    )
    lesion_match = (
        models.DicomSeries.lesion_id.is_(None)
        if lesion_id is None
        else models.DicomSeries.lesion_id == lesion_id
    )
    return session.scalar(query.where(lesion_match))


def _new_series(
    session: Session, study: models.DicomStudy, lesion_id: int | None, content: str, uid: str, now: datetime
) -> models.DicomSeries:
    numbers = select(func.max(models.DicomSeries.series_number)).where(
        models.DicomSeries.study_id == study.id
    )
    series = models.DicomSeries(
        study_id=study.id,
        lesion_id=lesion_id,
        content=content,
        series_uid=uid,
        series_number=int(session.scalar(numbers) or 0) + 1,
        created_at=now,
    )
    session.add(series)
    session.flush()
    return series


def _next_instance_number(session: Session, series: models.DicomSeries) -> int:
    query = select(func.max(models.DicomInstance.instance_number)).where(
        models.DicomInstance.series_id == series.id
    )
    return int(session.scalar(query) or 0) + 1


def _instance_of(session: Session, kind: DicomObject, object_id: int) -> models.DicomInstance | None:
    column = {
        DicomObject.IMAGE: models.DicomInstance.image_id,
        DicomObject.REPORT: models.DicomInstance.report_id,
        DicomObject.PREDICTION: models.DicomInstance.prediction_id,
    }[kind]
    return session.scalar(select(models.DicomInstance).where(column == object_id))


def _uids(
    study: models.DicomStudy, series: models.DicomSeries, instance: models.DicomInstance
) -> InstanceUids:
    return InstanceUids(
        study.study_uid,
        series.series_uid,
        series.series_number,
        instance.sop_instance_uid,
        instance.instance_number,
    )


class DicomUidService:
    """Assigning and reading back the DICOM UIDs of a visit's stills, reports and model results."""

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    def assign(
        self,
        user: UserInfo,
        record_number: str,
        visit_id: int,
        objects: Sequence[ObjectToExport],
        make_uid: Callable[[], str],
    ) -> VisitUids:
        """The UIDs of every object (new ones made with `make_uid` and stored); audited as an export."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.VIEW_PATIENTS, now)
            patient = find_patient(session, record_number)
            visit = session.get(models.Visit, visit_id)
            if visit is None or visit.patient_id != patient.id:
                raise NotFound(
                    _("Patient {record_number} has no visit number {visit_id}.").format(
                        record_number=patient.record_number, visit_id=visit_id
                    )
                )
            study = _study(session, visit, make_uid, now)
            lesion_ids = {lesion.label: lesion.id for lesion in patient.lesions}
            found: dict[tuple[DicomObject, int], InstanceUids] = {}
            created = 0
            for wanted in objects:
                instance = _instance_of(session, wanted.kind, wanted.object_id)
                if instance is None:
                    lesion_id = None if wanted.lesion_label is None else lesion_ids[wanted.lesion_label]
                    series = _find_series(session, study, lesion_id, wanted.series_content)
                    if series is None:
                        series = _new_series(
                            session, study, lesion_id, wanted.series_content, make_uid(), now
                        )
                    instance = models.DicomInstance(
                        series_id=series.id,
                        sop_class_uid=wanted.sop_class_uid,
                        sop_instance_uid=make_uid(),
                        instance_number=_next_instance_number(session, series),
                        created_at=now,
                        **{f"{wanted.kind.value}_id": wanted.object_id},
                    )
                    session.add(instance)
                    session.flush()
                    created += 1
                found[(wanted.kind, wanted.object_id)] = _uids(
                    instance.series.study, instance.series, instance
                )
            record_event(
                session,
                AuditAction.EXPORT,
                now,
                user=actor,
                object_type="visit",
                object_id=visit.id,
                detail={
                    "patient": patient.record_number,
                    "format": "dicom",
                    "objects": len(objects),
                    "new_uids": created,
                },
            )
            return VisitUids(visit.id, study.study_uid, found)

    def sent(self, user: UserInfo, record_number: str, visit_id: int, detail: dict[str, str | int]) -> None:
        """Audit a visit sent to one of the clinic's own systems (PACS or EHR): where, what, how many."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.VIEW_PATIENTS, now)
            patient = find_patient(session, record_number)
            visit = session.get(models.Visit, visit_id)
            if visit is None or visit.patient_id != patient.id:
                raise NotFound(
                    _("Patient {record_number} has no visit number {visit_id}.").format(
                        record_number=patient.record_number, visit_id=visit_id
                    )
                )
            record_event(
                session,
                AuditAction.EXPORT,
                now,
                user=actor,
                object_type="visit",
                object_id=visit.id,
                detail={"patient": patient.record_number, **detail},
            )

    def known_instance(self, user: UserInfo, sop_instance_uid: str) -> str | None:
        """Which record already holds the object with this SOP Instance UID (for staff), or None."""
        with self._db.transaction() as session:
            acting_user(session, user, Permission.VIEW_PATIENTS, self._clock())
            row = session.scalar(
                select(models.DicomInstance).where(models.DicomInstance.sop_instance_uid == sop_instance_uid)
            )
            if row is None:
                return None
            if row.image_id is not None:
                image = session.get(models.Image, row.image_id)
                assert image is not None
                return (
                    f"image {image.id} of lesion {image.lesion.label} ({image.lesion.patient.record_number})"
                )
            return f"a {'report' if row.report_id is not None else 'model result'} of this station"

    def adopt(self, user: UserInfo, image_id: int, content: str, uids: ImportedUids) -> bool:
        """Keep the UIDs an imported still came with; False (nothing stored) where they would clash."""
        now = self._clock()
        with self._db.transaction() as session:
            acting_user(session, user, Permission.CAPTURE, now)
            image = session.get(models.Image, image_id)
            if image is None:
                raise NotFound(_("There is no image {image_id}.").format(image_id=image_id))
            taken = select(models.DicomInstance.id).where(
                models.DicomInstance.sop_instance_uid == uids.sop_instance_uid
            )
            if session.scalar(taken) is not None or _instance_of(session, DicomObject.IMAGE, image_id):
                return False
            study = session.scalar(
                select(models.DicomStudy).where(models.DicomStudy.visit_id == image.visit_id)
            )
            if study is None:
                if session.scalar(
                    select(models.DicomStudy).where(models.DicomStudy.study_uid == uids.study_uid)
                ):
                    return False
                study = models.DicomStudy(visit_id=image.visit_id, study_uid=uids.study_uid, created_at=now)
                session.add(study)
                session.flush()
            elif study.study_uid != uids.study_uid:
                return False
            series = _find_series(session, study, image.lesion_id, content)
            if series is None:
                clash = select(models.DicomSeries).where(models.DicomSeries.series_uid == uids.series_uid)
                if session.scalar(clash) is not None:
                    return False
                series = _new_series(session, study, image.lesion_id, content, uids.series_uid, now)
                if uids.series_number is not None:
                    series.series_number = uids.series_number
            elif series.series_uid != uids.series_uid:
                return False
            session.add(
                models.DicomInstance(
                    series_id=series.id,
                    image_id=image_id,
                    sop_class_uid=uids.sop_class_uid,
                    sop_instance_uid=uids.sop_instance_uid,
                    instance_number=uids.instance_number or _next_instance_number(session, series),
                    created_at=now,
                )
            )
            log.info("Imported still %s keeps its DICOM UIDs", image_id)
            return True
