"""Issue 20 through the real station window, offscreen: what goes into the record is deliberate.

A still with the light Off is refused (a black one cannot be kept at all); the quality question is
modeless with Keep anyway / Retake / Discard visible, so the exposure and the light can be changed
before Retake; a filed picture can be left out of reports or moved to another lesion of the same
patient (never another patient's), and the thumbnails name their light.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from dermdesk.capture.controls import ControlName
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.sidecar import read_sidecar
from dermdesk.ui.capture.quality_dialog import QualityDialog
from dermdesk.ui.shell.main_window import MainWindow
from tests.ui.test_capture_controls import TIMEOUT_MS, ready


def switch_light(qtbot, window: MainWindow, mode: LightingMode) -> None:
    with qtbot.waitSignal(window.desk.sig_lighting_changed, timeout=TIMEOUT_MS):
        button = window.desk.lighting_panel.button(mode)
        assert button is not None
        button.click()
    qtbot.waitUntil(
        lambda: (
            window.live_view.frame is not None
            and window.live_view.frame.metadata.get("lighting") == mode.value
        ),
        timeout=TIMEOUT_MS,
    )


def overexposed(qtbot, window: MainWindow) -> None:
    """Wait for washed-out frames (the virtual dermatoscope at its longest exposure, white light)."""
    qtbot.waitUntil(
        lambda: window.live_view.frame is not None and window.live_view.frame.image.mean() > 225,
        timeout=TIMEOUT_MS,
    )


def ask(qtbot, window: MainWindow) -> QualityDialog:
    with qtbot.waitSignal(window.desk.sig_quality_dialog, timeout=TIMEOUT_MS) as asked:
        qtbot.mouseClick(window.capture_button, Qt.MouseButton.LeftButton)
    dialog: QualityDialog = asked.args[0]
    return dialog


def test_a_light_off_still_is_refused_and_a_black_one_cannot_be_kept(qtbot, main_window: MainWindow) -> None:
    ready(qtbot, main_window)
    switch_light(qtbot, main_window, LightingMode.OFF)
    dialog = ask(qtbot, main_window)
    assert "The light is off" in dialog.problems.text()
    assert "Blank picture" in dialog.problems.text()
    assert not dialog.keep_button.isEnabled()  # a black still shows nothing: no override
    assert dialog.discard_button.isVisible() and dialog.retake_button.isVisible()
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert main_window.desk.quality_dialog is None and main_window.thumbnails.count() == 0


def test_an_overexposed_still_is_retaken_after_lowering_the_exposure(qtbot, main_window: MainWindow) -> None:
    """The question waits without blocking: the exposure is lowered, then Retake takes a good still."""
    ready(qtbot, main_window)
    switch_light(qtbot, main_window, LightingMode.WHITE)
    panel = main_window.desk.controls_panel
    qtbot.waitUntil(lambda: ControlName.EXPOSURE in panel.visible_controls(), timeout=TIMEOUT_MS)
    panel.auto_box(ControlName.EXPOSURE).setChecked(False)
    slider = panel.slider(ControlName.EXPOSURE)
    slider.setValue(slider.maximum())
    overexposed(qtbot, main_window)
    dialog = ask(qtbot, main_window)
    assert "Overexposed" in dialog.problems.text()
    assert dialog.windowModality() == Qt.WindowModality.NonModal
    assert QApplication.activeModalWidget() is None  # the Camera and Light panels stay usable
    assert "change the exposure" in dialog.hint.text()
    # While the question waits, the light can be switched (it was refused while "busy" before).
    switch_light(qtbot, main_window, LightingMode.WHITE_POLARISED)
    assert main_window.desk.quality_dialog is dialog
    panel.auto_box(ControlName.EXPOSURE).setChecked(True)  # back to automatic exposure
    qtbot.waitUntil(
        lambda: main_window.live_view.frame is not None and main_window.live_view.frame.image.mean() < 200,
        timeout=TIMEOUT_MS,
    )
    with qtbot.waitSignal(main_window.sig_still_saved, timeout=TIMEOUT_MS) as saved:
        qtbot.mouseClick(dialog.retake_button, Qt.MouseButton.LeftButton)
    sidecar = read_sidecar(saved.args[0].saved.path)
    assert sidecar.quality.passed and not sidecar.quality_gate_overridden
    assert sidecar.lighting == "white_polarised"


def test_a_kept_still_says_so_and_thumbnails_name_their_light(qtbot, main_window: MainWindow) -> None:
    ready(qtbot, main_window)
    switch_light(qtbot, main_window, LightingMode.WHITE)
    with qtbot.waitSignal(main_window.sig_still_saved, timeout=TIMEOUT_MS):
        qtbot.mouseClick(main_window.capture_button, Qt.MouseButton.LeftButton)
    item = main_window.thumbnails.item(0)
    assert item.toolTip().startswith("White light") and "/" not in item.toolTip()  # the light, not a path
    assert item.text().startswith("White light")
    panel = main_window.desk.controls_panel
    qtbot.waitUntil(lambda: ControlName.EXPOSURE in panel.visible_controls(), timeout=TIMEOUT_MS)
    panel.auto_box(ControlName.EXPOSURE).setChecked(False)
    slider = panel.slider(ControlName.EXPOSURE)
    slider.setValue(slider.maximum())
    overexposed(qtbot, main_window)
    dialog = ask(qtbot, main_window)
    assert dialog.keep_button.isEnabled()
    with qtbot.waitSignal(main_window.sig_still_saved, timeout=TIMEOUT_MS):
        qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    kept = main_window.thumbnails.item(0)
    assert "kept despite the check" in kept.text() and "quality check refused" in kept.toolTip()


def test_a_lighting_sequence_does_not_keep_a_still_the_gate_refuses(qtbot, main_window: MainWindow) -> None:
    """A sequence has no question to ask: its light-Off (black) still is not kept or filed."""
    ready(qtbot, main_window)
    notices: list[str] = []
    main_window.model.notice.connect(lambda notice: notices.append(notice.text))
    modes = [LightingMode.OFF, LightingMode.WHITE_POLARISED]
    with qtbot.waitSignal(main_window.desk.sig_sequence_finished, timeout=TIMEOUT_MS):
        main_window.desk.run_sequence(modes)
    qtbot.waitUntil(lambda: main_window.thumbnails.count() == 1, timeout=TIMEOUT_MS)
    assert main_window.thumbnails.item(0).text().startswith("White light, cross-polarised")
    assert any("1 stills saved. Not kept" in text and "The light is off" in text for text in notices)
