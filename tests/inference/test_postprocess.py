"""The decision rules at their edges: majority triage, referral thresholds, the 50 % rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dermdesk.inference.classes import CLASS_CODES, DISPLAY_NAMES
from dermdesk.inference.postprocess import (
    GUIDANCE_ROUTINE,
    GUIDANCE_UNCERTAIN,
    INDETERMINATE,
    Rules,
    assess,
    calibrated_probabilities,
)

GROUPS = (
    ("malignant", "Malignant or pre-malignant", ("mel", "bcc", "akiec"), False),
    ("benign_other", "Benign, other skin disease", ("bkl", "df", "vasc"), True),
    ("benign_mole", "Benign, common mole", ("nv",), True),
)


def rules(thresholds: dict[str, float] | None = None) -> Rules:
    return Rules(
        class_codes=CLASS_CODES,
        display_names=DISPLAY_NAMES,
        groups=GROUPS,
        logit_adjustment=np.zeros(len(CLASS_CODES)),
        temperature=1.0,
        thresholds=thresholds or {"mel": 0.3, "bcc": 0.3, "akiec": 0.3},
    )


def probs(**values: float) -> np.ndarray:
    """A probability vector with the given classes set and the rest spread evenly."""
    rest = [c for c in CLASS_CODES if c not in values]
    remaining = 1.0 - sum(values.values())
    return np.array([values.get(c, remaining / max(1, len(rest))) for c in CLASS_CODES])


def test_group_wins_only_when_above_the_sum_of_the_others() -> None:
    exactly_half = assess(probs(nv=0.5, bkl=0.1, df=0.1, vasc=0.1, mel=0.1, bcc=0.05, akiec=0.05), rules())
    assert exactly_half.triage == INDETERMINATE
    just_over = assess(probs(nv=0.5001, bkl=0.1, df=0.1, vasc=0.0999, mel=0.1, bcc=0.05, akiec=0.05), rules())
    assert just_over.triage == "benign_mole"


def test_malignant_group_by_majority_of_its_members() -> None:
    result = assess(
        probs(mel=0.25, bcc=0.2, akiec=0.1, nv=0.3, bkl=0.05, df=0.05, vasc=0.05),
        rules({"mel": 0.9, "bcc": 0.9, "akiec": 0.9}),
    )
    assert result.triage == "malignant"
    assert result.ranking[0] == "nv"  # the top class alone is not the triage


@pytest.mark.parametrize(("mel", "refer"), [(0.2999, False), (0.3, True), (0.3001, True)])
def test_referral_threshold_edge(mel: float, refer: bool) -> None:
    result = assess(probs(mel=mel, nv=0.6, bcc=0.0, akiec=0.0, bkl=0.4 - mel, df=0.0, vasc=0.0), rules())
    assert result.refer is refer
    assert ("mel" in " ".join(result.referral_reasons)) is refer


@pytest.mark.parametrize(("top", "refer"), [(0.4999, True), (0.5, False)])
def test_low_top_probability_refers(top: float, refer: bool) -> None:
    result = assess(
        probs(nv=top, bkl=(1.0 - top) / 2, df=(1.0 - top) / 2, mel=0.0, bcc=0.0, akiec=0.0, vasc=0.0), rules()
    )
    assert result.refer is refer
    assert (result.guidance == GUIDANCE_UNCERTAIN) is refer
    if not refer:
        assert result.guidance == GUIDANCE_ROUTINE


def test_malignant_referral_never_shows_a_reassuring_group() -> None:
    result = assess(probs(nv=0.62, mel=0.31, bkl=0.07, bcc=0.0, akiec=0.0, df=0.0, vasc=0.0), rules())
    assert result.refer
    assert result.triage == INDETERMINATE
    assert "melanoma" in result.guidance and "biopsy" in result.guidance


def test_calibration_applies_adjustment_then_temperature() -> None:
    r = rules()
    adjusted = Rules(**{**r.__dict__, "logit_adjustment": np.log(np.arange(1, 8)), "temperature": 2.0})
    logits = np.zeros(7)
    expected = np.arange(1, 8) ** 0.5
    np.testing.assert_allclose(calibrated_probabilities(logits, adjusted), expected / expected.sum())


@given(st.lists(st.floats(-20, 20), min_size=7, max_size=7))
def test_probabilities_sum_to_one_and_ranking_is_sorted(logits: list[float]) -> None:
    p = calibrated_probabilities(np.array(logits), rules())
    result = assess(p, rules())
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    ranked = [result.probabilities[c] for c in result.ranking]
    assert ranked == sorted(ranked, reverse=True)
    assert result.triage in {"malignant", "benign_other", "benign_mole", INDETERMINATE}
