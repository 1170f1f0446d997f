"""The central service's database (SQLAlchemy Core; SQLite by default, PostgreSQL by URL) and its
content-addressed image folder.

Only what a clinic sent is stored: pseudonyms, binned age, vocabulary values, numbers and the bare PNG.
Device tokens are stored as sha256 digests, so a copy of the database does not let anyone upload.
"""

from __future__ import annotations

import hashlib
import json
import secrets
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
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    func,
    insert,
    select,
)
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


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def open_engine(url: str) -> Engine:
    engine = create_engine(url)
    metadata.create_all(engine)
    return engine


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


def put_image(images_dir: Path, png: bytes) -> str:
    """Store the PNG under its sha256 (written atomically, once); return the digest."""
    digest = hashlib.sha256(png).hexdigest()
    path = image_path(images_dir, digest)
    if path.is_file():
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, png, mode=0o600)
    return digest


def image_path(images_dir: Path, digest: str) -> Path:
    return images_dir / digest[:2] / f"{digest}.png"


def record_case(engine: Engine, device_id: int, key: str, body_sha256: str, meta: dict[str, Any]) -> Receipt:
    """Store the case once per (device, key); the same key with another body is a conflict."""
    with engine.begin() as conn:
        found = _existing(conn, device_id, key)
        if found is not None:
            return _replay(found, body_sha256)
        try:
            with conn.begin_nested():
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
        except IntegrityError:  # the same key arrived twice at once; the other one won
            found = _existing(conn, device_id, key)
            if found is None:
                raise
            return _replay(found, body_sha256)
        new_key = result.inserted_primary_key
        if new_key is None:  # pragma: no cover - every supported database returns the new id
            raise RuntimeError("the database did not return the new case's id")
        case_id = int(new_key[0])
    return Receipt(case_name(case_id), replayed=False)


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
    return Receipt(case_name(int(row.id)), replayed=True)


def case_name(case_id: int) -> str:
    return f"DDC_{case_id:07d}"


def new_labelled_cases(engine: Engine) -> int:
    """Labelled cases no retraining has used yet: what the retraining threshold counts."""
    with engine.connect() as conn:
        count = conn.execute(
            select(func.count()).select_from(cases).where(cases.c.labelled, cases.c.used_by_model.is_(None))
        ).scalar_one()
    return int(count)


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


def forget_image(engine: Engine, images_dir: Path, digest: str) -> None:
    """Remove a stored picture no case refers to (a case refused after its picture was written)."""
    if not image_in_use(engine, digest):
        image_path(images_dir, digest).unlink(missing_ok=True)


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
