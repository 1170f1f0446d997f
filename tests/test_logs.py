"""Logging: the rotating file, and uncaught errors routed to the log and to a callback."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dermdesk import logs


@pytest.fixture
def hooks() -> Iterator[list[tuple[str, BaseException]]]:
    """Installs the excepthooks with a recording callback; restores Python's hooks afterwards."""
    seen: list[tuple[str, BaseException]] = []
    remove = logs.add_error_callback(lambda summary, exc: seen.append((summary, exc)))
    logs.install_excepthooks()
    yield seen
    logs.uninstall_excepthooks()
    remove()


def read_log(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_setup_writes_a_rotating_file_and_is_idempotent(tmp_path: Path) -> None:
    log_file = logs.setup_logging(tmp_path / "logs", "debug")
    logs.setup_logging(tmp_path / "logs", "info")
    ours = [h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert len(ours) == 1
    assert ours[0].maxBytes == 2 * 1024 * 1024 and ours[0].backupCount == 5
    logging.getLogger("dermdesk.test").info("still saved as still-0001.png")
    assert "still saved as still-0001.png" in read_log(log_file)


def test_an_uncaught_error_on_a_thread_reaches_the_log_and_the_callback(tmp_path: Path, hooks) -> None:
    log_file = logs.setup_logging(tmp_path / "logs")

    def broken() -> None:
        raise ValueError("the LED board did not answer")

    thread = threading.Thread(target=broken, name="dermdesk-test-thread")
    thread.start()
    thread.join()
    assert len(hooks) == 1
    summary, exc = hooks[0]
    assert isinstance(exc, ValueError)
    assert "dermdesk-test-thread" in summary and "the LED board did not answer" in summary
    text = read_log(log_file)
    assert "Traceback" in text and "the LED board did not answer" in text


def test_an_uncaught_error_on_the_main_thread_reaches_the_log_and_the_callback(tmp_path, hooks) -> None:
    log_file = logs.setup_logging(tmp_path / "logs")
    try:
        raise RuntimeError("printer jammed")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # what Python (or a Qt slot) does with an uncaught exception
    assert [type(exc) for _, exc in hooks] == [RuntimeError]
    assert "printer jammed" in read_log(log_file)


def test_a_failing_callback_does_not_hide_the_error(tmp_path: Path, hooks) -> None:
    log_file = logs.setup_logging(tmp_path / "logs")

    def broken_reporter(summary: str, exc: BaseException) -> None:
        raise OSError("no display")

    remove = logs.add_error_callback(broken_reporter)
    try:
        logs.report_uncaught(KeyError("lesion"), "a test")
    finally:
        remove()
    assert len(hooks) == 1  # the other callback still ran
    assert "error reporter" in read_log(log_file)
