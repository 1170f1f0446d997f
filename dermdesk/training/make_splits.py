"""Write a collection's ``{train,val,test}.csv`` once; committed, so every later run uses the same lesions.

HAM10000: ``python -m dermdesk.training.make_splits`` (splits/). isic-extra: ``python -m
dermdesk.training.make_splits --data ../shared/data/isic-extra --out splits/isic-extra --by-origin``
(stratified by diagnosis and origin, the origin written as a ``source`` column).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dermdesk.training.dataset import load_cases
from dermdesk.training.splits import split_lesions, write_splits


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="../shared/data/ham10000")
    parser.add_argument("--out", default="splits")
    parser.add_argument("--by-origin", action="store_true", help="stratify by diagnosis and origin")
    args = parser.parse_args(argv)
    cases, _ = load_cases(args.data)
    if args.by_origin:
        lesions = split_lesions(cases, stratum=lambda case: f"{case.dx}/{case.origin}")
    else:
        lesions = split_lesions(cases)
    write_splits(cases, lesions, Path(args.out), with_origin=args.by_origin)
    for name, ids in lesions.items():
        print(f"{name}: {len(ids)} lesions")


if __name__ == "__main__":
    main()
