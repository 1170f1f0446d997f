"""The HAM10000-layout loader and the committed lesion-level split."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from dermdesk.training.dataset import DatasetError, load_cases, read_images
from dermdesk.training.splits import SPLIT_NAMES, read_split, split_lesions, write_splits

REPO = Path(__file__).resolve().parents[2]
HAM = REPO.parent / "shared" / "data" / "ham10000"


def make_collection(
    root: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = ("lesion_id", "image_id", "dx")
) -> Path:
    (root / "images").mkdir(parents=True)
    with (root / "metadata.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return root


def test_loader_reads_the_full_collection() -> None:
    cases, missing = load_cases(HAM)
    assert len(cases) == 10015 and missing == 0
    assert Counter(c.dx for c in cases)["nv"] == 6705
    assert len({c.lesion_id for c in cases}) == 7470


def test_missing_and_corrupt_images_are_skipped_and_counted(tmp_path: Path) -> None:
    images = sorted((HAM / "images").glob("*.jpg"))[:3]
    rows = [{"lesion_id": f"L{i}", "image_id": p.stem, "dx": "nv"} for i, p in enumerate(images)]
    rows.append({"lesion_id": "L9", "image_id": "ISIC_missing", "dx": "mel"})
    root = make_collection(tmp_path / "clinic", rows)
    for p in images[:2]:
        shutil.copy(p, root / "images")
    (root / "images" / f"{images[2].stem}.jpg").write_bytes(b"corrupt")
    cases, missing = load_cases(root)
    assert missing == 1 and len(cases) == 3
    decoded, bad = read_images([c.image_path for c in cases])
    assert bad == 1 and sum(d is not None for d in decoded) == 2


def test_unknown_diagnosis_and_missing_column_are_errors(tmp_path: Path) -> None:
    make_collection(tmp_path / "a", [{"lesion_id": "L1", "image_id": "x", "dx": "wart"}])
    with pytest.raises(DatasetError, match="diagnosis outside the seven classes"):
        load_cases(tmp_path / "a")
    make_collection(tmp_path / "b", [{"lesion_id": "L1", "image_id": "x"}], columns=("lesion_id", "image_id"))
    with pytest.raises(DatasetError, match="missing column"):
        load_cases(tmp_path / "b")


def test_committed_split_never_shares_a_lesion_and_covers_every_image() -> None:
    splits = {name: read_split(REPO / "splits" / f"{name}.csv") for name in SPLIT_NAMES}
    lesions = {name: {row[1] for row in rows} for name, rows in splits.items()}
    assert not lesions["train"] & lesions["val"]
    assert not lesions["train"] & lesions["test"]
    assert not lesions["val"] & lesions["test"]
    assert sum(len(rows) for rows in splits.values()) == 10015
    total = sum(len(v) for v in lesions.values())
    assert len(lesions["val"]) / total == pytest.approx(0.1, abs=0.01)
    assert len(lesions["test"]) / total == pytest.approx(0.1, abs=0.01)
    # stratified: each diagnosis is in each split at about its overall share
    for dx in ("mel", "bcc", "df"):
        per_split = {name: sum(1 for r in rows if r[2] == dx) for name, rows in splits.items()}
        assert per_split["test"] > 0 and per_split["val"] > 0


def test_split_is_reproducible_from_the_seed(tmp_path: Path) -> None:
    cases, _ = load_cases(HAM)
    write_splits(cases, split_lesions(cases), tmp_path)
    for name in SPLIT_NAMES:
        assert (tmp_path / f"{name}.csv").read_text(encoding="utf-8") == (
            REPO / "splits" / f"{name}.csv"
        ).read_text(encoding="utf-8")
