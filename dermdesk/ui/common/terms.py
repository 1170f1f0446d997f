"""Clinical terms on screen, from the one glossary (`dermdesk.i18n.glossary`) the core's gettext
messages use too, so a diagnosis, light or body site reads the same in the window and in the reports.

The Qt translation files never hold these clinical terms. A term the glossary lacks is shown in the core's
English wording (logged once), never as a key.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QCoreApplication

from dermdesk.capture.lighting import LightingMode
from dermdesk.i18n.glossary import term
from dermdesk.inference.classes import DISPLAY_NAMES
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

_missing: set[str] = set()


def glossary_term(key: str, english: str) -> str:
    """The glossary's term `key` in the screen's language; `english` when the glossary lacks it."""
    try:
        return term(key)
    except KeyError:
        if key not in _missing:
            _missing.add(key)
            logger.warning("The glossary has no term %s; English is shown", key)
        return english


def _key(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")


def diagnosis_name(code: str) -> str:
    """One of the model's seven diagnosis classes (e.g. "mel"), by name."""
    return glossary_term(f"diagnosis.{code}", DISPLAY_NAMES.get(code, code))


def triage_name(code: str, english: str) -> str:
    """A triage group of the model's manifest (e.g. "malignant"); `english` is the manifest's name."""
    return glossary_term(f"triage.{code}", english)


def light_name(mode: LightingMode) -> str:
    return glossary_term(f"light.{mode.value}", mode.label)


def body_site_name(site: str) -> str:
    """An ISIC body site value (e.g. "palms/soles")."""
    return glossary_term(f"body_site.{_key(site)}", site)


def management_name(value: str) -> str:
    """A specialist's management option (e.g. "follow-up")."""
    return glossary_term(f"management.{_key(value)}", value)


def confirmation_name(value: str) -> str:
    """How a diagnosis was confirmed (e.g. "histopathology")."""
    return glossary_term(f"confirmation.{_key(value)}", value)


# Words of the records' and settings' vocabularies that the window shows (not clinical terms, so they
# live in the Qt translation file, context "Vocabulary"); `vocabulary_word` looks one up.
VOCABULARY = (
    QT_TRANSLATE_NOOP("Vocabulary", "female"),
    QT_TRANSLATE_NOOP("Vocabulary", "male"),
    QT_TRANSLATE_NOOP("Vocabulary", "other"),
    QT_TRANSLATE_NOOP("Vocabulary", "unknown"),
    QT_TRANSLATE_NOOP("Vocabulary", "staff"),
    QT_TRANSLATE_NOOP("Vocabulary", "doctor"),
    QT_TRANSLATE_NOOP("Vocabulary", "admin"),
    QT_TRANSLATE_NOOP("Vocabulary", "routine"),
    QT_TRANSLATE_NOOP("Vocabulary", "soon"),
    QT_TRANSLATE_NOOP("Vocabulary", "urgent"),
    QT_TRANSLATE_NOOP("Vocabulary", "queued"),
    QT_TRANSLATE_NOOP("Vocabulary", "sent"),
    QT_TRANSLATE_NOOP("Vocabulary", "in review"),
    QT_TRANSLATE_NOOP("Vocabulary", "more information requested"),
    QT_TRANSLATE_NOOP("Vocabulary", "answered"),
    QT_TRANSLATE_NOOP("Vocabulary", "cancelled"),
    QT_TRANSLATE_NOOP("Vocabulary", "escalated"),
    QT_TRANSLATE_NOOP("Vocabulary", "monitoring"),
    QT_TRANSLATE_NOOP("Vocabulary", "referred"),
    QT_TRANSLATE_NOOP("Vocabulary", "excised"),
    QT_TRANSLATE_NOOP("Vocabulary", "resolved"),
    QT_TRANSLATE_NOOP("Vocabulary", "virtual"),
    QT_TRANSLATE_NOOP("Vocabulary", "camera"),
    QT_TRANSLATE_NOOP("Vocabulary", "file"),
    QT_TRANSLATE_NOOP("Vocabulary", "Letter"),
    QT_TRANSLATE_NOOP("Vocabulary", "Exposure"),
    QT_TRANSLATE_NOOP("Vocabulary", "Gain"),
    QT_TRANSLATE_NOOP("Vocabulary", "White balance"),
    QT_TRANSLATE_NOOP("Vocabulary", "Focus"),
    QT_TRANSLATE_NOOP("Vocabulary", "Zoom"),
    QT_TRANSLATE_NOOP("Vocabulary", "light not recorded"),
    QT_TRANSLATE_NOOP("Vocabulary", "default"),
)


def vocabulary_word(value: str) -> str:
    """A vocabulary value (a sex, role, urgency, consult state, camera control …) in the screen's
    language; a value not in the list above is shown as it is."""
    return QCoreApplication.translate("Vocabulary", value)


def stored_light_name(value: str | None) -> str:
    """The light a stored picture was taken under (a LightingMode value, or None), in words."""
    if not value:
        return QCoreApplication.translate("Vocabulary", "light not recorded")
    try:
        return light_name(LightingMode(value))
    except ValueError:
        return value.replace("_", " ")
