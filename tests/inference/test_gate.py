"""The unsuitable-image gate's figures on its sets, recomputed from the shipped package."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.gate import LesionGate, lighting_verdict
from dermdesk.inference.package import ModelPackage
from dermdesk.training import non_lesions
from dermdesk.training.dataset import load_cases, read_images
from dermdesk.training.gate_fit import _features
from dermdesk.training.splits import cases_in_split

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # the whole test split: `make test`, not the quick lane
def test_gate_accepts_test_lesions_and_refuses_non_lesions(
    ham_dir: Path, shipped_package: ModelPackage
) -> None:
    classifier = LesionClassifier(shipped_package)
    gate = LesionGate.from_manifest(shipped_package.manifest)
    assert gate is not None
    test_cases = cases_in_split(load_cases(ham_dir)[0], REPO / "splits" / "test.csv")
    images = [im for im in read_images([c.image_path for c in test_cases])[0] if im is not None]
    feats, luma = _features(classifier, images)
    accepted = np.mean([gate.check_values(lu, f) for f, lu in zip(feats, luma, strict=True)])
    negatives = non_lesions.build(test_cases, ham_dir / "masks", "eval", 300, 20181117)
    neg_feats, neg_luma = _features(classifier, [im for _, im in negatives])
    refused = np.mean([not gate.check_values(lu, f) for f, lu in zip(neg_feats, neg_luma, strict=True)])
    kinds = {kind for kind, _ in negatives}
    assert kinds == {"blank skin", "photograph", "plain surface", "dark frame", "blurred frame"}
    print(
        f"gate: accepts {accepted:.3%} of {len(images)} test lesions, "
        f"refuses {refused:.3%} of {len(negatives)} non-lesions"
    )
    assert accepted >= 0.98
    # 0.95 held for the HAM10000-only 1.0.0. 2.0.0's gate, fitted by the same rule on both hospitals'
    # lesions, refuses 0.91 of the pooled test's non-lesions (photographs 0.73; 0.936 of these, measured
    # 2026-12-07): shipped knowingly for its referral of the second
    # hospital's cancers (0.987 against 0.797), and stated in its card and docs/model-training.md (run 18)
    assert refused >= 0.90
    assert shipped_package.manifest.gate is not None
    recorded = shipped_package.manifest.gate.metrics["test_lesions_accepted"]
    # INT8 features differ slightly between CPUs: `dermdesk bench consistency` found every picture's
    # suitability the same on every instruction set measured; three pictures in a thousand are allowed
    assert accepted == pytest.approx(recorded, abs=3 / len(images))


def test_lighting_verdicts() -> None:
    assert lighting_verdict(None).suitable and lighting_verdict("white").suitable
    assert lighting_verdict("white_polarised").suitable
    assert "narrow-band 630 nm" in lighting_verdict("nb_630").message
    assert not lighting_verdict("off").suitable
