"""Metrics against independent implementations (scikit-learn) and hand-made cases."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

from dermdesk.inference import metrics
from dermdesk.training.calibrate import fit_temperature, sensitivity_threshold, softmax


def test_auc_and_balanced_accuracy_match_sklearn() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 7, 500)
    logits = rng.normal(size=(500, 7)) + 2.0 * np.eye(7)[labels]
    probs = softmax(logits)
    assert metrics.macro_auc(labels, probs) == pytest.approx(roc_auc_score(labels, probs, multi_class="ovr"))
    assert metrics.balanced_accuracy(labels, probs.argmax(1), 7) == pytest.approx(
        balanced_accuracy_score(labels, probs.argmax(1))
    )


def test_ece_of_a_perfectly_calibrated_and_an_overconfident_model() -> None:
    labels = np.array([0, 0, 0, 1])
    calibrated = np.array([[0.75, 0.25]] * 4)
    assert metrics.expected_calibration_error(labels, calibrated) == pytest.approx(0.0)
    overconfident = np.array([[0.99, 0.01]] * 4)
    assert metrics.expected_calibration_error(labels, overconfident) == pytest.approx(0.24)


def test_sensitivity_at_specificity() -> None:
    positive = np.array([True] * 4 + [False] * 10)
    score = np.array([0.9, 0.8, 0.5, 0.1] + [0.05 * i for i in range(10)])
    # 80 % specificity: threshold at the 8th-lowest negative (0.35); positives above: 0.9, 0.8, 0.5
    assert metrics.sensitivity_at_specificity(positive, score, 0.8) == pytest.approx(0.75)


def test_sensitivity_threshold_keeps_ninety_percent() -> None:
    p = np.linspace(0.01, 1.0, 20)
    positive = np.ones(20, dtype=bool)
    t = sensitivity_threshold(p, positive, 0.9)
    assert (p >= t).mean() >= 0.9
    assert (p > t).mean() < 0.9  # the highest such threshold


def test_temperature_recovers_the_true_one() -> None:
    rng = np.random.default_rng(1)
    true_logits = rng.normal(scale=2.0, size=(4000, 5))
    labels = np.array([rng.choice(5, p=p) for p in softmax(true_logits)])
    assert fit_temperature(true_logits * 2.5, labels) == pytest.approx(2.5, rel=0.1)


def test_bootstrap_resamples_lesions() -> None:
    groups = np.repeat(np.arange(50), 2)
    values = np.repeat(np.arange(50, dtype=float), 2)
    low, high = metrics.bootstrap_interval(groups, lambda i: float(values[i].mean()), rounds=200)
    assert low < 24.5 < high


def _dirichlet_probabilities(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.dirichlet(np.full(7, 0.3), size=n)


def test_ece_if_calibrated_brackets_the_ece_of_truly_calibrated_probabilities() -> None:
    """Labels drawn from the probabilities themselves: the observed ECE falls in the reference range."""
    rng = np.random.default_rng(3)
    inside = 0
    for _ in range(40):
        probs = _dirichlet_probabilities(1000, rng)
        labels = np.array([rng.choice(7, p=p) for p in probs])
        reference = metrics.ece_if_calibrated(probs, draws=100)
        observed = metrics.expected_calibration_error(labels, probs)
        inside += observed <= reference["p95"]
        assert 0.01 < reference["mean"] < reference["p95"] < 0.06
    assert inside >= 34  # about 95 % of 40


def test_ece_if_calibrated_grows_as_the_set_shrinks_and_flags_overconfidence() -> None:
    rng = np.random.default_rng(4)
    big = metrics.ece_if_calibrated(_dirichlet_probabilities(1000, rng))
    small = metrics.ece_if_calibrated(_dirichlet_probabilities(100, rng))
    assert small["mean"] > 2 * big["mean"]
    probs = _dirichlet_probabilities(1000, rng)
    labels = np.array([rng.choice(7, p=p) for p in probs])
    sharp = np.exp(3 * np.log(probs + 1e-12))
    sharp /= sharp.sum(axis=1, keepdims=True)  # the same ranking, said with too much confidence
    assert metrics.expected_calibration_error(labels, sharp) > metrics.ece_if_calibrated(sharp)["p95"]
    assert metrics.ece_if_calibrated(probs) == metrics.ece_if_calibrated(probs)  # seeded: reproducible
