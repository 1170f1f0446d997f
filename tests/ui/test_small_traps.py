"""Issue 20's small traps, through the real station window with its records attached (offscreen).

Lock wording (a manual lock is not "after a while"), a half-typed diagnosis kept over an idle lock,
stills cleared from the screen at sign-out, Close buttons on the Timeline and Diagnosis windows, a
picture moved to another lesion from the timeline (never to another patient's), a lesion chooser for
the virtual dermatoscope, and the account form's role starting from staff again.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from records.helpers import png_bytes

from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope
from dermdesk.records import CaptureMetadata, CaptureRequest, NewLesion, SecurityPolicy
from dermdesk.ui.common.sign_in_dialogs import LoginDialog
from dermdesk.ui.records.body_map import BodyPoint
from dermdesk.ui.records.lesion_timeline import LesionTimeline
from dermdesk.ui.reports.diagnosis_form import DiagnosisForm
from dermdesk.ui.shell.main_window import MainWindow
from dermdesk.ui.shell.records_station import RecordsStation
from tests.ui import test_records_walkthrough as walk
from tests.ui.test_records_walkthrough import (
    WAIT_MS,
    add_account,
    place_lesion,
    records_of,
    register_patient,
    seed_team,
    sign_in,
    sign_out,
    wait_dialog,
)

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def station(qtbot, main_window: MainWindow) -> RecordsStation:
    """The records attached to the real window, as in the walk-through."""
    attached = RecordsStation(main_window, clock=walk.Clock(), policy=SecurityPolicy(max_failed_attempts=3))
    qtbot.waitUntil(lambda: attached.sign_in.dialog is not None, timeout=WAIT_MS)
    return attached


def patient_with_lesion(qtbot, station: RecordsStation, user: str = "dora") -> None:
    seed_team(qtbot, station)
    sign_in(qtbot, station, user)
    register_patient(qtbot, station)
    lesion_dialog = place_lesion(qtbot, station, BodyPoint(0.5, 0.3, "back"))
    qtbot.mouseClick(lesion_dialog.add_button, Qt.MouseButton.LeftButton)


def open_window(qtbot, station: RecordsStation, button, kind: type):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    windows = [w for w in station.patient_windows if isinstance(w, kind)]
    assert windows
    return windows[-1]


def test_a_manual_lock_is_not_called_locked_after_a_while(qtbot, station: RecordsStation) -> None:
    patient_with_lesion(qtbot, station, "sam")
    qtbot.mouseClick(station.dock.lock_button, Qt.MouseButton.LeftButton)
    unlock = wait_dialog(qtbot, station, LoginDialog)
    assert "locked" in unlock.intro.text() and "after a while" not in unlock.intro.text()
    sign_in(qtbot, station, "sam")
    station.idle.timer.timeout.emit()
    unlock = wait_dialog(qtbot, station, LoginDialog)
    assert "locked after a while without use" in unlock.intro.text()


def test_an_idle_lock_keeps_a_half_typed_diagnosis(qtbot, station: RecordsStation) -> None:
    patient_with_lesion(qtbot, station)
    form = open_window(qtbot, station, station.dock.patient_page.diagnosis_button, DiagnosisForm)
    form.diagnosis.setCurrentIndex(form.diagnosis.findData("mel"))
    form.notes.setPlainText("Irregular network at 2 o'clock; half-typed")
    station.idle.timer.timeout.emit()
    qtbot.waitUntil(lambda: station.patient_windows == [], timeout=WAIT_MS)
    sign_in(qtbot, station, "dora")
    station.dock.open_patient("DD-000123")
    station.dock.patient_page.select_lesion("L1")
    form = open_window(qtbot, station, station.dock.patient_page.diagnosis_button, DiagnosisForm)
    assert form.notes.toPlainText() == "Irregular network at 2 o'clock; half-typed"
    assert form.diagnosis.currentData() == "mel"
    assert "unsaved diagnosis from before the records locked is back" in form.banner.text()
    qtbot.mouseClick(form.close_button, Qt.MouseButton.LeftButton)  # the Close button closes it
    qtbot.waitUntil(lambda: station.patient_windows == [], timeout=WAIT_MS)
    sign_out(qtbot, station)
    assert station.session.drafts == {}  # never kept for the next person


def test_sign_out_clears_the_last_sessions_stills_from_the_screen(
    qtbot, main_window: MainWindow, station: RecordsStation, tmp_path
) -> None:
    seed_team(qtbot, station)
    sign_in(qtbot, station, "sam")
    main_window.thumbnails.add_still(tmp_path / "still-0001.png", np.zeros((12, 16, 3), np.uint8))
    main_window.analysis.panel.still_image.show()
    sign_out(qtbot, station)
    assert main_window.thumbnails.count() == 0
    assert not main_window.analysis.panel.still_image.isVisible()


def test_the_timeline_leaves_a_picture_out_of_reports_moves_it_and_has_a_close_button(
    qtbot, station: RecordsStation
) -> None:
    patient_with_lesion(qtbot, station)
    records = records_of(station)
    user = station.session.user
    records.lesions.add(user, "DD-000123", NewLesion("lower extremity", "left shin"))
    records.captures.save(
        user,
        CaptureRequest(
            "DD-000123",
            png_bytes(1),
            lesion_label="L1",
            metadata=CaptureMetadata(lighting_mode="white", captured_at=station.session.clock()),
        ),
    )
    station.dock.open_patient("DD-000123")
    station.dock.patient_page.select_lesion("L1")
    timeline = open_window(qtbot, station, station.dock.patient_page.timeline_button, LesionTimeline)
    qtbot.waitUntil(lambda: timeline.loaded, timeout=WAIT_MS)
    (actions,) = timeline.picture_actions
    assert [actions.move_to.itemText(i) for i in range(actions.move_to.count())] == ["Move to lesion…", "L2"]
    actions.in_reports.click()  # leave the picture out of reports
    qtbot.waitUntil(lambda: "is left out of reports" in timeline.status.text(), timeout=WAIT_MS)
    (image,) = records.patients.get(user, "DD-000123").lesions[0].images
    assert not image.for_report
    actions.move_to_lesion("L1", record_number="DD-000999")  # another patient's: refused, said why
    qtbot.waitUntil(lambda: "was not moved" in timeline.status.text(), timeout=WAIT_MS)
    actions.move_to.setCurrentIndex(1)
    qtbot.mouseClick(actions.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "moved to lesion L2" in timeline.status.text(), timeout=WAIT_MS)
    lesions = {lesion.label: lesion for lesion in records.patients.get(user, "DD-000123").lesions}
    assert lesions["L1"].images == () and len(lesions["L2"].images) == 1
    qtbot.mouseClick(timeline.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: station.patient_windows == [], timeout=WAIT_MS)


def test_the_virtual_dermatoscope_can_show_a_melanoma(qtbot, main_window: MainWindow) -> None:
    chooser = main_window.desk.lesion_chooser
    qtbot.waitUntil(lambda: chooser.combo.count() > 0, timeout=WAIT_MS)
    assert chooser.isVisibleTo(main_window)
    melanoma = next(i for i in range(chooser.combo.count()) if "Melanoma" in chooser.combo.itemText(i))
    chooser.combo.setCurrentIndex(melanoma)
    qtbot.waitUntil(
        lambda: (
            main_window.live_view.frame is not None
            and main_window.live_view.frame.metadata.get("lesion_dx") == "mel"
        ),
        timeout=WAIT_MS,
    )
    assert isinstance(main_window.bridge.source, VirtualDermatoscope)


def test_the_account_form_starts_from_staff_after_adding_an_administrator(
    qtbot, station: RecordsStation
) -> None:
    seed_team(qtbot, station)
    sign_in(qtbot, station, "admin")
    admin = station.dock.admin
    assert admin.role.currentData() == "staff"
    add_account(qtbot, station, "ida", "Ida Admin", "admin")
    assert admin.role.currentData() == "staff"
