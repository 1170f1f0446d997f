"""Calibration: true colours from a white or grey reference, and millimetres from a ruler.

White balance: staff fill the view with a white or grey reference card and capture it; the average of
each colour channel over the centre of the picture gives per-channel gains that make the card neutral
grey (green is kept as it is, so brightness stays put). The gains are applied to every frame.

Scale: staff capture a ruler, click two of its ticks and type how far apart they are. The clicks are
refined to the centre of the nearest tick along the line between them (sub-pixel), so a click a pixel or
two off still gives a scale within a fraction of a percent. The scale belongs to one camera at one
magnification and one frame size; measuring on a still of another size rescales it.

Every bad input (a distance that is zero, negative or absurd for a dermatoscope's field of view, a click
outside the picture, two clicks on the same spot, a reference card that is too dark, burnt out or not
uniform) raises CalibrationError with a message staff can act on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from dermdesk.i18n import _

MIN_RULER_DISTANCE_MM = 0.5
"""Shorter distances cannot be clicked precisely enough for a 1 % scale."""
MAX_RULER_DISTANCE_MM = 200.0
"""No dermatoscope or clinic camera sees more than this across; anything larger is a typing error."""
MIN_CLICK_SEPARATION_PX = 20.0
"""Two ruler clicks closer than this give a scale too coarse to trust."""
MIN_MM_PER_PIXEL = 0.0005
MAX_MM_PER_PIXEL = 2.0
"""A resulting scale outside these bounds means the distance or the clicks were wrong."""
SNAP_RADIUS_PX = 6.0
"""How far from a click (along the ruler) its tick may be found."""

WB_REFERENCE_MIN_MEAN = 40.0
"""A reference card darker than this (mean grey level) is too dark to measure colour on."""
WB_MAX_CLIPPED = 0.2
"""More than this share of clipped pixels in the centre: the card is burnt out; lower the exposure."""
WB_MAX_NONUNIFORMITY = 0.25
"""Coefficient of variation of brightness above this: the centre is not filled by one uniform card."""
WB_GAIN_RANGE = (0.33, 3.0)
"""Gains outside this range mean the picture was not of a white or grey card."""
WB_CENTRE_FRACTION = 0.5
"""The reference is measured on the central half (width and height) of the picture."""


class CalibrationError(ValueError):
    """A calibration input was refused; the message is for clinic staff."""


Point = tuple[float, float]


# --- white balance -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhiteBalance:
    """Per-channel gains in BGR order; (1, 1, 1) changes nothing."""

    gains: tuple[float, float, float] = (1.0, 1.0, 1.0)

    @property
    def is_identity(self) -> bool:
        return all(abs(gain - 1.0) < 1e-3 for gain in self.gains)

    def combined_with(self, other: WhiteBalance) -> WhiteBalance:
        """These gains followed by ``other`` (a reference measured on already-corrected frames)."""
        b, g, r = (a * b for a, b in zip(self.gains, other.gains, strict=True))
        return WhiteBalance((b, g, r))

    def apply(self, image: np.ndarray) -> np.ndarray:
        """A white-balanced copy of a BGR uint8 picture (one table lookup per channel)."""
        if self.is_identity:
            return image
        return np.asarray(cv2.LUT(image, self._table()))

    def _table(self) -> np.ndarray:
        levels = np.arange(256, dtype=np.float32)
        channels = [np.clip(levels * gain + 0.5, 0, 255).astype(np.uint8) for gain in self.gains]
        return np.stack(channels, axis=-1).reshape(256, 1, 3)


def measure_white_balance(image: np.ndarray) -> WhiteBalance:
    """Gains that make the reference card in the centre of ``image`` (BGR uint8) neutral grey."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise CalibrationError(_("The white balance needs a colour picture of the reference card."))
    height, width = image.shape[:2]
    margin_y = round(height * (1 - WB_CENTRE_FRACTION) / 2)
    margin_x = round(width * (1 - WB_CENTRE_FRACTION) / 2)
    centre = image[margin_y : height - margin_y, margin_x : width - margin_x].astype(np.float32)
    grey = centre.mean(axis=2)
    if float(grey.mean()) < WB_REFERENCE_MIN_MEAN:
        raise CalibrationError(
            _(
                "The reference card is too dark to measure — turn the light on (white light) and "
                "fill the view with the card."
            )
        )
    if float((centre.max(axis=2) >= 250).mean()) > WB_MAX_CLIPPED:
        raise CalibrationError(
            _("The reference card is burnt out (too bright) — lower the exposure and try again.")
        )
    if float(grey.std() / max(grey.mean(), 1.0)) > WB_MAX_NONUNIFORMITY:
        raise CalibrationError(
            _(
                "The centre of the picture is not one uniform card — fill the whole view with "
                "the white or grey reference and try again."
            )
        )
    means = centre.reshape(-1, 3).mean(axis=0)
    gains = (float(means[1] / max(means[0], 1.0)), 1.0, float(means[1] / max(means[2], 1.0)))
    low, high = WB_GAIN_RANGE
    if not all(low <= gain <= high for gain in gains):
        raise CalibrationError(
            _(
                "This does not look like a white or grey reference (its colour is too strong) — "
                "use the white or grey card under white light."
            )
        )
    return WhiteBalance((round(gains[0], 4), 1.0, round(gains[2], 4)))


# --- scale ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleCalibration:
    """Millimetres per pixel for one camera at one magnification, at the frame size it was taken at."""

    mm_per_pixel: float
    image_size: tuple[int, int]  # (width, height) of the frames the scale was measured on
    magnification: str = "default"

    def mm_per_pixel_for(self, image_size: tuple[int, int]) -> float:
        """The scale for a picture of another size from the same camera and magnification."""
        width = image_size[0]
        if width <= 0:
            raise CalibrationError(_("The picture has no width."))
        return self.mm_per_pixel * self.image_size[0] / width

    @property
    def pixels_per_mm(self) -> float:
        return 1.0 / self.mm_per_pixel


def check_click(point: Point, image_size: tuple[int, int]) -> Point:
    """``point`` as floats if it lies on the picture; CalibrationError saying so otherwise."""
    x, y = float(point[0]), float(point[1])
    width, height = image_size
    if not (math.isfinite(x) and math.isfinite(y)) or not (0 <= x < width and 0 <= y < height):
        raise CalibrationError(
            _(
                "The click at ({x:.0f}, {y:.0f}) is outside the picture ({width}×{height}) — "
                "click on the picture itself."
            ).format(x=x, y=y, width=width, height=height)
        )
    return x, y


def check_ruler_distance(distance_mm: float) -> float:
    """The known distance between the two ruler clicks, refused when zero, negative or absurd."""
    value = float(distance_mm)
    if not math.isfinite(value) or value <= 0:
        raise CalibrationError(
            _(
                "The distance between the clicks must be a positive number of millimetres (got "
                "{distance_mm})."
            ).format(distance_mm=distance_mm)
        )
    if value < MIN_RULER_DISTANCE_MM:
        raise CalibrationError(
            _(
                "{value:g} mm is too short to calibrate on — click two ticks at least "
                "{MIN_RULER_DISTANCE_MM:g} mm apart (5 or 10 mm is best)."
            ).format(value=value, MIN_RULER_DISTANCE_MM=MIN_RULER_DISTANCE_MM)
        )
    if value > MAX_RULER_DISTANCE_MM:
        raise CalibrationError(
            _(
                "{value:g} mm is more than a dermatoscope can see ({MAX_RULER_DISTANCE_MM:g} mm "
                "at most) — check the number you typed."
            ).format(value=value, MAX_RULER_DISTANCE_MM=MAX_RULER_DISTANCE_MM)
        )
    return value


def refine_tick(grey: np.ndarray, click: Point, toward: Point, radius: float = SNAP_RADIUS_PX) -> Point:
    """The centre of the dark tick nearest to ``click`` along the line to ``toward`` (sub-pixel).

    Samples the brightness along that line within ``radius`` of the click; the darkest sample, refined
    with a parabola through its neighbours, is the tick's centre. When there is no clear dark tick
    (contrast under 10 grey levels) the click is returned unchanged.
    """
    x0, y0 = click
    dx, dy = toward[0] - x0, toward[1] - y0
    length = math.hypot(dx, dy)
    if length == 0:
        return click
    ux, uy = dx / length, dy / length
    steps = np.arange(-radius, radius + 0.25, 0.25, dtype=np.float32)
    map_x = (x0 + steps * ux).reshape(1, -1).astype(np.float32)
    map_y = (y0 + steps * uy).reshape(1, -1).astype(np.float32)
    profile = cv2.remap(
        grey.astype(np.float32), map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    ).ravel()
    profile = np.convolve(profile, np.ones(3, np.float32) / 3, mode="same")
    inner = profile[1:-1]
    best = int(np.argmin(inner)) + 1
    if float(np.median(profile) - profile[best]) < 10.0:
        return click
    left, centre, right = profile[best - 1], profile[best], profile[best + 1]
    curvature = left - 2 * centre + right
    offset = 0.5 * (left - right) / curvature if curvature > 1e-6 else 0.0
    along = float(steps[best]) + float(np.clip(offset, -1, 1)) * 0.25
    return x0 + along * ux, y0 + along * uy


def calibrate_scale(
    image: np.ndarray,
    first: Point,
    second: Point,
    distance_mm: float,
    *,
    magnification: str = "default",
    snap: bool = True,
) -> ScaleCalibration:
    """The scale from two clicks on ruler ticks ``distance_mm`` apart on ``image`` (BGR or grey)."""
    height, width = image.shape[:2]
    distance = check_ruler_distance(distance_mm)
    p1, p2 = check_click(first, (width, height)), check_click(second, (width, height))
    if snap:
        grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        p1, p2 = refine_tick(grey, p1, p2), refine_tick(grey, p2, p1)
    pixels = math.dist(p1, p2)
    if pixels < MIN_CLICK_SEPARATION_PX:
        raise CalibrationError(
            _(
                "The two clicks are only {pixels:.0f} pixels apart — click two ticks further "
                "apart on the ruler."
            ).format(pixels=pixels)
        )
    mm_per_pixel = distance / pixels
    if not MIN_MM_PER_PIXEL <= mm_per_pixel <= MAX_MM_PER_PIXEL:
        raise CalibrationError(
            _(
                "{distance:g} mm over {pixels:.0f} pixels ({mm_per_pixel:.4f} mm per pixel) is "
                "not a plausible scale — check the distance and click on the ruler's ticks."
            ).format(distance=distance, pixels=pixels, mm_per_pixel=mm_per_pixel)
        )
    label = magnification.strip() or "default"
    return ScaleCalibration(mm_per_pixel=mm_per_pixel, image_size=(width, height), magnification=label)


def measure_mm(first: Point, second: Point, scale: ScaleCalibration, image_size: tuple[int, int]) -> float:
    """The distance in mm between two clicks on a picture of ``image_size`` (e.g. a lesion's diameter)."""
    p1, p2 = check_click(first, image_size), check_click(second, image_size)
    return math.dist(p1, p2) * scale.mm_per_pixel_for(image_size)


def mean_image(images: Sequence[np.ndarray]) -> np.ndarray:
    """The average of a few frames (less noise for a reference capture), as uint8."""
    if not images:
        raise CalibrationError(_("No picture was captured for the calibration."))
    total = np.zeros(images[0].shape, np.float32)
    for image in images:
        total += image
    return np.asarray(np.clip(total / len(images) + 0.5, 0, 255).astype(np.uint8))
