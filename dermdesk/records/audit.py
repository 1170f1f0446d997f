"""The audit log: who logged in, viewed, exported, uploaded, signed off or deleted what, and when.

Why written inside the service's own transaction: an action and its audit entry are committed
together or not at all, so the log can be trusted as a record of what happened. Failed logins are
committed on their own, before the error is raised. The table is append-only (database triggers);
`detail` carries ids and technical facts, never patient names, which `record_event` enforces for the
obvious keys.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dermdesk.records import models
from dermdesk.records.access import Permission, acting_user
from dermdesk.records.audit_chain import REFUSED, ChainReport, seal, verify_chain
from dermdesk.records.database import Database
from dermdesk.records.errors import PermissionDenied
from dermdesk.records.views import AuditEntry, UserInfo

log = logging.getLogger(__name__)

_NAME_KEYS = frozenset({"name", "given_name", "family_name", "patient_name", "full_name"})


class AuditAction(StrEnum):
    LOGIN_OK = "login ok"
    LOGIN_FAILED = "login failed"
    ACCOUNT_LOCKED = "account locked"
    VIEW_PATIENT = "view patient"
    LIST_PATIENTS = "list patients"
    REGISTER_PATIENT = "register patient"
    UPDATE_PATIENT = "update patient"
    UPDATE_LESION = "update lesion"
    EXPORT = "export"
    UPLOAD = "upload"
    CAPTURE = "capture"
    ADD_LESION = "add lesion"
    DIAGNOSE = "diagnose"
    SIGN_OFF = "sign-off"
    SIGN_OFF_FAILED = "sign-off failed"
    AMEND_DIAGNOSIS = "amend diagnosis"
    REFER = "refer"
    DELETE = "delete"
    PICTURE_IN_REPORT = "picture in report"
    MOVE_PICTURE = "move picture"
    ADD_USER = "add user"
    DISABLE_USER = "disable user"
    RESET_PASSWORD = "reset password"
    ENABLE_USER = "enable user"
    UNLOCK_USER = "unlock user"
    CHANGE_PASSWORD = "change password"
    RESTORE = "restore"
    MODEL_SWITCH = "model switch"
    MODEL_ROLLBACK = "model rollback"
    REFUSED = REFUSED
    VERIFY_AUDIT = "verify audit"
    TELECONSULT_CONSENT = "teleconsult consent"
    CONSULT_CREATE = "consult create"
    CONSULT_INFORMATION = "consult information"
    CONSULT_CANCEL = "consult cancel"
    CONSULT_SENT = "consult sent"
    CONSULT_REPLY = "consult reply received"
    CONSULT_VIEW = "consult view"
    CONSULT_ACKNOWLEDGE = "consult acknowledge"
    CONSULT_ESCALATE = "consult escalated"


def record_event(
    session: Session,
    action: AuditAction,
    at: datetime,
    *,
    user: models.User | None = None,
    username: str | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Add an audit entry to the session (committed with the caller's transaction)."""
    facts = dict(detail or {})
    named = _NAME_KEYS.intersection(facts)
    if named:
        raise ValueError(f"audit detail must not carry names: {sorted(named)}")
    event = models.AuditEvent(
        at=at,
        user_id=user.id if user else None,
        username=user.username if user else username,
        action=action.value,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=facts,
    )
    seal(session, event)  # chained to the entry before it (`audit_chain`)
    session.add(event)
    # the clinic log names the kind of object, never its record number (that stays in the audit trail)
    log.info("audit: %s by %s on %s", action.value, user.username if user else username, object_type)


def entry(row: models.AuditEvent) -> AuditEntry:
    return AuditEntry(
        row.id, row.at, row.username, row.action, row.object_type, row.object_id, dict(row.detail)
    )


class AuditService:
    """Reading the audit log (administrators only)."""

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    def verify(self, user: UserInfo | None = None) -> ChainReport:
        """Check the sealed chain and its anchor (`audit_chain.verify_chain`). With a user, only an
        administrator may (and a refusal is audited); without one, it is the start-up check."""
        if user is not None:
            self.require(user, Permission.VIEW_AUDIT, AuditAction.VERIFY_AUDIT)
        with self._db.transaction() as session:
            report = verify_chain(session, self._db.anchor_file, shared=not self._db.is_sqlite)
        anchor = self._db.anchor_file
        if report.intact and anchor is not None and not anchor.exists() and report.entries:
            self._db.anchor_current_head()  # a station new to a clinic server anchors from here on
        for line in report.lines():
            (log.info if report.intact else log.error)("%s", line)
        return report

    def model_change(self, user: UserInfo, action: AuditAction, detail: Mapping[str, Any]) -> None:
        """Audit a switch or rollback of the model in use; only an administrator may make one (a refusal
        is audited too, then raised)."""
        self.require(user, Permission.MANAGE_MODELS, action)
        with self._db.transaction() as session:
            actor = acting_user(session, user, Permission.MANAGE_MODELS, self._clock())
            record_event(session, action, self._clock(), user=actor, object_type="model", detail=detail)

    def require(self, user: UserInfo, permission: Permission, attempted: AuditAction) -> None:
        """PermissionDenied unless `user` may `permission` now (the refusal is audited by
        `Database.transaction`, naming the permission; `attempted` names the action for the log)."""
        with self._db.transaction() as session:
            try:
                acting_user(session, user, permission, self._clock())
            except PermissionDenied:
                log.info("Refused: %s by %s", attempted.value, user.username)
                raise

    def list(
        self, user: UserInfo, *, action: str | None = None, since: datetime | None = None, limit: int = 1000
    ) -> list[AuditEntry]:
        """Entries oldest first, optionally of one action and from a time on."""
        with self._db.transaction() as session:
            acting_user(session, user, Permission.VIEW_AUDIT, self._clock())
            query = select(models.AuditEvent).order_by(models.AuditEvent.id)
            if action is not None:
                query = query.where(models.AuditEvent.action == action)
            if since is not None:
                query = query.where(models.AuditEvent.at >= since)
            return [entry(row) for row in session.scalars(query.limit(limit))]
