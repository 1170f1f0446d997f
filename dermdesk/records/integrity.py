"""The start-up integrity check: do the image rows and the image files still agree?

Why it never deletes anything:
- A file without a row is what a crash between "file written" and "committed" leaves. It is moved to
  `orphans/` (out of the way, still there for a person to look at) and reported.
- A row without a file means evidence is missing (a restored backup without its images, a share that
  lost files). The row is reported, with its patient record number and lesion, and kept: deleting it
  would hide the loss.
- Files younger than `grace` are left alone: on a shared image folder another station may be between
  writing a file and committing its row right now.
With `verify_hashes=True` each file is also re-hashed and a mismatch reported as damaged.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from dermdesk.records import models
from dermdesk.records.database import Database
from dermdesk.records.image_store import ImageStore

log = logging.getLogger(__name__)

DEFAULT_GRACE = timedelta(minutes=10)


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
    for line in report.lines():
        log.warning("Integrity check: %s", line)
    log.info(
        "Integrity check: %d image rows, %d files, %s",
        report.rows_checked,
        report.files_checked,
        "consistent" if report.consistent else "findings reported",
    )
    return report
