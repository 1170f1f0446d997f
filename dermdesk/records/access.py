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

from dermdesk.i18n import N_, _, current_language
from dermdesk.i18n.glossary import term_or
from dermdesk.records import models
from dermdesk.records.errors import AccountDisabled, AccountLocked, PasswordChangeRequired, PermissionDenied
from dermdesk.records.views import UserInfo
from dermdesk.records.vocabulary import Role


class Permission(StrEnum):
    """What a role may do; the value is stored in the audit log (English) and shown through `_()`."""

    VIEW_PATIENTS = N_("view patient records")
    REGISTER_PATIENTS = N_("register patients")
    CAPTURE = N_("capture images")
    DIAGNOSE = N_("record diagnoses")
    SIGN_OFF = N_("sign off diagnoses")
    MANAGE_USERS = N_("manage user accounts")
    BACKUP = N_("back up the records")
    VIEW_AUDIT = N_("read the audit log")
    MANAGE_MODELS = N_("switch or roll back the model in use")


REFUSED = N_(
    "{username} is signed in as {role} and may not {permission}; this needs an account with the {roles} role."
)
"""A refused action; the audit log keeps it in English, the person reads it in the screen's language."""


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
        roles = [r for r in Role if allowed(r, permission)]
        english = REFUSED.format(
            username=user.username, role=user.role.value, permission=permission.value,
            roles=" or ".join(r.value for r in roles),
        )  # fmt: skip
        shown = (
            english
            if current_language() == "en"
            else _(REFUSED).format(
                username=user.username,
                role=term_or("role", user.role.value),
                permission=_(permission.value),
                roles=_(" or ").join(term_or("role", r.value) for r in roles),
            )
        )  # English keeps the stored role words ("staff"), as the audit log says
        raise PermissionDenied(shown, username=user.username, attempted=permission.value, english=english)


def acting_user(session: Session, user: UserInfo, permission: Permission, now: datetime) -> models.User:
    """The user's current row, checked: still active, not locked, and allowed `permission`."""
    row = session.get(models.User, user.id)
    if row is None or row.username != user.username:
        raise PermissionDenied(
            _("The account {username} no longer exists; sign in again.").format(username=user.username)
        )
    if not row.active:
        raise AccountDisabled(
            _("The account {username} has been disabled; ask an administrator.").format(username=row.username)
        )
    if row.locked_until is not None and row.locked_until > now:
        raise AccountLocked(
            _("The account {username} is locked; sign in again later.").format(username=row.username)
        )
    if row.must_change_password:
        raise PasswordChangeRequired(
            _(
                "The account {username} has a one-time password from an administrator; choose "
                "your own password first."
            ).format(username=row.username)
        )
    require(UserInfo(row.id, row.username, row.display_name, Role(row.role), row.active), permission)
    return row
