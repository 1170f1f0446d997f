"""Reading picture files for classification: any format OpenCV decodes, with clear refusals.

Grey-scale, 16-bit, float, alpha and CMYK pictures are brought to 8-bit RGB; pictures too small to show
a lesion are refused rather than classified.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from dermdesk.inference.preprocess import to_rgb8

MIN_SIDE = 32
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")


class ImageReadError(ValueError):
    """A file is not a picture we can classify; the message names the file and says why."""


def load_rgb(path: Path) -> np.ndarray:
    """The picture as uint8 RGB; raises ImageReadError for missing, unreadable or tiny files."""
    if not path.is_file():
        raise ImageReadError(f"{path}: no such file")
    data = np.fromfile(path, dtype=np.uint8)  # also works for non-ASCII paths on Windows
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if image is None or image.size == 0:
        raise ImageReadError(f"{path}: not a readable image")
    if image.dtype.kind == "f" and float(np.nanmax(image)) <= 1.0:
        image = image * 255.0
    image = cv2.cvtColor(to_rgb8(image), cv2.COLOR_BGR2RGB)  # OpenCV decodes to BGR(A) order
    if min(image.shape[:2]) < MIN_SIDE:
        raise ImageReadError(
            f"{path}: image too small ({image.shape[1]}×{image.shape[0]} px); at least {MIN_SIDE} px needed"
        )
    return image


def expand_inputs(items: list[Path]) -> list[Path]:
    """Files as given, folders expanded to the pictures in them (sorted, recursive)."""
    out: list[Path] = []
    for item in items:
        if item.is_dir():
            out += sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
        else:
            out.append(item)
    return out
