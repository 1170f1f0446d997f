"""The records tables: patient ▸ visit ▸ lesion ▸ image ▸ prediction ▸ diagnosis, plus users and audit.

Why these shapes:
- A `Lesion` is the unit of follow-up: it keeps a stable per-patient label ("L1") and a body-map
  position, and collects images and diagnoses over many visits.
- An `Image` row points at a content-addressed file (its sha256), so a file can always be verified
  against its row and the same bytes are never stored twice.
- Enumerated values are plain strings guarded by CHECK constraints generated from
  `dermdesk.records.vocabulary`, readable in any SQL tool and identical on SQLite and PostgreSQL.
- `AuditEvent` is append-only: the migration adds triggers refusing UPDATE and DELETE.
- The rows people change (patients, lesions, diagnoses) carry a `row_version` that SQLAlchemy checks
  and bumps on every UPDATE (`version_id_col`): when two stations of one clinic change the same row,
  the second UPDATE matches nothing and is refused instead of silently overwriting the first.
Services convert rows into the plain dataclasses of `views` before the session closes; rows never
leave the records core.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dermdesk.records.base import Base, utcnow
from dermdesk.records.vocabulary import (
    AnatomSite,
    BodyView,
    Confirmation,
    ConsultMessageKind,
    ConsultState,
    LesionStatus,
    OutboxState,
    ReferralStatus,
    Role,
    Sex,
    Urgency,
    sql_in,
)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(sql_in("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (
        CheckConstraint(sql_in("sex", Sex), name="sex"),
        CheckConstraint("fitzpatrick BETWEEN 1 AND 6", name="fitzpatrick"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_number: Mapped[str] = mapped_column(String(20), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date]
    sex: Mapped[str] = mapped_column(String(8))
    fitzpatrick: Mapped[int | None]
    contact: Mapped[str | None] = mapped_column(String(200))
    research_consent: Mapped[bool] = mapped_column(default=False)
    consent_date: Mapped[date | None]
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    row_version: Mapped[int] = mapped_column(server_default="1")
    report_language: Mapped[str | None] = mapped_column(String(8))  # None: the clinic's (settings)
    name_initials: Mapped[str | None] = mapped_column(String(210))  # 초성 for search ("ㄱㅁㅅ ㅁㅅㄱ")

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012 - SQLAlchemy reads it once

    visits: Mapped[list[Visit]] = relationship(back_populates="patient", order_by="Visit.visit_date")
    lesions: Mapped[list[Lesion]] = relationship(back_populates="patient", order_by="Lesion.id")
    consent_recorded_by: Mapped[User | None] = relationship(foreign_keys=[consent_recorded_by_id])


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (UniqueConstraint("patient_id", "visit_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    visit_date: Mapped[date]
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="visits")
    clinician: Mapped[User] = relationship()


class Lesion(Base):
    __tablename__ = "lesions"
    __table_args__ = (
        UniqueConstraint("patient_id", "label"),
        CheckConstraint(sql_in("anatom_site_general", AnatomSite), name="site"),
        CheckConstraint(sql_in("status", LesionStatus), name="status"),
        CheckConstraint(sql_in("map_view", BodyView), name="map_view"),
        CheckConstraint("map_x BETWEEN 0 AND 1 AND map_y BETWEEN 0 AND 1", name="map_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    label: Mapped[str] = mapped_column(String(8))
    anatom_site_general: Mapped[str] = mapped_column(String(20))
    site_detail: Mapped[str | None] = mapped_column(String(200))
    map_x: Mapped[float | None]
    map_y: Mapped[float | None]
    map_view: Mapped[str | None] = mapped_column(String(5))
    first_seen: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default=LesionStatus.MONITORING.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    row_version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012 - SQLAlchemy reads it once

    patient: Mapped[Patient] = relationship(back_populates="lesions")
    images: Mapped[list[Image]] = relationship(back_populates="lesion", order_by="Image.captured_at")
    diagnoses: Mapped[list[Diagnosis]] = relationship(back_populates="lesion", order_by="Diagnosis.id")
    referrals: Mapped[list[Referral]] = relationship(back_populates="lesion", order_by="Referral.id")


class Image(Base):
    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    capture_uid: Mapped[str] = mapped_column(String(32), unique=True)
    lesion_id: Mapped[int] = mapped_column(ForeignKey("lesions.id"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    captured_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    relative_path: Mapped[str] = mapped_column(String(200))
    byte_size: Mapped[int]
    camera: Mapped[str | None] = mapped_column(String(120))
    lighting_mode: Mapped[str | None] = mapped_column(String(40))
    polarised: Mapped[bool | None]
    contact: Mapped[bool | None]
    magnification: Mapped[float | None]
    mm_per_px: Mapped[float | None]
    exposure: Mapped[float | None]
    captured_at: Mapped[datetime]
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)
    quality_scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    quality_gate_overridden: Mapped[bool] = mapped_column(default=False)
    for_report: Mapped[bool] = mapped_column(default=True, server_default=true())  # False: left out

    lesion: Mapped[Lesion] = relationship(back_populates="images")
    visit: Mapped[Visit] = relationship()
    captured_by: Mapped[User] = relationship()
    predictions: Mapped[list[Prediction]] = relationship(back_populates="image", order_by="Prediction.id")


class Prediction(Base):
    __tablename__ = "predictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id"), index=True)
    model_name: Mapped[str] = mapped_column(String(80))
    model_version: Mapped[str] = mapped_column(String(40))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    probabilities: Mapped[dict[str, Any]]
    ranking: Mapped[list[str]]
    triage: Mapped[str] = mapped_column(String(40))
    refer: Mapped[bool]
    latency_ms: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    image: Mapped[Image] = relationship(back_populates="predictions")


class Diagnosis(Base):
    __tablename__ = "diagnoses"
    __table_args__ = (
        CheckConstraint(sql_in("confirmation", Confirmation), name="confirmation"),
        CheckConstraint("dx_code IS NOT NULL OR dx_other IS NOT NULL", name="dx_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesion_id: Mapped[int] = mapped_column(ForeignKey("lesions.id"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"))
    doctor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    dx_code: Mapped[str | None] = mapped_column(String(16))
    dx_other: Mapped[str | None] = mapped_column(String(200))
    confirmation: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    diagnosed_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_off_at: Mapped[datetime | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("diagnoses.id"))  # the final one it replaces
    row_version: Mapped[int] = mapped_column(server_default="1")

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012 - SQLAlchemy reads it once

    lesion: Mapped[Lesion] = relationship(back_populates="diagnoses")
    visit: Mapped[Visit] = relationship()
    doctor: Mapped[User] = relationship(foreign_keys=[doctor_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])


class Referral(Base):
    __tablename__ = "referrals"
    __table_args__ = (CheckConstraint(sql_in("status", ReferralStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesion_id: Mapped[int] = mapped_column(ForeignKey("lesions.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the model
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lesion: Mapped[Lesion] = relationship(back_populates="referrals")


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    file_sha256: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxEntry(Base):
    """One picture queued for the central service; written in the transaction that made it shareable
    (sign-off, consent, capture) and removed in the one that withdraws consent."""

    __tablename__ = "upload_outbox"
    __table_args__ = (CheckConstraint(sql_in("state", OutboxState), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id"), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    state: Mapped[str] = mapped_column(String(8), default=OutboxState.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    central_case_id: Mapped[str | None] = mapped_column(String(64))
    queued_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]

    image: Mapped[Image] = relationship()
    patient: Mapped[Patient] = relationship()


class UploadRemoval(Base):
    """A case taken out of the upload queue because consent was withdrawn (shown in the queue view as a
    removal); the picture's id and when, nothing that names the patient."""

    __tablename__ = "upload_removals"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int]
    image_id: Mapped[int]
    removed_at: Mapped[datetime]


class DicomStudy(Base):
    """The Study Instance UID of a visit, assigned at its first DICOM export and kept for good, so a
    resend (or a re-export) files into the same study at the PACS."""

    __tablename__ = "dicom_studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), unique=True)
    study_uid: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    series: Mapped[list[DicomSeries]] = relationship(back_populates="study", order_by="DicomSeries.id")


class DicomSeries(Base):
    """A series of a visit's study: the stills of one lesion under one light, the signed reports, or the
    model's results (`content` says which; `lesion_id` is empty for the last two)."""

    __tablename__ = "dicom_series"
    __table_args__ = (UniqueConstraint("study_id", "lesion_id", "content"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("dicom_studies.id"), index=True)
    lesion_id: Mapped[int | None] = mapped_column(ForeignKey("lesions.id"))
    content: Mapped[str] = mapped_column(String(40))
    series_uid: Mapped[str] = mapped_column(String(64), unique=True)
    series_number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    study: Mapped[DicomStudy] = relationship(back_populates="series")


class DicomInstance(Base):
    """The SOP Instance UID of one exported object: a still, a signed report version or a prediction.
    Each of those never changes once stored, so one UID per object is right for every resend."""

    __tablename__ = "dicom_instances"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN image_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN report_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN prediction_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_object",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("dicom_series.id"), index=True)
    image_id: Mapped[int | None] = mapped_column(ForeignKey("images.id"), unique=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), unique=True)
    prediction_id: Mapped[int | None] = mapped_column(ForeignKey("predictions.id"), unique=True)
    sop_class_uid: Mapped[str] = mapped_column(String(64))
    sop_instance_uid: Mapped[str] = mapped_column(String(64), unique=True)
    instance_number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    series: Mapped[DicomSeries] = relationship()


class TeleconsultConsent(Base):
    """Whether the patient agreed to have their pictures sent to a dermatologist for an opinion: separate
    from the research consent (`Patient.research_consent`), which is about training the model."""

    __tablename__ = "teleconsult_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), unique=True)
    given: Mapped[bool]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]


class Consult(Base):
    """A question to a dermatologist about one lesion, with the chosen stills of a visit."""

    __tablename__ = "consults"
    __table_args__ = (
        CheckConstraint(sql_in("state", ConsultState), name="state"),
        CheckConstraint(sql_in("urgency", Urgency), name="urgency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)  # the idempotency keys derive from it
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    lesion_id: Mapped[int] = mapped_column(ForeignKey("lesions.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(8))
    history: Mapped[dict[str, Any]] = mapped_column(default=dict)
    image_ids: Mapped[list[int]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(32), default=ConsultState.QUEUED.value)
    central_id: Mapped[str | None] = mapped_column(String(20))
    escalated_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    lesion: Mapped[Lesion] = relationship()
    patient: Mapped[Patient] = relationship()
    messages: Mapped[list[ConsultMessage]] = relationship(
        back_populates="consult", order_by="ConsultMessage.id"
    )
    answers: Mapped[list[ConsultReply]] = relationship(
        back_populates="consult", order_by="ConsultReply.version"
    )


class ConsultMessage(Base):
    """The consult outbox: a request, an addition or a cancellation waiting for the central service,
    written in the transaction that makes it and sent exactly once (its key derives from its id)."""

    __tablename__ = "consult_outbox"
    __table_args__ = (
        CheckConstraint(sql_in("state", OutboxState), name="state"),
        CheckConstraint(sql_in("kind", ConsultMessageKind), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consult_id: Mapped[int] = mapped_column(ForeignKey("consults.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    image_ids: Mapped[list[int]] = mapped_column(JSON)
    clip_path: Mapped[str | None] = mapped_column(String(200))
    clip_seconds: Mapped[float | None]
    state: Mapped[str] = mapped_column(String(8), default=OutboxState.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    queued_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]

    consult: Mapped[Consult] = relationship(back_populates="messages")


class ConsultReply(Base):
    """One version of the specialist's reply, stored once as received; a doctor acknowledges it."""

    __tablename__ = "consult_answers"
    __table_args__ = (UniqueConstraint("consult_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consult_id: Mapped[int] = mapped_column(ForeignKey("consults.id"), index=True)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    opinion: Mapped[str] = mapped_column(Text)
    diagnosis: Mapped[str | None] = mapped_column(String(16))
    management: Mapped[str | None] = mapped_column(String(20))
    follow_up_months: Mapped[int | None]
    amends: Mapped[int | None]
    specialist_name: Mapped[str] = mapped_column(String(120))
    specialist_registration: Mapped[str] = mapped_column(String(40))
    answered_at: Mapped[datetime]
    received_at: Mapped[datetime]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None]

    consult: Mapped[Consult] = relationship(back_populates="answers")
    acknowledged_by: Mapped[User | None] = relationship()


class AuditEvent(Base):
    """Who did what to which object, and when. `detail` holds ids and technical facts, never names."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str | None] = mapped_column(String(64))  # the seal of the entry before (audit_chain)
    entry_hash: Mapped[str | None] = mapped_column(String(64))  # this entry's seal
