"""What a report or referral letter says, gathered from the records into plain frozen dataclasses.

Why a separate step: the layout (`visit_report`, `referral_letter`) only turns these dataclasses into
PDF bytes and touches neither the database nor the image store, so it can be tested, benchmarked and
rendered again for sign-off from the same facts. Gathering goes through the records services (the
patient view is audited there), reads and checks the pictures, and refuses what cannot make a useful
document with a `ReportError` a person can act on (an empty visit, a logo that is not a picture).

The model's advice is rebuilt from what was filed with each picture: probabilities, ranking, triage
group and the referral flag, with the referral rule's reasons from the model's suggested referral filed
at the same moment. The guidance sentences are those of `dermdesk.inference.postprocess`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from dermdesk.capture.lighting import LightingMode
from dermdesk.i18n import gettext
from dermdesk.i18n.glossary import has_term
from dermdesk.inference.classes import DISPLAY_NAMES
from dermdesk.inference.postprocess import INDETERMINATE, guidance_text, lowered
from dermdesk.records import (
    DiagnosisInfo,
    ImageInfo,
    LesionInfo,
    NotFound,
    PatientRecord,
    Permission,
    Records,
    UserInfo,
)
from dermdesk.records.access import require
from dermdesk.records.lesion_advice import ADVICE_RULE, LesionAdvice, lesion_advice
from dermdesk.records.reports import SignOff, VisitContext, VisitKey
from dermdesk.records.views import PredictionInfo, ReferralInfo
from dermdesk.reports import pictures
from dermdesk.reports.errors import ReportError
from dermdesk.reports.language import _, clinical, language, person, stored, written_in
from dermdesk.reports.language import day as day_text
from dermdesk.reports.pictures import Picture
from dermdesk.settings import DermDeskSettings, PaperSize

TRIAGE_NAMES: dict[str, str] = {
    "malignant": "triage.malignant",
    "benign_other": "triage.benign_other",
    "benign_mole": "triage.benign_mole",
    INDETERMINATE: "triage.indeterminate",
}
"""The glossary keys of the triage groups (their names are printed in the report's language)."""
TOP_CLASSES = 5
MODEL_PREFIX = "Model: "
_FLAGGED = re.compile(r"^([a-z]+) probability")
_REACHES = re.compile(r"^([a-z]+) probability (\d+%) reaches its referral threshold (\d+%)$")
_BELOW = re.compile(r"^top probability (\d+%) is below (\d+%)$")
ROLE_TITLES: dict[str, str] = {"staff": "role.staff", "doctor": "role.doctor", "admin": "role.admin"}
"""How each stored role is printed (glossary keys): as it is (a nurse's staff account is never called a
clinician)."""


def role_title(role: str | None) -> str:
    """The role as printed; an unknown role is printed as stored, never promoted to a title."""
    if not role:
        return _("role not recorded")
    key = ROLE_TITLES.get(role)
    return clinical(key) if key else role.replace("_", " ")


@dataclass(frozen=True)
class Clinic:
    name: str
    address: tuple[str, ...]
    logo: Picture | None
    phone: str = ""


@dataclass(frozen=True)
class PatientBlock:
    record_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    fitzpatrick: int | None

    @property
    def name(self) -> str:
        """The name as the report's language prints it (김민수; "Lovelace, Ada")."""
        return person(self.family_name, self.given_name)


@dataclass(frozen=True)
class ModelRef:
    name: str
    version: str
    sha256: str

    @property
    def text(self) -> str:
        return f"{self.name} {self.version}"


@dataclass(frozen=True)
class ImageEntry:
    image_id: int
    visit_date: date
    captured_at: datetime
    lighting: str
    previous: bool
    picture: Picture
    taken_by: str = ""  # "Sam Staff, clinical staff": who took it, with their role as stored
    number: int = 0  # the picture's place in its lesion ("picture 2"), not the database id
    overridden: bool = False  # kept although the quality check refused it


@dataclass(frozen=True)
class ModelOpinion:
    model: ModelRef
    image_of: str  # which picture: "white light, cross-polarised, 2026-11-21"
    ranked: tuple[tuple[str, str, float], ...]  # code, display name, probability
    triage: str
    triage_name: str
    refer: bool
    guidance: str
    reasons: tuple[str, ...]
    readings: tuple[str, ...] = ()  # every still's own reading, with its light, when they disagree
    rule: str | None = None  # the stated rule that chose this still (when the stills disagree)


@dataclass(frozen=True)
class DoctorOpinion:
    diagnosis: str
    code: str | None
    confirmation: str
    doctor: str
    diagnosed_at: datetime
    visit_date: date
    signed_by: str | None
    signed_at: datetime | None
    notes: str | None


@dataclass(frozen=True)
class LesionSection:
    label: str
    site: str
    site_detail: str | None
    map_x: float | None
    map_y: float | None
    map_view: str | None
    status: str
    first_seen: date
    images: tuple[ImageEntry, ...]
    model: ModelOpinion | None
    doctor: DoctorOpinion | None
    specialist: tuple[str, ...] = ()  # the teledermatology answers' lines, newest version last

    @property
    def where(self) -> str:
        return self.site + (f" — {self.site_detail}" if self.site_detail else "")


@dataclass(frozen=True)
class VisitReport:
    """Everything a visit report prints."""

    clinic: Clinic
    patient: PatientBlock
    visit_id: int
    visit_date: date
    clinician: str
    visit_notes: str | None
    lesions: tuple[LesionSection, ...]
    models: tuple[ModelRef, ...]
    prepared_by: str
    generated_at: datetime
    paper: PaperSize
    sign_off: SignOff | None = None
    clinician_role: str = ""  # the role of the person who saw the patient, as stored
    language: str = "en"  # the patient's language of reports (dermdesk.i18n.SUPPORTED_LANGUAGES)


@dataclass(frozen=True)
class ReferralLetter:
    """Everything a referral letter prints."""

    clinic: Clinic
    patient: PatientBlock
    lesion: LesionSection
    recipient_name: str
    recipient_clinic: str
    reasons: tuple[str, ...]
    referrer: str
    referrer_username: str
    written_at: datetime
    models: tuple[ModelRef, ...]
    paper: PaperSize
    referrer_role: str = "doctor"
    language: str = "en"  # the patient's language of reports


# --- small conversions ----------------------------------------------------------------------------


def lighting_label(mode: str | None) -> str:
    if not mode:
        return _("Lighting not recorded")
    try:
        return LightingMode(mode).label_in(language())
    except ValueError:
        return mode.replace("_", " ")


def class_name(code: str) -> str:
    """A diagnosis class's name in the report's language (an unknown code as it is)."""
    return clinical(f"diagnosis.{code}") if has_term(f"diagnosis.{code}") else code


def diagnosis_name(code: str | None, other: str | None) -> str:
    return class_name(code) if code else (other or "")


def triage_name(code: str) -> str:
    key = TRIAGE_NAMES.get(code)
    return clinical(key) if key else code.replace("_", " ").capitalize()


def patient_block(record: PatientRecord) -> PatientBlock:
    return PatientBlock(
        record.record_number,
        record.given_name,
        record.family_name,
        record.date_of_birth,
        record.sex,
        record.fitzpatrick,
    )


def clinic_of(settings: DermDeskSettings) -> Clinic:
    """The letterhead from the settings; a logo that cannot be read or is not a picture is refused."""
    address = tuple(line.strip() for line in settings.clinic_address.splitlines() if line.strip())
    return Clinic(
        settings.clinic_name.strip(), address, _logo(settings.clinic_logo), settings.clinic_phone.strip()
    )


MAX_LOGO_BYTES = 10_000_000  # a letterhead logo is a few hundred kilobytes; refuse before reading more


def _logo(path: Path | None) -> Picture | None:
    if path is None:
        return None
    fix = gettext("correct clinic_logo in the settings (DERMDESK_CLINIC_LOGO) or remove it")
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise ReportError(
                gettext(
                    "The clinic logo {path} is {value:.0f} MB, too large for a letterhead (at most "
                    "{value2} MB); {fix}."
                ).format(path=path, value=size / 1e6, value2=MAX_LOGO_BYTES // 1_000_000, fix=fix)
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(
            gettext("The clinic logo {path} cannot be read ({value}); {fix}.").format(
                path=path, value=exc.strerror or exc, fix=fix
            )
        ) from exc
    logo = pictures.prepare(data, max_side=600)
    if not logo.shown:
        raise ReportError(
            gettext("The clinic logo {path} cannot be used (PNG or JPEG): it {problem}; {fix}.").format(
                path=path, problem=logo.problem_in(gettext), fix=fix
            )
        )
    return logo


def model_advice(
    prediction: PredictionInfo, referrals: Sequence[ReferralInfo]
) -> tuple[str, tuple[str, ...]]:
    """The guidance sentence and the referral rule's reasons for a filed prediction."""
    reasons: tuple[str, ...] = ()
    for referral in referrals:
        if referral.reason.startswith(MODEL_PREFIX) and referral.created_at == prediction.created_at:
            reasons = tuple(part.strip() for part in referral.reason[len(MODEL_PREFIX) :].split(";"))
    lang = language()
    if not prediction.refer:
        return guidance_text("routine", lang), ()
    flagged = [m.group(1) for m in map(_FLAGGED.match, reasons) if m and m.group(1) in DISPLAY_NAMES]
    worded = tuple(rule_in_words(reason) for reason in reasons)
    if flagged:
        names = ", ".join(lowered(class_name(code), lang) for code in flagged)
        return guidance_text("cancer", lang, classes=names), worded
    top = prediction.ranking[0] if prediction.ranking else None
    if top is None or prediction.probabilities.get(top, 0.0) < 0.5:
        return guidance_text("uncertain", lang), worded
    return guidance_text("refer", lang), worded


def rule_in_words(reason: str) -> str:
    """One stored reason of the model's referral rule, in the report's language.

    The reasons are filed in English ("mel probability 41% reaches its referral threshold 30%"), as the
    model made them: a record outlives the language of the screen that filed it, so the report words them
    in its own language here. A reason of another shape is printed as stored.
    """
    if language() == "en":
        return reason
    reaches = _REACHES.match(reason)
    if reaches:
        code, share, threshold = reaches.groups()
        name = class_name(code) if code in DISPLAY_NAMES else code
        return _("{diagnosis} probability {share} reaches its referral threshold {threshold}").format(
            diagnosis=name, share=share, threshold=threshold
        )
    below = _BELOW.match(reason)
    if below:
        share, minimum = below.groups()
        return _("top probability {share} is below {minimum}").format(share=share, minimum=minimum)
    return reason


def model_opinion(
    image: ImageInfo, referrals: Sequence[ReferralInfo], advice: LesionAdvice | None = None
) -> ModelOpinion | None:
    """The model's opinion quoted from ``image``; with the lesion's ``advice``, its readings and rule."""
    if not image.predictions:
        return None
    prediction = image.predictions[-1]
    guidance, reasons = model_advice(prediction, referrals)
    ranked = tuple(
        (code, class_name(code), float(prediction.probabilities.get(code, 0.0)))
        for code in prediction.ranking[:TOP_CLASSES]
    )
    return ModelOpinion(
        model=ModelRef(prediction.model_name, prediction.model_version, prediction.manifest_sha256),
        image_of=(
            f"{lowered(lighting_label(image.lighting_mode), language())}, {day_text(image.visit_date)}"
            + (_(" (picture {number})").format(number=image.number) if image.number else "")
        ),
        ranked=ranked,
        triage=prediction.triage,
        triage_name=triage_name(prediction.triage),
        refer=prediction.refer,
        guidance=guidance,
        reasons=reasons,
        readings=tuple(r.text_in(language()) for r in advice.readings) if advice and advice.disagree else (),
        rule=_(ADVICE_RULE) if advice and advice.disagree else None,
    )


def doctor_opinion(diagnoses: Sequence[DiagnosisInfo], people: dict[str, str]) -> DoctorOpinion | None:
    """The newest signed diagnosis among `diagnoses`, else the newest unsigned one."""
    if not diagnoses:
        return None
    signed = [d for d in diagnoses if d.signed_off_at is not None]
    chosen = max(signed or diagnoses, key=lambda d: d.diagnosed_at)
    return DoctorOpinion(
        diagnosis=diagnosis_name(chosen.dx_code, chosen.dx_other),
        code=chosen.dx_code,
        confirmation=stored_word("confirmation", chosen.confirmation),
        doctor=people.get(chosen.doctor, chosen.doctor),
        diagnosed_at=chosen.diagnosed_at,
        visit_date=chosen.visit_date,
        signed_by=people.get(chosen.signed_off_by, chosen.signed_off_by) if chosen.signed_off_by else None,
        signed_at=chosen.signed_off_at,
        notes=chosen.notes,
    )


def stored_word(kind: str, value: str) -> str:
    """A stored value as the glossary words it in the report's language (else as stored)."""
    return stored(kind, value)


def taken_by(username: str, people: dict[str, str], roles: dict[str, str]) -> str:
    """Who took a picture, with the role their account has: "Sam Staff, clinical staff"."""
    if not username:
        return ""
    return f"{people.get(username, username)}, {role_title(roles.get(username))}"


def _entry(
    records: Records, image: ImageInfo, previous: bool, people: dict[str, str], roles: dict[str, str]
) -> ImageEntry:
    picture = pictures.load(records.store.path(image.relative_path), image.sha256, mm_per_px=image.mm_per_px)
    return ImageEntry(
        image.id,
        image.visit_date,
        image.captured_at,
        lighting_label(image.lighting_mode),
        previous,
        picture,
        taken_by=taken_by(image.captured_by, people, roles),
        number=image.number,
        overridden=image.quality_gate_overridden,
    )


def lesion_section(
    records: Records,
    lesion: LesionInfo,
    day: date,
    people: dict[str, str],
    roles: dict[str, str] | None = None,
) -> LesionSection:
    """The lesion as seen on `day`: that day's pictures, the newest earlier one, advice and diagnosis.

    Pictures staff left out of reports (`for_report` False) are neither shown nor used for advice.
    """
    shown = [i for i in lesion.images if i.for_report]
    current = sorted((i for i in shown if i.visit_date == day), key=lambda i: i.captured_at)
    earlier = sorted((i for i in shown if i.visit_date < day), key=lambda i: i.captured_at)
    chosen_previous = _previous_match(earlier, current)
    roles = roles or {}
    entries = [_entry(records, chosen_previous, True, people, roles)] if chosen_previous else []
    entries += [_entry(records, image, False, people, roles) for image in current]
    advice = lesion_advice(current, day)  # one lesion, one advice: the stated rule picks the still
    opinion = model_opinion(advice.decided_by.image, lesion.referrals, advice) if advice else None
    return LesionSection(
        label=lesion.label,
        site=stored_word("body_site", lesion.anatom_site_general),
        site_detail=lesion.site_detail,
        map_x=lesion.map_x,
        map_y=lesion.map_y,
        map_view=lesion.map_view,
        status=stored_word("lesion_status", lesion.status),
        first_seen=lesion.first_seen,
        images=tuple(entries),
        model=opinion,
        doctor=doctor_opinion([d for d in lesion.diagnoses if d.visit_date == day], people),
    )


def _previous_match(earlier: list[ImageInfo], current: list[ImageInfo]) -> ImageInfo | None:
    """The newest earlier picture, in the first current picture's lighting when there is one."""
    if not earlier:
        return None
    if current:
        same_light = [i for i in earlier if i.lighting_mode == current[0].lighting_mode]
        if same_light:
            latest_day = max(i.visit_date for i in earlier)
            same_day = [i for i in same_light if i.visit_date == latest_day]
            if same_day:
                return same_day[-1]
    return earlier[-1]


def models_of(sections: Sequence[LesionSection]) -> tuple[ModelRef, ...]:
    seen: dict[ModelRef, None] = {}
    for section in sections:
        if section.model is not None:
            seen.setdefault(section.model.model, None)
    return tuple(seen)


def problems(lesions: Sequence[LesionSection]) -> list[str]:
    """One line per picture the document shows a notice for instead (missing, damaged, unreadable)."""
    return [
        f"picture {entry.image_id} of lesion {section.label} ({entry.visit_date.isoformat()}) "
        f"{entry.picture.problem}; the document says so in its place"  # for the person printing it
        for section in lesions
        for entry in section.images
        if entry.picture.problem
    ]


def _label_order(label: str) -> tuple[int, str]:
    digits = label[1:]
    return (int(digits) if digits.isdigit() else 1_000_000, label)


# --- gathering ------------------------------------------------------------------------------------


def visit_report_data(
    records: Records,
    user: UserInfo,
    record_number: str,
    visit: VisitKey,
    settings: DermDeskSettings,
    *,
    sign_off: SignOff | None = None,
    language: str | None = None,
) -> VisitReport:
    """The visit report's facts (the patient view is audited by the records), in `language` (None: the
    patient's language of reports, else the clinic's)."""
    context = records.reports.context(user, record_number, visit)
    record = records.patients.get(user, record_number)
    with written_in(report_language(language, record, settings)) as chosen:
        return _visit_report(records, user, record, context, settings, sign_off, chosen)


def report_language(given: str | None, record: PatientRecord, settings: DermDeskSettings) -> str | None:
    """The language a document is written in: the one asked for, else the patient's, else the clinic's."""
    return given or record.report_language or settings.report_language


def _visit_report(
    records: Records,
    user: UserInfo,
    record: PatientRecord,
    context: VisitContext,
    settings: DermDeskSettings,
    sign_off: SignOff | None,
    chosen: str,
) -> VisitReport:
    day = context.visit_date
    examined = [
        lesion
        for lesion in record.lesions
        if any(i.visit_date == day for i in lesion.images)
        or any(d.visit_date == day for d in lesion.diagnoses)
    ]
    if not examined:
        raise ReportError(
            gettext(
                "The visit of {record} on {day} has no lesion photographed or diagnosed; there is nothing "
                "to report. File a picture or a diagnosis first."
            ).format(record=record.record_number, day=day.isoformat())
        )
    clinic = clinic_of(settings)
    sections = tuple(
        lesion_section(records, lesion, day, context.people, context.roles)
        for lesion in sorted(examined, key=lambda lesion: _label_order(lesion.label))
    )
    sections = with_specialist(records, user, record.record_number, sections)
    return VisitReport(
        clinic=clinic,
        patient=patient_block(record),
        visit_id=context.visit_id,
        visit_date=day,
        clinician=context.clinician,
        clinician_role=context.roles.get(context.clinician_username, ""),
        visit_notes=context.notes,
        lesions=sections,
        models=models_of(sections),
        prepared_by=user.display_name,
        generated_at=records.clock(),
        paper=settings.paper_size,
        sign_off=sign_off,
        language=chosen,
    )


def referral_letter_data(
    records: Records,
    user: UserInfo,
    record_number: str,
    lesion_label: str,
    recipient: str,
    settings: DermDeskSettings,
    *,
    reason: str | None = None,
    language: str | None = None,
) -> ReferralLetter:
    """The referral letter's facts for one lesion, written by the signed-in doctor to `recipient`
    ("NAME, CLINIC"). Refused when nothing says why the lesion is referred."""
    require(user, Permission.DIAGNOSE)
    name, where = recipient.partition(",")[::2]
    if not name.strip():
        raise ReportError(
            gettext('Say whom the letter is for, e.g. --to "Dr A. Specialist, City Skin Clinic".')
        )
    clinic = clinic_of(settings)
    record = records.patients.get(user, record_number)
    with written_in(report_language(language, record, settings)) as chosen:
        return _referral_letter(
            records, user, record, lesion_label, (name, where), clinic, settings, reason, chosen
        )


def _referral_letter(
    records: Records,
    user: UserInfo,
    record: PatientRecord,
    lesion_label: str,
    recipient: tuple[str, str],
    clinic: Clinic,
    settings: DermDeskSettings,
    reason: str | None,
    chosen: str,
) -> ReferralLetter:
    name, where = recipient
    record_number = record.record_number
    wanted = lesion_label.strip().upper()
    lesion = next((item for item in record.lesions if item.label == wanted), None)
    if lesion is None:
        raise NotFound(
            gettext("Patient {record_number} has no lesion {wanted}.").format(
                record_number=record.record_number, wanted=wanted
            )
        )
    try:
        visit_context = records.reports.context(user, record_number)
        people, roles = visit_context.people, visit_context.roles
    except NotFound:
        people, roles = {}, {}
    days = [i.visit_date for i in lesion.images] + [d.visit_date for d in lesion.diagnoses]
    day = max(days) if days else lesion.first_seen
    section = lesion_section(records, lesion, day, people, roles)
    if section.doctor is None:
        section = _with_latest_diagnosis(section, lesion, people)
    (section,) = with_specialist(records, user, record.record_number, (section,))
    reasons = referral_reasons(lesion, section, reason, user.display_name)
    if not reasons:
        raise ReportError(
            gettext(
                "Nothing says why lesion {wanted} should be referred: the model does not advise "
                "it and no doctor has recorded a referral. Give the reason (--reason)."
            ).format(wanted=wanted)
        )
    return ReferralLetter(
        clinic=clinic,
        patient=patient_block(record),
        lesion=section,
        recipient_name=name.strip(),
        recipient_clinic=where.strip(),
        reasons=reasons,
        referrer=user.display_name,
        referrer_username=user.username,
        written_at=records.clock(),
        models=models_of([section]),
        paper=settings.paper_size,
        referrer_role=user.role.value,
        language=chosen,
    )


def with_specialist(
    records: Records, user: UserInfo, record_number: str, sections: tuple[LesionSection, ...]
) -> tuple[LesionSection, ...]:
    """The sections with the dermatologists' answers to the lesions' teleconsultations."""
    from dataclasses import replace

    consults = records.consults.inbox(user, record_number=record_number)
    out = []
    for section in sections:
        lines = [
            line
            for consult in reversed(consults)  # oldest first
            if consult.lesion_label == section.label
            for reply in consult.replies
            if reply.is_answer
            for line in reply.lines()
        ]
        out.append(replace(section, specialist=tuple(lines)) if lines else section)
    return tuple(out)


def _with_latest_diagnosis(
    section: LesionSection, lesion: LesionInfo, people: dict[str, str]
) -> LesionSection:
    from dataclasses import replace

    return replace(section, doctor=doctor_opinion(lesion.diagnoses, people))


def referral_reasons(
    lesion: LesionInfo, section: LesionSection, reason: str | None, doctor: str
) -> tuple[str, ...]:
    """Why the lesion is referred: the doctor's words now, referrals on file, the model's rule."""
    out: list[str] = []
    if reason and reason.strip():
        out.append(_("{doctor}'s decision: {reason}").format(doctor=doctor, reason=reason.strip()))
    for referral in lesion.referrals:
        if not referral.reason.startswith(MODEL_PREFIX) and referral.status in ("open", "sent"):
            out.append(
                _("Referral recorded on {day}: {reason}").format(
                    day=day_text(referral.created_at.astimezone().date()), reason=referral.reason
                )
            )
    if section.model is not None and section.model.refer:
        because = f" ({'; '.join(section.model.reasons)})" if section.model.reasons else ""
        out.append(
            _("The decision-support model's referral rule{because}: {guidance}").format(
                because=because, guidance=section.model.guidance
            )
        )
    return tuple(out)
