"""Is this still good enough to keep? Sharpest frame of a burst, and a quality gate in plain words.

A hand-held dermatoscope is never perfectly still, so a still is taken as a short burst and the sharpest
frame is kept (variance of the Laplacian on a small grey copy: high-frequency energy, which drops when
the picture is blurred by motion or defocus). That frame then goes through five checks, each with a
message staff can act on:

- focus: the same Laplacian variance, against ``FOCUS_MIN_LAPLACIAN_VAR``;
- too dark / overexposed: mean grey level and the share of clipped pixels;
- glare: specular highlights — near-white, unsaturated spots clearly brighter than the skin around them;
- lesion in view: how much the skin's pigmentation varies across the picture. Plain skin is nearly
  uniform; a lesion is a region markedly darker or more colourful than the skin around it.

The thresholds are named constants, measured on HAM10000 (see tests/capture/test_quality.py and
docs/capture-controls.md for the figures): they pass at least 98 % of the test split's lesion pictures.

What each lighting mode is checked for: under white light (polarised or not) everything; under UV and
narrow-band light the picture is dim and tinted by design, so only focus, overexposure and a lower
darkness limit apply. With the light off a still is refused ("light off") unless staff keep it
deliberately; and under any light a blank picture (one even colour: black, a covered lens) is refused
outright and cannot be kept, since it shows nothing a doctor could read. Known limit: sensor noise adds
high-frequency energy, so a very noisy, blurred picture can read as sharp.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np

from dermdesk.capture.frames import Frame
from dermdesk.capture.lighting import LightingMode
from dermdesk.i18n import N_, gettext

WORK_SIDE = 256
"""Longest side (pixels) of the grey copy that sharpness, exposure and glare are measured on."""
LESION_WORK_SIDE = 96
"""Longest side of the colour copy the lesion check looks at: lesions are large, hair and pores are not."""

FOCUS_MIN_LAPLACIAN_VAR = 3.5
"""Below this Laplacian variance the picture is out of focus (HAM10000 test split: 1st percentile 4.5)."""
DARK_MEAN_MIN = 50.0
"""Mean grey level below which a white-light picture is too dark (HAM10000: lowest 103)."""
DIM_LIGHT_DARK_MEAN_MIN = 12.0
"""The same limit under UV and narrow-band light, which are dim by nature (only a dead light fails)."""
CLIPPED_LEVEL = 250
"""A grey level at or above this counts as clipped (burnt out)."""
OVEREXPOSED_CLIPPED_MAX = 0.15
"""More than this share of clipped pixels is overexposed (HAM10000: at most 0.074)."""
OVEREXPOSED_MEAN_MAX = 225.0
"""A mean grey level above this is overexposed even without clipping (HAM10000: highest 217)."""
GLARE_LEVEL = 235
"""Brightness (HSV value) from which an unsaturated pixel can be a specular highlight."""
GLARE_MAX_SATURATION = 60
"""Highlights are nearly white: HSV saturation at most this."""
GLARE_ABOVE_SURROUND = 25
"""...and at least this much brighter than the median of their surroundings (skin is not glare)."""
GLARE_MAX_FRACTION = 0.01
"""More than this share of the picture in specular highlights is glare (HAM10000: at most 0.0097)."""
LESION_CONTRAST_MIN = 4.0
"""Spread (standard deviation, after removing an even gradient) of the pigment score below which no
lesion is in view; chosen on the validation split (99.5 % of lesion pictures above it), checked on the
test split."""
BLANK_GREY_STD_MAX = 2.0
"""A grey copy whose levels spread less than this (standard deviation) is blank: one even colour."""
_HAIR_KERNEL = 5  # closing with this ellipse (on the LESION_WORK_SIDE copy) removes hairs, keeps lesions
_RIM_FRACTION = 0.35  # pixels darker than this fraction of the bright skin are the dermatoscope's dark rim


class Problem(Enum):
    """Something wrong with a still; ``message`` is what staff read."""

    OUT_OF_FOCUS = "out_of_focus"
    TOO_DARK = "too_dark"
    OVEREXPOSED = "overexposed"
    GLARE = "glare"
    NO_LESION = "no_lesion"
    LIGHT_OFF = "light_off"
    BLANK = "blank"

    @property
    def message(self) -> str:
        """What the person at the station reads, in the current language."""
        return gettext(_MESSAGES[self])

    @property
    def message_en(self) -> str:
        """The message in English, as the still's sidecar files it."""
        return _MESSAGES[self]


_MESSAGES: dict[Problem, str] = {
    Problem.OUT_OF_FOCUS: N_("Out of focus — hold the dermatoscope still and let it focus, then retake."),
    Problem.TOO_DARK: N_("Too dark — check that the light is on and the dermatoscope sits on the skin."),
    Problem.OVEREXPOSED: N_("Overexposed — the picture is washed out; lower the exposure or the light."),
    Problem.GLARE: N_("Glare — bright reflections hide the skin; use polarised light or contact fluid."),
    Problem.NO_LESION: N_("No lesion in view — centre the lesion in the picture."),
    Problem.LIGHT_OFF: N_("The light is off — switch on a light on the Light panel, then retake."),
    Problem.BLANK: N_("Blank picture — one even colour, nothing to see; it cannot be kept. Retake it."),
}


@dataclass(frozen=True)
class QualityScores:
    """What the checks measured; ``lesion_contrast`` is None where the lesion check does not apply."""

    sharpness: float
    brightness: float
    clipped_fraction: float
    glare_fraction: float
    lesion_contrast: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {
            "sharpness": round(self.sharpness, 3),
            "brightness": round(self.brightness, 2),
            "clipped_fraction": round(self.clipped_fraction, 5),
            "glare_fraction": round(self.glare_fraction, 5),
            "lesion_contrast": None if self.lesion_contrast is None else round(self.lesion_contrast, 3),
        }


@dataclass(frozen=True)
class QualityReport:
    """The verdict on one picture: scores, the checks that applied and the problems found."""

    scores: QualityScores
    problems: tuple[Problem, ...]
    checks: tuple[str, ...]
    lighting: LightingMode | None

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def keepable(self) -> bool:
        """Whether staff may keep the still despite its problems (never a blank one)."""
        return Problem.BLANK not in self.problems

    @property
    def messages(self) -> list[str]:
        return [problem.message for problem in self.problems]

    def to_dict(self) -> dict[str, object]:
        """For the still's sidecar."""
        return {
            "passed": self.passed,
            "problems": [problem.value for problem in self.problems],
            "messages": [problem.message_en for problem in self.problems],
            "checks": list(self.checks),
            "scores": self.scores.to_dict(),
            "thresholds": {
                "focus_min_laplacian_var": FOCUS_MIN_LAPLACIAN_VAR,
                "dark_mean_min": _dark_limit(self.lighting),
                "overexposed_clipped_max": OVEREXPOSED_CLIPPED_MAX,
                "overexposed_mean_max": OVEREXPOSED_MEAN_MAX,
                "glare_max_fraction": GLARE_MAX_FRACTION,
                "lesion_contrast_min": LESION_CONTRAST_MIN,
                "blank_grey_std_max": BLANK_GREY_STD_MAX,
            },
        }


# --- measures ----------------------------------------------------------------------------------------


def _shrink(image: np.ndarray, side: int) -> np.ndarray:
    """``image`` resized so its longer side is ``side`` (area averaging down, linear up)."""
    height, width = image.shape[:2]
    scale = side / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return np.asarray(cv2.resize(image, size, interpolation=interpolation))


def _grey(image: np.ndarray) -> np.ndarray:
    _check_bgr(image)
    return _shrink(np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)), WORK_SIDE)


def sharpness(image: np.ndarray) -> float:
    """Variance of the Laplacian of a grey copy with longer side WORK_SIDE; higher is sharper."""
    return _laplacian_variance(_grey(image))


def _laplacian_variance(grey: np.ndarray) -> float:
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def sharpest(frames: Sequence[Frame]) -> tuple[Frame, float]:
    """The sharpest frame of a burst and its sharpness; ValueError for an empty burst."""
    if not frames:
        raise ValueError("a burst needs at least one frame")
    scored = [(sharpness(frame.image), position) for position, frame in enumerate(frames)]
    score, position = max(scored)
    return frames[position], score


def glare_fraction(image: np.ndarray) -> float:
    """Share of the picture in specular highlights (near-white, unsaturated, brighter than around)."""
    _check_bgr(image)
    hsv = cv2.cvtColor(_shrink(image, WORK_SIDE), cv2.COLOR_BGR2HSV)
    value = hsv[..., 2]
    surround = cv2.medianBlur(value, 15).astype(np.int16)
    highlight = (
        (value >= GLARE_LEVEL)
        & (hsv[..., 1] <= GLARE_MAX_SATURATION)
        & (value.astype(np.int16) - surround >= GLARE_ABOVE_SURROUND)
    )
    return float(highlight.mean())


def lesion_contrast(image: np.ndarray) -> float:
    """How much pigmentation varies across the skin in view: the spread of a pigment score.

    On a small copy, hairs are closed away and the dermatoscope's dark rim is left out; each remaining
    pixel scores (100 - L*) + C* in CIELAB (darker and more colourful score higher). An even gradient
    across the picture (light falling off to one side) is fitted as a plane and removed; what is left
    is nearly flat for plain skin, while a lesion is a region of markedly higher score.
    """
    _check_bgr(image)
    small = _shrink(image, LESION_WORK_SIDE)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (_HAIR_KERNEL, _HAIR_KERNEL))
    small = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    lab = cv2.cvtColor(small.astype(np.float32) / 255.0, cv2.COLOR_BGR2LAB)
    lightness = lab[..., 0]
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    skin = lightness > max(12.0, _RIM_FRACTION * float(np.percentile(lightness, 90)))
    if int(skin.sum()) < 10:
        return 0.0  # nothing but the dark rim (or black)
    score = (100.0 - lightness) + chroma
    rows, cols = np.nonzero(skin)
    plane = np.stack(
        [np.ones(rows.size), rows / skin.shape[0] - 0.5, cols / skin.shape[1] - 0.5], axis=1
    ).astype(np.float64)
    values = score[skin].astype(np.float64)
    coefficients, *_ = np.linalg.lstsq(plane, values, rcond=None)
    return float((values - plane @ coefficients).std())


# --- the gate ------------------------------------------------------------------------------------------


def _dark_limit(lighting: LightingMode | None) -> float:
    if lighting is not None and (lighting.narrow_band or lighting is LightingMode.UV_365):
        return DIM_LIGHT_DARK_MEAN_MIN
    return DARK_MEAN_MIN


def checks_for(lighting: LightingMode | None) -> tuple[str, ...]:
    """Which checks apply under ``lighting`` (None: unknown, treated as white light)."""
    if lighting is LightingMode.OFF:
        return ("light", "blank")
    if lighting is not None and (lighting.narrow_band or lighting is LightingMode.UV_365):
        return ("focus", "exposure", "blank")
    return ("focus", "exposure", "glare", "lesion", "blank")


def assess(image: np.ndarray, lighting: LightingMode | None = None) -> QualityReport:
    """Check one BGR picture taken under ``lighting``; the report says what, if anything, is wrong."""
    grey = _grey(image)
    checks = checks_for(lighting)
    scores = QualityScores(
        sharpness=_laplacian_variance(grey),
        brightness=float(grey.mean()),
        clipped_fraction=float((grey >= CLIPPED_LEVEL).mean()),
        glare_fraction=glare_fraction(image) if "glare" in checks else 0.0,
        lesion_contrast=lesion_contrast(image) if "lesion" in checks else None,
    )
    problems: list[Problem] = []
    if "light" in checks:
        problems.append(Problem.LIGHT_OFF)
    if "exposure" in checks and scores.brightness < _dark_limit(lighting):
        problems.append(Problem.TOO_DARK)
    elif "exposure" in checks and (
        scores.clipped_fraction > OVEREXPOSED_CLIPPED_MAX or scores.brightness > OVEREXPOSED_MEAN_MAX
    ):
        problems.append(Problem.OVEREXPOSED)
    if "focus" in checks and Problem.TOO_DARK not in problems and scores.sharpness < FOCUS_MIN_LAPLACIAN_VAR:
        problems.append(Problem.OUT_OF_FOCUS)  # a dark picture has no detail: say "dark", not "blurred"
    if "glare" in checks and scores.glare_fraction > GLARE_MAX_FRACTION:
        problems.append(Problem.GLARE)
    if (
        scores.lesion_contrast is not None
        and Problem.TOO_DARK not in problems
        and scores.lesion_contrast < LESION_CONTRAST_MIN
    ):
        problems.append(Problem.NO_LESION)
    if "blank" in checks and float(grey.std()) < BLANK_GREY_STD_MAX:
        problems.append(Problem.BLANK)
    return QualityReport(scores=scores, problems=tuple(problems), checks=checks, lighting=lighting)


def _check_bgr(image: np.ndarray) -> None:
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8 or image.size == 0:
        raise ValueError(f"expected a BGR uint8 picture, got shape {image.shape} {image.dtype}")
