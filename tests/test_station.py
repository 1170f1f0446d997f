"""The station model's rules, without Qt: one patient on every screen, stills only for that patient."""

from __future__ import annotations

from datetime import date

import pytest

from dermdesk.filing import CaptureTarget
from dermdesk.records import Role, UserInfo
from dermdesk.settings import DermDeskSettings
from dermdesk.source_spec import SourceSpec
from dermdesk.station import PatientInView, StationModel

ADA = PatientInView("DD-000123", "Lovelace", "Ada", date(1971, 5, 17), "female")
ALAN = PatientInView("DD-000456", "Turing", "Alan", date(1912, 6, 23), "male")
SAM = UserInfo(2, "sam", "Sam Staff", Role.STAFF, True)


def model(tmp_path) -> StationModel:
    return StationModel(DermDeskSettings(data_dir=tmp_path), SourceSpec.parse("virtual"))


def recorder(event) -> list:
    seen: list = []
    event.connect(seen.append)
    return seen


def test_the_banner_text_has_two_identifiers_birth_date_age_and_sex() -> None:
    text = ADA.banner_text(date(2026, 5, 16))
    assert text == "Lovelace, Ada · DD-000123 · born 1971-05-17 (54 y) · female"
    assert ADA.age(date(2026, 5, 17)) == 55


def test_without_records_stills_need_no_patient(tmp_path) -> None:
    station = model(tmp_path)
    assert station.capture_refusal() is None


def test_with_records_a_still_needs_the_patient_and_a_lesion(tmp_path) -> None:
    station = model(tmp_path)
    station.patient_required = True
    assert "No patient is open" in (station.capture_refusal() or "")
    station.set_patient(ADA)
    assert "Choose the lesion" in (station.capture_refusal() or "")
    station.set_target(CaptureTarget(ADA.record_number, "L1", "back"))
    assert station.capture_refusal() is None


def test_two_patients_opened_quickly_leave_the_last_one_everywhere(tmp_path) -> None:
    station = model(tmp_path)
    patients, targets = recorder(station.patient_changed), recorder(station.target_changed)
    station.set_patient(ADA)
    station.set_target(CaptureTarget(ADA.record_number, "L1", "back"))
    station.set_patient(ALAN)
    station.set_patient(ALAN)  # the same patient again: nothing changes
    assert station.patient == ALAN and patients == [ADA, ALAN]
    assert station.target is None and targets[-1] is None  # Ada's lesion is no target for Alan


def test_a_target_for_another_patient_is_refused(tmp_path) -> None:
    station = model(tmp_path)
    station.set_patient(ALAN)
    with pytest.raises(ValueError, match="patient shown in the banner"):
        station.set_target(CaptureTarget(ADA.record_number, "L1", "back"))
    assert station.target is None


def test_signing_out_or_locking_clears_the_patient(tmp_path) -> None:
    station = model(tmp_path)
    station.set_user(SAM)
    station.set_patient(ADA)
    station.set_user(None)
    assert station.patient is None and station.user is None


def test_settings_changes_and_notices_reach_subscribers(tmp_path) -> None:
    station = model(tmp_path)
    settings, notices = recorder(station.settings_changed), recorder(station.notice)
    station.settings = station.settings.model_copy(update={"lighting_mode": "white"})
    station.settings = station.settings  # unchanged: no event
    station.notify("Saved still-0001.png", 3000)
    station.warn("Light not switched", "The LED ring did not answer.")
    assert [s.lighting_mode for s in settings] == ["white"]
    assert [(n.title, n.text, n.timeout_ms) for n in notices] == [
        (None, "Saved still-0001.png", 3000),
        ("Light not switched", "The LED ring did not answer.", 10_000),
    ]
