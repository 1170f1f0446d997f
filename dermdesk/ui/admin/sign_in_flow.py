"""Who may use the records: first-run administrator, sign-in at start, unlocking, signing out.

The flow only decides which dialog to show and hands what is typed to the core on a worker
(`RecordsSession.call`); the core checks passwords, counts wrong ones and locks accounts, and its
message (`AuthenticationFailed`, `AccountLocked`, the password rules) is shown in the dialog as is.
Closing a dialog without signing in leaves the capture station usable and the records hidden; the
records dock offers to sign in again.

An account an administrator reset to a one-time password signs in with it and is then asked, in the
same place, to choose its own (`ChangePasswordDialog`); it is signed in only once that is done, and the
core refuses every other act of an account still marked so.

For demonstrations and screenshots only, `auto_credentials` (from `DERMDESK_USER` /
`DERMDESK_PASSWORD`, read by `dermdesk.ui.shell.app`) fills and submits the first sign-in dialog once.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from dermdesk.records import DatabaseUnavailable, Records, RecordsError, UserInfo
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.sign_in_dialogs import ChangePasswordDialog, FirstAdminDialog, LoginDialog

logger = logging.getLogger(__name__)


def create_admin_and_sign_in(records: Records, username: str, display_name: str, password: str) -> UserInfo:
    """The first administrator, then a normal (audited) sign-in with the password just chosen."""
    created = records.users.create_first_admin(username, display_name, password)
    return records.users.login(created.username, password)


class SignInFlow(QObject):
    """Shows the right password dialog for the session's state and signs the user in."""

    sig_dialog_shown = Signal(object)
    """The FirstAdminDialog or LoginDialog just opened (tests fill it)."""

    def __init__(
        self,
        session: RecordsSession,
        parent_widget: QWidget,
        *,
        auto_credentials: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(parent_widget)
        self._session = session
        self._parent_widget = parent_widget
        self._auto = auto_credentials
        self.dialog: FirstAdminDialog | LoginDialog | ChangePasswordDialog | None = None
        self._typed_password = ""
        self._pending: UserInfo | None = None
        session.sig_locked.connect(self.ask)
        session.sig_signed_out.connect(self.ask)

    def ask(self) -> None:
        """Open the dialog the state calls for: first administrator, sign in, or unlock."""
        records = self._session.records
        if records is None:
            return
        if self.dialog is not None:
            self.dialog.raise_()
            return
        try:
            first_run = records.users.needs_first_admin()
        except DatabaseUnavailable:  # the clinic server is away: a recent sign-in here still works
            first_run = False
        except RecordsError as exc:
            logger.error("%s", exc)
            return
        if first_run:
            first = FirstAdminDialog(self._parent_widget)
            first.sig_submitted.connect(self._on_first_admin)
            self._show(first)
            return
        locked_user = self._session.user.username if self._session.locked and self._session.user else None
        login = LoginDialog(self._parent_widget, locked_user=locked_user, idle=self._session.locked_when_idle)
        login.sig_submitted.connect(self._on_login)
        self._show(login)
        if self._auto is not None and locked_user is None:
            username, password = self._auto
            self._auto = None  # once: a wrong demo password must not be retried into a lock-out
            login.username.setText(username)
            login.password.setText(password)
            login.submit_button.click()

    def _show(self, dialog: FirstAdminDialog | LoginDialog | ChangePasswordDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result, shown=dialog: self._on_finished(shown))
        dialog.open()
        self.sig_dialog_shown.emit(dialog)

    def _on_finished(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()

    # --- answers from the core -------------------------------------------------------------------

    def _on_first_admin(self, username: str, display_name: str, password: str) -> None:
        records = self._session.require_records()
        self._session.call(
            create_admin_and_sign_in,
            records,
            username,
            display_name,
            password,
            name="first-admin",
            on_done=self._on_signed_in,
        )

    def _on_login(self, username: str, password: str) -> None:
        records = self._session.require_records()
        self._typed_password = password
        self._session.call(records.sign_in, username, password, name="login", on_done=self._on_signed_in)

    def _on_signed_in(self, user: UserInfo | None, error: BaseException | None) -> None:
        dialog = self.dialog
        if error is not None or user is None:
            message = (
                str(error)
                if isinstance(error, RecordsError)
                else self.tr("Signing in failed: {error}").format(error=error)
            )
            if not isinstance(error, RecordsError):
                logger.error("%s", message)
            if dialog is not None:
                dialog.show_error(message)
            return
        if dialog is None:
            logger.info("Sign-in of %s finished after its dialog was closed; not signed in", user.username)
            return
        typed, self._typed_password = self._typed_password, ""
        if user.must_change_password:
            self._ask_new_password(user, typed)
            dialog.accept()
            return
        dialog.accept()
        self._session.sign_in(user)

    def _ask_new_password(self, user: UserInfo, one_time: str) -> None:
        """The account signed in with a one-time password: its own password first, then signed in."""
        self._pending = user
        change = ChangePasswordDialog(user.username, self._parent_widget, forced_current=one_time)
        change.sig_submitted.connect(self._on_new_password)
        self.dialog = None  # the login dialog is finishing; this one takes its place
        self._show(change)

    def _on_new_password(self, current: str, new: str) -> None:
        records, user = self._session.require_records(), self._pending
        if user is None:
            return
        self._session.call(
            records.users.change_password,
            user,
            current,
            new,
            name="change-password",
            on_done=self._on_changed,
        )

    def _on_changed(self, user: UserInfo | None, error: BaseException | None) -> None:
        dialog = self.dialog
        if error is not None or user is None:
            if dialog is not None:
                dialog.show_error(
                    str(error)
                    if isinstance(error, RecordsError)
                    else self.tr("Not changed: {error}").format(error=error)
                )
            return
        self._pending = None
        if dialog is not None:
            dialog.accept()
        logger.info("%s chose a new password", user.username)
        self._session.sign_in(user)
