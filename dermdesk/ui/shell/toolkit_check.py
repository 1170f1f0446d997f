"""The self-test's window check: Qt loads, its platform plugin starts, and a widget can be shown.

In the frozen build this is what proves the Qt plugins were bundled; `dermdesk selftest` runs it
after the Qt-free checks (`--no-window` leaves it out on a machine without a display stack).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def window_check() -> str:
    """Show and close a small window; the platform plugin's name and the Qt version on success."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([])
    label = QLabel(QCoreApplication.translate("toolkit_check", "DermDesk self-test"))
    label.show()
    app.processEvents()
    shown = label.isVisible()
    label.close()
    label.deleteLater()
    app.processEvents()
    if not shown:
        raise RuntimeError(
            QCoreApplication.translate("toolkit_check", "Qt started but could not show a window")
        )
    platform = QApplication.platformName()
    return QCoreApplication.translate(
        "toolkit_check", "Qt {pyside_version} on the '{platform}' platform plugin showed a window"
    ).format(pyside_version=pyside_version, platform=platform)
