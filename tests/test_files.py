"""The one atomic-write helper: all or nothing at the target, no temp file left, permissions as asked."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from dermdesk import files
from dermdesk.files import TEMP_SUFFIX, fsync_dir, write_atomic, write_text_atomic


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def permissions(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_exactly_the_bytes(tmp_path: Path) -> None:
    target = tmp_path / "picture.png"
    write_atomic(target, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 1000)
    assert target.read_bytes() == b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 1000
    assert names(tmp_path) == ["picture.png"]


def test_an_old_file_is_replaced_whole_not_patched(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_bytes(b"a much longer old content that must not survive at the end" * 10)
    write_text_atomic(target, '{"a": 1}\n')
    assert target.read_text(encoding="utf-8") == '{"a": 1}\n'
    assert names(tmp_path) == ["settings.json"]


def test_text_is_encoded_as_asked_and_newlines_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "note.txt"
    write_text_atomic(target, "피부 lesion\r\n", encoding="utf-16")
    assert target.read_bytes() == "피부 lesion\r\n".encode("utf-16")


def test_an_empty_file_is_written(tmp_path: Path) -> None:
    write_atomic(tmp_path / "empty", b"")
    assert (tmp_path / "empty").read_bytes() == b""


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_a_full_disk_keeps_the_old_file_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    target = tmp_path / "record.json"
    target.write_bytes(b"old")

    def write_half_then_fail(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    def fsync_fails(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "write":
        monkeypatch.setattr(files, "_write_all", write_half_then_fail)
    else:
        monkeypatch.setattr(files.os, "fsync", fsync_fails)
    with pytest.raises(OSError) as caught:
        write_atomic(target, b"new content " * 1000)
    assert caught.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["record.json"]


def test_a_write_to_a_bad_descriptor_fails_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write_all = files._write_all
    monkeypatch.setattr(files, "_write_all", lambda fd, data: real_write_all(-1, data))  # EBADF
    with pytest.raises(OSError) as caught:
        write_atomic(tmp_path / "x.bin", b"data")
    assert caught.value.errno == errno.EBADF
    assert names(tmp_path) == []


def test_a_failed_rename_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def replace_fails(source: object, destination: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files.os, "replace", replace_fails)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and names(tmp_path) == ["report.pdf"]


def test_a_missing_folder_is_an_error_not_created(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "unplugged" / "file", b"x")
    assert names(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_the_mode_given_is_the_files_mode_also_when_replacing(tmp_path: Path) -> None:
    target = tmp_path / "clinic-secret"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_atomic(target, b"s" * 32, mode=0o600)
    assert permissions(target) == 0o600 and target.read_bytes() == b"s" * 32
    write_atomic(tmp_path / "new-secret", b"s", mode=0o600, exclusive=True)
    assert permissions(tmp_path / "new-secret") == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_without_a_mode_the_file_is_made_as_open_makes_it(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "plain", b"x")
    finally:
        os.umask(umask)
    assert permissions(tmp_path / "plain") == 0o644


def test_exclusive_never_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "still-0001.png"
    write_atomic(target, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        write_atomic(target, b"second", exclusive=True)
    assert target.read_bytes() == b"first" and names(tmp_path) == ["still-0001.png"]


@pytest.mark.parametrize("code", [errno.EPERM, errno.EXDEV])
def test_exclusive_works_where_there_are_no_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def no_links(source: object, destination: object) -> None:
        raise OSError(code, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", no_links)
    target = tmp_path / "still-0002.png"
    write_atomic(target, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        write_atomic(target, b"second", exclusive=True)
    assert target.read_bytes() == b"first" and names(tmp_path) == ["still-0002.png"]


def test_exclusive_without_hard_links_drops_its_reservation_when_the_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, destination: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    def replace_fails(source: object, destination: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files.os, "link", no_links)
    monkeypatch.setattr(files.os, "replace", replace_fails)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "still-0003.png", b"x", exclusive=True)
    monkeypatch.undo()
    assert names(tmp_path) == []


def test_other_link_errors_are_not_mistaken_for_a_missing_feature(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def link_fails(source: object, destination: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "link", link_fails)
    with pytest.raises(OSError) as caught:
        write_atomic(tmp_path / "still-0004.png", b"x", exclusive=True)
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC and names(tmp_path) == []


def test_temp_files_are_hidden_beside_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(source: str | Path, destination: str | Path) -> None:
        seen.append(Path(source).name)
        real_replace(source, destination)

    monkeypatch.setattr(files.os, "replace", spy)
    write_atomic(tmp_path / "manifest.json", b"{}")
    assert len(seen) == 1 and seen[0].startswith(".manifest.json.") and seen[0].endswith(TEMP_SUFFIX)


def test_a_folder_that_cannot_be_flushed_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cannot(fd: int) -> None:
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(files.os, "fsync", cannot)
    fsync_dir(tmp_path)  # no error: some shares cannot flush folders

    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files.os, "fsync", broken)
    with pytest.raises(OSError):
        fsync_dir(tmp_path)
