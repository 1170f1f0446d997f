"""The status bar's word on the clinic's records server: connected, offline with pictures kept, back.

Why always visible (a permanent status-bar label, not a passing message): a room working offline must
know it for as long as it lasts, since its pictures wait on this station and other rooms cannot see
them; and when the server is back and the spool is filed, the room should see that too.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from dermdesk.ui.common.records_session import RecordsSession, ServerState

OFFLINE_STYLE = "color: #a34100; font-weight: bold;"
ONLINE_STYLE = "color: #2d6a2d;"


class ServerStatus(QLabel):
    """Follows `RecordsSession.sig_server`; hidden for a station of its own (no clinic server)."""

    def __init__(self, session: RecordsSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVisible(False)
        self.setWordWrap(False)
        session.sig_server.connect(self._on_server)

    def _on_server(self, state: ServerState) -> None:
        self.setText(state.text)
        self.setToolTip(state.text)
        self.setStyleSheet(ONLINE_STYLE if state.reachable else OFFLINE_STYLE)
        self.setVisible(True)
