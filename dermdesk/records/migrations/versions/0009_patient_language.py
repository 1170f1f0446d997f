"""Each patient's language of reports, and the Hangul initial consonants (초성) of their name for search.

`patients.report_language` ("en", "ko"; NULL: the clinic's `report_language` setting) chooses the
language of the patient's visit reports and referral letters. `patients.name_initials` holds the 초성 of
the family and given name in both orders ("ㄱㅁㅅ ㅁㅅㄱ" for 김민수), filled when a patient is
registered and here for every existing patient, so typing ㄱㅁㅅ finds them with the search's paging.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def _initials(text: str) -> str:
    """As `dermdesk.i18n.names.initials` does today (copied: a migration must not change with the code)."""
    import unicodedata

    out = [
        _INITIALS[(ord(c) - 0xAC00) // 588]
        for c in unicodedata.normalize("NFC", text)
        if 0xAC00 <= ord(c) <= 0xD7A3
    ]
    return "".join(out)


def upgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("name_initials", sa.String(length=210), nullable=True))
    patients = sa.table(
        "patients",
        sa.column("id", sa.Integer()),
        sa.column("given_name", sa.String()),
        sa.column("family_name", sa.String()),
        sa.column("name_initials", sa.String()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(patients.c.id, patients.c.family_name, patients.c.given_name))
    for patient_id, family, given in rows.fetchall():
        first, second = _initials(family or ""), _initials(given or "")
        if first or second:
            connection.execute(
                patients.update()
                .where(patients.c.id == patient_id)
                .values(name_initials=f"{first}{second} {second}{first}".strip())
            )


def downgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_column("name_initials")
        batch_op.drop_column("report_language")
