"""The central service's database (SQLAlchemy Core; SQLite by default, PostgreSQL by URL) and its
content-addressed image folder.

Only what a clinic sent is stored: pseudonyms, binned age, vocabulary values, numbers and the bare PNG.
Device tokens are stored as sha256 digests, so a copy of the database does not let anyone upload.

Nothing done per upload reads more than a bounded number of rows: the retraining count reads at most
`retrain_threshold` entries of a partial index of the labelled cases no model has used yet, however many
cases are stored. SQLite runs in WAL mode with a busy timeout (readers never wait for the writer; a
writer waits up to 5 s for another before the API answers 503); PostgreSQL is the production database.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from dermdesk.files import write_atomic

metadata = MetaData()

devices = Table(
    "devices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), unique=True, nullable=False),
    Column("token_sha256", String(64), unique=True, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("device_id", ForeignKey("devices.id"), nullable=False),
    Column("idempotency_key", String(100), nullable=False),
    Column("body_sha256", String(64), nullable=False),
    Column("image_sha256", String(64), nullable=False, index=True),
    Column("metadata", JSON, nullable=False),
    Column("labelled", Boolean, nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("used_by_model", String(80)),  # the first candidate version trained with this case
    UniqueConstraint("device_id", "idempotency_key"),
)

# the labelled cases no retraining has used yet, in arrival order: what the retraining count reads
unused_labelled = Index(
    "ix_cases_unused_labelled",
    cases.c.id,
    sqlite_where=cases.c.labelled & cases.c.used_by_model.is_(None),
    postgresql_where=cases.c.labelled & cases.c.used_by_model.is_(None),
)

published = Table(
    "models",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False),
    Column("version", String(40), nullable=False),
    Column("folder", String(200), nullable=False),
    Column("manifest_sha256", String(64), nullable=False),
    Column("published_at", DateTime, nullable=False),
    Column("metrics", JSON, nullable=False),
    UniqueConstraint("name", "version"),
)


class IdempotencyConflictError(ValueError):
    """The idempotency key was used before for a different payload."""


@dataclass(frozen=True)
class Receipt:
    case_id: str
    replayed: bool
    number: int = 0  # the case's row id (what the retraining count and its check interval go by)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


SQLITE_BUSY_MS = 5000  # how long a writer waits for another before "database is locked" (then 503)


def open_engine(url: str, *, pool_size: int = 10) -> Engine:
    """The database, its tables and indexes created where missing (an older database gains them)."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite left alone would commit at the release of a first SAVEPOINT, before the picture is written
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    else:  # PostgreSQL: a pool per API worker; a dropped server connection is noticed before use
        engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    metadata.create_all(engine)
    unused_labelled.create(engine, checkfirst=True)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    connection.isolation_level = None  # SQLAlchemy emits BEGIN (below): SAVEPOINTs nest as they should
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer, nor it them
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; WAL keeps it consistent
    cursor.close()


def add_device(engine: Engine, name: str) -> str:
    """Register a device; return its token (shown once: only its digest is kept)."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            insert(devices).values(name=name, token_sha256=_digest(token), active=True, created_at=utcnow())
        )
    return token


def device_for_token(engine: Engine, token: str) -> int | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(devices.c.id).where(devices.c.token_sha256 == _digest(token), devices.c.active)
        ).first()
    return None if row is None else int(row.id)


def put_image(images_dir: Path, png: bytes, digest: str | None = None) -> str:
    """Store the PNG under its sha256 (written atomically, once); return the digest. `digest` when the
    caller has already checked it (an upload's image_sha256), so the picture is not hashed twice."""
    digest = digest or hashlib.sha256(png).hexdigest()
    path = image_path(images_dir, digest)
    if path.is_file():
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, png, mode=0o600)
    return digest


def image_path(images_dir: Path, digest: str) -> Path:
    return images_dir / digest[:2] / f"{digest}.png"


def record_case(
    engine: Engine,
    device_id: int,
    key: str,
    body_sha256: str,
    meta: dict[str, Any],
    store_picture: Callable[[], object] | None = None,
) -> Receipt:
    """Store the case once per (device, key); the same key with another body is a conflict.

    `store_picture` runs after the database has accepted the new row and before it commits: a replay or a
    conflict never writes a picture, and a picture that cannot be written rolls the case back. (A commit
    that fails after the picture was written leaves a picture no case refers to: `sweep_pictures`.)
    One pooled connection does all of it: each checkout costs a liveness ping, and at a hundred uploads a
    second those round trips were a large part of the API's work."""
    with engine.connect() as conn:
        found = _existing(conn, device_id, key)  # a replay (the station did not hear the answer)
        conn.commit()  # ends the read: the insert below takes SQLite's write lock, waiting if busy
        if found is not None:
            return _replay(found, body_sha256)
        try:
            with conn.begin():
                result = conn.execute(
                    insert(cases).values(
                        device_id=device_id,
                        idempotency_key=key,
                        body_sha256=body_sha256,
                        image_sha256=meta["image_sha256"],
                        metadata=meta,
                        labelled=meta.get("diagnosis") is not None,
                        received_at=utcnow(),
                    )
                )
                new_key = result.inserted_primary_key
                if new_key is None:  # pragma: no cover - every supported database returns the new id
                    raise RuntimeError("the database did not return the new case's id")
                case_id = int(new_key[0])
                if store_picture is not None:
                    store_picture()
        except IntegrityError:  # the same key arrived twice at once; the other one won (rolled back)
            found = _existing(conn, device_id, key)
            conn.rollback()
            if found is None:
                raise
            return _replay(found, body_sha256)
    return Receipt(case_name(case_id), replayed=False, number=case_id)


def _existing(conn: Any, device_id: int, key: str) -> Any:
    return conn.execute(
        select(cases.c.id, cases.c.body_sha256).where(
            cases.c.device_id == device_id, cases.c.idempotency_key == key
        )
    ).first()


def _replay(row: Any, body_sha256: str) -> Receipt:
    if row.body_sha256 != body_sha256:
        raise IdempotencyConflictError(
            "this Idempotency-Key was already used for a different case; a case must not change after upload"
        )
    return Receipt(case_name(int(row.id)), replayed=True, number=int(row.id))


def case_name(case_id: int) -> str:
    return f"DDC_{case_id:07d}"


def new_labelled_cases(engine: Engine, *, after: int = 0, at_most: int | None = None) -> int:
    """Labelled cases no retraining has used yet (with an id above `after`), counted up to `at_most`:
    what the retraining threshold counts. With `at_most` it reads at most that many index entries."""
    unused = (
        select(cases.c.id)
        .where(cases.c.labelled, cases.c.used_by_model.is_(None), cases.c.id > after)
        .order_by(cases.c.id)
    )
    if at_most is not None:
        unused = unused.limit(at_most)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(unused.subquery())).scalar_one()
    return int(count)


def last_case_id(engine: Engine) -> int:
    """The newest case's id (0 when none): a retraining takes the cases up to it."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(cases.c.id), 0))).scalar_one())


def unused_labelled_ids(engine: Engine, up_to: int) -> list[int]:
    """The labelled cases no retraining has used yet, up to case `up_to`."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(cases.c.id)
            .where(cases.c.labelled, cases.c.used_by_model.is_(None), cases.c.id <= up_to)
            .order_by(cases.c.id)
        )
        return [int(row.id) for row in rows]


def all_cases(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(cases).order_by(cases.c.id)).mappings().all()
    return [dict(row) for row in rows]


def latest_model(engine: Engine) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(select(published).order_by(published.c.id.desc()).limit(1)).mappings().first()
    return None if row is None else dict(row)


def published_model(engine: Engine, name: str, version: str) -> dict[str, Any] | None:
    """The published model of that name and version; None for anything never published."""
    with engine.connect() as conn:
        row = (
            conn.execute(select(published).where(published.c.name == name, published.c.version == version))
            .mappings()
            .first()
        )
    return None if row is None else dict(row)


def image_in_use(engine: Engine, digest: str) -> bool:
    """Whether any received case refers to the picture with this sha256."""
    with engine.connect() as conn:
        return (
            conn.execute(select(cases.c.id).where(cases.c.image_sha256 == digest).limit(1)).first()
            is not None
        )


def sweep_pictures(engine: Engine, images_dir: Path, *, older_than_s: float = 3600) -> int:
    """Remove stored pictures no case refers to (a commit that failed after its picture was written),
    leaving those younger than `older_than_s`: their case may still be committing. Return how many."""
    if not images_dir.is_dir():
        return 0
    cutoff = time.time() - older_than_s
    removed = 0
    for path in images_dir.glob("??/*.png"):
        try:
            if path.stat().st_mtime > cutoff or image_in_use(engine, path.stem):
                continue
        except FileNotFoundError:
            continue
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def publish_model(
    engine: Engine, name: str, version: str, folder: str, manifest_sha256: str, metrics: dict[str, Any]
) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(published).values(
                name=name,
                version=version,
                folder=folder,
                manifest_sha256=manifest_sha256,
                published_at=utcnow(),
                metrics=json.loads(json.dumps(metrics)),
            )
        )


def mark_used(engine: Engine, case_ids: list[int], version: str) -> None:
    with engine.begin() as conn:
        conn.execute(cases.update().where(cases.c.id.in_(case_ids)).values(used_by_model=version))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
