"""Issue 19's "Done when" for accounts, offscreen with pytest-qt: an administrator unlocks and resets a
locked doctor in the window, and the doctor, signing in with the one-time password, must choose their
own before being signed in. Bad input: an administrator resetting their own account, the last
administrator disabled, the two new passwords differing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QWidget
from records.helpers import PASSWORD, Clock, Team

from dermdesk.records import AccountLocked, AuthenticationFailed, Records, SecurityPolicy, passwords
from dermdesk.settings import load_settings
from dermdesk.ui.admin.sign_in_flow import SignInFlow
from dermdesk.ui.admin.user_admin import UserAdmin
from dermdesk.ui.common.records_session import RecordsSession
from dermdesk.ui.common.sign_in_dialogs import ChangePasswordDialog, LoginDialog
from dermdesk.ui.common.worker import TaskRunner

WAIT_MS = 30_000
NEW_PASSWORD = "dora's own password"


@dataclass
class Desk:
    records: Records
    team: Team
    session: RecordsSession
    admin_page: UserAdmin
    flow: SignInFlow


@pytest.fixture
def desk(qtbot, station_dirs) -> Iterator[Desk]:
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    settings = load_settings().settings
    clock = Clock()
    records = Records.open(settings, clock=clock, policy=SecurityPolicy(max_failed_attempts=5))
    admin = records.users.create_first_admin("admin", "Clinic Admin", PASSWORD)
    team = Team(
        admin,
        records.users.add(admin, "sam", "Sam Staff", "staff", PASSWORD),
        records.users.add(admin, "dora", "Dr Dora Derm", "doctor", PASSWORD),
    )
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(900, 700)
    host.show()
    session = RecordsSession(settings, TaskRunner(host), host, clock=clock)
    session.records = records
    page = UserAdmin(session, host)
    flow = SignInFlow(session, host)
    yield Desk(records, team, session, page, flow)
    flow.close()
    records.close()
    passwords.use_hasher(previous)


def lock_out(records: Records, username: str) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            records.users.login(username, "not the password")
    with pytest.raises(AccountLocked):
        records.users.login(username, PASSWORD)


def test_an_admin_unlocks_and_resets_a_locked_doctor_who_must_then_choose_a_password(
    qtbot, desk: Desk
) -> None:
    lock_out(desk.records, "dora")
    desk.session.sign_in(desk.team.admin)
    page = desk.admin_page
    page.refresh()
    page.select("dora")
    assert "locked until" in page.accounts.currentItem().text()
    assert page.unlock_button.isEnabled()

    with qtbot.waitSignal(page.sig_account_changed, timeout=WAIT_MS) as changed:
        page.unlock_button.click()
    assert changed.args[0].locked_until is None
    assert "dora is unlocked" in page.account_message.text()
    assert "locked" not in page.accounts.currentItem().text() and not page.unlock_button.isEnabled()

    with qtbot.waitSignal(page.sig_account_changed, timeout=WAIT_MS) as changed:
        page.reset_button.click()
    assert changed.args[0].must_change_password
    one_time = page.last_one_time_password
    assert one_time and one_time in page.account_message.text()
    assert "must choose their own password at the next sign-in" in page.account_message.text()
    actions = [e.action for e in desk.records.audit.list(desk.team.admin)]
    assert "unlock user" in actions and "reset password" in actions

    # The doctor signs in with the one-time password and is asked for their own before anything else.
    with qtbot.waitSignal(desk.flow.sig_dialog_shown, timeout=WAIT_MS) as shown:
        desk.session.sign_out()
    login = shown.args[0]
    assert isinstance(login, LoginDialog)
    login.username.setText("dora")
    login.password.setText(one_time)
    with qtbot.waitSignal(desk.flow.sig_dialog_shown, timeout=WAIT_MS) as shown:
        login.submit_button.click()
    change = shown.args[0]
    assert isinstance(change, ChangePasswordDialog)
    assert "one-time password" in change.intro.text() and desk.session.user is None
    change.new.setText(NEW_PASSWORD)
    change.repeat.setText("something else entirely")
    change.submit_button.click()
    assert "differ" in change.error.text() and desk.session.user is None
    change.repeat.setText(NEW_PASSWORD)
    with qtbot.waitSignal(desk.session.sig_signed_in, timeout=WAIT_MS) as signed_in:
        change.submit_button.click()
    dora = signed_in.args[0]
    assert dora.username == "dora" and not dora.must_change_password
    desk.records.patients.list(dora)  # the core lets her work now
    with pytest.raises(AuthenticationFailed):
        desk.records.users.login("dora", one_time)
    assert desk.records.users.login("dora", NEW_PASSWORD).username == "dora"


def test_the_admin_page_refuses_the_admins_own_reset_and_the_last_admin_disabled(qtbot, desk: Desk) -> None:
    desk.session.sign_in(desk.team.admin)
    page = desk.admin_page
    page.refresh()
    page.select("admin")
    page.reset_button.click()
    qtbot.waitUntil(
        lambda: "You cannot reset your own account" in page.account_message.text(), timeout=WAIT_MS
    )
    assert not page.last_one_time_password
    page.disable_button.click()
    qtbot.waitUntil(lambda: "last active administrator" in page.account_message.text(), timeout=WAIT_MS)
    assert desk.records.users.login("admin", PASSWORD).active

    # Disable and enable another account from the window.
    page.select("sam")
    with qtbot.waitSignal(page.sig_account_changed, timeout=WAIT_MS):
        page.disable_button.click()
    assert "disabled" in page.accounts.currentItem().text() and page.enable_button.isEnabled()
    with qtbot.waitSignal(page.sig_account_changed, timeout=WAIT_MS):
        page.enable_button.click()
    assert "active" in page.accounts.currentItem().text()


def test_an_admin_changes_their_own_password(qtbot, desk: Desk) -> None:
    desk.session.sign_in(desk.team.admin)
    page = desk.admin_page
    dialog = page.change_own_password()
    assert dialog is not None and dialog.current.isVisible()
    dialog.current.setText("not my password")
    dialog.new.setText("the admin's new password")
    dialog.repeat.setText("the admin's new password")
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: "Wrong user name or password" in dialog.error.text(), timeout=WAIT_MS)
    dialog.current.setText(PASSWORD)
    with qtbot.waitSignal(page.sig_password_changed, timeout=WAIT_MS):
        dialog.submit_button.click()
    assert desk.records.users.login("admin", "the admin's new password").username == "admin"
