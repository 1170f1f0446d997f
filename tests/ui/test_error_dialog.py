"""An uncaught error on any thread reaches the user as a non-blocking dialog."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from dermdesk import logs
from dermdesk.ui.common.error_dialog import ErrorReporter


@pytest.fixture
def reporter(qtbot, tmp_path) -> Iterator[ErrorReporter]:
    logs.setup_logging(tmp_path / "logs")
    logs.install_excepthooks()
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    reporter = ErrorReporter(parent, log_hint="Log file: test")
    yield reporter
    reporter.detach()
    logs.uninstall_excepthooks()


def crash_on_a_thread(message: str) -> None:
    def boom() -> None:
        raise RuntimeError(message)

    thread = threading.Thread(target=boom, name="dermdesk-test-crash")
    thread.start()
    thread.join()


def test_a_thread_error_shows_a_non_modal_box(qtbot, reporter: ErrorReporter) -> None:
    crash_on_a_thread("the camera driver crashed")
    qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible())
    box = reporter.box
    assert box is not None
    assert "the camera driver crashed" in box.text()
    assert box.windowModality() == Qt.WindowModality.NonModal


def test_further_errors_join_the_open_box(qtbot, reporter: ErrorReporter) -> None:
    crash_on_a_thread("first")
    qtbot.waitUntil(lambda: reporter.box is not None)
    crash_on_a_thread("second")
    qtbot.waitUntil(lambda: len(reporter.messages) == 2)
    assert reporter.box is not None
    assert "2 errors" in reporter.box.text()
