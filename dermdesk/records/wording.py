"""How a lesion, a diagnosis and a patient are written on screens and in letters, in one place."""

from __future__ import annotations

from dermdesk.inference.classes import DISPLAY_NAMES
from dermdesk.records.views import LesionInfo, PatientRecord

FITZPATRICK_ROMAN = ("", "I", "II", "III", "IV", "V", "VI")


def lesion_site(lesion: LesionInfo) -> str:
    return lesion.anatom_site_general + (f", {lesion.site_detail}" if lesion.site_detail else "")


def diagnosis_text(code: str | None, other: str | None) -> str:
    return DISPLAY_NAMES.get(code, code or "") if code else (other or "")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def lesion_line(lesion: LesionInfo) -> str:
    pictures = len(lesion.images)
    visits = len({image.visit_date for image in lesion.images})
    details = [
        f"{plural(pictures, 'picture')} over {plural(visits, 'visit')}",
        lesion.status,
    ]
    if lesion.diagnoses:
        latest = lesion.diagnoses[-1]
        signed = "signed" if latest.signed_off_at else "not signed"
        details.append(f"{diagnosis_text(latest.dx_code, latest.dx_other)} ({signed})")
    return f"{lesion.label} — {lesion_site(lesion)}\n    " + " · ".join(details)


def patient_heading(record: PatientRecord) -> str:
    skin = f", Fitzpatrick {FITZPATRICK_ROMAN[record.fitzpatrick]}" if record.fitzpatrick else ""
    consent = "research use consented" if record.research_consent else "no research consent"
    return (
        f"<b>{record.family_name}, {record.given_name}</b> — {record.record_number}<br>"
        f"born {record.date_of_birth.isoformat()}, {record.sex}{skin}; {consent}"
    )
