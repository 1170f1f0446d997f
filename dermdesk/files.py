"""Writing a file all or nothing: the one helper every layer uses for it (stills, records, settings, ...).

A crash, a power cut, a full disk or a share that goes away must leave either the earlier file or the
complete new one at the target, never a mix and never a stray temp file. How:

1. the bytes go to a hidden temp file in the target's own folder (``.NAME.1a2b3c4d.tmp``, so the final
   step is a rename within one file system), created with ``O_EXCL`` and the caller's permission bits;
2. every byte is written and the file is flushed to disk (``fsync``);
3. the temp file is renamed over the target (``os.replace``, atomic) — or, with ``exclusive=True``,
   hard-linked to it, which fails with FileExistsError instead of replacing a file already there (file
   systems without hard links, such as FAT/exFAT sticks and some shares, get the name reserved with
   ``O_EXCL`` and the finished temp file renamed over that empty reservation);
4. the folder is flushed too, so the new name survives a power cut (POSIX; Windows cannot open folders
   and does not need it).

On any failure the temp file is removed and the OSError is raised again unchanged, so the caller can
tell staff what happened (disk full, no permission) in its own words.

This module imports nothing but the standard library: the capture, records, reports, sync and central
layers and the settings may all use it.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
from pathlib import Path

__all__ = [
    "PRIVATE_DIR",
    "PRIVATE_FILE",
    "TEMP_SUFFIX",
    "fsync_dir",
    "keep_private",
    "private_dir",
    "write_atomic",
    "write_text_atomic",
]

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"
"""What a temp file's name ends with; its name also starts with a dot and the target's name."""

PRIVATE_DIR = 0o700
"""Folders with clinical data: the station's user only, whatever the umask."""
PRIVATE_FILE = 0o600
"""Files with clinical data (database, WAL, pictures, anchors): the station's user only."""

_O_BINARY: int = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK})
_CANNOT_SYNC_FOLDERS = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})


def write_atomic(path: Path, data: bytes, *, mode: int = 0o666, exclusive: bool = False) -> None:
    """Put exactly ``data`` at ``path``, all or nothing, durably (see the module docstring).

    ``mode``: the permission bits of the new file, less the process umask as for ``os.open`` (0o600
    keeps a secret to the station's user). It applies to the new file also when it replaces an old one.
    ``exclusive``: create the file only if ``path`` does not exist yet; FileExistsError otherwise, and
    also when another process takes the name meanwhile (an existing file is never replaced).
    The folder must exist. OSError (disk full, no permission, ...) leaves the old file, if any, and no
    temp file.
    """
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, mode)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if exclusive:
            _link_without_overwrite(temp, path)
        else:
            os.replace(temp, path)
    finally:
        _remove_temp(temp)
    fsync_dir(path.parent)


def write_text_atomic(
    path: Path,
    text: str,
    *,
    encoding: str = "utf-8",
    mode: int = 0o666,
    exclusive: bool = False,
) -> None:
    """``write_atomic`` for text: ``text`` encoded as ``encoding``, newlines written as given."""
    write_atomic(path, text.encode(encoding), mode=mode, exclusive=exclusive)


def fsync_dir(folder: Path) -> None:
    """Make a new, renamed or removed entry in ``folder`` durable (POSIX; a no-op on Windows).

    File systems that cannot flush a folder (some network shares answer EINVAL) are passed over: there
    is nothing more to be done there.
    """
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _CANNOT_SYNC_FOLDERS:
            raise
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (os.write may write fewer); tests replace this to simulate a full disk."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _link_without_overwrite(temp: Path, path: Path) -> None:
    """Give the finished ``temp`` the name ``path`` unless that name exists (FileExistsError)."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here: reserve the name (fails if taken), then fill the reservation atomically.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600))
        try:
            os.replace(temp, path)
        except BaseException:
            path.unlink(missing_ok=True)  # our own empty reservation
            raise


def _remove_temp(temp: Path) -> None:
    """Remove the temp file if it is still there; a failure here (the folder vanished) is logged, so
    that it never hides the error that made the write fail."""
    try:
        temp.unlink(missing_ok=True)
    except OSError as exc:
        log.error("Could not remove the unfinished file %s: %s", temp, exc)


def private_dir(folder: Path, mode: int = PRIVATE_DIR) -> bool:
    """Create `folder` (and its parents) and give it exactly `mode`, whatever the umask. False when the
    file system does not keep permissions (FAT, some shares): the caller warns that the folder must be
    protected by the share's or the disk's own access control. Windows: permissions are ACLs there; the
    per-user data folder is private to the user already (see docs/security.md)."""
    folder.mkdir(mode=mode, parents=True, exist_ok=True)
    return keep_private(folder, mode)


def keep_private(path: Path, mode: int = PRIVATE_FILE) -> bool:
    """Give an existing file or folder exactly `mode`; False when the file system ignores it."""
    if os.name == "nt":
        return True
    try:
        os.chmod(path, mode)
        kept = (os.stat(path).st_mode & 0o7777) == mode
    except PermissionError:
        kept = False
    if not kept:
        log.warning(
            "%s is on a file system that does not keep file permissions; protect it with the disk's or "
            "share's own access control",
            path,
        )
    return kept
