"""The settings page's language section: System / English / 한국어, for every screen and message.

The choice is stored as the settings field `language` ("system" | "en" | "ko"); saving switches the open
windows at once without closing any of them (`dermdesk.ui.shell.language`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from dermdesk.i18n import system_language
from dermdesk.settings import DermDeskSettings
from dermdesk.ui.admin.settings_page import SettingsSection

NATIVE_NAMES = {"en": "English", "ko": "한국어"}
"""Each language in its own words, so a person who cannot read the current one still finds theirs."""


class LanguageSection(SettingsSection):
    """Which language the station's windows, messages and (by default) reports use."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Language"), parent)
        self.language = QComboBox(self)
        system = NATIVE_NAMES.get(system_language(), "English")
        self.language.addItem(self.tr("System ({language})").format(language=system), "system")
        for code, name in NATIVE_NAMES.items():
            self.language.addItem(name, code)
        self.add_field(
            "language",
            self.tr("Language:"),
            self.language,
            self.tr("The windows switch at once when saved; nothing typed is lost."),
        )

    def load(self, settings: DermDeskSettings) -> None:
        index = self.language.findData(settings.language)
        self.language.setCurrentIndex(max(index, 0))  # an unknown stored value shows as System

    def changes(self) -> dict[str, Any]:
        return {"language": self.language.currentData()}
