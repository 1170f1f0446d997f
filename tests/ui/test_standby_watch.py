"""The real station window goes to standby when nobody touches it and wakes on the first input."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, Qt

from dermdesk.capture.standby import STANDBY_FPS
from dermdesk.commands import CommandContext
from dermdesk.source_spec import SourceSpec
from dermdesk.ui.shell.standby_watch import STANDBY_MESSAGE

TIMEOUT_MS = 20_000


def _frames_read_over(window, seconds: float) -> int:
    start = window.bridge.stats().frames_read
    time.sleep(seconds)
    return window.bridge.stats().frames_read - start


def test_window_goes_to_standby_and_wakes_on_input(
    qtbot, command_context: CommandContext, open_window
) -> None:
    command_context.settings = command_context.settings.model_copy(update={"standby_after_seconds": 2})
    window = open_window(SourceSpec.parse("virtual"))
    assert not window.standby.standby  # the event loop has not run yet, so the timer cannot have fired
    assert window.bridge.grabber.frame_interval == 0.0
    assert window.standby.timer.isActive()

    qtbot.waitUntil(lambda: window.standby.standby, timeout=TIMEOUT_MS)
    assert window.bridge.grabber.frame_interval == 1.0 / STANDBY_FPS
    assert window.statusBar().currentMessage() == STANDBY_MESSAGE
    qtbot.wait(300)  # the frame read before the pause, and the gate's first reference frame
    submitted = window.analysis.classification.stats().submitted
    read = _frames_read_over(window, 1.5)
    assert read <= 1.5 * STANDBY_FPS + 2  # 30 fps live
    assert window.analysis.classification.stats().submitted == submitted  # the same lesion: not re-classified

    qtbot.keyClick(window.live_view, Qt.Key.Key_Shift)  # any key wakes it, at once
    assert not window.standby.standby
    assert window.bridge.grabber.frame_interval == 0.0
    assert window.statusBar().currentMessage() != STANDBY_MESSAGE
    shown = window.live_view.frames_shown
    qtbot.waitUntil(lambda: window.live_view.frames_shown >= shown + 10, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.analysis.classification.stats().submitted > submitted, timeout=TIMEOUT_MS)

    qtbot.waitUntil(lambda: window.standby.standby, timeout=TIMEOUT_MS)  # and again after the delay
    qtbot.mouseMove(window.live_view, QPoint(20, 20))
    qtbot.mouseMove(window.live_view, QPoint(40, 30))
    assert not window.standby.standby


def test_standby_set_to_zero_keeps_the_window_live(
    qtbot, command_context: CommandContext, open_window
) -> None:
    command_context.settings = command_context.settings.model_copy(update={"standby_after_seconds": 0})
    window = open_window(SourceSpec.parse("virtual"))
    qtbot.waitUntil(lambda: window.live_view.frames_shown >= 5, timeout=TIMEOUT_MS)
    assert not window.standby.timer.isActive()
    qtbot.wait(1500)
    assert not window.standby.standby
    assert window.bridge.grabber.frame_interval == 0.0


def test_closing_the_window_stops_the_watch(qtbot, command_context: CommandContext, open_window) -> None:
    command_context.settings = command_context.settings.model_copy(update={"standby_after_seconds": 1})
    window = open_window(SourceSpec.parse("virtual"))
    window.close()
    assert not window.standby.timer.isActive()
    qtbot.wait(1500)
    assert not window.standby.standby  # the policy is no longer asked
