"""The one worker helper: progress, results, errors and cancellation arrive on the GUI thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QWidget

from dermdesk.tasks import TaskCancelledError, TaskState
from dermdesk.ui.common.worker import TaskRunner


def count_to(state: TaskState, steps: int) -> int:
    for step in range(steps):
        state.set_progress((step + 1) / steps, f"step {step + 1}")
    return steps


def fail(state: TaskState, message: str) -> None:
    raise ValueError(message)


def wait_until_cancelled(state: TaskState, started: threading.Event) -> str:
    started.set()
    while not state.is_cancelled():
        time.sleep(0.005)
    return "stopped early"


def test_progress_and_result_arrive_on_the_gui_thread(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    runner = TaskRunner(owner)
    progress: list[tuple[float, str]] = []
    threads: list[QThread] = []

    def on_progress(fraction: float, message: str) -> None:
        progress.append((fraction, message))
        threads.append(QThread.currentThread())

    handle = runner.start(count_to, 4, on_progress=on_progress)
    with qtbot.waitSignal(handle.sig_finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [4, None]
    qtbot.waitUntil(lambda: len(progress) == 4)
    assert progress[-1] == (1.0, "step 4")
    assert all(thread is owner.thread() for thread in threads)


def test_an_error_comes_back_as_none_and_the_exception(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    handle = TaskRunner(owner).start(fail, "the disk is full")
    with qtbot.waitSignal(handle.sig_finished, timeout=5000) as blocker:
        pass
    result, error = blocker.args
    assert result is None
    assert isinstance(error, ValueError)
    assert str(error) == "the disk is full"


def test_cancel_stops_the_task_and_reports_task_cancelled(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    started = threading.Event()
    handle = TaskRunner(owner).start(wait_until_cancelled, started)
    assert started.wait(5)
    with qtbot.waitSignal(handle.sig_finished, timeout=5000) as blocker:
        handle.cancel()
    result, error = blocker.args
    assert result is None
    assert isinstance(error, TaskCancelledError)
    assert not handle.is_running()


def test_closing_the_owner_cancels_and_waits_for_every_task(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    runner = TaskRunner(owner)
    events = [threading.Event() for _ in range(2)]
    handles = [runner.start(wait_until_cancelled, event) for event in events]
    assert all(event.wait(5) for event in events)
    owner.close()  # returns only after both functions have returned
    assert not any(handle.is_running() for handle in handles)
    assert runner.active_thread_count() == 0


def test_a_bare_task_state_runs_core_code_without_qt() -> None:
    seen: list[tuple[float, str]] = []
    state = TaskState(on_progress=lambda fraction, message: seen.append((fraction, message)))
    assert count_to(state, 2) == 2
    assert seen == [(0.5, "step 1"), (1.0, "step 2")]
    state.cancel()
    assert state.is_cancelled()
