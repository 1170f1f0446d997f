"""A patient's change stamp: a few numbers that change whenever anything in the record changes.

Why: a room showing a patient must see what another room files meanwhile (a new lesion, a picture, a
signature). Re-reading the whole record every few seconds would be heavy and would fill the audit log
with views nobody made; the stamp reads only counts and row versions (no names, no clinical content),
so a station polls it cheaply and re-reads (an audited view) only when it changed. It works the same on
SQLite and PostgreSQL, without LISTEN/NOTIFY, and survives a reconnect without re-subscribing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user
from dermdesk.records.database import Database
from dermdesk.records.patients import find_patient
from dermdesk.records.views import UserInfo

ChangeStamp = tuple[int, ...]


class ChangeStamps:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    def of_patient(self, user: UserInfo, record_number: str) -> ChangeStamp:
        """Numbers that differ as soon as the patient, a lesion, a picture, a diagnosis, a referral or
        a visit of this patient was added or changed by any station."""
        with self._db.transaction() as session:
            acting_user(session, user, Permission.VIEW_PATIENTS, self._clock())
            patient = find_patient(session, record_number)
            lesions = select(models.Lesion.id).where(models.Lesion.patient_id == patient.id)
            counts = [
                select(func.count(), func.coalesce(func.sum(models.Lesion.row_version), 0)).where(
                    models.Lesion.patient_id == patient.id
                ),
                select(func.count(), func.coalesce(func.max(models.Image.id), 0)).where(
                    models.Image.lesion_id.in_(lesions)
                ),
                select(func.count(), func.coalesce(func.sum(models.Diagnosis.row_version), 0)).where(
                    models.Diagnosis.lesion_id.in_(lesions)
                ),
                select(func.count(), func.coalesce(func.max(models.Referral.id), 0)).where(
                    models.Referral.lesion_id.in_(lesions)
                ),
                select(func.count()).where(models.Visit.patient_id == patient.id),
            ]
            stamp = [patient.row_version]
            for query in counts:
                stamp.extend(int(value) for value in session.execute(query).one())
            return tuple(stamp)
