"""Several rooms on one server, one station at a time: amendments, stale edits, database errors in
words, lesion labels, the server's clock, offline sign-in and a server lost mid-transaction."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from dermdesk.records import (
    AuthenticationFailed,
    CaptureRequest,
    DatabaseUnavailable,
    NewDiagnosis,
    NewLesion,
    Records,
    RecordsError,
    RecordValidationError,
    models,
)
from dermdesk.records.edits import PatientDetails
from dermdesk.records.errors import ChangedElsewhere, DiagnosisConflict
from dermdesk.records.offline_sign_in import OFFLINE_SIGN_IN_DAYS, remember, sign_in_offline
from dermdesk.records.server_clock import ServerClock
from records.helpers import PASSWORD, Clock, Team, png_bytes


@pytest.fixture
def lesion(records: Records, team: Team, patient: str) -> str:
    return records.lesions.add(team.staff, patient, NewLesion("anterior torso")).label


def test_a_different_final_diagnosis_is_refused_unless_signed_as_an_amendment_which_keeps_the_first(
    records: Records, team: Team, patient: str, lesion: str
) -> None:
    first = records.diagnoses.record(
        team.doctor, patient, lesion, NewDiagnosis("clinical", dx_code="nv"), sign_off_password=PASSWORD
    )
    with pytest.raises(
        DiagnosisConflict, match=f"already has a signed final diagnosis: nv \\(diagnosis {first.id}, "
    ):
        records.diagnoses.record(
            team.doctor,
            patient,
            lesion,
            NewDiagnosis("histopathology", dx_code="mel"),
            sign_off_password=PASSWORD,
        )
    assert len(records.patients.get(team.doctor, patient).lesions[0].diagnoses) == 1  # nothing half-saved
    same = records.diagnoses.record(  # agreeing with the final one is no amendment
        team.doctor, patient, lesion, NewDiagnosis("histopathology", dx_code="nv"), sign_off_password=PASSWORD
    )
    assert same.amends_id is None
    with pytest.raises(RecordValidationError, match="nothing to amend"):
        records.diagnoses.record(
            team.doctor,
            patient,
            lesion,
            NewDiagnosis("clinical", dx_code="nv"),
            sign_off_password=PASSWORD,
            amends=first.id,
        )
    unsigned = records.diagnoses.record(
        team.doctor, patient, lesion, NewDiagnosis("histopathology", dx_code="mel")
    )
    with pytest.raises(DiagnosisConflict) as refused:
        records.diagnoses.sign_off(team.doctor, unsigned.id, PASSWORD)
    assert refused.value.current_id == same.id  # the newest signed one is the final one
    amended = records.diagnoses.sign_off(team.doctor, unsigned.id, PASSWORD, amends=same.id)
    assert amended.amends_id == same.id and amended.signed_off_by == "dora"
    shown = records.patients.get(team.doctor, patient).lesions[0].diagnoses
    assert [(d.dx_code, d.signed_off_at is not None) for d in shown] == [
        ("nv", True),
        ("nv", True),
        ("mel", True),
    ]
    (entry,) = records.audit.list(team.admin, action="amend diagnosis")
    assert entry.detail["amends"] == same.id and (entry.detail["was"], entry.detail["now"]) == ("nv", "mel")


def test_an_edit_made_on_an_old_version_is_refused_and_the_newer_change_kept(
    records: Records, team: Team, patient: str, lesion: str
) -> None:
    seen = records.patients.get(team.staff, patient)
    saved = records.edits.update_patient(
        team.staff, patient, PatientDetails("0301 555 0101", 3), seen_version=seen.row_version
    )
    assert saved.contact == "0301 555 0101" and saved.row_version == seen.row_version + 1
    with pytest.raises(
        ChangedElsewhere, match="Another station changed patient DD-000001 after you opened it"
    ):
        records.edits.update_patient(
            team.staff, patient, PatientDetails("other", 2), seen_version=seen.row_version
        )
    now = records.patients.get(team.staff, patient)
    assert (now.contact, now.fitzpatrick) == ("0301 555 0101", 3)
    (entry,) = records.audit.list(team.admin, action="update patient")
    assert entry.detail["fields"] == ["contact", "fitzpatrick"]
    with pytest.raises(RecordValidationError, match="Fitzpatrick skin type must be 1 to 6"):
        records.edits.update_patient(
            team.staff, patient, PatientDetails(None, 9), seen_version=now.row_version
        )

    shown = now.lesions[0]
    records.edits.set_lesion_status(team.staff, patient, lesion, "excised", seen_version=shown.row_version)
    with pytest.raises(
        ChangedElsewhere, match=f"changed lesion {lesion} after you opened it \\(it is now excised\\)"
    ):
        records.edits.set_lesion_status(
            team.staff, patient, lesion, "resolved", seen_version=shown.row_version
        )


def test_a_database_clash_reaches_people_as_words_not_sql(records: Records, team: Team) -> None:
    with pytest.raises(ChangedElsewhere) as caught, records.database.transaction() as session:
        session.add(models.User(username="sam", display_name="x", role="staff", password_hash="x"))
    message = str(caught.value)
    assert "nothing of yours was saved" in message
    assert "INSERT" not in message and "sqlalche.me" not in message and "IntegrityError" not in message


def test_a_stale_row_update_is_refused_in_words(records: Records, team: Team, patient: str) -> None:
    """A row changed by another station between this one's read and its write (version check)."""
    refused = pytest.raises(ChangedElsewhere, match="Another station changed this record")
    with refused, records.database.transaction() as session:
        row = session.scalar(select(models.Patient))
        assert row is not None
        with records.database.engine.begin() as other:  # the other room, committing first
            other.execute(text("UPDATE patients SET row_version = row_version + 1, contact = 'theirs'"))
        row.contact = "mine"
    with records.database.transaction() as session:
        assert session.scalar(select(models.Patient.contact)) == "theirs"


def test_labels_stay_unique_when_lesions_come_from_captures_and_the_dock(
    records: Records, team: Team, patient: str
) -> None:
    records.lesions.add(team.staff, patient, NewLesion("head/neck"))
    result = records.captures.save(
        team.staff, CaptureRequest(patient, png_bytes(1), new_lesion=NewLesion("palms/soles"))
    )
    records.lesions.add(team.staff, patient, NewLesion("head/neck"))
    labels = [lesion.label for lesion in records.patients.get(team.staff, patient).lesions]
    assert result.lesion_label == "L2" and labels == ["L1", "L2", "L3"]


# --- offline sign-in -------------------------------------------------------------------------------


def test_offline_sign_in_needs_a_recent_sign_in_here_and_the_right_password(
    team: Team, tmp_path: Path, clock: Clock
) -> None:
    with pytest.raises(
        DatabaseUnavailable, match="has not signed in at this station while it could be reached"
    ):
        sign_in_offline(tmp_path, "sam", PASSWORD, clock())
    remember(tmp_path, team.staff, PASSWORD, clock())
    note = tmp_path / "sign-in-cache" / "sam.json"
    assert note.stat().st_mode & 0o777 == 0o600 and PASSWORD not in note.read_text(encoding="utf-8")
    assert sign_in_offline(tmp_path, " SAM ", PASSWORD, clock()) == team.staff.__class__(
        team.staff.id, "sam", team.staff.display_name, team.staff.role, True
    )
    with pytest.raises(AuthenticationFailed):
        sign_in_offline(tmp_path, "sam", "not the password", clock())
    with pytest.raises(DatabaseUnavailable, match=f"older than {OFFLINE_SIGN_IN_DAYS} days"):
        sign_in_offline(tmp_path, "sam", PASSWORD, clock() + timedelta(days=OFFLINE_SIGN_IN_DAYS + 1))
    note.write_text("{not json")
    with pytest.raises(DatabaseUnavailable, match="cannot be checked here"):
        sign_in_offline(tmp_path, "sam", PASSWORD, clock())


# --- PostgreSQL only ---------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_station_whose_clock_is_minutes_off_dates_records_by_the_server(records: Records) -> None:
    late = Clock()
    late.advance(minutes=-7)  # this room's clock is seven minutes behind
    clock = ServerClock(records.database.engine, local=late)
    offset = clock.measure()
    assert timedelta(minutes=6) < offset < timedelta(minutes=8)
    with records.database.engine.connect() as connection:
        server_now = connection.execute(text("SELECT now()")).scalar_one()
    assert abs(clock() - server_now) < timedelta(seconds=30)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_server_lost_in_the_middle_of_filing_spools_the_capture_and_files_it_once_later(
    records: Records, team: Team, patient: str, clock: Clock
) -> None:
    """The connection is cut (pg_terminate_backend) after the rows were started, before the commit."""
    records.captures.save(
        team.staff, CaptureRequest(patient, png_bytes(1), new_lesion=NewLesion("head/neck"))
    )
    engine = records.database.engine

    class CuttingClock:
        def __init__(self) -> None:
            self.armed = True

        def __call__(self):  # type: ignore[no-untyped-def]
            if self.armed:
                self.armed = False
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
                    admin.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                            "datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"
                        )
                    )
            return clock()

    records.captures._clock = CuttingClock()  # called inside the transaction, while the rows are built
    result = records.captures.save(team.staff, CaptureRequest(patient, png_bytes(2), lesion_label="L1"))
    assert result.spooled and result.image_id is None
    assert records.flush_spool().filed == [result.capture_uid]
    with records.database.transaction() as session:
        uids = list(session.scalars(select(models.Image.capture_uid)))
    assert uids.count(result.capture_uid) == 1 and len(uids) == 2


def test_a_records_error_is_what_the_ui_and_cli_catch(records: Records) -> None:
    assert issubclass(ChangedElsewhere, RecordsError) and issubclass(DiagnosisConflict, ChangedElsewhere)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_share_not_mounted_or_not_writable_keeps_the_picture_in_the_spool_until_it_is_back(
    records: Records, team: Team, patient: str, tmp_path: Path
) -> None:
    share = tmp_path / "share"
    records.store.root, records.store.must_exist = share, True  # a clinic share, as Records.open sets it
    missing = records.captures.save(
        team.staff, CaptureRequest(patient, png_bytes(1), new_lesion=NewLesion("head/neck"))
    )
    assert missing.spooled and not share.exists()  # nothing written under an empty mount point
    share.write_text("a file where the share's folder should be")  # mounted wrong: cannot be written
    blocked = records.captures.save(
        team.staff, CaptureRequest(patient, png_bytes(2), new_lesion=NewLesion("head/neck"))
    )
    assert blocked.spooled
    assert records.flush_spool().waiting == 2
    share.unlink()
    share.mkdir()  # the share is mounted again
    assert records.flush_spool().filed == [missing.capture_uid, blocked.capture_uid]
    assert len(list(share.rglob("*.png"))) == 2
