"""Scoring a model package on a labelled image folder: what ``dermdesk evaluate`` and the model card share.

Labels come from a CSV with ``image_id,dx`` (and optionally ``lesion_id``, used to bootstrap by lesion).
Images are ``<image_id>.jpg`` or ``.png``; a missing or unreadable one is skipped and counted, not fatal.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dermdesk.i18n import _
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.images import ImageReadError, load_rgb
from dermdesk.inference.metrics import (
    balanced_accuracy,
    bootstrap_interval,
    expected_calibration_error,
    macro_auc,
    sensitivity_at_specificity,
    summary,
)
from dermdesk.inference.postprocess import calibrated_probabilities

log = logging.getLogger(__name__)


class LabelsError(ValueError):
    """The labels CSV cannot be used; the message names the problem."""


@dataclass(frozen=True)
class LabelledImage:
    image_id: str
    dx: str
    lesion_id: str


def read_labels(path: Path, class_codes: tuple[str, ...]) -> list[LabelledImage]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            missing = [c for c in ("image_id", "dx") if c not in columns]
            if missing:
                raise LabelsError(
                    _("{name}: missing column(s) {value} (need image_id,dx)").format(
                        name=path.name, value=", ".join(missing)
                    )
                )
            rows = list(reader)
    except OSError as exc:
        raise LabelsError(
            _("cannot read labels file {path}: {strerror}").format(path=path, strerror=exc.strerror)
        ) from exc
    except UnicodeDecodeError as exc:
        raise LabelsError(
            _("{name}: not a text CSV file (byte {start} is not UTF-8)").format(
                name=path.name, start=exc.start
            )
        ) from exc
    except csv.Error as exc:
        raise LabelsError(
            _("{name}: not a readable CSV file ({exc})").format(name=path.name, exc=exc)
        ) from exc
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        if not isinstance(row.get("image_id"), str) or not isinstance(row.get("dx"), str):
            raise LabelsError(
                _("{name}: row {number} is incomplete (a missing column or a quote left open?)").format(
                    name=path.name, number=number
                )
            )
        if any(ord(char) < 32 for char in row["image_id"] + row["dx"]):
            raise LabelsError(
                _(
                    "{name}: row {number} holds a line break or control character inside a value (a "
                    "quote left open?)"
                ).format(name=path.name, number=number)
            )
    unknown = sorted({r["dx"] for r in rows} - set(class_codes))
    if unknown:
        raise LabelsError(
            _("{name}: unknown class code(s) {value}; known: {value2}").format(
                name=path.name, value=", ".join(unknown), value2=", ".join(class_codes)
            )
        )
    return [LabelledImage(r["image_id"], r["dx"], r.get("lesion_id") or r["image_id"]) for r in rows]


def find_image(folder: Path, image_id: str) -> Path | None:
    for suffix in (".jpg", ".jpeg", ".png", ".JPG", ".PNG"):
        path = folder / f"{image_id}{suffix}"
        if path.is_file():
            return path
    return None


@dataclass
class ScoredSet:
    """Raw logits of the readable images, their labels and lesions, and what was skipped."""

    image_ids: list[str]
    labels: np.ndarray
    lesions: np.ndarray
    logits: np.ndarray
    skipped: list[str]


def score_folder(
    classifier: LesionClassifier,
    image_dir: Path,
    labels: list[LabelledImage],
    tta: bool = True,
    perturb: Callable[[np.ndarray], np.ndarray] | None = None,
) -> ScoredSet:
    codes = classifier.rules.class_codes
    ids, ys, lesions, logits, skipped = [], [], [], [], []
    for item in labels:
        path = find_image(image_dir, item.image_id)
        try:
            if path is None:
                raise ImageReadError(f"{item.image_id}: no image file")
            rgb = load_rgb(path)
        except ImageReadError as exc:
            log.warning("skipping %s", exc)
            skipped.append(item.image_id)
            continue
        if perturb is not None:
            rgb = perturb(rgb)
        raw = classifier.raw_logits(rgb, tta=tta)
        ids.append(item.image_id)
        ys.append(codes.index(item.dx))
        lesions.append(item.lesion_id)
        logits.append(raw)
    return ScoredSet(
        ids,
        np.array(ys, dtype=np.int64),
        np.array(lesions),
        np.array(logits).reshape(-1, len(codes)),
        skipped,
    )


def report(scored: ScoredSet, classifier: LesionClassifier, intervals: bool = True) -> dict[str, object]:
    """All figures, with lesion-level bootstrap 95 % intervals for the headline ones."""
    codes = classifier.rules.class_codes
    probs = calibrated_probabilities(scored.logits, classifier.rules)
    result = summary(scored.labels, probs, codes)
    result["skipped"] = scored.skipped
    result["model"] = classifier.package.summary
    result["precision"] = classifier.precision
    if intervals and len(scored.labels) > 1:
        mel = codes.index("mel")
        y, n = scored.labels, len(codes)
        stats: dict[str, Callable[[np.ndarray], float]] = {
            "accuracy": lambda i: float((probs[i].argmax(1) == y[i]).mean()),
            "balanced_accuracy": lambda i: balanced_accuracy(y[i], probs[i].argmax(1), n),
            "macro_auc": lambda i: macro_auc(y[i], probs[i]),
            "melanoma_sensitivity_at_80_specificity": lambda i: sensitivity_at_specificity(
                y[i] == mel, probs[i][:, mel], 0.80
            ),
            "ece": lambda i: expected_calibration_error(y[i], probs[i]),
        }
        cis = {name: bootstrap_interval(scored.lesions, fn, rounds=500) for name, fn in stats.items()}
        result["ci95"] = {name: ci for name, ci in cis.items() if ci is not None}
    return result
