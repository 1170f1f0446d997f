"""Calibration: white balance from a reference card, mm per pixel from a ruler, measuring in mm."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dermdesk.capture.calibration import (
    CalibrationError,
    ScaleCalibration,
    WhiteBalance,
    calibrate_scale,
    mean_image,
    measure_mm,
    measure_white_balance,
)
from tests.capture.ruler import ruler_image


@pytest.mark.parametrize("pixels_per_mm", [23.7, 41.3])
def test_two_clicks_on_a_synthetic_ruler_give_the_scale_within_one_percent(pixels_per_mm: float) -> None:
    image, ticks = ruler_image(pixels_per_mm)
    rng = np.random.default_rng(int(pixels_per_mm * 10))
    first_index = len(ticks) // 2 - 5
    errors = []
    for _ in range(10):  # clicks land up to 2 px off the tick and somewhere along it

        def click(index: int) -> tuple[float, float]:
            x, y = ticks[index]
            along = rng.uniform(2, 10)
            return (
                x - math.sin(math.radians(8)) * along + rng.uniform(-2, 2),
                y + math.cos(math.radians(8)) * along + rng.uniform(-2, 2),
            )

        scale = calibrate_scale(image, click(first_index), click(first_index + 10), 10.0, magnification="10x")
        errors.append(abs(scale.pixels_per_mm / pixels_per_mm - 1))
        assert scale.image_size == (1280, 720) and scale.magnification == "10x"
    print(f"\nruler at {pixels_per_mm} px/mm: largest scale error over 10 click pairs {max(errors):.3%}")
    assert max(errors) < 0.01


@pytest.mark.parametrize(
    ("distance", "message"),
    [
        (0, "must be a positive number"),
        (-5, "must be a positive number"),
        (float("nan"), "must be a positive number"),
        (0.1, "too short to calibrate on"),
        (1000, "more than a dermatoscope can see"),
    ],
)
def test_zero_negative_and_absurd_distances_are_refused(distance: float, message: str) -> None:
    image, ticks = ruler_image(23.7)
    with pytest.raises(CalibrationError, match=message):
        calibrate_scale(image, ticks[10], ticks[20], distance)


def test_clicks_outside_the_picture_or_on_one_spot_are_refused() -> None:
    image, ticks = ruler_image(23.7)
    with pytest.raises(CalibrationError, match=r"click at \(1400, 300\) is outside the picture \(1280×720\)"):
        calibrate_scale(image, ticks[10], (1400, 300), 10)
    with pytest.raises(CalibrationError, match="outside the picture"):
        calibrate_scale(image, (-1, 5), ticks[10], 10)
    with pytest.raises(CalibrationError, match="only 2 pixels apart"):
        calibrate_scale(image, (600, 300), (602, 300), 10, snap=False)
    with pytest.raises(CalibrationError, match="not a plausible scale"):
        calibrate_scale(image, (50, 300), (1250, 300), 0.5, snap=False)  # 0.0004 mm/px: a microscope


def test_measuring_a_lesion_in_mm_and_on_a_still_of_another_size() -> None:
    scale = ScaleCalibration(mm_per_pixel=0.02, image_size=(1280, 720))
    assert measure_mm((100, 100), (400, 500), scale, (1280, 720)) == pytest.approx(10.0)
    assert measure_mm((50, 50), (200, 250), scale, (640, 360)) == pytest.approx(10.0)  # half the pixels
    with pytest.raises(CalibrationError, match="outside the picture"):
        measure_mm((100, 100), (700, 100), scale, (640, 360))


def test_white_balance_from_a_tinted_grey_card_makes_it_neutral() -> None:
    rng = np.random.default_rng(0)
    card = np.clip(rng.normal((150, 170, 200), 3, (480, 640, 3)), 0, 255).astype(np.uint8)  # warm light
    balance = measure_white_balance(mean_image([card, card]))
    assert balance.gains[1] == 1.0
    corrected = balance.apply(card).reshape(-1, 3).mean(axis=0)
    assert np.ptp(corrected) < 2.0  # B, G and R equal within 2 grey levels
    twice = balance.combined_with(WhiteBalance((1.1, 1.0, 0.9)))
    assert twice.gains == pytest.approx((balance.gains[0] * 1.1, 1.0, balance.gains[2] * 0.9))
    assert WhiteBalance().apply(card) is card  # identity: no copy made


@pytest.mark.parametrize(
    ("picture", "message"),
    [
        (np.full((120, 160, 3), 10, np.uint8), "too dark to measure"),
        (np.full((120, 160, 3), 255, np.uint8), "burnt out"),
        (
            np.tile(np.repeat(np.array([30, 230], np.uint8), 40), (120, 2))[..., None].repeat(3, 2),
            "not one uniform card",
        ),
        (np.full((120, 160, 3), (40, 200, 60), np.uint8), "does not look like a white or grey reference"),
    ],
)
def test_bad_reference_pictures_are_refused(picture: np.ndarray, message: str) -> None:
    with pytest.raises(CalibrationError, match=message):
        measure_white_balance(picture)
