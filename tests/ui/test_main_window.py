"""The real station window, offscreen: live frames, stills, a dying source, a clean close."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt

from dermdesk.capture.frames import Frame
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope
from dermdesk.source_spec import SourceSpec
from dermdesk.ui.shell.about import about_text
from dermdesk.ui.shell.main_window import MainWindow

FRAME_TIMEOUT_MS = 15_000


def wait_for_frames(qtbot, window: MainWindow, count: int) -> None:
    start = window.live_view.frames_shown
    qtbot.waitUntil(lambda: window.live_view.frames_shown >= start + count, timeout=FRAME_TIMEOUT_MS)


def test_frames_from_the_virtual_dermatoscope_reach_the_live_view(qtbot, main_window: MainWindow) -> None:
    wait_for_frames(qtbot, main_window, 5)
    frame = main_window.live_view.frame
    assert isinstance(frame, Frame)
    assert (frame.width, frame.height) == (320, 240)
    assert frame.metadata.get("virtual") is True
    qtbot.waitUntil(
        lambda: main_window.fps_label.text().endswith("fps") and main_window.live_view.fps > 0,
        timeout=FRAME_TIMEOUT_MS,
    )


def test_frames_from_a_video_file_reach_the_live_view(
    qtbot, open_window: Callable[[SourceSpec], MainWindow], video_file: Path
) -> None:
    window = open_window(SourceSpec.parse(f"file:{video_file}"))
    wait_for_frames(qtbot, window, 3)
    frame = window.live_view.frame
    assert frame is not None
    assert (frame.width, frame.height) == (160, 120)
    assert frame.source_name == video_file.name


def test_space_saves_a_still_with_its_sidecar(qtbot, main_window: MainWindow) -> None:
    wait_for_frames(qtbot, main_window, 2)
    with qtbot.waitSignal(main_window.sig_still_saved, timeout=FRAME_TIMEOUT_MS) as blocker:
        qtbot.keyClick(main_window, Qt.Key.Key_Space)
    saved = blocker.args[0].saved
    assert saved.path.is_file() and saved.path.suffix == ".png"
    sidecar = json.loads(saved.sidecar_path.read_text(encoding="utf-8"))
    assert sidecar["file"] == saved.path.name
    assert sidecar["lighting"] == main_window.lighting.value
    assert saved.path.parent.parent == main_window.settings.data_dir / "sessions"
    assert main_window.thumbnails.paths() == [saved.path]


def test_the_capture_button_saves_numbered_stills(qtbot, main_window: MainWindow) -> None:
    wait_for_frames(qtbot, main_window, 2)
    for _ in range(2):
        with qtbot.waitSignal(main_window.sig_still_saved, timeout=FRAME_TIMEOUT_MS):
            qtbot.mouseClick(main_window.capture_button, Qt.MouseButton.LeftButton)
    names = sorted(path.name for path in main_window.thumbnails.paths())
    assert names == ["still-0001.png", "still-0002.png"]


def test_an_unplugged_source_shows_a_message_and_recovers(qtbot, main_window: MainWindow) -> None:
    wait_for_frames(qtbot, main_window, 2)
    assert main_window.bridge is not None
    source = main_window.bridge.source
    assert isinstance(source, VirtualDermatoscope)
    source.set_unplugged(True)
    qtbot.waitUntil(lambda: main_window.banner.isVisible(), timeout=FRAME_TIMEOUT_MS)
    assert "unplugged" in main_window.banner.text()
    source.set_unplugged(False)
    qtbot.waitUntil(lambda: not main_window.banner.isVisible(), timeout=FRAME_TIMEOUT_MS)
    assert main_window.banner.text() == ""
    wait_for_frames(qtbot, main_window, 2)


def test_choosing_another_source_switches_the_stream(
    qtbot, main_window: MainWindow, video_file: Path
) -> None:
    wait_for_frames(qtbot, main_window, 2)
    with qtbot.waitSignal(main_window.sig_source_changed, timeout=FRAME_TIMEOUT_MS):
        main_window.camera_selector.sig_source_chosen.emit(SourceSpec.parse(f"file:{video_file}"))
    qtbot.waitUntil(
        lambda: (
            main_window.live_view.frame is not None
            and main_window.live_view.frame.source_name == video_file.name
        ),
        timeout=FRAME_TIMEOUT_MS,
    )
    assert main_window.settings.video_file == video_file


def test_closing_the_window_stops_every_thread(
    qtbot, main_window: MainWindow, assert_no_threads_left: Callable[[MainWindow], None]
) -> None:
    wait_for_frames(qtbot, main_window, 2)
    qtbot.keyClick(main_window, Qt.Key.Key_Space)  # a capture may still be running at close
    main_window.close()
    assert main_window.bridge is None
    assert_no_threads_left(main_window)


def test_the_about_box_credits_ham10000_and_says_it_is_not_a_diagnosis() -> None:
    text = about_text()
    assert "HAM10000" in text and "ISIC archive" in text and "CC BY-NC 4.0" in text
    assert "CC BY-NC-SA 4.0" in text
    assert "non-commercial" in text
    assert "not a diagnosis" in text


def test_the_about_box_says_which_precision_the_model_runs_and_an_ignored_cpu_cap(monkeypatch) -> None:
    from dermdesk.inference.package import default_package_dir, load_package
    from dermdesk.inference.precision import last_choice, open_station_classifier

    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "TURBO9000")  # read by DermDesk; oneDNN itself ignores it
    classifier = open_station_classifier(load_package(default_package_dir()))
    choice = last_choice()
    text = about_text()
    assert choice is not None and f"runs in <b>{classifier.precision.upper()}</b>" in text
    # why: 2.0.0 "the package ships FP32"; an INT8 package, its reference pictures against recorded FP32
    assert choice.reason in text
    assert "ONEDNN_MAX_CPU_ISA=TURBO9000 is not an instruction set" in text and "ignored" in text


def test_the_log_dock_shows_what_the_station_logs(qtbot, main_window: MainWindow) -> None:
    import logging

    logging.getLogger("dermdesk.test").warning("hello from a test")
    qtbot.waitUntil(lambda: "hello from a test" in main_window.log_dock.text(), timeout=5000)
