"""The administrator's page: the station's accounts, and a form to add one.

Administrators manage accounts but do not see patient records (the core's rule), so this is all the
records dock shows them. New accounts are created on a worker (the password is hashed with argon2)
and the core's messages — a taken user name, a password that breaks the rules — appear under the
form. Disabling accounts and resetting passwords are in the CLI (`dermdesk users …`) for now.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermdesk.records import RecordsError, Role, UserInfo
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.sign_in_dialogs import ERROR_STYLE

logger = logging.getLogger(__name__)


def account_line(user: UserInfo) -> str:
    state = "active" if user.active else "disabled"
    if user.locked_until is not None:
        state += f", locked until {user.locked_until.astimezone():%H:%M}"
    return f"{user.username} — {user.display_name} ({user.role.value}, {state})"


class UserAdmin(QWidget):
    """The accounts list and the "Add account" form."""

    sig_account_added = Signal(object)
    """The UserInfo of an account just created."""

    def __init__(self, session: RecordsSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.accounts = QListWidget(self)
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.role = QComboBox(self)
        for role in Role:
            self.role.addItem(role.value, role.value)
        self.role.setCurrentIndex(self.role.findData(Role.STAFF.value))  # the least rights by default
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.add_button = QPushButton("Add account", self)
        form = QFormLayout()
        form.addRow("User name:", self.username)
        form.addRow("Full name:", self.display_name)
        form.addRow("Role:", self.role)
        form.addRow("Password:", self.password)
        form.addRow("Password again:", self.repeat)
        note = QLabel(
            "Administrators manage accounts and backups; patient records need a staff or doctor account. "
            "Disable accounts or reset passwords with `dermdesk users`.",
            self,
        )
        note.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>Accounts of this station</b>", self))
        column.addWidget(self.accounts, 1)
        column.addWidget(QLabel("<b>Add an account</b>", self))
        column.addLayout(form)
        column.addWidget(self.message)
        column.addWidget(self.add_button)
        column.addWidget(note)
        self.add_button.clicked.connect(self._on_add)

    def refresh(self) -> None:
        user, records = self._session.clinical_user, self._session.records
        self.accounts.clear()
        if user is None or records is None:
            return
        try:
            for account in records.users.list(user):
                self.accounts.addItem(account_line(account))
        except RecordsError as exc:
            self._show(str(exc), error=True)

    def clear(self) -> None:
        self.accounts.clear()
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
            self._show("The records are locked; sign in again.", error=True)
            return
        if self.password.text() != self.repeat.text():
            self._show("The two passwords differ; type the same password twice.", error=True)
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
            self._show(str(error) if isinstance(error, RecordsError) else f"Not added: {error}", error=True)
            return
        for field in (self.username, self.display_name, self.password, self.repeat):
            field.clear()
        self.role.setCurrentIndex(self.role.findData(Role.STAFF.value))  # the next account starts over
        self._show(f"Account {account.username} ({account.role.value}) added.", error=False)
        self.refresh()
        self.sig_account_added.emit(account)
