"""Korean input in the records (issue 27): Hangul names, search by Hangul and by initial consonants (초성)
with paging, the initials filled for existing patients by migration 0009, a patient's language of reports,
and no resident registration number (주민등록번호) stored."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from dermdesk.records import Records, RecordValidationError
from dermdesk.records.edits import PatientDetails
from dermdesk.settings import DermDeskSettings
from records.helpers import Team, new_patient

PEOPLE = [
    ("KR-001", "김", "민수"),
    ("KR-002", "김", "민지"),
    ("KR-003", "이", "수민"),
    ("KR-004", "박", "서준"),
    ("DD-000001", "Lovelace", "Ada"),
]


def _register_all(records: Records, team: Team) -> None:
    for number, family, given in PEOPLE:
        records.patients.register(team.staff, new_patient(number, family_name=family, given_name=given))


def _found(records: Records, team: Team, search: str, **paging: int) -> list[str]:
    return [p.record_number for p in records.patients.list(team.staff, search, **paging)]


def test_search_by_hangul_name_written_together_or_apart(records: Records, team: Team) -> None:
    _register_all(records, team)
    assert _found(records, team, "김민수") == ["KR-001"]
    assert _found(records, team, "김 민수") == ["KR-001"]
    assert _found(records, team, "민수") == ["KR-001"]
    assert _found(records, team, "수민") == ["KR-003"]
    decomposed = unicodedata.normalize("NFD", "김민수")  # as some keyboards deliver it
    assert _found(records, team, decomposed) == ["KR-001"]


def test_search_by_initial_consonants_in_either_order_with_paging(records: Records, team: Team) -> None:
    _register_all(records, team)
    assert _found(records, team, "ㄱㅁㅅ") == ["KR-001"]
    assert _found(records, team, "ㅁㅅㄱ") == ["KR-001"]  # given name first
    assert _found(records, team, "ㄱㅁ") == ["KR-001", "KR-002"]
    assert _found(records, team, "ㅅ") == ["KR-001", "KR-003", "KR-004"]
    assert records.patients.count(team.staff, "ㅅ") == 3
    assert _found(records, team, "ㅅ", limit=2, offset=0) == ["KR-001", "KR-003"]
    assert _found(records, team, "ㅅ", limit=2, offset=2) == ["KR-004"]
    assert _found(records, team, "ㅎ") == []  # nobody's initials: nothing, not everybody
    assert _found(records, team, "ㄱㅁ 민지") == ["KR-002"]  # initials and a name part together


def test_mixed_hangul_and_latin_names_are_filed_and_found(records: Records, team: Team) -> None:
    records.patients.register(team.staff, new_patient("KR-010", family_name="김", given_name="Minsu Kim"))
    records.patients.register(team.staff, new_patient("KR-011", family_name="Smith", given_name="지은"))
    assert _found(records, team, "ㄱ") == ["KR-010"]
    assert _found(records, team, "ㅈㅇ") == ["KR-011"]
    assert _found(records, team, "minsu 김") == ["KR-010"]


def test_a_resident_registration_number_is_refused_in_every_patient_field(
    records: Records, team: Team
) -> None:
    for field in ("given_name", "family_name", "contact"):
        with pytest.raises(RecordValidationError, match="resident registration number"):
            records.patients.register(team.staff, new_patient("KR-020", **{field: "900101-1234567"}))
    with pytest.raises(RecordValidationError, match="does not store resident registration numbers"):
        records.patients.register(team.staff, new_patient("KR-020", contact="010-1234-5678 9001011234567"))
    assert records.patients.count(team.staff) == 0  # nothing was filed
    record = records.patients.register(team.staff, new_patient("KR-020", contact="010-1234-5678"))
    with pytest.raises(RecordValidationError, match="resident registration number"):
        records.edits.update_patient(
            team.staff, "KR-020", PatientDetails("900101-2234567", 2), seen_version=record.row_version
        )
    assert records.patients.get(team.staff, "KR-020").contact == "010-1234-5678"


def test_a_patients_language_of_reports_is_stored_changed_and_checked(records: Records, team: Team) -> None:
    record = records.patients.register(team.staff, new_patient("KR-030", report_language="ko"))
    assert record.report_language == "ko"
    changed = records.edits.update_patient(
        team.staff, "KR-030", PatientDetails(None, 2, None), seen_version=record.row_version
    )
    assert changed.report_language is None  # back to the clinic's
    kept = records.edits.update_patient(
        team.staff, "KR-030", PatientDetails("a@b.kr", 2), seen_version=changed.row_version
    )
    assert kept.report_language is None and kept.contact == "a@b.kr"
    with pytest.raises(RecordValidationError, match="Unknown language of reports 'fr'"):
        records.patients.register(team.staff, new_patient("KR-031", report_language="fr"))


def test_migration_0009_fills_the_initials_of_existing_patients(settings: DermDeskSettings) -> None:
    from alembic import command

    from dermdesk.records.database import create_records_engine, resolve_url
    from dermdesk.records.schema import alembic_config

    when = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    engine = create_records_engine(resolve_url(settings.database_url, settings.data_dir))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0008")
        connection.execute(
            text(
                "INSERT INTO users (username, display_name, role, password_hash, active, created_at, "
                "failed_attempts, must_change_password) "
                "VALUES ('sam', 'Sam', 'staff', 'x', :yes, :at, 0, :no)"
            ),
            {"yes": True, "no": False, "at": when},
        )
        user_id = connection.execute(text("SELECT id FROM users")).scalar_one()
        for n, (family, given) in enumerate((("김", "민수"), ("Lovelace", "Ada"))):
            connection.execute(
                text(
                    "INSERT INTO patients (record_number, given_name, family_name, date_of_birth, sex, "
                    "research_consent, created_by_id, created_at) VALUES "
                    "(:number, :given, :family, :born, 'female', :no, :user, :at)"
                ),
                {
                    "number": f"OLD-{n}",
                    "given": given,
                    "family": family,
                    "born": date(1971, 5, 17),
                    "no": False,
                    "user": user_id,
                    "at": when,
                },
            )
    engine.dispose()
    with Records.open(settings) as records, records.database.engine.begin() as connection:
        rows = connection.execute(
            text("SELECT record_number, name_initials, report_language FROM patients ORDER BY record_number")
        ).all()
    assert [tuple(row) for row in rows] == [("OLD-0", "ㄱㅁㅅ ㅁㅅㄱ", None), ("OLD-1", None, None)]
