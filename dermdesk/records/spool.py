"""The local spool: captures kept on this station while the clinic's records server is unreachable.

Why: a lesion photographed during a network outage is still clinical evidence and the patient is in
the room now. Each spooled capture is a folder `<data_dir>/spool/<time-ns>-<uid>/` holding the picture
and `capture.json` (the rows to add and who captured it), written to a temp folder and renamed, so a
folder that exists is complete. `CaptureService.flush_spool` files them, oldest first, when the server
is back; an entry that cannot be filed (say, its patient was never registered on the server) stays,
with the reason in `failed.txt`, for a person to resolve — it is never dropped.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from dermdesk.files import fsync_dir, write_atomic
from dermdesk.i18n import _
from dermdesk.records.capture_request import CaptureRequest
from dermdesk.records.errors import ImageStoreError
from dermdesk.records.image_store import explain_os_error, image_suffix, sha256_bytes

log = logging.getLogger(__name__)

DESCRIPTION = "capture.json"
FAILED_NOTE = "failed.txt"


@dataclass(frozen=True)
class SpooledCapture:
    """One spool entry read back: who captured it and the request to file."""

    folder: Path
    user_id: int
    username: str
    queued_at: datetime
    request: CaptureRequest


class Spool:
    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, user_id: int, username: str, request: CaptureRequest, now: datetime) -> Path:
        """Keep the capture durably on this station; returns its folder."""
        name = f"{time.time_ns():020d}-{request.capture_uid}"  # wall clock: the folder order is FIFO
        final = self.root / name
        temp = self.root / f".{name}.{secrets.token_hex(3)}.tmp"
        description: dict[str, Any] = {
            "format": 1,
            "queued_at": now.isoformat(),
            "user": {"id": user_id, "username": username},
            "image_file": f"image.{image_suffix(request.image)}",
            "sha256": sha256_bytes(request.image),
            **request.describe(),
        }
        try:
            temp.mkdir(parents=True)
            write_atomic(temp / description["image_file"], request.image)
            write_atomic(temp / DESCRIPTION, json.dumps(description, indent=2).encode("utf-8"))
            os.replace(temp, final)
            fsync_dir(self.root)
        except OSError as exc:
            shutil.rmtree(temp, ignore_errors=True)  # our own unfinished temp folder
            raise ImageStoreError(
                explain_os_error(exc, _("keep the capture on this station"), self.root)
            ) from exc
        log.warning("Capture %s spooled locally (records server unreachable)", request.capture_uid)
        return final

    def entries(self) -> list[Path]:
        """Complete entries, oldest first (temp folders of an interrupted `put` are skipped)."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def pending(self) -> list[Path]:
        """Entries still to be filed (not marked as failed)."""
        return [p for p in self.entries() if not (p / FAILED_NOTE).exists()]

    def load(self, folder: Path) -> SpooledCapture:
        """Read an entry back, verifying the picture against the checksum taken when it was spooled."""
        data = json.loads((folder / DESCRIPTION).read_text(encoding="utf-8"))
        image = (folder / data["image_file"]).read_bytes()
        if sha256_bytes(image) != data["sha256"]:
            raise ValueError(
                _("the spooled picture in {name} does not match its checksum").format(name=folder.name)
            )
        return SpooledCapture(
            folder=folder,
            user_id=int(data["user"]["id"]),
            username=str(data["user"]["username"]),
            queued_at=datetime.fromisoformat(data["queued_at"]),
            request=CaptureRequest.from_description(data, image),
        )

    def remove(self, folder: Path) -> None:
        """Delete an entry that has been filed (its rows are committed); gone already is fine (another
        process of this station filed it too, and found it filed)."""
        try:
            shutil.rmtree(folder)
        except FileNotFoundError:
            return
        fsync_dir(self.root)

    def mark_failed(self, folder: Path, reason: str) -> None:
        if not folder.exists():  # filed and removed by another process of this station meanwhile
            return
        write_atomic(folder / FAILED_NOTE, (reason + "\n").encode("utf-8"))
