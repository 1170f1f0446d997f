"""Backup and restore: everything comes back byte-identical; bad targets and bad backups fail cleanly."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dermdesk.records import (
    BackupError,
    CaptureRequest,
    NewDiagnosis,
    NewLesion,
    Records,
    RestoreError,
)
from dermdesk.records import backup as backup_module
from dermdesk.settings import DermDeskSettings
from records.helpers import PASSWORD, Team, new_patient, png_bytes
from records.pg_server import EmbeddedPostgres

sqlite_only = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def filled(records: Records, team: Team) -> Records:
    """Two patients, three lesions, four images, a signed diagnosis, a referral, consent, audit trail."""
    for number, seeds in (("DD-000001", (1, 2)), ("DD-000002", (3, 4))):
        records.patients.register(team.staff, new_patient(number, research_consent=number.endswith("2")))
        records.captures.save(
            team.staff, CaptureRequest(number, png_bytes(seeds[0]), new_lesion=NewLesion("head/neck"))
        )
        records.captures.save(
            team.staff, CaptureRequest(number, png_bytes(seeds[1]), new_lesion=NewLesion("palms/soles"))
        )
    records.diagnoses.record(
        team.doctor,
        "DD-000001",
        "L1",
        NewDiagnosis("histopathology", dx_code="bcc"),
        sign_off_password=PASSWORD,
    )
    records.diagnoses.refer(team.doctor, "DD-000002", "L2", "enlarging")
    return records


@pytest.fixture
def empty_station(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> Iterator[Callable[[str | None], Records]]:
    """Opens a second, empty station (its own data folder; its own database on the same kind of server)."""
    opened: list[Records] = []
    created: list[str] = []

    def open_station(kind: str | None = None) -> Records:
        url = None
        if (kind or backend) == "postgresql":
            server: EmbeddedPostgres = request.getfixturevalue("postgres_server")
            created.append(server.create_database())
            url = server.url(created[-1])
        station = Records.open(
            DermDeskSettings(data_dir=tmp_path / f"station-{len(opened)}", database_url=url)
        )
        opened.append(station)
        return station

    yield open_station
    for station in opened:
        station.close()
    if created:
        server = request.getfixturevalue("postgres_server")
        for name in created:
            server.drop_database(name)


def everything(records: Records) -> dict[str, object]:
    """Every patient record and every image's bytes (read as a doctor)."""
    doctor = records.users.login("dora", PASSWORD)
    patients = [records.patients.get(doctor, p.record_number) for p in records.patients.list(doctor)]
    images = {
        image.sha256: records.store.read(image.relative_path)
        for patient in patients
        for lesion in patient.lesions
        for image in lesion.images
    }
    return {"patients": patients, "images": images}


def test_backup_then_restore_into_an_empty_station_gives_back_everything(
    filled: Records, team: Team, tmp_path: Path, empty_station: Callable[[str | None], Records]
) -> None:
    (tmp_path / "usb").mkdir()
    result = filled.backup(team.admin, tmp_path / "usb" / "backup-1")
    assert result.images == 4 and result.missing_images == [] and result.counts["patients"] == 2
    manifest = json.loads((tmp_path / "usb" / "backup-1" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["images"]) == 4
    audit_backed_up = filled.audit.list(team.admin)  # reading the log writes no entry
    assert audit_backed_up[-1].action == "export"
    before = everything(filled)

    target = empty_station(None)
    restored = target.restore(tmp_path / "usb" / "backup-1", "admin", PASSWORD)

    assert restored.counts == result.counts
    after = everything(target)
    assert after["patients"] == before["patients"]
    assert after["images"] == before["images"]
    audit_restored = target.audit.list(target.users.login("admin", PASSWORD))
    assert audit_restored[: len(audit_backed_up)] == audit_backed_up
    assert audit_restored[len(audit_backed_up)].action == "restore"
    assert target.integrity_check(verify_hashes=True).consistent


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_postgresql_backup_restores_into_a_sqlite_station(
    filled: Records, team: Team, tmp_path: Path, empty_station: Callable[[str | None], Records]
) -> None:
    filled.backup(team.admin, tmp_path / "backup")
    before = everything(filled)
    target = empty_station("sqlite")
    target.restore(tmp_path / "backup", "admin", PASSWORD)
    assert everything(target)["patients"] == before["patients"]


@contextmanager
def tmpfs(path: Path, options: str) -> Iterator[bool]:
    """Mount a tmpfs at `path` when running as root (CI containers); yields whether it worked."""
    path.mkdir()
    mounted = False
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount"):
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True
            ).returncode
            == 0
        )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(path)], check=True)


@sqlite_only
def test_a_read_only_target_gives_a_clear_error_and_writes_nothing(
    filled: Records, team: Team, tmp_path: Path
) -> None:
    target = tmp_path / "readonly"
    with tmpfs(target, "ro,size=1m") as mounted:
        if not mounted:
            if os.geteuid() == 0:
                pytest.skip("running as root without mount: no way to make a read-only folder")
            target.chmod(0o555)
        with pytest.raises(BackupError, match=r"cannot be written to .*Nothing was written"):
            filled.backup(team.admin, target / "backup")
        assert list(target.iterdir()) == []


@sqlite_only
def test_a_full_disk_gives_a_clear_error_and_leaves_nothing_half_written(
    filled: Records, team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real_write = backup_module.write_backup_file

    def fills_up(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(backup_module, "write_backup_file", fills_up)
    with pytest.raises(BackupError, match=r"is full\. Nothing was left at the destination"):
        filled.backup(team.admin, tmp_path / "backup")
    assert list(tmp_path.glob("*backup*")) == []


@sqlite_only
def test_a_really_full_disk_fails_cleanly(filled: Records, team: Team, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "tiny", "size=48k") as mounted:
        if not mounted:
            pytest.skip("needs root to mount a small tmpfs")
        with pytest.raises(BackupError, match=r"is full\. Nothing was left at the destination"):
            filled.backup(team.admin, tmp_path / "tiny" / "backup")
        assert list((tmp_path / "tiny").iterdir()) == []


@sqlite_only
def test_backup_refuses_a_folder_with_files_and_needs_an_admin(
    filled: Records, team: Team, tmp_path: Path
) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "holiday.jpg").write_bytes(b"x")
    with pytest.raises(BackupError, match="already holds files"):
        filled.backup(team.admin, tmp_path / "used")
    with pytest.raises(Exception, match="may not back up the records"):
        filled.backup(team.doctor, tmp_path / "backup")


@sqlite_only
def test_restore_refuses_damaged_backups_wrong_accounts_and_stations_with_records(
    filled: Records, team: Team, tmp_path: Path, empty_station: Callable[[str | None], Records]
) -> None:
    filled.backup(team.admin, tmp_path / "backup")
    with pytest.raises(RestoreError, match="already holds records"):
        filled.restore(tmp_path / "backup", "admin", PASSWORD)
    target = empty_station(None)
    with pytest.raises(RestoreError, match="administrator account in the backup"):
        target.restore(tmp_path / "backup", "dora", PASSWORD)
    with pytest.raises(RestoreError, match="administrator account in the backup"):
        target.restore(tmp_path / "backup", "admin", "not the password")
    image = next((tmp_path / "backup" / "images").rglob("*.png"))
    image.write_bytes(image.read_bytes()[:-1])
    with pytest.raises(RestoreError, match=r"damaged: .* does not match its checksum\. Nothing was restored"):
        target.restore(tmp_path / "backup", "admin", PASSWORD)
    with pytest.raises(RestoreError, match="not a DermDesk backup"):
        target.restore(tmp_path, "admin", PASSWORD)
    assert target.users.needs_first_admin() and list(target.store.files()) == []
