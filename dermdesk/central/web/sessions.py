"""Server-side web sessions, kept in the service's database so that every API worker knows them, each with
its own CSRF token (the synchronizer-token pattern: a form is accepted only with the token of the session
that sent it).

Why the database and not a signed cookie: a session must end when the dermatologist signs out or stays
idle, on every worker at once. The cookie holds a random id; the table keeps only its sha256. The sign-in
form has a session too (not yet signed in), so it is protected the same way, and a successful sign-in
starts a new session (the old id is dropped: no fixation).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, Engine, ForeignKey, String, Table, delete, insert, select, update

from dermdesk.central.store import metadata, utcnow
from dermdesk.central.web.accounts import web_logins

ABSOLUTE_HOURS = 12  # a session ends after this long even when in use
TOUCH_SECONDS = 60  # the idle deadline moves forward at most once a minute (fewer writes)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_sha256", String(64), primary_key=True),
    Column("login_id", ForeignKey(web_logins.c.id)),  # None: the sign-in form's session
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
)


@dataclass(frozen=True)
class Session:
    token: str
    login_id: int | None
    csrf: str


def start(engine: Engine, idle_minutes: int, login_id: int | None = None) -> Session:
    """A new session (and the removal of every expired one)."""
    token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), utcnow()
    with engine.begin() as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.expires_at <= now))
        conn.execute(
            insert(web_sessions).values(
                id_sha256=_digest(token),
                login_id=login_id,
                csrf=csrf,
                created_at=now,
                last_seen=now,
                expires_at=now + timedelta(minutes=idle_minutes),
            )
        )
    return Session(token, login_id, csrf)


def find(engine: Engine, token: str | None, idle_minutes: int, now: datetime | None = None) -> Session | None:
    """The live session of this cookie value, its idle deadline moved on; None if unknown or expired."""
    if not token or len(token) > 100:
        return None
    now = now or utcnow()
    with engine.connect() as conn:
        row = conn.execute(select(web_sessions).where(web_sessions.c.id_sha256 == _digest(token))).first()
    if row is None or row.expires_at <= now or row.created_at + timedelta(hours=ABSOLUTE_HOURS) <= now:
        return None
    if (now - row.last_seen).total_seconds() >= TOUCH_SECONDS:
        with engine.begin() as conn:
            conn.execute(
                update(web_sessions)
                .where(web_sessions.c.id_sha256 == row.id_sha256)
                .values(last_seen=now, expires_at=now + timedelta(minutes=idle_minutes))
            )
    return Session(token, row.login_id, row.csrf)


def end(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.id_sha256 == _digest(token)))


def csrf_ok(session: Session, submitted: str | None) -> bool:
    """True if the form carried this session's token (compared in constant time)."""
    return bool(submitted) and hmac.compare_digest(session.csrf.encode(), (submitted or "").encode())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
