"""A synthetic ruler with known tick spacing, for the calibration tests (core and UI)."""

from __future__ import annotations

import math

import cv2
import numpy as np

SUPERSAMPLE = 4


def ruler_image(
    pixels_per_mm: float, size: tuple[int, int] = (1280, 720), angle_deg: float = 8.0
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """A synthetic ruler: dark 2-px ticks every mm (longer every 5 and 10), rotated, anti-aliased.

    Returns the BGR picture and the true centre of each tick's foot, in picture pixels.
    """
    width, height = size
    canvas = np.full((height * SUPERSAMPLE, width * SUPERSAMPLE), 235, np.uint8)
    angle = math.radians(angle_deg)
    ux, uy = math.cos(angle), math.sin(angle)
    vx, vy = -uy, ux
    cx, cy = width / 2, height / 2
    count = int(width / pixels_per_mm / 2)
    ticks = []
    for k in range(-count, count + 1):
        x, y = cx + k * pixels_per_mm * ux, cy + k * pixels_per_mm * uy
        length = 40 if k % 10 == 0 else 25 if k % 5 == 0 else 15
        start = (round(x * SUPERSAMPLE), round(y * SUPERSAMPLE))
        end = (round((x + vx * length) * SUPERSAMPLE), round((y + vy * length) * SUPERSAMPLE))
        cv2.line(canvas, start, end, 30, thickness=2 * SUPERSAMPLE)
        ticks.append((x, y))
    image = cv2.resize(canvas, (width, height), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), ticks
