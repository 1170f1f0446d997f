"""Bringing a records database to the schema this DermDesk knows, at start-up, without a command line.

Why here and not in an installer step: a station may be updated while another station sharing the
clinic's PostgreSQL server is not, so every station checks the schema whenever it opens the database:
- an empty database is migrated from nothing to the newest revision;
- an older database is upgraded, under a PostgreSQL advisory lock so two stations starting together
  cannot both migrate;
- a database stamped with a revision this DermDesk does not know was written by a newer version, and
  is refused with `DatabaseTooNew` instead of being used half-understood.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, text

from dermdesk.i18n import _
from dermdesk.records.errors import DatabaseTooNew

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 0x44455244  # "DERD": one advisory lock id for every DermDesk station


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations, bound to `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this DermDesk knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError(_("no records migrations are packaged with this DermDesk"))
    return head


def stored_revision(connection: Connection) -> str | None:
    """The revision the database is stamped with; None for a database never migrated."""
    return MigrationContext.configure(connection).get_current_revision()


def is_known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def ensure_schema(engine: Engine) -> str:
    """Migrate the database to the newest revision (refusing newer ones); return that revision."""
    head = head_revision()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        current = stored_revision(connection)
        if current == head:
            return head
        if current is not None and not is_known_revision(current):
            raise DatabaseTooNew(
                _(
                    "This database was written by a newer DermDesk; update this station before using "
                    "it: install the DermDesk release the other rooms run (or `pip install --upgrade "
                    "dermdesk`), then start DermDesk again. Nothing was changed (database schema "
                    "{current}, this DermDesk knows up to {head})."
                ).format(current=current, head=head)
            )
        log.info("Migrating the records database from %s to %s", current or "empty", head)
        command.upgrade(alembic_config(connection), "head")
    return head
