"""Bounded picture decoding: the one helper that turns untrusted picture bytes into pixels.

Why one helper: a picture from outside the station (an imported file, a DICOM object, an upload) can
claim dimensions that would exhaust memory when decoded, or be truncated. Every reader checks the
claimed size first (`check_dimensions`), before any pixel buffer is allocated, and refuses a damaged
file with a sentence a clinician can read (`PictureRefused`).

Issue 21 owns this module; this is the small version issue 25 (DICOM import) needs, with the same API.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

__all__ = ["MAX_PICTURE_BYTES", "MAX_PICTURE_PIXELS", "PictureRefused", "check_dimensions", "decode_picture"]

MAX_PICTURE_PIXELS = 50_000_000
"""The most pixels a picture may have (a 50-megapixel camera; a dermatoscope gives far fewer)."""

MAX_PICTURE_BYTES = 200 * 1024 * 1024
"""The largest picture file read (an uncompressed 50-megapixel RGB picture is 150 MB)."""

_PNG = b"\x89PNG\r\n\x1a\n"


class PictureRefused(ValueError):  # noqa: N818 - the name shared with issue 21
    """A picture that is not decoded: too large, damaged, or not a picture; the message says which."""


def check_dimensions(width: int, height: int) -> None:
    """Refuse a picture whose claimed size is empty or larger than MAX_PICTURE_PIXELS."""
    if width <= 0 or height <= 0:
        raise PictureRefused(f"The picture claims an empty size ({width} × {height} pixels); it is damaged.")
    if width * height > MAX_PICTURE_PIXELS:
        raise PictureRefused(
            f"The picture is too large to open safely ({width} × {height} pixels; at most "
            f"{MAX_PICTURE_PIXELS // 1_000_000} megapixels)."
        )


def _png_dimensions(data: bytes) -> tuple[int, int] | None:
    if data.startswith(_PNG) and len(data) >= 24 and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return None


def decode_picture(source: bytes | Path) -> np.ndarray:
    """The picture as a BGR uint8 array, after checking its size; PictureRefused when it cannot be."""
    if isinstance(source, Path):
        try:
            if source.stat().st_size > MAX_PICTURE_BYTES:
                raise PictureRefused(f"The file {source.name} is too large to be a picture DermDesk opens.")
            data = source.read_bytes()
        except OSError as exc:
            raise PictureRefused(f"Cannot read {source.name}: {exc.strerror or exc}.") from exc
    else:
        data = source
    if len(data) > MAX_PICTURE_BYTES:
        raise PictureRefused("The picture is too large to be opened safely.")
    claimed = _png_dimensions(data)
    if claimed is not None:
        check_dimensions(*claimed)
    buffer = np.frombuffer(data, dtype=np.uint8)
    picture = cv2.imdecode(buffer, cv2.IMREAD_COLOR)
    if picture is None:
        raise PictureRefused("The file is not a picture DermDesk can read, or it is damaged.")
    check_dimensions(picture.shape[1], picture.shape[0])
    return np.ascontiguousarray(picture, dtype=np.uint8)
