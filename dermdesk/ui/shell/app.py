"""Starting the station window: QApplication, error hooks, the main window, the event loop.

This is the only place the CLI reaches into Qt (imported lazily by `dermdesk gui`).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from dermdesk.context import CommandContext
from dermdesk.logs import install_excepthooks, uninstall_excepthooks
from dermdesk.source_spec import SourceSpec
from dermdesk.ui.shell.language import ui_language
from dermdesk.ui.shell.main_window import MainWindow
from dermdesk.ui.shell.records_station import RecordsStation

logger = logging.getLogger(__name__)

USER_ENV, PASSWORD_ENV = "DERMDESK_USER", "DERMDESK_PASSWORD"


def application() -> QApplication:
    """The process's QApplication, created once."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName(QCoreApplication.translate("app", "DermDesk"))
        app.setOrganizationName(QCoreApplication.translate("app", "DermDesk"))
    assert isinstance(app, QApplication)
    return app


def run_gui(ctx: CommandContext, source: SourceSpec, *, quit_after_shown: bool = False) -> int:
    """Show the main window on `source` and run until it closes; returns the exit code."""
    from dermdesk.context import STARTED_AT

    app = application()
    ui_language().apply(ctx.settings.language)
    install_excepthooks()
    try:
        window = MainWindow(ctx, source)
        _records = RecordsStation(window, auto_credentials=demo_credentials())
        window.restore_layout()
        window.show()
        window.show_notices(ctx.notices)
        if quit_after_shown:
            QTimer.singleShot(0, lambda: _report_shown_and_close(window, STARTED_AT))
        logger.info("Station window shown")
        return app.exec()
    finally:
        uninstall_excepthooks()


def demo_credentials() -> tuple[str, str] | None:
    """`DERMDESK_USER` / `DERMDESK_PASSWORD` when both are set, for demonstrations and screenshots: the
    first sign-in dialog is filled with them and submitted once, checked and audited like a typed
    sign-in. Never set them on a clinic station: anyone starting DermDesk would be signed in."""
    username, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if username and password:
        logger.warning("Signing in as %s from %s/%s (demonstration mode)", username, USER_ENV, PASSWORD_ENV)
        return username, password
    return None


def _report_shown_and_close(window: MainWindow, started_at: float) -> None:
    """For `bench startup`: the first pass of the event loop after show() has painted the window."""
    elapsed = time.perf_counter() - started_at
    print(json.dumps({"cli_to_shown_s": round(elapsed, 4)}), flush=True)
    window.close()
