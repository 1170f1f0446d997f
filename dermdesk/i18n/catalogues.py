"""The gettext catalogues of the Qt-free core: which language is in effect, and its translations.

Why gettext (with Babel to extract and compile): the reports, the guidance, the errors a person reads
and the dermatologists' web pages share one domain, "dermdesk", whose Korean sources are
`dermdesk/locale/ko/LC_MESSAGES/dermdesk.po`, compiled to `.mo` by `make gettext-catalogues`. A source
checkout that has not run `make` yet reads the `.po` through Babel. A catalogue that is missing or
damaged never stops the station: English is shown, and the problem is logged once per language.

The language of the screen (`set_language`) and the language of one report (`translations(code)`, the
patient's) are separate, so a Korean letter can be printed while the screen stays English.
"""

from __future__ import annotations

import gettext as _gettext
import io
import locale
import logging
import os
import struct
import threading
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "dermdesk"
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "ko")
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def known_language(code: str | None) -> str | None:
    """`code` as one of SUPPORTED_LANGUAGES ("ko_KR.UTF-8", "KO", "ko-kr" -> "ko"), else None."""
    if not code:
        return None
    base = code.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    if base in ("korean",):  # Windows spells it out: "Korean_Korea"
        return "ko"
    if base in ("english",):
        return "en"
    return base if base in SUPPORTED_LANGUAGES else None


def system_language() -> str:
    """ "ko" when the operating system's locale is Korean, else "en"."""
    for variable in _LOCALE_VARIABLES:
        value = os.environ.get(variable, "")
        if value:
            first = value.split(":")[0]
            return "ko" if known_language(first) == "ko" else "en"
    try:
        name = locale.getlocale()[0]
    except ValueError:  # an unparsable locale setting: English
        name = None
    return "ko" if known_language(name) == "ko" else "en"


class Catalogues:
    """The translations of each language under one locale folder, loaded once and kept."""

    def __init__(self, locale_dir: Path, domain: str = DOMAIN) -> None:
        self.locale_dir = locale_dir
        self.domain = domain
        self._lock = threading.Lock()
        self._loaded: dict[str, _gettext.NullTranslations] = {}
        self._warned: set[str] = set()

    def warn_once(self, key: str, message: str, *args: object) -> None:
        """Log `message` at WARNING the first time `key` comes up; later times at DEBUG."""
        with self._lock:
            first = key not in self._warned
            self._warned.add(key)
        log.log(logging.WARNING if first else logging.DEBUG, message, *args)

    def resolve(self, code: str | None) -> str:
        """The supported language for `code`; an unknown one is English (logged once)."""
        if code in (None, "", "system"):
            return system_language()
        language = known_language(code)
        if language is None:
            self.warn_once(
                f"unknown:{code}", "Language %r is not supported (%s); English is used.", code,
                ", ".join(SUPPORTED_LANGUAGES),
            )  # fmt: skip
            return SOURCE_LANGUAGE
        return language

    def translations(self, code: str | None) -> _gettext.NullTranslations:
        """The translations into `code` (English: the messages as written)."""
        language = self.resolve(code)
        with self._lock:
            cached = self._loaded.get(language)
        if cached is not None:
            return cached
        loaded = self._load(language)
        with self._lock:
            return self._loaded.setdefault(language, loaded)

    def _load(self, language: str) -> _gettext.NullTranslations:
        if language == SOURCE_LANGUAGE:
            return _gettext.NullTranslations()
        folder = self.locale_dir / language / "LC_MESSAGES"
        compiled, source = folder / f"{self.domain}.mo", folder / f"{self.domain}.po"
        try:
            if compiled.is_file():
                return _gettext.GNUTranslations(io.BytesIO(compiled.read_bytes()))
            if source.is_file():
                return _from_po(source)
        except (OSError, ValueError, UnicodeError, struct.error, IndexError, KeyError) as exc:
            self.warn_once(
                f"damaged:{language}",
                "The %s translations (%s) cannot be read (%s); English is shown.",
                language, compiled if compiled.is_file() else source, type(exc).__name__,
            )  # fmt: skip
            return _gettext.NullTranslations()
        self.warn_once(
            f"missing:{language}",
            "The %s translations are missing (%s); English is shown.",
            language,
            compiled,
        )
        return _gettext.NullTranslations()


def _from_po(path: Path) -> _gettext.NullTranslations:
    """A `.po` source compiled in memory with Babel (a checkout where `make` has not built the `.mo`)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    with path.open("rb") as source:
        try:
            catalogue = read_po(source, abort_invalid=True)
        except PoFileError as exc:
            raise ValueError(str(exc)) from exc
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


_catalogues = Catalogues(LOCALE_DIR)
_current = SOURCE_LANGUAGE
_current_lock = threading.Lock()


def translations(code: str) -> _gettext.NullTranslations:
    """The translations into `code` ("en", "ko", "system"; unknown: English, logged once)."""
    return _catalogues.translations(code)


def set_language(code: str) -> str:
    """Make `code` the language of core messages ("system" follows the OS); returns the one in effect."""
    global _current
    language = _catalogues.resolve(code)
    _catalogues.translations(language)  # load (and log a missing catalogue) now, not mid-sentence
    with _current_lock:
        _current = language
    return language


def current_language() -> str:
    """The language core messages are shown in now."""
    return _current


def gettext(message: str) -> str:
    """`message` in the current language."""
    return _catalogues.translations(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the current language."""
    return _catalogues.translations(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name)
    """Marks `message` for extraction without translating it (translated where it is shown)."""
    return message


def resolve_language(code: str | None) -> str:
    """The supported language for `code` ("system" and None: the OS's; unknown: English, logged once)."""
    return _catalogues.resolve(code)
