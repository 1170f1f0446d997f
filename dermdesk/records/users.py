"""User accounts: the first administrator, login with lock-out, and account management by admins.

Why there is no default account: a station shipped with a known password is a station anyone can
open. The first start asks for an administrator (`needs_first_admin` / `create_first_admin`), who then
adds staff and doctors. Accounts are disabled, never deleted, so the audit log keeps naming them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dermdesk.i18n import _
from dermdesk.records import models, passwords
from dermdesk.records.access import Permission, acting_user
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.credentials import SecurityPolicy, check_password
from dermdesk.records.database import Database
from dermdesk.records.errors import NotFound, RecordValidationError
from dermdesk.records.views import UserInfo, user_info
from dermdesk.records.vocabulary import Role, check_text, normalise_username, parse_choice

log = logging.getLogger(__name__)


class UserService:
    """Accounts and sign-in. Every method is one transaction."""

    def __init__(self, database: Database, policy: SecurityPolicy, clock: Callable[[], datetime]) -> None:
        self._db = database
        self.policy = policy
        self._clock = clock

    def needs_first_admin(self) -> bool:
        """True until the first account exists: the UI then shows the first-run dialog."""
        with self._db.transaction() as session:
            return session.scalar(select(func.count()).select_from(models.User)) == 0

    def create_first_admin(self, username: str, display_name: str, password: str) -> UserInfo:
        """Create the first (administrator) account; refused once any account exists."""
        with self._db.transaction() as session:
            if session.scalar(select(func.count()).select_from(models.User)):
                raise RecordValidationError(
                    _("An administrator already exists; sign in as one to add accounts.")
                )
            row = self._new_user(session, username, display_name, Role.ADMIN, password)
            record_event(
                session,
                AuditAction.ADD_USER,
                self._clock(),
                user=row,
                object_type="user",
                object_id=row.username,
                detail={"role": row.role, "first_admin": True},
            )
            return user_info(row)

    def login(self, username: str, password: str) -> UserInfo:
        """The signed-in user, or AuthenticationFailed / AccountLocked / AccountDisabled."""
        now = self._clock()
        name = username.strip().lower()
        with self._db.transaction() as session:
            row = session.scalar(select(models.User).where(models.User.username == name))
            error = check_password(session, row, name, password, self.policy, now)
            if error is None and row is not None:
                record_event(session, AuditAction.LOGIN_OK, now, user=row)
                return user_info(row)
        assert error is not None
        raise error

    def add(self, admin: UserInfo, username: str, display_name: str, role: str, password: str) -> UserInfo:
        with self._db.transaction() as session:
            actor = acting_user(session, admin, Permission.MANAGE_USERS, self._clock())
            row = self._new_user(session, username, display_name, parse_choice(Role, role, "role"), password)
            record_event(
                session,
                AuditAction.ADD_USER,
                self._clock(),
                user=actor,
                object_type="user",
                object_id=row.username,
                detail={"role": row.role},
            )
            return user_info(row)

    def list(self, admin: UserInfo) -> list[UserInfo]:
        with self._db.transaction() as session:
            acting_user(session, admin, Permission.MANAGE_USERS, self._clock())
            return [user_info(r) for r in session.scalars(select(models.User).order_by(models.User.username))]

    def disable(self, admin: UserInfo, username: str) -> UserInfo:
        """Disable an account (kept for the audit log). The last active administrator stays."""
        with self._db.transaction() as session:
            actor = acting_user(session, admin, Permission.MANAGE_USERS, self._clock())
            row = self._get(session, username)
            if row.role == Role.ADMIN and row.active and self._active_admins(session) <= 1:
                raise RecordValidationError(
                    _("{username} is the last active administrator and cannot be disabled.").format(
                        username=row.username
                    )
                )
            if row.id == actor.id:
                raise RecordValidationError(
                    _("You cannot disable your own account; another administrator can.")
                )
            row.active = False
            record_event(
                session,
                AuditAction.DISABLE_USER,
                self._clock(),
                user=actor,
                object_type="user",
                object_id=row.username,
            )
            return user_info(row)

    def enable(self, admin: UserInfo, username: str) -> UserInfo:
        """Enable a disabled account again (its password and role are as they were)."""
        return self._change(
            admin, username, AuditAction.ENABLE_USER, lambda row: setattr(row, "active", True)
        )

    def unlock(self, admin: UserInfo, username: str) -> UserInfo:
        """Lift a lock-out after too many wrong passwords; the password stays as it is."""

        def lift(row: models.User) -> None:
            row.locked_until = None
            row.failed_attempts = 0

        return self._change(admin, username, AuditAction.UNLOCK_USER, lift)

    def reset_password(
        self, admin: UserInfo, username: str, new_password: str, *, must_change: bool = True
    ) -> UserInfo:
        """Set a new password chosen by an administrator; also lifts a lock-out. The user must choose
        their own at the next sign-in (`must_change`). An administrator's own account is refused: they
        change their password with `change_password`, which asks for the current one."""

        def reset(row: models.User) -> None:
            passwords.check_policy(new_password, row.username)
            row.password_hash = passwords.hash_password(new_password)
            row.failed_attempts = 0
            row.locked_until = None
            row.must_change_password = must_change

        return self._change(admin, username, AuditAction.RESET_PASSWORD, reset, refuse_self=True)

    def one_time_password(self, admin: UserInfo, username: str) -> tuple[UserInfo, str]:
        """Reset the account to a random one-time password (to read out or hand over); the user must
        choose their own at the next sign-in. The account and the password."""
        password = passwords.one_time_password()
        return self.reset_password(admin, username, password, must_change=True), password

    def change_password(self, user: UserInfo, current: str, new_password: str) -> UserInfo:
        """The signed-in user chooses a new password, proving the current one (a wrong one counts
        towards the lock-out). Clears the must-change mark of a one-time password."""
        now = self._clock()
        with self._db.transaction() as session:
            row = session.get(models.User, user.id)
            error = check_password(session, row, user.username, current, self.policy, now)
            if error is None and row is not None:
                passwords.check_policy(new_password, row.username)
                if new_password == current:
                    raise RecordValidationError(_("Choose a password different from the current one."))
                row.password_hash = passwords.hash_password(new_password)
                row.must_change_password = False
                record_event(
                    session,
                    AuditAction.CHANGE_PASSWORD,
                    now,
                    user=row,
                    object_type="user",
                    object_id=row.username,
                )
                return user_info(row)
        assert error is not None
        raise error

    def _change(
        self,
        admin: UserInfo,
        username: str,
        action: AuditAction,
        change: Callable[[models.User], None],
        *,
        refuse_self: bool = False,
    ) -> UserInfo:
        """Apply an administrator's `change` to an account in one audited transaction."""
        with self._db.transaction() as session:
            actor = acting_user(session, admin, Permission.MANAGE_USERS, self._clock())
            row = self._get(session, username)
            if refuse_self and row.id == actor.id:
                raise RecordValidationError(
                    _(
                        'You cannot reset your own account here; use "Change my password", which asks '
                        "for your current password (or ask another administrator)."
                    )
                )
            change(row)
            record_event(
                session, action, self._clock(), user=actor, object_type="user", object_id=row.username
            )
            return user_info(row)

    # --- helpers -----------------------------------------------------------------------------------

    def _new_user(
        self, session: Session, username: str, display_name: str, role: Role, password: str
    ) -> models.User:
        name = normalise_username(username)
        shown = check_text(display_name, "display name", 120, required=True)
        passwords.check_policy(password, name)
        if session.scalar(select(models.User.id).where(models.User.username == name)) is not None:
            raise RecordValidationError(_("The user name {name} is already taken.").format(name=name))
        row = models.User(
            username=name,
            display_name=shown,
            role=role.value,
            password_hash=passwords.hash_password(password),
            created_at=self._clock(),
        )
        session.add(row)
        try:
            session.flush()
        except IntegrityError as exc:  # another station added the same name just now
            raise RecordValidationError(
                _("The user name {name} is already taken.").format(name=name)
            ) from exc
        log.info("Account %s (%s) created", name, role.value)
        return row

    @staticmethod
    def _get(session: Session, username: str) -> models.User:
        name = username.strip().lower()
        row = session.scalar(select(models.User).where(models.User.username == name))
        if row is None:
            raise NotFound(_("There is no account named {name}.").format(name=name))
        return row

    @staticmethod
    def _active_admins(session: Session) -> int:
        query = (
            select(func.count())
            .select_from(models.User)
            .where(models.User.role == Role.ADMIN.value, models.User.active.is_(True))
        )
        return int(session.scalar(query) or 0)
