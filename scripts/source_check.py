"""Can the source of a picture be told from the picture? If so, and the source predicts the diagnosis
(isic-extra's 290 archive pictures hold 242 of its melanomas), a network can learn the source instead of
the lesion.

A logistic regression on the shipped network's pooled features (FP32, one view, the station's crop) is
fitted with five-fold cross-validation grouped by lesion, and its AUC says how well the source can be
told apart: HAM10000 against isic-extra, isic-extra's hospital (msk) against its archive pictures, and
the same within melanomas only (the shortcut's test: the same diagnosis, two sources). A plain picture
statistic (width-to-height ratio of the lesion's bounding box, which a stretch would change) is tried too.

    python scripts/source_check.py /tmp/resources/models/dermdesk-lesion-1.0.0

(1.0.0 left the tree when 2.0.0 shipped; restore it with
`git archive 3a18472 resources/models/dermdesk-lesion-1.0.0 | tar -x -C /tmp`.)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.images import load_rgb
from dermdesk.inference.package import load_package
from dermdesk.inference.preprocess import find_lesion_box, normalise, resize_crop
from dermdesk.training.dataset import load_cases

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def features(classifier: LesionClassifier, paths: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    """Pooled network features and the lesion box's aspect ratio (from the dark-blob mask) per picture."""
    spec = classifier.package.input_spec
    out, ratios = [], []
    for path in paths:
        rgb = load_rgb(path)
        x = normalise(resize_crop(rgb, find_lesion_box(rgb), spec.size), spec)
        out.append(classifier.infer(x)[2][0])
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
        _, _, w, h = cv2.boundingRect(mask)
        ratios.append(w / max(h, 1))
    return np.array(out), np.array(ratios)[:, None]


def grouped_auc(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float:
    scores = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        model = make_pipeline(
            StandardScaler(), LogisticRegression(C=0.1, max_iter=2000, class_weight="balanced")
        )
        model.fit(x[train], y[train])
        scores[test] = model.predict_proba(x[test])[:, 1]
    return float(roc_auc_score(y, scores))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("package", type=Path)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--ham-sample", type=int, default=1000, help="HAM10000 pictures drawn for (a)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    classifier = LesionClassifier(load_package(args.package), precision="fp32")
    extra = load_cases(args.shared / "isic-extra", source="isic-extra")[0]
    ham_all = load_cases(args.shared / "ham10000", source="ham10000")[0]
    rng = np.random.default_rng(20261206)
    ham = [ham_all[i] for i in sorted(rng.choice(len(ham_all), args.ham_sample, replace=False))]
    cases = ham + extra
    feats, ratios = features(classifier, [c.image_path for c in cases])
    lesions = np.array([c.lesion_id for c in cases])
    is_extra = np.array([c.source == "isic-extra" for c in cases])
    archive = np.array([c.origin == "archive" for c in cases])
    mel = np.array([c.dx == "mel" for c in cases])
    results = {
        "HAM10000 vs isic-extra (features)": grouped_auc(feats, is_extra.astype(int), lesions),
        "msk vs archive within isic-extra (features)": grouped_auc(
            feats[is_extra], archive[is_extra].astype(int), lesions[is_extra]
        ),
        "msk vs archive within isic-extra melanomas (features)": grouped_auc(
            feats[is_extra & mel], archive[is_extra & mel].astype(int), lesions[is_extra & mel]
        ),
        "msk vs archive within isic-extra melanomas (lesion box aspect ratio)": grouped_auc(
            ratios[is_extra & mel], archive[is_extra & mel].astype(int), lesions[is_extra & mel]
        ),
        "HAM10000 vs isic-extra (lesion box aspect ratio)": grouped_auc(
            ratios, is_extra.astype(int), lesions
        ),
    }
    counts = {
        "pictures": len(cases),
        "ham10000": int((~is_extra).sum()),
        "isic-extra msk": int((is_extra & ~archive).sum()),
        "isic-extra archive": int((is_extra & archive).sum()),
        "isic-extra melanomas msk / archive": [
            int((is_extra & mel & ~archive).sum()),
            int((is_extra & mel & archive).sum()),
        ],
    }
    for name, auc in results.items():
        print(f"{name}: AUC {auc:.3f}")
    print(json.dumps(counts))
    if args.out:
        args.out.write_text(json.dumps({"auc": results, "counts": counts}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
