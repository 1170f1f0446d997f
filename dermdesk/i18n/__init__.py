"""The translation layer (gettext domain "dermdesk"): the language in effect and its catalogue.

Why here and small: the shared interface of issues 23, 27 and 28 (see the lead's notes); issue 27 owns this
package and its fuller version (glossary, catalogues, Korean) replaces this one at merge. Catalogues live
under `dermdesk/locale/<lang>/LC_MESSAGES/dermdesk.mo`; a missing or damaged one gives English.
"""

from __future__ import annotations

import gettext as _gettext
import locale
import logging
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

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "ko")
DOMAIN = "dermdesk"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"

_current = ["en"]


def system_language() -> str:
    """ "ko" when the operating system's locale is Korean, else "en"."""
    code = (locale.getlocale()[0] or "").lower()
    return "ko" if code.startswith("ko") else "en"


def set_language(code: str) -> str:
    """Make `code` the language of core messages (unknown → "en", logged once); return the one in effect."""
    if code not in SUPPORTED_LANGUAGES:
        _warn_unknown(code)
        code = "en"
    _current[0] = code
    return code


def current_language() -> str:
    return _current[0]


@cache
def _warn_unknown(code: str) -> None:
    log.warning("Unknown language %r; English is used", code)


@cache
def translations(code: str) -> _gettext.NullTranslations:
    """The catalogue of `code` (English, or any failure to read one, gives null translations)."""
    if code not in SUPPORTED_LANGUAGES or code == "en":
        return _gettext.NullTranslations()
    try:
        return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])
    except (OSError, ValueError) as exc:
        log.warning("No usable %s catalogue (%s); English is used", code, exc.__class__.__name__)
        return _gettext.NullTranslations()


def gettext(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


_ = gettext
