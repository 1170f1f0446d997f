"""Write ``splits/{train,val,test}.csv`` once; committed, so every later run uses the same lesions."""

from __future__ import annotations

import argparse
from pathlib import Path

from dermdesk.training.dataset import load_cases
from dermdesk.training.splits import split_lesions, write_splits


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="../shared/data/ham10000")
    parser.add_argument("--out", default="splits")
    args = parser.parse_args(argv)
    cases, _ = load_cases(args.data)
    lesions = split_lesions(cases)
    write_splits(cases, lesions, Path(args.out))
    for name, ids in lesions.items():
        print(f"{name}: {len(ids)} lesions")


if __name__ == "__main__":
    main()
