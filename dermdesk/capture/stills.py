"""Saving a still: a lossless PNG plus a JSON sidecar, written so that nothing is ever half there.

A still is clinical evidence: it must be bit-exact (PNG, with its SHA-256 in the sidecar so later copies
can be verified), must never replace an earlier still, and a failure (full disk, a folder without write
permission, a network share gone) must leave the earlier stills intact, leave no partial file and tell
staff plainly what happened while the live view keeps running.

Each file is written with ``dermdesk.files.write_atomic(..., exclusive=True)``: to a temporary name in
the same folder, flushed to disk, then given its final name in a way that fails instead of overwriting
when the name exists, so the numbering moves on rather than clobbering. The sidecar is a
``dermdesk.capture.sidecar.StillSidecar``, validated before anything is written.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from dermdesk.capture.frames import Frame
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.sidecar import StillSidecar
from dermdesk.files import write_atomic
from dermdesk.i18n import _

log = logging.getLogger(__name__)

_FILE_MODE = 0o644  # rw-r--r-- (less the umask): stills are evidence, others may read, not change them
_STILL_NAME = re.compile(r"^still-(\d{4,})\.(png|json)$")
_KEEPS_RUNNING = "the live view keeps running."


class StillSaveError(RuntimeError):
    """A still could not be saved; the message is for clinic staff. Earlier stills are untouched."""


@dataclass(frozen=True)
class SavedStill:
    path: Path
    sidecar_path: Path
    sha256: str
    number: int


def new_session_dir(data_dir: Path, now: datetime | None = None) -> Path:
    """``<data_dir>/sessions/<YYYY-MM-DD_HHMMSS>`` (local time, as staff read it), created if needed."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
    session = data_dir / "sessions" / stamp
    try:
        session.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StillSaveError(_explain(exc, session)) from exc
    return session


class StillWriter:
    """Numbers and writes stills in one session folder: still-0001.png + still-0001.json, ...

    Not thread-safe by itself: call save() from one thread (the UI's worker); the frame it is given is
    read-only and is not copied.
    """

    def __init__(self, session_dir: Path) -> None:
        self.session_dir = session_dir
        self._next_number = 1 + max(
            (int(m.group(1)) for p in _safe_listdir(session_dir) if (m := _STILL_NAME.match(p))),
            default=0,
        )

    @property
    def next_number(self) -> int:
        return self._next_number

    def save(
        self,
        frame: Frame,
        *,
        lighting: LightingMode | None = None,
        extra: Mapping[str, object] | None = None,
    ) -> SavedStill:
        """Write the frame as the next still with its sidecar; StillSaveError (nothing left) on failure.

        ``lighting``: the mode the UI had selected; defaults to the one the source reported, if any.
        ``extra``: more sidecar fields (quality, device, calibration, sequence); they may not replace
        the fields the writer sets itself, and must be valid StillSidecar fields (ValueError).
        """
        clash = sorted(set(extra or {}) & _OWN_FIELDS)
        if clash:
            raise ValueError(("extra sidecar fields may not replace {value}").format(value=", ".join(clash)))
        ok, encoded = cv2.imencode(".png", frame.image)
        if not ok:
            raise StillSaveError(_("Could not save the still: the picture could not be encoded as PNG."))
        png = encoded.tobytes()
        digest = hashlib.sha256(png).hexdigest()
        sidecar = _sidecar(frame, lighting, digest, extra)  # bad extra fields: refused before writing
        try:
            self.session_dir.mkdir(parents=True, exist_ok=True)
            number, png_path = self._write_png(png)
            try:
                json_path = self.session_dir / f"still-{number:04d}.json"
                named = sidecar.model_copy(update={"file": png_path.name})
                write_atomic(json_path, named.to_json(), mode=_FILE_MODE, exclusive=True)
            except BaseException:
                png_path.unlink(missing_ok=True)  # ours, just made: a still without sidecar is partial
                raise
        except OSError as exc:
            log.error("Saving a still in %s failed: %s", self.session_dir, exc)
            raise StillSaveError(_explain(exc, self.session_dir)) from exc
        self._next_number = number + 1
        log.info("Saved %s (sha256 %s)", png_path, digest[:12])
        return SavedStill(png_path, json_path, digest, number)

    def _write_png(self, png: bytes) -> tuple[int, Path]:
        """Write the PNG under the first free still number from ``_next_number`` on."""
        number = self._next_number
        while True:
            path = self.session_dir / f"still-{number:04d}.png"
            # The sidecar name must be free too, or the pair would be split across numbers.
            if not (self.session_dir / f"still-{number:04d}.json").exists():
                try:
                    write_atomic(path, png, mode=_FILE_MODE, exclusive=True)
                    return number, path
                except FileExistsError:
                    pass
            number += 1


_OWN_FIELDS = frozenset(
    {"file", "sha256", "captured_at", "saved_at", "source", "width", "height", "lighting", "polarised"}
    | {"wavelength_nm", "frame_index", "frame_metadata"}
)


def _sidecar(
    frame: Frame, lighting: LightingMode | None, digest: str, extra: Mapping[str, object] | None
) -> StillSidecar:
    """The sidecar of a still, its file name still to be filled in (the number is not chosen yet);
    ValueError when an ``extra`` field is not what StillSidecar allows."""
    mode = _lighting_value(lighting, frame.metadata.get("lighting"))
    known = _known_mode(mode)
    captured = time.time() - (time.monotonic() - frame.timestamp)
    own: dict[str, object] = {
        "file": "",
        "sha256": digest,
        "captured_at": datetime.fromtimestamp(captured, UTC),
        "saved_at": datetime.now(UTC),
        "source": frame.source_name,
        "width": frame.width,
        "height": frame.height,
        "lighting": mode,
        "polarised": None if known is None else known.polarised,
        "wavelength_nm": None if known is None else known.wavelength_nm,
        "frame_index": frame.index,
        "frame_metadata": _plain_json(dict(frame.metadata)),
    }
    extra_json: dict[str, object] = _plain_json(dict(extra or {}))
    return StillSidecar.from_fields({**own, **extra_json})


def _lighting_value(selected: LightingMode | None, reported: object) -> str | None:
    """The mode the UI selected, else the one the source reported (kept as written if unknown)."""
    if selected is not None:
        return selected.value
    if isinstance(reported, Enum):
        reported = reported.value
    return None if reported is None else str(reported)


def _known_mode(value: str | None) -> LightingMode | None:
    try:
        return LightingMode(value)
    except ValueError:
        return None


def _plain_json(value: object) -> Any:
    """``value`` as plain JSON data (frame metadata may hold enums, numpy scalars, paths, ...)."""
    return json.loads(json.dumps(value, default=_plain))


def _plain(value: object) -> object:
    """JSON for the odd values frame metadata may hold (enums, paths, numpy scalars)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _safe_listdir(folder: Path) -> list[str]:
    """Names in the folder, or none when it cannot be listed (saving will then explain why it fails;
    numbering stays safe because existing names are never replaced)."""
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("Cannot list %s: %s", folder, exc)
        return []


def _explain(exc: OSError, folder: Path) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"Could not save the still: the disk is full. Free space and try again; {_KEEPS_RUNNING}"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"Could not save the still: the folder {folder} cannot be written to (no permission or "
            f"read-only). Ask IT to check it; {_KEEPS_RUNNING}"
        )
    reason = exc.strerror or str(exc)
    return f"Could not save the still in {folder}: {reason}. Try again; {_KEEPS_RUNNING}"
