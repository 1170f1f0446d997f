"""The records' lines as the window shows them (a lesion's site, its line in the patient page, the
patient's heading), in the window's language. The English matches `dermdesk.records.wording`, which
the CLI and the reports use; body sites, diagnoses and lights come from the core glossary."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

from dermdesk.i18n import current_language
from dermdesk.i18n.names import full_name
from dermdesk.records import LesionInfo, PatientRecord
from dermdesk.records.wording import FITZPATRICK_ROMAN
from dermdesk.ui.common.terms import body_site_name, diagnosis_name, vocabulary_word


def lesion_site_text(lesion: LesionInfo) -> str:
    """The lesion's body site from the glossary, and the staff's own words for where it is."""
    site = body_site_name(lesion.anatom_site_general)
    return site + (f", {lesion.site_detail}" if lesion.site_detail else "")


def pictures_text(count: int) -> str:
    if count == 1:
        return QCoreApplication.translate("RecordWording", "1 picture")
    return QCoreApplication.translate("RecordWording", "{count} pictures").format(count=count)


def visits_text(count: int) -> str:
    if count == 1:
        return QCoreApplication.translate("RecordWording", "1 visit")
    return QCoreApplication.translate("RecordWording", "{count} visits").format(count=count)


def lesion_line_text(lesion: LesionInfo) -> str:
    """A lesion's row on the patient page: site, pictures over visits, status, latest diagnosis."""
    visits = len({image.visit_date for image in lesion.images})
    details = [
        QCoreApplication.translate("RecordWording", "{pictures} over {visits}").format(
            pictures=pictures_text(len(lesion.images)), visits=visits_text(visits)
        ),
        vocabulary_word(lesion.status),
    ]
    if lesion.diagnoses:
        latest = lesion.diagnoses[-1]
        what = diagnosis_name(latest.dx_code) if latest.dx_code else (latest.dx_other or "")
        signed = (
            QCoreApplication.translate("RecordWording", "signed")
            if latest.signed_off_at
            else QCoreApplication.translate("RecordWording", "not signed")
        )
        details.append(f"{what} ({signed})")
    return f"{lesion.label} — {lesion_site_text(lesion)}\n    " + " · ".join(details)


def patient_heading_text(record: PatientRecord) -> str:
    """Name and record number, then birth date, sex, skin type and research consent."""
    skin = f", Fitzpatrick {FITZPATRICK_ROMAN[record.fitzpatrick]}" if record.fitzpatrick else ""
    consent = (
        QCoreApplication.translate("RecordWording", "research use consented")
        if record.research_consent
        else QCoreApplication.translate("RecordWording", "no research consent")
    )
    return QCoreApplication.translate(
        "RecordWording",
        "<b>{name}</b> — {record_number}<br>born {born}, {sex}{skin}; {consent}",
    ).format(
        name=escape(full_name(record.family_name, record.given_name, current_language())),
        record_number=record.record_number,
        born=record.date_of_birth.isoformat(),
        sex=vocabulary_word(record.sex),
        skin=skin,
        consent=consent,
    )
