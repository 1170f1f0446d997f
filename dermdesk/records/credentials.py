"""Checking a password against an account, with lock-out: shared by login and diagnosis sign-off.

Why shared: a sign-off re-verifies the doctor's password, and a wrong password there is as much a
guess as one at the login screen, so both count towards the same lock-out. After
`SecurityPolicy.max_failed_attempts` wrong passwords in a row the account is locked for
`SecurityPolicy.lockout`; a correct password while locked is refused too (otherwise the lock would only
slow a guesser down by one attempt). Every outcome is audited. The caller commits the transaction
before raising the returned error, so counters and audit entries are never rolled back with it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dermdesk.i18n import N_, gettext
from dermdesk.records import models, passwords
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.database import Database
from dermdesk.records.errors import AccountDisabled, AccountLocked, AuthenticationFailed

log = logging.getLogger(__name__)

WRONG_CREDENTIALS = N_("Wrong user name or password.")


@dataclass(frozen=True)
class SecurityPolicy:
    """Lock-out rules; a clinic may tighten them, tests shorten them."""

    max_failed_attempts: int = 5
    lockout: timedelta = timedelta(minutes=15)


def _local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def check_password(
    session: Session,
    row: models.User | None,
    username: str,
    password: str,
    policy: SecurityPolicy,
    now: datetime,
    *,
    failed_action: AuditAction = AuditAction.LOGIN_FAILED,
) -> AuthenticationFailed | None:
    """None when `password` is right for an active, unlocked account; otherwise the error to raise
    after the caller commits. Updates the attempt counter and writes the audit entries."""
    if row is None:
        passwords.burn_time(password)
        record_event(session, failed_action, now, username=username, detail={"reason": "unknown user"})
        return AuthenticationFailed(gettext(WRONG_CREDENTIALS))
    if row.locked_until is not None:
        if row.locked_until > now:
            record_event(session, failed_action, now, user=row, detail={"reason": "locked"})
            return AccountLocked(
                gettext(
                    "The account {username} is locked after too many wrong passwords until {value}; "
                    "try again then or ask an administrator to reset it."
                ).format(username=row.username, value=_local_time(row.locked_until))
            )
        row.locked_until = None  # the lock has run out: a fresh series of attempts
        row.failed_attempts = 0
    if not row.active:
        passwords.burn_time(password)
        record_event(session, failed_action, now, user=row, detail={"reason": "disabled"})
        return AccountDisabled(
            gettext("The account {username} has been disabled; ask an administrator.").format(
                username=row.username
            )
        )
    if passwords.verify_password(row.password_hash, password):
        row.failed_attempts = 0
        if passwords.needs_rehash(row.password_hash):
            row.password_hash = passwords.hash_password(password)
        return None
    row.failed_attempts += 1
    record_event(
        session,
        failed_action,
        now,
        user=row,
        detail={"reason": "wrong password", "attempt": row.failed_attempts},
    )
    if row.failed_attempts >= policy.max_failed_attempts:
        row.locked_until = now + policy.lockout
        record_event(
            session, AuditAction.ACCOUNT_LOCKED, now, user=row, detail={"until": row.locked_until.isoformat()}
        )
        log.warning("Account %s locked after %d wrong passwords", row.username, row.failed_attempts)
        return AccountLocked(
            gettext("Too many wrong passwords: the account {username} is locked until {value}.").format(
                username=row.username, value=_local_time(row.locked_until)
            )
        )
    return AuthenticationFailed(gettext(WRONG_CREDENTIALS))


def verify_sign_off_password(
    database: Database, policy: SecurityPolicy, now: datetime, user_id: int, username: str, password: str
) -> None:
    """Re-check a signer's password in its own transaction, so a wrong one is counted (and audited as a
    failed sign-off) even though the sign-off then fails; raises the error to show."""
    with database.transaction() as session:
        row = session.get(models.User, user_id)
        error = check_password(
            session, row, username, password, policy, now, failed_action=AuditAction.SIGN_OFF_FAILED
        )
    if error is not None:
        raise error
