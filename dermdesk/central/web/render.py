"""The pages' templates (Jinja2, autoescaped, every visible string through gettext) and their language.

Why Jinja2's i18n extension with the project's catalogue: the pages speak the language the browser asks
for among those DermDesk has (`dermdesk.i18n`), with the same catalogue as the station's reports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from dermdesk.i18n import SUPPORTED_LANGUAGES, translations
from dermdesk.inference.classes import CLASS_CODES, DISPLAY_NAMES
from dermdesk.resources import resource_path

MANAGEMENT = ("reassure", "follow-up", "excision", "biopsy", "urgent referral")


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
        class_codes=CLASS_CODES,
        class_names=DISPLAY_NAMES,
        management_options=MANAGEMENT,
    )
    gettext = translations(language).gettext
    env.filters["when"] = _when
    env.filters["hours"] = lambda value: _hours(value, gettext)
    env.filters["light"] = lambda code: light_name(code, gettext)
    return env


def render(language: str, template: str, **context: Any) -> str:
    return environment(language).get_template(template).render(**context)


def language_of(accept_language: str | None) -> str:
    """The first of the browser's languages that DermDesk speaks; English otherwise."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in SUPPORTED_LANGUAGES:
            return code
    return "en"


def _when(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def _hours(value: float | None, gettext: Callable[[str], str]) -> str:
    if value is None:
        return "–"
    if value < 1:
        return gettext("%(n)s min") % {"n": f"{value * 60:.0f}"}
    return gettext("%(n)s h") % {"n": f"{value:.1f}"}


def light_name(code: str | None, gettext: Callable[[str], str]) -> str:
    """The station's lighting mode ("white_polarised", "uv_365", "nb_525") in words."""
    if not code:
        return gettext("light not given")
    if code in ("white", "white_polarised"):
        return gettext("White light, polarised") if code.endswith("polarised") else gettext("White light")
    kind, _, nm = code.partition("_")
    if nm.isdigit():
        if kind == "uv":
            return gettext("UV light, %(nm)s nm") % {"nm": nm}
        return gettext("Narrow-band light, %(nm)s nm") % {"nm": nm}
    return code
