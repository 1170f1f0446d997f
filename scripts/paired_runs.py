"""Can the validation split tell two runs apart? Paired lesion-bootstrap differences, validation only.

For each package: FP32 logits with TTA on the validation split, corrected to a uniform prior (α = 0, so no
calibration choice and no ECE draw enters), then balanced accuracy and macro AUC; for every package after
the first, the 95 % interval of its difference to the first, resampling whole lesions (both runs on the
same resample). The test split is never read. With ``--ensembles``, also every pair of packages and all of
them together as ensembles (mean of their log-probabilities at a uniform prior), against the first package.

Usage: python scripts/paired_runs.py REFERENCE_PACKAGE PACKAGE [PACKAGE ...] [--rounds 500] [--ensembles]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
from compare_runs import package_parser  # scripts/ is on the path when a script runs
from scipy.special import log_softmax

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.evaluation import read_labels, score_folder
from dermdesk.inference.metrics import balanced_accuracy, bootstrap_interval, macro_auc
from dermdesk.inference.package import load_package
from dermdesk.training.calibrate import softmax


def uniform_prior_logits(
    package_dir: Path, images: Path, splits: Path
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    package = load_package(package_dir)
    scored = score_folder(
        LesionClassifier(package, precision="fp32"), images, read_labels(splits / "val.csv", CLASS_CODES)
    )
    train_prior = np.asarray(package.manifest.calibration.train_prior)
    return scored.logits - np.log(train_prior), scored.labels, scored.lesions


def ensembles(runs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every pair of runs and all of them together: the mean of their log-probabilities."""
    names = list(runs)
    groups = [*itertools.combinations(names, 2), *([tuple(names)] if len(names) > 2 else [])]
    return {" + ".join(g): np.mean([log_softmax(runs[n], axis=1) for n in g], axis=0) for g in groups}


def paired_cell(
    lesions: np.ndarray,
    rounds: int,
    figure: Callable[[np.ndarray, np.ndarray], float],
    z: np.ndarray,
    ref: np.ndarray,
) -> str:
    """A figure's difference to the reference run, and its 95 % interval over shared lesion resamples."""
    everything = np.arange(len(lesions))
    point = figure(z, everything) - figure(ref, everything)
    interval = bootstrap_interval(lesions, lambda i: figure(z, i) - figure(ref, i), rounds=rounds)
    return "–" if interval is None else f"{point:+.3f} ({interval[0]:+.3f} to {interval[1]:+.3f})"


def main() -> None:
    parser = package_parser(__doc__)
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--ensembles", action="store_true", help="also score pairs and all packages together")
    args = parser.parse_args()
    runs = {str(p): uniform_prior_logits(p, args.data / "images", args.splits) for p in args.packages}
    reference, labels, lesions = runs[str(args.packages[0])]
    n = len(CLASS_CODES)
    figures: list[Callable[[np.ndarray, np.ndarray], float]] = [
        lambda z, i: balanced_accuracy(labels[i], z[i].argmax(1), n),
        lambda z, i: macro_auc(labels[i], softmax(z[i])),
    ]
    print("| package | val bacc (α = 0) | val AUC | bacc − first (95 %) | AUC − first (95 %) |")
    print("| --- | --- | --- | --- | --- |")
    for path, (_, y, _) in runs.items():
        if not np.array_equal(y, labels):
            raise SystemExit(f"{path}: scored a different set of validation images")
    rows = {path: z for path, (z, _, _) in runs.items()}
    if args.ensembles:
        rows.update(ensembles(rows))
    everything = np.arange(len(labels))
    for name, z in rows.items():
        row = "| " + " | ".join([name, *(f"{f(z, everything):.3f}" for f in figures)]) + " |"
        if name == str(args.packages[0]):
            print(row + " – | – |")
            continue
        cells = [paired_cell(lesions, args.rounds, f, z, reference) for f in figures]
        print(row + f" {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
