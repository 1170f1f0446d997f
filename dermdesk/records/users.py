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
                    "An administrator already exists; sign in as one to add accounts."
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
                    f"{row.username} is the last active administrator and cannot be disabled."
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

    def reset_password(self, admin: UserInfo, username: str, new_password: str) -> UserInfo:
        """Set a new password chosen by an administrator; also lifts a lock-out."""
        with self._db.transaction() as session:
            actor = acting_user(session, admin, Permission.MANAGE_USERS, self._clock())
            row = self._get(session, username)
            passwords.check_policy(new_password, row.username)
            row.password_hash = passwords.hash_password(new_password)
            row.failed_attempts = 0
            row.locked_until = None
            record_event(
                session,
                AuditAction.RESET_PASSWORD,
                self._clock(),
                user=actor,
                object_type="user",
                object_id=row.username,
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
            raise RecordValidationError(f"The user name {name} is already taken.")
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
            raise RecordValidationError(f"The user name {name} is already taken.") from exc
        log.info("Account %s (%s) created", name, role.value)
        return row

    @staticmethod
    def _get(session: Session, username: str) -> models.User:
        name = username.strip().lower()
        row = session.scalar(select(models.User).where(models.User.username == name))
        if row is None:
            raise NotFound(f"There is no account named {name}.")
        return row

    @staticmethod
    def _active_admins(session: Session) -> int:
        query = (
            select(func.count())
            .select_from(models.User)
            .where(models.User.role == Role.ADMIN.value, models.User.active.is_(True))
        )
        return int(session.scalar(query) or 0)
