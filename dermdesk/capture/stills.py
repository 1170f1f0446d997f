"""Saving a still: a lossless PNG plus a JSON sidecar, written so that nothing is ever half there.

A still is clinical evidence: it must be bit-exact (PNG, with its SHA-256 in the sidecar so later copies
can be verified), must never replace an earlier still, and a failure (full disk, a folder without write
permission, a network share gone) must leave the earlier stills intact, leave no partial file and tell
staff plainly what happened while the live view keeps running.

Each file is written to a temporary name in the same folder, flushed to disk, then linked to its final
name with ``os.link`` — which fails instead of overwriting when the name exists — so the numbering moves
on rather than clobbering. On file systems without hard links (FAT/exFAT sticks, some shares) the final
name is reserved with O_EXCL and the finished temp file replaces that empty reservation.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

import cv2
import numpy as np

from dermdesk.capture.frames import Frame
from dermdesk.capture.lighting import LightingMode

log = logging.getLogger(__name__)

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


def read_sidecar(path: Path) -> dict[str, object]:
    """The sidecar of a still (``still-0001.png`` or ``.json``) as a dict."""
    data = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: sidecar is not a JSON object")
    return data


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
        the fields the writer sets itself (ValueError).
        """
        clash = sorted(set(extra or {}) & _OWN_FIELDS)
        if clash:
            raise ValueError(f"extra sidecar fields may not replace {', '.join(clash)}")
        ok, encoded = cv2.imencode(".png", frame.image)
        if not ok:
            raise StillSaveError("Could not save the still: the picture could not be encoded as PNG.")
        png = encoded.tobytes()
        digest = hashlib.sha256(png).hexdigest()
        try:
            self.session_dir.mkdir(parents=True, exist_ok=True)
            number, png_path = self._write_png(png)
            try:
                sidecar = {**_sidecar(frame, lighting, png_path.name, digest), **(extra or {})}
                json_path = self.session_dir / f"still-{number:04d}.json"
                _write_exclusive(json_path, json.dumps(sidecar, indent=2, default=_plain).encode())
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
                    _write_exclusive(path, png)
                    return number, path
                except FileExistsError:
                    pass
            number += 1


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (os.write may write fewer); tests replace this to simulate a full disk."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_exclusive(path: Path, data: bytes) -> None:
    """Durably create ``path`` with ``data``; FileExistsError if it exists; no temp file left on error."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        _link_without_overwrite(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _link_without_overwrite(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # No hard links here: reserve the name (fails if taken), then fill the reservation atomically.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        try:
            os.replace(temp, path)
        except BaseException:
            path.unlink(missing_ok=True)
            raise


def _fsync_dir(folder: Path) -> None:
    """Make the new directory entry durable (POSIX); Windows cannot open folders and does not need it."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_OWN_FIELDS = frozenset(
    {"file", "sha256", "captured_at", "saved_at", "source", "width", "height", "lighting", "polarised"}
    | {"wavelength_nm", "frame_index", "frame_metadata"}
)


def _sidecar(frame: Frame, lighting: LightingMode | None, file_name: str, digest: str) -> dict[str, object]:
    mode = lighting.value if lighting is not None else frame.metadata.get("lighting")
    known = _known_mode(mode)
    captured = time.time() - (time.monotonic() - frame.timestamp)
    return {
        "file": file_name,
        "sha256": digest,
        "captured_at": datetime.fromtimestamp(captured, UTC).isoformat(timespec="milliseconds"),
        "saved_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "source": frame.source_name,
        "width": frame.width,
        "height": frame.height,
        "lighting": mode,
        "polarised": None if known is None else known.polarised,
        "wavelength_nm": None if known is None else known.wavelength_nm,
        "frame_index": frame.index,
        "frame_metadata": dict(frame.metadata),
    }


def _known_mode(value: object) -> LightingMode | None:
    try:
        return LightingMode(value)
    except ValueError:
        return None


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
