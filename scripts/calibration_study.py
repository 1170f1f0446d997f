"""How much do multi-scale TTA and the calibration's α move the figures? A validation-only study.

Scores a package on splits/val.csv at three crop scales (0.8, 1.0 and 1.25 × the lesion box) in the eight
dihedral views each, then prints, for several TTA sets, `make model`'s own calibration choice, and for a
range of α the balanced accuracy, the ECE at the NLL temperature and its mean over 50 bootstrap
redraws of the images (how far a fresh draw of 1,000 images moves it). Results: docs/model-training.md.
The test split is never read.

Usage: python scripts/calibration_study.py [--package PACKAGE]  (default: the shipped package)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.classifier import LesionClassifier, dihedral_views
from dermdesk.inference.evaluation import find_image, read_labels
from dermdesk.inference.images import load_rgb
from dermdesk.inference.metrics import balanced_accuracy, expected_calibration_error, macro_auc
from dermdesk.inference.package import default_package_dir, load_package
from dermdesk.inference.preprocess import CropBox, find_lesion_box, normalise, resize_crop, to_rgb8
from dermdesk.training.calibrate import calibrate, fit_temperature, softmax

SCALES = (0.8, 1.0, 1.25)


def scaled_box(box: CropBox, scale: float, height: int, width: int) -> CropBox:
    side = round(min(min(height, width), max(16, box.side * scale)))
    cx, cy = box.x + box.side / 2, box.y + box.side / 2
    x = round(min(max(cx - side / 2, 0), width - side))
    y = round(min(max(cy - side / 2, 0), height - side))
    return CropBox(x, y, side)


def view_logits(classifier: LesionClassifier, images: Path, splits: Path) -> tuple[np.ndarray, np.ndarray]:
    """Logits [N, scales, 8, C] of the validation images, and their labels."""
    all_logits, labels = [], []
    for item in read_labels(splits / "val.csv", CLASS_CODES):
        path = find_image(images, item.image_id)
        if path is None:
            continue
        rgb = to_rgb8(load_rgb(path))
        box = find_lesion_box(rgb)
        per_scale = []
        for scale in SCALES:
            pixels = resize_crop(rgb, scaled_box(box, scale, *rgb.shape[:2]), classifier.spec.size)
            batch = np.concatenate([normalise(v, classifier.spec) for v in dihedral_views(pixels)])
            per_scale.append(classifier.infer(batch)[0])
        all_logits.append(np.stack(per_scale))
        labels.append(CLASS_CODES.index(item.dx))
    return np.array(all_logits), np.array(labels)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--package", type=Path, default=default_package_dir())
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ham10000"))
    parser.add_argument("--splits", type=Path, default=Path("splits"))
    args = parser.parse_args()
    package = load_package(args.package)
    logits, y = view_logits(LesionClassifier(package), args.data / "images", args.splits)
    train_prior = np.asarray(package.manifest.calibration.train_prior)
    natural = np.asarray(package.manifest.calibration.natural_prior)

    sets = {
        "single view, scale 1.0": logits[:, 1, 0],
        "8 views, scale 1.0 (shipped TTA)": logits[:, 1].mean(1),
        "16 views, scales 1.0 + 1.25": logits[:, 1:].mean((1, 2)),
        "24 views, all scales": logits.mean((1, 2)),
    }
    print(
        "| TTA | chosen α | bacc | ECE | AUC (uniform prior) | bacc at α = 0 (ECE) |\n"
        "| --- | --- | --- | --- | --- | --- |"
    )
    for name, z in sets.items():
        cal = calibrate(z, y, train_prior, natural)
        at_zero = cal.candidates[0]
        auc = macro_auc(y, softmax(z - np.log(train_prior)))
        print(
            f"| {name} | {cal.prior_power} | {cal.validation_balanced_accuracy:.3f} | "
            f"{cal.validation_ece_after:.3f} | {auc:.3f} | "
            f"{at_zero['balanced_accuracy']:.3f} ({at_zero['ece']:.3f}) |"
        )

    rng = np.random.default_rng(0)
    draws = [rng.integers(0, len(y), len(y)) for _ in range(50)]
    z0 = sets["8 views, scale 1.0 (shipped TTA)"]
    print("\n| α | bacc | ECE at NLL temperature | bootstrap mean ECE |\n| --- | --- | --- | --- |")
    for alpha in (0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5):
        z = z0 + alpha * np.log(natural) - np.log(train_prior)
        t = fit_temperature(z, y)
        ece = expected_calibration_error(y, softmax(z / t))
        boot = np.mean([expected_calibration_error(y[d], softmax(z[d] / t)) for d in draws])
        print(
            f"| {alpha:.2f} | {balanced_accuracy(y, z.argmax(1), len(CLASS_CODES)):.3f} | "
            f"{ece:.3f} | {boot:.3f} |"
        )


if __name__ == "__main__":
    main()
