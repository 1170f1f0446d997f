"""The clinic's words for records, and the checks that keep bad values out of the database.

Why one module: the CLI, the services and (later) the UI's pick lists all use the same values, and the
database's CHECK constraints are generated from these enums, so a value cannot be valid in one place
and refused in another. Body sites are ISIC's `anatom_site_general` values, so cases can be compared
with public dermoscopy data sets and sent to the central service without translation.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import TypeVar

from dermdesk.i18n import N_, SUPPORTED_LANGUAGES, gettext
from dermdesk.inference.classes import CLASS_CODES
from dermdesk.records.errors import RecordValidationError


class Role(StrEnum):
    """What a user may do (see `dermdesk.records.access` for the permissions of each)."""

    STAFF = "staff"
    DOCTOR = "doctor"
    ADMIN = "admin"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class AnatomSite(StrEnum):
    """ISIC `anatom_site_general` values."""

    ANTERIOR_TORSO = "anterior torso"
    HEAD_NECK = "head/neck"
    LATERAL_TORSO = "lateral torso"
    LOWER_EXTREMITY = "lower extremity"
    ORAL_GENITAL = "oral/genital"
    PALMS_SOLES = "palms/soles"
    POSTERIOR_TORSO = "posterior torso"
    UPPER_EXTREMITY = "upper extremity"


class BodyView(StrEnum):
    """Which side of the body map a lesion's x/y position refers to."""

    FRONT = "front"
    BACK = "back"


class LesionStatus(StrEnum):
    MONITORING = "monitoring"
    REFERRED = "referred"
    EXCISED = "excised"
    RESOLVED = "resolved"


class Confirmation(StrEnum):
    """How a diagnosis was confirmed (the HAM10000/ISIC `dx_type` vocabulary plus clinical review)."""

    HISTOPATHOLOGY = "histopathology"
    FOLLOW_UP = "follow-up"
    CONSENSUS = "consensus"
    CLINICAL = "clinical"
    TELEDERMATOLOGY = "teledermatology"


class ReferralStatus(StrEnum):
    SUGGESTED = "suggested"  # the model advised it; a person has not acted yet
    OPEN = "open"
    SENT = "sent"
    CLOSED = "closed"


class OutboxState(StrEnum):
    """Where a case queued for the central service stands."""

    QUEUED = "queued"  # waiting (also after a failure worth retrying; `last_error` says which)
    SENDING = "sending"  # claimed by an uploader; back to queued if the station stops meanwhile
    SENT = "sent"  # the central service has it
    FAILED = "failed"  # refused for good (the reason is in `last_error`); requeued only by hand


class ConsultState(StrEnum):
    """Where a teledermatology consult stands, as the station knows it."""

    QUEUED = "queued"  # waiting in the consult outbox
    SENT = "sent"  # the central service has it; no dermatologist has opened it yet
    IN_REVIEW = "in review"
    MORE_INFORMATION = "more information requested"
    ANSWERED = "answered"
    CANCELLED = "cancelled"


class Urgency(StrEnum):
    ROUTINE = "routine"
    SOON = "soon"
    URGENT = "urgent"


class ConsultMessageKind(StrEnum):
    REQUEST = "request"
    INFORMATION = "information"
    CANCEL = "cancel"


class Management(StrEnum):
    """What the specialist advises."""

    REASSURE = "reassure"
    FOLLOW_UP = "follow-up"
    EXCISION = "excision"
    BIOPSY = "biopsy"
    URGENT_REFERRAL = "urgent referral"


DIAGNOSIS_CODES: tuple[str, ...] = CLASS_CODES
"""Diagnosis classes a doctor may pick; anything else is filed as free text (`dx_other`)."""

RECORD_NUMBER_PATTERN = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
RECORD_NUMBER_LENGTH = (3, 20)
USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")

E = TypeVar("E", bound=StrEnum)


def normalise_record_number(raw: str) -> str:
    """The canonical form of a clinic record number, e.g. ``" dd-000123 "`` -> ``"DD-000123"``.

    Format: 3-20 characters, letters A-Z and digits in groups joined by single hyphens. Upper-casing
    means a number typed in lower case still finds the patient; anything else is refused rather than
    guessed, so two spellings can never become two patients.
    """
    value = raw.strip().upper()
    low, high = RECORD_NUMBER_LENGTH
    if not low <= len(value) <= high or not RECORD_NUMBER_PATTERN.match(value):
        raise RecordValidationError(
            gettext(
                "Record number {raw!r} is not valid: use {low}-{high} letters (A-Z) and digits, optionally "
                "in groups joined by single hyphens, e.g. DD-000123."
            ).format(raw=raw, low=low, high=high)
        )
    return value


def normalise_username(raw: str) -> str:
    value = raw.strip().lower()
    if not USERNAME_PATTERN.match(value):
        raise RecordValidationError(
            gettext(
                "User name {raw!r} is not valid: 2-32 characters, starting with a letter; "
                "letters, digits, dot, hyphen and underscore only."
            ).format(raw=raw)
        )
    return value


def _site_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


_SITE_KEYS = {_site_key(site.value): site for site in AnatomSite}


def parse_site(raw: str) -> AnatomSite:
    """An ISIC body site from its value or a command-line spelling (``head_neck``, ``Lower-Extremity``)."""
    site = _SITE_KEYS.get(_site_key(raw))
    if site is None:
        choices = ", ".join(s.value for s in AnatomSite)
        raise RecordValidationError(
            gettext("Unknown body site {raw!r}; choose one of: {choices}.").format(raw=raw, choices=choices)
        )
    return site


def parse_choice(enum: type[E], raw: str, what: str) -> E:
    """`raw` as a member of `enum`, or a RecordValidationError listing the choices."""
    try:
        return enum(raw.strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise RecordValidationError(
            gettext("Unknown {what} {raw!r}; choose one of: {choices}.").format(
                what=what, raw=raw, choices=choices
            )
        ) from None


def check_birth_date(value: date, today: date) -> date:
    if value > today:
        raise RecordValidationError(
            gettext("The date of birth {day} is in the future.").format(day=value.isoformat())
        )
    if value.year < 1900:
        raise RecordValidationError(
            gettext("The date of birth {day} is before 1900; check it.").format(day=value.isoformat())
        )
    return value


BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Marks that reorder how text is shown: in a name they can make "Smith" display as something else."""
MULTI_LINE = frozenset({"notes", "referral reason", "contact"})
"""Fields that may hold line breaks and tabs (every other field is one line)."""


def check_text(value: str | None, what: str, max_length: int, *, required: bool) -> str | None:
    """Trimmed text, None when empty and optional; a clear error when required, too long, or holding
    control characters (line breaks only where the field is multi-line) or right-to-left/bidi marks.
    Letters of every script, accents and joiners (ZWJ/ZWNJ, needed in some scripts) are accepted."""
    text = (value or "").strip()
    if not text:
        if required:
            raise RecordValidationError(gettext("The {what} is required.").format(what=gettext(what)))
        return None
    if len(text) > max_length:
        raise RecordValidationError(
            gettext("The {what} is too long ({length} characters; at most {most}).").format(
                what=gettext(what), length=len(text), most=max_length
            )
        )
    allowed = "\n\r\t" if what in MULTI_LINE else ""
    for char in text:
        if char in BIDI_CONTROLS:
            raise RecordValidationError(
                gettext(
                    "The {what} holds an invisible text-direction mark (U+{code}); type it without one."
                ).format(what=gettext(what), code=f"{ord(char):04X}")
            )
        if unicodedata.category(char) == "Cc" and char not in allowed:
            raise RecordValidationError(
                gettext("The {what} holds a control character (U+{code}); type it without one.").format(
                    what=gettext(what), code=f"{ord(char):04X}"
                )
            )
    return text


RESIDENT_NUMBER = re.compile(r"(?<!\d)\d{6}\s*[-–]?\s*[1-8]\d{6}(?!\d)")
"""A Korean resident registration number (주민등록번호), e.g. 900101-1234567: never stored here."""


def refuse_resident_number(value: str | None, what: str) -> str | None:
    """`value` unchanged, or a RecordValidationError when it holds a resident registration number.

    DermDesk does not store 주민등록번호 (the Personal Information Protection Act restricts processing
    it); the clinic's record number identifies the patient."""
    if value and RESIDENT_NUMBER.search(value):
        raise RecordValidationError(
            gettext(
                "The {what} holds what looks like a resident registration number (주민등록번호). DermDesk "
                "does not store resident registration numbers; remove it (the record number identifies "
                "the patient)."
            ).format(what=gettext(what))
        )
    return value


FIELD_WORDS = (
    N_("given name"),
    N_("family name"),
    N_("contact"),
    N_("display name"),
    N_("referral reason"),
    N_("diagnosis text"),
    N_("notes"),
    N_("site description"),
)
"""The patient fields a refusal names, marked for translation (`gettext(what)` finds them)."""

LANGUAGE_CHOICES: tuple[str, ...] = SUPPORTED_LANGUAGES
"""The languages a patient's reports may be written in."""


def check_report_language(value: str | None) -> str | None:
    """A patient's language of reports ("en", "ko"), None for the clinic's; anything else refused."""
    if value is None or not value.strip():
        return None
    code = value.strip().lower()
    if code not in LANGUAGE_CHOICES:
        raise RecordValidationError(
            gettext("Unknown language of reports {value!r}; choose one of: {choices}.").format(
                value=value, choices=", ".join(LANGUAGE_CHOICES)
            )
        )
    return code


def sql_in(column: str, enum: type[StrEnum]) -> str:
    """A CHECK constraint expression allowing exactly the enum's values."""
    values = ", ".join("'" + member.value.replace("'", "''") + "'" for member in enum)
    return f"{column} IN ({values})"
