"""Compare model packages on the validation split only: the figures docs/model-training.md's rule reads.

For each package: the calibrated validation figures with TTA (the package's own calibration, as shipped),
then balanced accuracy and macro AUC with a single view, clean and under each of the model card's
perturbations, and their mean over the perturbations. The test split is never read.

Usage: python scripts/compare_runs.py PACKAGE_DIR [PACKAGE_DIR ...] [--data ../shared/data/ham10000]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.evaluation import read_labels, report, score_folder
from dermdesk.inference.package import load_package
from dermdesk.training.model_card import PERTURBATIONS


def figures(package_dir: Path, images: Path, splits: Path) -> dict[str, float]:
    classifier = LesionClassifier(load_package(package_dir))
    labels = read_labels(splits / "val.csv", CLASS_CODES)
    tta = report(score_folder(classifier, images, labels, tta=True), classifier, intervals=False)
    row = {
        "bacc": tta["balanced_accuracy"],
        "auc": tta["macro_auc"],
        "mel@80": tta["melanoma_sensitivity_at_80_specificity"],
        "ece": tta["ece"],
    }
    perturbed = []
    for name, perturb in {"clean": None, **PERTURBATIONS}.items():
        single = report(
            score_folder(classifier, images, labels, tta=False, perturb=perturb), classifier, intervals=False
        )
        row[f"{name} bacc"] = single["balanced_accuracy"]
        row[f"{name} auc"] = single["macro_auc"]
        if perturb is not None:
            perturbed.append(single["balanced_accuracy"])
    row["perturbed mean bacc"] = float(np.mean(perturbed))
    return row


def package_parser(doc: str | None) -> argparse.ArgumentParser:
    """The arguments every run-comparison script takes: packages, the data folder and the splits."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("packages", nargs="+", type=Path)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ham10000"))
    parser.add_argument("--splits", type=Path, default=Path("splits"))
    return parser


def main() -> None:
    args = package_parser(__doc__).parse_args()
    rows = {p.name: figures(p, args.data / "images", args.splits) for p in args.packages}
    keys = list(next(iter(rows.values())))
    print("| validation | " + " | ".join(rows) + " |")
    print("| --- |" + " --- |" * len(rows))
    for key in keys:
        print(f"| {key} | " + " | ".join(f"{row[key]:.3f}" for row in rows.values()) + " |")


if __name__ == "__main__":
    main()
