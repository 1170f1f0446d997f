"""Where the records live (SQLite file or the clinic's PostgreSQL) and one transaction per service call.

Why:
- A single station keeps its records in `<data_dir>/dermdesk.sqlite`, opened with WAL (readers never
  block the capture that is writing), synchronous=FULL (a power cut after a commit keeps the commit)
  and foreign keys on (SQLite leaves them off unless asked, per connection).
- Stations of one clinic share a PostgreSQL server named by `DERMDESK_DATABASE_URL`. Losing it must
  not lose a capture: connection failures surface as `DatabaseUnavailable`, which the capture service
  answers by spooling locally. Other database errors (a clash with another station's change, a
  server rule, a full disk) become `RecordsError`s with a message a clinician can act on
  (`db_errors.explain`); their internals go to the log only.
- Every service call runs in `Database.transaction()`: it commits everything or nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from dermdesk.files import PRIVATE_FILE, keep_private, private_dir
from dermdesk.i18n import N_, _
from dermdesk.records import models
from dermdesk.records.audit_chain import REFUSED, anchor_path, seal, sealed_head, write_anchor
from dermdesk.records.db_errors import explain
from dermdesk.records.errors import DatabaseUnavailable, PermissionDenied, RecordsError
from dermdesk.records.schema import ensure_schema, stored_revision

log = logging.getLogger(__name__)

SQLITE_FILE_NAME = "dermdesk.sqlite"
SEALED_REVISION = "0004"  # the migration that sealed the audit trail
CONNECT_TIMEOUT_S = 5
UNREACHABLE = N_(
    "The clinic's records server cannot be reached. Check the network; captures are kept on this "
    "station and filed when the server is back."
)
_SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000")


def resolve_url(database_url: str | None, data_dir: Path) -> URL:
    """The URL to open: the configured PostgreSQL server, else the station's SQLite file."""
    if not database_url:
        return URL.create("sqlite+pysqlite", database=str(data_dir / SQLITE_FILE_NAME))
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise RecordsError(
            _(
                "DERMDESK_DATABASE_URL names a {backend} database; only PostgreSQL is "
                "supported for shared records (leave it unset for this station's own SQLite "
                "file)."
            ).format(backend=url.get_backend_name())
        )
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # the driver DermDesk installs
    return url


def create_records_engine(url: URL) -> Engine:
    """An engine with the station's connection settings (pragmas, timeouts, liveness checks)."""
    if url.get_backend_name() == "sqlite":
        _private_sqlite_file(Path(url.database or ""))
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,  # a server restart leaves dead pooled connections: test before use
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "dermdesk"},
    )


def _private_sqlite_file(path: Path) -> None:
    """The database holds names, notes and password hashes: its folder 0700 and the file 0600 before
    SQLite opens it (SQLite gives its -wal and -shm files the database file's mode), whatever the umask;
    files left more open by an older DermDesk are tightened."""
    if not path.name or path.name == ":memory:":
        return
    private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    for item in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if item.exists():
            keep_private(item)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def is_unreachable(exc: DBAPIError) -> bool:
    """True when the error means 'cannot talk to the server', not 'the server refused the statement'."""
    if exc.connection_invalidated:
        return True
    sqlstate = getattr(exc.orig, "sqlstate", "unknown")
    # psycopg reports client-side connection failures without a SQLSTATE; class 08 is "connection
    # exception", 57P01-03 are administrator shutdown / crash shutdown / cannot connect now.
    return sqlstate is None or str(sqlstate).startswith("08") or sqlstate in {"57P01", "57P02", "57P03"}


class Database:
    """The records database of this station: an engine, its kind, and transactions on it."""

    def __init__(self, engine: Engine, anchor_file: Path | None = None) -> None:
        self.engine = engine
        self.anchor_file = anchor_file  # where the audit chain's head is anchored (audit_chain)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.schema_ready = False  # set once the schema was checked (and migrated) on this connection

    def ensure_schema(self) -> None:
        """Check (and if needed migrate) the schema; `DatabaseUnavailable` while the server is away,
        `DatabaseTooNew` when another station's newer DermDesk upgraded it."""
        sealed_now = _ensure_schema_or_unavailable(self.engine)
        self.schema_ready = True
        if sealed_now and self.anchor_file is not None and not self.anchor_file.exists():
            self.anchor_current_head()  # the upgrade sealed the existing trail: anchor it at once

    def reachable(self) -> bool:
        """True when the server answers now (a cheap probe for the reconnect timer)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(select(1))
        except DBAPIError as exc:
            if self.is_sqlite or not is_unreachable(exc):
                raise explain(exc) from exc
            return False
        except PoolTimeout:
            return False
        return True

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.engine.url.database or "") if self.is_sqlite else None

    @property
    def description(self) -> str:
        """Where the records are, for logs and messages (password hidden)."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error."""
        try:
            with self._sessions.begin() as session:
                yield session
            head = sealed_head(session)
            if head is not None and self.anchor_file is not None:
                write_anchor(self.anchor_file, head)  # after the commit: the anchor never runs ahead
        except PermissionDenied as exc:
            if exc.username is not None:  # the action's work was rolled back; its refusal is kept
                self._audit_refusal(exc.username, exc.attempted or "", exc.english)
            raise
        except DBAPIError as exc:
            if self.is_sqlite or not is_unreachable(exc):
                raise explain(exc) from exc
            log.warning("Records database unreachable: %s", type(exc.orig).__name__)
            raise DatabaseUnavailable(_(UNREACHABLE)) from exc
        except PoolTimeout as exc:  # every pooled connection is stuck on a server that went away
            raise DatabaseUnavailable(_(UNREACHABLE)) from exc
        except (StaleDataError, SQLAlchemyError) as exc:
            raise explain(exc) from exc

    def anchor_current_head(self) -> None:
        """Anchor the trail's newest seal as it stands (after the upgrade that sealed it, or for a
        station that joins a clinic server whose trail it has never anchored)."""
        with self._sessions.begin() as session:
            head = session.scalar(
                select(models.AuditEvent.entry_hash).order_by(models.AuditEvent.id.desc()).limit(1)
            )
        if head is not None and self.anchor_file is not None:
            write_anchor(self.anchor_file, head)

    def _audit_refusal(self, username: str, attempted: str, reason: str) -> None:
        """Audit a refused attempt in its own commit (sealed and anchored like every entry)."""
        with self._sessions.begin() as session:
            row = session.scalar(select(models.User).where(models.User.username == username))
            event = models.AuditEvent(
                at=datetime.now(UTC),
                user_id=row.id if row is not None else None,
                username=username,
                action=REFUSED,
                detail={"attempted": attempted, "reason": reason[:200]},
            )
            seal(session, event)
            session.add(event)
        head = sealed_head(session)
        if head is not None and self.anchor_file is not None:
            write_anchor(self.anchor_file, head)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(database_url: str | None, data_dir: Path, *, allow_unreachable: bool = False) -> Database:
    """Open (and if needed create or migrate) the records database; refuses newer schemas. With
    `allow_unreachable`, a clinic server that cannot be reached now still gives a `Database` (its
    `schema_ready` False): captures spool, and `ensure_schema` is tried again on reconnect."""
    engine = create_records_engine(resolve_url(database_url, data_dir))
    database = Database(engine, anchor_path(_sqlite_file(engine), data_dir))
    try:
        database.ensure_schema()
    except DatabaseUnavailable:
        if not allow_unreachable:
            engine.dispose()
            raise
        log.warning("Records server unreachable at start; this station works offline until it is back")
        return database
    except BaseException:
        engine.dispose()
        raise
    log.info("Records database ready: %s", database.description)
    return database


def _sqlite_file(engine: Engine) -> Path | None:
    name = engine.url.database if engine.dialect.name == "sqlite" else None
    return Path(name) if name and name != ":memory:" else None


def _ensure_schema_or_unavailable(engine: Engine) -> bool:
    """Migrate; True when this upgrade is the one that sealed an existing audit trail."""
    try:
        with engine.connect() as connection:
            before = stored_revision(connection)
        ensure_schema(engine)
        return before is not None and before < SEALED_REVISION
    except DBAPIError as exc:
        if engine.dialect.name == "sqlite" or not is_unreachable(exc):
            raise
        raise DatabaseUnavailable(
            _("The clinic's records server cannot be reached; check the network and that the server runs.")
        ) from exc
