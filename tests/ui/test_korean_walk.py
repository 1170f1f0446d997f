"""Every window, dock, page and dialog of the station in Korean, walked offscreen: each text a person can
read there (titles, labels, buttons, menus, tooltips, placeholders, headers, combo items, status bar)
holds no untranslated English. Names, codes, units and brand names are on an allow-list; so are the
titles of cited works (in <i>…</i>). Messages the Qt-free core makes and a window shows (sign-in
refusals, date errors, the model's advice, the central service's reasons, model-card figures) come
through the core's gettext catalogue and are checked like the rest.

The same walk also checks that each window fits a 1366×768 screen in Korean (tests/ui/test_screen_fit.py's
check), since Korean texts are often wider than English ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from test_screen_fit import fit_problems

from dermdesk.capture.quality import assess
from dermdesk.records import NewLesion, NewPatient
from dermdesk.sync.update_offer import FIGURES, Figure, UpdateOffer
from dermdesk.ui.admin.connection_section import ConnectionSection
from dermdesk.ui.capture.quality_dialog import QualityDialog
from dermdesk.ui.common import screen_fit
from dermdesk.ui.common.sign_in_dialogs import (
    ChangePasswordDialog,
    FirstAdminDialog,
    LoginDialog,
    PasswordDialog,
)
from dermdesk.ui.records.body_map import BodyPoint
from dermdesk.ui.shell.about import show_about
from dermdesk.ui.shell.main_window import MainWindow
from dermdesk.ui.shell.records_station import RecordsStation

pytestmark = pytest.mark.usefixtures("cheap_hashing")

PASSWORD = "correct horse battery"
WAIT_MS = 30_000
SCREEN = QRect(0, 0, 1366, 768)

ALLOWED = set(
    " ".join(
        (
            # the product, standards, formats, protocols and units
            "DermDesk DICOM DICOMweb FHIR Bundle PACS EHR TOTP PNG JPEG JSON PDF STOW STORE TLS ",
            "UID UIDs LED CPU AUC ",
            "INT8 FP32 OpenVINO Qt Fitzpatrick Space fps HAM10000 ISIC BY NC SA arXiv ",
            "English localhost serial ",
            "PORT dinolite v4l2 dev videoN dcm json pdf avi mp4 mkv mov png jpg jpeg Bearer YYYY ",
            # the shipped model package's name, shown in the analysis dock and the About box
            "dermdesk lesion ",
            # the citation of HAM10000 and ISIC (authors, journal, collaboration)
            "Tschandl Rosendahl Kittler Sci Data International Skin Imaging Collaboration ",
            "Codella Combalia ",
            # the accounts and example values this walk creates or shows (user names, an example address)
            "admin sam dora central example org https ",
            # the commands a clinic's IT runs (quoted in the damaged-pictures message, the device token's tip)
            "backup restore audit verify devices add ",
            # the model's diagnosis codes (shown beside their names) and skin types in Roman numerals
            "akiec bcc bkl mel vasc III",
        )
    ).split()
)
CORE_MESSAGES_PENDING: tuple[str, ...] = (
    # Texts the Qt-free core makes, whole or inside a window's sentence, that are not yet put through
    # gettext: each a regular expression matched against a whole text. Empty: every one the walk meets
    # is translated (dermdesk/locale/ko/LC_MESSAGES/dermdesk.po); add one here only with a reason.
)


def english_words(text: str) -> list[str]:
    """The Latin words of 3+ letters in `text` that are not on the allow-list."""
    text = re.sub(r"<i>.*?</i>", " ", text, flags=re.DOTALL)  # titles of cited works stay as published
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths and folders
    text = re.sub(r"&#?\w+;", " ", text)  # HTML entities
    text = re.sub(r"\b[\w-]+-\d+(\.\w+)?\b", " ", text)  # file names (still-0001.png), record numbers
    text = re.sub(r"\b\w+(\.\w+){2,}\b", " ", text)  # host names (pacs.clinic.local)
    text = re.sub(r"\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b", " ", text)  # settings' names (PACS_HOST)
    return [word for word in re.findall(r"[A-Za-z][A-Za-z0-9]{2,}", text) if word not in ALLOWED]


def from_the_core(text: str) -> bool:
    return any(re.fullmatch(pattern, text, flags=re.DOTALL) for pattern in CORE_MESSAGES_PENDING)


def menu_texts(menu: QMenu, where: str) -> Iterator[tuple[str, str]]:
    yield f"{where} menu", menu.title()
    for action in menu.actions():
        if action.isVisible() and not action.isSeparator():
            yield f"{where} ▸ action", action.text()
            if action.menu() is not None:
                yield from menu_texts(action.menu(), f"{where} ▸ {action.text()}")


def shown_texts(top: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a person can read in the window `top`."""
    name = type(top).__name__
    yield f"{name} title", top.windowTitle()
    widgets = [top, *(w for w in top.findChildren(QWidget) if w.isVisibleTo(top) and not w.isWindow())]
    for widget in widgets:
        where = f"{name} › {type(widget).__name__}({widget.objectName()})"
        yield f"{where} tooltip", widget.toolTip()
        if isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        elif isinstance(widget, QGroupBox):
            yield where, widget.title()
        elif isinstance(widget, QDockWidget):
            yield where, widget.windowTitle()
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            yield f"{where} placeholder", widget.placeholderText()
        elif isinstance(widget, QComboBox) and not widget.isEditable():  # an editable one holds typed names
            yield from ((f"{where} item", widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QAbstractSpinBox):
            yield f"{where} special", widget.specialValueText()
            yield from (
                (f"{where} affix", getattr(widget, a)()) for a in ("suffix", "prefix") if hasattr(widget, a)
            )
        elif isinstance(widget, QTabWidget):
            yield from ((f"{where} tab", widget.tabText(i)) for i in range(widget.count()))
        elif isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                item = widget.horizontalHeaderItem(column)
                yield f"{where} header", item.text() if item is not None else ""
        elif isinstance(widget, QListWidget):
            yield from ((f"{where} row", widget.item(i).text()) for i in range(widget.count()))
    if isinstance(top, QMainWindow):
        for action in top.menuBar().actions():
            if action.menu() is not None:
                yield from menu_texts(action.menu(), name)
        yield f"{name} status bar", top.statusBar().currentMessage()


class Walk:
    """What the walk saw: every text, and the English left in it."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.seen: list[str] = []
        self.problems: list[str] = []
        self.texts = 0

    def look(self, top: QWidget, *, fits: bool = True) -> None:
        QApplication.processEvents()
        self.qtbot.wait(30)
        assert top.isVisible(), f"{type(top).__name__} is not shown"
        self.seen.append(type(top).__name__)
        for where, text in shown_texts(top):
            if not text:
                continue
            self.texts += 1
            words = english_words(text)
            if words and not from_the_core(text):
                self.problems.append(f"{where}: {text[:90]!r} (English: {', '.join(words[:5])})")
        if fits:
            self.problems.extend(f"does not fit 1366×768: {p}" for p in fit_problems(top, SCREEN))


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> QRect:
    monkeypatch.setattr(screen_fit, "available_area", lambda widget=None: QRect(SCREEN))
    return SCREEN


@pytest.mark.slow
def test_every_screen_in_korean_shows_no_english(qtbot, korean, screen, main_window: MainWindow) -> None:
    walk = Walk(qtbot)
    station = RecordsStation(main_window)
    # the records menu goes before Help, found by the menu itself, not by its (translated) title
    assert main_window.menuBar().actions()[-1] is main_window.help_menu.menuAction()
    qtbot.waitUntil(lambda: isinstance(station.sign_in.dialog, FirstAdminDialog), timeout=WAIT_MS)
    main_window.restore_layout()
    walk.look(station.sign_in.dialog)  # first start: create the administrator
    records = station.session.require_records()
    admin = records.users.create_first_admin("admin", "관리자", PASSWORD)
    staff = records.users.add(admin, "sam", "박직원", "staff", PASSWORD)
    doctor = records.users.add(admin, "dora", "이의사", "doctor", PASSWORD)
    records.patients.register(staff, NewPatient("DD-000123", "지민", "김", date(1971, 5, 17), "female"))
    records.lesions.add(staff, "DD-000123", NewLesion("upper extremity", site_detail="왼쪽 아래팔"))
    station.sign_in.close()
    station.sign_in.ask()
    qtbot.waitUntil(lambda: isinstance(station.sign_in.dialog, LoginDialog), timeout=WAIT_MS)
    login = station.sign_in.dialog
    login.username.setText("sam")
    login.password.setText("wrong password here")
    qtbot.mouseClick(login.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: login.error.isVisible(), timeout=WAIT_MS)
    walk.look(login)
    station.sign_in.close()

    # The administrator: the admin page, user admin, the settings page, the own-password dialog.
    station.session.sign_in(admin)
    walk.look(main_window)
    page = station.open_settings()
    assert page is not None
    walk.look(page)
    page.close()
    change = ChangePasswordDialog("admin", main_window)
    qtbot.addWidget(change)
    change.show()
    walk.look(change)
    change.close()

    # The central service (issue 28), away: the upload queue with its reason, the status bar's counts,
    # a model update offered to the administrator, and the settings page's connection test.
    away = main_window.model.settings.model_copy(
        update={"upload_url": "http://127.0.0.1:9", "device_token": "t" * 40}
    )
    station._apply_settings(away)
    qtbot.waitUntil(lambda: station.central.last_outcome is not None, timeout=60_000)
    queue = station.open_queue()
    qtbot.waitUntil(lambda: queue.problem.isVisible(), timeout=WAIT_MS)
    walk.look(queue)
    assert "중앙 서비스" in queue.problem.text()  # the core's reason, in Korean
    queue.close()
    walk.look(main_window)  # the status bar: upload counts, not reaching the central service
    figures = tuple(Figure(key, label, 0.71234, 0.74321) for key, label in FIGURES)
    station.central.offer = UpdateOffer(
        "dermdesk-lesion", "1.0.1", Path("/nowhere"), "dermdesk-lesion", "1.0.0", figures, 1005
    )
    update = station.open_update()
    assert update is not None
    walk.look(update)
    assert update.figure_row("accuracy")[0] == "정확도"  # the core's figure label, in Korean
    update.close()
    station.central.offer = None
    page = station.open_settings()
    assert page is not None
    connection = page.findChild(ConnectionSection)
    assert connection is not None
    qtbot.mouseClick(connection.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: connection.test_button.isEnabled(), timeout=WAIT_MS)
    walk.look(page)
    assert "중앙 서비스" in connection.test_result.text()
    page.close()

    # Staff: the patient list, the registration form, the patient page, the lesion dialog, capture.
    station.session.sign_in(staff)
    walk.look(main_window)
    qtbot.mouseClick(station.dock.patient_list.new_button, Qt.MouseButton.LeftButton)
    form = station.dock.dialog
    qtbot.mouseClick(form.register_button, Qt.MouseButton.LeftButton)  # empty: the errors show
    walk.look(form)
    form.reject()
    record = station.dock.open_patient("DD-000123")
    assert record is not None
    station.dock.open_patient("DD-000123", select=record.lesions[0].label)
    qtbot.mouseClick(station.dock.patient_page.target_button, Qt.MouseButton.LeftButton)
    body_map = station.dock.patient_page.body_map
    qtbot.waitUntil(lambda: body_map.isVisible() and body_map.height() > 100, timeout=WAIT_MS)
    walk.look(main_window)
    qtbot.mouseClick(
        body_map, Qt.MouseButton.LeftButton, pos=body_map.widget_point(BodyPoint(0.5, 0.3, "back")).toPoint()
    )
    walk.look(station.dock.dialog)
    assert "몸통" in station.dock.dialog.detail.text()  # the body map's suggestion, in Korean
    station.dock.close_dialog()
    for dock in main_window.findChildren(QDockWidget):  # each panel of the window in turn
        if dock.isVisibleTo(main_window) or main_window.tabifiedDockWidgets(dock):
            dock.raise_()
            walk.look(main_window)

    # A still through the real button: the quality check, the analysis of the still, measuring it.
    main_window.desk.sig_quality_dialog.connect(lambda dialog: dialog.keep_button.click())
    qtbot.waitUntil(lambda: main_window.live_view.frames_shown >= 2, timeout=WAIT_MS)
    with qtbot.waitSignal(main_window.analysis.sig_still_analysed, timeout=90_000):
        qtbot.mouseClick(main_window.capture_button, Qt.MouseButton.LeftButton)
    main_window.analysis.raise_()
    walk.look(main_window)
    quality = QualityDialog(assess(np.zeros((480, 640, 3), np.uint8)), np.zeros((120, 160, 3), np.uint8))
    quality.show()
    walk.look(quality)
    quality.close()
    ruler = main_window.calibration.open_ruler()
    assert ruler is not None
    walk.look(ruler)
    ruler.close()
    measure = main_window.calibration.measure_item(main_window.thumbnails.item(0))
    walk.look(measure)
    measure.close()

    # The doctor: timeline, diagnosis, report, referral letter, consults, exports, the worklist.
    station.session.sign_in(doctor)
    record = station.dock.open_patient("DD-000123")
    assert record is not None
    lesion = record.lesions[0]
    for window in (
        station.open_timeline("DD-000123", lesion),
        station.open_diagnosis("DD-000123", lesion),
        station.open_consult("DD-000123", lesion),
        station.open_inbox(),
        station.open_dicom_export("DD-000123", None),
        station.open_pacs_send("DD-000123", None),
        station.open_fhir_export("DD-000123", None),
        station.open_worklist(),
    ):
        assert window is not None
        window.show()
        walk.look(window)
        window.close()
    report = station.open_report("DD-000123", None)
    qtbot.waitUntil(lambda: bool(report.pages) or report.error.isVisible(), timeout=WAIT_MS)
    walk.look(report)
    letter = report.open_letter()
    assert letter is not None
    walk.look(letter)
    letter.close()
    report.close()
    password = PasswordDialog("dora", "서명 확인", main_window)
    qtbot.addWidget(password)
    password.show()
    walk.look(password)
    password.close()
    about = show_about(main_window)
    walk.look(about)
    about.close()
    station.session.lock()
    qtbot.waitUntil(
        lambda: station.sign_in.dialog is not None and station.sign_in.dialog.isVisible(), timeout=WAIT_MS
    )
    walk.look(station.sign_in.dialog)

    assert walk.texts > 400, f"only {walk.texts} texts seen in {walk.seen}"
    assert not walk.problems, "\n".join(dict.fromkeys(walk.problems))
