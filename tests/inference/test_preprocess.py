"""The shared preprocessing: lesion crop quality against HAM10000's masks, and odd pixel formats."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from dermdesk.inference.preprocess import InputSpec, find_lesion_box, normalise, preprocess, to_rgb8


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
