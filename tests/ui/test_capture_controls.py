"""Capture controls on the real station window, offscreen: light, camera controls, the quality gate,
lighting sequences, calibration and measuring."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from dermdesk.capture.controls import ControlName
from dermdesk.capture.frames import Frame
from dermdesk.capture.lighting import LightingMode, VirtualLighting
from dermdesk.capture.session_stills import SequenceOutcome, SequenceStoppedError
from dermdesk.capture.sidecar import read_sidecar
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope
from dermdesk.source_spec import SourceSpec
from dermdesk.ui.capture.quality_dialog import QualityDialog
from dermdesk.ui.shell.main_window import MainWindow
from tests.capture.ruler import ruler_image

TIMEOUT_MS = 20_000


def ready(qtbot, window: MainWindow, frames: int = 2) -> None:
    """Wait until the light is known and a few frames were shown."""
    qtbot.waitUntil(lambda: window.desk.lighting is not None, timeout=TIMEOUT_MS)
    start = window.live_view.frames_shown
    qtbot.waitUntil(lambda: window.live_view.frames_shown >= start + frames, timeout=TIMEOUT_MS)


def virtual_source(window: MainWindow) -> VirtualDermatoscope:
    assert window.bridge is not None and isinstance(window.bridge.source, VirtualDermatoscope)
    return window.bridge.source


def shown_lighting(window: MainWindow) -> object:
    frame = window.live_view.frame
    return None if frame is None else frame.metadata.get("lighting")


def open_message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


# --- lighting ------------------------------------------------------------------------------------------


def test_a_lighting_button_changes_what_the_virtual_dermatoscope_shows(
    qtbot, main_window: MainWindow
) -> None:
    ready(qtbot, main_window)
    panel = main_window.desk.lighting_panel
    assert panel.modes() == list(LightingMode)  # the virtual dermatoscope offers every mode
    assert main_window.lighting is LightingMode.WHITE_POLARISED
    qtbot.waitUntil(lambda: shown_lighting(main_window) == "white_polarised", timeout=TIMEOUT_MS)
    assert main_window.live_view.frame is not None
    before = main_window.live_view.frame.image.mean()

    uv_button = panel.button(LightingMode.UV_365)
    assert uv_button is not None and uv_button.isVisible()
    with qtbot.waitSignal(main_window.desk.sig_lighting_changed, timeout=TIMEOUT_MS) as switched:
        qtbot.mouseClick(uv_button, Qt.MouseButton.LeftButton)
    assert switched.args == [LightingMode.UV_365]
    qtbot.waitUntil(lambda: shown_lighting(main_window) == "uv_365", timeout=TIMEOUT_MS)
    assert main_window.live_view.frame is not None
    assert main_window.live_view.frame.image.mean() < 0.5 * before  # dark violet UV picture
    assert uv_button.isChecked() and main_window.lighting is LightingMode.UV_365
    assert main_window.settings.lighting_mode == "uv_365"


def test_only_the_modes_the_controller_offers_get_buttons(qtbot, main_window: MainWindow) -> None:
    ready(qtbot, main_window)
    source = virtual_source(main_window)
    controller = VirtualLighting(source, modes=[LightingMode.WHITE, LightingMode.WHITE_POLARISED])
    main_window.desk._on_controller(main_window.desk._generation, controller, None)
    panel = main_window.desk.lighting_panel
    assert panel.modes() == [LightingMode.WHITE, LightingMode.WHITE_POLARISED]
    assert panel.button(LightingMode.UV_365) is None


def test_a_video_file_shows_neither_lighting_buttons_nor_camera_controls(
    qtbot, open_window: Callable[[SourceSpec], MainWindow], video_file: Path
) -> None:
    window = open_window(SourceSpec.parse(f"file:{video_file}"))
    with qtbot.waitSignal(window.desk.sig_controls_shown, timeout=TIMEOUT_MS) as shown:
        pass
    assert shown.args == [[]]
    qtbot.waitUntil(lambda: window.desk.lighting_panel.note.text() != "Connecting…", timeout=TIMEOUT_MS)
    assert window.desk.lighting_panel.modes() == []
    assert not window.desk.lighting_panel.sequence_button.isVisible()
    assert "not under software control" in window.desk.lighting_panel.note.text()
    panel = window.desk.controls_panel
    assert panel.visible_controls() == []
    for name in ControlName:
        assert all(widget.isHidden() for widget in panel.row_widgets(name))
    assert panel.status.text() == "This source has no adjustable camera controls."


# --- camera controls -------------------------------------------------------------------------------------


def test_only_the_controls_the_virtual_dermatoscope_supports_are_shown_and_they_are_remembered(
    qtbot, main_window: MainWindow, station_dirs
) -> None:
    with qtbot.waitSignal(main_window.desk.sig_controls_shown, timeout=TIMEOUT_MS) as shown:
        pass
    visible = [ControlName.EXPOSURE, ControlName.WHITE_BALANCE, ControlName.ZOOM]
    assert shown.args == [visible]
    panel = main_window.desk.controls_panel
    for name in (ControlName.GAIN, ControlName.FOCUS):  # no gain, fixed focus: not shown at all
        assert all(widget.isHidden() for widget in panel.row_widgets(name))
    for name in visible:
        assert not panel.slider(name).isHidden()
    assert not panel.auto_box(ControlName.EXPOSURE).isHidden() and panel.auto_box(ControlName.ZOOM).isHidden()

    ready(qtbot, main_window)
    assert main_window.live_view.frame is not None
    before = main_window.live_view.frame.image.mean()
    panel.auto_box(ControlName.EXPOSURE).setChecked(False)
    panel.slider(ControlName.EXPOSURE).setValue(4 - 1)  # 4 ms: a quarter of the automatic exposure
    qtbot.waitUntil(
        lambda: main_window.settings.camera_profile("virtual").controls.get("exposure") == 4.0,
        timeout=TIMEOUT_MS,
    )
    qtbot.waitUntil(
        lambda: (
            main_window.live_view.frame is not None
            and main_window.live_view.frame.image.mean() < 0.5 * before
        ),
        timeout=TIMEOUT_MS,
    )
    panel.contact.setChecked(False)
    main_window.close()
    saved = json.loads(station_dirs.settings_file.read_text(encoding="utf-8"))
    assert saved["cameras"]["virtual"]["controls"]["exposure"] == 4.0
    assert saved["cameras"]["virtual"]["controls"]["exposure.auto"] is False
    assert saved["cameras"]["virtual"]["contact"] is False


# --- the quality gate -------------------------------------------------------------------------------------


def test_a_dark_still_is_refused_and_keep_anyway_records_the_override(qtbot, main_window: MainWindow) -> None:
    ready(qtbot, main_window)
    panel = main_window.desk.controls_panel
    qtbot.waitUntil(lambda: ControlName.EXPOSURE in panel.visible_controls(), timeout=TIMEOUT_MS)
    panel.auto_box(ControlName.EXPOSURE).setChecked(False)
    panel.slider(ControlName.EXPOSURE).setValue(1)  # 2 ms: 1/8 of the automatic exposure (1 ms is blank)
    qtbot.waitUntil(
        lambda: main_window.settings.camera_profile("virtual").controls.get("exposure") == 2.0,
        timeout=TIMEOUT_MS,
    )
    qtbot.waitUntil(
        lambda: main_window.live_view.frame is not None and main_window.live_view.frame.image.mean() < 20,
        timeout=TIMEOUT_MS,
    )
    with qtbot.waitSignal(main_window.desk.sig_quality_dialog, timeout=TIMEOUT_MS) as asked:
        qtbot.keyClick(main_window, Qt.Key.Key_Space)
    dialog: QualityDialog = asked.args[0]
    assert "Too dark — check that the light is on" in dialog.problems.text()
    with qtbot.waitSignal(main_window.desk.sig_quality_dialog, timeout=TIMEOUT_MS) as asked_again:
        qtbot.mouseClick(dialog.retake_button, Qt.MouseButton.LeftButton)  # a new burst, still too dark
    assert main_window.thumbnails.count() == 0
    with qtbot.waitSignal(main_window.sig_still_saved, timeout=TIMEOUT_MS) as saved:
        qtbot.mouseClick(asked_again.args[0].keep_button, Qt.MouseButton.LeftButton)
    sidecar = read_sidecar(saved.args[0].saved.path)
    assert sidecar.quality_gate_overridden is True
    assert sidecar.quality.problems == ["too_dark"]
    assert sidecar.quality.scores["brightness"] < 50
    assert sidecar.contact is True and sidecar.device == "virtual"
    assert sidecar.camera_controls["exposure"] == 2.0 and sidecar.camera_controls["exposure.auto"] is False


def test_a_good_still_passes_the_gate_without_a_question(qtbot, main_window: MainWindow) -> None:
    ready(qtbot, main_window)
    with qtbot.waitSignal(main_window.sig_still_saved, timeout=TIMEOUT_MS) as saved:
        qtbot.keyClick(main_window, Qt.Key.Key_Space)
    sidecar = read_sidecar(saved.args[0].saved.path)
    assert sidecar.quality.passed is True and sidecar.quality_gate_overridden is False
    assert sidecar.lighting == "white_polarised" and sidecar.polarised is True
    assert main_window.desk.quality_dialog is None


# --- lighting sequences ---------------------------------------------------------------------------------


def test_a_lighting_sequence_yields_one_still_per_mode_with_the_right_metadata(
    qtbot, main_window: MainWindow
) -> None:
    ready(qtbot, main_window)
    modes = [LightingMode.WHITE, LightingMode.WHITE_POLARISED, LightingMode.UV_365, LightingMode.NB_450]
    panel = main_window.desk.lighting_panel
    panel.set_sequence_modes(modes)
    with qtbot.waitSignal(main_window.desk.sig_sequence_finished, timeout=TIMEOUT_MS) as finished:
        panel.sequence_button.click()
    outcome = finished.args[0]
    assert isinstance(outcome, SequenceOutcome)
    qtbot.waitUntil(lambda: main_window.thumbnails.count() == 4, timeout=TIMEOUT_MS)
    paths = sorted(main_window.thumbnails.paths())
    sidecars = [read_sidecar(path) for path in paths]
    assert [s.lighting for s in sidecars] == [m.value for m in modes]
    assert [s.frame_metadata["lighting"] for s in sidecars] == [m.value for m in modes]
    assert [s.polarised for s in sidecars] == [False, True, False, False]
    assert [s.wavelength_nm for s in sidecars] == [None, None, 365, 450]
    assert [s.sequence.position for s in sidecars] == [1, 2, 3, 4]
    assert {s.sequence.id for s in sidecars} == {sidecars[0].sequence.id}
    assert all(s.contact is True and s.device == "virtual" for s in sidecars)
    assert all(s.quality_gate == "recorded" for s in sidecars)
    assert panel.current is LightingMode.WHITE_POLARISED  # the light is back where it was
    assert main_window.settings.camera_profile("virtual").sequence_modes == [m.value for m in modes]
    assert all(button.isEnabled() for button in (panel.button(m) for m in modes) if button is not None)


class UnplugAfterSwitching(VirtualLighting):
    def __init__(self, source: VirtualDermatoscope, unplug_at: LightingMode) -> None:
        super().__init__(source)
        self.unplug_at = unplug_at

    def set_mode(self, mode: LightingMode) -> None:
        super().set_mode(mode)
        if mode is self.unplug_at:
            self.source.set_unplugged(True)


def test_unplugging_mid_sequence_keeps_the_stills_taken_and_names_the_missing_modes(
    qtbot, main_window: MainWindow
) -> None:
    ready(qtbot, main_window)
    source = virtual_source(main_window)
    main_window.desk.controller = UnplugAfterSwitching(source, LightingMode.UV_365)
    modes = [LightingMode.WHITE, LightingMode.WHITE_POLARISED, LightingMode.UV_365, LightingMode.NB_630]
    with qtbot.waitSignal(main_window.desk.sig_sequence_finished, timeout=TIMEOUT_MS) as finished:
        main_window.desk.run_sequence(modes)
    error = finished.args[0]
    assert isinstance(error, SequenceStoppedError)
    assert "stopped at UV 365 nm" in str(error) and "Kept 2 still(s)" in str(error)
    assert "missing: UV 365 nm (Wood's light), Narrow band 630 nm (red)" in str(error)
    qtbot.waitUntil(lambda: main_window.thumbnails.count() == 2, timeout=TIMEOUT_MS)
    assert all(path.is_file() for path in main_window.thumbnails.paths())
    assert any("missing: UV 365 nm" in box.text() for box in open_message_boxes())
    assert not main_window.desk.busy and main_window.desk.lighting_panel.sequence_button.isEnabled()
    source.set_unplugged(False)  # plug back in: the live view recovers
    qtbot.waitUntil(lambda: not main_window.banner.isVisible(), timeout=TIMEOUT_MS)


# --- calibration and measuring ----------------------------------------------------------------------------


def test_ruler_calibration_refuses_bad_input_then_measures_a_still_in_mm(
    qtbot, main_window: MainWindow
) -> None:
    ready(qtbot, main_window)
    pixels_per_mm = 23.7
    image, ticks = ruler_image(pixels_per_mm, size=(320, 240), angle_deg=0.0)
    image.setflags(write=False)
    dialog = main_window.calibration.open_ruler(Frame(image, 0, 0.0, "ruler"))
    assert dialog is not None
    qtbot.waitExposed(dialog)
    picture = dialog.picture

    first, second = ticks[len(ticks) // 2 - 3], ticks[len(ticks) // 2 + 3]
    for x, y in (first, second):
        qtbot.mouseClick(picture, Qt.MouseButton.LeftButton, pos=picture.to_widget(x, y + 4).toPoint())
    assert len(picture.points) == 2
    dialog.distance.setValue(0)
    qtbot.mouseClick(dialog.calibrate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "must be a positive number" in dialog.message.text(), timeout=TIMEOUT_MS)
    dialog.distance.setValue(-6)
    qtbot.mouseClick(dialog.calibrate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "(got -6.0)" in dialog.message.text(), timeout=TIMEOUT_MS)
    dialog.distance.setValue(6)
    dialog.magnification.setCurrentText("10x")
    with qtbot.waitSignal(main_window.calibration.sig_scale_set, timeout=TIMEOUT_MS) as calibrated:
        qtbot.mouseClick(dialog.calibrate_button, Qt.MouseButton.LeftButton)
    scale = calibrated.args[0]
    assert abs(scale.pixels_per_mm / pixels_per_mm - 1) < 0.01
    profile = main_window.settings.camera_profile("virtual")
    assert profile.magnification == "10x" and profile.scale is not None
    assert profile.scale.mm_per_pixel == pytest.approx(scale.mm_per_pixel)

    with qtbot.waitSignal(main_window.sig_still_saved, timeout=TIMEOUT_MS) as saved:
        qtbot.mouseClick(main_window.capture_button, Qt.MouseButton.LeftButton)
    still = saved.args[0].saved.path
    assert read_sidecar(still).scale.magnification == "10x"
    measure = main_window.calibration.measure(still)
    qtbot.waitExposed(measure)
    qtbot.waitUntil(lambda: measure.picture.picture_size is not None, timeout=TIMEOUT_MS)
    tool = measure.picture
    with qtbot.waitSignal(measure.sig_measured, timeout=TIMEOUT_MS) as measured:
        qtbot.mouseClick(tool, Qt.MouseButton.LeftButton, pos=tool.to_widget(60, 120).toPoint())
        qtbot.mouseClick(tool, Qt.MouseButton.LeftButton, pos=tool.to_widget(260, 120).toPoint())
    clicked = math.dist(*tool.points)
    assert measured.args[0] == pytest.approx(clicked * scale.mm_per_pixel, rel=1e-6)
    assert "Diameter:" in measure.reading.text() and "mm" in measure.reading.text()
    margin = tool.picture_rect()
    beside = QPoint(margin.left() - 3, margin.center().y()) if margin.left() > 5 else QPoint(5, 5)
    if not margin.contains(beside):
        qtbot.mouseClick(tool, Qt.MouseButton.LeftButton, pos=beside)
        assert "beside the picture" in measure.reading.text()


def test_a_click_beside_the_ruler_picture_is_refused_in_plain_words(qtbot, main_window: MainWindow) -> None:
    ready(qtbot, main_window)
    image, _ = ruler_image(23.7, size=(640, 160), angle_deg=0.0)  # wide: grey margins above and below
    dialog = main_window.calibration.open_ruler(Frame(image, 0, 0.0, "ruler"))
    assert dialog is not None
    qtbot.waitExposed(dialog)
    picture = dialog.picture
    rect = picture.picture_rect()
    assert rect.top() > 5, "the picture should leave a margin above it"
    qtbot.mouseClick(picture, Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.top() - 3))
    assert picture.points == []
    assert "outside the picture" in dialog.message.text()
    qtbot.mouseClick(dialog.calibrate_button, Qt.MouseButton.LeftButton)
    assert "Click two ticks of the ruler first." in dialog.message.text()
    dialog.close()


def test_a_white_reference_that_is_not_a_card_is_refused_and_nothing_changes(
    qtbot, main_window: MainWindow
) -> None:
    ready(qtbot, main_window)
    main_window.calibration.measure_white_reference()  # the virtual dermatoscope shows a lesion, not a card
    qtbot.waitUntil(
        lambda: any("not one uniform card" in box.text() for box in open_message_boxes()), timeout=TIMEOUT_MS
    )
    assert main_window.settings.camera_profile("virtual").white_balance is None
    frame = main_window.live_view.frame
    assert frame is not None and "white_balance_gains" not in frame.metadata


def test_closing_during_a_sequence_stops_every_thread(
    qtbot, main_window: MainWindow, assert_no_threads_left: Callable[[MainWindow], None]
) -> None:
    ready(qtbot, main_window)
    main_window.desk.run_sequence(list(LightingMode)[1:])
    main_window.close()
    assert_no_threads_left(main_window)
