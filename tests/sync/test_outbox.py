"""The outbox: cases are queued with the change that makes them shareable, and only those."""

from __future__ import annotations

import contextlib

from records.helpers import Team
from sqlalchemy import func, select

from dermdesk.records import Records, models
from sync.conftest import add_capture, add_patient, confirm


def queued(records: Records) -> int:
    return records.outbox.counts()["queued"]


def test_sign_off_of_a_consented_patient_queues_the_white_light_pictures(
    records: Records, team: Team
) -> None:
    number = add_patient(records, team, "DD-000100")
    add_capture(records, team, number, 1)
    add_capture(records, team, number, 2, lighting="uv_365", label="L1")
    add_capture(records, team, number, 3, lighting="white", label="L1")
    assert queued(records) == 0  # nothing before a doctor confirms
    confirm(records, team, number)
    assert queued(records) == 2  # the UV picture stays
    add_capture(records, team, number, 4, label="L1")  # a later picture of the confirmed lesion
    assert queued(records) == 3


def test_no_consent_no_queue_and_consent_later_queues(records: Records, team: Team) -> None:
    number = add_patient(records, team, "DD-000101", consent=False)
    add_capture(records, team, number, 1)
    confirm(records, team, number)
    assert queued(records) == 0
    records.patients.record_consent(team.staff, number, True)
    assert queued(records) == 1


def test_withdrawing_consent_removes_unsent_cases_in_the_same_transaction(
    records: Records, team: Team
) -> None:
    number = add_patient(records, team, "DD-000102")
    other = add_patient(records, team, "DD-000103")
    for patient in (number, other):
        add_capture(records, team, patient, 1 if patient == number else 2)
        confirm(records, team, patient)
    (entry, *_) = records.outbox.claim(1)
    records.outbox.mark_sent(entry, "DDC_0000001", replayed=False)
    add_capture(records, team, number, 5, label="L1")
    assert records.outbox.counts() == {"queued": 2, "sending": 0, "sent": 1, "failed": 0}
    records.patients.record_consent(team.staff, number, False)
    assert records.outbox.counts() == {"queued": 1, "sending": 0, "sent": 1, "failed": 0}
    with records.database.transaction() as session:  # the other patient's case is untouched
        patients = session.scalars(select(models.OutboxEntry.patient_id)).all()
        assert len(set(patients)) == 2


def test_a_failed_sign_off_queues_nothing(records: Records, team: Team) -> None:
    number = add_patient(records, team, "DD-000104")
    add_capture(records, team, number, 1)
    from dermdesk.records import AuthenticationFailed, NewDiagnosis

    with contextlib.suppress(AuthenticationFailed):
        records.diagnoses.record(
            team.doctor,
            number,
            "L1",
            NewDiagnosis("histopathology", dx_code="mel"),
            sign_off_password="wrong",
        )
    assert queued(records) == 0


def test_unlabelled_cases_are_queued_at_capture_when_the_centre_asks(settings, team: Team) -> None:  # type: ignore[no-untyped-def]
    with Records.open(settings.with_overrides(upload_unlabelled=True)) as records:
        number = add_patient(records, team, "DD-000105")
        add_capture(records, team, number, 1)
        add_capture(records, team, number, 2, lighting="nb_450", label="L1")
        assert queued(records) == 1


def test_deleting_a_picture_removes_it_from_the_queue(records: Records, team: Team) -> None:
    number = add_patient(records, team, "DD-000106")
    add_capture(records, team, number, 1)
    confirm(records, team, number)
    with records.database.transaction() as session:
        image_id = session.scalar(select(models.Image.id))
    records.captures.delete_image(team.doctor, image_id, "wrong patient")
    with records.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(models.OutboxEntry)) == 0


def test_an_interrupted_send_goes_back_to_the_queue(records: Records, team: Team) -> None:
    number = add_patient(records, team, "DD-000107")
    add_capture(records, team, number, 1)
    confirm(records, team, number)
    assert records.outbox.claim() and records.outbox.counts()["sending"] == 1
    assert records.outbox.recover_interrupted() == 1 and queued(records) == 1
