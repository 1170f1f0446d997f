"""Plain, frozen results of the records services: what the UI shows and the CLI prints.

Why not hand out ORM rows: a row outlives its session badly (lazy loads fail, edits would be silently
lost or silently saved), and the UI must not be able to change a record except through a service that
checks roles and writes the audit log. Every service converts rows into these dataclasses before its
transaction ends.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import PurePath
from typing import Any

from dermdesk.records import models
from dermdesk.records.vocabulary import Role


@dataclass(frozen=True)
class UserInfo:
    """A signed-in or listed user. Services re-check it against the database on every call."""

    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    failed_attempts: int = 0
    locked_until: datetime | None = None
    must_change_password: bool = False  # set by an administrator's reset to a one-time password


@dataclass(frozen=True)
class PatientSummary:
    record_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    research_consent: bool


@dataclass(frozen=True)
class PredictionInfo:
    model_name: str
    model_version: str
    manifest_sha256: str
    probabilities: dict[str, float]
    ranking: list[str]
    triage: str
    refer: bool
    latency_ms: float | None
    created_at: datetime
    id: int | None = None


@dataclass(frozen=True)
class ImageInfo:
    id: int
    capture_uid: str
    lesion_label: str
    visit_date: date
    sha256: str
    relative_path: str
    byte_size: int
    captured_at: datetime
    captured_by: str
    camera: str | None
    lighting_mode: str | None
    polarised: bool | None
    contact: bool | None
    magnification: float | None
    mm_per_px: float | None
    exposure: float | None
    quality_scores: dict[str, Any]
    quality_gate_overridden: bool
    predictions: tuple[PredictionInfo, ...]
    for_report: bool = True
    number: int = 0  # the picture's place in its lesion (1 = first taken), not the database id

    @property
    def light_text(self) -> str:
        """The light it was taken under, in words ("white polarised"; "light not recorded")."""
        return self.lighting_mode.replace("_", " ") if self.lighting_mode else "light not recorded"


@dataclass(frozen=True)
class DiagnosisInfo:
    id: int
    lesion_label: str
    visit_date: date
    doctor: str
    dx_code: str | None
    dx_other: str | None
    confirmation: str
    notes: str | None
    diagnosed_at: datetime
    signed_off_at: datetime | None
    signed_off_by: str | None
    amends_id: int | None = None  # the signed final diagnosis this one amends
    row_version: int = 0


@dataclass(frozen=True)
class ReferralInfo:
    id: int
    lesion_label: str
    reason: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class LesionInfo:
    """One lesion and its follow-up: images, diagnoses and referrals, oldest first."""

    label: str
    anatom_site_general: str
    site_detail: str | None
    map_x: float | None
    map_y: float | None
    map_view: str | None
    first_seen: date
    status: str
    images: tuple[ImageInfo, ...] = ()
    diagnoses: tuple[DiagnosisInfo, ...] = ()
    referrals: tuple[ReferralInfo, ...] = ()
    row_version: int = 0  # what an edit names as the version it was made on (records.edits)


@dataclass(frozen=True)
class VisitInfo:
    visit_date: date
    clinician: str
    notes: str | None


@dataclass(frozen=True)
class PatientRecord:
    """Everything filed about one patient, ready for a timeline or a body map."""

    record_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    fitzpatrick: int | None
    contact: str | None
    research_consent: bool
    consent_date: date | None
    consent_recorded_by: str | None
    visits: tuple[VisitInfo, ...]
    lesions: tuple[LesionInfo, ...]
    row_version: int = 0  # what an edit names as the version it was made on (records.edits)
    report_language: str | None = None  # reports and letters in this language; None: the clinic's


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    username: str | None
    action: str
    object_type: str | None
    object_id: str | None
    detail: dict[str, Any]


def to_jsonable(value: Any) -> Any:
    """A view (or anything nested in one) as JSON-ready data: dates as ISO text, enums as values,
    paths as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    return value


# --- rows to views (call inside the session) --------------------------------------------------------


def user_info(row: models.User) -> UserInfo:
    return UserInfo(
        row.id,
        row.username,
        row.display_name,
        Role(row.role),
        row.active,
        row.failed_attempts,
        row.locked_until,
        bool(row.must_change_password),
    )


def patient_summary(row: models.Patient) -> PatientSummary:
    return PatientSummary(
        row.record_number, row.given_name, row.family_name, row.date_of_birth, row.sex, row.research_consent
    )


def prediction_info(row: models.Prediction) -> PredictionInfo:
    return PredictionInfo(
        row.model_name,
        row.model_version,
        row.manifest_sha256,
        dict(row.probabilities),
        list(row.ranking),
        row.triage,
        row.refer,
        row.latency_ms,
        row.created_at,
        row.id,
    )


def image_info(row: models.Image) -> ImageInfo:
    return ImageInfo(
        id=row.id,
        capture_uid=row.capture_uid,
        lesion_label=row.lesion.label,
        visit_date=row.visit.visit_date,
        sha256=row.sha256,
        relative_path=row.relative_path,
        byte_size=row.byte_size,
        captured_at=row.captured_at,
        captured_by=row.captured_by.username,
        camera=row.camera,
        lighting_mode=row.lighting_mode,
        polarised=row.polarised,
        contact=row.contact,
        magnification=row.magnification,
        mm_per_px=row.mm_per_px,
        exposure=row.exposure,
        quality_scores=dict(row.quality_scores),
        quality_gate_overridden=row.quality_gate_overridden,
        predictions=tuple(prediction_info(p) for p in row.predictions),
        for_report=row.for_report,
        number=picture_number(row),
    )


def picture_number(row: models.Image) -> int:
    """The picture's place among its lesion's pictures, oldest first (what staff call "image 2")."""
    ordered = sorted(row.lesion.images, key=lambda image: (image.captured_at, image.id))
    return next((place for place, image in enumerate(ordered, 1) if image.id == row.id), len(ordered))


def diagnosis_info(row: models.Diagnosis) -> DiagnosisInfo:
    return DiagnosisInfo(
        id=row.id,
        lesion_label=row.lesion.label,
        visit_date=row.visit.visit_date,
        doctor=row.doctor.username,
        dx_code=row.dx_code,
        dx_other=row.dx_other,
        confirmation=row.confirmation,
        notes=row.notes,
        diagnosed_at=row.diagnosed_at,
        signed_off_at=row.signed_off_at,
        signed_off_by=row.signed_off_by.username if row.signed_off_by else None,
        amends_id=row.amends_id,
        row_version=row.row_version or 0,
    )


def referral_info(row: models.Referral) -> ReferralInfo:
    return ReferralInfo(row.id, row.lesion.label, row.reason, row.status, row.created_at)


def lesion_info(row: models.Lesion) -> LesionInfo:
    return LesionInfo(
        label=row.label,
        anatom_site_general=row.anatom_site_general,
        site_detail=row.site_detail,
        map_x=row.map_x,
        map_y=row.map_y,
        map_view=row.map_view,
        first_seen=row.first_seen,
        status=row.status,
        images=tuple(image_info(i) for i in row.images),
        diagnoses=tuple(diagnosis_info(d) for d in row.diagnoses),
        referrals=tuple(referral_info(r) for r in row.referrals),
        row_version=row.row_version or 0,
    )


def patient_record(row: models.Patient) -> PatientRecord:
    return PatientRecord(
        record_number=row.record_number,
        given_name=row.given_name,
        family_name=row.family_name,
        date_of_birth=row.date_of_birth,
        sex=row.sex,
        fitzpatrick=row.fitzpatrick,
        contact=row.contact,
        research_consent=row.research_consent,
        consent_date=row.consent_date,
        consent_recorded_by=row.consent_recorded_by.username if row.consent_recorded_by else None,
        visits=tuple(VisitInfo(v.visit_date, v.clinician.username, v.notes) for v in row.visits),
        lesions=tuple(lesion_info(lesion) for lesion in row.lesions),
        row_version=row.row_version or 0,
        report_language=row.report_language,
    )
