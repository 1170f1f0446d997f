"""Row versions on the records people change, and diagnosis amendments (several rooms, one server).

`row_version` on patients, lesions and diagnoses lets SQLAlchemy refuse an UPDATE whose row another
station changed meanwhile (optimistic concurrency); existing rows start at 1. `diagnoses.amends_id`
names the signed final diagnosis a later, different one replaces, so the first stays readable.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_VERSIONED = ("patients", "lesions", "diagnoses")


def upgrade() -> None:
    for table in _VERSIONED:
        op.add_column(table, sa.Column("row_version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("diagnoses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amends_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_diagnoses_amends_id_diagnoses", "diagnoses", ["amends_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("diagnoses", schema=None) as batch_op:
        batch_op.drop_constraint("fk_diagnoses_amends_id_diagnoses", type_="foreignkey")
        batch_op.drop_column("amends_id")
    for table in _VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("row_version")
