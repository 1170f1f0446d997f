"""The upload outbox: cases queued for the central service, one row per picture.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "upload_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("central_case_id", sa.String(length=64), nullable=True),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'failed')", name=op.f("ck_upload_outbox_state")
        ),
        sa.ForeignKeyConstraint(["image_id"], ["images.id"], name=op.f("fk_upload_outbox_image_id_images")),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_upload_outbox_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload_outbox")),
        sa.UniqueConstraint("image_id", name=op.f("uq_upload_outbox_image_id")),
    )
    with op.batch_alter_table("upload_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_upload_outbox_patient_id"), ["patient_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("upload_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upload_outbox_patient_id"))
    op.drop_table("upload_outbox")
