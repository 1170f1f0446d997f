"""The language one report or letter is written in: the patient's, whatever the screen shows.

Why a context variable: a report is gathered and laid out by many small functions; each marks its
strings with `_()` and reads dates, numbers, clinical terms and names through the helpers here, which
follow the language set by `written_in` for the document being made. The screen's language
(`dermdesk.i18n.set_language`) is left alone, and two stations' threads rendering at once do not mix.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from dermdesk.i18n import formats, names
from dermdesk.i18n.catalogues import SOURCE_LANGUAGE, resolve_language, translations
from dermdesk.i18n.glossary import term, term_or

_language: ContextVar[str] = ContextVar("report_language", default=SOURCE_LANGUAGE)


@contextmanager
def written_in(code: str | None) -> Iterator[str]:
    """Write the report in `code` inside the block (unknown: English, logged once); yields the language."""
    language = resolve_language(code) if code else SOURCE_LANGUAGE
    token = _language.set(language)
    try:
        yield language
    finally:
        _language.reset(token)


def language() -> str:
    """The language of the report being made."""
    return _language.get()


def _(message: str) -> str:
    """`message` in the report's language."""
    return translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_language.get()).ngettext(singular, plural, n)


def day(value: date) -> str:
    """A date as the report's language writes it (2026-12-06, 2026년 12월 6일)."""
    return formats.day(value, _language.get())


def moment(value: datetime) -> str:
    """A local time with its UTC offset, in the report's language."""
    return formats.moment(value, _language.get())


def percent(fraction: float) -> str:
    return formats.percent(fraction, _language.get())


def clinical(key: str) -> str:
    """A clinical term from the glossary in the report's language."""
    return term(key, _language.get())


def stored(kind: str, value: str) -> str:
    """A stored value ("head/neck", "monitoring", "female") as the glossary words it, else as stored."""
    return term_or(kind, value, _language.get())


def person(family: str, given: str) -> str:
    """A patient's name: 김민수, "Lovelace, Ada" (English), "Lovelace Ada" (Korean)."""
    return names.full_name(family, given, _language.get())


def time_of_day(value: datetime) -> str:
    """A local hour and minute ("15:05")."""
    return f"{value.astimezone():%H:%M}"
