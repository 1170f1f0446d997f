"""Writing a finished PDF where the user asked: all of it or nothing, with a reason a person can act on.

The bytes go to a hidden temp file in the target folder, are flushed to disk, and the temp file is
renamed over the target (`os.replace`, atomic on one file system). A full disk, a read-only or missing
folder, or a folder where the file cannot be created gives a `ReportError`, and the temp file is
removed: no half-written report is ever left at the target or beside it.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from dermdesk.records.image_store import explain_os_error, fsync_dir
from dermdesk.reports.errors import ReportError

log = logging.getLogger(__name__)


def _write_all(handle_fd: int, data: bytes) -> None:
    """Write every byte (a seam the tests use to simulate a full disk)."""
    view = memoryview(data)
    while view:
        written = os.write(handle_fd, view)
        view = view[written:]


def check_writable(path: Path, *, what: str = "write the report") -> Path:
    """Fail early, before anything is signed or stored, when `path` cannot be written: the folder is
    missing or read-only (a probe file is created and removed). The absolute path, or ReportError."""
    target = Path(path).expanduser().absolute()
    if target.is_dir():
        raise ReportError(f"Could not {what}: {target} is a folder; give a file name ending in .pdf.")
    if not target.parent.is_dir():
        raise ReportError(f"Could not {what}: the folder {target.parent} does not exist.")
    probe = target.parent / f".{target.name}.{secrets.token_hex(4)}.probe"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        probe.unlink()
    except OSError as exc:
        raise ReportError(explain_os_error(exc, what, target.parent) + " Nothing was written.") from exc
    return target


def write_pdf(path: Path, data: bytes, *, what: str = "write the report") -> Path:
    """Write `data` to `path` atomically; the absolute path written, or ReportError."""
    target = Path(path).expanduser().absolute()
    folder = target.parent
    if target.is_dir():
        raise ReportError(f"Could not {what}: {target} is a folder; give a file name ending in .pdf.")
    if not folder.is_dir():
        raise ReportError(f"Could not {what}: the folder {folder} does not exist.")
    temp = folder / f".{target.name}.{secrets.token_hex(4)}.partial"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
        fsync_dir(folder)
    except OSError as exc:
        raise ReportError(explain_os_error(exc, what, folder) + " Nothing was written.") from exc
    finally:
        try:
            temp.unlink(missing_ok=True)
        except OSError as exc:  # the folder vanished: say where the leftover may be
            log.error("Could not remove the unfinished file %s: %s", temp, exc)
    log.info("PDF written to %s (%d bytes)", target, len(data))
    return target
