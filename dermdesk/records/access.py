"""Who may do what: roles, their permissions, and the check every service call starts with.

Why one table: the clinic's rules (staff register and capture, doctors diagnose and sign off,
administrators manage accounts and backups) are read in one place, and `PermissionDenied` says in
plain words what the account lacks. Administrators are deliberately not given clinical access: IT
staff need to manage accounts without reading records; a person doing both has two accounts.

The signed-in user held by the UI is a plain `UserInfo`; `acting_user` re-reads the account in the
service's transaction, so a user disabled or demoted meanwhile is refused at once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from dermdesk.records import models
from dermdesk.records.errors import AccountDisabled, AccountLocked, PasswordChangeRequired, PermissionDenied
from dermdesk.records.views import UserInfo
from dermdesk.records.vocabulary import Role


class Permission(StrEnum):
    VIEW_PATIENTS = "view patient records"
    REGISTER_PATIENTS = "register patients"
    CAPTURE = "capture images"
    DIAGNOSE = "record diagnoses"
    SIGN_OFF = "sign off diagnoses"
    MANAGE_USERS = "manage user accounts"
    BACKUP = "back up the records"
    VIEW_AUDIT = "read the audit log"
    MANAGE_MODELS = "switch or roll back the model in use"


_CLINICAL = {Permission.VIEW_PATIENTS, Permission.REGISTER_PATIENTS, Permission.CAPTURE}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.STAFF: frozenset(_CLINICAL),
    Role.DOCTOR: frozenset(_CLINICAL | {Permission.DIAGNOSE, Permission.SIGN_OFF}),
    Role.ADMIN: frozenset(
        {Permission.MANAGE_USERS, Permission.BACKUP, Permission.VIEW_AUDIT, Permission.MANAGE_MODELS}
    ),
}


def allowed(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def require(user: UserInfo, permission: Permission) -> None:
    """Raise PermissionDenied unless the user's role grants `permission`."""
    if not allowed(user.role, permission):
        roles = " or ".join(r.value for r in Role if allowed(r, permission))
        raise PermissionDenied(
            f"{user.username} is signed in as {user.role.value} and may not {permission.value}; "
            f"this needs an account with the {roles} role.",
            username=user.username,
            attempted=permission.value,
        )


def acting_user(session: Session, user: UserInfo, permission: Permission, now: datetime) -> models.User:
    """The user's current row, checked: still active, not locked, and allowed `permission`."""
    row = session.get(models.User, user.id)
    if row is None or row.username != user.username:
        raise PermissionDenied(f"The account {user.username} no longer exists; sign in again.")
    if not row.active:
        raise AccountDisabled(f"The account {row.username} has been disabled; ask an administrator.")
    if row.locked_until is not None and row.locked_until > now:
        raise AccountLocked(f"The account {row.username} is locked; sign in again later.")
    if row.must_change_password:
        raise PasswordChangeRequired(
            f"The account {row.username} has a one-time password from an administrator; choose your "
            "own password first."
        )
    require(UserInfo(row.id, row.username, row.display_name, Role(row.role), row.active), permission)
    return row
