"""The task state a long-running function receives: report progress, notice cancellation.

Why a plain class: long work (saving a still, training, export, upload, report rendering) is written
as an ordinary function `fn(task_state, *args)` in the core, where Qt may not be imported. The same
function runs from a script, a test or the CLI with a bare `TaskState()`, and from the UI through
`dermdesk.ui.common.worker`, which connects the progress callback to a Qt signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from dermdesk.i18n import _

ProgressCallback = Callable[[float, str], None]


class TaskCancelledError(Exception):
    """The task stopped early because it was asked to; not a failure."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("The task was cancelled."))


class TaskState:
    """Thread-safe progress and cancellation flag shared by a task and whoever started it."""

    def __init__(self, on_progress: ProgressCallback | None = None) -> None:
        self._cancelled = threading.Event()
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._progress = 0.0
        self._message = ""

    def set_progress(self, fraction: float, message: str = "") -> None:
        """Report how far the task is (0..1, clamped) and what it is doing, in the staff's words."""
        fraction = min(1.0, max(0.0, float(fraction)))
        with self._lock:
            if fraction == self._progress and message == self._message:
                return
            self._progress, self._message = fraction, message
        if self._on_progress is not None:
            self._on_progress(fraction, message)

    @property
    def progress(self) -> tuple[float, str]:
        with self._lock:
            return self._progress, self._message

    def cancel(self) -> None:
        """Ask the task to stop at its next check; it may still finish what it is doing."""
        self._cancelled.set()

    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()

    def raise_if_cancelled(self) -> None:
        """Convenience for loops: raise TaskCancelledError once cancellation was requested."""
        if self._cancelled.is_set():
            raise TaskCancelledError()
