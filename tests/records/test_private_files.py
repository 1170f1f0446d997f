"""Private by default: the data folder, database, WAL, pictures and audit anchor are the station user's
only whatever the umask; a shared image store uses its group; a file system that ignores modes is
reported. Picture hashes are re-checked a portion at a time (a flipped byte is found at start-up), and
the clinic log carries no record numbers."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dermdesk.records import CaptureMetadata, CaptureRequest, NewLesion, Records
from dermdesk.settings import DermDeskSettings
from records.helpers import PASSWORD, Team, new_patient, png_bytes


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)  # the worst case: everything created world-writable unless chmod'ed
    try:
        yield
    finally:
        os.umask(previous)


def file_capture(records: Records, team: Team, number: str, seed: int) -> int:
    result = records.captures.save(
        team.staff,
        CaptureRequest(
            record_number=number,
            image=png_bytes(seed, size=40),
            new_lesion=NewLesion("posterior torso", None),
            metadata=CaptureMetadata(camera="test", captured_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        ),
    )
    assert result.image_id is not None
    return result.image_id


def test_records_are_private_whatever_the_umask(open_umask: None, tmp_path: Path) -> None:
    settings = DermDeskSettings(data_dir=tmp_path / "station")
    with Records.open(settings) as records:
        admin = records.users.create_first_admin("admin", "IT", PASSWORD)
        staff = records.users.add(admin, "sam", "Sam", "staff", PASSWORD)
        records.patients.register(staff, new_patient())
        file_capture(records, Team(admin, staff, staff), "DD-000001", 3)
        data = settings.data_dir
        database = data / "dermdesk.sqlite"
        assert mode(data) == 0o700
        assert mode(database) == 0o600
        assert mode(Path(f"{database}-wal")) == 0o600  # while open: SQLite copies the database's mode
        assert mode(data / "dermdesk.sqlite.audit-anchor") == 0o600
        pictures = [p for p in (data / "images").rglob("*") if p.is_file()]
        assert len(pictures) == 1 and mode(pictures[0]) == 0o600
        assert all(mode(p) == 0o700 for p in (data / "images").rglob("*") if p.is_dir())


def test_files_left_open_by_an_older_version_are_tightened(tmp_path: Path) -> None:
    settings = DermDeskSettings(data_dir=tmp_path / "station")
    Records.open(settings).close()
    database = settings.data_dir / "dermdesk.sqlite"
    database.chmod(0o644)
    settings.data_dir.chmod(0o755)
    Records.open(settings).close()
    assert mode(database) == 0o600 and mode(settings.data_dir) == 0o700


def test_a_shared_image_store_uses_its_group(open_umask: None, tmp_path: Path) -> None:
    settings = DermDeskSettings(
        data_dir=tmp_path / "station", image_store=tmp_path / "share", image_store_group_access=True
    )
    with Records.open(settings) as records:
        admin = records.users.create_first_admin("admin", "IT", PASSWORD)
        staff = records.users.add(admin, "sam", "Sam", "staff", PASSWORD)
        records.patients.register(staff, new_patient())
        file_capture(records, Team(admin, staff, staff), "DD-000001", 4)
    (picture,) = [p for p in (tmp_path / "share").rglob("*.png")]
    assert mode(picture) == 0o640
    assert mode(picture.parent) == 0o2770 and mode(tmp_path / "share") == 0o2770


def test_a_file_system_that_ignores_modes_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """FAT sticks and some shares accept chmod and keep 0777: we cannot have one here, so chmod is
    made to do nothing, as it does there; the station still opens and says what to do."""
    fat = tmp_path / "fat"
    fat.mkdir()
    fat.chmod(0o777)  # how such a file system shows every folder
    monkeypatch.setattr(os, "chmod", lambda *args, **kwargs: None)
    settings = DermDeskSettings(data_dir=fat)
    with caplog.at_level(logging.WARNING, logger="dermdesk.files"), Records.open(settings):
        pass
    assert "does not keep file permissions" in caplog.text


def test_a_flipped_byte_in_a_picture_is_found_at_start_up(records: Records, team: Team, patient: str) -> None:
    image_id = file_capture(records, team, patient, 5)
    (picture,) = [p for p in records.store.root.rglob("*.png")]
    data = bytearray(picture.read_bytes())
    data[len(data) // 2] ^= 0x01
    picture.write_bytes(bytes(data))
    report = records.startup()
    assert [p.image_id for p in report.damaged] == [image_id]
    assert any("does not match its checksum" in line for line in report.lines())


def test_hashes_are_rechecked_a_portion_at_a_time(records: Records, team: Team, patient: str) -> None:
    ids = [file_capture(records, team, patient, seed) for seed in range(6, 11)]
    (last,) = [
        p for p in records.store.root.rglob("*.png") if p.name.startswith(records_sha(records, ids[-1]))
    ]
    last.write_bytes(last.read_bytes()[:-1] + b"\x00")
    assert records.recheck_pictures(max_images=2) == []  # ids 1-2
    assert records.recheck_pictures(max_images=2) == []  # ids 3-4
    assert [p.image_id for p in records.recheck_pictures(max_images=2)] == [ids[-1]]
    assert records.recheck_pictures(max_images=2) == []  # wrapped around to the start


def records_sha(records: Records, image_id: int) -> str:
    from dermdesk.records import models

    with records.database.transaction() as session:
        row = session.get(models.Image, image_id)
        assert row is not None
        return row.sha256


def test_the_clinic_log_carries_no_record_numbers(
    records: Records, team: Team, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="dermdesk"):
        number = records.patients.register(team.staff, new_patient("ZQ-48151623")).record_number
        records.patients.get(team.doctor, number)
        records.patients.list(team.staff)
        file_capture(records, team, number, 12)
        for picture in records.store.root.rglob("*.png"):
            picture.unlink()  # a missing file: the integrity check reports it
        records.startup()
    assert "48151623" not in caplog.text
