"""DICOM UIDs: a study per visit, series per lesion and light (and for reports and model results), and
an instance UID per exported still, signed report and prediction, assigned once and kept.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dicom_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("study_uid", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_dicom_studies_visit_id_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dicom_studies")),
        sa.UniqueConstraint("study_uid", name=op.f("uq_dicom_studies_study_uid")),
        sa.UniqueConstraint("visit_id", name=op.f("uq_dicom_studies_visit_id")),
    )
    op.create_table(
        "dicom_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("lesion_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.String(length=40), nullable=False),
        sa.Column("series_uid", sa.String(length=64), nullable=False),
        sa.Column("series_number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lesion_id"], ["lesions.id"], name=op.f("fk_dicom_series_lesion_id_lesions")
        ),
        sa.ForeignKeyConstraint(
            ["study_id"], ["dicom_studies.id"], name=op.f("fk_dicom_series_study_id_dicom_studies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dicom_series")),
        sa.UniqueConstraint("series_uid", name=op.f("uq_dicom_series_series_uid")),
        sa.UniqueConstraint(
            "study_id", "lesion_id", "content", name=op.f("uq_dicom_series_study_id_lesion_id_content")
        ),
    )
    with op.batch_alter_table("dicom_series", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dicom_series_study_id"), ["study_id"], unique=False)
    op.create_table(
        "dicom_instances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("prediction_id", sa.Integer(), nullable=True),
        sa.Column("sop_class_uid", sa.String(length=64), nullable=False),
        sa.Column("sop_instance_uid", sa.String(length=64), nullable=False),
        sa.Column("instance_number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN image_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN report_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN prediction_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_dicom_instances_one_object"),
        ),
        sa.ForeignKeyConstraint(["image_id"], ["images.id"], name=op.f("fk_dicom_instances_image_id_images")),
        sa.ForeignKeyConstraint(
            ["prediction_id"], ["predictions.id"], name=op.f("fk_dicom_instances_prediction_id_predictions")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_dicom_instances_report_id_reports")
        ),
        sa.ForeignKeyConstraint(
            ["series_id"], ["dicom_series.id"], name=op.f("fk_dicom_instances_series_id_dicom_series")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dicom_instances")),
        sa.UniqueConstraint("image_id", name=op.f("uq_dicom_instances_image_id")),
        sa.UniqueConstraint("prediction_id", name=op.f("uq_dicom_instances_prediction_id")),
        sa.UniqueConstraint("report_id", name=op.f("uq_dicom_instances_report_id")),
        sa.UniqueConstraint("sop_instance_uid", name=op.f("uq_dicom_instances_sop_instance_uid")),
    )
    with op.batch_alter_table("dicom_instances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dicom_instances_series_id"), ["series_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dicom_instances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dicom_instances_series_id"))
    op.drop_table("dicom_instances")
    with op.batch_alter_table("dicom_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dicom_series_study_id"))
    op.drop_table("dicom_series")
    op.drop_table("dicom_studies")
