"""The pages' templates (Jinja2, autoescaped, every visible string through gettext) and their language.

Why Jinja2's i18n extension with the project's catalogue: the pages speak the language the browser asks
for among those DermDesk has (`dermdesk.i18n`), with the same catalogue as the station's reports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from dermdesk.i18n import N_, SUPPORTED_LANGUAGES, translations
from dermdesk.i18n.formats import day
from dermdesk.i18n.glossary import term_or
from dermdesk.inference.classes import CLASS_CODES, display_name
from dermdesk.resources import resource_path

MANAGEMENT = ("reassure", "follow-up", "excision", "biopsy", "urgent referral")
LANGUAGE_COOKIE = "dd_language"
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}  # each in its own language: the switch in the header
# the consult states and reply kinds the pages show through `_(value)` (marked here for extraction)
WORDS = (
    N_("received"),
    N_("in review"),
    N_("more information requested"),
    N_("answered"),
    N_("cancelled"),
    N_("answer"),
    N_("more information"),
    N_("amendment"),
)


def templates_dir() -> str:
    return str(resource_path("web", "templates"))


def static_dir() -> str:
    return str(resource_path("web", "static"))


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        language=language,
        language_names=LANGUAGE_NAMES,
        class_codes=CLASS_CODES,
        management_options=MANAGEMENT,
        diagnosis=lambda code: clinical("diagnosis", code, language),
        clinical=lambda kind, value: clinical(kind, value, language),
    )
    gettext = translations(language).gettext
    env.filters["when"] = lambda value: when(value, language)
    env.filters["hours"] = lambda value: _hours(value, gettext)
    env.filters["light"] = lambda code: light_name(code, gettext, language)
    return env


def render(language: str, template: str, **context: Any) -> str:
    return environment(language).get_template(template).render(**context)


def clinical(kind: str, value: str, language: str) -> str:
    """A clinical value (diagnosis code, urgency, sex, body site, management, light) in the glossary's
    words for `language`: the same terms as the station's screens and reports."""
    if kind == "diagnosis":
        return display_name(value, language)
    return term_or(kind, value, language)


def language_of(accept_language: str | None, chosen: str | None = None) -> str:
    """The language the dermatologist chose with the header's switch (a cookie), else the first of the
    browser's languages that DermDesk speaks; English otherwise."""
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in SUPPORTED_LANGUAGES:
            return code
    return "en"


def when(value: datetime | str | None, language: str) -> str:
    """A moment on the pages, always in UTC (the dermatologist and the clinics may be in other time
    zones): "2026-12-07 14:05 UTC" in English, "2026년 12월 7일 14:05 UTC" in Korean (Babel's long date,
    as `dermdesk.i18n.formats.day` writes the reports' dates). Naive values are UTC already (the
    database's); a string is an ISO moment (an answer's `answered_at` in the consult's review dict)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return f"{day(value.date(), language)} {value:%H:%M} UTC"


def _hours(value: float | None, gettext: Callable[[str], str]) -> str:
    if value is None:
        return "–"
    if value < 1:
        return gettext("%(n)s min") % {"n": f"{value * 60:.0f}"}
    return gettext("%(n)s h") % {"n": f"{value:.1f}"}


def light_name(code: str | None, gettext: Callable[[str], str], language: str = "en") -> str:
    """The station's lighting mode ("white_polarised", "uv_365", "nb_525") in words: the glossary's term
    when it has one, else built from the code."""
    if not code:
        return gettext("light not given")
    known = clinical("light", code, language)
    if known != code:
        return known
    if code in ("white", "white_polarised"):
        return gettext("White light, polarised") if code.endswith("polarised") else gettext("White light")
    kind, _, nm = code.partition("_")
    if nm.isdigit():
        if kind == "uv":
            return gettext("UV light, %(nm)s nm") % {"nm": nm}
        return gettext("Narrow-band light, %(nm)s nm") % {"nm": nm}
    return code
