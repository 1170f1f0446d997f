"""What a capture hands to the records: the picture, where it belongs, how it was taken, the model's view.

Why plain dataclasses with their own JSON form: the same request is filed at once, or written to the
local spool while the clinic server is away and filed later, so it must survive a round trip through a
file unchanged. `capture_uid` is chosen when the picture is taken; the images table keeps it unique,
so filing a spooled capture twice (a crash after commit, before the spool entry was removed) is
recognised and not duplicated.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dermdesk.i18n import gettext
from dermdesk.records.base import utcnow
from dermdesk.records.errors import RecordValidationError
from dermdesk.records.lesions import NewLesion

if TYPE_CHECKING:
    from dermdesk.inference.postprocess import Assessment


@dataclass(frozen=True)
class CaptureMetadata:
    """How the picture was taken (from the capture pipeline and its quality gate)."""

    camera: str | None = None
    lighting_mode: str | None = None
    polarised: bool | None = None
    contact: bool | None = None
    magnification: float | None = None
    mm_per_px: float | None = None
    exposure: float | None = None
    captured_at: datetime = field(default_factory=utcnow)
    quality_scores: dict[str, float] = field(default_factory=dict)
    quality_gate_overridden: bool = False


@dataclass(frozen=True)
class PredictionInput:
    """The classifier's plain result for the picture, and which model package gave it."""

    model_name: str
    model_version: str
    manifest_sha256: str
    probabilities: dict[str, float]
    ranking: list[str]
    triage: str
    refer: bool
    latency_ms: float | None = None
    referral_reasons: list[str] = field(default_factory=list)

    @classmethod
    def from_assessment(
        cls, assessment: Assessment, model: Mapping[str, str], latency_ms: float | None = None
    ) -> PredictionInput:
        """From `dermdesk.inference` results; `model` is `ModelPackage.summary` (name, version, sha256)."""
        return cls(
            model_name=model["name"],
            model_version=model["version"],
            manifest_sha256=model["sha256"],
            probabilities=dict(assessment.probabilities),
            ranking=list(assessment.ranking),
            triage=assessment.triage,
            refer=assessment.refer,
            latency_ms=latency_ms,
            referral_reasons=list(assessment.referral_reasons),
        )


@dataclass(frozen=True)
class CaptureRequest:
    """One picture to file: for an existing lesion (`lesion_label`) or a new one (`new_lesion`)."""

    record_number: str
    image: bytes
    lesion_label: str | None = None
    new_lesion: NewLesion | None = None
    metadata: CaptureMetadata = field(default_factory=CaptureMetadata)
    prediction: PredictionInput | None = None
    capture_uid: str = field(default_factory=lambda: uuid.uuid4().hex)

    def check(self) -> None:
        """Refuse a request that names no lesion or two, or has an unaware capture time."""
        if (self.lesion_label is None) == (self.new_lesion is None):
            raise RecordValidationError(
                gettext("Say which lesion the picture shows: an existing label or a new lesion.")
            )
        if self.metadata.captured_at.tzinfo is None:
            raise RecordValidationError(gettext("The capture time must include its time zone."))
        if not self.image:
            raise RecordValidationError(gettext("The picture is empty."))

    def describe(self) -> dict[str, Any]:
        """Everything but the picture bytes, as JSON-ready data (for the spool)."""
        return {
            "capture_uid": self.capture_uid,
            "record_number": self.record_number,
            "lesion_label": self.lesion_label,
            "new_lesion": asdict(self.new_lesion) if self.new_lesion else None,
            "metadata": {**asdict(self.metadata), "captured_at": self.metadata.captured_at.isoformat()},
            "prediction": asdict(self.prediction) if self.prediction else None,
        }

    @classmethod
    def from_description(cls, data: Mapping[str, Any], image: bytes) -> CaptureRequest:
        metadata = dict(data["metadata"])
        metadata["captured_at"] = datetime.fromisoformat(metadata["captured_at"])
        return cls(
            record_number=data["record_number"],
            image=image,
            lesion_label=data.get("lesion_label"),
            new_lesion=NewLesion(**data["new_lesion"]) if data.get("new_lesion") else None,
            metadata=CaptureMetadata(**metadata),
            prediction=PredictionInput(**data["prediction"]) if data.get("prediction") else None,
            capture_uid=data["capture_uid"],
        )


@dataclass(frozen=True)
class CaptureResult:
    """What became of a capture: filed (with its image id) or spooled to be filed later."""

    capture_uid: str
    sha256: str
    record_number: str
    lesion_label: str | None
    image_id: int | None
    spooled: bool
    picture_number: int | None = None  # its place among the lesion's pictures (1 = first)

    @property
    def message(self) -> str:
        if self.spooled:
            return gettext(
                "Saved on this station: the records server is unreachable, the picture will be filed "
                "automatically when it is back."
            )
        number = self.picture_number if self.picture_number is not None else self.image_id
        return gettext("Filed as picture {number} of lesion {lesion} ({record_number}).").format(
            number=number, lesion=self.lesion_label, record_number=self.record_number
        )
