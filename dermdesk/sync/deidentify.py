"""De-identification: one case from the records becomes an upload payload of a fixed schema.

Why a pure function of plain values: what leaves the clinic is decided here and nowhere else, so it can
be read at once and tested on arbitrary input (hypothesis). This is pseudonymisation, not anonymisation:
`patient_id` / `lesion_id` are HMAC-SHA256 pseudonyms under the clinic's secret, which never leaves the
clinic, so the central service cannot link them to people but the clinic could. No free text leaves:
every field is a number, a member of a closed vocabulary, or a pseudonym. The picture is decoded to
pixels and encoded again as a bare PNG, so EXIF, XMP, ICC profiles, text chunks and thumbnails are gone.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from typing import Any

import cv2

from dermdesk.decoding import PictureRefused, decode_picture
from dermdesk.i18n import _
from dermdesk.inference.classes import CLASS_CODES

SCHEMA_VERSION = 1
WHITE_LIGHT_MODES = frozenset({"white", "white_polarised"})
SEXES = frozenset({"female", "male"})  # "other"/"unknown" leave as null, like ISIC's missing value
SITES = frozenset(
    {
        "anterior torso",
        "head/neck",
        "lateral torso",
        "lower extremity",
        "oral/genital",
        "palms/soles",
        "posterior torso",
        "upper extremity",
    }
)
CONFIRM_TYPES = frozenset({"histopathology", "follow-up", "consensus", "clinical", "teledermatology"})
PAYLOAD_FIELDS = (
    "schema_version",
    "patient_id",
    "lesion_id",
    "age_approx",
    "sex",
    "anatom_site_general",
    "diagnosis",
    "diagnosis_confirm_type",
    "image_type",
    "dermoscopic_type",
    "clin_size_long_diam_mm",
    "prediction",
    "model_name",
    "model_version",
    "image_sha256",
)
"""Every key of a payload's metadata, in order; the central service accepts exactly these."""
AGE_BIN = 5
AGE_CAP = 85
MAX_IMAGE_SIDE = 4096


class NotShareableError(ValueError):
    """This case may not leave the clinic; the message says why (for the upload report)."""


@dataclass(frozen=True)
class CaseFacts:
    """What the records know about one picture of one lesion, gathered by `records.outbox`."""

    capture_uid: str
    patient_key: str  # the clinic's own stable patient key (record number); hashed, never sent
    lesion_key: str  # e.g. the patient key plus the lesion label; hashed, never sent
    research_consent: bool
    date_of_birth: date
    capture_date: date
    sex: str
    anatom_site_general: str
    lighting_mode: str | None
    polarised: bool | None
    contact: bool | None
    dx_code: str | None  # the newest signed-off coded diagnosis; None when unlabelled
    confirmation: str | None
    lesion_diameter_mm: float | None = None
    probabilities: dict[str, float] | None = None
    model_name: str | None = None
    model_version: str | None = None


@dataclass(frozen=True)
class CasePayload:
    """The de-identified case: JSON metadata of the fixed schema and the re-encoded PNG."""

    metadata: dict[str, Any]
    image_png: bytes


def pseudonym(secret: bytes, kind: str, key: str) -> str:
    """A keyed hash: the same key always gives the same pseudonym in this clinic, and nothing else."""
    digest = hmac.new(secret, f"{kind}\x00{key}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}_{digest[:32]}"


def age_bin(date_of_birth: date, on: date) -> int | None:
    """Age in completed years at `on`, floored to 5-year bins and capped at 85; None if impossible."""
    years = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    if years < 0:
        return None
    return min(years // AGE_BIN * AGE_BIN, AGE_CAP)


def dermoscopic_type(polarised: bool, contact: bool | None) -> str:
    """ISIC's dermoscopic_type from the polarisation and the device's contact setting."""
    if contact is False:
        if not polarised:
            raise NotShareableError(_("non-contact pictures without polarisation are not dermoscopy"))
        return "non-contact polarized"
    return "contact polarized" if polarised else "contact non-polarized"


def reencode_image(data: bytes) -> bytes:
    """Decode to pixels and write a bare PNG (IHDR, IDAT, IEND only): no metadata can survive."""
    try:
        pixels = decode_picture(data)
    except PictureRefused as exc:
        raise NotShareableError(_("the picture cannot be decoded: {exc}").format(exc=exc)) from exc
    height, width = pixels.shape[:2]
    if max(height, width) > MAX_IMAGE_SIDE:
        scale = MAX_IMAGE_SIDE / max(height, width)
        pixels = cv2.resize(
            pixels, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
        )
    ok, encoded = cv2.imencode(".png", pixels, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:  # pragma: no cover - OpenCV always encodes a decoded 8-bit picture
        raise NotShareableError(_("the picture cannot be encoded"))
    return encoded.tobytes()


def deidentify(
    case: CaseFacts, image: bytes, secret: bytes, *, allow_unlabelled: bool = False
) -> CasePayload:
    """The upload payload of one case, or NotShareableError saying why it must stay in the clinic."""
    if not case.research_consent:
        raise NotShareableError(_("the patient has not consented to research use"))
    if case.lighting_mode not in WHITE_LIGHT_MODES:
        raise NotShareableError(
            _("only white-light dermoscopy is shared (this picture: {lighting_mode})").format(
                lighting_mode=case.lighting_mode
            )
        )
    if case.dx_code is None and not allow_unlabelled:
        raise NotShareableError(_("no doctor has signed off a coded diagnosis for this lesion"))
    if case.dx_code is not None and case.dx_code not in CLASS_CODES:
        raise NotShareableError(_("diagnosis {dx_code!r} is not a model class").format(dx_code=case.dx_code))
    if len(secret) < 16:
        raise ValueError(_("the clinic secret is too short"))
    polarised = case.polarised if case.polarised is not None else case.lighting_mode == "white_polarised"
    png = reencode_image(image)
    metadata: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "patient_id": pseudonym(secret, "patient", case.patient_key),
        "lesion_id": pseudonym(secret, "lesion", case.lesion_key),
        "age_approx": age_bin(case.date_of_birth, case.capture_date),
        "sex": case.sex if case.sex in SEXES else None,
        "anatom_site_general": case.anatom_site_general if case.anatom_site_general in SITES else None,
        "diagnosis": case.dx_code,
        "diagnosis_confirm_type": case.confirmation if case.confirmation in CONFIRM_TYPES else None,
        "image_type": "dermoscopic",
        "dermoscopic_type": dermoscopic_type(polarised, case.contact),
        "clin_size_long_diam_mm": _diameter(case.lesion_diameter_mm),
        "prediction": _prediction(case.probabilities),
        "model_name": _model_word(case.model_name),
        "model_version": _model_word(case.model_version),
        "image_sha256": hashlib.sha256(png).hexdigest(),
    }
    if metadata["diagnosis"] is None:
        metadata["diagnosis_confirm_type"] = None
    return CasePayload(metadata, png)


def _diameter(value: float | None) -> float | None:
    if value is None or not 0 < value < 200:
        return None
    return round(float(value), 1)


def _prediction(probabilities: dict[str, float] | None) -> dict[str, float] | None:
    if not probabilities:
        return None
    return {code: round(float(probabilities.get(code, 0.0)), 4) for code in CLASS_CODES}


def _model_word(value: str | None) -> str | None:
    """Model names and versions are ours (``dermdesk-lesion``, ``1.0.0``); anything else is dropped."""
    if value is None or len(value) > 40:
        return None
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789.-_+")
    return value if set(value.lower()) <= allowed else None
