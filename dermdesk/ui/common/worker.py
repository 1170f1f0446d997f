"""The one helper for long work off the GUI thread (Orange3 style).

Long work is a plain function `fn(task_state, *args)` from the core (see dermdesk.tasks). A widget
owns one `TaskRunner`; `runner.start(fn, *args)` runs the function on the runner's QThreadPool and
returns a `TaskHandle` whose signals deliver progress and, at the end, `(result, error)` on the GUI
thread. Exactly one of the two is not None; a cancelled task ends with `(None, TaskCancelledError)`.

When the owner closes or is destroyed, every running task is cancelled and waited for, so no
function is still running (and touching files or the owner's data) after its window is gone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, Signal

from dermdesk.tasks import TaskCancelledError, TaskState

logger = logging.getLogger(__name__)

TaskFunction = Callable[..., Any]
DoneCallback = Callable[[Any, BaseException | None], None]
ProgressSlot = Callable[[float, str], None]


class TaskHandle(QObject):
    """One started task: its public signals are emitted on the GUI thread; `cancel()` asks it to stop."""

    sig_progress = Signal(float, str)
    """Progress fraction (0..1) and message reported by the task."""
    sig_finished = Signal(object, object)
    """(result, error) once the task ended: error is None on success, result is None on error."""
    _sig_worker_progress = Signal(float, str)
    """Emitted on the worker thread; queued to `_on_worker_progress` on the GUI thread."""
    _sig_worker_done = Signal(object, object)
    """Emitted on the worker thread; queued to `_on_worker_done` on the GUI thread."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.state = TaskState(on_progress=self._sig_worker_progress.emit)
        self._done = threading.Event()
        # Re-emitting from slots of this GUI-thread object means every receiver, lambdas included,
        # runs on the GUI thread, whatever thread the task function reported from.
        self._sig_worker_progress.connect(self._on_worker_progress)
        self._sig_worker_done.connect(self._on_worker_done)

    def cancel(self) -> None:
        """Ask the task to stop; its (None, TaskCancelledError) result still arrives through sig_finished."""
        self.state.cancel()

    def is_running(self) -> bool:
        return not self._done.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the function returned; True if it did within the timeout."""
        return self._done.wait(timeout_s)

    def _on_worker_progress(self, fraction: float, message: str) -> None:
        self.sig_progress.emit(fraction, message)

    def _on_worker_done(self, result: object, error: object) -> None:
        self.sig_finished.emit(result, error)


class _Job(QRunnable):
    """Runs the task function on a pool thread and hands its outcome to the handle."""

    def __init__(self, handle: TaskHandle, fn: TaskFunction, args: tuple[Any, ...]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._handle, self._fn, self._args = handle, fn, args

    def run(self) -> None:
        handle = self._handle
        result: Any = None
        error: BaseException | None = None
        try:
            result = self._fn(handle.state, *self._args)
            if handle.state.is_cancelled():
                result, error = None, TaskCancelledError()
        except TaskCancelledError as exc:
            error = exc
        except Exception as exc:  # handed to the owner as (None, exc); logged here with traceback
            logger.exception("Task %s failed", handle.name)
            error = exc
        handle._done.set()  # before the result is queued: a receiver of sig_finished sees it finished
        handle._sig_worker_done.emit(result, error)


class TaskRunner(QObject):
    """Starts tasks for one owner widget and stops them all when the owner closes or goes away."""

    def __init__(self, owner: QObject, *, max_threads: int = 2) -> None:
        super().__init__(owner)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._handles: list[TaskHandle] = []
        owner.installEventFilter(self)
        owner.destroyed.connect(self._on_owner_destroyed)

    def start(
        self,
        fn: TaskFunction,
        *args: Any,
        name: str | None = None,
        on_done: DoneCallback | None = None,
        on_progress: ProgressSlot | None = None,
    ) -> TaskHandle:
        """Run `fn(task_state, *args)` on a pool thread; callbacks run on the GUI thread."""
        handle = TaskHandle(name or str(getattr(fn, "__name__", "task")), self)
        if on_progress is not None:
            handle.sig_progress.connect(on_progress)
        if on_done is not None:
            handle.sig_finished.connect(on_done)
        handle.sig_finished.connect(lambda *_: self._forget(handle))
        self._handles.append(handle)
        self._pool.start(_Job(handle, fn, args))
        logger.debug("Task %s started", handle.name)
        return handle

    def running(self) -> list[TaskHandle]:
        return [handle for handle in self._handles if handle.is_running()]

    def active_thread_count(self) -> int:
        return self._pool.activeThreadCount()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel every task and wait for the pool; True when all threads finished in time."""
        for handle in self._handles:
            handle.cancel()
        finished = self._pool.waitForDone(timeout_ms)
        if not finished:
            logger.error("Background tasks still running after %d ms: %s", timeout_ms, self.running())
        return finished

    def _forget(self, handle: TaskHandle) -> None:
        if handle in self._handles:
            self._handles.remove(handle)
        handle.deleteLater()

    def _on_owner_destroyed(self, *_: object) -> None:
        self.shutdown()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Close:
            self.shutdown()
        return False
