"""Standby for the station window: watches for input and tells the window when to slow down or wake.

The decisions are the core's (`dermdesk.capture.standby.StandbyPolicy`); this only feeds it. An
application-wide event filter reports every key, click, wheel turn, touch and mouse movement with
`note_input()` (storing a time: cheap enough for every event), and one single-shot timer asks the policy
at the moment standby would be due, re-arming itself for the rest when input came meanwhile. So a busy
user costs no timer restarts, and a station in standby has no timer running at all. Frames arriving
are not input. `stop()` (the window closes) removes the filter and the timer.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from dermdesk.capture.standby import StandbyPolicy
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

STANDBY_MESSAGE = QT_TRANSLATE_NOOP(
    "standby_watch", "Standby — move the mouse or press a key for the full live picture."
)

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.ShortcutOverride,  # a key that triggers a shortcut (Space: capture) comes as this first
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class StandbyWatch(QObject):
    """Feeds `policy` with the user's input and its time; emits `sig_standby_changed` on each change."""

    sig_standby_changed = Signal(bool)
    """True: the station went to standby; False: it is live again (GUI thread)."""

    def __init__(self, policy: StandbyPolicy, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.policy = policy
        policy.on_change = self._on_policy_changed
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timeout)
        self._stopped = False
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._arm()

    @property
    def standby(self) -> bool:
        return self.policy.standby

    def wake(self, why: str) -> None:
        """Back to live without input (the program needs the full rate now)."""
        self.policy.wake(why)
        self._arm()

    def stop(self) -> None:
        """The window closes: no timer, no filter, no more changes."""
        self._stopped = True
        self.timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in _INPUT_EVENTS and not self._stopped and self.policy.note_input():
            self._arm()
        return False

    def _arm(self) -> None:
        left = self.policy.seconds_left()
        if left is None or self._stopped:
            self.timer.stop()
        else:
            self.timer.start(int(left * 1000) + 1)

    def _on_timeout(self) -> None:
        if not self._stopped and not self.policy.check():
            self._arm()  # input came since the timer was set: wait for the rest

    def _on_policy_changed(self, standby: bool) -> None:
        if not self._stopped:
            self.sig_standby_changed.emit(standby)
