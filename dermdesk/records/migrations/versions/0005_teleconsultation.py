"""Teleconsultation: the patient's consent to it, consults, their outbox and the specialists' replies.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teleconsult_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_teleconsult_consents_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_teleconsult_consents_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teleconsult_consents")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_teleconsult_consents_patient_id")),
    )
    op.create_table(
        "consults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("lesion_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(length=8), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("image_ids", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("central_id", sa.String(length=20), nullable=True),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('queued', 'sent', 'in review', 'more information requested', 'answered', 'cancelled')",
            name=op.f("ck_consults_state"),
        ),
        sa.CheckConstraint("urgency IN ('routine', 'soon', 'urgent')", name=op.f("ck_consults_urgency")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_consults_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["lesion_id"], ["lesions.id"], name=op.f("fk_consults_lesion_id_lesions")),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_consults_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consults")),
        sa.UniqueConstraint("uid", name=op.f("uq_consults_uid")),
    )
    with op.batch_alter_table("consults", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consults_lesion_id"), ["lesion_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_consults_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "consult_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consult_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("diagnosis", sa.String(length=16), nullable=True),
        sa.Column("management", sa.String(length=20), nullable=True),
        sa.Column("follow_up_months", sa.Integer(), nullable=True),
        sa.Column("amends", sa.Integer(), nullable=True),
        sa.Column("specialist_name", sa.String(length=120), nullable=False),
        sa.Column("specialist_registration", sa.String(length=40), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"], ["users.id"], name=op.f("fk_consult_answers_acknowledged_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["consult_id"], ["consults.id"], name=op.f("fk_consult_answers_consult_id_consults")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consult_answers")),
        sa.UniqueConstraint("consult_id", "version", name=op.f("uq_consult_answers_consult_id_version")),
    )
    with op.batch_alter_table("consult_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consult_answers_consult_id"), ["consult_id"], unique=False)

    op.create_table(
        "consult_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consult_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("image_ids", sa.JSON(), nullable=False),
        sa.Column("clip_path", sa.String(length=200), nullable=True),
        sa.Column("clip_seconds", sa.Double(), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('request', 'information', 'cancel')", name=op.f("ck_consult_outbox_kind")
        ),
        sa.CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'failed')", name=op.f("ck_consult_outbox_state")
        ),
        sa.ForeignKeyConstraint(
            ["consult_id"], ["consults.id"], name=op.f("fk_consult_outbox_consult_id_consults")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consult_outbox")),
    )
    with op.batch_alter_table("consult_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consult_outbox_consult_id"), ["consult_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("consult_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consult_outbox_consult_id"))

    op.drop_table("consult_outbox")
    with op.batch_alter_table("consult_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consult_answers_consult_id"))

    op.drop_table("consult_answers")
    with op.batch_alter_table("consults", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consults_patient_id"))
        batch_op.drop_index(batch_op.f("ix_consults_lesion_id"))

    op.drop_table("consults")
    op.drop_table("teleconsult_consents")
