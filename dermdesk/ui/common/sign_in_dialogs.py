"""The password dialogs: the first administrator, signing in (and unlocking), and re-entering a password.

They only collect what is typed and show what the records core answers: there is no password rule
or lock-out logic here. Each is opened with `open()` (window-modal, never a blocking `exec()`), emits
`sig_submitted` with the values, and stays open — busy while the core checks them on a worker —
until its owner calls `accept()` or `show_error(message)` with the core's message.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = "color: #a61b1b; font-weight: bold;"


class ErrorLine(QLabel):
    """A red, word-wrapped message line that makes its window taller when the message needs it.

    Qt does not grow a top-level window for a wrapped label's new height, so without this a long
    message squeezes the form's fields below their height.
    """

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        super().setText(text)
        QTimer.singleShot(0, self, self._grow_window)  # not after the label is gone

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt override)
        super().setVisible(visible)
        if visible:
            QTimer.singleShot(0, self, self._grow_window)  # not after the label is gone

    def _grow_window(self) -> None:
        window = self.window()
        if window is self or not window.isVisible():
            return
        layout = window.layout()
        if layout is None:
            return
        needed = layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth() else -1
        needed = max(needed, layout.totalMinimumSize().height())
        if needed > window.height():
            window.resize(window.width(), needed)


def error_line(parent: QWidget) -> QLabel:
    """The hidden, red, word-wrapped line where a form shows the core's message."""
    label = ErrorLine(parent)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


class _CredentialsDialog(QDialog):
    """A form with a message line, an error line and one submit button."""

    def __init__(self, title: str, intro: str, submit_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.error = error_line(self)
        self.form = QFormLayout()
        self.submit_button = QPushButton(submit_text, self)
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self._on_submit)
        self.buttons = QDialogButtonBox(self)
        self.buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.intro)
        column.addLayout(self.form)
        column.addWidget(self.error)
        column.addWidget(self.buttons)
        self._submit_text = submit_text

    def _password_field(self) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def _on_submit(self) -> None:
        raise NotImplementedError

    def set_busy(self, busy: bool, message: str = "Checking…") -> None:
        """While the core works: the submit button is disabled and says so."""
        self.submit_button.setEnabled(not busy)
        self.submit_button.setText(message if busy else self._submit_text)

    def show_error(self, message: str) -> None:
        """The core's answer (wrong password, locked account, password rules), shown in the dialog."""
        self.set_busy(False)
        self.error.setText(message)
        self.error.show()


class FirstAdminDialog(_CredentialsDialog):
    """First start: the account of the clinic's first administrator. There is no default password."""

    sig_submitted = Signal(str, str, str)
    """User name, display name and password of the first administrator."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("DermDesk — first start"),
            self.tr(
                "No accounts exist yet. Create the first administrator account; the "
                "administrator then adds accounts for staff and doctors. "
                "Administrators manage accounts and backups but do not see patient "
                "records."
            ),
            self.tr("Create administrator"),
            parent,
        )
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.password = self._password_field()
        self.repeat = self._password_field()
        self.form.addRow(self.tr("User name:"), self.username)
        self.form.addRow(self.tr("Full name:"), self.display_name)
        self.form.addRow(self.tr("Password:"), self.password)
        self.form.addRow(self.tr("Password again:"), self.repeat)

    def _on_submit(self) -> None:
        if self.password.text() != self.repeat.text():
            self.show_error(self.tr("The two passwords differ; type the same password twice."))
            return
        self.set_busy(True, self.tr("Creating…"))
        self.sig_submitted.emit(self.username.text(), self.display_name.text(), self.password.text())


class LoginDialog(_CredentialsDialog):
    """Signing in at start, after signing out, or to unlock a station that locked itself."""

    sig_submitted = Signal(str, str)
    """User name and password."""

    def __init__(
        self, parent: QWidget | None = None, *, locked_user: str | None = None, idle: bool = False
    ) -> None:
        if locked_user is None:
            title, intro = self.tr("DermDesk — sign in"), self.tr("Sign in to see and file patient records.")
        else:
            title = self.tr("DermDesk — locked")
            why = self.tr("were locked after a while without use") if idle else self.tr("are locked")
            intro = self.tr(
                "The records {why}; patient data is hidden. {locked_user}, enter your "
                "password to continue, or sign in with another account."
            ).format(why=why, locked_user=locked_user)
        super().__init__(title, intro, self.tr("Sign in"), parent)
        self.username = QLineEdit(locked_user or "", self)
        self.password = self._password_field()
        self.form.addRow(self.tr("User name:"), self.username)
        self.form.addRow(self.tr("Password:"), self.password)
        (self.password if locked_user else self.username).setFocus()

    def _on_submit(self) -> None:
        self.set_busy(True)
        self.sig_submitted.emit(self.username.text(), self.password.text())

    def show_error(self, message: str) -> None:
        super().show_error(message)
        self.password.clear()
        self.password.setFocus()


class PasswordDialog(_CredentialsDialog):
    """A signed-in user's password again, for an act that must be theirs (signing a diagnosis)."""

    sig_submitted = Signal(str)
    """The password typed."""

    def __init__(self, username: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("DermDesk — confirm with your password"),
            self.tr("{purpose} Enter the password of {username} to confirm.").format(
                purpose=purpose, username=username
            ),
            self.tr("Sign"),
            parent,
        )
        self.password = self._password_field()
        self.form.addRow(self.tr("Password:"), self.password)

    def _on_submit(self) -> None:
        self.set_busy(True)
        self.sig_submitted.emit(self.password.text())

    def show_error(self, message: str) -> None:
        super().show_error(message)
        self.password.clear()


class ChangePasswordDialog(_CredentialsDialog):
    """Choosing one's own password: after signing in with a one-time password (`forced`, the current
    password is already known and not asked again), or at any time from "Change my password…"."""

    sig_submitted = Signal(str, str)
    """The current password and the new one."""

    def __init__(
        self, username: str, parent: QWidget | None = None, *, forced_current: str | None = None
    ) -> None:
        if forced_current is None:
            intro = self.tr("Choose a new password for {username}. Your current password is needed.").format(
                username=username
            )
        else:
            intro = self.tr(
                "{username} signed in with a one-time password from an administrator. "
                "Choose your own password now (at least 10 characters); the one-time "
                "password then stops working."
            ).format(username=username)
        super().__init__(
            self.tr("DermDesk — choose your password"), intro, self.tr("Change password"), parent
        )
        self.username = username
        self.current = self._password_field()
        self.new = self._password_field()
        self.repeat = self._password_field()
        if forced_current is None:
            self.form.addRow(self.tr("Current password:"), self.current)
        else:
            self.current.setText(forced_current)
            self.current.hide()
        self.form.addRow(self.tr("New password:"), self.new)
        self.form.addRow(self.tr("New password again:"), self.repeat)

    def _on_submit(self) -> None:
        if self.new.text() != self.repeat.text():
            self.show_error(self.tr("The two new passwords differ; type the same password twice."))
            return
        self.set_busy(True)
        self.sig_submitted.emit(self.current.text(), self.new.text())
