"""Registration and search (issue 20): typed dates, impossible dates, names in any order, birth date."""

from __future__ import annotations

from datetime import date

import pytest

from dermdesk.records import Records, RecordValidationError
from dermdesk.records.typed_dates import parse_typed_date
from records.helpers import Team, new_patient


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("1984-05-17", True, date(1984, 5, 17)),
        ("17.05.1984", True, date(1984, 5, 17)),
        ("17/5/1984", True, date(1984, 5, 17)),
        ("05/17/1984", False, date(1984, 5, 17)),
        (" 1984-5-7 ", False, date(1984, 5, 7)),
    ],
)
def test_typed_dates_in_the_locales_order(text: str, day_first: bool, expected: date) -> None:
    assert parse_typed_date(text, day_first=day_first) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02.1984", "does not exist: February 1984 has no day 31"),
        ("1984-13-01", "has no month 13"),
        ("1984", "is not a date: type it as DD.MM.YYYY or YYYY-MM-DD"),
        ("", "is required"),
        ("17 May 1984", "is not a date"),
    ],
)
def test_impossible_or_unreadable_dates_are_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(RecordValidationError, match=message):
        parse_typed_date(text, what="date of birth")


def test_search_finds_by_name_parts_in_any_order_record_number_and_birth_date(
    records: Records, team: Team
) -> None:
    records.patients.register(team.staff, new_patient("DD-000101", given_name="Ada Augusta"))
    records.patients.register(
        team.staff,
        new_patient("DD-000102", given_name="Alan", family_name="Turing", date_of_birth=date(1912, 6, 23)),
    )

    def found(text: str) -> list[str]:
        return [p.record_number for p in records.patients.list(team.staff, text)]

    assert found("Ada Lovelace") == ["DD-000101"]
    assert found("lovelace ada") == ["DD-000101"]
    assert found("augusta LOVE") == ["DD-000101"]
    assert found("Ada Turing") == []
    assert found("dd-000102") == ["DD-000102"]
    assert found("1912-06-23") == ["DD-000102"]
    assert found("23.06.1912") == ["DD-000102"]
    assert found("turing 1912-06-23") == ["DD-000102"]
    assert found("%") == [] and found("_") == []  # a typed wildcard is searched for, not "everything"
