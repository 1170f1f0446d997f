"""Copy the virtual dermatoscope's lesion pictures from HAM10000 into resources/, reproducibly.

The virtual dermatoscope (dermdesk/capture/virtual_dermatoscope.py) streams real dermoscopy pictures so the
app can be demonstrated, tested and benchmarked without hardware. This script picks a fixed mix of
diagnoses, the first images by image_id of each class, skipping further images of a lesion already
taken, and writes them with a manifest.csv (file, image_id, dx). Running it again gives the same files.

Usage: python scripts/make_virtual_dermatoscope.py [--source ../shared/data/ham10000] [--dest DIR]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "ham10000"
DEFAULT_DEST = REPO / "resources" / "virtual_dermatoscope"

# How many lesions of each diagnosis: enough melanoma and its look-alikes to make a demo meaningful.
MIX: dict[str, int] = {"nv": 6, "mel": 6, "bkl": 6, "bcc": 6, "akiec": 4, "vasc": 4, "df": 4}


def choose(metadata_csv: Path) -> list[tuple[str, str]]:
    """(image_id, dx) pairs: per class in MIX order, the first images by image_id, one per lesion."""
    with metadata_csv.open(newline="", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: row["image_id"])
    chosen: list[tuple[str, str]] = []
    for dx, wanted in MIX.items():
        seen_lesions: set[str] = set()
        for row in rows:
            if len(seen_lesions) == wanted:
                break
            if row["dx"] == dx and row["lesion_id"] not in seen_lesions:
                seen_lesions.add(row["lesion_id"])
                chosen.append((row["image_id"], dx))
        if len(seen_lesions) < wanted:
            raise SystemExit(f"only {len(seen_lesions)} lesions of {dx} in {metadata_csv}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="HAM10000 folder")
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="output folder")
    args = parser.parse_args(argv)

    chosen = choose(args.source / "HAM10000_metadata.csv")
    args.dest.mkdir(parents=True, exist_ok=True)
    for old in args.dest.glob("ISIC_*.jpg"):
        old.unlink()
    with (args.dest / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "image_id", "dx"])
        for image_id, dx in chosen:
            name = f"{image_id}.jpg"
            shutil.copyfile(args.source / "images" / name, args.dest / name)
            writer.writerow([name, image_id, dx])
    print(f"wrote {len(chosen)} lesion pictures and manifest.csv to {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
