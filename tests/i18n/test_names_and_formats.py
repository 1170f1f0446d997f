"""Names, initial consonants, dates and numbers per language (issue 27)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime

import pytest

from dermdesk.i18n import formats
from dermdesk.i18n.names import full_name, initials, is_initials_query, name_initials


@pytest.mark.parametrize(
    ("family", "given", "language", "expected"),
    [
        ("김", "민수", "ko", "김민수"),
        ("김", "민수", "en", "김민수"),  # a Korean name keeps its order in an English report
        ("남궁", "민수", "ko", "남궁민수"),
        ("Lovelace", "Ada", "en", "Lovelace, Ada"),
        ("Lovelace", "Ada", "ko", "Lovelace Ada"),
        ("김", "Minsu", "ko", "김 Minsu"),  # mixed scripts: family first, a space between
        ("Smith", "지은", "en", "Smith, 지은"),
    ],
)
def test_names_family_first(family: str, given: str, language: str, expected: str) -> None:
    assert full_name(family, given, language) == expected


def test_initial_consonants() -> None:
    assert initials("김민수") == "ㄱㅁㅅ"
    assert initials(unicodedata.normalize("NFD", "김민수")) == "ㄱㅁㅅ"
    assert initials("Ada 꽃님") == "ㄲㄴ"
    assert name_initials("김", "민수") == "ㄱㅁㅅ ㅁㅅㄱ"
    assert name_initials("Lovelace", "Ada") is None
    assert is_initials_query("ㄱㅁㅅ") and not is_initials_query("김ㅁ") and not is_initials_query("")
    assert not is_initials_query("ㅏ")  # a vowel is not an initial consonant


def test_dates_and_numbers_per_language() -> None:
    assert formats.day(date(2026, 12, 6), "ko") == "2026년 12월 6일"
    assert formats.day(date(2026, 12, 6), "en") == "2026-12-06"
    assert formats.percent(0.414, "ko") == "41%" and formats.percent(0.414, "en") == "41%"
    assert formats.number(12345.5, "ko") == "12,345.5"
    moment = formats.moment(datetime(2026, 12, 6, 6, 5, tzinfo=UTC), "ko")
    assert moment.startswith("2026년 12월") and "(UTC" in moment
