"""Visit reports generated from real records and read back: text, pages, footer, DRAFT, fonts, pictures,
paper size, and the bad input the issue lists (missing and huge pictures, empty visit, bad logo)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from records.helpers import Clock, Team

from dermdesk.records import CaptureMetadata, CaptureRequest, NewLesion, NewPatient, NotFound, Records, models
from dermdesk.records.lesions import visit_on
from dermdesk.records.patients import find_patient
from dermdesk.reports import ReportError, render_visit_report, visit_report_data
from dermdesk.reports.layout import DISCLAIMER
from dermdesk.settings import DermDeskSettings, PaperSize
from reports import pdf
from reports.conftest import CLINIC_NAME
from reports.seed import FAMILY, GIVEN, MODEL_SHA, Clinic, picture, seed_clinic

A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)


def squeeze(text: str) -> str:
    return "".join(text.split())


def draft(records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings, **kw: object) -> bytes:
    report = visit_report_data(records, team.doctor, clinic.record_number, None, settings, **kw)  # type: ignore[arg-type]
    return render_visit_report(report)


def test_a_draft_report_of_a_two_visit_patient_reads_back(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings
) -> None:
    data = draft(records, team, clinic, settings)
    assert data.startswith(b"%PDF-")
    pages = pdf.texts(data)
    assert len(pages) >= 2
    whole = " ".join(pages)
    for expected in (
        CLINIC_NAME,
        "Parkstraße 12",
        "Dermatology visit report",
        GIVEN,
        FAMILY,
        clinic.record_number,
        "1971-05-17",
        clinic.second_visit.isoformat(),
        "Lesion L1",
        "Lesion L2",
        "upper extremity — right forearm",
        f"Previous visit {clinic.first_visit.isoformat()}",
        "This visit · White light, cross-polarised",
        "This visit · UV 365 nm",
        "2 mm",  # the scale bar of a calibrated picture
        "Melanocytic naevus",
        "72%",
        "Benign, common mole",
        "Suspected skin cancer (melanoma)",
        "mel probability 41% reaches its referral threshold 30%",
        "Atypical naevus, excision advised",
        "Kontrolle in 6 Monaten. 경과 관찰.",
        "Dr Dora Derm",
        "not signed off",
    ):
        assert expected in whole, expected
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert f"manifest sha256 {MODEL_SHA}" in text and "dermdesk-lesion, version 1.2.0" in text
        assert DISCLAIMER in text
        assert "DRAFT" in text
        assert squeeze(f"{FAMILY}, {GIVEN} · {clinic.record_number}") in squeeze(text)  # runs split lines
    # Each lesion: the previous visit's picture beside this visit's two; the logo is not configured.
    assert sum(pdf.picture_counts(data)) == 3 * clinic.lesions


def test_names_in_every_script_are_set_in_embedded_truetype_fonts(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings
) -> None:
    fonts = pdf.fonts(draft(records, team, clinic, settings))
    families = {name.split("+", 1)[-1] for name in fonts}
    assert families == {"DejaVuSans", "DejaVuSans-Bold", "NanumGothic", "DroidSansFallback"}
    for info in fonts.values():
        assert info.subtype == "/TrueType" and info.embedded_as == "FontFile2", info


def test_poppler_reads_the_text_and_finds_every_font_embedded(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings, tmp_path: Path
) -> None:
    assert shutil.which("pdffonts") and shutil.which("pdftotext"), "needs poppler-utils (.ci/run installs it)"
    target = tmp_path / "report.pdf"
    target.write_bytes(draft(records, team, clinic, settings))
    listing = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert len(rows) == 4
    assert all(row.split()[-5] == "yes" for row in rows), listing  # the "emb" column
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert GIVEN in text and "김민준" in text and "王小明" in text and "やまだ" in text


def test_paper_size_follows_the_settings(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings
) -> None:
    assert set(pdf.page_sizes(draft(records, team, clinic, settings))) == {A4}
    letter = settings.model_copy(update={"paper_size": PaperSize.LETTER})
    assert set(pdf.page_sizes(draft(records, team, clinic, letter))) == {LETTER}


def test_many_lesions_span_several_pages_each_with_its_footer(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings
) -> None:
    clinic = seed_clinic(
        records, team, clock, lesions=7, record_number="DD-000900", given="Ada", family="Lovelace"
    )
    pages = pdf.texts(draft(records, team, clinic, settings))
    assert len(pages) >= 4
    whole = " ".join(pages)
    assert all(f"Lesion L{n} " in whole for n in range(1, 8))
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))


def test_a_missing_picture_is_named_in_its_place_and_a_damaged_one_is_not_shown(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings
) -> None:
    lesion = records.patients.get(team.doctor, clinic.record_number).lesions[0]
    current = [image for image in lesion.images if image.visit_date == clinic.second_visit]
    records.store.path(current[0].relative_path).unlink()
    records.store.path(current[1].relative_path).write_bytes(picture(999))
    report = visit_report_data(records, team.doctor, clinic.record_number, None, settings)
    text = " ".join(pdf.texts(render_visit_report(report)))
    assert f"Picture {current[0].number} (White light, cross-polarised" in text
    assert "is missing from the image store" in text
    assert f"Picture {current[1].number} (UV 365 nm" in text and "does not match its checksum" in text


def test_a_huge_picture_is_scaled_down_before_it_is_embedded(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings
) -> None:
    born = clock.now.date() - timedelta(days=9000)
    records.patients.register(team.staff, NewPatient("DD-000901", "Ada", "Lovelace", born, "female"))
    huge = picture(7, size=(6000, 4500), fmt="JPEG")
    records.captures.save(
        team.staff,
        CaptureRequest(
            "DD-000901",
            huge,
            new_lesion=NewLesion("anterior torso"),
            metadata=CaptureMetadata(lighting_mode="white", mm_per_px=0.004, captured_at=clock.now),
        ),
    )
    data = render_visit_report(visit_report_data(records, team.doctor, "DD-000901", None, settings))
    assert pdf.picture_sizes(data) == [(900, 675)]
    assert len(data) < len(huge) // 4
    assert "5 mm" in " ".join(pdf.texts(data))  # 0.004 mm/px × 6000 px = 24 mm across: a 5 mm bar


def test_a_patient_without_visits_and_an_unknown_visit_are_refused_clearly(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings
) -> None:
    born = clinic.first_visit.replace(year=1980)
    records.patients.register(team.staff, NewPatient("DD-000902", "Ada", "Lovelace", born, "female"))
    with pytest.raises(NotFound, match="Patient DD-000902 has no visits yet"):
        visit_report_data(records, team.doctor, "DD-000902", None, settings)
    elsewhere = clinic.first_visit.replace(year=1999)
    with pytest.raises(NotFound, match=f"has no visit on {elsewhere.isoformat()}"):
        visit_report_data(records, team.doctor, clinic.record_number, elsewhere, settings)
    with pytest.raises(NotFound, match="has no visit number 999"):
        visit_report_data(records, team.doctor, clinic.record_number, 999, settings)


def test_a_visit_with_no_lesion_examined_gives_a_clear_message(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings, clock: Clock
) -> None:
    clock.advance(days=3)  # a visit opened today (as the first capture would) with nothing filed yet
    with records.database.transaction() as session:
        patient = find_patient(session, clinic.record_number)
        visit_on(session, patient, clock.now.astimezone().date(), session.get(models.User, team.doctor.id))
    with pytest.raises(
        ReportError, match="has no lesion photographed or diagnosed; there is nothing to report"
    ):
        visit_report_data(records, team.doctor, clinic.record_number, None, settings)


def test_a_logo_that_is_not_a_picture_is_refused_and_a_real_one_is_printed(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings, tmp_path: Path
) -> None:
    not_a_picture = tmp_path / "logo.png"
    not_a_picture.write_text("this is a text file")
    with pytest.raises(ReportError, match=r"The clinic logo .*logo.png cannot be used \(PNG or JPEG\)"):
        draft(records, team, clinic, settings.model_copy(update={"clinic_logo": not_a_picture}))
    with pytest.raises(ReportError, match="cannot be read"):
        draft(records, team, clinic, settings.model_copy(update={"clinic_logo": tmp_path / "gone.png"}))
    logo = tmp_path / "real.png"
    logo.write_bytes(picture(1, size=(400, 160)))
    data = draft(records, team, clinic, settings.model_copy(update={"clinic_logo": logo}))
    assert sum(pdf.picture_counts(data)) == 3 * clinic.lesions + 1
