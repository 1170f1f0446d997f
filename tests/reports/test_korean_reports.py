"""Reports and referral letters in the patient's language (issue 27): a Korean visit report and letter,
read back with pdftotext, carry the glossary's Korean terms, the Korean date and the name family name
first; a Korean name longer than its field wraps or shrinks and never runs off the page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from records.helpers import Team

from dermdesk.i18n import formats, set_language
from dermdesk.i18n.glossary import term
from dermdesk.records import Records
from dermdesk.records.edits import PatientDetails
from dermdesk.reports import (
    referral_letter_data,
    render_referral_letter,
    render_visit_report,
    visit_report_data,
)
from dermdesk.settings import DermDeskSettings
from reports.seed import Clinic, seed_clinic

KOREAN_DATE = re.compile(r"\d{4}년 \d{1,2}월 \d{1,2}일")


def pdftotext(data: bytes, tmp_path: Path, *options: str) -> str:
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/system-deps.sh"
    source = tmp_path / "document.pdf"
    source.write_bytes(data)
    done = subprocess.run(["pdftotext", *options, str(source), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def korean(records: Records, team: Team, clock: object) -> Clinic:
    return seed_clinic(records, team, clock, family="김", given="민수", record_number="KR-000123")  # type: ignore[arg-type]


def test_a_korean_visit_report_in_the_clinics_language(
    records: Records, team: Team, korean: Clinic, settings: DermDeskSettings, tmp_path: Path
) -> None:
    clinic_in_korean = settings.with_overrides(report_language="ko")
    report = visit_report_data(records, team.doctor, korean.record_number, "latest", clinic_in_korean)
    assert report.language == "ko"
    text = flat(pdftotext(render_visit_report(report), tmp_path))
    for key in (
        "diagnosis.nv",  # L1's signed diagnosis and the model's top suggestion
        "diagnosis.mel",  # L2's suspicious prediction
        "body_site.upper_extremity",
        "light.uv_365",
        "sex.female",
        "role.doctor",
        "lesion_status.monitoring",
        "confirmation.clinical",
        "referral.advised",
    ):
        assert term(key, "ko") in text, key
    assert "피부과 진료 보고서" in text and "초안" in text  # title; a draft says so
    assert formats.day(korean.second_visit, "ko") in text  # the visit date, 2026년 …월 …일
    assert formats.day(korean.first_visit, "ko") in text  # the previous visit's picture
    assert "1971년 5월 17일" in text  # born
    assert "김민수" in text  # family name first, no space (footer and letterhead lines)
    assert "피부암 의심(흑색종)" in text  # the guidance sentence with the glossary's term
    assert "Dermatology visit report" not in text and "Page 1 of" not in text


def test_a_korean_referral_letter_in_the_patients_own_language(
    records: Records, team: Team, korean: Clinic, settings: DermDeskSettings, tmp_path: Path
) -> None:
    record = records.patients.get(team.staff, korean.record_number)
    records.edits.update_patient(
        team.staff, korean.record_number, PatientDetails(None, 2, "ko"), seen_version=record.row_version
    )
    assert settings.report_language in ("system", "en", "ko")
    english_clinic = settings.with_overrides(report_language="en")
    set_language("en")  # the screen stays English: the letter follows the patient
    letter = referral_letter_data(
        records, team.doctor, korean.record_number, "L2", "Dr 박지성, 서울피부과", english_clinic,
        reason="절제 필요 여부 평가 부탁드립니다",
    )  # fmt: skip
    assert letter.language == "ko"
    text = flat(pdftotext(render_referral_letter(letter), tmp_path))
    for expected in (
        "피부과 전문의 진료의뢰서",
        "Dr 박지성 선생님께",
        "김민수",
        term("diagnosis.mel", "ko"),
        term("body_site.upper_extremity", "ko"),
        term("guidance.cancer", "ko").format(classes=term("diagnosis.mel", "ko")),
        "절제 필요 여부 평가 부탁드립니다",
        "1971년 5월 17일",
    ):
        assert expected in text, expected
    assert KOREAN_DATE.search(text)
    assert "Referral to a dermatologist" not in text and "Dear " not in text
    # the same letter asked for in English
    english = referral_letter_data(
        records,
        team.doctor,
        korean.record_number,
        "L2",
        "Dr A. Berg",
        english_clinic,
        reason="x",
        language="en",
    )
    english_text = flat(pdftotext(render_referral_letter(english), tmp_path))
    assert "Referral to a dermatologist" in english_text and "김민수" in english_text
    assert "Melanoma" in english_text or "melanoma" in english_text


def test_a_korean_name_longer_than_its_field_wraps_or_shrinks_and_stays_on_the_page(
    records: Records, team: Team, clock: object, settings: DermDeskSettings, tmp_path: Path
) -> None:
    family = "남궁"
    given = "가나다라마바사아자차카타파하" * 7  # 98 syllables: the longest a given name may be
    seeded = seed_clinic(
        records, team, clock, family=family, given=given, record_number="KR-000999", lesions=1
    )  # type: ignore[arg-type]
    report = visit_report_data(
        records, team.doctor, seeded.record_number, "latest", settings.with_overrides(report_language="ko")
    )
    data = render_visit_report(report)
    text = "".join(pdftotext(data, tmp_path).split())
    assert given in text  # the whole name is printed (wrapped in its field)
    boxes = pdftotext(data, tmp_path, "-bbox")
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))  # type: ignore[union-attr]
    right_edges = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', boxes)]
    assert right_edges and max(right_edges) <= width - 10  # nothing runs into or past the page's edge
