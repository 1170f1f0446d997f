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
    "upload_removals",
    "dicom_studies",
    "dicom_series",
    "dicom_instances",
    "teleconsult_consents",
    "consults",
    "consult_outbox",
    "consult_answers",
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


def test_an_existing_audit_log_is_sealed_by_the_upgrade(settings: DermDeskSettings) -> None:
    """A database written before the sealed trail (revision 0002) with audit entries: the upgrade seals
    them in order and the chain verifies; the append-only trigger is back afterwards."""
    from alembic import command

    from dermdesk.records.database import create_records_engine, resolve_url
    from dermdesk.records.schema import alembic_config

    engine = create_records_engine(resolve_url(settings.database_url, settings.data_dir))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0002")
        for n in range(3):
            connection.execute(
                text(
                    "INSERT INTO audit_events (at, username, action, detail) "
                    "VALUES (:at, 'sam', 'view patient', :detail)"
                ),
                {"at": f"2026-01-0{n + 1} 09:00:00", "detail": f'{{"n": {n}}}'},
            )
    engine.dispose()
    with Records.open(settings) as records:
        report = records.audit.verify()
        assert report.entries == 3 and report.intact, report.problems
        with pytest.raises(DBAPIError), records.database.engine.begin() as connection:
            connection.execute(text("UPDATE audit_events SET username = 'eve'"))
