"""Auto-lock: after `idle_lock_minutes` without a key press, click or wheel turn, say the station is idle.

An application-wide event filter restarts one single-shot timer on user input; the timer's timeout is
`sig_idle`, which the records station answers by locking the records. Frames arriving in the live view
are not input, so a station left streaming still locks. `stop()` (the window closes) removes the
filter and stops the timer.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

logger = logging.getLogger(__name__)

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleLock(QObject):
    """Emits `sig_idle` once the user has done nothing for the given time while armed."""

    sig_idle = Signal()
    """No input for the configured time: lock."""

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.timeout.connect(self._on_timeout)
        self._armed = False
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def minutes(self) -> float:
        return self.timer.interval() / 60_000

    def arm(self) -> None:
        """Start watching (someone signed in)."""
        self._armed = True
        self.timer.start()

    def disarm(self) -> None:
        """Stop watching (locked, signed out)."""
        self._armed = False
        self.timer.stop()

    def stop(self) -> None:
        """The window closes: no more timer, no more filter."""
        self.disarm()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if self._armed and event.type() in _INPUT_EVENTS:
            self.timer.start()  # restart: another full period from now
        return False

    def _on_timeout(self) -> None:
        if self._armed:
            logger.info("No input for %.0f minutes: locking the records", self.minutes)
            self._armed = False
            self.sig_idle.emit()
