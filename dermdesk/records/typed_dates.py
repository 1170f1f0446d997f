"""Dates as people type them: "1984-05-17", "17.05.1984", "17/05/1984" (or "05/17/1984" where the
month comes first), checked for dates that do not exist (31 February) with a message staff can act on.

The registration form types a birth date as text, in the order of the station's locale, instead of a
spin box whose year segment ignored a typed year; the patient search uses the same reading so a birth
date typed in the search box finds the patient.
"""

from __future__ import annotations

import re
from datetime import date

from dermdesk.i18n import N_, gettext
from dermdesk.records.errors import RecordValidationError

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LOCAL = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
MONTHS = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip


def typed_date_hint(day_first: bool) -> str:
    """How to type a date here, e.g. "DD.MM.YYYY or YYYY-MM-DD"."""
    return gettext("{local} or {iso}").format(
        local="DD.MM.YYYY" if day_first else "MM/DD/YYYY", iso="YYYY-MM-DD"
    )


def parse_typed_date(text: str, *, day_first: bool = True, what: str | None = None) -> date:
    """The date in ``text`` (ISO, or day/month/year in the locale's order); a clear error otherwise.
    ``what`` names the field in the station's language (default: "date")."""
    what = what or gettext("date")
    value = text.strip()
    if not value:
        raise RecordValidationError(
            gettext("The {what} is required: type it as {hint}.").format(
                what=what, hint=typed_date_hint(day_first)
            )
        )
    iso = _ISO.match(value)
    local = _LOCAL.match(value)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif local:
        first, second, year = (int(part) for part in local.groups())
        day, month = (first, second) if day_first else (second, first)
    else:
        raise RecordValidationError(
            gettext("The {what} {value} is not a date: type it as {hint}.").format(
                what=what, value=repr(value), hint=typed_date_hint(day_first)
            )
        )
    if not 1 <= month <= 12:
        raise RecordValidationError(
            gettext("The {what} {value} has no month {month}: months run 1 to 12.").format(
                what=what, value=repr(value), month=month
            )
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise RecordValidationError(
            gettext("The {what} {value} does not exist: {month_name} {year} has no day {day}.").format(
                what=what, value=repr(value), month_name=gettext(MONTHS[month - 1]), year=year, day=day
            )
        ) from None


def dates_in(text: str) -> set[date]:
    """Every date ``text`` can be read as (both orders where day and month could swap); empty if none."""
    found: set[date] = set()
    for day_first in (True, False):
        try:
            found.add(parse_typed_date(text, day_first=day_first))
        except RecordValidationError:
            continue
    return found
