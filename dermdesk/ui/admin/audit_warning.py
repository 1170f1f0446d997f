"""Telling an administrator, at sign-in, that the sealed audit trail failed its start-up check.

Self-contained (no main window import): the window calls `audit_warning_text` with the StartupReport it
received from `RecordsSession.sig_opened` and the user from `sig_signed_in`, and shows the text with
`show_audit_warning` when there is one. Staff and doctors are not shown it: only an administrator can
investigate (`dermdesk audit verify`) and restore the anchor or the records from a backup.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from dermdesk.records import Role, UserInfo
from dermdesk.records.station import StartupReport


def audit_warning_text(report: StartupReport | None, user: UserInfo) -> str | None:
    """The warning for this user, or None (trail intact, check not run, or not an administrator)."""
    if report is None or user.role is not Role.ADMIN or not report.audit_warning:
        return None
    findings = "\n".join(f"• {line}" for line in report.audit_warning[:10])
    more = len(report.audit_warning) - 10
    tail = (
        QCoreApplication.translate(
            "audit_warning", "\n… and {more} more (dermdesk audit verify lists them all)."
        ).format(more=more)
        if more > 0
        else ""
    )
    return QCoreApplication.translate(
        "audit_warning",
        "The audit trail failed its check at start-up: it may have been "
        "altered outside DermDesk.\n\n{findings}{tail}\n\nCompare with the latest "
        "backup, and keep this station's data folder as it is for "
        "investigation.",
    ).format(findings=findings, tail=tail)


def show_audit_warning(parent: QWidget | None, text: str) -> QMessageBox:
    """A non-blocking warning box (returned so the caller and tests can close it)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("audit_warning", "Audit trail check"),
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setModal(False)
    box.show()
    return box
