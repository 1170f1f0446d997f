"""Model 2's choosing rule (docs/model-training.md), on the pooled validation split only.

For each package: FP32 logits with eight-view TTA on HAM10000's and isic-extra's validation pictures;
balanced accuracy and macro AUC at a uniform prior (α = 0, T = 1); and the clinical operating point: the
package's own calibration, referral thresholds set on these validation pictures so that at least 95 % of
the malignant lesions are referred, and the share of benign lesions referred with them. Every package after
the first is compared with the first on the same lesion resamples (paired 95 % intervals), and the rule's
verdict is printed. The test split is never read.

Usage: python scripts/operating_point_runs.py REFERENCE_PACKAGE PACKAGE [PACKAGE ...] [--rounds 1000]
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.evaluation import read_labels, score_folder
from dermdesk.inference.metrics import balanced_accuracy, bootstrap_interval, macro_auc
from dermdesk.inference.package import load_package
from dermdesk.inference.postprocess import calibrated_probabilities
from dermdesk.training import targets

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
SOURCES = (("ham10000", REPO / "splits"), ("isic-extra", REPO / "splits" / "isic-extra"))


def scored(package_dir: Path, cache: Path) -> dict[str, np.ndarray]:
    """Pooled validation logits of one package (cached by its manifest's checksum)."""
    package = load_package(package_dir)
    key = hashlib.sha256(package.manifest_sha256.encode()).hexdigest()[:16]
    path = cache / f"val-{key}.npz"
    if path.is_file():
        return dict(np.load(path))
    classifier = LesionClassifier(package, precision="fp32")
    parts = [
        score_folder(classifier, SHARED / name / "images", read_labels(splits / "val.csv", CLASS_CODES))
        for name, splits in SOURCES
    ]
    out = {
        "logits": np.concatenate([p.logits for p in parts]),
        "labels": np.concatenate([p.labels for p in parts]),
        "lesions": np.concatenate([p.lesions for p in parts]),
    }
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, **out)
    return out


def figures_of(package_dir: Path, data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    package = load_package(package_dir)
    classifier = LesionClassifier(package, precision="fp32")
    trained = np.asarray(package.manifest.calibration.train_prior)
    probs = calibrated_probabilities(data["logits"], classifier.rules)
    chosen = targets.choose_referral(probs, data["labels"])
    return {
        "uniform": targets.uniform_prior_probabilities(data["logits"], trained),
        "refer": targets.referred(probs, chosen.thresholds, 0.5),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("packages", type=Path, nargs="+")
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--cache", type=Path, default=REPO / "work" / "rule-cache")
    args = parser.parse_args()
    data = [scored(p, args.cache) for p in args.packages]
    labels, lesions = data[0]["labels"], data[0]["lesions"]
    for path, d in zip(args.packages, data, strict=True):
        if not np.array_equal(d["labels"], labels):
            raise SystemExit(f"{path}: scored a different set of validation pictures")
    runs = [figures_of(p, d) for p, d in zip(args.packages, data, strict=True)]
    n = len(CLASS_CODES)
    malignant = targets.is_malignant(labels)

    def benign(run: dict[str, np.ndarray], i: np.ndarray) -> float:
        b = ~malignant[i]
        return float(run["refer"][i][b].mean())

    measures: dict[str, Callable[[dict[str, np.ndarray], np.ndarray], float]] = {
        "bacc (α = 0)": lambda run, i: balanced_accuracy(labels[i], run["uniform"][i].argmax(1), n),
        "macro AUC (α = 0)": lambda run, i: macro_auc(labels[i], run["uniform"][i]),
        "benign referred at 95 % malignant": benign,
    }
    everything = np.arange(len(labels))
    print(f"pooled validation: {len(labels)} pictures, {int(malignant.sum())} malignant")
    print(
        "| package | "
        + " | ".join(measures)
        + " | "
        + " | ".join(f"{m} − first (95 %)" for m in measures)
        + " |"
    )
    print("|" + " --- |" * (1 + 2 * len(measures)))
    reference = runs[0]
    for path, run in zip(args.packages, runs, strict=True):
        values = [f"{fn(run, everything):.3f}" for fn in measures.values()]
        if run is reference:
            print(f"| {path} | " + " | ".join(values) + " |" + " – |" * len(measures))
            continue
        cells, verdict = [], {}
        for name, fn in measures.items():
            point = fn(run, everything) - fn(reference, everything)
            ci = bootstrap_interval(
                lesions, lambda i, fn=fn, run=run: fn(run, i) - fn(reference, i), args.rounds
            )
            verdict[name] = (point, ci)
            cells.append("–" if ci is None else f"{point:+.3f} ({ci[0]:+.3f} to {ci[1]:+.3f})")
        print(f"| {path} | " + " | ".join(values) + " | " + " | ".join(cells) + " |")
        benign_point, _ = verdict["benign referred at 95 % malignant"]
        _, bacc_ci = verdict["bacc (α = 0)"]
        auc_point, _ = verdict["macro AUC (α = 0)"]
        replaces = benign_point < 0 and (bacc_ci is None or bacc_ci[1] >= 0) and auc_point >= -0.005
        print(f"  rule: {'replaces' if replaces else 'does not replace'} {args.packages[0]}")


if __name__ == "__main__":
    main()
