"""Cases taken out of the upload queue because the patient withdrew consent, for the queue view.

Withdrawing consent deletes the patient's unsent outbox rows in the same transaction (so no sender can
send them); this table keeps one line per removed case (its picture's id and when), so the station's
queue view can show them as removals rather than as cases that silently vanished. No names, no record
numbers. (Issue 28; after 0009, the patients' language of reports.)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "upload_removals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload_removals")),
    )


def downgrade() -> None:
    op.drop_table("upload_removals")
