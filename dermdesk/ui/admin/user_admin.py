"""The administrator's page: the station's accounts, what can be done to one, and a form to add one.

Administrators manage accounts but do not see patient records (the core's rule), so this is all the
records dock shows them. For the chosen account: unlock it (after too many wrong passwords), reset it
to a one-time password shown here to hand over (the user must choose their own at the next sign-in),
disable or enable it; and "Change my password…" for the administrator's own. Every change runs on a
worker through the records core, which audits it and refuses what must not happen (resetting or
disabling one's own account here, disabling the last administrator) with a message shown as is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.records import RecordsError, Role, UserInfo
from dermdesk.ui.admin.own_password import OwnPassword
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.sign_in_dialogs import ERROR_STYLE, ChangePasswordDialog
from dermdesk.ui.common.terms import vocabulary_word

logger = logging.getLogger(__name__)


def account_line(user: UserInfo) -> str:
    state = (
        QCoreApplication.translate("user_admin", "active")
        if user.active
        else QCoreApplication.translate("user_admin", "disabled")
    )
    if user.locked_until is not None:
        state += QCoreApplication.translate("user_admin", ", locked until {astimezone:%H:%M}").format(
            astimezone=user.locked_until.astimezone()
        )
    return f"{user.username} — {user.display_name} ({vocabulary_word(user.role.value)}, {state})"


class UserAdmin(QWidget):
    """The accounts list and the "Add account" form."""

    sig_account_added = Signal(object)
    """The UserInfo of an account just created."""
    sig_account_changed = Signal(object)
    """The UserInfo of an account just unlocked, reset, disabled or enabled."""
    sig_password_changed = Signal()
    """The administrator's own password was changed."""

    def __init__(self, session: RecordsSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.last_one_time_password = ""
        self.own_password = OwnPassword(session, self)
        self.own_password.sig_changed.connect(self._on_own_changed)
        self._shown: dict[str, UserInfo] = {}
        self.accounts = QListWidget(self)
        self.accounts.currentItemChanged.connect(self._on_selection)
        self.unlock_button = QPushButton(self.tr("Unlock"), self)
        self.unlock_button.setToolTip(self.tr("Lift a lock-out after too many wrong passwords"))
        self.reset_button = QPushButton(self.tr("Reset password"), self)
        self.reset_button.setToolTip(
            self.tr("Give the account a one-time password; its user chooses their own next")
        )
        self.disable_button = QPushButton(self.tr("Disable"), self)
        self.enable_button = QPushButton(self.tr("Enable"), self)
        self.own_password_button = QPushButton(self.tr("Change my password…"), self)
        # Two by two, then one's own password: the dock is narrow (about 380 px at 1366×768).
        actions = QGridLayout()
        actions.addWidget(self.unlock_button, 0, 0)
        actions.addWidget(self.reset_button, 0, 1)
        actions.addWidget(self.disable_button, 1, 0)
        actions.addWidget(self.enable_button, 1, 1)
        actions.addWidget(self.own_password_button, 2, 0, 1, 2)
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.role = QComboBox(self)
        for role in Role:
            self.role.addItem(vocabulary_word(role.value), role.value)
        self.role.setCurrentIndex(self.role.findData(Role.STAFF.value))  # the least rights by default
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.add_button = QPushButton(self.tr("Add account"), self)
        form = QFormLayout()
        form.addRow(self.tr("User name:"), self.username)
        form.addRow(self.tr("Full name:"), self.display_name)
        form.addRow(self.tr("Role:"), self.role)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow(self.tr("Password again:"), self.repeat)
        note = QLabel(
            self.tr(
                "Administrators manage accounts and backups; patient records need a staff or doctor account."
            ),
            self,
        )
        note.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(self.tr("<b>Accounts of this station</b>"), self))
        column.addWidget(self.accounts, 1)
        column.addLayout(actions)
        self.account_message = QLabel(self)
        self.account_message.setWordWrap(True)
        self.account_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.account_message)
        column.addWidget(QLabel(self.tr("<b>Add an account</b>"), self))
        column.addLayout(form)
        column.addWidget(self.message)
        column.addWidget(self.add_button)
        column.addWidget(note)
        self.add_button.clicked.connect(self._on_add)
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.reset_button.clicked.connect(self.reset_selected)
        self.disable_button.clicked.connect(self.disable_selected)
        self.enable_button.clicked.connect(self.enable_selected)
        self.own_password_button.clicked.connect(self.change_own_password)
        self._on_selection()

    def refresh(self) -> None:
        user, records = self._session.clinical_user, self._session.records
        chosen = self.selected()
        self.accounts.clear()
        self._shown = {}
        if user is None or records is None:
            return
        try:
            for account in records.users.list(user):
                item = QListWidgetItem(account_line(account))
                item.setData(Qt.ItemDataRole.UserRole, account.username)
                self._shown[account.username] = account
                self.accounts.addItem(item)
                if chosen is not None and account.username == chosen.username:
                    self.accounts.setCurrentItem(item)
        except RecordsError as exc:
            self._show(str(exc), error=True)
        self._on_selection()

    # --- the chosen account ----------------------------------------------------------------------

    def select(self, username: str) -> None:
        """Choose the account `username` in the list (tests and keyboard users alike)."""
        for row in range(self.accounts.count()):
            item = self.accounts.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == username:
                self.accounts.setCurrentItem(item)
                return

    def selected(self) -> UserInfo | None:
        item = self.accounts.currentItem()
        return None if item is None else self._shown.get(item.data(Qt.ItemDataRole.UserRole))

    def _on_selection(self, *_args: object) -> None:
        account = self.selected()
        self.unlock_button.setEnabled(account is not None and account.locked_until is not None)
        self.reset_button.setEnabled(account is not None)
        self.disable_button.setEnabled(account is not None and account.active)
        self.enable_button.setEnabled(account is not None and not account.active)

    def _account_call(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], str]) -> None:
        """Run an account change on a worker; `done(result)` is the sentence shown when it worked."""
        user, records = self._session.clinical_user, self._session.records
        account = self.selected()
        if user is None or records is None or account is None:
            self._account_show(self.tr("Choose an account in the list first."), error=True)
            return

        def on_done(result: object, error: BaseException | None) -> None:
            if error is not None:
                text = (
                    str(error)
                    if isinstance(error, RecordsError)
                    else QCoreApplication.translate("UserAdmin", "Not done: {error}").format(error=error)
                )
                self._account_show(text, error=True)
                return
            self._account_show(done(result), error=False)
            self.refresh()
            changed = result[0] if isinstance(result, tuple) else result
            self.sig_account_changed.emit(changed)

        self._session.call(fn, user, account.username, *args, name="account-change", on_done=on_done)

    def unlock_selected(self) -> None:
        records = self._session.records
        if records is not None:
            self._account_call(
                records.users.unlock,
                done=lambda a: self.tr("{username} is unlocked.").format(username=a.username),
            )

    def reset_selected(self) -> None:
        records = self._session.records
        if records is not None:
            self._account_call(records.users.one_time_password, done=self._one_time_text)

    def _one_time_text(self, result: tuple[UserInfo, str]) -> str:
        account, password = result
        self.last_one_time_password = password
        return self.tr(
            "One-time password for {username}: {password}\nHand it over in person; "
            "{username} must choose their own password at the next sign-in."
        ).format(username=account.username, password=password)

    def disable_selected(self) -> None:
        records = self._session.records
        if records is not None:
            self._account_call(
                records.users.disable,
                done=lambda a: self.tr("{username} is disabled (kept for the audit log).").format(
                    username=a.username
                ),
            )

    def enable_selected(self) -> None:
        records = self._session.records
        if records is not None:
            self._account_call(
                records.users.enable,
                done=lambda a: self.tr("{username} is enabled again.").format(username=a.username),
            )

    def _account_show(self, text: str, *, error: bool) -> None:
        self.account_message.setStyleSheet(ERROR_STYLE if error else "")
        self.account_message.setText(text)

    # --- the administrator's own password --------------------------------------------------------

    def change_own_password(self) -> ChangePasswordDialog | None:
        """The dialog for the administrator's own password (current one needed)."""
        return self.own_password.ask()

    def _on_own_changed(self) -> None:
        self._account_show(self.tr("Your password is changed."), error=False)
        self.sig_password_changed.emit()

    def clear(self) -> None:
        self.accounts.clear()
        self._shown = {}
        self.last_one_time_password = ""
        self.account_message.clear()
        for field in (self.username, self.display_name, self.password, self.repeat):
            field.clear()
        self.role.setCurrentIndex(self.role.findData(Role.STAFF.value))  # the next account starts over
        self.message.clear()

    def _show(self, text: str, *, error: bool) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def _on_add(self) -> None:
        user, records = self._session.clinical_user, self._session.records
        if user is None or records is None:
            self._show(self.tr("The records are locked; sign in again."), error=True)
            return
        if self.password.text() != self.repeat.text():
            self._show(self.tr("The two passwords differ; type the same password twice."), error=True)
            return
        self.add_button.setEnabled(False)
        self._session.call(
            records.users.add,
            user,
            self.username.text(),
            self.display_name.text(),
            self.role.currentData(),
            self.password.text(),
            name="add-account",
            on_done=self._on_added,
        )

    def _on_added(self, account: UserInfo | None, error: BaseException | None) -> None:
        self.add_button.setEnabled(True)
        if error is not None or account is None:
            self._show(
                str(error)
                if isinstance(error, RecordsError)
                else self.tr("Not added: {error}").format(error=error),
                error=True,
            )
            return
        for field in (self.username, self.display_name, self.password, self.repeat):
            field.clear()
        self.role.setCurrentIndex(self.role.findData(Role.STAFF.value))  # the next account starts over
        self._show(
            self.tr("Account {username} ({value}) added.").format(
                username=account.username, value=vocabulary_word(account.role.value)
            ),
            error=False,
        )
        self.refresh()
        self.sig_account_added.emit(account)
