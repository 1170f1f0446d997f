"""The window's language: the Korean catalogue is complete, missing or damaged files fall back to English
(logged once), a language we do not know means English, and switching keeps what people typed."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

import pytest
from language_fixtures import TS_FILE, lrelease
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from dermdesk import i18n
from dermdesk.records import NewLesion, NewPatient
from dermdesk.ui.admin.language_section import LanguageSection
from dermdesk.ui.common.terms import body_site_name, diagnosis_name, light_name, management_name
from dermdesk.ui.records.patient_form import NewPatientDialog
from dermdesk.ui.shell import language
from dermdesk.ui.shell.language import UiLanguage, resolve_language, switch_text, ui_language
from dermdesk.ui.shell.main_window import MainWindow
from dermdesk.ui.shell.records_station import RecordsStation

pytestmark = pytest.mark.usefixtures("cheap_hashing")

PASSWORD = "correct horse battery"
WAIT_MS = 20_000
UI_SOURCES = Path(language.__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def messages(ts: Path) -> list[ElementTree.Element]:
    return list(ElementTree.parse(ts).getroot().iter("message"))


# --- the catalogue --------------------------------------------------------------------------------------


def test_lrelease_reports_every_text_translated(tmp_path: Path) -> None:
    report = lrelease(TS_FILE, tmp_path / "dermdesk_ko.qm")
    counts = re.search(r"Generated (\d+) translation\(s\) \((\d+) finished and (\d+) unfinished\)", report)
    assert counts is not None, report
    total, finished, unfinished = map(int, counts.groups())
    assert unfinished == 0 and finished == total > 500, report
    assert "ignored" not in report, report  # lrelease ignores vanished/obsolete entries: none are left
    for message in messages(TS_FILE):
        translation = message.find("translation")
        assert translation is not None and translation.get("type") is None, message.findtext("source")
        source = message.findtext("source") or ""
        forms = translation.findall("numerusform")  # a %n text: one form per Korean plural form (one)
        text = "".join(form.text or "" for form in forms) if forms else translation.text or ""
        assert text.strip(), f"empty translation of {source!r}"
        if forms:
            assert "%n" in text, source
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), source


def test_the_committed_catalogue_holds_every_marked_text(tmp_path: Path) -> None:
    """lupdate over dermdesk/ui finds nothing new: a text marked since was not left untranslated."""
    copy = tmp_path / TS_FILE.name
    shutil.copy(TS_FILE, copy)
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    sources = sorted(str(path) for path in UI_SOURCES.rglob("*.py"))
    done = subprocess.run(
        [str(lupdate), *sources, "-ts", str(copy), "-no-obsolete"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    found = re.search(r"Found (\d+) source text\(s\) \((\d+) new and (\d+) already existing\)", done.stdout)
    assert found is not None, done.stdout
    assert int(found.group(2)) == 0, f"texts marked but not in {TS_FILE.name}; run lupdate and translate"
    assert "removed" not in done.stdout, done.stdout  # no entry whose text is gone from the screens


def test_clinical_terms_come_from_the_glossary_not_the_qt_catalogue(qapp) -> None:
    from dermdesk.capture.lighting import LightingMode
    from dermdesk.inference.classes import CLASS_CODES
    from dermdesk.records import AnatomSite
    from dermdesk.records.vocabulary import Management

    sources = {message.findtext("source") for message in messages(TS_FILE)}
    i18n.set_language("en")
    shown = [
        *(diagnosis_name(code) for code in CLASS_CODES),
        *(light_name(mode) for mode in LightingMode),
        *(body_site_name(site.value) for site in AnatomSite),
        *(management_name(option.value) for option in Management),
    ]
    assert "Melanoma" in shown and "White light, cross-polarised" in shown
    duplicated = [term for term in shown if term in sources]
    assert not duplicated, f"clinical terms duplicated in the Qt catalogue: {duplicated}"


def test_clinical_terms_follow_the_language(compiled_translations: Path) -> None:
    from dermdesk.capture.lighting import LightingMode

    ui_language().apply("ko")
    assert diagnosis_name("mel") == "흑색종"
    assert light_name(LightingMode.WHITE_POLARISED) == "백색광, 교차 편광"
    assert i18n.current_language() == "ko"  # the core's messages follow the window
    ui_language().apply("en")
    assert diagnosis_name("mel") == "Melanoma" and i18n.current_language() == "en"


def test_a_hangul_name_reads_family_name_first_without_a_space_in_the_patient_list(
    compiled_translations: Path,
) -> None:
    from dermdesk.records.views import PatientSummary
    from dermdesk.ui.records.patient_list import patient_line

    korean = PatientSummary("DD-000123", "민수", "김", date(1984, 5, 17), "male", False)
    latin = PatientSummary("DD-000124", "Anna", "Berg", date(1970, 2, 3), "female", False)
    ui_language().apply("ko")
    assert patient_line(korean).startswith("DD-000123 — 김민수 (1984-05-17 생")
    assert "Berg Anna" in patient_line(latin)
    ui_language().apply("en")
    assert patient_line(korean).startswith("DD-000123 — 김민수 (born 1984-05-17")
    assert "Berg, Anna" in patient_line(latin)


# --- bad files and unknown languages ----------------------------------------------------------------------


def warnings_about(caplog: pytest.LogCaptureFixture, needle: str) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and needle in r.getMessage()
    ]


def test_a_missing_translation_file_shows_english_and_is_logged_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, qapp
) -> None:
    monkeypatch.setattr(language, "translations_dir", lambda: tmp_path)
    monkeypatch.setattr(language, "_warned", set())
    chooser = UiLanguage()
    with caplog.at_level(logging.WARNING):
        assert chooser.apply("ko") == "en"
        assert chooser.apply("ko") == "en"
    assert len(warnings_about(caplog, "missing or damaged")) == 1
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_a_damaged_translation_file_shows_english_and_is_logged_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, qapp
) -> None:
    (tmp_path / "dermdesk_ko.qm").write_bytes(b"\x00not a qm file" * 50)
    monkeypatch.setattr(language, "translations_dir", lambda: tmp_path)
    monkeypatch.setattr(language, "_warned", set())
    chooser = UiLanguage()
    with caplog.at_level(logging.WARNING):
        assert chooser.apply("ko") == "en"
        assert chooser.apply("ko") == "en"
    assert len(warnings_about(caplog, "missing or damaged")) == 1
    assert i18n.current_language() == "en"


def test_a_language_we_do_not_know_means_english(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, compiled_translations: Path
) -> None:
    monkeypatch.setattr(language, "_warned", set())
    with caplog.at_level(logging.WARNING):
        assert resolve_language("fr") == "en"
        assert resolve_language("klingon") == "en"
        assert resolve_language("fr") == "en"
        assert ui_language().apply("xx-YY") == "en"
    assert len(warnings_about(caplog, "'fr'")) == 1
    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")
    assert resolve_language("system") == "ko"
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert resolve_language("system") == "en"


# --- switching ----------------------------------------------------------------------------------------------


def test_texts_switch_both_ways_and_leave_other_text_alone(compiled_translations: Path) -> None:
    assert switch_text("&File", "en", "ko") == "파일(&F)"
    assert switch_text("파일(&F)", "ko", "en") == "&File"
    assert switch_text("Saved DD-1.png in /tmp/x", "en", "ko") == "DD-1.png을(를) /tmp/x에 저장했습니다"
    assert switch_text("DD-1.png을(를) /tmp/x에 저장했습니다", "ko", "en") == "Saved DD-1.png in /tmp/x"
    row = "DD-1 — Kim, Jimin (born 1971-05-17, female)"  # a value inside a template switches too
    assert switch_text(row, "en", "ko") == "DD-1 — Kim, Jimin (1971-05-17 생, 여성)"
    assert switch_text("DD-1 — Kim, Jimin (1971-05-17 생, 여성)", "ko", "en") == row
    assert switch_text("Ada Lovelace", "en", "ko") == "Ada Lovelace"  # a name is nobody's translation
    assert switch_text("김지민", "ko", "en") == "김지민"


@pytest.fixture
def station(qtbot, main_window: MainWindow) -> RecordsStation:
    attached = RecordsStation(main_window)
    qtbot.waitUntil(lambda: attached.session.records is not None, timeout=WAIT_MS)
    records = attached.session.require_records()
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    records.patients.register(staff, NewPatient("DD-000123", "Jimin", "Kim", date(1971, 5, 17), "female"))
    records.lesions.add(staff, "DD-000123", NewLesion("upper extremity", site_detail="left forearm"))
    attached.sign_in.close()
    attached.session.sign_in(staff)
    return attached


def test_a_half_typed_registration_survives_switching_to_korean_and_back(
    qtbot, main_window: MainWindow, station: RecordsStation, compiled_translations: Path
) -> None:
    record = station.dock.open_patient("DD-000123")
    assert record is not None and main_window.model.patient is not None
    qtbot.mouseClick(station.dock.patient_list.new_button, Qt.MouseButton.LeftButton)
    form = station.dock.dialog
    assert isinstance(form, NewPatientDialog) and form.isVisible()
    form.given_name.setText("지민")
    form.family_name.setText("김")
    form.contact.setText("010-1234-")
    settings = main_window.settings.model_copy(update={"language": "ko"})
    main_window.apply_settings(settings)  # what Save on the settings page does
    QApplication.processEvents()
    assert form.isVisible() and station.dock.dialog is form
    assert (form.given_name.text(), form.family_name.text(), form.contact.text()) == (
        "지민",
        "김",
        "010-1234-",
    )
    assert form.register_button.text() == "환자 등록" and form.windowTitle() == "새 환자"
    assert main_window.windowTitle() == "DermDesk — 촬영 스테이션"
    assert [a.text() for a in main_window.menuBar().actions()][:2] == ["파일(&F)", "보기(&V)"]
    assert main_window.model.patient is not None and main_window.model.patient.record_number == "DD-000123"
    assert main_window.settings.language == "ko" and i18n.current_language() == "ko"
    main_window.apply_settings(settings.model_copy(update={"language": "en"}))
    assert form.register_button.text() == "Register patient" and form.given_name.text() == "지민"
    assert main_window.windowTitle() == "DermDesk — capture station"


def test_the_settings_page_offers_the_languages_and_switches_in_place(
    qtbot, main_window: MainWindow, station: RecordsStation, compiled_translations: Path
) -> None:
    admin = station.session.require_records().users.login("admin", PASSWORD)
    station.session.sign_in(admin)
    page = station.open_settings()
    assert page is not None
    section = next(s for s in page.sections if isinstance(s, LanguageSection))
    assert [section.language.itemData(i) for i in range(section.language.count())] == ["system", "en", "ko"]
    assert section.language.itemText(2) == "한국어" and section.language.currentData() == "system"
    page.sections[1].name.setText("Seoul Skin Clinic")  # typed, then the language is switched
    section.language.setCurrentIndex(2)
    assert page.save() is not None
    assert page.isVisible() and page.windowTitle() == "DermDesk — 스테이션 설정"
    assert page.save_button.text() == "저장" and section.title() == "언어"
    assert main_window.settings.language == "ko" and main_window.settings.clinic_name == "Seoul Skin Clinic"
    assert "저장했습니다" in page.status.text()
