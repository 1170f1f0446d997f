"""The language settings (issue 27): the screen's and the reports' language, and a bad value."""

from __future__ import annotations

import pytest

from dermdesk.settings import load_settings


def test_language_settings_default_to_the_system_and_take_en_or_ko(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_settings()
    assert loaded.settings.language == "system" and loaded.settings.report_language == "system"
    monkeypatch.setenv("DERMDESK_LANGUAGE", "KO")
    monkeypatch.setenv("DERMDESK_REPORT_LANGUAGE", "en")
    loaded = load_settings()
    assert loaded.settings.language == "ko" and loaded.settings.report_language == "en"


def test_an_unknown_language_setting_is_ignored_with_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DERMDESK_REPORT_LANGUAGE", "fr")
    loaded = load_settings()
    assert loaded.settings.report_language == "system"
    assert any("report_language" in notice and "fr" in notice for notice in loaded.notices), loaded.notices
