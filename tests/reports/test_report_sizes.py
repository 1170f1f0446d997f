"""Reports of any size: 1, 19, 60 and 200 pictures of one lesion in one visit, and 30 lesions.

Before issue 19 a lesion with about 19 pictures in one visit failed with reportlab's LayoutError (one
table row taller than a page), a one-lesion report left most of page 1 blank, and a referral letter's
page 1 could end with its "Findings" heading alone. Each report here is made from real records, read
back with pypdf (text, pictures, pages) and rendered by poppler.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from records.helpers import PASSWORD, Clock, Team

from dermdesk.records import CaptureMetadata, CaptureRequest, NewLesion, NewPatient, Records, UserInfo
from dermdesk.reports import (
    referral_letter_data,
    render_referral_letter,
    render_visit_report,
    visit_report_data,
)
from dermdesk.settings import DermDeskSettings
from reports import pdf
from reports.conftest import CLINIC_NAME
from reports.seed import MODEL_SHA, ROUTINE, SITES, SUSPECT, picture, prediction

RECORD = "DD-004242"
LIGHTS = ("white_polarised", "white", "uv_365", "nb_450", "nb_525", "nb_630")


def nurse_of(records: Records, team: Team) -> UserInfo:
    """A nurse's account: the staff role, which reports print as it is (never "Clinician")."""
    return records.users.add(team.admin, "nina", "Nina Nurse", "staff", PASSWORD)


def seed(records: Records, team: Team, clock: Clock, *, lesions: int, per_lesion: int) -> UserInfo:
    """One visit in which a nurse photographs `lesions` lesions `per_lesion` times each, as a lighting
    sequence does; the last picture of each carries the model's prediction."""
    nurse = nurse_of(records, team)
    records.patients.register(nurse, NewPatient(RECORD, "Ada", "Lovelace", date(1971, 5, 17), "female"))
    for index in range(lesions):
        x, y, view = SITES[index % len(SITES)]
        for shot in range(per_lesion):
            first = shot == 0
            records.captures.save(
                nurse,
                CaptureRequest(
                    RECORD,
                    picture(index * 1000 + shot, size=(160, 120), fmt="JPEG"),
                    new_lesion=NewLesion("anterior torso", f"site {index + 1}", x, y, view)
                    if first
                    else None,
                    lesion_label=None if first else f"L{index + 1}",
                    metadata=CaptureMetadata(
                        lighting_mode=LIGHTS[shot % len(LIGHTS)], mm_per_px=0.05, captured_at=clock.now
                    ),
                    prediction=prediction(SUSPECT if index % 2 else ROUTINE, bool(index % 2))
                    if shot == per_lesion - 1
                    else None,
                ),
            )
    return nurse


def report_pdf(records: Records, team: Team, settings: DermDeskSettings) -> bytes:
    return render_visit_report(visit_report_data(records, team.doctor, RECORD, None, settings))


def drawn_pictures(data: bytes, tmp_path: Path) -> list[int]:
    """How many pictures poppler finds drawn on each page (a picture drawn twice counts twice; pypdf
    counts shared picture objects once, and similar test pictures can encode to the same JPEG)."""
    source = tmp_path / "count.pdf"
    source.write_bytes(data)
    listing = subprocess.run(
        ["pdfimages", "-list", str(source)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    per_page = [0] * len(pdf.texts(data))
    for line in listing:
        per_page[int(line.split()[0]) - 1] += 1
    return per_page


def check_pages(data: bytes, pictures: int, lesions: int, tmp_path: Path) -> list[str]:
    """What every report of any size must hold; the pages' text."""
    pages = pdf.texts(data)
    drawn = drawn_pictures(data, tmp_path)
    assert sum(drawn) == pictures
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert f"manifest sha256 {MODEL_SHA}" in text
    whole = " ".join(pages)
    assert CLINIC_NAME in pages[0] and "Tel. +49 30 1234567" in pages[0]
    assert "Seen by Nina Nurse, clinical staff" in whole
    assert "Clinician" not in whole
    assert "Taken by Nina Nurse, clinical staff" in whole
    for index in range(lesions):
        assert f"Lesion L{index + 1} ·" in whole
    if lesions == 1:  # page 1 is not left mostly blank: the lesion starts on it, with its pictures
        assert "Lesion L1 ·" in pages[0] and drawn[0] >= 1
    # Every page after the first shows pictures or findings, and a page of further pictures says whose.
    for text in pages[1:]:
        if "further pictures" in text:
            assert "Lesion L" in text
    return pages


def rendered_by_poppler(data: bytes, tmp_path: Path) -> list[Path]:
    """The pages rendered by poppler; every page but the last is filled at least two-thirds down."""
    source = tmp_path / "report.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(source), str(tmp_path / "page")], check=True)
    rendered = sorted(tmp_path.glob("page-*.png"))
    for page in rendered[:-1]:
        assert filled_to(page) > 0.66, f"{page.name} is mostly blank"
    return rendered


def filled_to(png: Path) -> float:
    """How far down the page (0 to 1) its content reaches, above the footer (the bottom 12%). Dark
    pixels only: the pale DRAFT watermark does not count."""
    with Image.open(png) as opened:
        grey = np.asarray(opened.convert("L"))
    height = grey.shape[0]
    rows = np.flatnonzero((grey[: int(height * 0.88)] < 160).any(axis=1))
    return float(rows[-1] + 1) / height if rows.size else 0.0


@pytest.mark.parametrize("count", [1, 19, 60])
def test_one_lesion_with_many_pictures_in_one_visit_lays_out(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings, tmp_path: Path, count: int
) -> None:
    seed(records, team, clock, lesions=1, per_lesion=count)
    data = report_pdf(records, team, settings)
    pages = check_pages(data, count, 1, tmp_path)
    if count == 1:
        assert len(pages) == 1  # the whole one-lesion report on one page, not pushed to page 2
    else:
        assert f"further pictures ({count - 3} more, {count} in all)" in " ".join(pages)
    assert len(rendered_by_poppler(data, tmp_path)) == len(pages)


@pytest.mark.slow
def test_two_hundred_pictures_of_one_lesion_flow_across_pages(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings, tmp_path: Path
) -> None:
    seed(records, team, clock, lesions=1, per_lesion=200)
    data = report_pdf(records, team, settings)
    pages = check_pages(data, 200, 1, tmp_path)
    # At most a few pages more than the pictures need at 4 per row, 5 or more rows per page.
    assert len(pages) <= 200 // 20 + 3
    assert len(rendered_by_poppler(data, tmp_path)) == len(pages)


@pytest.mark.slow
def test_thirty_lesions_with_a_lighting_sequence_each(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings, tmp_path: Path
) -> None:
    seed(records, team, clock, lesions=30, per_lesion=6)
    data = report_pdf(records, team, settings)
    pages = check_pages(data, 30 * 6, 30, tmp_path)
    assert "Summary of this visit" in pages[0]
    assert len(rendered_by_poppler(data, tmp_path)) == len(pages)


def test_a_referral_letter_keeps_findings_with_the_lesion_and_prints_roles(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings, tmp_path: Path
) -> None:
    seed(records, team, clock, lesions=2, per_lesion=19)
    letter = referral_letter_data(
        records, team.doctor, RECORD, "L2", "Dr A. Specialist, City Skin Clinic", settings
    )
    data = render_referral_letter(letter)
    pages = pdf.texts(data)
    drawn = drawn_pictures(data, tmp_path)
    assert sum(drawn) == 19
    findings = [index for index, text in enumerate(pages) if "Findings" in text]
    assert findings, "the letter has its findings"
    # The "Findings" heading is on the same page as the lesion's heading and its first pictures.
    assert "Lesion L2 ·" in pages[findings[0]] and drawn[findings[0]] >= 1
    whole = " ".join(pages)
    assert CLINIC_NAME in pages[0] and "Tel. +49 30 1234567" in pages[0]
    assert "Referring doctor" in whole and "Taken by Nina Nurse, clinical staff" in whole
