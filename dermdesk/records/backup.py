"""`backup`: a consistent snapshot of the records and their images, with a manifest of checksums.

Why this shape:
- Consistent: SQLite is copied with its online backup API (a transaction-consistent copy while the
  station keeps working); PostgreSQL rows are read in one REPEATABLE READ transaction and written as
  JSON (no `pg_dump` of a matching version needed). The images copied are exactly those the snapshot
  refers to, each verified against its checksum on the way, and so are the signed reports' PDFs
  (`reports/` in the store and in the backup).
- Nothing half-written: everything goes to a hidden `.NAME.partial-*` folder beside the destination,
  renamed into place only when complete. A full disk or a read-only target gives a clear error and
  the partial folder is removed.
- The backup itself is an export of every patient's data, so it is audited before it is taken (and
  the entry is part of the backup). It carries the audit chain's anchor (`AUDIT_ANCHOR`, the newest
  seal in the snapshot): a trail rewritten on the backup media no longer contains it, and restore
  refuses it.
- Private: the backup folder is created 0700 whatever the umask.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from dermdesk.files import fsync_dir, keep_private, write_atomic
from dermdesk.i18n import _
from dermdesk.records.access import Permission, acting_user
from dermdesk.records.audit import AuditAction, record_event
from dermdesk.records.audit_chain import GENESIS, Anchor
from dermdesk.records.database import Database
from dermdesk.records.errors import BackupError
from dermdesk.records.image_store import ImageStore, explain_os_error, sha256_bytes, sha256_file
from dermdesk.records.reports import report_relative_path
from dermdesk.records.schema import stored_revision
from dermdesk.records.table_rows import read_rows, to_json
from dermdesk.records.views import UserInfo

log = logging.getLogger(__name__)

BACKUP_FORMAT = "dermdesk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_SNAPSHOT = "dermdesk.sqlite"
ROWS_JSON = "rows.json"
IMAGES_DIR = "images"
AUDIT_ANCHOR = "audit-anchor.json"


@dataclass(frozen=True)
class BackupResult:
    destination: Path
    counts: dict[str, int]
    images: int
    missing_images: list[str] = field(default_factory=list)


def write_backup_file(path: Path, data: bytes) -> None:
    """Write one backup file, making its folder (a seam the tests use to simulate a full disk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)


def backup(
    database: Database, store: ImageStore, user: UserInfo, destination: Path, now: datetime
) -> BackupResult:
    """Write a complete backup to `destination` (new or empty folder) or raise BackupError."""
    destination = Path(destination).absolute()
    with database.transaction() as session:
        actor = acting_user(session, user, Permission.BACKUP, now)
        _check_destination(destination)
        record_event(
            session,
            AuditAction.EXPORT,
            now,
            user=actor,
            object_type="database",
            detail={"kind": "backup", "destination": str(destination)},
        )
    staging = destination.parent / f".{destination.name}.partial-{secrets.token_hex(4)}"
    try:
        staging.mkdir(mode=0o700)  # a backup is every patient's data: the user's only, whatever the umask
        keep_private(staging, 0o700)
    except OSError as exc:
        raise BackupError(
            explain_os_error(exc, _("make the backup"), destination.parent) + " " + _("Nothing was written.")
        ) from exc
    try:
        manifest = _write_snapshot(database, staging, now)
        missing = _copy_images(store, manifest["images"], staging / IMAGES_DIR)
        missing += _copy_reports(store, manifest["reports"], staging)
        manifest["missing_images"] = missing
        write_backup_file(staging / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8"))
        _publish(staging, destination)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            _("{value} Nothing was left at the destination.").format(value=_explain(exc, destination))
        ) from exc
    finally:
        _remove_staging(staging)
    log.info("Backup written to %s (%d images)", destination, len(manifest["images"]))
    return BackupResult(destination, manifest["counts"], len(manifest["images"]), missing)


def _check_destination(destination: Path) -> None:
    if not destination.parent.is_dir():
        raise BackupError(
            _("The folder {parent} does not exist (is the backup drive connected?).").format(
                parent=destination.parent
            )
        )
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(
            _("{destination} already holds files; choose a new or empty folder for the backup.").format(
                destination=destination
            )
        )


def _write_snapshot(database: Database, staging: Path, now: datetime) -> dict[str, Any]:
    """The database part of the backup; returns the manifest so far (revision, counts, images)."""
    if database.is_sqlite:
        target = staging / SQLITE_SNAPSHOT
        revision, rows = _sqlite_snapshot(database, target)
        kind, file_name = "sqlite", SQLITE_SNAPSHOT
    else:
        with database.engine.connect() as plain:
            connection = plain.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                revision, rows = stored_revision(connection), read_rows(connection)
        write_backup_file(
            staging / ROWS_JSON, json.dumps({"schema_revision": revision, "tables": to_json(rows)}).encode()
        )
        kind, file_name = "rows-json", ROWS_JSON
    audit = rows.get("audit_events", [])
    head = str(audit[-1]["entry_hash"]) if audit and audit[-1].get("entry_hash") else GENESIS
    write_backup_file(staging / AUDIT_ANCHOR, Anchor(head=head, written_at=now).model_dump_json().encode())
    images = {row["relative_path"]: row["sha256"] for row in rows["images"]}
    reports = {
        report_relative_path(row["file_sha256"]): row["file_sha256"] for row in rows.get("reports", [])
    }
    return {
        "format": BACKUP_FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": now.isoformat(),
        "schema_revision": revision,
        "database": {"kind": kind, "file": file_name, "sha256": sha256_file(staging / file_name)},
        "audit_anchor": {"file": AUDIT_ANCHOR, "sha256": sha256_file(staging / AUDIT_ANCHOR)},
        "counts": {name: len(table_rows) for name, table_rows in rows.items()},
        "images": dict(sorted(images.items())),
        "reports": dict(sorted(reports.items())),  # signed report PDFs, kept under reports/ as in the store
    }


def _sqlite_snapshot(database: Database, target: Path) -> tuple[str | None, dict[str, list[dict[str, Any]]]]:
    """Copy the live SQLite database with the online backup API; read the copy back."""
    from dermdesk.records.database import create_records_engine, resolve_url

    with database.engine.connect() as connection:
        source = connection.connection.driver_connection
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # type: ignore[union-attr]
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
    if check != "ok":
        raise sqlite3.DatabaseError(
            _("the snapshot failed its integrity check ({check})").format(check=check)
        )
    engine = create_records_engine(resolve_url(None, target.parent))
    try:
        with engine.connect() as reader:
            result = stored_revision(reader), read_rows(reader)
    finally:
        engine.dispose()
    for suffix in ("-wal", "-shm"):  # the reader may have left these; the snapshot is the main file
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return result


def _copy_images(store: ImageStore, images: dict[str, str], target: Path) -> list[str]:
    """Copy each referenced image, verified; returns the paths that are missing or damaged."""
    missing: list[str] = []
    for relative, sha256 in images.items():
        source = store.path(relative)
        if not source.is_file():
            missing.append(relative)
            continue
        data = source.read_bytes()
        if sha256_bytes(data) != sha256:
            missing.append(relative)
            log.error("Backup: image %s does not match its checksum; not copied", relative)
            continue
        write_backup_file(target / relative, data)
    if missing:
        log.error("Backup: %d image file(s) missing or damaged in the store", len(missing))
    return missing


def _copy_reports(store: ImageStore, reports: dict[str, str], staging: Path) -> list[str]:
    """Copy each signed report's PDF, verified; returns the paths that are missing or damaged."""
    missing: list[str] = []
    for relative, sha256 in reports.items():
        source = store.root / relative
        data = source.read_bytes() if source.is_file() else b""
        if sha256_bytes(data) != sha256:
            missing.append(relative)
            log.error("Backup: signed report %s is missing or damaged; not copied", relative)
            continue
        write_backup_file(staging / relative, data)
    return missing


def _publish(staging: Path, destination: Path) -> None:
    if destination.exists():
        destination.rmdir()  # checked empty before
    os.replace(staging, destination)
    fsync_dir(destination.parent)


def _explain(exc: OSError | sqlite3.Error, destination: Path) -> str:
    if isinstance(exc, OSError):
        return explain_os_error(exc, _("write the backup"), destination)
    if "full" in str(exc).lower():  # SQLite's own "database or disk is full"
        return f"Could not write the backup: the disk holding {destination} is full."
    return f"Could not write the backup to {destination}: {exc}."


def _remove_staging(staging: Path) -> None:
    """Remove the unfinished folder; if even that fails (the drive vanished), say where it is."""
    if not staging.exists():
        return
    try:
        shutil.rmtree(staging)
    except OSError as exc:
        log.error("Could not remove the unfinished backup folder %s: %s", staging, exc)
