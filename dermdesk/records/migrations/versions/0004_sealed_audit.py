"""The sealed audit trail: each entry carries the hash of the one before it (`prev_hash`, `entry_hash`).

Existing entries are sealed in order once, here: the append-only triggers are lifted for the backfill
and put back in the same transaction, so no entry can change outside this migration.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from dermdesk.records.audit_chain import GENESIS, entry_hash

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENTS = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("user_id", sa.Integer),
    sa.column("username", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("detail", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("entry_hash", sa.String),
)


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_events", sa.Column("entry_hash", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(_EVENTS).order_by(_EVENTS.c.id)).mappings().all()
    if not rows:
        return
    _lift_triggers(connection.dialect.name)
    prev = GENESIS
    for row in rows:
        at = row["at"] if isinstance(row["at"], datetime) else datetime.fromisoformat(str(row["at"]))
        sealed = entry_hash(
            prev,
            at if at.tzinfo else at.replace(tzinfo=UTC),
            row["user_id"],
            row["username"],
            row["action"],
            row["object_type"],
            row["object_id"],
            row["detail"] or {},
        )
        connection.execute(
            _EVENTS.update().where(_EVENTS.c.id == row["id"]).values(prev_hash=prev, entry_hash=sealed)
        )
        prev = sealed
    _restore_triggers(connection.dialect.name)


def downgrade() -> None:
    # plain ALTER TABLE (SQLite >= 3.35 too): a batch copy of the table would lose its triggers
    op.execute("ALTER TABLE audit_events DROP COLUMN entry_hash")
    op.execute("ALTER TABLE audit_events DROP COLUMN prev_hash")


def _lift_triggers(dialect: str) -> None:
    if dialect == "sqlite":
        op.execute("DROP TRIGGER audit_events_no_update")
    else:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")


def _restore_triggers(dialect: str) -> None:
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
        )
    else:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
