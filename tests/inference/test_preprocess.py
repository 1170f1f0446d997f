"""The shared preprocessing: lesion crop quality against HAM10000's masks, odd pixel formats, and the
colour constancy a package may ask for."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from dermdesk.inference.preprocess import (
    EXPOSURE_GAINS,
    EXPOSURE_LEVEL,
    InputSpec,
    balance_colour,
    find_lesion_box,
    normalise,
    preprocess,
    resize_crop,
    shades_of_grey,
    to_rgb8,
)


def test_lesion_crop_keeps_the_lesion(ham_dir: Path) -> None:
    images = sorted((ham_dir / "images").glob("*.jpg"))[::100]
    coverage = []
    for path in images:
        rgb = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
        mask = (
            cv2.imread(str(ham_dir / "masks" / f"{path.stem}_segmentation.png"), cv2.IMREAD_GRAYSCALE) > 127
        )
        box = find_lesion_box(rgb)
        assert box.x >= 0 and box.y >= 0 and box.x + box.side <= 200 and box.y + box.side <= 150
        coverage.append(mask[box.y : box.y + box.side, box.x : box.x + box.side].sum() / max(1, mask.sum()))
    assert np.mean(coverage) > 0.9


def test_small_lesion_in_a_large_frame_is_zoomed_in() -> None:
    frame = np.full((1080, 1920, 3), (205, 160, 140), np.uint8)
    cv2.circle(frame, (1200, 400), 60, (90, 50, 40), -1)
    box = find_lesion_box(frame)
    assert box.side < 700
    assert box.x < 1200 < box.x + box.side and box.y < 400 < box.y + box.side


def test_blank_frame_falls_back_to_the_centre() -> None:
    box = find_lesion_box(np.full((300, 400, 3), 128, np.uint8))
    assert (box.x, box.y, box.side) == (50, 0, 300)


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((64, 48), np.uint8),
        np.zeros((64, 48, 1), np.uint8),
        np.full((64, 48, 3), 40000, np.uint16),
        np.zeros((64, 48, 4), np.uint8),
        np.zeros((64, 48, 2), np.uint8),
        np.full((64, 48, 3), 300.0, np.float32),
    ],
)
def test_odd_pixel_formats_become_rgb8(image: np.ndarray) -> None:
    out = to_rgb8(image)
    assert out.dtype == np.uint8 and out.shape == (64, 48, 3)


def test_normalisation_follows_the_spec() -> None:
    pixels = np.full((4, 4, 3), (255, 127, 0), np.uint8)
    x = normalise(pixels, InputSpec(size=4))
    assert x.shape == (1, 3, 4, 4)
    np.testing.assert_allclose(x[0, :, 0, 0], [128 / 128, 0.0, -127 / 128])
    bgr = normalise(pixels, InputSpec(size=4, colour_order="BGR"))
    np.testing.assert_allclose(bgr[0, :, 0, 0], [-127 / 128, 0.0, 128 / 128])


def test_preprocess_output_shape() -> None:
    x, box = preprocess(
        np.random.default_rng(0).integers(0, 255, (150, 200, 3), dtype=np.uint8), InputSpec(size=160)
    )
    assert x.shape == (1, 3, 160, 160) and x.dtype == np.float32
    assert box.side <= 150


def _lesion_crops(ham_dir: Path) -> list[np.ndarray]:
    crops = []
    for path in sorted((ham_dir / "images").glob("*.jpg"))[::400]:
        rgb = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
        crops.append(resize_crop(rgb, find_lesion_box(rgb), 160))
    return crops


def test_shades_of_grey_cancels_another_cameras_white_balance(ham_dir: Path) -> None:
    """The same lesion under a warm and a cool white balance reaches the network almost unchanged."""
    afters = []
    for crop in _lesion_crops(ham_dir):
        warm = np.clip(crop * np.array([1.0, 0.85, 0.7]), 0, 255).astype(np.uint8)
        cool = np.clip(crop * np.array([0.75, 0.85, 1.0]), 0, 255).astype(np.uint8)
        before = np.abs(warm.astype(int) - cool).mean()
        after = np.abs(shades_of_grey(warm).astype(int) - shades_of_grey(cool)).mean()
        assert after < before / 4  # what remains: rounding of the darkened channels, clipped highlights
        afters.append(after)
    assert np.mean(afters) < 3.0


def test_shades_of_grey_makes_the_light_grey_and_keeps_the_brightness(ham_dir: Path) -> None:
    for crop in _lesion_crops(ham_dir):
        out = shades_of_grey(crop).astype(np.float64) / 255
        p_means = np.mean(out.reshape(-1, 3) ** 6, axis=0) ** (1 / 6)
        assert p_means.max() - p_means.min() < 0.02
        assert abs(out.mean() * 255 - crop.mean()) < 0.15 * crop.mean()
    black = np.zeros((8, 8, 3), np.uint8)
    np.testing.assert_array_equal(shades_of_grey(black), black)  # no light to estimate: left alone


def test_shades_of_grey_matches_the_formula_on_real_crops(ham_dir: Path) -> None:
    """The histogram shortcut gives the gains of the plain per-pixel formula, byte for byte."""
    for crop in _lesion_crops(ham_dir):
        x = crop.reshape(-1, 3).astype(np.float64) / 255
        illuminant = np.mean(x**6, axis=0) ** (1 / 6)
        table = np.clip(np.arange(256)[:, None] * (illuminant.mean() / illuminant) + 0.5, 0, 255)
        expected = np.stack([table[crop[:, :, c], c] for c in range(3)], axis=2).astype(np.uint8)
        np.testing.assert_array_equal(shades_of_grey(crop), expected)


def test_exposure_variant_cancels_a_dimmer_light_as_well(ham_dir: Path) -> None:
    """With the exposure level set, the same lesion under a lamp at 70 % (and a warm cast) looks the same."""
    afters = []
    for crop in _lesion_crops(ham_dir):
        dim = np.clip(crop * np.array([0.7, 0.63, 0.56]) + 0.5, 0, 255).astype(np.uint8)
        before = np.abs(crop.astype(int) - dim).mean()
        after = np.abs(
            shades_of_grey(crop, exposure=EXPOSURE_LEVEL).astype(int)
            - shades_of_grey(dim, exposure=EXPOSURE_LEVEL)
        ).mean()
        assert after < before / 4
        afters.append(after)
        plain = np.abs(shades_of_grey(crop).astype(int) - shades_of_grey(dim)).mean()
        assert plain > 2 * after  # plain Shades of Grey keeps each picture's own brightness
    assert np.mean(afters) < 3.0


def test_exposure_variant_sets_the_light_to_one_level_within_its_gains(ham_dir: Path) -> None:
    for crop in _lesion_crops(ham_dir):
        out = shades_of_grey(crop, exposure=EXPOSURE_LEVEL).astype(np.float64) / 255
        p_means = np.mean(out.reshape(-1, 3) ** 6, axis=0) ** (1 / 6)
        assert abs(p_means.mean() - EXPOSURE_LEVEL) < 0.04  # less where bright skin clips at 255
    faint = np.full((8, 8, 3), 20, np.uint8)  # an almost black frame is brightened 3×, not 8×
    np.testing.assert_array_equal(
        shades_of_grey(faint, exposure=EXPOSURE_LEVEL), round(20 * EXPOSURE_GAINS[1])
    )
    net_input = normalise(faint, InputSpec(size=8, colour_constancy="shades_of_grey_exposure"))
    np.testing.assert_allclose(net_input, (60 - 127) / 128)  # what the package's network receives


def test_colour_constancy_is_applied_only_when_the_package_asks() -> None:
    pixels = np.full((4, 4, 3), (200, 100, 50), np.uint8)
    assert balance_colour(pixels, InputSpec(size=4)) is pixels
    balanced = normalise(pixels, InputSpec(size=4, colour_constancy="shades_of_grey"))
    assert np.ptp(balanced[0, :, 0, 0]) < 0.02  # a flat colour cast becomes grey
    with pytest.raises(ValueError, match="unknown colour constancy 'retinex'"):
        normalise(pixels, InputSpec(size=4, colour_constancy="retinex"))
