"""The upload outbox: which pictures wait for the central service, written with the change that causes it.

Why queued inside the causing transaction: a diagnosis signed off for a consented patient and its outbox
rows commit together or not at all, so a crash can neither lose a case nor queue one whose sign-off was
rolled back; withdrawing consent deletes the patient's unsent rows in the same transaction, so no later
upload run can send them. What may leave is decided again when a case is sent (`dermdesk.sync`), from the
records as they are then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dermdesk.i18n import _
from dermdesk.records import models
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.database import Database
from dermdesk.records.errors import NotFound
from dermdesk.records.image_store import ImageStore
from dermdesk.records.vocabulary import OutboxState

log = logging.getLogger(__name__)

WHITE_LIGHT_MODES = frozenset({"white", "white_polarised"})
UNSENT = (OutboxState.QUEUED.value, OutboxState.SENDING.value, OutboxState.FAILED.value)
UPLOADER = "uploader"  # the audit log's name for the background uploader


@dataclass(frozen=True)
class OutboxCase:
    """Everything the de-identification needs about one queued picture (identifying fields included:
    they are hashed or binned by `dermdesk.sync.deidentify` and never sent as they are)."""

    entry_id: int
    capture_uid: str
    record_number: str
    lesion_label: str
    research_consent: bool
    date_of_birth: date
    capture_date: date
    sex: str
    anatom_site_general: str
    lighting_mode: str | None
    polarised: bool | None
    contact: bool | None
    dx_code: str | None
    confirmation: str | None
    probabilities: dict[str, float] | None
    model_name: str | None
    model_version: str | None
    image: bytes


@dataclass(frozen=True)
class OutboxRemoval:
    """A case taken out of the queue because the patient withdrew consent."""

    entry_id: int
    image_id: int
    removed_at: datetime


@dataclass(frozen=True)
class OutboxRow:
    """One line of the queue as the UI and `dermdesk upload --list` show it."""

    entry_id: int
    image_id: int
    state: str
    attempts: int
    last_error: str | None
    queued_at: datetime
    updated_at: datetime
    sent_at: datetime | None


def signed_diagnosis(lesion: models.Lesion) -> models.Diagnosis | None:
    """The newest diagnosis a doctor signed off with a model class code, if any."""
    signed = [d for d in lesion.diagnoses if d.signed_off_at is not None and d.dx_code is not None]
    return max(signed, key=lambda d: (d.signed_off_at, d.id)) if signed else None


def queue_lesion(session: Session, lesion: models.Lesion, now: datetime, *, unlabelled: bool = False) -> int:
    """Queue the lesion's white-light pictures if they may leave; return how many rows were added."""
    patient = lesion.patient
    if not patient.research_consent:
        return 0
    if not unlabelled and signed_diagnosis(lesion) is None:
        return 0
    session.flush()
    queued = set(
        session.scalars(
            select(models.OutboxEntry.image_id).join(models.Image).where(models.Image.lesion_id == lesion.id)
        )
    )
    added = 0
    for image in lesion.images:
        if image.id in queued or image.lighting_mode not in WHITE_LIGHT_MODES:
            continue
        session.add(
            models.OutboxEntry(
                image_id=image.id,
                patient_id=patient.id,
                state=OutboxState.QUEUED.value,
                queued_at=now,
                updated_at=now,
            )
        )
        added += 1
    if added:
        log.info("Queued %d picture(s) of lesion %s for the central service", added, lesion.id)
    return added


def queue_patient(
    session: Session, patient: models.Patient, now: datetime, *, unlabelled: bool = False
) -> int:
    return sum(queue_lesion(session, lesion, now, unlabelled=unlabelled) for lesion in patient.lesions)


def withdraw_patient(session: Session, patient: models.Patient, now: datetime | None = None) -> int:
    """Remove the patient's unsent cases (consent withdrawn); sent ones are already at the centre. Each
    removal is noted (`UploadRemoval`) so the queue view shows it rather than a case that vanished."""
    unsent = session.execute(
        select(models.OutboxEntry.id, models.OutboxEntry.image_id).where(
            models.OutboxEntry.patient_id == patient.id, models.OutboxEntry.state.in_(UNSENT)
        )
    ).all()
    if not unsent:
        return 0
    session.execute(delete(models.OutboxEntry).where(models.OutboxEntry.id.in_([row[0] for row in unsent])))
    at = now or datetime.now(UTC)
    session.add_all(
        models.UploadRemoval(outbox_id=entry, image_id=image, removed_at=at) for entry, image in unsent
    )
    removed = len(unsent)
    if removed:
        log.info("Consent withdrawn: %d unsent case(s) removed from the upload queue", removed)
    return removed


def forget_image(session: Session, image_id: int) -> None:
    """A deleted picture leaves the queue with it."""
    session.execute(delete(models.OutboxEntry).where(models.OutboxEntry.image_id == image_id))


class OutboxService:
    """The uploader's side of the queue: claim, read, and record the outcome of each case."""

    def __init__(self, database: Database, store: ImageStore, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._store = store
        self._clock = clock

    def recover_interrupted(self) -> int:
        """Cases left 'sending' by a stopped station go back to the queue (their key makes a resend safe)."""
        return self._requeue(OutboxState.SENDING)

    def _requeue(self, state: OutboxState) -> int:
        """Put every case in ``state`` back in the queue; how many."""
        now = self._clock()
        with self._db.transaction() as session:
            rows = session.scalars(
                select(models.OutboxEntry).where(models.OutboxEntry.state == state.value)
            ).all()
            for row in rows:
                row.state = OutboxState.QUEUED.value
                row.updated_at = now
            return len(rows)

    def claim(self, limit: int = 20) -> list[int]:
        """Mark up to `limit` queued cases as sending and return their ids, oldest first."""
        now = self._clock()
        with self._db.transaction() as session:
            rows = session.scalars(
                select(models.OutboxEntry)
                .where(models.OutboxEntry.state == OutboxState.QUEUED.value)
                .order_by(models.OutboxEntry.id)
                .limit(limit)
            ).all()
            for row in rows:
                row.state = OutboxState.SENDING.value
                row.attempts += 1
                row.updated_at = now
            return [row.id for row in rows]

    def case(self, entry_id: int) -> OutboxCase:
        """The facts and picture of a queued case, as the records hold them now."""
        with self._db.transaction() as session:
            row = session.get(models.OutboxEntry, entry_id)
            if row is None:
                raise NotFound(
                    _("Case {entry_id} is no longer queued (consent withdrawn or picture deleted).").format(
                        entry_id=entry_id
                    )
                )
            image, patient = row.image, row.patient
            lesion = image.lesion
            diagnosis = signed_diagnosis(lesion)
            prediction = image.predictions[-1] if image.predictions else None
            facts = OutboxCase(
                entry_id=row.id,
                capture_uid=image.capture_uid,
                record_number=patient.record_number,
                lesion_label=lesion.label,
                research_consent=patient.research_consent,
                date_of_birth=patient.date_of_birth,
                capture_date=image.captured_at.date(),
                sex=patient.sex,
                anatom_site_general=lesion.anatom_site_general,
                lighting_mode=image.lighting_mode,
                polarised=image.polarised,
                contact=image.contact,
                dx_code=diagnosis.dx_code if diagnosis else None,
                confirmation=diagnosis.confirmation if diagnosis else None,
                probabilities=dict(prediction.probabilities) if prediction else None,
                model_name=prediction.model_name if prediction else None,
                model_version=prediction.model_version if prediction else None,
                image=b"",
            )
            relative_path = image.relative_path
        return _with_image(facts, self._store.read(relative_path))

    def mark_sent(self, entry_id: int, central_case_id: str, *, replayed: bool) -> None:
        """Record the centre's receipt and audit the upload, in one transaction."""
        now = self._clock()
        with self._db.transaction() as session:
            row = session.get(models.OutboxEntry, entry_id)
            if row is None:  # consent withdrawn while the case was on its way: it has arrived anyway
                log.warning("Case %s arrived at the central service after it left the queue", entry_id)
                return
            row.state = OutboxState.SENT.value
            row.central_case_id = central_case_id[:64]
            row.sent_at = now
            row.updated_at = now
            row.last_error = None
            record_event(
                session,
                AuditAction.UPLOAD,
                now,
                username=UPLOADER,
                object_type="image",
                object_id=row.image_id,
                detail={"outbox": row.id, "central_case": row.central_case_id, "replayed": replayed},
            )

    def mark_unsent(self, entry_id: int, reason: str, *, permanent: bool) -> None:
        """A failed attempt: back to the queue to retry, or failed for good when retrying cannot help."""
        now = self._clock()
        with self._db.transaction() as session:
            row = session.get(models.OutboxEntry, entry_id)
            if row is None:
                return
            row.state = (OutboxState.FAILED if permanent else OutboxState.QUEUED).value
            row.last_error = reason[:300]
            row.updated_at = now

    def release(self, entry_id: int) -> None:
        """A claimed case the sender did not get to (the station is closing): back to the queue as it
        was, its attempt not counted."""
        now = self._clock()
        with self._db.transaction() as session:
            row = session.get(models.OutboxEntry, entry_id)
            if row is None or row.state != OutboxState.SENDING.value:
                return
            row.state = OutboxState.QUEUED.value
            row.attempts = max(row.attempts - 1, 0)
            row.updated_at = now

    def requeue_failed(self) -> int:
        """Put every case that failed for good back in the queue (after the cause was fixed)."""
        return self._requeue(OutboxState.FAILED)

    def counts(self) -> dict[str, int]:
        """How many cases are in each state (every state present, zero when empty)."""
        with self._db.transaction() as session:
            found = dict(
                session.execute(
                    select(models.OutboxEntry.state, func.count()).group_by(models.OutboxEntry.state)
                ).all()
            )
        return {state.value: int(found.get(state.value, 0)) for state in OutboxState}

    def rows(self, limit: int = 500) -> list[OutboxRow]:
        with self._db.transaction() as session:
            query = select(models.OutboxEntry).order_by(models.OutboxEntry.id.desc()).limit(limit)
            return [
                OutboxRow(
                    r.id, r.image_id, r.state, r.attempts, r.last_error, r.queued_at, r.updated_at, r.sent_at
                )
                for r in session.scalars(query)
            ]

    def removals(self, limit: int = 200) -> list[OutboxRemoval]:
        """Cases removed from the queue by a consent withdrawal, newest first."""
        with self._db.transaction() as session:
            query = select(models.UploadRemoval).order_by(models.UploadRemoval.id.desc()).limit(limit)
            return [OutboxRemoval(r.outbox_id, r.image_id, r.removed_at) for r in session.scalars(query)]


def _with_image(facts: OutboxCase, image: bytes) -> OutboxCase:
    from dataclasses import replace

    return replace(facts, image=image)
