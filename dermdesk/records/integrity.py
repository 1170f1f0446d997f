"""The start-up integrity check: do the image rows and the image files still agree?

Why it never deletes anything:
- A file without a row is what a crash between "file written" and "committed" leaves. It is moved to
  `orphans/` (out of the way, still there for a person to look at) and reported.
- A row without a file means evidence is missing (a restored backup without its images, a share that
  lost files). The row is reported, with its patient record number and lesion, and kept: deleting it
  would hide the loss.
- Files younger than `grace` are left alone: on a shared image folder another station may be between
  writing a file and committing its row right now.
With `verify_hashes=True` each file is also re-hashed and a mismatch reported as damaged. Re-hashing
every picture at each start would make start-up grow with the archive, so `recheck_portion` re-hashes
a portion at a time (a bounded number of pictures and bytes), continuing where the last portion stopped
(a cursor file in the store): start-up runs one portion, and the station runs further portions in the
background while it is idle.
The log names image ids only; record numbers appear in what staff read (`lines()`), never in the log.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from dermdesk.files import write_text_atomic
from dermdesk.records import models
from dermdesk.records.database import Database
from dermdesk.records.image_store import ImageStore

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(minutes=10)
CURSOR_FILE = ".hash-recheck"


@dataclass(frozen=True)
class ImageProblem:
    """An image row whose file is missing or damaged."""

    image_id: int
    record_number: str
    lesion_label: str
    relative_path: str


@dataclass
class IntegrityReport:
    rows_checked: int = 0
    files_checked: int = 0
    orphans_moved: dict[str, Path] = field(default_factory=dict)  # relative path -> where it went
    recent_unreferenced: list[str] = field(default_factory=list)
    missing_files: list[ImageProblem] = field(default_factory=list)
    damaged_files: list[ImageProblem] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        """True when every row has its file and no file was left without a row."""
        return not (self.orphans_moved or self.missing_files or self.damaged_files)

    def lines(self) -> list[str]:
        """One sentence per finding, for staff and IT (record numbers, never names)."""
        out = [f"Unfiled picture {rel} moved to {dest}." for rel, dest in self.orphans_moved.items()]
        out += [
            f"Image {p.image_id} of {p.record_number} lesion {p.lesion_label} has no file "
            f"({p.relative_path}); the row is kept."
            for p in self.missing_files
        ]
        out += [
            f"Image {p.image_id} of {p.record_number} lesion {p.lesion_label} does not match its checksum."
            for p in self.damaged_files
        ]
        return out

    def log_lines(self) -> list[str]:
        """The findings for the clinic log: image ids and store paths, no record numbers."""
        out = [f"Unfiled picture {rel} moved to {dest}." for rel, dest in self.orphans_moved.items()]
        out += [
            f"Image {p.image_id} has no file ({p.relative_path}); the row is kept."
            for p in self.missing_files
        ]
        out += [f"Image {p.image_id} does not match its checksum." for p in self.damaged_files]
        return out


def recheck_portion(
    database: Database, store: ImageStore, *, max_images: int = 100, max_bytes: int = 256 * 2**20
) -> list[ImageProblem]:
    """Re-hash the next portion of pictures (by image id, wrapping around); the damaged ones found."""
    cursor_file = store.root / CURSOR_FILE
    start = _read_cursor(cursor_file)
    with database.transaction() as session:
        query = (
            select(
                models.Image.id,
                models.Image.relative_path,
                models.Image.sha256,
                models.Patient.record_number,
                models.Lesion.label,
            )
            .join(models.Lesion, models.Image.lesion_id == models.Lesion.id)
            .join(models.Patient, models.Lesion.patient_id == models.Patient.id)
            .order_by(models.Image.id)
        )
        rows = session.execute(query.where(models.Image.id > start).limit(max_images)).all()
        if not rows and start:
            rows = session.execute(query.limit(max_images)).all()  # wrap around to the oldest
    damaged: list[ImageProblem] = []
    read = 0
    last = start
    for image_id, relative, sha256, record_number, label in rows:
        path = store.path(relative)
        if path.is_file():
            read += path.stat().st_size
            if not store.verify(relative, sha256):
                damaged.append(ImageProblem(image_id, record_number, label, relative))
                log.warning("Hash re-check: image %s does not match its checksum", image_id)
        last = image_id
        if read >= max_bytes:
            break
    if rows:
        _write_cursor(cursor_file, last)
    return damaged


def _read_cursor(path: Path) -> int:
    try:
        return int(path.read_text(encoding="ascii").strip() or 0)
    except (OSError, ValueError):
        return 0


def _write_cursor(path: Path, image_id: int) -> None:
    try:
        write_text_atomic(path, f"{image_id}\n", encoding="ascii", mode=0o600)
    except OSError as exc:
        log.warning("The hash re-check position could not be saved: %s", exc.strerror or exc)


def integrity_check(
    database: Database,
    store: ImageStore,
    *,
    verify_hashes: bool = False,
    grace: timedelta = DEFAULT_GRACE,
) -> IntegrityReport:
    """Compare image rows with the store's files; move orphan files aside and report every finding."""
    report = IntegrityReport()
    with database.transaction() as session:
        query = (
            select(
                models.Image.id,
                models.Image.relative_path,
                models.Image.sha256,
                models.Patient.record_number,
                models.Lesion.label,
            )
            .join(models.Lesion, models.Image.lesion_id == models.Lesion.id)
            .join(models.Patient, models.Lesion.patient_id == models.Patient.id)
        )
        rows = session.execute(query).all()
    referenced: set[str] = set()
    for image_id, relative, sha256, record_number, label in rows:
        report.rows_checked += 1
        referenced.add(relative)
        problem = ImageProblem(image_id, record_number, label, relative)
        if not store.path(relative).is_file():
            report.missing_files.append(problem)
        elif verify_hashes and not store.verify(relative, sha256):
            report.damaged_files.append(problem)
    cutoff = time.time() - grace.total_seconds()  # file times are wall-clock times
    for relative in store.files():
        report.files_checked += 1
        if relative in referenced:
            continue
        if store.path(relative).stat().st_mtime > cutoff:
            report.recent_unreferenced.append(relative)
            continue
        report.orphans_moved[relative] = store.move_to_orphans(relative)
    for line in report.log_lines():
        log.warning("Integrity check: %s", line)
    log.info(
        "Integrity check: %d image rows, %d files, %s",
        report.rows_checked,
        report.files_checked,
        "consistent" if report.consistent else "findings reported",
    )
    return report
