"""Live classification in the real station window, offscreen, with the shipped model (issue 5).

The window loads the newest package under resources/models (settings.model_dir is None in tests), as a
clinic install does. Timeouts are generous (a cold compile on a busy 2-core machine); speed goals are
in `dermdesk bench inference`, never asserted here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt

from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope
from dermdesk.commands import CommandContext
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.gate import MESSAGE_NOT_LESION
from dermdesk.inference.live import THREAD_NAME
from dermdesk.inference.live_display import LiveDisplay
from dermdesk.inference.package import default_package_dir, load_package
from dermdesk.inference.still_analysis import StillAnalysis
from dermdesk.source_spec import SourceSpec
from dermdesk.ui.shell.main_window import MainWindow

MODEL_TIMEOUT_MS = 180_000  # cold compile while a training run shares the two cores
RESULT_TIMEOUT_MS = 60_000
SETTLE_FRAMES = 12  # frames after a change before its figures count (the smoothing has converged)


def classifier_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME and t.is_alive()]


def wait_for_model(qtbot, window: MainWindow) -> None:
    live = window.analysis.classification
    qtbot.waitUntil(lambda: live.model_summary is not None, timeout=MODEL_TIMEOUT_MS)


def virtual_source(window: MainWindow) -> VirtualDermatoscope:
    assert window.bridge is not None
    source = window.bridge.source
    assert isinstance(source, VirtualDermatoscope)
    return source


def show_lesion(qtbot, window: MainWindow, index: int) -> LiveDisplay:
    """Put lesion `index` under the lens and wait until the panel's figures describe it."""
    virtual_source(window).set_lesion(index)
    view, live = window.live_view, window.analysis.classification

    def lesion_on_screen() -> bool:
        return view.frame is not None and view.frame.metadata.get("lesion_index") == index

    qtbot.waitUntil(lesion_on_screen, timeout=RESULT_TIMEOUT_MS)
    assert view.frame is not None
    first = view.frame.index

    def settled() -> bool:
        shown = live.last_display
        return shown is not None and shown.result.frame_index >= first + SETTLE_FRAMES

    qtbot.waitUntil(settled, timeout=RESULT_TIMEOUT_MS)
    assert live.last_display is not None
    return live.last_display


@pytest.fixture
def wall_clip(tmp_path: Path) -> Path:
    """Two seconds of a plain painted wall (a little shading and sensor noise), 320x240 MJPG."""
    path = tmp_path / "wall.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 20.0, (320, 240))
    assert writer.isOpened(), "OpenCV cannot write MJPG .avi files here"
    rng = np.random.default_rng(5)
    shade = np.linspace(0.9, 1.05, 320, dtype=np.float32)[None, :, None]
    wall = np.array([196, 208, 214], np.float32)[None, None, :] * shade  # BGR off-white
    for _ in range(40):
        noisy = wall + rng.normal(0, 2.0, (240, 320, 3)).astype(np.float32)
        writer.write(np.clip(noisy, 0, 255).astype(np.uint8))
    writer.release()
    return path


def test_the_live_view_follows_the_image(
    qtbot, open_window: Callable[[SourceSpec], MainWindow], wall_clip: Path
) -> None:
    window = open_window(SourceSpec.parse("virtual"))
    wait_for_model(qtbot, window)
    panel = window.analysis.panel
    lesions = virtual_source(window).lesions
    melanoma = next(i for i, lesion in enumerate(lesions) if lesion.dx == "mel")
    naevus = next(i for i, lesion in enumerate(lesions) if lesion.dx == "nv")

    on_melanoma = show_lesion(qtbot, window, melanoma)
    melanoma_ranking = panel.ranking()
    on_naevus = show_lesion(qtbot, window, naevus)
    naevus_ranking = panel.ranking()
    assert on_melanoma.result.assessment is not None and on_naevus.result.assessment is not None
    assert len(melanoma_ranking) == len(naevus_ranking) == 3
    assert melanoma_ranking != naevus_ranking  # the names in order, not just the percentages
    mel_p = on_melanoma.result.assessment.probabilities["mel"]
    assert mel_p > on_naevus.result.assessment.probabilities["mel"]
    assert panel.message_text() == ""
    assert "Model: dermdesk-lesion" in panel.model_label.text()
    assert window.live_view.overlay_box is not None  # the square the model looked at

    # UV light: the frame is not classified, and the panel says why instead of a diagnosis.
    source = virtual_source(window)
    source.set_lighting(LightingMode.UV_365)
    qtbot.waitUntil(
        lambda: panel.message_text().startswith("Not classified under UV"), timeout=RESULT_TIMEOUT_MS
    )
    assert panel.ranking() == []
    assert window.analysis.classification.last_display is not None
    assert window.analysis.classification.last_display.result.raw_assessment is None  # never inferred
    source.set_lighting(LightingMode.WHITE_POLARISED)
    qtbot.waitUntil(lambda: panel.ranking() != [], timeout=RESULT_TIMEOUT_MS)

    # Not a lesion: a plain wall from a video file gets the unsuitable-image message.
    window.camera_selector.sig_source_chosen.emit(SourceSpec.parse(f"file:{wall_clip}"))
    qtbot.waitUntil(lambda: panel.message_text() == MESSAGE_NOT_LESION, timeout=RESULT_TIMEOUT_MS)
    assert panel.ranking() == []
    assert window.live_view.overlay_box is None

    # Closing the window ends the classifier thread.
    assert classifier_threads()
    window.close()
    assert classifier_threads() == []


def test_a_still_is_analysed_with_eight_views_and_a_heatmap(qtbot, main_window: MainWindow) -> None:
    wait_for_model(qtbot, main_window)
    panel, view = main_window.analysis.panel, main_window.live_view
    qtbot.mouseClick(panel.heatmap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.overlay_heatmap is not None, timeout=RESULT_TIMEOUT_MS)
    assert view.overlay_heatmap is not None and view.overlay_heatmap.shape[2] == 4

    with qtbot.waitSignal(main_window.analysis.sig_still_analysed, timeout=MODEL_TIMEOUT_MS) as blocker:
        qtbot.keyClick(main_window, Qt.Key.Key_Space)
    analysis: StillAnalysis = blocker.args[0]
    assert analysis.classification.tta
    assert analysis.classification.assessment is not None
    assert analysis.overlay is not None and analysis.overlay.ndim == 3
    assert panel.still.isVisible() and panel.still_image.pixmap() is not None
    assert panel.still.bars.entries()

    # the same figures as the shared still path (what `dermdesk classify` runs) on the saved PNG
    classifier = LesionClassifier(load_package(default_package_dir()))
    rgb = cv2.cvtColor(cv2.imread(str(analysis.path)), cv2.COLOR_BGR2RGB)
    expected = classifier.classify(rgb, tta=True).assessment
    assert expected is not None
    for code, p in analysis.classification.assessment.probabilities.items():
        assert p == pytest.approx(expected.probabilities[code], abs=1e-5)

    qtbot.mouseClick(panel.heatmap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.overlay_heatmap is None, timeout=RESULT_TIMEOUT_MS)


def test_pausing_keeps_the_figures_until_resumed(qtbot, main_window: MainWindow) -> None:
    wait_for_model(qtbot, main_window)
    live, panel = main_window.analysis.classification, main_window.analysis.panel
    qtbot.waitUntil(lambda: panel.ranking() != [], timeout=RESULT_TIMEOUT_MS)
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    assert live.paused and panel.pause_button.text() == "Resume analysis"
    qtbot.wait(300)  # a result in flight when pausing is not shown either
    shown, figures = live.results_shown, panel.live.bars.entries()
    frames = main_window.live_view.frames_shown
    qtbot.waitUntil(lambda: main_window.live_view.frames_shown >= frames + 10, timeout=RESULT_TIMEOUT_MS)
    assert live.results_shown == shown and panel.live.bars.entries() == figures
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: live.results_shown > shown, timeout=RESULT_TIMEOUT_MS)


def test_a_model_that_cannot_be_loaded_is_reported_in_place_of_a_diagnosis(
    qtbot, command_context: CommandContext, tmp_path: Path
) -> None:
    settings = command_context.settings.model_copy(update={"model_dir": tmp_path / "no-model"})
    ctx = CommandContext(settings=settings, store=command_context.store, log_file=command_context.log_file)
    window = MainWindow(ctx, SourceSpec.parse("virtual"))
    qtbot.addWidget(window)
    window.show()
    panel = window.analysis.panel
    qtbot.waitUntil(
        lambda: panel.message_text().startswith("The model could not be loaded"), timeout=RESULT_TIMEOUT_MS
    )
    assert "not a model package" in panel.message_text()
    assert panel.ranking() == [] and not panel.heatmap_button.isEnabled()
    frames = window.live_view.frames_shown
    qtbot.waitUntil(lambda: window.live_view.frames_shown > frames + 3, timeout=RESULT_TIMEOUT_MS)
    window.close()
    assert classifier_threads() == []
