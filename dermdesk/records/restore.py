"""`restore`: a backup into an empty data folder, every file checked against the manifest first.

Why so strict:
- Only into an empty database and image store: merging a backup into live records would mix two
  histories and silently renumber rows; a station that needs its backup is a new or emptied one.
- Every checksum is verified before anything is written, so a damaged backup is refused whole
  instead of restored in part.
- The restorer proves they are an administrator of the backed-up records (user name and password of
  an admin account in the backup), because a restore hands over every patient's data.
- The rows go in as one transaction; the images are stored first, so a failure leaves at most
  unreferenced image files, which the integrity check moves aside.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError

from dermdesk.files import write_atomic
from dermdesk.i18n import N_, _
from dermdesk.records import models, passwords
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.audit_chain import GENESIS, read_anchor
from dermdesk.records.backup import BACKUP_FORMAT, FORMAT_VERSION, IMAGES_DIR, MANIFEST
from dermdesk.records.database import SQLITE_FILE_NAME, Database, create_records_engine, resolve_url
from dermdesk.records.errors import DatabaseTooNew, RestoreError
from dermdesk.records.image_store import ImageStore, sha256_file
from dermdesk.records.schema import ensure_schema, head_revision, is_known_revision
from dermdesk.records.table_rows import Rows, count_rows, from_json, insert_rows, read_rows
from dermdesk.records.vocabulary import Role

log = logging.getLogger(__name__)

NEEDS_ADMIN = N_("Restoring needs the user name and password of an administrator account in the backup.")


@dataclass(frozen=True)
class RestoreResult:
    counts: dict[str, int]
    images: int
    restored_by: str


def restore(
    database: Database, store: ImageStore, source: Path, username: str, password: str, now: datetime
) -> RestoreResult:
    """Restore the backup at `source` into this (empty) station or raise RestoreError."""
    manifest = read_manifest(source)
    verify_backup(source, manifest)
    rows = _load_rows(source, manifest)
    _check_audit_anchor(source, manifest, rows)
    _check_empty(database, store)
    admin_id = _authenticate(rows, username, password)
    for relative, sha256 in manifest["images"].items():
        stored = store.put((source / IMAGES_DIR / relative).read_bytes())
        if stored.sha256 != sha256 or stored.relative_path != relative:
            raise RestoreError(
                _("The backup's image {relative} is not stored under its checksum; it is damaged.").format(
                    relative=relative
                )
            )
    for relative in manifest.get("reports", {}):
        target = store.root / relative
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, (source / relative).read_bytes())
    with database.transaction() as session:
        insert_rows(session, rows)
        restored = count_rows(session)
        expected = {name: int(n) for name, n in manifest["counts"].items()}
        if any(restored.get(name, 0) != n for name, n in expected.items()):
            raise RestoreError(
                _("The restored row counts differ from the backup's manifest; nothing was restored.")
            )
        admin = session.get(models.User, admin_id)
        record_event(
            session,
            AuditAction.RESTORE,
            now,
            user=admin,
            object_type="database",
            detail={"source": str(source), "backup_created_at": manifest.get("created_at")},
        )
    log.info(
        "Restored %s rows and %d images from %s", sum(expected.values()), len(manifest["images"]), source
    )
    return RestoreResult(expected, len(manifest["images"]), username)


def _check_audit_anchor(source: Path, manifest: dict[str, Any], rows: Rows) -> None:
    """The backup's anchored audit head must be in its audit trail (backups before the sealed trail
    have no anchor and are restored as they are)."""
    anchored = manifest.get("audit_anchor")
    if not anchored:
        return
    anchor = read_anchor(source / anchored["file"])
    seals = {row.get("entry_hash") for row in rows.get("audit_events", [])}
    if anchor is None or (anchor.head != GENESIS and anchor.head not in seals):
        raise RestoreError(
            _(
                "The backup's audit trail does not contain the head recorded in its anchor: it "
                "was rewritten after the backup was made. Nothing was restored."
            )
        )


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST
    if not path.is_file():
        raise RestoreError(
            _("{source} is not a DermDesk backup (it has no {MANIFEST}).").format(
                source=source, MANIFEST=MANIFEST
            )
        )
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RestoreError(
            _("The backup's {MANIFEST} cannot be read: {exc}.").format(MANIFEST=MANIFEST, exc=exc)
        ) from exc
    if manifest.get("format") != BACKUP_FORMAT:
        raise RestoreError(_("{source} is not a DermDesk backup.").format(source=source))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreError(
            _("This backup was written by a newer DermDesk; update this station to restore it.")
        )
    return manifest


def verify_backup(source: Path, manifest: dict[str, Any]) -> None:
    """Check the database file and every image against the manifest's sha256s."""
    database = manifest["database"]
    _verify_file(source / database["file"], database["sha256"])
    if manifest.get("audit_anchor"):
        _verify_file(source / manifest["audit_anchor"]["file"], manifest["audit_anchor"]["sha256"])
    for relative, sha256 in manifest["images"].items():
        _verify_file(source / IMAGES_DIR / relative, sha256)
    for relative, sha256 in manifest.get("reports", {}).items():  # backups before reports have none
        _verify_file(source / relative, sha256)


def _verify_file(path: Path, sha256: str) -> None:
    if not path.is_file():
        raise RestoreError(
            _("The backup is incomplete: {path} is missing. Nothing was restored.").format(path=path)
        )
    if sha256_file(path) != sha256:
        raise RestoreError(
            _("The backup is damaged: {path} does not match its checksum. Nothing was restored.").format(
                path=path
            )
        )


def _load_rows(source: Path, manifest: dict[str, Any]) -> Rows:
    database = manifest["database"]
    revision = manifest.get("schema_revision")
    if revision and not is_known_revision(revision):
        raise RestoreError(
            _("This backup was written by a newer DermDesk; update this station to restore it.")
        )
    if database["kind"] == "sqlite":
        return _rows_from_sqlite(source / database["file"])
    if revision != head_revision():
        raise RestoreError(
            _(
                "This backup uses the older records schema {revision}; restore it with the "
                "DermDesk version that wrote it, then update that station."
            ).format(revision=revision)
        )
    data = json.loads((source / database["file"]).read_text(encoding="utf-8"))
    return from_json(data["tables"])


def _rows_from_sqlite(snapshot: Path) -> Rows:
    """Rows of a SQLite snapshot, upgraded to this DermDesk's schema on a temporary copy."""
    with tempfile.TemporaryDirectory(prefix="dermdesk-restore-") as folder:
        copy = Path(folder) / SQLITE_FILE_NAME
        shutil.copyfile(snapshot, copy)  # never touch the backup itself (it may be read-only media)
        engine = create_records_engine(resolve_url(None, Path(folder)))
        try:
            ensure_schema(engine)
            with engine.connect() as connection:
                return read_rows(connection)
        except DatabaseTooNew as exc:
            raise RestoreError(str(exc)) from exc
        except (DBAPIError, sqlite3.Error) as exc:
            raise RestoreError(_("The backup's database cannot be read: {exc}.").format(exc=exc)) from exc
        finally:
            engine.dispose()


def _check_empty(database: Database, store: ImageStore) -> None:
    with database.transaction() as session:
        filled = {name: n for name, n in count_rows(session).items() if n}
    if filled or next(store.files(), None) is not None:
        raise RestoreError(
            _(
                "This station already holds records; restore only into an empty data folder (a "
                "new station, or move the current data folder aside first)."
            )
        )


def _authenticate(rows: Rows, username: str, password: str) -> int:
    name = username.strip().lower()
    for user in rows.get("users", []):
        if user["username"] == name:
            if (
                user["role"] == Role.ADMIN.value
                and user["active"]
                and passwords.verify_password(user["password_hash"], password)
            ):
                return int(user["id"])
            break
    else:
        passwords.burn_time(password)
    raise RestoreError(_(NEEDS_ADMIN))
