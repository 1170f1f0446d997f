"""Turning any RGB picture into the model's input, identically for training, live view, CLI and reports.

The lesion is found first and cropped to a square around it, so a lesion that fills a tenth of a 1080p
camera frame reaches the network at the same scale as one that fills a 200×150 HAM10000 image.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from dermdesk.i18n import _

# The crop's side is the lesion's longer side times this, so the lesion sits with a rim of skin around it.
LESION_MARGIN = 1.35
# Never zoom in beyond this fraction of the picture's shorter side: small detections are often noise.
MIN_CROP_FRACTION = 0.45
_WORK_SIDE = 128  # the lesion is located on a copy this size: cheap and scale-independent


@dataclass(frozen=True)
class CropBox:
    """A square region of the picture, in pixels: left, top and side."""

    x: int
    y: int
    side: int

    def apply(self, image: np.ndarray) -> np.ndarray:
        return image[self.y : self.y + self.side, self.x : self.x + self.side]


@dataclass(frozen=True)
class InputSpec:
    """How the model wants its input; read from the model manifest."""

    size: int = 160
    colour_order: str = "RGB"
    mean: tuple[float, float, float] = (127.0, 127.0, 127.0)
    scale: tuple[float, float, float] = (128.0, 128.0, 128.0)
    colour_constancy: str = "none"  # one of COLOUR_CONSTANCY: see balance_colour


COLOUR_CONSTANCY = ("none", "shades_of_grey", "shades_of_grey_exposure")
# "shades_of_grey_exposure" also sets the light's brightness to this level (the median of HAM10000's
# lesion crops), within these gains: a dimmer lamp or shorter exposure then reaches the network unchanged.
EXPOSURE_LEVEL = 0.65
EXPOSURE_GAINS = (1 / 3, 3.0)
_SIXTH_POWER = (np.arange(256) / 255.0) ** 6


def to_rgb8(image: np.ndarray) -> np.ndarray:
    """Bring grey, 16-bit, float or 4-channel pictures to 3-channel 8-bit, keeping the channel order."""
    if image.ndim not in (2, 3) or image.size == 0:
        raise ValueError("not an image: expected a 2-D or 3-D pixel array")
    if image.ndim == 3 and image.shape[2] == 2:
        image = image[:, :, 0]  # grey + alpha
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    elif image.shape[2] == 1:
        image = np.repeat(image, 3, axis=2)
    elif image.shape[2] == 4:
        image = image[:, :, :3]
    elif image.shape[2] != 3:
        raise ValueError(f"unsupported number of colour channels: {image.shape[2]}")
    return np.ascontiguousarray(image)


def lesion_mask(rgb: np.ndarray) -> np.ndarray:
    """A rough lesion mask on a small copy: pigmented, darker-than-skin pixels, ignoring the dark rim.

    Uses Otsu's threshold on a blend of darkness and colour saturation, then keeps the connected component
    that is large and central. Returns a uint8 mask the size of the small copy.
    """
    h, w = rgb.shape[:2]
    scale = _WORK_SIDE / max(h, w)
    small = cv2.resize(
        rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    small = cv2.GaussianBlur(small, (5, 5), 0)
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)
    lightness = lab[:, :, 0]
    chroma = np.hypot(lab[:, :, 1] - 128.0, lab[:, :, 2] - 128.0)
    score = (255.0 - lightness) + 1.5 * chroma
    low, high = float(score.min()), float(score.max())
    score = ((score - low) * (255.0 / max(high - low, 1e-6))).astype(np.uint8)
    _, mask = cv2.threshold(score, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # The dermatoscope's vignette is also dark: drop what is almost black.
    mask[lightness < 25] = 0
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        return np.zeros_like(mask)
    sh, sw = mask.shape
    best, best_score = 0, 0.0
    for i in range(1, count):
        x, y, bw, bh, area = stats[i]
        touches = int(x == 0) + int(y == 0) + int(x + bw >= sw) + int(y + bh >= sh)
        if touches >= 3 or area < 0.005 * sh * sw:
            continue  # a frame-filling rim or a speck
        cx, cy = centroids[i]
        off_centre = np.hypot((cx - sw / 2) / sw, (cy - sh / 2) / sh)
        candidate = float(area) * (1.0 - off_centre)
        if candidate > best_score:
            best, best_score = i, candidate
    if best == 0:
        return np.zeros_like(mask)
    return np.where(labels == best, 255, 0).astype(np.uint8)


def find_lesion_box(rgb: np.ndarray) -> CropBox:
    """The square crop around the lesion; the centred square when no lesion stands out."""
    h, w = rgb.shape[:2]
    short = min(h, w)
    mask = lesion_mask(rgb)
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return CropBox((w - short) // 2, (h - short) // 2, short)
    scale = max(h, w) / _WORK_SIDE
    x0, x1 = xs.min() * scale, (xs.max() + 1) * scale
    y0, y1 = ys.min() * scale, (ys.max() + 1) * scale
    side = max(x1 - x0, y1 - y0) * LESION_MARGIN
    side = round(min(short, max(side, MIN_CROP_FRACTION * short)))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left = round(min(max(cx - side / 2, 0), w - side))
    top = round(min(max(cy - side / 2, 0), h - side))
    return CropBox(left, top, side)


def resize_crop(rgb: np.ndarray, box: CropBox, size: int) -> np.ndarray:
    """Crop, then resize with area interpolation (the shared rule): uint8 HxWx3 of ``size``×``size``."""
    crop = box.apply(rgb)
    return cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA)


def shades_of_grey(pixels: np.ndarray, exposure: float | None = None) -> np.ndarray:
    """Undo the light's colour cast: scale each channel so the crop's Minkowski 6-mean is grey.

    Shades of Grey (Finlayson and Trezzi, 2004; p = 6 as in the ISIC 2018–2019 leading entries) estimates
    the illuminant as the p-norm of each channel, between grey-world (p = 1) and max-RGB (p = ∞). Any
    per-channel gain of the input (another camera's white balance) cancels out, up to clipping. The grey
    keeps the crop's brightness, or with ``exposure`` is set to that level (0–1; the brightness gain kept
    within EXPOSURE_GAINS), so that a dimmer light cancels out as well.
    """
    flat = np.ascontiguousarray(pixels).reshape(-1, 3)
    # Per-channel histograms make the 6th-power mean a 256-entry dot product (a tenth of the time).
    sixth = np.array([np.bincount(flat[:, c], minlength=256) @ _SIXTH_POWER for c in range(3)])
    illuminant = np.maximum((sixth / max(len(flat), 1)) ** (1.0 / 6.0), 1e-6)
    gains = illuminant.mean() / illuminant
    if exposure is not None:
        gains *= np.clip(exposure / illuminant.mean(), *EXPOSURE_GAINS)
    table = np.clip(np.arange(256)[:, None] * gains + 0.5, 0, 255).astype(np.uint8)
    return cv2.LUT(np.ascontiguousarray(pixels), table[None, :, :])


def balance_colour(pixels: np.ndarray, spec: InputSpec) -> np.ndarray:
    """The manifest's colour constancy on a uint8 RGB crop (none for packages that do not ask for it)."""
    if spec.colour_constancy == "shades_of_grey":
        return shades_of_grey(pixels)
    if spec.colour_constancy == "shades_of_grey_exposure":
        return shades_of_grey(pixels, exposure=EXPOSURE_LEVEL)
    if spec.colour_constancy != "none":
        raise ValueError(
            _("unknown colour constancy {colour_constancy!r}: expected one of {COLOUR_CONSTANCY}").format(
                colour_constancy=spec.colour_constancy, COLOUR_CONSTANCY=COLOUR_CONSTANCY
            )
        )
    return pixels


def normalise(pixels: np.ndarray, spec: InputSpec) -> np.ndarray:
    """uint8 HxWx3 (RGB) → float32 1x3xHxW: colour constancy, colour order and normalisation per manifest."""
    pixels = balance_colour(pixels, spec)
    if spec.colour_order == "BGR":
        pixels = pixels[:, :, ::-1]
    x = (pixels.astype(np.float32) - np.asarray(spec.mean, np.float32)) / np.asarray(spec.scale, np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None])


def preprocess(rgb: np.ndarray, spec: InputSpec) -> tuple[np.ndarray, CropBox]:
    """The whole shared pipeline for one RGB picture: returns the model input and the crop used."""
    rgb = to_rgb8(rgb)
    box = find_lesion_box(rgb)
    return normalise(resize_crop(rgb, box, spec.size), spec), box
