"""Would patient details (age, sex, body site) lift the classifier? A validation-only study.

The image logits of a model package (TTA, scored on splits/val.csv) are fused with a multinomial logistic
regression on the patient details, fitted on the training split: logits + β·(log p(y|details) − log p(y|no
details)), then `make model`'s own calibration rule chooses α and T. Two encodings are compared:

- "HAM sites": HAM10000's 14 fine sites plus explicit "unknown" markers for a missing age, sex or site;
- "clinic sites": what the records can supply, ISIC `anatom_site_general` (HAM's sites mapped onto it;
  HAM's "trunk" only says torso), a missing detail contributes nothing.

Results are in docs/model-training.md. The test split is never read.
Usage: python scripts/metadata_study.py [--package PACKAGE] [--precision fp32]  (default: the shipped package)
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.evaluation import read_labels, score_folder
from dermdesk.inference.package import default_package_dir, load_package
from dermdesk.training.calibrate import calibrate

AGE_EDGES = (15, 30, 40, 50, 60, 70, 80)
HAM_TO_CLINIC = {
    "abdomen": "anterior torso",
    "chest": "anterior torso",
    "back": "posterior torso",
    "trunk": "torso",
    "face": "head/neck",
    "scalp": "head/neck",
    "ear": "head/neck",
    "neck": "head/neck",
    "upper extremity": "upper extremity",
    "hand": "upper extremity",
    "lower extremity": "lower extremity",
    "foot": "lower extremity",
    "acral": "palms/soles",
    "genital": "oral/genital",
}
CLINIC_SITES = (
    "head/neck",
    "upper extremity",
    "lower extremity",
    "palms/soles",
    "oral/genital",
    "torso",
    "anterior torso",
    "posterior torso",
    "lateral torso",
)


def encode(row: dict[str, str], ham_sites: list[str], clinic: bool) -> np.ndarray:
    age = np.zeros(len(AGE_EDGES) + 2)
    if row["age"]:
        age[int(np.searchsorted(AGE_EDGES, float(row["age"]), side="right"))] = 1
    elif not clinic:
        age[-1] = 1  # "unknown" marker
    sex = np.array(
        [row["sex"] == "male", row["sex"] == "female", not clinic and row["sex"] not in ("male", "female")]
    )
    if clinic:
        site = np.zeros(len(CLINIC_SITES))
        mapped = HAM_TO_CLINIC.get(row["localization"])
        if mapped:
            if mapped.endswith("torso"):
                site[CLINIC_SITES.index("torso")] = 1
            if mapped != "torso":
                site[CLINIC_SITES.index(mapped)] = 1
    else:
        site = np.array([row["localization"] == s for s in ham_sites], dtype=float)
    return np.concatenate([age, sex.astype(float), site])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--package", default=str(default_package_dir()))
    parser.add_argument("--precision", default="fp32")
    parser.add_argument("--data", default="../shared/data/ham10000")
    args = parser.parse_args()
    data = Path(args.data)
    with (data / "HAM10000_metadata.csv").open(newline="") as f:
        meta = {r["image_id"]: r for r in csv.DictReader(f)}
    ham_sites = sorted({r["localization"] for r in meta.values()})
    package = load_package(Path(args.package))
    calibration = package.manifest.calibration
    trained, natural = np.asarray(calibration.train_prior), np.asarray(calibration.natural_prior)
    classifier = LesionClassifier(package, precision=args.precision)
    scored = score_folder(classifier, data / "images", read_labels(Path("splits/val.csv"), CLASS_CODES))
    train = read_labels(Path("splits/train.csv"), CLASS_CODES)
    y_train = np.array([CLASS_CODES.index(r.dx) for r in train])

    def report(name: str, logits: np.ndarray) -> None:
        cal = calibrate(logits, scored.labels, trained, natural)
        uniform = cal.candidates[0]
        print(
            f"{name:34s} chosen α {cal.prior_power:<5} bacc {cal.validation_balanced_accuracy:.3f} "
            f"ECE {cal.validation_ece_after:.3f} | α 0: bacc {uniform['balanced_accuracy']:.3f} "
            f"ECE {uniform['ece']:.3f}"
        )

    report("image only", scored.logits)
    for clinic in (False, True):
        x_train = np.stack([encode(meta[r.image_id], ham_sites, clinic) for r in train])
        x_val = np.stack([encode(meta[i], ham_sites, clinic) for i in scored.image_ids])
        for c in (0.3, 1.0):
            model = LogisticRegression(C=c, max_iter=3000).fit(x_train, y_train)
            shift = np.log(model.predict_proba(x_val)) - np.log(
                model.predict_proba(np.zeros((1, x_val.shape[1])))
            )
            for beta in (0.75, 1.0):
                report(
                    f"{'clinic' if clinic else 'HAM'} sites, C {c}, β {beta}", scored.logits + beta * shift
                )


if __name__ == "__main__":
    main()
