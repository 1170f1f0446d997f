"""Accounts: first administrator, password policy, login, lock-out, roles, and their audit entries."""

from __future__ import annotations

import pytest

from dermdesk.records import (
    AccountDisabled,
    AccountLocked,
    AuthenticationFailed,
    PasswordChangeRequired,
    PermissionDenied,
    Records,
    RecordValidationError,
    Role,
)
from records.helpers import PASSWORD, Clock, Team


def audit_actions(records: Records, team: Team) -> list[tuple[str, str | None]]:
    return [(e.action, e.username) for e in records.audit.list(team.admin)]


def test_first_run_needs_an_admin_with_a_chosen_password(records: Records) -> None:
    assert records.users.needs_first_admin()
    with pytest.raises(RecordValidationError, match="at least 10 characters"):
        records.users.create_first_admin("admin", "Clinic Admin", "short")
    admin = records.users.create_first_admin("Admin", "Clinic Admin", PASSWORD)
    assert admin.role is Role.ADMIN and admin.username == "admin"
    assert not records.users.needs_first_admin()
    with pytest.raises(RecordValidationError, match="already exists"):
        records.users.create_first_admin("second", "Another", PASSWORD)


def test_login_returns_the_user_and_is_audited(records: Records, team: Team) -> None:
    user = records.users.login("  SAM ", PASSWORD)
    assert user.username == "sam" and user.role is Role.STAFF
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        records.users.login("sam", "not the password")
    with pytest.raises(AuthenticationFailed, match="Wrong user name or password"):
        records.users.login("nobody", PASSWORD)
    actions = audit_actions(records, team)
    assert ("login ok", "sam") in actions
    assert ("login failed", "sam") in actions
    assert ("login failed", "nobody") in actions


def test_account_locks_after_five_wrong_passwords_even_for_the_right_one(
    records: Records, team: Team, clock: Clock
) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed) as info:
            records.users.login("dora", "wrong password!")
        assert not isinstance(info.value, AccountLocked)
    with pytest.raises(AccountLocked, match="locked until"):
        records.users.login("dora", "wrong password!")
    with pytest.raises(AccountLocked):
        records.users.login("dora", PASSWORD)
    clock.advance(minutes=16)
    assert records.users.login("dora", PASSWORD).username == "dora"
    assert ("account locked", "dora") in audit_actions(records, team)


def test_a_right_password_resets_the_count_of_wrong_ones(records: Records, team: Team) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            records.users.login("sam", "wrong password!")
    records.users.login("sam", PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            records.users.login("sam", "wrong password!")
    assert records.users.login("sam", PASSWORD).failed_attempts == 0


def test_admin_resets_a_locked_account(records: Records, team: Team) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            records.users.login("sam", "wrong password!")
    records.users.reset_password(team.admin, "sam", "a brand new password")
    assert records.users.login("sam", "a brand new password").username == "sam"


def test_only_admins_manage_users(records: Records, team: Team) -> None:
    with pytest.raises(
        PermissionDenied, match="may not manage user accounts; this needs an account with the admin role"
    ):
        records.users.add(team.doctor, "eve", "Eve", "doctor", PASSWORD)
    with pytest.raises(PermissionDenied):
        records.users.list(team.staff)
    assert [u.username for u in records.users.list(team.admin)] == ["admin", "dora", "sam"]


def test_disabled_accounts_cannot_log_in_or_act(records: Records, team: Team) -> None:
    records.users.disable(team.admin, "sam")
    with pytest.raises(AccountDisabled):
        records.users.login("sam", PASSWORD)
    with pytest.raises(AccountDisabled):
        records.patients.list(team.staff)  # the UserInfo held by a UI is re-checked on each call


def test_the_last_admin_cannot_be_disabled(records: Records, team: Team) -> None:
    with pytest.raises(RecordValidationError, match="last active administrator"):
        records.users.disable(team.admin, "admin")


@pytest.mark.parametrize(
    ("username", "role", "password", "message"),
    [
        ("sam", "staff", PASSWORD, "already taken"),
        ("9lives", "staff", PASSWORD, "User name"),
        ("eve", "nurse", PASSWORD, "Unknown role"),
        ("eve", "staff", "eve", "at least 10"),
        ("evelyn-b", "staff", " " * 12, "only spaces"),
        ("evelynbrown", "staff", "EvelynBrown", "not be the user name"),
    ],
)
def test_new_accounts_are_validated(
    records: Records, team: Team, username: str, role: str, password: str, message: str
) -> None:
    with pytest.raises(RecordValidationError, match=message):
        records.users.add(team.admin, username, "Eve", role, password)


def test_an_admin_unlocks_a_locked_account_without_changing_its_password(
    records: Records, team: Team
) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            records.users.login("dora", "wrong password!")
    with pytest.raises(AccountLocked):
        records.users.login("dora", PASSWORD)
    unlocked = records.users.unlock(team.admin, "dora")
    assert unlocked.locked_until is None and unlocked.failed_attempts == 0
    assert records.users.login("dora", PASSWORD).must_change_password is False
    actions = [e.action for e in records.audit.list(team.admin)]
    assert "unlock user" in actions


def test_a_one_time_password_must_be_changed_before_anything_else(records: Records, team: Team) -> None:
    account, one_time = records.users.one_time_password(team.admin, "dora")
    assert account.must_change_password and len(one_time) >= 16
    dora = records.users.login("dora", one_time)
    assert dora.must_change_password
    with pytest.raises(PasswordChangeRequired, match="one-time password"):
        records.patients.list(dora)
    with pytest.raises(AuthenticationFailed):
        records.users.change_password(dora, "not the one-time password", "my own new password")
    with pytest.raises(RecordValidationError, match="different from the current one"):
        records.users.change_password(dora, one_time, one_time)
    with pytest.raises(RecordValidationError, match="at least 10 characters"):
        records.users.change_password(dora, one_time, "short")
    changed = records.users.change_password(dora, one_time, "my own new password")
    assert not changed.must_change_password
    records.patients.list(changed)
    with pytest.raises(AuthenticationFailed):
        records.users.login("dora", one_time)
    assert records.users.login("dora", "my own new password").username == "dora"
    actions = [e.action for e in records.audit.list(team.admin)]
    assert "reset password" in actions and "change password" in actions


def test_an_admin_cannot_reset_or_disable_their_own_account(records: Records, team: Team) -> None:
    with pytest.raises(RecordValidationError, match="You cannot reset your own account"):
        records.users.one_time_password(team.admin, "admin")
    with pytest.raises(RecordValidationError, match="You cannot reset your own account"):
        records.users.reset_password(team.admin, "admin", "a brand new password")
    second = records.users.add(team.admin, "ada", "Ada Admin", "admin", PASSWORD)
    with pytest.raises(RecordValidationError, match="cannot disable your own account"):
        records.users.disable(second, "ada")
    assert records.users.disable(second, "admin").active is False
    with pytest.raises(RecordValidationError, match="last active administrator"):
        records.users.disable(second, "ada")
    assert records.users.enable(second, "admin").active is True


def test_enable_brings_a_disabled_account_back(records: Records, team: Team) -> None:
    records.users.disable(team.admin, "sam")
    assert records.users.enable(team.admin, "sam").active
    assert records.users.login("sam", PASSWORD).username == "sam"
