"""Cross-source study: a model trained on HAM10000 alone, scored on isic-extra's test lesions.

Information for the model card, not a target (the case mix differs): per-class sensitivity for the classes
isic-extra has in number (mel, nv, bkl), melanoma AUC, balanced accuracy over those three, and the
station's malignant-vs-benign referral at the package's own thresholds; the same figures on HAM10000's
test split beside them. Eight-view TTA, the package's calibration, 95 % lesion-bootstrap intervals.

    python scripts/cross_source_study.py /tmp/resources/models/dermdesk-lesion-1.0.0  # writes docs/*.json

(1.0.0 left the tree when 2.0.0 shipped; restore it with
`git archive 3a18472 resources/models/dermdesk-lesion-1.0.0 | tar -x -C /tmp`.)
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from dermdesk.files import write_text_atomic
from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.evaluation import read_labels, score_folder
from dermdesk.inference.metrics import balanced_accuracy, binary_auc, bootstrap_interval
from dermdesk.inference.package import load_package
from dermdesk.inference.postprocess import calibrated_probabilities
from dermdesk.training import targets

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
THREE = ("mel", "nv", "bkl")


def figures(classifier: LesionClassifier, images: Path, labels_csv: Path) -> tuple[dict[str, Any], int]:
    scored = score_folder(classifier, images, read_labels(labels_csv, CLASS_CODES), tta=True)
    probs = calibrated_probabilities(scored.logits, classifier.rules)
    y, lesions = scored.labels, scored.lesions
    refer = targets.referred(probs, dict(classifier.rules.thresholds), classifier.rules.min_top_probability)
    malignant = targets.is_malignant(y)
    three = np.isin(y, [CLASS_CODES.index(c) for c in THREE])
    mel = CLASS_CODES.index("mel")
    top = probs.argmax(1)

    def sens(code: str) -> Callable[[np.ndarray], float]:
        k = CLASS_CODES.index(code)
        return lambda i: float((top[i][y[i] == k] == k).mean()) if (y[i] == k).any() else float("nan")

    def bacc_three(i: np.ndarray) -> float:
        keep = i[three[i]]
        present = sorted(set(y[keep].tolist()))
        return balanced_accuracy(y[keep], top[keep], len(CLASS_CODES)) if len(present) == 3 else float("nan")

    stats: dict[str, Callable[[np.ndarray], float]] = {
        "melanoma sensitivity (top class)": sens("mel"),
        "naevus sensitivity (top class)": sens("nv"),
        "benign keratosis sensitivity (top class)": sens("bkl"),
        "balanced accuracy over mel, nv, bkl (top class of seven)": bacc_three,
        "melanoma AUC (melanoma against everything else)": lambda i: binary_auc(
            y[i] == mel, probs[i][:, mel]
        ),
        "malignant lesions referred (shipped thresholds)": lambda i: (
            float(refer[i][malignant[i]].mean()) if malignant[i].any() else float("nan")
        ),
        "benign lesions referred (shipped thresholds)": lambda i: (
            float(refer[i][~malignant[i]].mean()) if (~malignant[i]).any() else float("nan")
        ),
        "benign lesions referred when 95 % of malignant ones are (ranking)": lambda i: (
            targets.benign_referred_at(probs[i], y[i])
        ),
    }
    everything = np.arange(len(y))
    out = {}
    for name, fn in stats.items():
        ci = bootstrap_interval(lesions, fn, rounds=500)
        out[name] = {
            "value": round(float(fn(everything)), 4),
            "ci95": None if ci is None else [round(ci[0], 4), round(ci[1], 4)],
        }
    return out, len(y)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("package", type=Path, help="a package trained on HAM10000 only")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--out", type=Path, default=Path("docs/cross-source-study.json"))
    args = parser.parse_args(argv)
    package = load_package(args.package)
    classifier = LesionClassifier(package)
    repo = Path(__file__).resolve().parents[1]
    extra, n_extra = figures(
        classifier, args.shared / "isic-extra" / "images", repo / "splits/isic-extra/test.csv"
    )
    ham, n_ham = figures(classifier, args.shared / "ham10000" / "images", repo / "splits/test.csv")
    study = {
        "model": f"{package.name} {package.version} ({classifier.precision.upper()})",
        "n_images": n_extra,
        "classes": list(THREE),
        "how": "eight-view TTA, the package's calibration and thresholds, 95 % lesion-bootstrap intervals; "
        "the same model on HAM10000's own test split beside it",
        "figures": {name: {**fig, "ham10000_test": ham[name]} for name, fig in extra.items()},
        "ham10000_n_images": n_ham,
    }
    write_text_atomic(args.out, json.dumps(study, indent=2) + "\n")
    for name, fig in study["figures"].items():
        ci, hci = fig["ci95"], fig["ham10000_test"]["ci95"]
        print(
            f"{name}: isic-extra {fig['value']:.3f} ({ci[0]:.3f}–{ci[1]:.3f})  "
            f"HAM10000 {fig['ham10000_test']['value']:.3f} ({hci[0]:.3f}–{hci[1]:.3f})"
        )


if __name__ == "__main__":
    main()
