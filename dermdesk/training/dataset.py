"""Loading a lesion image collection in the HAM10000 layout.

The layout is a folder with ``images/<image_id>.jpg`` (or ``.png``), an optional ``masks/`` folder and a
metadata CSV with at least ``lesion_id, image_id, dx``. HAM10000 itself is one such folder; a clinic or the
central service can train on its own cases by writing the same layout.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from dermdesk.inference.classes import CLASS_CODES

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("lesion_id", "image_id", "dx")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


class DatasetError(ValueError):
    """The collection cannot be used: a missing file or column, or a diagnosis we do not know."""


@dataclass(frozen=True)
class CaseRecord:
    """One image of one lesion with its confirmed diagnosis."""

    image_id: str
    lesion_id: str
    dx: str
    image_path: Path
    dx_type: str = ""
    age: float | None = None
    sex: str = ""
    localization: str = ""
    source: str = ""  # the collection it came from (ham10000, isic-extra, clinic)
    origin: str = ""  # the hospital or archive part within it (isic-extra's ``source`` column)

    @property
    def label(self) -> int:
        return CLASS_CODES.index(self.dx)


def find_metadata_csv(root: Path) -> Path:
    """The metadata CSV of a collection: ``HAM10000_metadata.csv`` or the only ``*.csv`` in the folder."""
    preferred = root / "HAM10000_metadata.csv"
    if preferred.is_file():
        return preferred
    candidates = sorted(p for p in root.glob("*.csv"))
    if len(candidates) != 1:
        raise DatasetError(f"{root}: expected one metadata CSV, found {len(candidates)}")
    return candidates[0]


def _image_path(images_dir: Path, image_id: str) -> Path | None:
    for suffix in IMAGE_SUFFIXES:
        path = images_dir / f"{image_id}{suffix}"
        if path.is_file():
            return path
    return None


def _parse_age(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def load_cases(
    root: Path | str,
    metadata_csv: Path | None = None,
    *,
    dx_map: dict[str, str] | None = None,
    source: str = "",
) -> tuple[list[CaseRecord], int]:
    """Read a collection's metadata; return its cases and how many rows were skipped (image missing).

    Unknown diagnoses or missing columns are errors: training on a silently dropped class would mislead.
    A diagnosis outside the seven classes is accepted only through ``dx_map``, an explicit table from the
    collection's word to one of ours (e.g. ``{"melanoma": "mel"}``); rows without a lesion id are refused,
    because a split by image would put pictures of one lesion on both sides.
    """
    root = Path(root)
    csv_path = metadata_csv or find_metadata_csv(root)
    images_dir = root / "images"
    if not images_dir.is_dir():
        raise DatasetError(f"{root}: no images/ folder")
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DatasetError(f"{csv_path.name}: missing column(s) {', '.join(missing)}")
        rows = list(reader)
    table = dx_map or {}
    bad_targets = sorted(set(table.values()) - set(CLASS_CODES))
    if bad_targets:
        raise DatasetError(f"diagnosis table maps to unknown class code(s) {', '.join(bad_targets)}")
    for row in rows:
        row["dx"] = table.get(row["dx"], row["dx"])
    outside = [r["dx"] for r in rows if r["dx"] not in CLASS_CODES]
    if outside:
        values = sorted(set(outside))
        raise DatasetError(
            f"{csv_path.name}: {len(outside)} row(s) with a diagnosis outside the seven classes "
            f"({', '.join(CLASS_CODES)}): {', '.join(repr(v) for v in values)}. Map them with an explicit "
            "table (make_model --dx-map) or remove those rows."
        )
    no_lesion = [r["image_id"] for r in rows if not (r.get("lesion_id") or "").strip()]
    if no_lesion:
        raise DatasetError(
            f"{csv_path.name}: {len(no_lesion)} of {len(rows)} row(s) have no lesion id (first: "
            f"{', '.join(no_lesion[:3])}). Splits are made by lesion; if each picture shows a different "
            "lesion, write the image id as its lesion id."
        )
    cases: list[CaseRecord] = []
    skipped = 0
    for row in rows:
        path = _image_path(images_dir, row["image_id"])
        if path is None:
            skipped += 1
            continue
        cases.append(
            CaseRecord(
                image_id=row["image_id"],
                lesion_id=row["lesion_id"],
                dx=row["dx"],
                image_path=path,
                dx_type=row.get("dx_type", ""),
                age=_parse_age(row.get("age", "")),
                sex=row.get("sex", ""),
                localization=row.get("localization", ""),
                source=source or row.get("collection", ""),
                origin=row.get("source") or source or row.get("collection", ""),
            )
        )
    if skipped:
        log.warning("%d of %d images listed in %s are missing", skipped, len(rows), csv_path.name)
    return cases, skipped


def read_images(paths: Sequence[Path]) -> tuple[list[np.ndarray | None], int]:
    """Decode images as RGB uint8; an unreadable file gives ``None`` and is counted, never fatal."""
    images: list[np.ndarray | None] = []
    bad = 0
    for path in paths:
        bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if bgr is None or bgr.size == 0:
            log.warning("skipping unreadable image %s", path.name)
            images.append(None)
            bad += 1
            continue
        images.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    return images, bad


def class_counts(labels: Iterable[int]) -> np.ndarray:
    counts = np.zeros(len(CLASS_CODES), dtype=np.int64)
    for label in labels:
        counts[label] += 1
    return counts
