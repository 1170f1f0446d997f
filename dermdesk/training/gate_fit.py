"""Fitting the unsuitable-image gate on the shipped network's features; every choice on validation.

Lesions: training-split images (fit), validation split (threshold), test split (reported). Non-lesions:
``non_lesions.build`` from training-split images and one half of the photographs (fit), and from
test-split images and the other half (reported). The threshold accepts 99 % of validation lesions.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.gate import LesionGate
from dermdesk.training import non_lesions
from dermdesk.training.dataset import CaseRecord, read_images

log = logging.getLogger(__name__)

ACCEPT_VALIDATION = 0.99
DARK_LUMA = 30.0


def _features(classifier: LesionClassifier, images: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Single-view pooled features and crop brightness, as the live view computes them."""
    feats, lumas = [], []
    for rgb in images:
        pixels, _ = classifier.crop(rgb)
        feats.append(classifier.outputs(pixels, tta=False).features)
        lumas.append(float(pixels.mean()))
    return np.array(feats), np.array(lumas)


def _lesion_images(cases: Sequence[CaseRecord]) -> list[np.ndarray]:
    images, _ = read_images([c.image_path for c in cases])
    return [im for im in images if im is not None]


def fit_gate(
    classifier: LesionClassifier,
    train: Sequence[CaseRecord],
    val: Sequence[CaseRecord],
    test: Sequence[CaseRecord],
    masks_dir: Path,
    seed: int = 20181116,
    per_kind: int = 300,
    train_lesions: int = 2500,
) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    fit_cases = [
        train[i] for i in sorted(rng.choice(len(train), min(train_lesions, len(train)), replace=False))
    ]
    pos, _ = _features(classifier, _lesion_images(fit_cases))
    fit_negatives = non_lesions.build(train, masks_dir, "fit", per_kind, seed)
    neg, _ = _features(classifier, [im for _, im in fit_negatives])
    x = np.concatenate([pos, neg])
    y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
    mean, scale = x.mean(0), x.std(0) + 1e-6
    model = LogisticRegression(C=0.05, class_weight="balanced", max_iter=5000)
    model.fit((x - mean) / scale, y)
    weights = model.coef_[0] / scale
    bias = float(model.intercept_[0] - (model.coef_[0] * mean / scale).sum())
    draft = LesionGate(weights, bias, 0.5, DARK_LUMA)

    val_feats, _ = _features(classifier, _lesion_images(val))
    val_scores = np.array([draft.lesion_score(f) for f in val_feats])
    threshold = float(min(0.5, np.quantile(val_scores, 1.0 - ACCEPT_VALIDATION)))
    gate = LesionGate(weights, bias, threshold, DARK_LUMA)
    metrics = gate_metrics(classifier, gate, val, test, masks_dir, seed, per_kind)
    metrics["fit_counts"] = {"lesions": len(pos), "non_lesions": len(neg)}
    log.info("gate: %s", metrics)
    return {
        "weights": [float(w) for w in weights],
        "bias": bias,
        "threshold": threshold,
        "dark_luma": DARK_LUMA,
        "method": "logistic regression on pooled features (single view); "
        "threshold accepts 99% of validation lesions",
        "metrics": metrics,
    }


def gate_metrics(
    classifier: LesionClassifier,
    gate: LesionGate,
    val: Sequence[CaseRecord],
    test: Sequence[CaseRecord],
    masks_dir: Path,
    seed: int = 20181116,
    per_kind: int = 300,
) -> dict[str, Any]:
    """How a fitted gate does with this classifier's features: lesions accepted, non-lesions refused.

    Also used when a package's INT8 network is quantised again with the gate unchanged."""
    val_feats, val_luma = _features(classifier, _lesion_images(val))
    val_scores = np.array([gate.lesion_score(f) for f in val_feats])
    test_feats, test_luma = _features(classifier, _lesion_images(test))
    accepted = [gate.check_values(luma, f) for f, luma in zip(test_feats, test_luma, strict=True)]
    eval_negatives = non_lesions.build(test, masks_dir, "eval", per_kind, seed + 1)
    neg_feats, neg_luma = _features(classifier, [im for _, im in eval_negatives])
    refused: dict[str, list[bool]] = defaultdict(list)
    for (kind, _), f, luma in zip(eval_negatives, neg_feats, neg_luma, strict=True):
        refused[kind].append(not gate.check_values(luma, f))
    all_refused = [r for values in refused.values() for r in values]
    return {
        "validation_lesions_accepted": float(
            np.mean(val_scores >= gate.threshold) * np.mean(val_luma >= gate.dark_luma)
        ),
        "test_lesions_accepted": float(np.mean(accepted)),
        "test_lesions": len(accepted),
        "non_lesions_refused": float(np.mean(all_refused)),
        "non_lesions": len(all_refused),
        "refused_by_kind": {kind: round(float(np.mean(v)), 4) for kind, v in refused.items()},
        "non_lesion_counts": dict(Counter(kind for kind, _ in eval_negatives)),
    }
