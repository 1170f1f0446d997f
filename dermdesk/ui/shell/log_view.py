"""The in-app log: a dock that shows what the station logs, as it happens.

Records may be logged on any thread (grabber, workers); `QtLogHandler.emit` only formats the record
and emits a signal, which Qt queues to the GUI thread where the dock appends the line. The handler is
attached to the root logger for the dock's lifetime and removed when the dock goes away.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDockWidget, QPlainTextEdit, QWidget

MAX_LINES = 2000


class _LogEmitter(QObject):
    sig_record = Signal(str, int)
    """A formatted log line and its level, emitted from whatever thread logged it."""


class QtLogHandler(logging.Handler):
    """A logging.Handler that forwards formatted records to the GUI thread through a Qt signal."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.emitter = _LogEmitter()
        self.sig_record = self.emitter.sig_record
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.emitter.sig_record.emit(self.format(record), record.levelno)
        except Exception:
            self.handleError(record)


class LogDock(QDockWidget):
    """A dock widget (View ▸ Log) listing the newest MAX_LINES log lines."""

    def __init__(self, parent: QWidget | None = None, level: int = logging.INFO) -> None:
        super().__init__(self.tr("Log"), parent)
        self.setObjectName("log_dock")
        self._text = QPlainTextEdit(self)
        self._text.setReadOnly(True)
        self._text.setMaximumBlockCount(MAX_LINES)
        self._text.setFont(QFont("monospace", 9))
        self.setWidget(self._text)
        self.handler = QtLogHandler(level)
        self.handler.sig_record.connect(self._on_record)
        logging.getLogger().addHandler(self.handler)
        self.destroyed.connect(self._detach_handler_of(self.handler))

    @staticmethod
    def _detach_handler_of(handler: QtLogHandler) -> object:
        def detach() -> None:
            logging.getLogger().removeHandler(handler)

        return detach

    def detach(self) -> None:
        """Stop receiving records (the window calls this when it closes)."""
        logging.getLogger().removeHandler(self.handler)

    def text(self) -> str:
        return self._text.toPlainText()

    def _on_record(self, line: str, level: int) -> None:
        self._text.appendPlainText(line)
