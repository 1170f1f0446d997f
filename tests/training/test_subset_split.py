"""`scripts/subset_split.py` (learning-curve runs): whole lesions, every diagnosis, the same val and test."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _subset(out: Path, fraction: str) -> None:
    script = ROOT / "scripts" / "subset_split.py"
    subprocess.run([sys.executable, str(script), str(out), "--fraction", fraction], cwd=ROOT, check=True)


def test_a_quarter_keeps_whole_lesions_of_every_diagnosis_and_the_same_held_out_splits(
    tmp_path: Path,
) -> None:
    _subset(tmp_path / "a", "0.25")
    full, part = _rows(ROOT / "splits" / "train.csv"), _rows(tmp_path / "a" / "train.csv")
    kept = {r["lesion_id"] for r in part}
    # every picture of a kept lesion is kept, and nothing else
    assert part == [r for r in full if r["lesion_id"] in kept]
    lesions = {dx: {r["lesion_id"] for r in full if r["dx"] == dx} for dx in {r["dx"] for r in full}}
    for dx, all_lesions in lesions.items():
        share = len(all_lesions & kept) / len(all_lesions)
        assert abs(share - 0.25) < 0.02, (dx, share)
    for name in ("val.csv", "test.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (ROOT / "splits" / name).read_bytes()
    assert Counter(r["dx"] for r in part).keys() == Counter(r["dx"] for r in full).keys()

    _subset(tmp_path / "b", "0.25")  # the same seed draws the same lesions
    assert (tmp_path / "b" / "train.csv").read_bytes() == (tmp_path / "a" / "train.csv").read_bytes()


def test_a_fraction_outside_zero_to_one_is_refused(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "subset_split.py"
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path), "--fraction", "1.5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "--fraction must be in (0, 1]" in done.stderr
    assert not (tmp_path / "train.csv").exists()
