"""The clinic workflow through the real station window, offscreen, on a real SQLite file.

First start → first administrator → accounts for a doctor and staff → staff signs in, registers a
patient, places a lesion on the body map, captures it at two visits on two days → the timeline shows
both pictures, zoomed and panned together → the doctor records and signs a diagnosis, re-entering the
password. Also: staff cannot sign, idle time locks the records and hides patient data, wrong passwords
lock the account. Dialogs are filled programmatically; nothing here waits on a clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from dermdesk.records import Records, SecurityPolicy
from dermdesk.ui.common.sign_in_dialogs import FirstAdminDialog, LoginDialog
from dermdesk.ui.records.body_map import BodyPoint
from dermdesk.ui.records.lesion_dialog import NewLesionDialog
from dermdesk.ui.records.lesion_timeline import LesionTimeline
from dermdesk.ui.records.patient_form import NewPatientDialog
from dermdesk.ui.records.records_dock import ADMIN, LIST, MESSAGE, PATIENT
from dermdesk.ui.reports.diagnosis_form import DiagnosisForm
from dermdesk.ui.shell.main_window import MainWindow
from dermdesk.ui.shell.records_station import RecordsStation

pytestmark = pytest.mark.usefixtures("cheap_hashing")  # the policy and lock-out logic are the same

PASSWORD = "correct horse battery"
WAIT_MS = 15_000
MAX_ATTEMPTS = 3


class Clock:
    """The records' clock: the second visit happens a day later without waiting a day."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def station(qtbot, main_window: MainWindow, clock: Clock) -> RecordsStation:
    """The records attached to the real window, as `dermdesk.ui.shell.app` attaches them."""
    policy = SecurityPolicy(max_failed_attempts=MAX_ATTEMPTS)
    attached = RecordsStation(main_window, clock=clock, policy=policy)
    qtbot.waitUntil(lambda: attached.sign_in.dialog is not None, timeout=WAIT_MS)
    return attached


def records_of(station: RecordsStation) -> Records:
    return station.session.require_records()


def wait_dialog(qtbot, station: RecordsStation, kind: type) -> FirstAdminDialog | LoginDialog:
    qtbot.waitUntil(lambda: isinstance(station.sign_in.dialog, kind), timeout=WAIT_MS)
    dialog = station.sign_in.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def wait_error(qtbot, dialog: FirstAdminDialog | LoginDialog) -> str:
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.submit_button.isEnabled(), timeout=WAIT_MS)
    return dialog.error.text()


def sign_in(qtbot, station: RecordsStation, username: str, password: str = PASSWORD) -> None:
    dialog = wait_dialog(qtbot, station, LoginDialog)
    assert isinstance(dialog, LoginDialog)
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: station.session.clinical_user is not None and station.session.user.username == username,
        timeout=WAIT_MS,
    )


def sign_out(qtbot, station: RecordsStation) -> None:
    qtbot.mouseClick(station.dock.sign_out_button, Qt.MouseButton.LeftButton)
    assert station.session.user is None
    wait_dialog(qtbot, station, LoginDialog)


def seed_team(qtbot, station: RecordsStation) -> None:
    """Accounts straight through the core (the walk-through creates them through the UI)."""
    records = records_of(station)
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD)
    records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD)
    station.sign_in.close()  # the first-run dialog it opened is out of date now
    station.sign_in.ask()


def add_account(qtbot, station: RecordsStation, username: str, name: str, role: str) -> None:
    admin = station.dock.admin
    admin.username.setText(username)
    admin.display_name.setText(name)
    admin.role.setCurrentIndex(admin.role.findData(role))
    admin.password.setText(PASSWORD)
    admin.repeat.setText(PASSWORD)
    with qtbot.waitSignal(admin.sig_account_added, timeout=WAIT_MS):
        qtbot.mouseClick(admin.add_button, Qt.MouseButton.LeftButton)


def register_patient(qtbot, station: RecordsStation, record_number: str = "DD-000123") -> None:
    dock = station.dock
    qtbot.mouseClick(dock.patient_list.new_button, Qt.MouseButton.LeftButton)
    dialog = dock.dialog
    assert isinstance(dialog, NewPatientDialog)
    dialog.record_number.setText(record_number)
    dialog.given_name.setText("Ada")
    dialog.family_name.setText("Lovelace")
    dialog.date_of_birth.setText((date.today() + timedelta(days=2)).isoformat())
    dialog.sex.setCurrentIndex(dialog.sex.findData("female"))
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    assert "is in the future" in dialog.error.text()  # the core's message, in the form
    dialog.date_of_birth.setText("1971-05-17")
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    assert dock.pages.currentIndex() == PATIENT
    assert dock.patient_page.record is not None and dock.patient_page.record.record_number == record_number


def place_lesion(qtbot, station: RecordsStation, point: BodyPoint) -> NewLesionDialog:
    body_map = station.dock.patient_page.body_map
    qtbot.waitUntil(
        lambda: body_map.isVisible() and body_map.height() >= body_map.minimumHeight(), timeout=WAIT_MS
    )
    qtbot.mouseClick(body_map, Qt.MouseButton.LeftButton, pos=body_map.widget_point(point).toPoint())
    dialog = station.dock.dialog
    assert isinstance(dialog, NewLesionDialog)
    return dialog


def capture_and_file(qtbot, window: MainWindow, station: RecordsStation) -> None:
    """One still through the real capture button, kept even if the quality gate objects, then filed."""
    start = window.live_view.frames_shown
    qtbot.waitUntil(lambda: window.live_view.frames_shown >= start + 2, timeout=WAIT_MS)
    with qtbot.waitSignal(station.filer.sig_filed, timeout=WAIT_MS) as filed:
        qtbot.mouseClick(window.capture_button, Qt.MouseButton.LeftButton)
    assert not filed.args[0].spooled


def open_patient_from_list(qtbot, station: RecordsStation, record_number: str) -> None:
    dock = station.dock
    dock.patient_list.search.setText(record_number[-3:])
    qtbot.keyClick(dock.patient_list.search, Qt.Key.Key_Return)
    assert dock.patient_list.record_numbers() == [record_number]
    item = dock.patient_list.patients.item(0)
    dock.patient_list.patients.itemActivated.emit(item)  # what a double click or Enter does
    assert dock.pages.currentIndex() == PATIENT


def test_the_clinic_workflow_from_first_start_to_a_signed_diagnosis(
    qtbot, main_window: MainWindow, station: RecordsStation, clock: Clock
) -> None:
    main_window.desk.sig_quality_dialog.connect(lambda dialog: dialog.keep_button.click())
    dock = station.dock

    # First start: the first administrator; the core's password rule is shown in the dialog.
    first = wait_dialog(qtbot, station, FirstAdminDialog)
    assert isinstance(first, FirstAdminDialog)
    first.username.setText("admin")
    first.display_name.setText("Clinic Admin")
    first.password.setText("short")
    first.repeat.setText("short")
    qtbot.mouseClick(first.submit_button, Qt.MouseButton.LeftButton)
    assert "at least 10 characters" in wait_error(qtbot, first)
    first.password.setText(PASSWORD)
    first.repeat.setText(PASSWORD)
    qtbot.mouseClick(first.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: station.session.user is not None, timeout=WAIT_MS)
    assert dock.pages.currentIndex() == ADMIN  # administrators see accounts, not patients

    # The administrator adds a doctor and a staff member.
    add_account(qtbot, station, "dora", "Dr Dora Derm", "doctor")
    add_account(qtbot, station, "sam", "Sam Staff", "staff")
    assert dock.admin.accounts.count() == 3

    # Staff signs in (a wrong password first: the core's message), registers a patient.
    sign_out(qtbot, station)
    login = wait_dialog(qtbot, station, LoginDialog)
    assert isinstance(login, LoginDialog)
    login.username.setText("sam")
    login.password.setText("not the password")
    qtbot.mouseClick(login.submit_button, Qt.MouseButton.LeftButton)
    assert wait_error(qtbot, login) == "Wrong user name or password."
    sign_in(qtbot, station, "sam")
    assert dock.pages.currentIndex() == LIST
    register_patient(qtbot, station)

    # A lesion placed on the body map: site and description suggested from where it was clicked.
    lesion_dialog = place_lesion(qtbot, station, BodyPoint(0.16, 0.45, "front"))
    assert lesion_dialog.site.currentData() == "upper extremity"
    assert lesion_dialog.detail.text() == "right forearm (front)"
    qtbot.mouseClick(lesion_dialog.add_button, Qt.MouseButton.LeftButton)
    target = station.session.target
    assert target is not None and (target.record_number, target.lesion_label) == ("DD-000123", "L1")
    assert (
        station.target_label.text()
        == "Filing stills to DD-000123 · L1 — upper extremity, right forearm (front)"
    )
    assert dock.patient_page.body_map.markers == ["L1"]

    # Two stills over two visits: today, and (by the records' clock) tomorrow.
    capture_and_file(qtbot, main_window, station)
    clock.advance(days=1)
    capture_and_file(qtbot, main_window, station)
    record = records_of(station).patients.get(station.session.user, "DD-000123")
    lesion = record.lesions[0]
    assert len(lesion.images) == 2
    assert [image.visit_date for image in lesion.images] == [
        (clock.now - timedelta(days=1)).astimezone().date(),
        clock.now.astimezone().date(),
    ]
    assert lesion.images[0].camera == "Virtual dermatoscope" and lesion.images[0].lighting_mode
    assert "2 pictures over 2 visits" in dock.patient_page.lesions.item(0).text()
    assert dock.patient_page.visits.count() == 2

    # The timeline shows both, side by side, zoomed and panned together.
    qtbot.mouseClick(dock.patient_page.timeline_button, Qt.MouseButton.LeftButton)
    timeline = station.patient_windows[-1]
    assert isinstance(timeline, LesionTimeline)
    qtbot.waitUntil(lambda: timeline.loaded, timeout=WAIT_MS)
    assert len(timeline.views) == 2
    qtbot.waitUntil(lambda: all(view.viewport().width() > 200 for view in timeline.views), timeout=WAIT_MS)
    assert timeline.visit_dates() == [image.visit_date.isoformat() for image in lesion.images]
    for _ in range(4):
        qtbot.mouseClick(timeline.zoom_in_button, Qt.MouseButton.LeftButton)
    first_view, second_view = timeline.views
    assert first_view.transform().m11() == pytest.approx(second_view.transform().m11())
    bar = first_view.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    assert second_view.horizontalScrollBar().value() == bar.value()
    second_view.verticalScrollBar().setValue(second_view.verticalScrollBar().maximum())
    assert first_view.verticalScrollBar().value() == second_view.verticalScrollBar().value()
    timeline.close()

    # Staff may look at the diagnosis form but not record or sign: the core says why.
    qtbot.mouseClick(dock.patient_page.diagnosis_button, Qt.MouseButton.LeftButton)
    staff_form = station.patient_windows[-1]
    assert isinstance(staff_form, DiagnosisForm)
    assert staff_form.banner.isVisible()
    assert "sam is signed in as staff and may not record diagnoses" in staff_form.banner.text()
    assert not staff_form.record_sign_button.isEnabled() and not staff_form.sign_button.isEnabled()
    staff_form.close()

    # The doctor records the diagnosis and signs it, giving the password again.
    sign_out(qtbot, station)
    assert station.session.target is None and not station.target_label.isVisible()
    sign_in(qtbot, station, "dora")
    open_patient_from_list(qtbot, station, "DD-000123")
    assert dock.patient_page.selected_label() is None
    body_map = dock.patient_page.body_map
    qtbot.waitUntil(
        lambda: body_map.isVisible() and body_map.height() >= body_map.minimumHeight(), timeout=WAIT_MS
    )
    marker = body_map.widget_point(BodyPoint(lesion.map_x, lesion.map_y, lesion.map_view))
    qtbot.mouseClick(body_map, Qt.MouseButton.LeftButton, pos=marker.toPoint())  # pick L1 by its marker
    assert dock.patient_page.selected_label() == "L1" and station.dock.dialog is None
    qtbot.mouseClick(dock.patient_page.diagnosis_button, Qt.MouseButton.LeftButton)
    form = station.patient_windows[-1]
    assert isinstance(form, DiagnosisForm) and not form.banner.isVisible()
    qtbot.mouseClick(form.record_button, Qt.MouseButton.LeftButton)  # nothing chosen yet
    assert form.error.text().startswith("Give a diagnosis")
    form.diagnosis.setCurrentIndex(form.diagnosis.findData("nv"))
    form.confirmation.setCurrentIndex(form.confirmation.findData("follow-up"))
    form.notes.setPlainText("Stable over two visits.")
    qtbot.mouseClick(form.record_sign_button, Qt.MouseButton.LeftButton)
    password_dialog = form.password_dialog
    assert password_dialog is not None and password_dialog.isVisible()
    password_dialog.password.setText("not the password")
    qtbot.mouseClick(password_dialog.submit_button, Qt.MouseButton.LeftButton)
    assert wait_error(qtbot, password_dialog) == "Wrong user name or password."
    password_dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(form.sig_filed, timeout=WAIT_MS):
        qtbot.mouseClick(password_dialog.submit_button, Qt.MouseButton.LeftButton)
    assert form.password_dialog is None
    assert "Melanocytic naevus · follow-up · by dora · signed by dora" in form.history.item(0).text()
    diagnosis = records_of(station).patients.get(station.session.user, "DD-000123").lesions[0].diagnoses[0]
    assert (diagnosis.dx_code, diagnosis.confirmation, diagnosis.signed_off_by) == ("nv", "follow-up", "dora")
    assert diagnosis.notes == "Stable over two visits."
    assert "Melanocytic naevus (signed)" in dock.patient_page.lesions.item(0).text()


def test_idle_time_locks_the_records_and_hides_patient_data(
    qtbot, main_window: MainWindow, station: RecordsStation
) -> None:
    seed_team(qtbot, station)
    sign_in(qtbot, station, "sam")
    register_patient(qtbot, station)
    lesion_dialog = place_lesion(qtbot, station, BodyPoint(0.5, 0.3, "back"))
    qtbot.mouseClick(lesion_dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(station.dock.patient_page.timeline_button, Qt.MouseButton.LeftButton)
    assert station.idle.timer.isActive()
    assert station.idle.minutes == main_window.settings.idle_lock_minutes == 10

    station.idle.timer.timeout.emit()  # the idle period has passed

    dock = station.dock
    assert station.session.locked and station.session.clinical_user is None
    assert dock.pages.currentIndex() == MESSAGE and "Locked" in dock.message.text()
    assert dock.patient_page.record is None and dock.patient_page.lesions.count() == 0
    assert dock.patient_page.body_map.markers == []
    assert dock.patient_list.patients.count() == 0
    assert station.patient_windows == []  # the timeline window is closed
    assert not station.target_label.isVisible()
    assert main_window.model.patient is None and not main_window.banner_bar.isVisible()
    unlock = wait_dialog(qtbot, station, LoginDialog)
    assert unlock.username.text() == "sam" and "locked" in unlock.intro.text()

    sign_in(qtbot, station, "sam")
    assert dock.pages.currentIndex() == LIST
    # The patient left the screen with the lock, and stills are only filed for the patient in the
    # banner: the same user opens the patient again before capturing.
    assert station.session.target is None and not station.target_label.isVisible()
    assert main_window.model.capture_refusal() is not None
    assert station.idle.timer.isActive()


def test_wrong_passwords_lock_the_account_and_the_dialog_says_until_when(
    qtbot, station: RecordsStation
) -> None:
    seed_team(qtbot, station)
    login = wait_dialog(qtbot, station, LoginDialog)
    assert isinstance(login, LoginDialog)
    messages = []
    for _ in range(MAX_ATTEMPTS):
        login.username.setText("dora")
        login.password.setText("not the password")
        qtbot.mouseClick(login.submit_button, Qt.MouseButton.LeftButton)
        messages.append(wait_error(qtbot, login))
        login.error.hide()
    assert messages[0] == "Wrong user name or password."
    assert messages[-1].startswith("Too many wrong passwords: the account dora is locked until")
    login.password.setText(PASSWORD)
    qtbot.mouseClick(login.submit_button, Qt.MouseButton.LeftButton)
    assert "is locked after too many wrong passwords" in wait_error(qtbot, login)
    assert station.session.user is None


def test_closing_the_window_closes_the_records(
    qtbot, main_window: MainWindow, station: RecordsStation
) -> None:
    seed_team(qtbot, station)
    sign_in(qtbot, station, "sam")
    main_window.close()
    assert station.session.records is None and station.session.user is None
    assert station.tasks.active_thread_count() == 0
    assert not station.idle.timer.isActive()


def test_the_records_dock_sits_beside_the_capture_station(
    main_window: QMainWindow, station: RecordsStation
) -> None:
    assert station.dock.isVisible()
    titles = [action.text().replace("&", "") for action in main_window.menuBar().actions()]
    assert titles.index("Records") == titles.index("Help") - 1
