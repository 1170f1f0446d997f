"""Train / validation / test split by lesion, stratified by diagnosis, made once with a fixed seed.

Several images often show the same lesion; splitting by image would let a lesion's twin sit in the test
split and inflate every figure. The split is written to ``splits/{train,val,test}.csv`` and committed.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from dermdesk.files import write_text_atomic
from dermdesk.training.dataset import CaseRecord

SPLIT_NAMES = ("train", "val", "test")
DEFAULT_FRACTIONS = (0.8, 0.1, 0.1)
DEFAULT_SEED = 20181116


def split_lesions(
    cases: Sequence[CaseRecord],
    fractions: tuple[float, float, float] = DEFAULT_FRACTIONS,
    seed: int = DEFAULT_SEED,
    stratum: Callable[[CaseRecord], str] = lambda case: case.dx,
) -> dict[str, list[str]]:
    """Assign every lesion to one split; within each stratum (by default the diagnosis) the lesions are
    shuffled and cut 80/10/10. isic-extra is stratified by diagnosis and origin, so that the archive's
    melanomas are not all on one side."""
    lesion_dx: dict[str, str] = {}
    for case in cases:
        lesion_dx.setdefault(case.lesion_id, stratum(case))
    by_dx: dict[str, list[str]] = defaultdict(list)
    for lesion, dx in sorted(lesion_dx.items()):
        by_dx[dx].append(lesion)
    rng = np.random.default_rng(seed)
    out: dict[str, list[str]] = {name: [] for name in SPLIT_NAMES}
    for dx in sorted(by_dx):
        lesions = by_dx[dx]
        order = rng.permutation(len(lesions))
        n_val = round(len(lesions) * fractions[1])
        n_test = round(len(lesions) * fractions[2])
        shuffled = [lesions[i] for i in order]
        out["test"] += shuffled[:n_test]
        out["val"] += shuffled[n_test : n_test + n_val]
        out["train"] += shuffled[n_test + n_val :]
    return {name: sorted(lesions) for name, lesions in out.items()}


def write_splits(
    cases: Sequence[CaseRecord], lesions: dict[str, list[str]], out_dir: Path, *, with_origin: bool = False
) -> None:
    """Write one CSV per split with ``image_id,lesion_id,dx`` rows (the labels CSV ``evaluate`` reads),
    and the origin (``source``) column when asked."""
    out_dir.mkdir(parents=True, exist_ok=True)
    split_of = {lesion: name for name, ids in lesions.items() for lesion in ids}
    rows: dict[str, list[CaseRecord]] = {name: [] for name in SPLIT_NAMES}
    for case in cases:
        rows[split_of[case.lesion_id]].append(case)
    for name in SPLIT_NAMES:
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(["image_id", "lesion_id", "dx"] + (["source"] if with_origin else []))
        for case in sorted(rows[name], key=lambda c: c.image_id):
            writer.writerow([case.image_id, case.lesion_id, case.dx] + ([case.origin] if with_origin else []))
        write_text_atomic(out_dir / f"{name}.csv", text.getvalue())


def read_split(path: Path) -> list[tuple[str, str, str]]:
    """Rows ``(image_id, lesion_id, dx)`` of a committed split file."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [(r["image_id"], r["lesion_id"], r["dx"]) for r in csv.DictReader(handle)]


def cases_in_split(cases: Sequence[CaseRecord], split_csv: Path) -> list[CaseRecord]:
    wanted = {row[0] for row in read_split(split_csv)}
    return [c for c in cases if c.image_id in wanted]
