"""The content-addressed image store: `<root>/ab/cd/<sha256>.<ext>`, written atomically.

Why content addressing: a file's name is its checksum, so any copy (backup, restore, a shared clinic
folder) can be verified against the database row, the same picture is never stored twice, and an
existing file is never overwritten with different bytes. Why atomic: a crash or a full disk leaves
either the complete file or none at its final name — a temp file in the same folder is flushed to
disk, renamed with `os.replace`, and the folder entry itself is flushed too (`dermdesk.files`).

Private by default: folders 0700 and pictures 0600 whatever the umask. A clinic image store shared by
several stations (`image_store_group_access`) uses the group instead: folders 2770 (new files keep the
folder's group) and pictures 0640, so that every station's account in that group can file and read.

Files the database does not know (a crash between writing and committing) are not deleted: the
integrity check moves them to `<root>/orphans/` and reports them.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dermdesk.files import PRIVATE_DIR, PRIVATE_FILE, fsync_dir, keep_private, private_dir, write_atomic
from dermdesk.i18n import _
from dermdesk.records.errors import ImageStoreError, RecordValidationError

log = logging.getLogger(__name__)

ORPHANS_DIR = "orphans"
GROUP_DIR = 0o2770
GROUP_FILE = 0o640
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"II*\x00", "tif"),
    (b"MM\x00*", "tif"),
    (b"BM", "bmp"),
)


def image_suffix(data: bytes) -> str:
    """The file type of an image from its first bytes; refuses anything that is not a picture."""
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return suffix
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    raise RecordValidationError(
        _("The file is not a picture DermDesk can file (PNG, JPEG, TIFF, BMP or WebP).")
    )


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def explain_os_error(exc: OSError, what: str, where: Path) -> str:
    """A sentence for staff about a failed file operation; `what` is already in the screen's language."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return _("Could not {what}: the disk holding {where} is full.").format(what=what, where=where)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("Could not {what}: {where} cannot be written to (read-only or no permission).").format(
            what=what, where=where
        )
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return _("Could not {what}: {where} does not exist (is the drive or share connected?).").format(
            what=what, where=where
        )
    return _("Could not {what} in {where}: {detail}.").format(
        what=what, where=where, detail=exc.strerror or exc
    )


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    relative_path: str
    byte_size: int


class ImageStore:
    """Image files by content, under one root folder (the station's or a clinic share)."""

    def __init__(self, root: Path, *, group_access: bool = False, must_exist: bool = False) -> None:
        self.root = root
        self.must_exist = must_exist  # a clinic share: never create its root (an unmounted share)
        self.dir_mode = GROUP_DIR if group_access else PRIVATE_DIR
        self.file_mode = GROUP_FILE if group_access else PRIVATE_FILE

    @staticmethod
    def relative_path(sha256: str, suffix: str) -> str:
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{suffix}"

    def path(self, relative_path: str) -> Path:
        return self.root / relative_path

    def put(self, data: bytes) -> StoredFile:
        """Store the picture under its checksum (no-op when an intact copy is already there)."""
        digest = sha256_bytes(data)
        relative = self.relative_path(digest, image_suffix(data))
        target = self.path(relative)
        if self.must_exist and not self.root.is_dir():  # writing there would fill the station's disk
            raise ImageStoreError(
                _(
                    "The shared image store {root} is not there: is the network share mounted? The "
                    "picture is kept on this station and filed when the share is back."
                ).format(root=self.root)
            )
        try:
            if target.is_file() and sha256_file(target) == digest:
                os.utime(target)  # fresh mtime: the integrity check's grace period covers this save
            else:
                if target.exists():
                    log.error("Stored image %s did not match its checksum; rewriting it", relative)
                self._folder(target.parent)
                write_atomic(target, data, mode=self.file_mode)
                keep_private(target, self.file_mode)  # exactly this mode, whatever the umask
        except OSError as exc:
            raise ImageStoreError(explain_os_error(exc, _("store the image"), self.root)) from exc
        return StoredFile(digest, relative, len(data))

    def _folder(self, folder: Path) -> None:
        """The store's root and the `ab/cd` folders below it, with the store's folder mode."""
        if folder.is_dir():
            return
        for level in [*reversed(folder.relative_to(self.root).parents), folder.relative_to(self.root)]:
            private_dir(self.root / level, self.dir_mode)

    def read(self, relative_path: str) -> bytes:
        try:
            return self.path(relative_path).read_bytes()
        except OSError as exc:
            raise ImageStoreError(explain_os_error(exc, _("read the image"), self.root)) from exc

    def verify(self, relative_path: str, sha256: str) -> bool:
        path = self.path(relative_path)
        return path.is_file() and sha256_file(path) == sha256

    def files(self) -> Iterator[str]:
        """Relative paths of every file in the store's `ab/cd/` folders, temp files included."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if not (first.is_dir() and len(first.name) == 2):
                continue
            for second in sorted(first.iterdir()):
                if second.is_dir() and len(second.name) == 2:
                    for item in sorted(second.iterdir()):
                        if item.is_file():
                            yield f"{first.name}/{second.name}/{item.name}"

    def move_to_orphans(self, relative_path: str) -> Path:
        """Move a file nobody references to `orphans/`, never overwriting an earlier orphan."""
        source = self.path(relative_path)
        folder = self.root / ORPHANS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / source.name.lstrip(".")
        while target.exists():
            target = folder / f"{secrets.token_hex(3)}-{source.name.lstrip('.')}"
        shutil.move(source, target)
        fsync_dir(folder)
        return target
