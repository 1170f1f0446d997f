"""Reading picture files for classification: any format OpenCV decodes, with clear refusals.

Grey-scale, 16-bit, float, alpha and CMYK pictures are brought to 8-bit RGB; pictures too small to show
a lesion, too large (decompression bombs) or damaged are refused by `dermdesk.decoding` before decoding.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from dermdesk.decoding import MIN_PICTURE_SIDE, PictureRefused, decode_picture

MIN_SIDE = MIN_PICTURE_SIDE
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")


class ImageReadError(ValueError):
    """A file is not a picture we can classify; the message names the file and says why."""


def load_rgb(path: Path) -> np.ndarray:
    """The picture as uint8 RGB through the bounded decoder; ImageReadError names the file and says why
    (missing, too large, damaged, too small)."""
    try:
        bgr = decode_picture(path)
    except PictureRefused as exc:
        raise ImageReadError(f"{path}: {exc}") from exc
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def expand_inputs(items: list[Path]) -> list[Path]:
    """Files as given, folders expanded to the pictures in them (sorted, recursive)."""
    out: list[Path] = []
    for item in items:
        if item.is_dir():
            out += sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
        else:
            out.append(item)
    return out
