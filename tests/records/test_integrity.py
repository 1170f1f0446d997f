"""The integrity check: orphan files moved aside and reported, missing files reported, rows kept."""

from __future__ import annotations

import os
import time
from datetime import timedelta

from sqlalchemy import func, select

from dermdesk.records import CaptureRequest, NewLesion, Records, models
from dermdesk.records.image_store import ORPHANS_DIR
from records.helpers import Team, png_bytes

NO_GRACE = timedelta(0)


def save(records: Records, team: Team, patient: str, seed: int) -> str:
    request = CaptureRequest(patient, png_bytes(seed), new_lesion=NewLesion("lateral torso"))
    return records.captures.save(team.staff, request).sha256


def test_a_consistent_store_reports_nothing(records: Records, team: Team, patient: str) -> None:
    save(records, team, patient, 1)
    report = records.integrity_check(verify_hashes=True, grace=NO_GRACE)
    assert report.consistent and report.rows_checked == 1 and report.files_checked == 1
    assert report.lines() == []


def test_an_orphan_file_is_moved_to_orphans_and_reported(records: Records, team: Team, patient: str) -> None:
    save(records, team, patient, 1)
    orphan = records.store.put(png_bytes(99))  # as if the station died before the commit
    report = records.integrity_check(grace=NO_GRACE)
    moved = report.orphans_moved[orphan.relative_path]
    assert moved.parent == records.store.root / ORPHANS_DIR and moved.read_bytes() == png_bytes(99)
    assert not records.store.path(orphan.relative_path).exists()
    assert "moved to" in report.lines()[0]
    assert records.integrity_check(grace=NO_GRACE).consistent


def test_a_fresh_unreferenced_file_is_left_for_the_station_still_saving_it(
    records: Records, team: Team, patient: str
) -> None:
    orphan = records.store.put(png_bytes(5))
    report = records.integrity_check()
    assert report.recent_unreferenced == [orphan.relative_path] and report.consistent
    assert records.store.path(orphan.relative_path).exists()
    old = time.time() - 3600
    os.utime(records.store.path(orphan.relative_path), (old, old))
    assert orphan.relative_path in records.integrity_check().orphans_moved


def test_a_missing_file_is_reported_and_its_row_kept(records: Records, team: Team, patient: str) -> None:
    sha = save(records, team, patient, 1)
    (path,) = [records.store.path(p) for p in records.store.files() if sha in p]
    path.unlink()
    report = records.integrity_check(grace=NO_GRACE)
    (problem,) = report.missing_files
    assert (problem.record_number, problem.lesion_label) == (patient, "L1")
    assert "has no file" in report.lines()[0] and "row is kept" in report.lines()[0]
    with records.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(models.Image)) == 1


def test_a_damaged_file_is_reported_when_hashes_are_verified(
    records: Records, team: Team, patient: str
) -> None:
    sha = save(records, team, patient, 1)
    (path,) = [records.store.path(p) for p in records.store.files() if sha in p]
    path.write_bytes(path.read_bytes() + b"bit rot")
    assert records.integrity_check(grace=NO_GRACE).consistent  # existence only, the fast start-up check
    assert len(records.integrity_check(verify_hashes=True, grace=NO_GRACE).damaged_files) == 1


def test_saving_the_same_picture_again_repairs_a_damaged_file(
    records: Records, team: Team, patient: str
) -> None:
    sha = save(records, team, patient, 1)
    (path,) = [records.store.path(p) for p in records.store.files() if sha in p]
    path.write_bytes(b"garbage")
    save(records, team, patient, 1)
    assert path.read_bytes() == png_bytes(1)
