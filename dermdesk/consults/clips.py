"""Short clips for a dermatologist who asked for more: a few seconds of the live source, as WebM.

Why WebM with VP8: browsers play it (the dermatologists' pages, issue 23) and the OpenCV wheel DermDesk
installs writes it through its bundled FFmpeg (fourcc `VP80`; `VP90` when VP8 is missing). Every clip is
read back before it is queued: one that cannot be decoded, has no frames or runs longer than the consult
format allows is refused with the reason, and nothing is queued.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from dermdesk.files import write_atomic
from dermdesk.i18n import _
from dermdesk.sync.consult_payload import MAX_CLIP_BYTES, MAX_CLIP_SECONDS, WEBM_MAGIC

FOURCCS = ("VP80", "VP90")
MAX_SIDE = 960  # enough to judge a lesion in motion; keeps a clip of 10 s within the size limit


class ClipRefused(ValueError):  # noqa: N818 - a refusal, like PictureRefused
    """The clip cannot be sent; the message says why, for the person who recorded it."""


@dataclass(frozen=True)
class Clip:
    """A checked clip in the station's clip folder."""

    name: str  # the file name inside the clip folder
    seconds: float
    frames: int


def record_clip(next_frame: Callable[[], np.ndarray], seconds: float, fps: float, folder: Path) -> Clip:
    """Record `seconds` of pictures from `next_frame` (e.g. a source's `read`) into a WebM clip."""
    if not 0 < seconds <= MAX_CLIP_SECONDS:
        raise ClipRefused(
            _("A clip may last up to {MAX_CLIP_SECONDS:g} seconds (asked for {seconds:g}).").format(
                MAX_CLIP_SECONDS=MAX_CLIP_SECONDS, seconds=seconds
            )
        )
    count = max(1, round(seconds * fps))
    frames = [_fit(next_frame()) for _ in range(count)]
    return write_clip(frames, fps, folder)


def write_clip(frames: list[np.ndarray], fps: float, folder: Path) -> Clip:
    """Write BGR pictures as a WebM clip, read it back and keep it; ClipRefused when it fails."""
    if not frames:
        raise ClipRefused(_("The clip has no pictures."))
    if len(frames) / fps > MAX_CLIP_SECONDS:
        raise ClipRefused(
            _("The clip lasts {value:.1f} s; at most {MAX_CLIP_SECONDS:g} s may be sent.").format(
                value=len(frames) / fps, MAX_CLIP_SECONDS=MAX_CLIP_SECONDS
            )
        )
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    height, width = frames[0].shape[:2]
    name = f"{secrets.token_hex(8)}.webm"
    scratch = folder / f".{name}.part.webm"  # FFmpeg picks the container from the suffix
    try:
        for fourcc in FOURCCS:
            writer = cv2.VideoWriter(str(scratch), cv2.VideoWriter.fourcc(*fourcc), fps, (width, height))
            if writer.isOpened():
                break
            writer.release()
        else:
            raise ClipRefused(_("This station's OpenCV cannot write WebM (VP8 or VP9); ask IT."))
        for frame in frames:
            writer.write(
                np.ascontiguousarray(frame[:, :, :3]) if frame.shape[:2] == (height, width) else frame
            )
        writer.release()
        data = scratch.read_bytes()
    finally:
        scratch.unlink(missing_ok=True)
    write_atomic(folder / name, data, mode=0o600)
    try:
        seconds, count = check_clip(folder / name)
    except ClipRefused:
        (folder / name).unlink(missing_ok=True)
        raise
    return Clip(name, seconds, count)


def check_clip(path: Path) -> tuple[float, int]:
    """(seconds, frames) of a WebM clip that decodes and is short and small enough; ClipRefused else."""
    try:
        head = path.read_bytes()[:4]
        size = path.stat().st_size
    except OSError as exc:
        raise ClipRefused(_("The clip cannot be read ({value}).").format(value=exc.strerror or exc)) from exc
    if head != WEBM_MAGIC:
        raise ClipRefused(_("The file is not a WebM clip."))
    if size > MAX_CLIP_BYTES:
        raise ClipRefused(
            _("The clip is {value} MiB; at most {value2} MiB.").format(
                value=size // 1024 // 1024, value2=MAX_CLIP_BYTES // 1024 // 1024
            )
        )
    capture = cv2.VideoCapture(str(path))
    try:
        if not capture.isOpened():
            raise ClipRefused(_("The clip cannot be decoded."))
        fps = capture.get(cv2.CAP_PROP_FPS) or 0.0
        frames = 0
        while True:
            ok, _frame = capture.read()
            if not ok:
                break
            frames += 1
            if fps > 0 and frames / fps > MAX_CLIP_SECONDS:
                raise ClipRefused(
                    _("The clip is longer than {MAX_CLIP_SECONDS:g} seconds; record a shorter one.").format(
                        MAX_CLIP_SECONDS=MAX_CLIP_SECONDS
                    )
                )
    finally:
        capture.release()
    if frames == 0 or fps <= 0:
        raise ClipRefused(_("The clip holds no pictures that can be decoded."))
    return frames / fps, frames


def import_clip(source: Path, folder: Path) -> Clip:
    """Check a WebM file (e.g. recorded elsewhere) and copy it into the clip folder."""
    seconds, frames = check_clip(source)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_hex(8)}.webm"
    write_atomic(folder / name, source.read_bytes(), mode=0o600)
    return Clip(name, seconds, frames)


def _fit(frame: np.ndarray) -> np.ndarray:
    height, width = frame.shape[:2]
    if max(height, width) <= MAX_SIDE:
        return frame
    scale = MAX_SIDE / max(height, width)
    size = (round(width * scale) // 2 * 2, round(height * scale) // 2 * 2)
    return cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
