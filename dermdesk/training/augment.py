"""Augmentations that suit dermoscopy: any orientation, a little zoom, other devices' colour and optics.

Each is cheap numpy/OpenCV on one uint8 RGB picture, so a 2-core machine augments faster than it trains.
"""

from __future__ import annotations

import cv2
import numpy as np

from dermdesk.inference.preprocess import CropBox


def jitter_box(box: CropBox, height: int, width: int, rng: np.random.Generator) -> CropBox:
    """Zoom 0.8–1.25× and shift up to a tenth of the side, staying inside the picture."""
    short = min(height, width)
    side = round(min(short, max(16, box.side * rng.uniform(0.8, 1.25))))
    cx = box.x + box.side / 2 + rng.uniform(-0.1, 0.1) * box.side
    cy = box.y + box.side / 2 + rng.uniform(-0.1, 0.1) * box.side
    x = round(min(max(cx - side / 2, 0), width - side))
    y = round(min(max(cy - side / 2, 0), height - side))
    return CropBox(x, y, side)


def dihedral(pixels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One of the eight flips and 90° rotations: a lesion has no up or down."""
    k = int(rng.integers(4))
    out = np.rot90(pixels, k)
    if rng.random() < 0.5:
        out = out[:, ::-1]
    return np.ascontiguousarray(out)


def colour_jitter(pixels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Brightness, contrast, saturation, hue and white-balance shifts of other cameras and light."""
    x = pixels.astype(np.float32)
    x *= rng.uniform(0.92, 1.08, size=3).astype(np.float32)  # white balance
    mean = x.mean()
    x = (x - mean) * rng.uniform(0.8, 1.2) + mean * rng.uniform(0.8, 1.2)
    x = np.clip(x, 0, 255).astype(np.uint8)
    hsv = cv2.cvtColor(x, cv2.COLOR_RGB2HSV).astype(np.int16)
    hsv[:, :, 0] = (hsv[:, :, 0] + int(rng.integers(-6, 7))) % 180
    hsv[:, :, 1] = np.clip(hsv[:, :, 1] * rng.uniform(0.8, 1.2), 0, 255)
    return cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB)


DEFAULT_BLUR = (0.2, 1.3)  # (share of views blurred, largest σ in network pixels): the shipped recipe's


def optics(
    pixels: np.ndarray, rng: np.random.Generator, blur: tuple[float, float] = DEFAULT_BLUR
) -> np.ndarray:
    """Sometimes defocus, sometimes JPEG compression: what other devices and exports add.

    ``blur`` is (share of views blurred, largest Gaussian σ in network pixels); σ starts at 0.3.
    """
    if rng.random() < blur[0]:
        pixels = cv2.GaussianBlur(pixels, (0, 0), rng.uniform(0.3, blur[1]))
    if rng.random() < 0.3:
        ok, buf = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(35, 96))])
        decoded = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED) if ok else None
        if decoded is not None:
            pixels = decoded
    return pixels


DEFAULT_ASPECT = 1.33  # largest stretch along one axis: a 1:1 original squashed and restored to 4:3


def stretched_crop(rgb: np.ndarray, box: CropBox, rng: np.random.Generator, aspect_max: float) -> np.ndarray:
    """The box widened by √a and lowered by √a (or the other way), a log-uniform in [1/max, max]:
    resized to a square it is the lesion stretched by ``a``, as isic-extra's restored pictures are."""
    if aspect_max <= 1.0:
        return box.apply(rgb)
    h, w = rgb.shape[:2]
    a = float(np.exp(rng.uniform(-np.log(aspect_max), np.log(aspect_max))))
    bw = max(8, min(w, round(box.side * np.sqrt(a))))
    bh = max(8, min(h, round(box.side / np.sqrt(a))))
    cx, cy = box.x + box.side / 2, box.y + box.side / 2
    x = round(min(max(cx - bw / 2, 0), w - bw))
    y = round(min(max(cy - bh / 2, 0), h - bh))
    return rgb[y : y + bh, x : x + bw]


def augment(
    rgb: np.ndarray,
    box: CropBox,
    size: int,
    rng: np.random.Generator,
    blur: tuple[float, float] = DEFAULT_BLUR,
    aspect_max: float = DEFAULT_ASPECT,
) -> np.ndarray:
    """One training view: jittered, sometimes stretched lesion crop, resized with area interpolation, then
    photometric noise."""
    h, w = rgb.shape[:2]
    crop = stretched_crop(rgb, jitter_box(box, h, w, rng), rng, aspect_max)
    pixels = cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA)
    pixels = dihedral(pixels, rng)
    pixels = colour_jitter(pixels, rng)
    return optics(pixels, rng, blur)
