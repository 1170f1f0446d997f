"""Shows uncaught errors to the user without stopping the station.

`dermdesk.logs` calls registered callbacks on whatever thread failed. `ErrorReporter.report` only emits
a signal; the slot runs on the GUI thread and shows a non-modal message box (`show()`, never `exec()`),
so the live view keeps running behind it. While one box is open, further errors are added to it
instead of piling up windows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from dermdesk.logs import add_error_callback

logger = logging.getLogger(__name__)


class ErrorReporter(QObject):
    """Bridges `dermdesk.logs` error callbacks to a non-blocking dialog on the GUI thread."""

    sig_error = Signal(str)
    """A one-line description of an uncaught error, for the user."""

    def __init__(self, parent_widget: QWidget, log_hint: str = "") -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._log_hint = log_hint
        self._box: QMessageBox | None = None
        self.messages: list[str] = []
        self.sig_error.connect(self._on_error)
        self._unregister: Callable[[], None] | None = add_error_callback(self.report)

    def report(self, summary: str, exc: BaseException) -> None:
        """The `dermdesk.logs` callback; safe on any thread."""
        self.sig_error.emit(summary)

    def detach(self) -> None:
        """Stop receiving errors (the window closes)."""
        if self._unregister is not None:
            self._unregister()
            self._unregister = None

    def _on_error(self, summary: str) -> None:
        self.messages.append(summary)
        if self._box is not None and self._box.isVisible():
            self._box.setDetailedText("\n".join(self.messages))
            self._box.setText(
                self.tr("{messages} errors occurred. The newest:\n{summary}").format(
                    messages=len(self.messages), summary=summary
                )
            )
            return
        self.messages = [summary]
        box = QMessageBox(self._parent_widget)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("DermDesk — something went wrong"))
        box.setText(summary)
        box.setInformativeText(
            self.tr("The station keeps running. If this happens again, please send the log file to IT.")
            + (f"\n{self._log_hint}" if self._log_hint else "")
        )
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._on_box_closed)
        self._box = box
        box.show()

    def _on_box_closed(self) -> None:
        self._box = None

    @property
    def box(self) -> QMessageBox | None:
        """The dialog currently shown, if any (tests look at it)."""
        return self._box
