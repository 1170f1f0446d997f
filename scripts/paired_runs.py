"""Can the validation split tell two runs apart? Paired lesion-bootstrap differences, validation only.

For each package: FP32 logits with TTA on the validation split, corrected to a uniform prior (α = 0, so no
calibration choice and no ECE draw enters), then balanced accuracy and macro AUC; for every package after
the first, the 95 % interval of its difference to the first, resampling whole lesions (both runs on the
same resample). The test split is never read.

Usage: python scripts/paired_runs.py REFERENCE_PACKAGE PACKAGE [PACKAGE ...] [--rounds 500]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.evaluation import read_labels, score_folder
from dermdesk.inference.metrics import balanced_accuracy, macro_auc
from dermdesk.inference.package import load_package
from dermdesk.training.calibrate import softmax


def uniform_prior_logits(
    package_dir: Path, images: Path, splits: Path
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    package = load_package(package_dir)
    scored = score_folder(
        LesionClassifier(package, precision="fp32"), images, read_labels(splits / "val.csv", CLASS_CODES)
    )
    train_prior = np.asarray(package.manifest["calibration"]["train_prior"])
    return scored.logits - np.log(train_prior), scored.labels, scored.lesions


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("packages", nargs="+", type=Path)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ham10000"))
    parser.add_argument("--splits", type=Path, default=Path("splits"))
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args()
    runs = {p: uniform_prior_logits(p, args.data / "images", args.splits) for p in args.packages}
    _, labels, lesions = runs[args.packages[0]]
    n = len(CLASS_CODES)
    _, inverse = np.unique(lesions, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(inverse.max() + 1)]
    rng = np.random.default_rng(5)
    resamples = [
        np.concatenate([members[g] for g in rng.integers(0, len(members), len(members))])
        for _ in range(args.rounds)
    ]

    def figures(z: np.ndarray, i: np.ndarray) -> tuple[float, float]:
        return balanced_accuracy(labels[i], z[i].argmax(1), n), macro_auc(labels[i], softmax(z[i]))

    reference = runs[args.packages[0]][0]
    ref_boot = [figures(reference, i) for i in resamples]
    print("| package | val bacc (α = 0) | val AUC | bacc − first (95 %) | AUC − first (95 %) |")
    print("| --- | --- | --- | --- | --- |")
    for path, (z, y, _) in runs.items():
        if not np.array_equal(y, labels):
            raise SystemExit(f"{path}: scored a different set of validation images")
        bacc, auc = figures(z, np.arange(len(labels)))
        row = f"| {path} | {bacc:.3f} | {auc:.3f} |"
        if path == args.packages[0]:
            print(row + " – | – |")
            continue
        diffs = np.array(
            [np.subtract(figures(z, i), ref) for i, ref in zip(resamples, ref_boot, strict=True)]
        )
        low, high = np.percentile(diffs, [2.5, 97.5], axis=0)
        mean = diffs.mean(axis=0)
        cells = [f"{mean[k]:+.3f} ({low[k]:+.3f} to {high[k]:+.3f})" for k in (0, 1)]
        print(row + f" {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
