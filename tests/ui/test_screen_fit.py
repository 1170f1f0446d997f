"""Every screen and dialog of the station on a 1280×720 screen: nothing clipped, nothing outside.

1280×720 is what 1920×1080 at Windows' 150 % scaling leaves, and a little less than the 1366×768 most
clinic PCs have. The offscreen test platform has one fixed screen, so the screen's free area is given
to the station through `screen_fit.available_area` (the only place the station asks for it). Each
window is then checked as a person would look at it: it fits the screen, every visible widget lies
inside it, and no button, label, field or list is narrower or lower than it needs to show its text.
Widgets inside a scroll area may extend beyond it (scrolling shows them); labels that elide on purpose
(the patient banner) carry their whole text in a tooltip and are left out of the size check.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from dermdesk.capture.quality import assess
from dermdesk.records import NewLesion, NewPatient
from dermdesk.station import PatientInView
from dermdesk.ui.capture.quality_dialog import QualityDialog
from dermdesk.ui.common import screen_fit
from dermdesk.ui.common.sign_in_dialogs import FirstAdminDialog, LoginDialog, PasswordDialog
from dermdesk.ui.records.body_map import BodyPoint
from dermdesk.ui.records.lesion_dialog import NewLesionDialog
from dermdesk.ui.records.patient_form import NewPatientDialog
from dermdesk.ui.reports.report_dialog import ReportDialog
from dermdesk.ui.shell.about import show_about
from dermdesk.ui.shell.main_window import MainWindow
from dermdesk.ui.shell.records_station import RecordsStation

pytestmark = pytest.mark.usefixtures("cheap_hashing")

PASSWORD = "correct horse battery"
WAIT_MS = 20_000
SCREENS = [QRect(0, 0, 1280, 720), QRect(0, 0, 1366, 768)]
CHECKED_SIZES = (QAbstractButton, QLabel, QLineEdit, QComboBox)


def fit_problems(top: QWidget, area: QRect) -> list[str]:
    """What a person would see cut off in the window ``top`` on a screen with free area ``area``."""
    problems = []
    if top.width() > area.width() or top.height() > area.height():
        problems.append(f"{describe(top)} is {top.width()}×{top.height()}, larger than the screen")
    bounds = top.rect()
    for widget in top.findChildren(QWidget):
        if widget.isWindow() or not widget.isVisible() or inside_scrolled_content(widget, top):
            continue
        if isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
            continue  # the field inside a spin box or combo box: its frame belongs to the box
        if in_a_hidden_tab(widget, top):
            continue
        rect = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
        if not bounds.contains(rect):
            problems.append(f"{describe(widget)} at {rect.getRect()} lies outside {bounds.getRect()}")
        if isinstance(widget, CHECKED_SIZES) and not elides_on_purpose(widget):
            needed = widget.minimumSizeHint()
            if widget.width() < needed.width() or widget.height() < needed.height():
                problems.append(
                    f"{describe(widget)} is {widget.width()}×{widget.height()} but needs "
                    f"{needed.width()}×{needed.height()}"
                )
    return problems


def inside_scrolled_content(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def in_a_hidden_tab(widget: QWidget, top: QWidget) -> bool:
    """Inside a dock that shares a tab group and is not the tab shown (Qt moves those out of view)."""
    dock = widget if isinstance(widget, QDockWidget) else None
    parent = widget.parentWidget()
    while dock is None and parent is not None and parent is not top:
        dock = parent if isinstance(parent, QDockWidget) else None
        parent = parent.parentWidget()
    if dock is None or not isinstance(top, QMainWindow) or not top.tabifiedDockWidgets(dock):
        return False
    return not top.rect().intersects(QRect(dock.mapTo(top, QPoint(0, 0)), dock.size()))


def elides_on_purpose(widget: QWidget) -> bool:
    ignored = widget.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored
    return ignored and bool(widget.toolTip())


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLabel | QLineEdit) else ""
    name = widget.objectName() or widget.windowTitle()
    parent = widget.parentWidget()
    inside = f" in {type(parent).__name__}" if parent is not None else ""
    return f"{type(widget).__name__}({name or ''}{' ' + repr(text[:40]) if text else ''}){inside}"


@pytest.fixture(params=SCREENS, ids=lambda area: f"{area.width()}x{area.height()}")
def screen(request, monkeypatch) -> QRect:
    area: QRect = request.param
    monkeypatch.setattr(screen_fit, "available_area", lambda widget=None: QRect(area))
    return area


@pytest.fixture
def station(qtbot, main_window: MainWindow, screen: QRect) -> RecordsStation:
    attached = RecordsStation(main_window)
    qtbot.waitUntil(lambda: attached.session.records is not None, timeout=WAIT_MS)
    main_window.restore_layout()
    return attached


def settle(qtbot) -> None:
    QApplication.processEvents()
    qtbot.wait(50)


def assert_fits(qtbot, window: QWidget, area: QRect) -> None:
    settle(qtbot)
    assert window.isVisible(), f"{describe(window)} is not shown"
    problems = fit_problems(window, area)
    assert not problems, "\n".join(problems)


def seed(station: RecordsStation) -> tuple:
    records = station.session.require_records()
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    staff = records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    doctor = records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
    patient = NewPatient("DD-000123", "Ada", "Lovelace-Byron of Ockham", date(1971, 5, 17), "female")
    records.patients.register(staff, patient)
    records.lesions.add(staff, "DD-000123", NewLesion("upper extremity", site_detail="left forearm"))
    station.sign_in.close()
    return admin, staff, doctor


def test_the_main_window_fits_with_a_patient_open(qtbot, main_window, station, screen) -> None:
    _, staff, _ = seed(station)
    station.session.sign_in(staff)
    record = station.dock.open_patient("DD-000123")
    assert record is not None
    station.dock.open_patient("DD-000123", select=record.lesions[0].label)
    qtbot.mouseClick(station.dock.patient_page.target_button, Qt.MouseButton.LeftButton)
    assert main_window.model.target is not None
    banner = main_window.patient_banner
    assert main_window.banner_bar.isVisible() and banner.isVisible()
    settle(qtbot)
    assert banner.text() == banner.full_text()  # the whole line is readable, not elided
    assert banner.text().startswith("Patient: Lovelace-Byron of Ockham, Ada · DD-000123")
    assert "DD-000123" in banner.toolTip() and "1971-05-17" in banner.toolTip()
    assert_fits(qtbot, main_window, screen)
    # The analysis panel (diagnoses, referral advice) is on screen, not pushed off the right edge.
    analysis = main_window.analysis
    right_edge = analysis.mapTo(main_window, QPoint(analysis.width(), 0)).x()
    assert analysis.isVisible() and right_edge <= main_window.width()
    for dock in main_window.findChildren(QDockWidget):  # each tab of the tabbed docks in turn
        if dock.isVisibleTo(main_window) or main_window.tabifiedDockWidgets(dock):
            dock.raise_()
            assert_fits(qtbot, main_window, screen)
    for toolbar in main_window.findChildren(QToolBar):
        if toolbar is not main_window.notice_bar:  # shown only when there is a start-up notice
            assert toolbar.isVisible()
    # A still through the real button: its analysis (picture, heatmap, diagnoses) joins the live one.
    main_window.desk.sig_quality_dialog.connect(lambda dialog: dialog.keep_button.click())
    qtbot.waitUntil(lambda: main_window.live_view.frames_shown >= 2, timeout=WAIT_MS)
    with qtbot.waitSignal(main_window.analysis.sig_still_analysed, timeout=60_000):
        qtbot.mouseClick(main_window.capture_button, Qt.MouseButton.LeftButton)
    main_window.analysis.raise_()
    assert_fits(qtbot, main_window, screen)


def test_the_admin_page_fits(qtbot, main_window, station, screen) -> None:
    admin, _, _ = seed(station)
    station.session.sign_in(admin)
    assert station.dock.admin.isVisible()
    assert_fits(qtbot, main_window, screen)


def test_sign_in_dialogs_fit(qtbot, main_window, station, screen) -> None:
    station.sign_in.ask()
    qtbot.waitUntil(lambda: isinstance(station.sign_in.dialog, FirstAdminDialog), timeout=WAIT_MS)
    assert_fits(qtbot, station.sign_in.dialog, screen)
    seed(station)
    station.sign_in.ask()
    qtbot.waitUntil(lambda: isinstance(station.sign_in.dialog, LoginDialog), timeout=WAIT_MS)
    login = station.sign_in.dialog
    login.username.setText("sam")
    login.password.setText("wrong password here")
    qtbot.mouseClick(login.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: login.error.isVisible(), timeout=WAIT_MS)
    assert_fits(qtbot, login, screen)
    password = PasswordDialog("dora", "Sign “Melanocytic naevus” for L1 as final.", main_window)
    qtbot.addWidget(password)
    password.show()
    assert_fits(qtbot, password, screen)


def test_patient_and_lesion_dialogs_fit(qtbot, main_window, station, screen) -> None:
    _, staff, _ = seed(station)
    station.session.sign_in(staff)
    qtbot.mouseClick(station.dock.patient_list.new_button, Qt.MouseButton.LeftButton)
    new_patient = station.dock.dialog
    assert isinstance(new_patient, NewPatientDialog)
    qtbot.mouseClick(new_patient.register_button, Qt.MouseButton.LeftButton)  # empty: errors shown
    assert_fits(qtbot, new_patient, screen)
    new_patient.reject()
    station.dock.open_patient("DD-000123")
    body_map = station.dock.patient_page.body_map
    qtbot.waitUntil(lambda: body_map.isVisible() and body_map.height() > 100, timeout=WAIT_MS)
    point = body_map.widget_point(BodyPoint(0.5, 0.3, "back")).toPoint()
    qtbot.mouseClick(body_map, Qt.MouseButton.LeftButton, pos=point)
    new_lesion = station.dock.dialog
    assert isinstance(new_lesion, NewLesionDialog)
    assert_fits(qtbot, new_lesion, screen)


def test_patient_windows_fit(qtbot, main_window, station, screen) -> None:
    _, _, doctor = seed(station)
    station.session.sign_in(doctor)
    record = station.dock.open_patient("DD-000123")
    assert record is not None
    lesion = record.lesions[0]
    timeline = station.open_timeline("DD-000123", lesion)
    assert_fits(qtbot, timeline, screen)
    form = station.open_diagnosis("DD-000123", lesion)
    assert form.patient_banner.isVisible() and "DD-000123" in form.patient_banner.toolTip()
    assert_fits(qtbot, form, screen)
    report = station.open_report("DD-000123", None)
    assert isinstance(report, ReportDialog)
    qtbot.waitUntil(lambda: bool(report.pages) or report.error.isVisible(), timeout=WAIT_MS)
    assert_fits(qtbot, report, screen)
    assert report.print_button.isVisible()
    export = station.open_dicom_export("DD-000123", None)
    assert export is not None and "DD-000123" in export.patient_banner.toolTip()
    assert_fits(qtbot, export, screen)


def test_capture_dialogs_and_the_about_box_fit(qtbot, main_window, station, screen) -> None:
    report = assess(np.zeros((480, 640, 3), np.uint8))  # a black still: too dark, no detail
    assert not report.passed
    quality = QualityDialog(report, np.zeros((120, 160, 3), np.uint8), main_window)
    quality.show()
    assert_fits(qtbot, quality, screen)
    quality.close()
    qtbot.waitUntil(lambda: main_window.live_view.frame is not None, timeout=WAIT_MS)
    ruler = main_window.calibration.open_ruler()
    assert ruler is not None
    assert_fits(qtbot, ruler, screen)
    ruler.close()
    about = show_about(main_window)
    assert_fits(qtbot, about, screen)
    about.close()


def test_a_banner_for_a_long_name_elides_and_keeps_the_whole_text(qtbot, main_window, screen) -> None:
    patient = PatientInView(
        "DD-000999", "Wolfeschlegelsteinhausenbergerdorff" * 3, "Hubert", date(1990, 1, 2), "male"
    )
    main_window.restore_layout()
    main_window.model.set_patient(patient)
    settle(qtbot)
    banner = main_window.patient_banner
    assert banner.toolTip().endswith("male") and "DD-000999" in banner.toolTip()
    assert banner.text().endswith("…") and banner.width() <= main_window.width()


def test_the_layout_is_remembered_per_screen_size(qtbot, open_window, monkeypatch) -> None:
    from dermdesk.source_spec import SourceSpec

    area = QRect(0, 0, 1920, 1080)
    monkeypatch.setattr(screen_fit, "available_area", lambda widget=None: QRect(area))
    first = open_window(SourceSpec.parse("virtual"))
    first.restore_layout()
    assert (first.width(), first.height()) == (1920, 1080)  # the whole screen: room for the live view
    first.resize(1500, 900)
    first.analysis.hide()
    first.close()

    again = open_window(SourceSpec.parse("virtual"))
    again.restore_layout()
    settle(qtbot)
    assert (again.width(), again.height()) == (1500, 900) and not again.analysis.isVisible()

    area = QRect(0, 0, 1280, 720)  # the same station on a smaller screen: its own (default) layout
    small = open_window(SourceSpec.parse("virtual"))
    small.restore_layout()
    settle(qtbot)
    assert small.width() <= 1280 and small.height() <= 720 and small.analysis.isVisible()
    assert fit_problems(small, area) == []


def test_a_saved_layout_larger_than_the_screen_is_not_used(qtbot, open_window, monkeypatch) -> None:
    from dermdesk.source_spec import SourceSpec

    area = QRect(0, 0, 1280, 720)
    monkeypatch.setattr(screen_fit, "available_area", lambda widget=None: QRect(area))
    window = open_window(SourceSpec.parse("virtual"))
    window.restore_layout()
    window.resize(1900, 1000)  # e.g. the screen's resolution was lowered since
    window.close()
    again = open_window(SourceSpec.parse("virtual"))
    again.restore_layout()
    settle(qtbot)
    assert again.width() <= 1280 and again.height() <= 720
    assert fit_problems(again, area) == []


def test_a_screen_smaller_than_1280_by_720_says_so_and_tabs_the_panels(
    qtbot, open_window, monkeypatch
) -> None:
    from dermdesk.source_spec import SourceSpec

    monkeypatch.setattr(screen_fit, "available_area", lambda widget=None: QRect(0, 0, 1024, 600))
    window = open_window(SourceSpec.parse("virtual"))
    window.restore_layout()
    settle(qtbot)
    assert window.screen_note.isVisible() and "smaller than the 1280×720" in window.screen_note.toolTip()
    assert window.tabifiedDockWidgets(window.analysis)  # the panels share one tab group
    assert window.width() <= 1024


def test_two_patients_opened_quickly_show_the_same_patient_everywhere(qtbot, main_window, station) -> None:
    _, _, doctor = seed(station)
    records = station.session.require_records()
    records.patients.register(doctor, NewPatient("DD-000456", "Alan", "Turing", date(1912, 6, 23), "male"))
    station.session.sign_in(doctor)
    first = station.dock.open_patient("DD-000123")
    assert first is not None
    form = station.open_diagnosis("DD-000123", first.lesions[0])
    station.dock.open_patient("DD-000456")
    settle(qtbot)
    assert main_window.model.patient is not None and main_window.model.patient.record_number == "DD-000456"
    assert "DD-000456" in main_window.patient_banner.toolTip()
    assert station.dock.patient_page.record is not None
    assert station.dock.patient_page.record.record_number == "DD-000456"
    assert form not in station.patient_windows  # the first patient's diagnosis form closed


def test_no_still_without_the_patient_in_the_banner(qtbot, main_window, station) -> None:
    _, staff, _ = seed(station)
    station.session.sign_in(staff)
    qtbot.waitUntil(lambda: main_window.live_view.frames_shown >= 2, timeout=WAIT_MS)
    main_window.capture_button.click()
    assert "No patient is open" in main_window.statusBar().currentMessage()
    assert main_window.thumbnails.count() == 0 and not main_window.desk.busy


def test_the_upload_queue_model_update_and_connection_settings_fit(
    qtbot, main_window, station, screen, monkeypatch
) -> None:
    from pathlib import Path

    from dermdesk.sync.update_offer import FIGURES, Figure, UpdateOffer

    admin, _, _ = seed(station)
    station.session.sign_in(admin)
    unreachable = main_window.model.settings.model_copy(
        update={"upload_url": "http://127.0.0.1:9", "device_token": "t" * 40}
    )
    station._apply_settings(unreachable)  # a station whose central service is away: long reasons shown
    qtbot.waitUntil(lambda: station.central.last_outcome is not None, timeout=60_000)
    view = station.open_queue()
    qtbot.waitUntil(lambda: view.problem.isVisible(), timeout=WAIT_MS)
    assert_fits(qtbot, view, screen)
    assert_fits(qtbot, main_window, screen)  # the status bar with the upload counts
    figures = tuple(Figure(key, label, 0.71234, 0.74321) for key, label in FIGURES)
    offer = UpdateOffer(
        "dermdesk-lesion", "1.0.1", Path("/nowhere"), "dermdesk-lesion", "1.0.0", figures, 1005
    )
    station.central.offer = offer
    dialog = station.open_update()
    assert dialog is not None
    assert_fits(qtbot, dialog, screen)
    page = station.open_settings()
    assert page is not None
    assert_fits(qtbot, page, screen)
