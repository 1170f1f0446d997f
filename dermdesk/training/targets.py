"""The clinical operating point and model 2's targets, with lesion-bootstrap intervals.

A clinic lives by two shares: of its malignant lesions (mel, bcc, akiec), how many the station refers,
and of its benign ones, how many it refers with them. ``referred`` applies the station's own rule
(``postprocess.assess``: a malignant class at or above its threshold, or a top probability under the
floor) to many pictures at once; ``choose_referral`` sets the thresholds on validation so that the
malignant share reaches the target with as few benign referrals as the target allows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dermdesk.inference.classes import CLASS_CODES, MALIGNANT_CODES
from dermdesk.inference.metrics import (
    balanced_accuracy,
    binary_auc,
    bootstrap_interval,
    ece_if_calibrated,
    expected_calibration_error,
    macro_auc,
)
from dermdesk.training.calibrate import fill_empty_classes, sensitivity_threshold, softmax

MALIGNANT_REFERRED = 0.95  # the targets: share of malignant lesions referred …
BENIGN_REFERRED = 0.25  # … while at most this share of benign ones is
SENSITIVITY_GRID = tuple(round(0.80 + 0.005 * i, 3) for i in range(41))  # 0.800 … 1.000
ROUNDS = 500


def referred(
    probabilities: np.ndarray,
    thresholds: dict[str, float],
    min_top_probability: float,
    codes: Sequence[str] = CLASS_CODES,
) -> np.ndarray:
    """Which pictures the station refers (the vectorised form of ``postprocess.assess``'s ``refer``)."""
    flagged = np.zeros(len(probabilities), dtype=bool)
    for code, threshold in thresholds.items():
        flagged |= probabilities[:, codes.index(code)] >= threshold
    return flagged | (probabilities.max(axis=1) < min_top_probability)


def is_malignant(labels: np.ndarray, codes: Sequence[str] = CLASS_CODES) -> np.ndarray:
    return np.isin(labels, [codes.index(c) for c in MALIGNANT_CODES])


def referral_shares(labels: np.ndarray, refer: np.ndarray) -> tuple[float, float]:
    """(malignant referred, benign referred); NaN where the set holds none of that kind."""
    malignant = is_malignant(labels)
    mal = float(refer[malignant].mean()) if malignant.any() else float("nan")
    ben = float(refer[~malignant].mean()) if (~malignant).any() else float("nan")
    return mal, ben


@dataclass(frozen=True)
class Referral:
    sensitivity: float  # each malignant class's threshold flags this share of its validation pictures
    thresholds: dict[str, float]
    malignant_referred: float  # on validation
    benign_referred: float


def choose_referral(
    probabilities: np.ndarray,
    labels: np.ndarray,
    target: float = MALIGNANT_REFERRED,
    min_top_probability: float = 0.5,
) -> Referral:
    """The lowest per-class sensitivity on the grid at which the validation malignant share reaches
    ``target`` (the highest on the grid if none does)."""
    last: Referral | None = None
    for level in SENSITIVITY_GRID:
        thresholds = {
            c: sensitivity_threshold(
                probabilities[:, CLASS_CODES.index(c)], labels == CLASS_CODES.index(c), level
            )
            for c in MALIGNANT_CODES
            if (labels == CLASS_CODES.index(c)).any()
        }
        mal, ben = referral_shares(labels, referred(probabilities, thresholds, min_top_probability))
        last = Referral(level, thresholds, mal, ben)
        if mal >= target:
            return last
    assert last is not None
    return last


def uniform_prior_probabilities(logits: np.ndarray, train_prior: np.ndarray) -> np.ndarray:
    """Softmax of the logits corrected to equally likely classes (α = 0, T = 1): no calibration choice."""
    return softmax(np.asarray(logits) - np.log(fill_empty_classes(train_prior, "commonest")))


@dataclass
class Scored:
    """One split's pictures as the targets read them."""

    labels: np.ndarray
    lesions: np.ndarray
    collections: np.ndarray  # source of each picture ("" when unknown)
    probabilities: np.ndarray  # calibrated, as shipped
    uniform: np.ndarray  # at a uniform prior
    refer: np.ndarray  # the station's referral decision at the shipped thresholds

    def subset(self, mask: np.ndarray) -> Scored:
        return Scored(*(getattr(self, f)[mask] for f in self.__dataclass_fields__))


def _row(
    scored: Scored,
    scope: str,
    label: str,
    op: str,
    goal: float,
    statistic: Callable[[np.ndarray], float],
) -> dict[str, Any]:
    everything = np.arange(len(scored.labels))
    value = statistic(everything)
    ci = bootstrap_interval(scored.lesions, statistic, rounds=ROUNDS) if len(everything) > 1 else None
    met = bool(not np.isnan(value) and (value >= goal if op == ">=" else value <= goal))
    whole = None
    if ci is not None:
        whole = bool(ci[0] >= goal) if op == ">=" else bool(ci[1] <= goal)
    return {
        "target": label,
        "scope": scope,
        "op": op,
        "goal": goal,
        "value": None if np.isnan(value) else round(float(value), 4),
        "ci95": None if ci is None else [round(ci[0], 4), round(ci[1], 4)],
        "met": met,
        "whole_interval": whole,
        "n_images": len(everything),
    }


def _stat(part: Scored, fn: Callable[[Scored, np.ndarray], float]) -> Callable[[np.ndarray], float]:
    """A statistic of ``part`` as a function of resampled picture indices."""
    return lambda i: fn(part, i)


def _scopes(scored: Scored) -> list[tuple[str, Scored]]:
    named = sorted({c for c in scored.collections if c})
    return [("pooled", scored)] + [(name, scored.subset(scored.collections == name)) for name in named]


def evaluate(scored: Scored) -> list[dict[str, Any]]:
    """Every target of issue 24 on one split: pooled and per source where the classes exist."""
    n = len(CLASS_CODES)
    mel = CLASS_CODES.index("mel")
    rows: list[dict[str, Any]] = []
    for scope, part in _scopes(scored):
        malignant = is_malignant(part.labels)

        def mal_share(i: np.ndarray, part: Scored = part, malignant: np.ndarray = malignant) -> float:
            m = malignant[i]
            return float(part.refer[i][m].mean()) if m.any() else float("nan")

        def ben_share(i: np.ndarray, part: Scored = part, malignant: np.ndarray = malignant) -> float:
            b = ~malignant[i]
            return float(part.refer[i][b].mean()) if b.any() else float("nan")

        if malignant.any():
            rows.append(_row(part, scope, "malignant lesions referred", ">=", MALIGNANT_REFERRED, mal_share))
        if (~malignant).any():
            rows.append(_row(part, scope, "benign lesions referred", "<=", BENIGN_REFERRED, ben_share))
        yardstick = ece_if_calibrated(part.probabilities)
        rows.append(
            {
                **_row(
                    part,
                    scope,
                    "ECE within the range of exactly right probabilities",
                    "<=",
                    round(yardstick["p95"], 4),
                    _stat(part, lambda s, i: expected_calibration_error(s.labels[i], s.probabilities[i])),
                ),
                "exactly_right_mean": round(yardstick["mean"], 4),
            }
        )
    for scope, part in _scopes(scored):
        if scope == "ham10000" or (scope == "pooled" and not any(scored.collections)):
            rows.append(
                _row(
                    part,
                    scope,
                    "macro AUC",
                    ">=",
                    0.955,
                    _stat(part, lambda s, i: macro_auc(s.labels[i], s.probabilities[i])),
                )
            )
            rows.append(
                _row(
                    part,
                    scope,
                    "balanced accuracy at a uniform prior",
                    ">=",
                    0.78,
                    _stat(part, lambda s, i: balanced_accuracy(s.labels[i], s.uniform[i].argmax(1), n)),
                )
            )
        if scope == "pooled":
            rows.append(
                _row(
                    part,
                    scope,
                    "melanoma AUC",
                    ">=",
                    0.93,
                    _stat(part, lambda s, i: binary_auc(s.labels[i] == mel, s.probabilities[i][:, mel])),
                )
            )
    return rows


def operating_point_figures(scored: Scored) -> dict[str, Any]:
    """Malignant and benign referral shares per scope (no intervals): for the central gate and the card."""
    out = {}
    for scope, part in _scopes(scored):
        mal, ben = referral_shares(part.labels, part.refer)
        out[scope] = {
            "malignant_referred": None if np.isnan(mal) else round(mal, 4),
            "benign_referred": None if np.isnan(ben) else round(ben, 4),
            "n_malignant": int(is_malignant(part.labels).sum()),
            "n_benign": int((~is_malignant(part.labels)).sum()),
        }
    return out


def malignant_score(probabilities: np.ndarray, codes: Sequence[str] = CLASS_CODES) -> np.ndarray:
    """The probability that the lesion is malignant or pre-malignant (mel + bcc + akiec)."""
    return probabilities[:, [codes.index(c) for c in MALIGNANT_CODES]].sum(axis=1)


def benign_referred_at(
    probabilities: np.ndarray, labels: np.ndarray, target: float = MALIGNANT_REFERRED
) -> float:
    """The share of benign lesions referred when just enough are referred to reach ``target`` of the
    malignant ones, ranking by the malignant probability: the operating point, free of how each model's
    thresholds happened to be set (ties are all referred together). NaN without both kinds."""
    malignant = is_malignant(labels)
    if not malignant.any() or malignant.all():
        return float("nan")
    score = malignant_score(probabilities)
    ordered = np.sort(score[malignant])
    allowed_misses = int(np.floor(len(ordered) * (1.0 - target) + 1e-9))
    cut = ordered[allowed_misses]
    return float((score[~malignant] >= cut).mean())
