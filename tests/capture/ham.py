"""HAM10000 pictures for the quality-gate tests: the test split, and skin patches cut beside a lesion."""

from __future__ import annotations

import csv
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[2]
HAM = REPO.parent / "shared" / "data" / "ham10000"
TEST_SPLIT = REPO / "splits" / "test.csv"
PATCH_MIN_SIDE = 40
PATCH_MARGIN = 3  # pixels kept between the patch and the lesion mask


def split_ids() -> list[str]:
    assert (HAM / "images").is_dir(), f"HAM10000 expected at {HAM}"
    with TEST_SPLIT.open(newline="") as handle:
        return [row["image_id"] for row in csv.DictReader(handle)]


def read_image(image_id: str) -> np.ndarray:
    image = cv2.imread(str(HAM / "images" / f"{image_id}.jpg"), cv2.IMREAD_COLOR)
    assert image is not None, f"cannot read {image_id}"
    return np.asarray(image)


def skin_patch(image_id: str) -> np.ndarray | None:
    """The largest square of the picture lying wholly outside its lesion mask (None if under 40 px).

    The square is found with a chessboard distance transform of the skin: the pixel farthest from the
    mask and the picture's border is the centre of the largest inscribed square.
    """
    mask = cv2.imread(str(HAM / "masks" / f"{image_id}_segmentation.png"), cv2.IMREAD_GRAYSCALE)
    assert mask is not None, f"cannot read the mask of {image_id}"
    skin = (mask < 128).astype(np.uint8)
    skin[0, :] = skin[-1, :] = 0
    skin[:, 0] = skin[:, -1] = 0
    distance = cv2.distanceTransform(skin, cv2.DIST_C, 3)
    y, x = np.unravel_index(int(np.argmax(distance)), distance.shape)
    half = int(distance[y, x]) - PATCH_MARGIN
    if 2 * half < PATCH_MIN_SIDE:
        return None
    return read_image(image_id)[y - half : y + half, x - half : x + half]


def as_camera_frame(patch: np.ndarray, size: tuple[int, int] = (320, 240)) -> np.ndarray:
    """A patch filling a camera frame, as if the dermatoscope sat on that bit of skin."""
    return np.asarray(cv2.resize(patch, size, interpolation=cv2.INTER_CUBIC))
