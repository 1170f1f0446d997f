"""Deliberate filing (issue 20): a picture left out of reports, a picture moved to the right lesion."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dermdesk.records import NewLesion, Records, RecordValidationError, models
from records.helpers import Team, new_patient
from records.test_captures import capture


def audit_actions(records: Records) -> list[str]:
    with records.database.transaction() as session:
        return list(session.scalars(select(models.AuditEvent.action).order_by(models.AuditEvent.id)))


def test_a_picture_can_be_left_out_of_reports_and_put_back_audited(
    records: Records, team: Team, patient: str
) -> None:
    records.captures.save(team.staff, capture(patient, 1))
    image = records.patients.get(team.staff, patient).lesions[0].images[0]
    assert image.for_report and image.number == 1
    records.captures.set_for_report(team.staff, image.id, False, "black still")
    assert not records.patients.get(team.staff, patient).lesions[0].images[0].for_report
    records.captures.set_for_report(team.staff, image.id, True)
    assert records.patients.get(team.staff, patient).lesions[0].images[0].for_report
    assert audit_actions(records).count("picture in report") == 2


def test_a_picture_moves_to_another_lesion_of_the_same_patient_audited(
    records: Records, team: Team, patient: str
) -> None:
    records.captures.save(team.staff, capture(patient, 1))
    records.lesions.add(team.staff, patient, NewLesion("lower extremity", "left shin"))
    image = records.patients.get(team.staff, patient).lesions[0].images[0]
    assert records.captures.move_image(team.staff, image.id, patient, "l2") == "L2"
    lesions = {lesion.label: lesion for lesion in records.patients.get(team.staff, patient).lesions}
    assert lesions["L1"].images == () and [i.id for i in lesions["L2"].images] == [image.id]
    assert "move picture" in audit_actions(records)


def test_moving_a_picture_to_another_patients_lesion_is_refused(
    records: Records, team: Team, patient: str
) -> None:
    records.captures.save(team.staff, capture(patient, 1))
    other = records.patients.register(team.staff, new_patient("DD-000777", given_name="Alan")).record_number
    records.captures.save(team.staff, capture(other, 2))
    image = records.patients.get(team.staff, patient).lesions[0].images[0]
    with pytest.raises(RecordValidationError, match="cannot be moved to another patient's lesion"):
        records.captures.move_image(team.staff, image.id, other, "L1")
    assert records.patients.get(team.staff, patient).lesions[0].images[0].id == image.id
    assert len(records.patients.get(team.staff, other).lesions[0].images) == 1
    assert "move picture" not in audit_actions(records)


def test_the_picture_number_counts_within_the_lesion_not_the_database(
    records: Records, team: Team, patient: str
) -> None:
    """Issue 20: "Filed as image 8 of lesion L1" for a lesion's first picture (8 was the database id)."""
    other = records.patients.register(team.staff, new_patient("DD-000778")).record_number
    for seed in range(3):  # three pictures of another patient first: database ids 1 to 3
        records.captures.save(team.staff, capture(other, 10 + seed))
    result = records.captures.save(team.staff, capture(patient, 1))
    assert result.image_id is not None and result.image_id > 1
    assert result.message.startswith("Filed as picture 1 of lesion L1")
