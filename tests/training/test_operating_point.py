"""The clinical operating point, model 2's calibration rule, the acral limit and the pieces of
distributed training that need no second process (the sampler's shares, the torchrun command)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.evaluation import read_labels, score_folder
from dermdesk.inference.limits import is_acral, limits_for
from dermdesk.inference.package import default_package_dir, load_package
from dermdesk.inference.postprocess import assess, calibrated_probabilities
from dermdesk.inference.preprocess import CropBox
from dermdesk.training import targets
from dermdesk.training.augment import stretched_crop
from dermdesk.training.calibrate import calibrate
from dermdesk.training.distributed import BalancedSampler, World
from dermdesk.training.launch import MALLOC_TUNABLES, torchrun_command, training_environment

REPO = Path(__file__).resolve().parents[2]
HAM = REPO.parent / "shared" / "data" / "ham10000"


@pytest.fixture(scope="module")
def scored() -> tuple[LesionClassifier, np.ndarray, np.ndarray, np.ndarray]:
    """The shipped model on the first 150 test pictures (one view): real probabilities."""
    classifier = LesionClassifier(load_package(default_package_dir()))
    found = score_folder(
        classifier, HAM / "images", read_labels(REPO / "splits/test.csv", CLASS_CODES)[:150], tta=False
    )
    return classifier, found.logits, found.labels, found.lesions


def test_vectorised_referral_is_the_stations_rule(scored) -> None:  # type: ignore[no-untyped-def]
    classifier, logits, _labels, _ = scored
    probs = calibrated_probabilities(logits, classifier.rules)
    refer = targets.referred(probs, dict(classifier.rules.thresholds), classifier.rules.min_top_probability)
    assert refer.tolist() == [assess(p, classifier.rules).refer for p in probs]
    assert 0 < refer.sum() < len(refer)


def test_thresholds_are_chosen_to_reach_the_malignant_target(scored) -> None:  # type: ignore[no-untyped-def]
    classifier, logits, labels, _ = scored
    probs = calibrated_probabilities(logits, classifier.rules)
    chosen = targets.choose_referral(probs, labels, 0.95)
    refer = targets.referred(probs, chosen.thresholds, 0.5)
    malignant, benign = targets.referral_shares(labels, refer)
    assert malignant >= 0.95 and (malignant, benign) == (chosen.malignant_referred, chosen.benign_referred)
    lower = targets.choose_referral(probs, labels, 0.80)  # a lower target refers no more benign lesions
    assert lower.sensitivity <= chosen.sensitivity and lower.benign_referred <= chosen.benign_referred


def test_benign_referred_at_the_target_ranks_by_the_malignant_probability() -> None:
    labels = np.array([CLASS_CODES.index(c) for c in ["mel", "bcc", "nv", "nv", "bkl", "nv"]])
    probs = np.full((6, 7), 0.01)
    mel = CLASS_CODES.index("mel")
    probs[:, mel] = [0.9, 0.5, 0.6, 0.2, 0.1, 0.05]  # one naevus ranks above the basal cell carcinoma
    probs /= probs.sum(1, keepdims=True)
    assert targets.benign_referred_at(probs, labels, 0.95) == pytest.approx(0.25)
    assert np.isnan(targets.benign_referred_at(probs[2:], labels[2:]))  # no malignant lesion: undefined
    same = np.full((6, 7), 1 / 7)  # a model that tells nothing apart refers everyone to catch the cancers
    assert targets.benign_referred_at(same, labels) == 1.0


def test_targets_carry_intervals_and_say_met_or_not(scored) -> None:  # type: ignore[no-untyped-def]
    classifier, logits, labels, lesions = scored
    probs = calibrated_probabilities(logits, classifier.rules)
    trained = np.asarray(load_package(default_package_dir()).manifest.calibration.train_prior)
    part = targets.Scored(
        labels=labels,
        lesions=lesions,
        collections=np.array(["ham10000"] * len(labels)),
        probabilities=probs,
        uniform=targets.uniform_prior_probabilities(logits, trained),
        refer=targets.referred(probs, dict(classifier.rules.thresholds), 0.5),
    )
    rows = targets.evaluate(part)
    names = {(r["target"], r["scope"]) for r in rows}
    assert ("malignant lesions referred", "pooled") in names and ("macro AUC", "ham10000") in names
    assert ("melanoma AUC", "pooled") in names and (
        "balanced accuracy at a uniform prior",
        "ham10000",
    ) in names
    for row in rows:
        low, high = row["ci95"]
        assert low <= high
        if not row["target"].startswith("ECE"):  # ECE's resamples are biased upwards, like ECE itself
            assert low <= row["value"] <= high
        assert row["met"] == (
            row["value"] >= row["goal"] if row["op"] == ">=" else row["value"] <= row["goal"]
        )


def test_alpha_is_admitted_by_the_range_of_exactly_right_probabilities(scored) -> None:  # type: ignore[no-untyped-def]
    _classifier, logits, labels, _ = scored
    manifest = load_package(default_package_dir()).manifest
    trained = np.asarray(manifest.calibration.train_prior)
    natural = np.asarray(
        manifest.extra("calibration", {}).get("natural_prior") or manifest.calibration.train_prior
    )
    ruled = calibrate(logits, labels, trained, natural, max_ece=None)
    limits = {round(c["ece_limit"], 6) for c in ruled.candidates}
    assert len(limits) > 1 and all(0.02 < v < 0.3 for v in limits)  # one yardstick per α, from the data
    chosen = next(c for c in ruled.candidates if c["alpha"] == ruled.prior_power)
    admissible = [c for c in ruled.candidates if c["ece"] <= c["ece_limit"]]
    assert chosen in admissible or not admissible
    fixed = calibrate(logits, labels, trained, natural, max_ece=0.025)
    assert {c["ece_limit"] for c in fixed.candidates} == {0.025}


def test_the_acral_limit_is_shown_for_palms_and_soles_only() -> None:
    assert is_acral("palms/soles") and is_acral("acral") and not is_acral("back") and not is_acral(None)
    notices = limits_for("palms/soles", {"acral": "acral lesions are 4 pictures in isic-extra"})
    assert [n.code for n in notices] == ["acral"] and "4 pictures in isic-extra" in notices[0].text
    assert "barely represented" in limits_for("acral")[0].text
    assert limits_for("posterior torso") == []


def test_stretched_crops_change_the_aspect_within_the_limit() -> None:
    rgb = np.zeros((150, 200, 3), np.uint8)
    rng = np.random.default_rng(0)
    ratios = []
    for _ in range(200):
        crop = stretched_crop(rgb, CropBox(50, 25, 100), rng, 1.33)
        ratios.append(crop.shape[1] / crop.shape[0])
    assert min(ratios) >= 1 / 1.35 and max(ratios) <= 1.35 and max(ratios) - min(ratios) > 0.4
    assert stretched_crop(rgb, CropBox(50, 25, 100), rng, 1.0).shape[:2] == (100, 100)


def test_the_processes_share_the_balanced_draws_without_overlap() -> None:
    weights = np.linspace(1, 2, 50)
    weights /= weights.sum()
    alone = BalancedSampler(weights, 64, 7, World()).epoch(3)
    shares = [BalancedSampler(weights, 64, 7, World(rank=r, size=2)).epoch(3) for r in (0, 1)]
    assert len(shares[0]) == len(shares[1]) == 32
    merged = np.empty(64, dtype=alone.dtype)
    merged[0::2], merged[1::2] = shares
    assert merged.tolist() == alone.tolist()  # together exactly the single process's draws
    assert BalancedSampler(weights, 64, 7, World()).epoch(4).tolist() != alone.tolist()


def test_the_torchrun_command_for_one_machine_and_for_a_cluster() -> None:
    one = torchrun_command(["--quick"], 2, max_restarts=1)
    assert one[1:4] == ["-m", "torch.distributed.run", "--standalone"]
    assert (
        "--nproc-per-node=2" in one
        and "--max-restarts=1" in one
        and one[-2:] == ["dermdesk.training.make_model", "--quick"]
    )
    cluster = torchrun_command([], 8, nodes=4, rendezvous="trainer-0:29400")
    assert (
        "--nnodes=4" in cluster
        and "--rdzv-endpoint=trainer-0:29400" in cluster
        and "--standalone" not in cluster
    )
    with pytest.raises(ValueError, match="rendezvous"):
        torchrun_command([], 8, nodes=2)
    with pytest.raises(ValueError, match="at least one process"):
        torchrun_command([], 0)


def test_calibration_stays_finite_when_a_class_has_no_training_cases() -> None:
    """The central retraining's collapse (every picture one class, AUC 0.5) came from log(0) priors."""
    rng = np.random.default_rng(3)
    labels = rng.choice([0, 2, 4, 6], size=400)
    logits = rng.normal(size=(400, 7)) + 3.0 * np.eye(7)[labels]
    logits[:, [1, 3, 5]] -= 4.0  # classes the network never learnt
    natural = np.array([0.3, 0.0, 0.1, 0.0, 0.5, 0.0, 0.1])
    trained = natural.copy()
    with np.errstate(all="raise"):  # no divide-by-zero or invalid value on the way
        result = calibrate(logits, labels, trained, natural, max_ece=None)
    assert np.isfinite(result.logit_adjustment).all()
    assert result.validation_balanced_accuracy > 0.5  # far from the collapse's 1/7


def test_training_processes_start_with_the_allocator_tunables_unless_the_caller_set_its_own() -> None:
    """Read back by a real child process: the tunables only count when a process starts with them."""

    def seen_by_child(env: dict[str, str]) -> str:
        child = [sys.executable, "-c", "import os; print(os.environ.get('GLIBC_TUNABLES', ''))"]
        return subprocess.run(
            child, env=training_environment(env), capture_output=True, text=True
        ).stdout.strip()

    assert seen_by_child({"PATH": os.environ["PATH"]}) == MALLOC_TUNABLES
    assert seen_by_child({"GLIBC_TUNABLES": "glibc.malloc.arena_max=2"}) == "glibc.malloc.arena_max=2"
