"""A splits folder whose training split keeps only a share of the training lesions (learning curves).

Validation and test are copied unchanged, so a run trained on the subset is scored on the same pictures as
every other run. Lesions (never single pictures) are drawn, within each diagnosis, with a fixed seed.

Usage: python scripts/subset_split.py OUT_DIR --fraction 0.25 [--splits splits] [--seed 20261206]
then:  python -m dermdesk.training.make_model --splits OUT_DIR ...
"""

from __future__ import annotations

import argparse
import csv
import shutil
from collections import defaultdict
from pathlib import Path

import numpy as np

from dermdesk.training.splits import read_split


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--fraction", type=float, required=True)
    parser.add_argument("--splits", type=Path, default=Path("splits"))
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()
    if not 0 < args.fraction <= 1:
        raise SystemExit("--fraction must be in (0, 1]")
    rows = read_split(args.splits / "train.csv")
    lesions_by_dx: dict[str, set[str]] = defaultdict(set)
    for _, lesion, dx in rows:
        lesions_by_dx[dx].add(lesion)
    rng = np.random.default_rng(args.seed)
    kept: set[str] = set()
    for dx in sorted(lesions_by_dx):
        lesions = sorted(lesions_by_dx[dx])
        count = max(1, round(args.fraction * len(lesions)))
        kept.update(rng.choice(lesions, count, replace=False).tolist())
    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("val.csv", "test.csv"):
        shutil.copyfile(args.splits / name, args.out / name)
    chosen = [row for row in rows if row[1] in kept]
    with (args.out / "train.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("image_id", "lesion_id", "dx"))
        writer.writerows(chosen)
    print(f"{len(kept)} lesions, {len(chosen)} of {len(rows)} training pictures -> {args.out}")


if __name__ == "__main__":
    main()
