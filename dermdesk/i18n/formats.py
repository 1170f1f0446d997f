"""Dates, times and numbers as the reader's language writes them (Babel's CLDR data).

English keeps the ISO forms the reports have always printed (2026-12-06: unambiguous between British
and American readers); Korean uses its long form, 2026년 12월 6일, and 오후 3:05 style times.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

LOCALES = {"en": "en_GB", "ko": "ko_KR"}


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["en"])


def day(value: date, language: str) -> str:
    """A date: "2026-12-06" in English, "2026년 12월 6일" in Korean."""
    if language == "en":
        return value.isoformat()
    return format_date(value, format="long", locale=_locale(language))


def moment(value: datetime, language: str) -> str:
    """A local time with its UTC offset: "2026-12-06 15:05 (UTC+09:00)", "2026년 12월 6일 15:05 (…)"."""
    local = value.astimezone()
    offset = local.strftime("%z")
    zone = f"(UTC{offset[:3]}:{offset[3:]})"
    return f"{day(local.date(), language)} {format_time(local, 'HH:mm', locale=_locale(language))} {zone}"


def percent(fraction: float, language: str) -> str:
    """A probability as a whole percentage: "12%"."""
    return format_percent(fraction, format="#,##0%", locale=_locale(language))


def number(value: float, language: str) -> str:
    """A number with the language's grouping and decimal marks."""
    return format_decimal(value, locale=_locale(language))
