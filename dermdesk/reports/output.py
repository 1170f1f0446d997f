"""Writing a finished PDF where the user asked: all of it or nothing, with a reason a person can act on.

The bytes go to a hidden temp file in the target folder, are flushed to disk, and the temp file is
renamed over the target (`os.replace`, atomic on one file system): `dermdesk.files.write_atomic`. A
full disk, a read-only or missing folder, or a folder where the file cannot be created gives a
`ReportError`, and the temp file is removed: no half-written report is ever left at the target or
beside it.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from dermdesk.files import write_atomic
from dermdesk.i18n import gettext
from dermdesk.records.image_store import explain_os_error
from dermdesk.reports.errors import ReportError

log = logging.getLogger(__name__)


def check_writable(path: Path, *, what: str | None = None) -> Path:
    """Fail early, before anything is signed or stored, when `path` cannot be written: the folder is
    missing or read-only (a probe file is created and removed). The absolute path, or ReportError.
    `what` is the action in the screen's language (a noun phrase such as "write the letter"
    translated); by default "write the report"."""
    what = what or gettext("write the report")
    target = Path(path).expanduser().absolute()
    if target.is_dir():
        raise ReportError(
            gettext("Could not {what}: {target} is a folder; give a file name ending in .pdf.").format(
                what=what, target=target
            )
        )
    if not target.parent.is_dir():
        raise ReportError(
            gettext("Could not {what}: the folder {parent} does not exist.").format(
                what=what, parent=target.parent
            )
        )
    probe = target.parent / f".{target.name}.{secrets.token_hex(4)}.probe"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        probe.unlink()
    except OSError as exc:
        raise ReportError(
            explain_os_error(exc, what, target.parent) + " " + gettext("Nothing was written.")
        ) from exc
    return target


def write_pdf(path: Path, data: bytes, *, what: str | None = None) -> Path:
    """Write `data` to `path` atomically; the absolute path written, or ReportError (`what` as for
    `check_writable`)."""
    what = what or gettext("write the report")
    target = Path(path).expanduser().absolute()
    folder = target.parent
    if target.is_dir():
        raise ReportError(
            gettext("Could not {what}: {target} is a folder; give a file name ending in .pdf.").format(
                what=what, target=target
            )
        )
    if not folder.is_dir():
        raise ReportError(
            gettext("Could not {what}: the folder {folder} does not exist.").format(what=what, folder=folder)
        )
    try:
        write_atomic(target, data, mode=0o644)
    except OSError as exc:
        raise ReportError(
            explain_os_error(exc, what, folder) + " " + gettext("Nothing was written.")
        ) from exc
    log.info("PDF written to %s (%d bytes)", target, len(data))
    return target
