"""The database schema: migrations from empty, ORM == migrated schema, newer databases refused."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from dermdesk.records import DatabaseTooNew, Records
from dermdesk.records.base import Base
from dermdesk.records.database import open_database
from dermdesk.records.schema import head_revision, stored_revision
from dermdesk.settings import DermDeskSettings

TABLES = {
    "users",
    "patients",
    "visits",
    "lesions",
    "images",
    "predictions",
    "diagnoses",
    "referrals",
    "reports",
    "audit_events",
    "upload_outbox",
    "dicom_studies",
    "dicom_series",
    "dicom_instances",
}


def test_migration_from_empty_creates_every_table_and_stamps_the_head(records: Records) -> None:
    names = set(inspect(records.database.engine).get_table_names())
    assert TABLES | {"alembic_version"} == names
    with records.database.engine.connect() as connection:
        assert stored_revision(connection) == head_revision()


def test_orm_metadata_matches_the_migrated_schema(records: Records) -> None:
    with records.database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_opening_again_is_a_no_op(records: Records, settings: DermDeskSettings) -> None:
    again = open_database(settings.database_url, settings.data_dir)
    with again.engine.connect() as connection:
        assert stored_revision(connection) == head_revision()
    again.dispose()


def test_a_database_from_a_newer_dermdesk_is_refused(records: Records, settings: DermDeskSettings) -> None:
    with records.database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    records.close()
    with pytest.raises(DatabaseTooNew, match="written by a newer DermDesk; update this station"):
        Records.open(settings)


def test_the_audit_log_is_append_only(records: Records, team: object) -> None:
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), records.database.engine.begin() as connection:
            connection.execute(text(statement))
    with records.database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_events")).scalar_one() > 0


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(records: Records) -> None:
    with records.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert records.database.sqlite_path is not None
    assert records.database.sqlite_path.name == "dermdesk.sqlite"
