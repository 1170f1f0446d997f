"""Languages of the Qt-free core: gettext catalogues, the clinical glossary, names, dates and numbers.

The public interface other packages (the window, the central service's pages) rely on:
`SUPPORTED_LANGUAGES`, `system_language`, `set_language`, `current_language`, `gettext` (also `_`),
`ngettext`, `translations`, and `dermdesk.i18n.glossary.term`. Nothing here imports Qt.
"""

from __future__ import annotations

from dermdesk.i18n.catalogues import (
    N_,
    SUPPORTED_LANGUAGES,
    current_language,
    gettext,
    known_language,
    ngettext,
    resolve_language,
    set_language,
    system_language,
    translations,
)

_ = gettext

__all__ = [
    "N_",
    "SUPPORTED_LANGUAGES",
    "_",
    "current_language",
    "gettext",
    "known_language",
    "ngettext",
    "resolve_language",
    "set_language",
    "system_language",
    "translations",
]
