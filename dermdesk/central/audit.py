"""The central service's audit log: every consult created, viewed, added to, answered or cancelled, and
every web sign-in (accepted or refused).

Why its own table: the station audits its side in its records; the centre must be able to show, for a
consult, which device or dermatologist did what and when, without any patient's name (there is none
here: only pseudonyms and ids).
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import JSON, Column, Connection, DateTime, Engine, Integer, String, Table, insert, select

from dermdesk.central.store import metadata, utcnow

Actor = Literal["device", "dermatologist", "admin", "centre"]

central_audit = Table(
    "central_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("actor", String(16), nullable=False),
    Column("actor_id", Integer),
    Column("clinic_id", Integer),
    Column("consult_id", Integer, index=True),
    Column("action", String(40), nullable=False),
    Column("detail", JSON, nullable=False),
)


def audit(
    conn: Connection,
    action: str,
    actor: Actor,
    actor_id: int | None,
    *,
    clinic_id: int | None = None,
    consult_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an entry inside the caller's transaction (the action and its entry commit together)."""
    conn.execute(
        insert(central_audit).values(
            at=utcnow(),
            actor=actor,
            actor_id=actor_id,
            clinic_id=clinic_id,
            consult_id=consult_id,
            action=action,
            detail=dict(detail or {}),
        )
    )


def entries(engine: Engine, *, consult_id: int | None = None) -> list[dict[str, Any]]:
    """Entries oldest first, optionally of one consult."""
    query = select(central_audit).order_by(central_audit.c.id)
    if consult_id is not None:
        query = query.where(central_audit.c.consult_id == consult_id)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]
