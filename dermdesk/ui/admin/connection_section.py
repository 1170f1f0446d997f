"""Settings ▸ Central service: the address, this station's device token, how often to send, and a
"Test connection" button.

Why the token field stays empty: a token shown on screen can be read over a shoulder or photographed.
Once entered it is saved with the station's settings (the settings file is readable by the station's
user only, 0600) and never shown again; the field says whether one is stored, and typing replaces it.
The test runs on a worker (a slow or absent server must not freeze the page) with the values as typed,
before they are saved, and says plainly what came back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from dermdesk.settings import DermDeskSettings
from dermdesk.settings_form import upload_url_problem
from dermdesk.sync.station_sender import ConnectionResult, check_connection
from dermdesk.tasks import TaskState
from dermdesk.ui.admin.settings_page import UploadSection
from dermdesk.ui.common.sign_in_dialogs import ERROR_STYLE
from dermdesk.ui.common.worker import TaskRunner

OK_STYLE = "color: #1e7b34;"


def _test(state: TaskState, settings: DermDeskSettings) -> ConnectionResult:
    state.set_progress(
        0.0, QCoreApplication.translate("ConnectionSection", "Testing the connection to the central service")
    )
    return check_connection(settings)


class ConnectionSection(UploadSection):
    """The central service's address, the device token (write-only), the sending period, a test."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Central service (uploads and model updates)"))
        self.tasks = TaskRunner(self, max_threads=1)
        self.loaded: DermDeskSettings | None = None
        self.token = QLineEdit(self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setObjectName("deviceToken")
        self.interval = QSpinBox(self)
        self.interval.setRange(1, 1440)
        self.interval.setSuffix(self.tr(" min"))
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_result = QLabel(self)
        self.test_result.setWordWrap(True)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.test_button)
        line.addWidget(self.test_result, 1)
        self.add_field(
            "device_token",
            self.tr("Device token:"),
            self.token,
            self.tr(
                "From clinic IT (dermdesk-central devices add). Kept readable by this station "
                "only; never shown again."
            ),
        )
        self.add_field("upload_interval_minutes", self.tr("Send every:"), self.interval)
        self.form.addRow("", row)
        self.test_button.clicked.connect(self.test_connection)

    def load(self, settings: DermDeskSettings) -> None:
        super().load(settings)
        self.loaded = settings
        self.token.clear()
        self.token.setPlaceholderText(
            self.tr("A token is stored; type a new one to replace it")
            if settings.device_token
            else self.tr("No token yet")
        )
        self.interval.setValue(settings.upload_interval_minutes)

    def changes(self) -> dict[str, Any]:
        changes = {**super().changes(), "upload_interval_minutes": self.interval.value()}
        typed = self.token.text().strip()
        if typed:
            changes["device_token"] = typed
        return changes

    def test_connection(self) -> None:
        """Try the address and token as typed now (not yet saved)."""
        problem = upload_url_problem(self.url.text())
        if problem:
            self._show_result(ConnectionResult(False, problem))
            return
        base = self.loaded or DermDeskSettings()
        values = self.changes()
        try:
            settings = base.model_copy(
                update={
                    "upload_url": (values["upload_url"] or "").rstrip("/") or None,
                    "device_token": values.get("device_token", base.device_token),
                }
            )
        except ValueError as exc:
            self._show_result(ConnectionResult(False, str(exc)))
            return
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Testing…"))
        self.tasks.start(_test, settings, name="connection-test", on_done=self._on_tested)

    def _on_tested(self, result: ConnectionResult | None, error: BaseException | None) -> None:
        self.test_button.setEnabled(True)
        if result is None:
            result = ConnectionResult(False, str(error))
        self._show_result(result)

    def _show_result(self, result: ConnectionResult) -> None:
        text = result.message  # the core's words, already in the station's language
        if result.clock_warning:
            text += "\n" + result.clock_warning
        self.test_result.setText(text)
        self.test_result.setStyleSheet(OK_STYLE if result.ok and not result.clock_warning else ERROR_STYLE)
