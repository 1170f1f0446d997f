"""The quality gate both ways: good pictures pass; each kind of bad picture is refused with its message."""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest

from dermdesk.capture.frames import Frame
from dermdesk.capture.lighting import LightingMode
from dermdesk.capture.quality import (
    FOCUS_MIN_LAPLACIAN_VAR,
    Problem,
    assess,
    checks_for,
    sharpest,
    sharpness,
)
from dermdesk.capture.virtual_dermatoscope import VirtualDermatoscope
from tests.capture.ham import as_camera_frame, read_image, skin_patch, split_ids

POLARISED = LightingMode.WHITE_POLARISED


@pytest.fixture(scope="module")
def sharp_frame() -> np.ndarray:
    """A 720p frame of the virtual dermatoscope's first lesion at a moment of sharp focus."""
    source = VirtualDermatoscope((1280, 720), fps=1000.0, lighting=POLARISED)
    source.open()
    image = source.read()  # frame 0: the focus drift starts later
    source.close()
    return image


def defocused(image: np.ndarray) -> np.ndarray:
    """The same picture out of focus: a Gaussian blur of 1 % of the frame width (13 px at 720p)."""
    return np.asarray(cv2.GaussianBlur(image, (0, 0), 0.01 * image.shape[1]))


def test_a_sharp_virtual_frame_is_accepted(sharp_frame: np.ndarray) -> None:
    report = assess(sharp_frame, POLARISED)
    assert report.passed, report.messages
    assert report.scores.sharpness > 2 * FOCUS_MIN_LAPLACIAN_VAR


def test_the_same_frame_blurred_is_refused_as_out_of_focus(sharp_frame: np.ndarray) -> None:
    report = assess(defocused(sharp_frame), POLARISED)
    assert report.problems == (Problem.OUT_OF_FOCUS,)
    assert report.messages == ["Out of focus — hold the dermatoscope still and let it focus, then retake."]


def test_a_dark_frame_is_refused_as_too_dark(sharp_frame: np.ndarray) -> None:
    dark = cv2.convertScaleAbs(sharp_frame, alpha=0.15)
    report = assess(dark, POLARISED)
    assert report.problems == (Problem.TOO_DARK,)
    assert report.messages[0].startswith("Too dark — check that the light is on")


def test_an_overexposed_frame_is_refused_as_overexposed(sharp_frame: np.ndarray) -> None:
    burnt = cv2.convertScaleAbs(sharp_frame, alpha=2.2, beta=60)
    report = assess(burnt, POLARISED)
    assert Problem.OVEREXPOSED in report.problems
    assert "Overexposed — the picture is washed out" in " ".join(report.messages)


def test_specular_glare_is_refused(sharp_frame: np.ndarray) -> None:
    glary = sharp_frame.copy()
    rng = np.random.default_rng(3)
    for _ in range(60):  # reflections of the LEDs on dry skin: small burnt-out spots, ~3 % of the picture
        x, y = int(rng.integers(100, 1180)), int(rng.integers(80, 640))
        cv2.circle(glary, (x, y), int(rng.integers(8, 14)), (255, 255, 255), -1)
    report = assess(glary, POLARISED)
    assert report.problems == (Problem.GLARE,)
    assert report.messages == [
        "Glare — bright reflections hide the skin; use polarised light or contact fluid."
    ]


def test_the_virtual_white_light_glare_is_mild_enough_to_pass() -> None:
    source = VirtualDermatoscope((640, 360), fps=1000.0, lighting=LightingMode.WHITE)
    source.open()
    assert assess(source.read(), LightingMode.WHITE).passed


@pytest.mark.parametrize("image_id", ["ISIC_0024307", "ISIC_0024311", "ISIC_0024330"])
def test_a_skin_patch_from_outside_the_lesion_mask_is_flagged_as_no_lesion(image_id: str) -> None:
    patch = skin_patch(image_id)
    assert patch is not None
    report = assess(as_camera_frame(patch), POLARISED)
    assert Problem.NO_LESION in report.problems
    assert "No lesion in view — centre the lesion in the picture." in report.messages
    assert assess(read_image(image_id), POLARISED).passed  # while the whole picture passes


@pytest.mark.slow  # the whole test split: `make test`, not the quick lane
def test_most_skin_patches_of_the_test_split_are_refused() -> None:
    """Many patches beside a lesion hold other spots, hairs, ink or the dark rim; most are plain skin."""
    reports = [
        assess(as_camera_frame(patch), POLARISED)
        for image_id in split_ids()
        if (patch := skin_patch(image_id)) is not None
    ]
    no_lesion = sum(Problem.NO_LESION in report.problems for report in reports) / len(reports)
    refused = sum(not report.passed for report in reports) / len(reports)
    print(f"\nskin patches: {len(reports)}, flagged no lesion {no_lesion:.1%}, refused {refused:.1%}")
    assert len(reports) > 800
    assert no_lesion >= 0.70 and refused >= 0.85


@pytest.mark.slow  # the whole test split: `make test`, not the quick lane
def test_at_least_98_percent_of_the_test_splits_lesion_pictures_pass_the_gate() -> None:
    ids = split_ids()
    started = time.perf_counter()
    reports = [assess(read_image(image_id), POLARISED) for image_id in ids]
    elapsed = time.perf_counter() - started
    passed = sum(report.passed for report in reports) / len(reports)
    counts = {p.value: sum(p in r.problems for r in reports) for p in Problem}
    print(f"\ngate on {len(ids)} test-split pictures: {passed:.2%} pass; refusals {counts}; {elapsed:.1f} s")
    assert len(ids) > 1000
    assert passed >= 0.98


def test_the_sharpest_frame_of_a_burst_is_kept(sharp_frame: np.ndarray) -> None:
    burst = [
        Frame(image, index, 0.0, "test")
        for index, image in enumerate(
            [defocused(sharp_frame), sharp_frame, cv2.GaussianBlur(sharp_frame, (0, 0), 3)]
        )
    ]
    best, score = sharpest(burst)
    assert best.index == 1 and score == pytest.approx(sharpness(sharp_frame))
    with pytest.raises(ValueError, match="at least one frame"):
        sharpest([])


def test_checks_depend_on_the_light(sharp_frame: np.ndarray) -> None:
    assert checks_for(LightingMode.OFF) == ("light", "blank")
    assert checks_for(LightingMode.UV_365) == ("focus", "exposure", "blank")
    assert (
        checks_for(None)
        == checks_for(LightingMode.WHITE)
        == ("focus", "exposure", "glare", "lesion", "blank")
    )
    source = VirtualDermatoscope((640, 360), fps=1000.0, lighting=LightingMode.UV_365)
    source.open()
    uv = source.read()
    assert assess(uv, LightingMode.UV_365).passed  # dim and violet by nature
    assert not assess(uv, POLARISED).passed  # but far too dark for white light


def test_a_black_still_under_the_light_off_is_refused_and_cannot_be_kept() -> None:
    """Issue 20: a completely black still taken with the light Off was filed without a warning."""
    black = np.zeros((48, 64, 3), np.uint8)
    report = assess(black, LightingMode.OFF)
    assert not report.passed and not report.keepable
    assert report.problems == (Problem.LIGHT_OFF, Problem.BLANK)
    assert "light is off" in report.messages[0] and "cannot be kept" in report.messages[1]
    grey = np.full((48, 64, 3), 128, np.uint8)  # a blank (uniform) picture under white light too
    white = assess(grey, LightingMode.WHITE)
    assert Problem.BLANK in white.problems and not white.keepable


def test_a_still_under_the_light_off_that_shows_something_may_be_kept_deliberately(
    sharp_frame: np.ndarray,
) -> None:
    report = assess(sharp_frame, LightingMode.OFF)
    assert report.problems == (Problem.LIGHT_OFF,) and report.keepable


def test_the_report_goes_into_a_sidecar_as_plain_values(sharp_frame: np.ndarray) -> None:
    record = assess(defocused(sharp_frame), POLARISED).to_dict()
    assert record["passed"] is False and record["problems"] == ["out_of_focus"]
    assert set(record["scores"]) == {  # type: ignore[arg-type]
        "sharpness",
        "brightness",
        "clipped_fraction",
        "glare_fraction",
        "lesion_contrast",
    }


def test_a_picture_that_is_not_bgr_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="expected a BGR uint8 picture"):
        assess(np.zeros((48, 64), np.uint8))
