"""Fixtures for driving the real station window offscreen."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from language_fixtures import compiled_translations, korean  # noqa: F401 (fixtures for every UI test)
from PySide6.QtCore import QThreadPool

from dermdesk.commands import CommandContext
from dermdesk.logs import setup_logging
from dermdesk.settings import load_settings
from dermdesk.source_spec import SourceSpec
from dermdesk.ui.shell.main_window import MainWindow

SMALL = (320, 240)  # small frames keep the suite light on a 2-core CI machine


@pytest.fixture
def command_context(station_dirs: object) -> CommandContext:
    """What the CLI would hand the window: settings from the test's folders, logging into them."""
    loaded = load_settings()
    settings = loaded.settings.model_copy(update={"resolution": SMALL, "fps": 30.0})
    log_file = setup_logging(settings.logs_dir)
    return CommandContext(settings=settings, store=loaded.store, log_file=log_file, notices=loaded.notices)


@pytest.fixture
def open_window(qtbot, command_context: CommandContext) -> Iterator[Callable[[SourceSpec], MainWindow]]:
    """Factory: the real MainWindow on a source, shown offscreen; closed (threads stopped) afterwards."""
    windows: list[MainWindow] = []

    def make(source: SourceSpec) -> MainWindow:
        window = MainWindow(command_context, source)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def main_window(open_window: Callable[[SourceSpec], MainWindow]) -> MainWindow:
    """The real main window streaming from the virtual dermatoscope."""
    return open_window(SourceSpec.parse("virtual"))


@pytest.fixture
def video_file(tmp_path: Path) -> Path:
    """A tiny MJPG .avi (40 frames, 160x120, 20 fps) with a moving square."""
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 20.0, (160, 120))
    assert writer.isOpened(), "OpenCV cannot write MJPG .avi files here"
    for index in range(40):
        image = np.full((120, 160, 3), 40, np.uint8)
        cv2.rectangle(image, (index * 3, 30), (index * 3 + 30, 60), (40, 160, 220), -1)
        writer.write(image)
    writer.release()
    return path


def dermdesk_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("dermdesk")]


@pytest.fixture
def assert_no_threads_left() -> Callable[[MainWindow], None]:
    """A check that no grabber or task thread of a window is still running."""

    def check(window: MainWindow) -> None:
        assert dermdesk_threads() == []
        assert window.active_task_threads() == 0
        assert QThreadPool.globalInstance().activeThreadCount() == 0

    return check
