"""Teledermatology consults in the station's records: consent, the request, its outbox, the replies.

Why in the records: a consult, the message that sends it and its audit entry commit together, so a crash
can neither lose a consult nor send one twice (each message's idempotency key derives from its row); a
reply is stored once per version (a unique constraint), whatever how often it is fetched. What the text
may say is screened by the caller (`dermdesk.consults`) through `screen`, inside the same transaction,
against the patient's identifiers as the records hold them then.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dermdesk.i18n import _
from dermdesk.inference.classes import DISPLAY_NAMES
from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.database import Database
from dermdesk.records.errors import NotFound, RecordValidationError
from dermdesk.records.image_store import ImageStore
from dermdesk.records.patients import find_patient
from dermdesk.records.views import UserInfo
from dermdesk.records.vocabulary import (
    ConsultMessageKind,
    ConsultState,
    OutboxState,
    Urgency,
    parse_choice,
)

SENDER = "consult sender"  # the audit log's name for the background sender
DEFAULT_LIGHTS = frozenset({"white", "white_polarised"})
OPEN = (ConsultState.QUEUED, ConsultState.SENT, ConsultState.IN_REVIEW, ConsultState.MORE_INFORMATION)
CENTRAL_STATES = {
    "received": ConsultState.SENT,
    "in review": ConsultState.IN_REVIEW,
    "more information requested": ConsultState.MORE_INFORMATION,
    "answered": ConsultState.ANSWERED,
    "cancelled": ConsultState.CANCELLED,
}


@dataclass(frozen=True)
class PatientIdentity:
    """What identifies the patient, for the check of free text that would leave the clinic."""

    record_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    contact: str | None


Screen = Callable[[PatientIdentity, str], None]
"""Raises RecordValidationError (with the reason) when the text names the patient."""


@dataclass(frozen=True)
class ConsultDraft:
    record_number: str
    lesion_label: str
    question: str
    urgency: str = "routine"
    history: dict[str, Any] = field(default_factory=dict)
    image_ids: tuple[int, ...] | None = None  # None: the newest visit's white and polarised stills


@dataclass(frozen=True)
class ReplyInfo:
    version: int
    kind: str
    opinion: str
    diagnosis: str | None
    management: str | None
    follow_up_months: int | None
    amends: int | None
    specialist_name: str
    specialist_registration: str
    answered_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None

    @property
    def is_answer(self) -> bool:
        return self.kind != "more information"

    def management_words(self) -> str:
        if self.management == "follow-up":
            return f"follow-up in {self.follow_up_months} months"
        return self.management or ""

    def lines(self) -> list[str]:
        """The reply as people read it (inbox, CLI, visit report, referral letter, timeline)."""
        who = f"{self.specialist_name} (reg. {self.specialist_registration})"
        when = self.answered_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        if not self.is_answer:
            return [f"More information requested by {who}, {when}: {self.opinion}"]
        title = "Amendment" if self.kind == "amendment" else "Answer"
        if self.amends:
            title += f" (version {self.version}, corrects version {self.amends})"
        diagnosis = DISPLAY_NAMES.get(self.diagnosis or "", self.diagnosis or "")
        out = [
            f"{title} by {who}, {when}",
            f"Diagnosis: {diagnosis}; management: {self.management_words()}",
            f"Opinion: {self.opinion}",
        ]
        if self.acknowledged_at is not None:
            out.append(f"Acknowledged by {self.acknowledged_by}, {self.acknowledged_at:%Y-%m-%d %H:%M}")
        else:
            out.append("Waiting for a clinic doctor's acknowledgement")
        return out


@dataclass(frozen=True)
class ConsultInfo:
    """One consult as the inbox and the records show it."""

    id: int
    record_number: str
    lesion_label: str
    question: str
    urgency: str
    state: str
    escalated: bool
    central_id: str | None
    image_ids: tuple[int, ...]
    created_at: datetime
    replies: tuple[ReplyInfo, ...]
    last_error: str | None

    @property
    def shown_state(self) -> str:
        return "escalated" if self.escalated else self.state

    @property
    def awaiting_acknowledgement(self) -> tuple[ReplyInfo, ...]:
        return tuple(r for r in self.replies if r.kind != "more information" and r.acknowledged_at is None)


@dataclass(frozen=True)
class StillFacts:
    image_id: int
    lighting_mode: str | None
    contact: bool | None
    data: bytes


@dataclass(frozen=True)
class ConsultMessageFacts:
    """Everything the sender needs for one queued message (identifying facts are pseudonymised there)."""

    message_id: int
    kind: str
    consult_uid: str
    central_id: str | None
    record_number: str
    lesion_label: str
    date_of_birth: date
    sex: str
    anatom_site_general: str
    research_consent: bool
    question: str
    urgency: str
    history: dict[str, Any]
    note: str
    stills: tuple[StillFacts, ...]
    clip_path: str | None
    clip_seconds: float | None
    prediction: dict[str, Any] | None
    capture_date: date


class ConsultService:
    def __init__(self, database: Database, store: ImageStore, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._store = store
        self._clock = clock

    # --- consent -------------------------------------------------------------------------------------
    def set_consent(self, user: UserInfo, record_number: str, given: bool) -> None:
        """Record the patient's teleconsultation consent (or its withdrawal); audited."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.REGISTER_PATIENTS, now)
            patient = find_patient(session, record_number)
            row = session.scalar(
                select(models.TeleconsultConsent).where(models.TeleconsultConsent.patient_id == patient.id)
            )
            if row is None:
                row = models.TeleconsultConsent(
                    patient_id=patient.id, given=given, recorded_by_id=actor.id, recorded_at=now
                )
                session.add(row)
            row.given, row.recorded_by_id, row.recorded_at = given, actor.id, now
            record_event(
                session,
                AuditAction.TELECONSULT_CONSENT,
                now,
                user=actor,
                object_type="patient",
                object_id=patient.record_number,
                detail={"given": given},
            )

    def has_consent(self, user: UserInfo, record_number: str) -> bool:
        now = self._clock()
        with self._db.transaction() as session:
            acting_user(session, user, Permission.VIEW_PATIENTS, now)
            return _consented(session, find_patient(session, record_number))

    # --- the request ---------------------------------------------------------------------------------
    def create(self, user: UserInfo, draft: ConsultDraft, screen: Screen) -> ConsultInfo:
        """File the consult and queue it for sending, or refuse with the reason (nothing is kept)."""
        now = self._clock()
        urgency = parse_choice(Urgency, draft.urgency, "urgency")
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.CAPTURE, now)
            patient = find_patient(session, draft.record_number)
            _require_consent(session, patient)
            lesion = _lesion(patient, draft.lesion_label)
            question = (draft.question or "").strip()
            if not question:
                raise RecordValidationError(_("Write the question for the dermatologist."))
            screen(_identity(patient), question)
            images = _chosen(lesion, draft.image_ids)
            consult = models.Consult(
                uid=secrets.token_hex(16),
                patient_id=patient.id,
                lesion_id=lesion.id,
                created_by_id=actor.id,
                question=question,
                urgency=urgency.value,
                history=dict(draft.history),
                image_ids=[i.id for i in images],
                state=ConsultState.QUEUED.value,
                created_at=now,
                updated_at=now,
            )
            session.add(consult)
            session.flush()
            _queue(session, consult, ConsultMessageKind.REQUEST, now, image_ids=consult.image_ids)
            record_event(
                session,
                AuditAction.CONSULT_CREATE,
                now,
                user=actor,
                object_type="consult",
                object_id=consult.id,
                detail={"lesion": lesion.label, "pictures": len(images), "urgency": urgency.value},
            )
            return _info(consult)

    def preview(self, user: UserInfo, draft: ConsultDraft, screen: Screen) -> ConsultMessageFacts:
        """The facts a consult of `draft` would carry, after the same checks as `create`; nothing is
        written (the window shows the sender exactly what will leave, built from these)."""
        now = self._clock()
        with self._db.transaction() as session:
            acting_user(session, user, Permission.CAPTURE, now)
            patient = find_patient(session, draft.record_number)
            _require_consent(session, patient)
            lesion = _lesion(patient, draft.lesion_label)
            question = (draft.question or "").strip()
            if not question:
                raise RecordValidationError(_("Write the question for the dermatologist."))
            screen(_identity(patient), question)
            images = _chosen(lesion, draft.image_ids)
            facts = _facts(
                session, patient, lesion, images, question, draft.urgency, dict(draft.history), now
            )
        return self._with_stills(facts, [(i.id, i.lighting_mode, i.contact, i.relative_path) for i in images])

    def _with_stills(
        self, facts: dict[str, Any], paths: list[tuple[int, str | None, bool | None, str]]
    ) -> ConsultMessageFacts:
        stills = tuple(
            StillFacts(i, light, contact, self._store.read(path)) for i, light, contact, path in paths
        )
        return ConsultMessageFacts(stills=stills, **facts)

    def add_information(
        self,
        user: UserInfo,
        consult_id: int,
        image_ids: Iterable[int],
        screen: Screen,
        *,
        note: str = "",
        clip_path: str | None = None,
        clip_seconds: float | None = None,
    ) -> ConsultInfo:
        """Queue new stills and/or a clip the specialist asked for; the consult goes back to the queue."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.CAPTURE, now)
            consult = _consult(session, consult_id)
            if consult.state in (ConsultState.ANSWERED.value, ConsultState.CANCELLED.value):
                raise RecordValidationError(
                    _("Consult {id} is {state}; nothing can be added.").format(
                        id=consult.id, state=_(consult.state)
                    )
                )
            ids = [i.id for i in _chosen(consult.lesion, tuple(image_ids), allow_empty=clip_path is not None)]
            if not ids and clip_path is None:
                raise RecordValidationError(_("Choose a new still or record a clip to send."))
            if note.strip():
                screen(_identity(consult.patient), note)
            _queue(
                session,
                consult,
                ConsultMessageKind.INFORMATION,
                now,
                image_ids=ids,
                note=note.strip(),
                clip_path=clip_path,
                clip_seconds=clip_seconds,
            )
            consult.state = ConsultState.QUEUED.value
            consult.updated_at = now
            record_event(
                session,
                AuditAction.CONSULT_INFORMATION,
                now,
                user=actor,
                object_type="consult",
                object_id=consult.id,
                detail={"pictures": len(ids), "clip": clip_path is not None},
            )
            return _info(consult)

    def cancel(self, user: UserInfo, consult_id: int) -> ConsultInfo:
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.CAPTURE, now)
            consult = _consult(session, consult_id)
            if consult.state == ConsultState.ANSWERED.value:
                raise RecordValidationError(
                    _("Consult {id} is answered; it cannot be cancelled.").format(id=consult.id)
                )
            unsent = [m for m in consult.messages if m.state != OutboxState.SENT.value]
            if consult.central_id is None and all(m.kind == ConsultMessageKind.REQUEST.value for m in unsent):
                for message in unsent:  # never left: nothing to tell the centre
                    session.delete(message)
            else:
                _queue(session, consult, ConsultMessageKind.CANCEL, now, image_ids=[])
            consult.state = ConsultState.CANCELLED.value
            consult.updated_at = now
            record_event(
                session,
                AuditAction.CONSULT_CANCEL,
                now,
                user=actor,
                object_type="consult",
                object_id=consult.id,
            )
            return _info(consult)

    # --- reading ---------------------------------------------------------------------------------------
    def inbox(self, user: UserInfo, *, record_number: str | None = None) -> list[ConsultInfo]:
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.VIEW_PATIENTS, now)
            query = select(models.Consult).order_by(models.Consult.id.desc())
            if record_number is not None:
                query = query.where(models.Consult.patient_id == find_patient(session, record_number).id)
            found = [_info(c) for c in session.scalars(query)]
            record_event(  # the list names patients and shows the replies: a view of their records
                session,
                AuditAction.CONSULT_VIEW,
                now,
                user=actor,
                object_type="consult list",
                object_id=record_number,
                detail={"consults": [c.id for c in found][:200]},
            )
            return found

    def get(self, user: UserInfo, consult_id: int) -> ConsultInfo:
        """One consult with its replies; audited as a view (the replies are part of the record)."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.VIEW_PATIENTS, now)
            consult = _consult(session, consult_id)
            record_event(
                session,
                AuditAction.CONSULT_VIEW,
                now,
                user=actor,
                object_type="consult",
                object_id=consult.id,
            )
            return _info(consult)

    def for_lesion(self, session: Session, lesion_id: int) -> list[ConsultInfo]:
        """The consults of a lesion inside a caller's transaction (reports, timeline)."""
        query = (
            select(models.Consult).where(models.Consult.lesion_id == lesion_id).order_by(models.Consult.id)
        )
        return [_info(c) for c in session.scalars(query)]

    def acknowledge(self, user: UserInfo, consult_id: int) -> ConsultInfo:
        """A clinic doctor has read the specialist's answer (every version not yet acknowledged); audited."""
        now = self._clock()
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.DIAGNOSE, now)
            consult = _consult(session, consult_id)
            pending = [
                r for r in consult.answers if r.kind != "more information" and r.acknowledged_at is None
            ]
            if not pending:
                raise RecordValidationError(
                    _("Consult {id} has no answer waiting for acknowledgement.").format(id=consult.id)
                )
            for reply in pending:
                reply.acknowledged_by_id, reply.acknowledged_at = actor.id, now
            record_event(
                session,
                AuditAction.CONSULT_ACKNOWLEDGE,
                now,
                user=actor,
                object_type="consult",
                object_id=consult.id,
                detail={"versions": [r.version for r in pending]},
            )
            session.flush()
            session.refresh(consult)
            return _info(consult)

    # --- the sender's side ---------------------------------------------------------------------------
    def recover_interrupted(self) -> int:
        now = self._clock()
        with self._db.transaction() as session:
            rows = session.scalars(
                select(models.ConsultMessage).where(models.ConsultMessage.state == OutboxState.SENDING.value)
            ).all()
            for row in rows:
                row.state, row.updated_at = OutboxState.QUEUED.value, now
            return len(rows)

    def claim(self, limit: int = 20) -> list[int]:
        """Mark up to `limit` queued messages as sending, oldest first (a consult's in order)."""
        now = self._clock()
        with self._db.transaction() as session:
            rows = session.scalars(
                select(models.ConsultMessage)
                .where(models.ConsultMessage.state == OutboxState.QUEUED.value)
                .order_by(models.ConsultMessage.id)
                .limit(limit)
            ).all()
            for row in rows:
                row.state, row.attempts, row.updated_at = OutboxState.SENDING.value, row.attempts + 1, now
            return [row.id for row in rows]

    def message(self, message_id: int) -> ConsultMessageFacts:
        with self._db.transaction() as session:
            row = session.get(models.ConsultMessage, message_id)
            if row is None:
                raise NotFound(
                    _("Consult message {message_id} is no longer queued.").format(message_id=message_id)
                )
            consult, patient = row.consult, row.consult.patient
            images = [session.get(models.Image, i) for i in row.image_ids]
            paths = [(i.id, i.lighting_mode, i.contact, i.relative_path) for i in images if i is not None]
            first = session.get(models.Image, consult.image_ids[0]) if consult.image_ids else None
            prediction = None
            if first is not None and first.predictions:
                p = first.predictions[-1]
                prediction = {
                    "probabilities": dict(p.probabilities),
                    "model_name": p.model_name,
                    "model_version": p.model_version,
                    "refer": p.refer,
                }
            facts = dict(
                message_id=row.id,
                kind=row.kind,
                consult_uid=consult.uid,
                central_id=consult.central_id,
                record_number=patient.record_number,
                lesion_label=consult.lesion.label,
                date_of_birth=patient.date_of_birth,
                sex=patient.sex,
                anatom_site_general=consult.lesion.anatom_site_general,
                research_consent=patient.research_consent,
                question=consult.question,
                urgency=consult.urgency,
                history=dict(consult.history),
                note=row.note,
                clip_path=row.clip_path,
                clip_seconds=row.clip_seconds,
                prediction=prediction,
                capture_date=(first.captured_at.date() if first is not None else consult.created_at.date()),
            )
        stills = tuple(
            StillFacts(i, light, contact, self._store.read(path)) for i, light, contact, path in paths
        )
        return ConsultMessageFacts(stills=stills, **facts)  # type: ignore[arg-type]

    def mark_sent(self, message_id: int, central_id: str, *, replayed: bool) -> None:
        now = self._clock()
        with self._db.transaction() as session:
            row = session.get(models.ConsultMessage, message_id)
            if row is None:
                return
            row.state, row.sent_at, row.updated_at, row.last_error = OutboxState.SENT.value, now, now, None
            consult = row.consult
            if consult.central_id is None:
                consult.central_id = central_id[:20]
            if row.kind != ConsultMessageKind.CANCEL.value and consult.state == ConsultState.QUEUED.value:
                consult.state = ConsultState.SENT.value
            consult.updated_at = now
            record_event(
                session,
                AuditAction.CONSULT_SENT,
                now,
                username=SENDER,
                object_type="consult",
                object_id=consult.id,
                detail={
                    "message": row.id,
                    "kind": row.kind,
                    "central": consult.central_id,
                    "replayed": replayed,
                },
            )

    def mark_unsent(self, message_id: int, reason: str, *, permanent: bool) -> None:
        now = self._clock()
        with self._db.transaction() as session:
            row = session.get(models.ConsultMessage, message_id)
            if row is None:
                return
            row.state = (OutboxState.FAILED if permanent else OutboxState.QUEUED).value
            row.last_error, row.updated_at = reason[:300], now

    def to_follow(self) -> list[tuple[int, str]]:
        """(id, central id) of consults at the centre that may still change."""
        with self._db.transaction() as session:
            rows = session.execute(
                select(models.Consult.id, models.Consult.central_id).where(
                    models.Consult.central_id.is_not(None),
                    models.Consult.state.in_([s.value for s in OPEN if s != ConsultState.QUEUED])
                    | (models.Consult.state == ConsultState.ANSWERED.value),
                )
            ).all()
            return [(int(i), str(c)) for i, c in rows]

    def store_replies(self, consult_id: int, central_state: str, replies: Iterable[dict[str, Any]]) -> int:
        """File the replies not yet filed (each version once) and follow the centre's state; how many."""
        now = self._clock()
        with self._db.transaction() as session:
            consult = _consult(session, consult_id)
            known = {r.version for r in consult.answers}
            added = 0
            for reply in replies:
                if reply["version"] in known:
                    continue  # a version never changes: the first copy stays
                values = {k: reply[k] for k in REPLY_FIELDS}
                if values["answered_at"].tzinfo is None:  # the centre keeps UTC without a zone
                    values["answered_at"] = values["answered_at"].replace(tzinfo=UTC)
                session.add(models.ConsultReply(consult_id=consult.id, received_at=now, **values))
                added += 1
                record_event(
                    session,
                    AuditAction.CONSULT_REPLY,
                    now,
                    username=SENDER,
                    object_type="consult",
                    object_id=consult.id,
                    detail={
                        "version": reply["version"],
                        "kind": reply["kind"],
                        "diagnosis": reply["diagnosis"],
                    },
                )
            unsent = any(m.state != OutboxState.SENT.value for m in consult.messages)
            if not unsent and consult.state != ConsultState.CANCELLED.value:
                consult.state = CENTRAL_STATES.get(central_state, ConsultState.SENT).value
            if consult.state in (ConsultState.ANSWERED.value, ConsultState.CANCELLED.value):
                consult.escalated_at = None
            consult.updated_at = now
            return added

    def escalate(self, after: timedelta) -> list[int]:
        """Flag urgent consults unanswered for longer than `after`; the ids newly flagged."""
        now = self._clock()
        with self._db.transaction() as session:
            rows = session.scalars(
                select(models.Consult).where(
                    models.Consult.urgency == Urgency.URGENT.value,
                    models.Consult.escalated_at.is_(None),
                    models.Consult.state.in_([s.value for s in OPEN]),
                    models.Consult.created_at <= now - after,
                )
            ).all()
            for consult in rows:
                consult.escalated_at = now
                record_event(
                    session,
                    AuditAction.CONSULT_ESCALATE,
                    now,
                    username=SENDER,
                    object_type="consult",
                    object_id=consult.id,
                    detail={"hours": round(after.total_seconds() / 3600, 2)},
                )
            return [c.id for c in rows]


REPLY_FIELDS = (
    "version",
    "kind",
    "opinion",
    "diagnosis",
    "management",
    "follow_up_months",
    "amends",
    "specialist_name",
    "specialist_registration",
    "answered_at",
)


def _facts(
    session: Session,
    patient: models.Patient,
    lesion: models.Lesion,
    images: list[models.Image],
    question: str,
    urgency: str,
    history: dict[str, Any],
    when: datetime,
) -> dict[str, Any]:
    """The facts of a consult except its stills' bytes (read after the transaction)."""
    first = next((i for i in images if not _overview(i)), None)
    prediction = None
    if first is not None and first.predictions:
        p = first.predictions[-1]
        prediction = {
            "probabilities": dict(p.probabilities),
            "model_name": p.model_name,
            "model_version": p.model_version,
            "refer": p.refer,
        }
    return {
        "message_id": 0,
        "kind": ConsultMessageKind.REQUEST.value,
        "consult_uid": "",
        "central_id": None,
        "record_number": patient.record_number,
        "lesion_label": lesion.label,
        "date_of_birth": patient.date_of_birth,
        "sex": patient.sex,
        "anatom_site_general": lesion.anatom_site_general,
        "research_consent": patient.research_consent,
        "question": question,
        "urgency": urgency,
        "history": history,
        "note": "",
        "clip_path": None,
        "clip_seconds": None,
        "prediction": prediction,
        "capture_date": first.captured_at.date() if first is not None else when.date(),
    }


def _require_consent(session: Session, patient: models.Patient) -> None:
    if not _consented(session, patient):
        raise RecordValidationError(
            _(
                "Patient {record_number} has not consented to teleconsultation; record the "
                "consent before asking a dermatologist."
            ).format(record_number=patient.record_number)
        )


def _consented(session: Session, patient: models.Patient) -> bool:
    row = session.scalar(
        select(models.TeleconsultConsent).where(models.TeleconsultConsent.patient_id == patient.id)
    )
    return bool(row is not None and row.given)


def _identity(patient: models.Patient) -> PatientIdentity:
    return PatientIdentity(
        patient.record_number, patient.given_name, patient.family_name, patient.date_of_birth, patient.contact
    )


def _lesion(patient: models.Patient, label: str) -> models.Lesion:
    for lesion in patient.lesions:
        if lesion.label == label.strip().upper():
            return lesion
    raise NotFound(
        _("Patient {record_number} has no lesion {label}.").format(
            record_number=patient.record_number, label=label
        )
    )


def _chosen(
    lesion: models.Lesion, image_ids: tuple[int, ...] | None, *, allow_empty: bool = False
) -> list[models.Image]:
    """The pictures to send: those chosen (of this lesion), or the newest visit's white-light stills
    and its overview photo. A consult needs at least one dermoscopic still."""
    if image_ids is None:
        if not lesion.images:
            raise RecordValidationError(
                _("Lesion {label} has no pictures; capture one before asking.").format(label=lesion.label)
            )
        newest = max(
            i.visit_id for i in lesion.images if i.lighting_mode in DEFAULT_LIGHTS or i.lighting_mode is None
        )
        chosen = [
            i
            for i in lesion.images
            if i.visit_id == newest and (i.lighting_mode in DEFAULT_LIGHTS or _overview(i))
        ]
    else:
        own = {i.id: i for i in lesion.images}
        missing = [i for i in image_ids if i not in own]
        if missing:
            raise NotFound(
                _("Picture(s) {value} are not of lesion {label}.").format(
                    value=", ".join(map(str, missing)), label=lesion.label
                )
            )
        chosen = [own[i] for i in image_ids]
    if allow_empty and not chosen:
        return []
    if not any(not _overview(i) for i in chosen):
        raise RecordValidationError(
            _("A consult needs at least one dermoscopic still of the lesion; capture or choose one.")
        )
    return chosen


def _overview(image: models.Image) -> bool:
    return image.lighting_mode is None


def _consult(session: Session, consult_id: int) -> models.Consult:
    consult = session.get(models.Consult, consult_id)
    if consult is None:
        raise NotFound(_("There is no consult {consult_id}.").format(consult_id=consult_id))
    return consult


def _queue(
    session: Session,
    consult: models.Consult,
    kind: ConsultMessageKind,
    now: datetime,
    *,
    image_ids: list[int],
    note: str = "",
    clip_path: str | None = None,
    clip_seconds: float | None = None,
) -> None:
    session.add(
        models.ConsultMessage(
            consult_id=consult.id,
            kind=kind.value,
            note=note,
            image_ids=list(image_ids),
            clip_path=clip_path,
            clip_seconds=clip_seconds,
            state=OutboxState.QUEUED.value,
            queued_at=now,
            updated_at=now,
        )
    )
    session.flush()


def _info(consult: models.Consult) -> ConsultInfo:
    failed = [m.last_error for m in consult.messages if m.state != OutboxState.SENT.value and m.last_error]
    return ConsultInfo(
        id=consult.id,
        record_number=consult.patient.record_number,
        lesion_label=consult.lesion.label,
        question=consult.question,
        urgency=consult.urgency,
        state=consult.state,
        escalated=consult.escalated_at is not None,
        central_id=consult.central_id,
        image_ids=tuple(consult.image_ids),
        created_at=consult.created_at,
        replies=tuple(
            ReplyInfo(
                r.version,
                r.kind,
                r.opinion,
                r.diagnosis,
                r.management,
                r.follow_up_months,
                r.amends,
                r.specialist_name,
                r.specialist_registration,
                r.answered_at,
                r.acknowledged_by.display_name if r.acknowledged_by else None,
                r.acknowledged_at,
            )
            for r in consult.answers
        ),
        last_error=failed[-1] if failed else None,
    )
