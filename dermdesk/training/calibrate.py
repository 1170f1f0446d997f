"""Calibration and referral thresholds, chosen on the validation split only.

1. Prior correction: the network saw classes at the sampling prior q (∝ count^0.5); its logits are moved
   to a target prior π ∝ natural^α by adding log π − log q. α = 1 restores the clinic-like natural prior
   (best calibrated), α = 0 treats all classes as equally likely (best balanced accuracy).
2. Temperature: one scalar fitted by validation negative log-likelihood after the correction.
3. α: the largest balanced accuracy whose validation ECE stays within ``max_ece``, or (model 2's rule,
   ``max_ece=None``) within the range exactly right probabilities would show on those pictures
   (``metrics.ece_if_calibrated``, 95th percentile).
4. Referral thresholds for mel, bcc and akiec: the highest probability that still flags a given share of
   that class's validation images (``targets.choose_referral`` picks the share).

``kept`` scores an earlier package's α and T unchanged instead of steps 1–3 (``--keep-calibration``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import minimize_scalar

from dermdesk.inference.metrics import balanced_accuracy, ece_if_calibrated, expected_calibration_error

ALPHAS = (0.0, 0.25, 0.5, 0.625, 0.75, 0.875, 1.0)


@dataclass(frozen=True)
class Calibration:
    prior_power: float
    logit_adjustment: list[float]
    temperature: float
    validation_ece_before: float
    validation_ece_after: float
    validation_balanced_accuracy: float
    candidates: list[dict[str, float]]


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def nll(z: np.ndarray, labels: np.ndarray) -> float:
    z = z - z.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(labels)), labels].mean())


def fit_temperature(z: np.ndarray, labels: np.ndarray) -> float:
    result = minimize_scalar(
        lambda log_t: nll(z / np.exp(log_t), labels), bounds=(-2.0, 2.0), method="bounded"
    )
    return float(np.exp(result.x))


def fill_empty_classes(prior: np.ndarray, share: Literal["rarest", "commonest"]) -> np.ndarray:
    """``prior`` with each class that has no cases at the rarest or the commonest present class's share.

    A small (central) training collection can lack a class, and a zero prior breaks the correction
    ``α·log(natural) − log(trained)``: −log(0) would make every picture that class (the retraining's
    collapse to one class), and α·log(0) NaN at α = 0. The *trained* prior takes the commonest share, so
    the correction never boosts a class the network never learnt; the *natural* prior takes the rarest,
    as a class unseen in the clinics' cases is at most as common as the rarest seen.
    """
    prior = np.asarray(prior, dtype=float)
    present = prior > 0
    if present.all() or not present.any():
        return prior
    fill = prior[present].min() if share == "rarest" else prior[present].max()
    filled = np.where(present, prior, fill)
    result: np.ndarray = filled / filled.sum()
    return result


def calibrate(
    logits: np.ndarray,
    labels: np.ndarray,
    train_prior: np.ndarray,
    natural_prior: np.ndarray,
    max_ece: float | None = 0.025,
) -> Calibration:
    n = logits.shape[1]
    natural_prior = fill_empty_classes(natural_prior, "rarest")
    train_prior = fill_empty_classes(train_prior, "commonest")
    candidates = []
    for alpha in ALPHAS:
        adjustment = alpha * np.log(natural_prior) - np.log(train_prior)
        z = logits + adjustment
        temperature = fit_temperature(z, labels)
        probs = softmax(z / temperature)
        limit = ece_if_calibrated(probs, draws=100)["p95"] if max_ece is None else max_ece
        candidates.append(
            {
                "alpha": alpha,
                "temperature": temperature,
                "ece_before": expected_calibration_error(labels, softmax(z)),
                "ece": expected_calibration_error(labels, probs),
                "balanced_accuracy": balanced_accuracy(labels, probs.argmax(1), n),
                "accuracy": float((probs.argmax(1) == labels).mean()),
                "ece_limit": float(limit),
            }
        )
    admissible = [c for c in candidates if c["ece"] <= c["ece_limit"]] or [
        min(candidates, key=lambda c: c["ece"])
    ]
    best = max(admissible, key=lambda c: (c["balanced_accuracy"], c["alpha"]))
    adjustment = best["alpha"] * np.log(natural_prior) - np.log(train_prior)
    return Calibration(
        prior_power=best["alpha"],
        logit_adjustment=[float(v) for v in adjustment],
        temperature=best["temperature"],
        validation_ece_before=expected_calibration_error(labels, softmax(logits)),
        validation_ece_after=best["ece"],
        validation_balanced_accuracy=best["balanced_accuracy"],
        candidates=candidates,
    )


def kept(
    logits: np.ndarray,
    labels: np.ndarray,
    logit_adjustment: list[float],
    temperature: float,
    prior_power: float,
) -> Calibration:
    """An earlier package's calibration, unchanged, with its figures on this validation split.

    ``make model --recalibrate PACKAGE --keep-calibration``: when the choosing rule prefers a package's own
    calibration (its operating point refers fewer benign lesions than one chosen again), only the referral
    thresholds and the figures are redone; this gives the card the kept values' validation ECE and
    balanced accuracy in the same shape as ``calibrate``.
    """
    n = logits.shape[1]
    z = logits + np.asarray(logit_adjustment, dtype=float)
    probs = softmax(z / temperature)
    ece = expected_calibration_error(labels, probs)
    bacc = balanced_accuracy(labels, probs.argmax(1), n)
    kept_candidate = {
        "alpha": float(prior_power),
        "temperature": float(temperature),
        "ece_before": expected_calibration_error(labels, softmax(z)),
        "ece": ece,
        "balanced_accuracy": bacc,
        "accuracy": float((probs.argmax(1) == labels).mean()),
        "ece_limit": float(ece_if_calibrated(probs, draws=100)["p95"]),
    }
    return Calibration(
        prior_power=float(prior_power),
        logit_adjustment=[float(v) for v in logit_adjustment],
        temperature=float(temperature),
        validation_ece_before=expected_calibration_error(labels, softmax(logits)),
        validation_ece_after=ece,
        validation_balanced_accuracy=bacc,
        candidates=[kept_candidate],
    )


def sensitivity_threshold(
    probabilities: np.ndarray, is_positive: np.ndarray, sensitivity: float = 0.9
) -> float:
    """The highest threshold t with mean(p ≥ t over positives) ≥ ``sensitivity``."""
    positives = np.sort(probabilities[is_positive])
    if len(positives) == 0:
        raise ValueError("no positive cases to choose a threshold on")
    allowed_misses = int(np.floor(len(positives) * (1.0 - sensitivity) + 1e-9))
    return float(positives[allowed_misses])
