"""Several image collections trained on as one: HAM10000, the ISIC archive extra pictures, a clinic's.

Each source is a folder in the HAM10000 layout with its own committed lesion-level split. ``assemble``
checks them together (an image id in two sources, a lesion id in two sources, a diagnosis outside the
seven classes unless an explicit table maps it, a source without lesion ids) and writes one combined
collection: ``images/`` of links, ``metadata.csv`` with ``collection`` and ``source`` columns, ``masks/``
of links where a source has masks, and pooled ``splits/{train,val,test}.csv``. The rest of the pipeline
then reads one folder as before, and every figure can still be broken down by source.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dermdesk.files import write_text_atomic
from dermdesk.training.dataset import CaseRecord, DatasetError, load_cases
from dermdesk.training.splits import SPLIT_NAMES, read_split

SHARED = Path("../shared/data")


@dataclass(frozen=True)
class Source:
    """One collection: a name, its folder, the folder of its committed split, and a diagnosis table."""

    name: str
    data_dir: Path
    splits_dir: Path
    dx_map: dict[str, str] = field(default_factory=dict)


def default_sources(shared: Path = SHARED, splits: Path = Path("splits")) -> list[Source]:
    """What ``make model`` trains on: HAM10000 (splits/) and isic-extra (splits/isic-extra/)."""
    return [
        Source("ham10000", shared / "ham10000", splits),
        Source("isic-extra", shared / "isic-extra", splits / "isic-extra"),
    ]


def parse_source(text: str, dx_map: dict[str, str] | None = None) -> Source:
    """``NAME=DATA_DIR:SPLITS_DIR`` (the form of ``make_model --source``)."""
    name, sep, rest = text.partition("=")
    data, sep2, splits = rest.rpartition(":")
    if not sep or not sep2 or not name or not data or not splits:
        raise DatasetError(f"--source {text!r}: expected NAME=DATA_DIR:SPLITS_DIR")
    return Source(name, Path(data), Path(splits), dict(dx_map or {}))


def read_dx_map(path: Path | None) -> dict[str, str]:
    """An explicit diagnosis table (JSON object, the collection's word → one of the seven codes)."""
    if path is None:
        return {}
    try:
        table = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"cannot read the diagnosis table {path}: {exc}") from exc
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise DatasetError(f"{path}: the diagnosis table must map words to class codes")
    return {str(k): v for k, v in table.items()}


def load_sources(sources: list[Source]) -> list[CaseRecord]:
    """Every source's cases, refused together if an image or lesion id is claimed by two sources."""
    if len({s.name for s in sources}) != len(sources):
        raise DatasetError("two sources have the same name")
    cases: list[CaseRecord] = []
    owner: dict[str, str] = {}
    lesion_owner: dict[str, str] = {}
    duplicates: list[str] = []
    shared_lesions: set[str] = set()
    for source in sources:
        found, _ = load_cases(source.data_dir, dx_map=source.dx_map, source=source.name)
        for case in found:
            if case.image_id in owner:
                duplicates.append(f"{case.image_id} ({owner[case.image_id]} and {source.name})")
                continue
            owner[case.image_id] = source.name
            if lesion_owner.setdefault(case.lesion_id, source.name) != source.name:
                shared_lesions.add(case.lesion_id)
            cases.append(case)
    if duplicates:
        raise DatasetError(
            f"{len(duplicates)} image id(s) appear in more than one source: {', '.join(duplicates[:5])}"
            + (" …" if len(duplicates) > 5 else "")
            + ". Remove the copies from one source: a picture in two splits inflates every figure."
        )
    if shared_lesions:
        listed = ", ".join(sorted(shared_lesions)[:5])
        raise DatasetError(
            f"{len(shared_lesions)} lesion id(s) appear in more than one source ({listed}); give each "
            "source its own lesion ids, or merge the sources into one with one split"
        )
    return cases


def split_membership(sources: list[Source], cases: list[CaseRecord]) -> dict[str, list[CaseRecord]]:
    """The cases of each split, from each source's committed split files (a lesion on both sides is an
    error, and so is a picture listed in no split)."""
    by_id = {c.image_id: c for c in cases}
    out: dict[str, list[CaseRecord]] = {name: [] for name in SPLIT_NAMES}
    for source in sources:
        seen: dict[str, str] = {}
        lesion_split: dict[str, str] = {}
        for name in SPLIT_NAMES:
            path = source.splits_dir / f"{name}.csv"
            if not path.is_file():
                raise DatasetError(f"source {source.name}: no split file {path}")
            for image_id, lesion_id, _ in read_split(path):
                if lesion_split.setdefault(lesion_id, name) != name:
                    raise DatasetError(f"source {source.name}: lesion {lesion_id} is in two splits")
                seen[image_id] = name
                case = by_id.get(image_id)
                if case is not None and case.source == source.name:
                    out[name].append(case)
        unlisted = [c.image_id for c in cases if c.source == source.name and c.image_id not in seen]
        if unlisted:
            raise DatasetError(
                f"source {source.name}: {len(unlisted)} picture(s) are in no split (first: "
                f"{', '.join(unlisted[:3])}); make its split again (python -m dermdesk.training.make_splits)"
            )
    return out


def _link(target: Path, link: Path) -> None:
    try:
        os.symlink(target.resolve(), link)
    except OSError:  # a file system without links: copy
        shutil.copyfile(target, link)


def _csv(rows: list[list[str]]) -> str:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return text.getvalue()


def assemble(sources: list[Source], out: Path) -> tuple[Path, Path, dict[str, int]]:
    """Write the combined collection under ``out``; return its folder, its splits folder and counts."""
    cases = load_sources(sources)
    membership = split_membership(sources, cases)
    collection, splits = out / "collection", out / "collection-splits"
    shutil.rmtree(collection, ignore_errors=True)
    shutil.rmtree(splits, ignore_errors=True)
    (collection / "images").mkdir(parents=True)
    (collection / "masks").mkdir()
    splits.mkdir(parents=True)
    for case in cases:
        _link(case.image_path, collection / "images" / case.image_path.name)
    for source in sources:
        masks = source.data_dir / "masks"
        if masks.is_dir():
            for mask in masks.iterdir():
                _link(mask, collection / "masks" / mask.name)
    columns = ["lesion_id", "image_id", "dx", "dx_type", "age", "sex", "localization", "collection", "source"]
    rows = [columns] + [
        [
            c.lesion_id,
            c.image_id,
            c.dx,
            c.dx_type,
            "" if c.age is None else str(c.age),
            c.sex,
            c.localization,
            c.source,
            c.origin,
        ]
        for c in cases
    ]
    write_text_atomic(collection / "metadata.csv", _csv(rows))
    for name, members in membership.items():
        body = [["image_id", "lesion_id", "dx", "collection", "source"]] + [
            [c.image_id, c.lesion_id, c.dx, c.source, c.origin]
            for c in sorted(members, key=lambda c: c.image_id)
        ]
        write_text_atomic(splits / f"{name}.csv", _csv(body))
    counts = {
        f"{s}/{n}": v
        for (s, n), v in Counter((c.source, n) for n, m in membership.items() for c in m).items()
    }
    return collection, splits, counts


def image_sources(split_csv: Path) -> dict[str, str]:
    """image id → collection name, from a pooled split file (empty when it has no ``collection`` column)."""
    with split_csv.open(newline="", encoding="utf-8") as handle:
        return {r["image_id"]: r.get("collection") or "" for r in csv.DictReader(handle)}


def image_origins(split_csv: Path) -> dict[str, str]:
    """image id → origin (hospital or archive part), from a pooled split file."""
    with split_csv.open(newline="", encoding="utf-8") as handle:
        return {r["image_id"]: r.get("source") or r.get("collection") or "" for r in csv.DictReader(handle)}
