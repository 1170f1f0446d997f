"""The language people read DermDesk in, for the Qt-free core: gettext over the domain "dermdesk".

Why here: the reports, guidance and errors a clinician reads are made in the core, which never imports
Qt; the Qt screens use Qt's own translation files but take clinical terms from `glossary` and call
`set_language` so core messages follow the screen. A missing or damaged catalogue means English,
logged once; an unknown language code means English, logged once.

(Issue 27-qt's minimal version of the shared API; issue 27-core's package replaces it.)
"""

from __future__ import annotations

import gettext as _gettext
import locale
import logging
import os
from functools import cache
from pathlib import Path

__all__ = [
    "SUPPORTED_LANGUAGES",
    "_",
    "current_language",
    "gettext",
    "ngettext",
    "set_language",
    "system_language",
    "translations",
]

logger = logging.getLogger(__name__)

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "ko")
DOMAIN = "dermdesk"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"

_current = "en"
_warned: set[str] = set()


def _warn_once(key: str, message: str, *args: object) -> None:
    if key not in _warned:
        _warned.add(key)
        logger.warning(message, *args)


def system_language() -> str:
    """ "ko" when the operating system's language is Korean, else "en"."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    code = locale.getlocale()[0] or ""
    return "ko" if code.lower().startswith("ko") else "en"


def set_language(code: str) -> str:
    """Make `code` the language of core messages; an unknown code means English (logged once)."""
    global _current
    language = (code or "").strip().lower()
    if language not in SUPPORTED_LANGUAGES:
        _warn_once(f"code:{language}", "Unknown language %r: English is used", code)
        language = "en"
    _current = language
    return language


def current_language() -> str:
    return _current


@cache
def translations(code: str) -> _gettext.NullTranslations:
    """The catalogue of `code` (English, i.e. the messages as written, when it is missing or damaged)."""
    if code not in SUPPORTED_LANGUAGES or code == "en":
        return _gettext.NullTranslations()
    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    except (OSError, ValueError, UnicodeDecodeError) as exc:  # missing or damaged: English
        _warn_once(
            f"catalogue:{code}", "No usable %s catalogue (%s): English is used", code, type(exc).__name__
        )
        return _gettext.NullTranslations()


def gettext(message: str) -> str:
    return translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current).ngettext(singular, plural, n)


_ = gettext
