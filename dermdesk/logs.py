"""Logging for the station: one rotating file per data folder, and uncaught errors routed to it.

Why: when a clinic calls about a problem, `<data_dir>/logs/dermdesk.log` is what IT sends us, so every
module logs through `logging.getLogger(__name__)` and every uncaught exception, on any thread, ends up
there with its traceback. The UI additionally registers a plain callback (no Qt here) to show the
error to the user without blocking the station.

Convention: never log patient names, dates of birth or other identifying data; log record ids,
file names of stills and technical state only.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

logger = logging.getLogger(__name__)

LOG_FILE_NAME = "dermdesk.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)-8s %(threadName)s %(name)s: %(message)s"

ErrorCallback = Callable[[str, BaseException], None]
"""Called with a one-line summary for staff and the exception; may run on any thread."""

_error_callbacks: list[ErrorCallback] = []
_callbacks_lock = threading.Lock()
_installed_handlers: list[logging.Handler] = []


def setup_logging(logs_dir: Path, level: str = "INFO", *, console: bool = False) -> Path:
    """Send every record at `level` or above to a rotating file (5 x 2 MB) under `logs_dir`.

    Safe to call again (tests, a changed data folder): the handlers from the previous call are
    replaced, not duplicated. Returns the log file's path.
    """
    logs_dir.mkdir(parents=True, exist_ok=True)
    log_file = logs_dir / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in _installed_handlers:
        root.removeHandler(handler)
        handler.close()
    _installed_handlers.clear()

    file_handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    _installed_handlers.append(file_handler)
    if console:
        stream_handler = logging.StreamHandler(sys.stderr)
        stream_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        stream_handler.setLevel(logging.WARNING)
        _installed_handlers.append(stream_handler)
    for handler in _installed_handlers:
        root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    logger.info("Logging to %s at level %s", log_file, level.upper())
    return log_file


def add_error_callback(callback: ErrorCallback) -> Callable[[], None]:
    """Register a callback for uncaught errors; returns a function that unregisters it."""
    with _callbacks_lock:
        _error_callbacks.append(callback)

    def remove() -> None:
        with _callbacks_lock:
            if callback in _error_callbacks:
                _error_callbacks.remove(callback)

    return remove


def report_uncaught(exc: BaseException, where: str) -> None:
    """Log an uncaught exception with its traceback and tell every registered callback."""
    summary = f"Unexpected error in {where}: {type(exc).__name__}: {exc}"
    logger.critical(summary, exc_info=(type(exc), exc, exc.__traceback__))
    with _callbacks_lock:
        callbacks = list(_error_callbacks)
    for callback in callbacks:
        try:
            callback(summary, exc)
        except Exception:  # a broken reporter must not hide the original error
            logger.exception("The error reporter %r failed", callback)


def _sys_hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    report_uncaught(exc.with_traceback(tb), "the main thread")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    name = args.thread.name if args.thread is not None else "a background thread"
    report_uncaught(args.exc_value.with_traceback(args.exc_traceback), f"thread {name}")


def install_excepthooks() -> None:
    """Route uncaught exceptions of the main thread and of every `threading` thread to the log and
    the registered callbacks (instead of a traceback on a console nobody reads)."""
    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook


def uninstall_excepthooks() -> None:
    """Restore Python's own hooks (tests, embedding)."""
    sys.excepthook = sys.__excepthook__
    threading.excepthook = threading.__excepthook__
