"""Diagnoses: doctors only, sign-off re-verifies the password, signed diagnoses are final."""

from __future__ import annotations

import pytest

from dermdesk.records import (
    AccountLocked,
    AuthenticationFailed,
    NewDiagnosis,
    NewLesion,
    PermissionDenied,
    Records,
    RecordValidationError,
)
from records.helpers import PASSWORD, Team


@pytest.fixture
def lesion(records: Records, team: Team, patient: str) -> str:
    return records.lesions.add(team.staff, patient, NewLesion("anterior torso")).label


def test_a_doctor_diagnoses_and_signs_off(records: Records, team: Team, patient: str, lesion: str) -> None:
    diagnosis = records.diagnoses.record(
        team.doctor, patient, lesion, NewDiagnosis("histopathology", dx_code="MEL")
    )
    assert diagnosis.dx_code == "mel" and diagnosis.signed_off_at is None
    signed = records.diagnoses.sign_off(team.doctor, diagnosis.id, PASSWORD)
    assert signed.signed_off_by == "dora" and signed.signed_off_at is not None
    actions = [e.action for e in records.audit.list(team.admin)]
    assert "diagnose" in actions and "sign-off" in actions
    with pytest.raises(RecordValidationError, match="already signed off by dora"):
        records.diagnoses.sign_off(team.doctor, diagnosis.id, PASSWORD)


def test_staff_cannot_diagnose_or_sign(records: Records, team: Team, patient: str, lesion: str) -> None:
    with pytest.raises(PermissionDenied, match="may not record diagnoses"):
        records.diagnoses.record(team.staff, patient, lesion, NewDiagnosis("clinical", dx_code="nv"))
    diagnosis = records.diagnoses.record(team.doctor, patient, lesion, NewDiagnosis("clinical", dx_code="nv"))
    with pytest.raises(PermissionDenied, match="sam is signed in as staff and may not sign off diagnoses"):
        records.diagnoses.sign_off(team.staff, diagnosis.id, PASSWORD)
    assert records.patients.get(team.doctor, patient).lesions[0].diagnoses[0].signed_off_at is None


def test_sign_off_with_a_wrong_password_is_refused_counted_and_saves_nothing(
    records: Records, team: Team, patient: str, lesion: str
) -> None:
    with pytest.raises(AuthenticationFailed):
        records.diagnoses.record(
            team.doctor,
            patient,
            lesion,
            NewDiagnosis("consensus", dx_other="lentigo"),
            sign_off_password="not my password",
        )
    assert records.patients.get(team.doctor, patient).lesions[0].diagnoses == ()
    assert [e.detail["reason"] for e in records.audit.list(team.admin, action="sign-off failed")] == [
        "wrong password"
    ]
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            records.users.login("dora", "still not it")
    with pytest.raises(AccountLocked):
        records.diagnoses.record(team.doctor, patient, lesion, NewDiagnosis("clinical", dx_code="nv"))


def test_diagnosis_with_immediate_sign_off(records: Records, team: Team, patient: str, lesion: str) -> None:
    diagnosis = records.diagnoses.record(
        team.doctor,
        patient,
        lesion,
        NewDiagnosis("follow-up", dx_other="Solar lentigo", notes="stable for 12 months"),
        sign_off_password=PASSWORD,
    )
    assert diagnosis.signed_off_by == "dora" and diagnosis.dx_other == "Solar lentigo"


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (NewDiagnosis("clinical"), "Give a diagnosis"),
        (NewDiagnosis("clinical", dx_code="cancer"), "Unknown diagnosis code 'cancer'"),
        (NewDiagnosis("biopsy", dx_code="mel"), "Unknown confirmation 'biopsy'"),
    ],
)
def test_invalid_diagnoses_are_refused(
    records: Records, team: Team, patient: str, lesion: str, new: NewDiagnosis, message: str
) -> None:
    with pytest.raises(RecordValidationError, match=message):
        records.diagnoses.record(team.doctor, patient, lesion, new)


def test_a_referral_marks_the_lesion_referred(
    records: Records, team: Team, patient: str, lesion: str
) -> None:
    referral = records.diagnoses.refer(team.staff, patient, lesion, "changing border, patient worried")
    assert referral.status == "open"
    assert records.patients.get(team.doctor, patient).lesions[0].status == "referred"
