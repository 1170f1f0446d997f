"""The referral letter: to whom, why (doctor, referral on file, model rule), findings, who refers."""

from __future__ import annotations

import pytest
from records.helpers import Team

from dermdesk.records import PermissionDenied, Records
from dermdesk.reports import ReportError, referral_letter_data, render_referral_letter
from dermdesk.reports.layout import DISCLAIMER
from dermdesk.settings import DermDeskSettings
from reports import pdf
from reports.conftest import CLINIC_NAME
from reports.seed import FAMILY, GIVEN, MODEL_SHA, Clinic

TO = "Dr Anna Berg, Universitäts-Hautklinik Nord"


def test_a_letter_for_a_lesion_the_model_flags(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings
) -> None:
    records.diagnoses.refer(
        team.doctor, clinic.record_number, "L2", "asymmetric, grew 2 mm since the last visit"
    )
    letter = referral_letter_data(
        records, team.doctor, clinic.record_number, "l2", TO, settings, reason="please assess for excision"
    )
    data = render_referral_letter(letter)
    pages = pdf.texts(data)
    whole = " ".join(pages)
    for expected in (
        "Dr Anna Berg",
        "Universitäts-Hautklinik Nord",
        "Referral to a dermatologist",
        GIVEN,
        "born 1971-05-17",
        "Dear Dr Anna Berg,",
        "lesion L2 on the upper extremity — right forearm",
        "Dr Dora Derm's decision: please assess for excision",
        "asymmetric, grew 2 mm since the last visit",
        "The decision-support model's referral rule (mel probability 41% reaches its referral threshold 30%)",
        "Suspected skin cancer (melanoma)",
        f"Previous visit {clinic.first_visit.isoformat()}",
        "Atypical naevus, excision advised",
        "Referring doctor",
        CLINIC_NAME,
        "Tel. +49 30 1234567",
    ):
        assert expected in whole, expected
    assert "".join(FAMILY.split()) in "".join(whole.split())
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text and MODEL_SHA in text and DISCLAIMER in text
        assert "DRAFT" not in text
    assert sum(pdf.picture_counts(data)) == 3
    assert all(info.embedded_as == "FontFile2" for info in pdf.fonts(data).values())


def test_a_letter_needs_a_reason_a_recipient_and_a_doctor(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings
) -> None:
    with pytest.raises(ReportError, match="Nothing says why lesion L1 should be referred"):
        referral_letter_data(records, team.doctor, clinic.record_number, "L1", TO, settings)
    with pytest.raises(ReportError, match="Say whom the letter is for"):
        referral_letter_data(records, team.doctor, clinic.record_number, "L2", " , Clinic", settings)
    with pytest.raises(PermissionDenied, match="sam is signed in as staff"):
        referral_letter_data(records, team.staff, clinic.record_number, "L2", TO, settings)
    letter = referral_letter_data(
        records, team.doctor, clinic.record_number, "L1", "Dr Berg", settings, reason="x"
    )
    assert letter.recipient_clinic == "" and letter.reasons == ("Dr Dora Derm's decision: x",)
