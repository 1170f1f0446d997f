"""Fixtures for the DICOM suite: a SQLite station with a clinic name, a team, and a visit to export.

The visit (from the reports suite's seed) has two lesions placed on the body map, white-light
polarised and UV stills with the model's predictions, and a report signed off with the real renderer;
an overview photo and a non-polarised contact still with a magnification are added here, so every kind
of object DermDesk writes is in one export. The records core is tested on PostgreSQL in tests/records.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from records.helpers import PASSWORD, Clock, Team
from reports.seed import Clinic, picture, seed_clinic

from dermdesk.records import CaptureMetadata, CaptureRequest, Records, SecurityPolicy
from dermdesk.records.reports import SignOff
from dermdesk.reports import render_visit_report, visit_report_data
from dermdesk.settings import DermDeskSettings, load_settings
from interop.orthanc import ORTHANC, Orthanc

CLINIC_NAME = "Hautarztpraxis Am Stadtpark"


@dataclass(frozen=True)
class Visit:
    clinic: Clinic
    record_number: str


@pytest.fixture(autouse=True)
def _cheap_hashing(cheap_hashing: None) -> None:
    """Every test here uses the cheap password hasher (tests/conftest.py)."""


@pytest.fixture
def settings(station_dirs: object, monkeypatch: pytest.MonkeyPatch) -> DermDeskSettings:
    monkeypatch.setenv("DERMDESK_CLINIC_NAME", CLINIC_NAME)
    return load_settings().settings


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def records(settings: DermDeskSettings, clock: Clock) -> Iterator[Records]:
    opened = Records.open(settings, clock=clock, policy=SecurityPolicy(max_failed_attempts=5))
    yield opened
    opened.close()


def add_team(records: Records) -> Team:
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
    return Team(admin, staff, doctor)


@pytest.fixture
def team(records: Records) -> Team:
    return add_team(records)


def sign_report(records: Records, team: Team, record_number: str, settings: DermDeskSettings) -> None:
    def render(sign_off: SignOff) -> bytes:
        report = visit_report_data(records, team.doctor, record_number, None, settings, sign_off=sign_off)
        return render_visit_report(report)

    records.reports.sign_off(team.doctor, record_number, None, PASSWORD, render)


@pytest.fixture
def visit(records: Records, team: Team, clock: Clock, settings: DermDeskSettings) -> Visit:
    clinic = seed_clinic(records, team, clock)
    number = clinic.record_number
    extra = [
        ("L1", CaptureMetadata(camera="Clinic camera", captured_at=clock.now)),  # overview photo
        (
            "L2",
            CaptureMetadata(
                camera="DermLite DL5",
                lighting_mode="white",
                polarised=False,
                contact=True,
                magnification=10.0,
                captured_at=clock.now,
            ),
        ),
        ("L2", CaptureMetadata(lighting_mode="nb_525", captured_at=clock.now)),
    ]
    for index, (label, metadata) in enumerate(extra):
        records.captures.save(
            team.staff,
            CaptureRequest(number, picture(300 + index), lesion_label=label, metadata=metadata),
        )
    sign_report(records, team, number, settings)
    return Visit(clinic, number)


def tool(name: str) -> str:
    """A DICOM tool installed by scripts/system-deps.sh (dicom3tools, dcmtk)."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; run `bash scripts/system-deps.sh`", pytrace=False)
    return found


def run_tool(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool(name), *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def orthanc(tmp_path: Path) -> Iterator[Orthanc]:
    """A private Orthanc (DICOMweb and worklist plugins) on free ports; killed whatever the test did."""
    if not Path(ORTHANC).exists():
        pytest.fail("Orthanc is not installed: run scripts/system-deps.sh (as root) first", pytrace=False)
    server = Orthanc(tmp_path / "orthanc")
    server.start()
    yield server
    server.kill()
