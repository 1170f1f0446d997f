"""The teledermatology formats that travel between a station and the central service (pydantic).

Why one module for both sides: the station builds these and the centre validates them at its edge, so a
field added on one side and forgotten on the other fails in a test, not in a clinic. Pseudonyms, the age
band, sex and site are the same as for research uploads (`deidentify`); pictures are bare PNGs and clips
WebM; the only free text is the question, the note of an addition and the specialist's opinion. The
station checks the question and the note against the patient's identifiers before they are queued.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dermdesk.i18n import N_, gettext
from dermdesk.inference.classes import CLASS_CODES
from dermdesk.sync.deidentify import AGE_CAP, SEXES, SITES

CONSULT_SCHEMA_VERSION = 1
MAX_QUESTION = 2000
MAX_PICTURES = 12
MAX_CLIP_SECONDS = 10.0
MAX_CLIP_BYTES = 8 * 1024 * 1024
WEBM_MAGIC = b"\x1a\x45\xdf\xa3"  # the EBML header every WebM file starts with
PSEUDONYM_PATTERN = r"^(patient|lesion)_[0-9a-f]{32}$"

Urgency = Literal["routine", "soon", "urgent"]
Management = Literal["reassure", "follow-up", "excision", "biopsy", "urgent referral"]
AnswerKind = Literal["answer", "more information", "amendment"]
PictureKind = Literal["dermoscopic", "overview"]
CentralState = Literal["received", "in review", "more information requested", "answered", "cancelled"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConsultHistory(Strict):
    """The short history a dermatologist asks first; every field may stay unknown (None)."""

    duration_weeks: int | None = Field(default=None, ge=0, le=5200)
    recent_change: bool | None = None
    itch: bool | None = None
    bleeding: bool | None = None
    pain: bool | None = None
    melanoma_personal: bool | None = None
    melanoma_family: bool | None = None
    skin_type: int | None = Field(default=None, ge=1, le=6)  # Fitzpatrick


class ConsultPicture(Strict):
    """One still (dermoscopic, under a named light) or the overview photo, as a bare PNG."""

    kind: PictureKind
    light: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,20}$")  # the station's lighting mode
    png_base64: str = Field(max_length=12 * 1024 * 1024)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    def png(self) -> bytes:
        try:
            data = base64.b64decode(self.png_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(gettext("a picture is not base64")) from exc
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ValueError(gettext("a picture does not match its sha256"))
        return data


class ConsultClip(Strict):
    """A few seconds of the live source, WebM (VP8 or VP9)."""

    webm_base64: str = Field(max_length=MAX_CLIP_BYTES * 4 // 3 + 8)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    seconds: float = Field(gt=0, le=MAX_CLIP_SECONDS)

    def webm(self) -> bytes:
        try:
            data = base64.b64decode(self.webm_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(gettext("the clip is not base64")) from exc
        if not data.startswith(WEBM_MAGIC):
            raise ValueError(gettext("the clip is not a WebM file"))
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ValueError(gettext("the clip does not match its sha256"))
        return data


class ConsultPrediction(Strict):
    """The model's result when the pictures were taken."""

    probabilities: dict[str, float]
    model_name: str | None = Field(default=None, max_length=40, pattern=r"^[a-z0-9.+_-]+$")
    model_version: str | None = Field(default=None, max_length=40, pattern=r"^[A-Za-z0-9.+_-]+$")
    refer: bool

    @field_validator("probabilities")
    @classmethod
    def _classes(cls, value: dict[str, float]) -> dict[str, float]:
        if set(value) != set(CLASS_CODES) or not all(0 <= v <= 1 for v in value.values()):
            raise ValueError("the prediction must give a probability for every model class")
        return value


class ConsultRequest(Strict):
    """What leaves the clinic when a consult is sent."""

    schema_version: Literal[1] = 1  # CONSULT_SCHEMA_VERSION
    patient_id: str = Field(pattern=PSEUDONYM_PATTERN)
    lesion_id: str = Field(pattern=PSEUDONYM_PATTERN)
    age_approx: int | None = Field(default=None, ge=0, le=AGE_CAP, multiple_of=5)
    sex: str | None = None
    anatom_site_general: str | None = None
    research_consent: bool
    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    urgency: Urgency
    history: ConsultHistory
    pictures: list[ConsultPicture] = Field(min_length=1, max_length=MAX_PICTURES)
    prediction: ConsultPrediction | None = None

    @field_validator("sex")
    @classmethod
    def _sex(cls, value: str | None) -> str | None:
        if value is not None and value not in SEXES:
            raise ValueError(gettext("sex must be female, male or unknown (null)"))
        return value

    @field_validator("anatom_site_general")
    @classmethod
    def _site(cls, value: str | None) -> str | None:
        if value is not None and value not in SITES:
            raise ValueError(gettext("unknown body site"))
        return value

    @model_validator(mode="after")
    def _a_dermoscopic_still(self) -> ConsultRequest:
        if not any(p.kind == "dermoscopic" for p in self.pictures):
            raise ValueError(gettext("a consult needs at least one dermoscopic still"))
        return self


class ConsultAddition(Strict):
    """More information for a consult: new stills and/or a clip, with a short note."""

    note: str = Field(default="", max_length=MAX_QUESTION)
    pictures: list[ConsultPicture] = Field(default_factory=list, max_length=MAX_PICTURES)
    clip: ConsultClip | None = None

    @model_validator(mode="after")
    def _something(self) -> ConsultAddition:
        if not self.pictures and self.clip is None:
            raise ValueError(gettext("more information needs a still or a clip"))
        return self


class AnswerSubmission(Strict):
    """What a dermatologist sends: an answer, a request for more information, or an amendment."""

    kind: AnswerKind
    opinion: str = Field(min_length=1, max_length=4000)
    diagnosis: str | None = None
    management: Management | None = None
    follow_up_months: int | None = Field(default=None, ge=1, le=60)
    amends: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _complete(self) -> AnswerSubmission:
        if self.kind == "more information":
            if self.diagnosis or self.management or self.amends:
                raise ValueError(N_("a request for more information carries no diagnosis or management"))
            return self
        if self.diagnosis not in CLASS_CODES:
            raise ValueError(N_("the diagnosis must be one of {codes}").format(codes=", ".join(CLASS_CODES)))
        if self.management is None:
            raise ValueError(N_("an answer needs a management"))
        if (self.management == "follow-up") != (self.follow_up_months is not None):
            raise ValueError(N_("follow-up (and only follow-up) needs the number of months"))
        if (self.kind == "amendment") != (self.amends is not None):
            raise ValueError(N_("an amendment (and only an amendment) names the version it corrects"))
        return self


class ConsultAnswer(Strict):
    """One version of the specialist's reply as the station receives it; never changed once sent."""

    version: int
    kind: AnswerKind
    opinion: str
    diagnosis: str | None
    management: Management | None
    follow_up_months: int | None
    amends: int | None
    specialist_name: str
    specialist_registration: str
    answered_at: datetime


class ConsultStatus(Strict):
    """A consult as the centre holds it: its state and every reply so far."""

    consult_id: str
    state: CentralState
    answers: list[ConsultAnswer]
