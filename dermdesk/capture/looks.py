"""How a lesion looks under each lighting mode, imitated for the virtual dermatoscope.

Not physics: just enough resemblance that a person (and the UI) can tell the modes apart at a glance and
that tests can check them — glare under non-polarised white light, richer colour when cross-polarised, a
dark violet UV picture with fluorescent spots, a near-monochrome picture tinted to the LED's colour for
narrow-band light, and a nearly black one with the light off. Rendered at the picture's own small size
(200x150 for HAM10000) once per lesion and mode, then upscaled once with ``fill_frame``.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from dermdesk.capture.lighting import LightingMode

# Which colour channels (B, G, R) a narrow band mostly sees, and the BGR colour of its LED.
_NARROW_BAND: dict[LightingMode, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    LightingMode.NB_450: ((0.80, 0.20, 0.00), (255.0, 70.0, 0.0)),
    LightingMode.NB_525: ((0.10, 0.80, 0.10), (50.0, 255.0, 30.0)),
    LightingMode.NB_590: ((0.00, 0.50, 0.50), (0.0, 200.0, 255.0)),
    LightingMode.NB_630: ((0.00, 0.15, 0.85), (0.0, 40.0, 255.0)),
}
_OFF_LEVEL = 0.03  # stray light with the LEDs off: a few grey levels


@dataclass(frozen=True)
class Tuning:
    """The virtual dermatoscope's camera controls as picture changes (see virtual_controls.py)."""

    exposure_gain: float = 1.0  # brightness factor: manual exposure time / the automatic one
    white_balance: tuple[float, float, float] = (1.0, 1.0, 1.0)  # BGR gains of the camera's balance
    zoom: float = 1.0  # digital zoom factor: the central 1/zoom of the picture fills the frame


def apply_tuning(picture: np.ndarray, tuning: Tuning) -> np.ndarray:
    """``picture`` (a rendered look, BGR uint8) with exposure, white balance and zoom applied."""
    out = picture
    if tuning.exposure_gain != 1.0 or tuning.white_balance != (1.0, 1.0, 1.0):
        gains = np.asarray(tuning.white_balance, np.float32) * np.float32(tuning.exposure_gain)
        out = np.clip(picture.astype(np.float32) * gains, 0, 255).astype(np.uint8)
    if tuning.zoom > 1.0:
        rows, cols = out.shape[:2]
        keep_rows, keep_cols = max(2, round(rows / tuning.zoom)), max(2, round(cols / tuning.zoom))
        y0, x0 = (rows - keep_rows) // 2, (cols - keep_cols) // 2
        out = out[y0 : y0 + keep_rows, x0 : x0 + keep_cols]
    return np.ascontiguousarray(out)


def render_look(picture: np.ndarray, mode: LightingMode, *, seed: int) -> np.ndarray:
    """``picture`` (BGR uint8) as it would look under ``mode``, vignetted; same size, BGR uint8.

    ``seed`` places glare and fluorescence spots; pass a value derived from the lesion so each lesion
    keeps its own spots across mode switches.
    """
    image: np.ndarray = picture.astype(np.float32)
    rng = np.random.default_rng(seed)
    if mode is LightingMode.OFF:
        image *= _OFF_LEVEL
    elif mode is LightingMode.WHITE:
        image = _saturate(image, 0.85) * 0.92 + 18.0  # washed out a little by surface reflection
    elif mode is LightingMode.WHITE_POLARISED:
        image = _saturate(image, 1.2)
    elif mode is LightingMode.UV_365:
        image = _ultraviolet(image, rng)
    else:
        weights, tint = _NARROW_BAND[mode]
        image = _narrow_band(image, weights, tint)
    image *= _vignette(image.shape[0], image.shape[1])[..., None]
    if mode is LightingMode.WHITE:
        image = _add_glare(image, rng)  # after the vignette: reflections of the LEDs stay bright
    np.clip(image, 0, 255, out=image)
    return image.astype(np.uint8)


def _luminance(image: np.ndarray) -> np.ndarray:
    blue, green, red = image[..., 0], image[..., 1], image[..., 2]
    return np.asarray(0.114 * blue + 0.587 * green + 0.299 * red, dtype=np.float32)


def _saturate(image: np.ndarray, factor: float) -> np.ndarray:
    """Push colours away from grey: what removing the surface reflection does to dermoscopy colour."""
    grey = _luminance(image)[..., None]
    return np.asarray(grey + (image - grey) * factor, dtype=np.float32)


def _spots(
    shape: tuple[int, int], rng: np.random.Generator, count: int, sizes: tuple[float, float]
) -> np.ndarray:
    """A float mask in 0..1 with ``count`` soft round spots of radius in ``sizes`` (pixels)."""
    rows, cols = shape
    mask = np.zeros(shape, dtype=np.float32)
    for _ in range(count):
        y, x = rng.uniform(0.1, 0.9) * rows, rng.uniform(0.1, 0.9) * cols
        sigma = rng.uniform(*sizes)
        half = int(3 * sigma) + 1
        y0, y1 = max(0, int(y) - half), min(rows, int(y) + half + 1)
        x0, x1 = max(0, int(x) - half), min(cols, int(x) + half + 1)
        yy, xx = np.mgrid[y0:y1, x0:x1]
        blob = np.exp(-((yy - y) ** 2 + (xx - x) ** 2) / (2 * sigma**2)).astype(np.float32)
        np.maximum(mask[y0:y1, x0:x1], blob, out=mask[y0:y1, x0:x1])
    return mask


def _add_glare(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Specular reflections of non-polarised light: a few larger glare spots and many tiny ones."""
    glare = np.maximum(
        _spots(image.shape[:2], rng, 4, (1.5, 3.0)), _spots(image.shape[:2], rng, 25, (0.5, 1.0))
    )
    return np.asarray(image + glare[..., None] * (255.0 - image), dtype=np.float32)


def _ultraviolet(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Wood's light: dark violet skin, pigment darker still, a few bluish-green fluorescent spots."""
    level = (_luminance(image) / 255.0) ** 1.6 * 255.0
    out = np.empty_like(image)
    out[..., 0] = 0.55 * level + 25.0
    out[..., 1] = 0.10 * level + 4.0
    out[..., 2] = 0.35 * level + 14.0
    glow = _spots(image.shape[:2], rng, 6, (1.0, 4.0))
    out[..., 0] += 70.0 * glow
    out[..., 1] += 110.0 * glow
    return out


def _narrow_band(
    image: np.ndarray, weights: tuple[float, float, float], tint: tuple[float, float, float]
) -> np.ndarray:
    """One LED colour: a contrast-stretched single-band picture, tinted with the LED's colour."""
    band = image[..., 0] * weights[0] + image[..., 1] * weights[1] + image[..., 2] * weights[2]
    low, high = np.percentile(band, (1.0, 99.0))
    band = (band - low) / max(float(high - low), 1.0) * 235.0 + 10.0
    colour = np.asarray(tint, dtype=np.float32) * 0.85 + 255.0 * 0.15
    return np.asarray(np.clip(band, 0, 255)[..., None] * (colour / 255.0), dtype=np.float32)


def _vignette(rows: int, cols: int) -> np.ndarray:
    """Fall-off of the ring light towards the corners: 1 in the centre, ~0.55 in the corners."""
    yy, xx = np.mgrid[0:rows, 0:cols].astype(np.float32)
    radius = np.hypot((yy - rows / 2) / (rows / 2), (xx - cols / 2) / (cols / 2)) / np.sqrt(2)
    return np.asarray(1.0 - 0.45 * radius**2, dtype=np.float32)


def fill_frame(picture: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Crop the picture's centre to the canvas aspect ratio and upscale it to fill the canvas."""
    width, height = size
    rows, cols = picture.shape[:2]
    if cols / rows > width / height:
        keep = max(1, round(rows * width / height))
        x0 = (cols - keep) // 2
        picture = picture[:, x0 : x0 + keep]
    else:
        keep = max(1, round(cols * height / width))
        y0 = (rows - keep) // 2
        picture = picture[y0 : y0 + keep]
    return np.ascontiguousarray(cv2.resize(picture, (width, height), interpolation=cv2.INTER_CUBIC))
