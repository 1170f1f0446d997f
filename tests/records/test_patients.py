"""Patients: registration with validation, audited reads, consent, and nothing half-saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from dermdesk.records import NewLesion, NotFound, PermissionDenied, Records, RecordValidationError, models
from records.helpers import Clock, Team, new_patient


def test_staff_register_and_view_a_patient(records: Records, team: Team) -> None:
    registered = records.patients.register(team.staff, new_patient(" dd-000042 ", contact="+44 20 7946 0000"))
    assert registered.record_number == "DD-000042"
    record = records.patients.get(team.doctor, "dd-000042")
    assert (record.given_name, record.family_name, record.fitzpatrick) == ("Ada", "Lovelace", 2)
    assert record.lesions == () and record.visits == ()


def test_viewing_listing_and_exporting_are_audited_without_names(
    records: Records, team: Team, patient: str
) -> None:
    records.patients.get(team.staff, patient)
    assert [p.record_number for p in records.patients.list(team.doctor, search="love")] == [patient]
    exported = records.patients.export(team.doctor, patient)
    assert exported["record_number"] == patient
    events = records.audit.list(team.admin)
    by_action = {e.action: e for e in events}
    assert by_action["view patient"].object_id == patient and by_action["view patient"].username == "sam"
    assert by_action["list patients"].detail == {"searched": True, "count": 1}
    assert by_action["export"].object_id == patient
    assert by_action["register patient"].object_id == patient
    assert not any("Lovelace" in str(e) or "Ada" in str(e.detail) for e in events)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"record_number": "DD 1"}, "Record number 'DD 1' is not valid"),
        ({"date_of_birth": date.today() + timedelta(days=2)}, "is in the future"),
        ({"given_name": "  "}, "The given name is required"),
        ({"sex": "f"}, "Unknown sex 'f'"),
        ({"fitzpatrick": 7}, "Fitzpatrick skin type must be 1 to 6"),
    ],
)
def test_invalid_patients_are_refused_with_a_reason(
    records: Records, team: Team, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(RecordValidationError, match=message):
        records.patients.register(team.staff, new_patient(**changes))


def test_a_duplicate_record_number_is_refused_and_nothing_is_half_saved(
    records: Records, team: Team, patient: str
) -> None:
    with pytest.raises(RecordValidationError, match="already exists"):
        records.patients.register(team.staff, new_patient(patient.lower(), given_name="Grace"))
    with records.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(models.Patient)) == 1
        registrations = (
            select(func.count())
            .select_from(models.AuditEvent)
            .where(models.AuditEvent.action == "register patient")
        )
        assert session.scalar(registrations) == 1


def test_an_unknown_body_site_saves_no_lesion(records: Records, team: Team, patient: str) -> None:
    with pytest.raises(RecordValidationError, match="Unknown body site 'elbow'"):
        records.lesions.add(team.staff, patient, NewLesion("elbow"))
    with pytest.raises(RecordValidationError, match="x, y and the view"):
        records.lesions.add(team.staff, patient, NewLesion("upper extremity", map_x=0.2))
    assert records.patients.get(team.staff, patient).lesions == ()


def test_lesions_get_stable_labels_and_body_map_positions(records: Records, team: Team, patient: str) -> None:
    first = records.lesions.add(
        team.staff, patient, NewLesion("posterior torso", "left scapula", 0.4, 0.3, "back")
    )
    second = records.lesions.add(team.staff, patient, NewLesion("head_neck"))
    assert (first.label, second.label) == ("L1", "L2")
    assert (first.map_x, first.map_y, first.map_view, first.site_detail) == (0.4, 0.3, "back", "left scapula")
    assert second.anatom_site_general == "head/neck"


def test_admins_have_no_clinical_access_and_unknown_patients_are_named(
    records: Records, team: Team, patient: str
) -> None:
    with pytest.raises(PermissionDenied, match="may not view patient records"):
        records.patients.get(team.admin, patient)
    with pytest.raises(NotFound, match="No patient has the record number DD-999999"):
        records.patients.get(team.staff, "DD-999999")


def test_research_consent_records_date_and_recorder(
    records: Records, team: Team, patient: str, clock: Clock
) -> None:
    record = records.patients.record_consent(team.staff, patient, True)
    assert record.research_consent is True
    assert record.consent_date == clock().astimezone().date()
    assert record.consent_recorded_by == "sam"
