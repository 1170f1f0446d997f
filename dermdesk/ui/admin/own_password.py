"""Changing one's own password from the window, for any signed-in account.

The dialog collects the current and the new password; the records core checks the current one (a wrong
one counts towards the lock-out), applies the password rules and audits the change. Used by the
administrator's page and by *Records ▸ Change my password…*.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from dermdesk.records import RecordsError
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.sign_in_dialogs import ChangePasswordDialog


class OwnPassword(QObject):
    """Opens the change-password dialog for the signed-in user and runs the change on a worker."""

    sig_changed = Signal()
    """The signed-in user's password was changed."""

    def __init__(self, session: RecordsSession, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._session = session
        self._parent_widget = parent_widget
        self.dialog: ChangePasswordDialog | None = None

    def ask(self) -> ChangePasswordDialog | None:
        """The dialog, opened window-modal; None while nobody is signed in (or the records are locked)."""
        user = self._session.clinical_user
        if user is None:
            return None
        dialog = ChangePasswordDialog(user.username, self._parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_submitted.connect(self._on_submitted)
        dialog.finished.connect(self._on_finished)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_finished(self, _result: int) -> None:
        self.dialog = None

    def _on_submitted(self, current: str, new: str) -> None:
        user, records = self._session.clinical_user, self._session.records
        if user is None or records is None:
            if self.dialog is not None:
                self.dialog.show_error(self.tr("The records are locked; sign in again."))
            return
        self._session.call(
            records.users.change_password, user, current, new, name="own-password", on_done=self._on_done
        )

    def _on_done(self, _account: object, error: BaseException | None) -> None:
        dialog = self.dialog
        if error is not None:
            if dialog is not None:
                dialog.show_error(
                    str(error)
                    if isinstance(error, RecordsError)
                    else self.tr("Not changed: {error}").format(error=error)
                )
            return
        if dialog is not None:
            dialog.accept()
        self.sig_changed.emit()
