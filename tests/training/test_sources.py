"""Several sources as one collection: the bad inputs each refused with a message that names them, the
committed isic-extra split, and the combined collection the pipeline trains on."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from dermdesk.training.dataset import DatasetError, load_cases
from dermdesk.training.distributed import World
from dermdesk.training.make_model import collection_of
from dermdesk.training.sources import (
    Source,
    assemble,
    default_sources,
    image_origins,
    image_sources,
    load_sources,
    parse_source,
    read_dx_map,
)
from dermdesk.training.splits import SPLIT_NAMES, read_split, split_lesions, write_splits

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
EXTRA = SHARED / "isic-extra"
HAM = SHARED / "ham10000"


def collection(
    root: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = ("lesion_id", "image_id", "dx")
) -> Path:
    """A source folder with real pictures (copied from HAM10000) for the rows' image ids."""
    pictures = sorted((HAM / "images").glob("*.jpg"))
    (root / "images").mkdir(parents=True)
    with (root / "metadata.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    for i, row in enumerate(rows):
        shutil.copy(pictures[i], root / "images" / f"{row['image_id']}.jpg")
    return root


def rows(prefix: str, dxs: list[str], lesion: bool = True) -> list[dict[str, str]]:
    return [
        {"lesion_id": f"{prefix}L{i}" if lesion else "", "image_id": f"{prefix}{i}", "dx": dx}
        for i, dx in enumerate(dxs)
    ]


def test_a_diagnosis_outside_the_seven_classes_is_refused_with_count_and_values(tmp_path: Path) -> None:
    root = collection(tmp_path / "clinic", rows("C", ["nv", "melanoma", "melanoma", "wart"]))
    with pytest.raises(DatasetError) as refused:
        load_cases(root)
    message = str(refused.value)
    assert "3 row(s) with a diagnosis outside the seven classes" in message
    assert "'melanoma'" in message and "'wart'" in message and "--dx-map" in message


def test_an_explicit_table_maps_other_words_and_only_to_known_codes(tmp_path: Path) -> None:
    root = collection(tmp_path / "clinic", rows("C", ["nv", "melanoma", "seborrhoeic keratosis"]))
    table = tmp_path / "dx.json"
    table.write_text(json.dumps({"melanoma": "mel", "seborrhoeic keratosis": "bkl"}))
    cases, _ = load_cases(root, dx_map=read_dx_map(table))
    assert [c.dx for c in cases] == ["nv", "mel", "bkl"]
    with pytest.raises(DatasetError, match="maps to unknown class code"):
        load_cases(root, dx_map={"melanoma": "melanoma-in-situ"})
    table.write_text("[1, 2]")
    with pytest.raises(DatasetError, match="must map words to class codes"):
        read_dx_map(table)


def test_a_source_without_lesion_ids_is_refused(tmp_path: Path) -> None:
    empty = collection(tmp_path / "a", rows("A", ["nv", "mel"], lesion=False))
    with pytest.raises(DatasetError, match=r"2 of 2 row\(s\) have no lesion id"):
        load_cases(empty)
    no_column = collection(tmp_path / "b", rows("B", ["nv"]), columns=("image_id", "dx"))
    with pytest.raises(DatasetError, match="missing column"):
        load_cases(no_column)


def test_an_image_id_in_two_sources_is_refused(tmp_path: Path) -> None:
    first = collection(tmp_path / "a", rows("X", ["nv", "mel"]))
    second = collection(tmp_path / "b", [{"lesion_id": "OTHER", "image_id": "X1", "dx": "mel"}])
    with pytest.raises(DatasetError, match=r"1 image id\(s\) appear in more than one source: X1 \(a and b\)"):
        load_sources([Source("a", first, tmp_path), Source("b", second, tmp_path)])


def test_a_lesion_id_in_two_sources_is_refused(tmp_path: Path) -> None:
    first = collection(tmp_path / "a", rows("A", ["nv"]))
    second = collection(tmp_path / "b", [{"lesion_id": "AL0", "image_id": "B0", "dx": "nv"}])
    with pytest.raises(DatasetError, match="lesion id"):
        load_sources([Source("a", first, tmp_path), Source("b", second, tmp_path)])


def test_source_arguments_are_checked() -> None:
    source = parse_source("clinic=/data/clinic:/splits/clinic")
    assert (source.name, source.data_dir, source.splits_dir) == (
        "clinic",
        Path("/data/clinic"),
        Path("/splits/clinic"),
    )
    with pytest.raises(DatasetError, match="NAME=DATA_DIR:SPLITS_DIR"):
        parse_source("/data/clinic")


def test_committed_isic_extra_split_is_by_lesion_and_by_origin() -> None:
    splits = {name: read_split(REPO / "splits" / "isic-extra" / f"{name}.csv") for name in SPLIT_NAMES}
    lesions = {name: {row[1] for row in part} for name, part in splits.items()}
    assert not lesions["train"] & lesions["val"] and not lesions["train"] & lesions["test"]
    assert not lesions["val"] & lesions["test"]
    assert sum(len(part) for part in splits.values()) == 3179
    origins = {name: image_origins(REPO / "splits" / "isic-extra" / f"{name}.csv") for name in SPLIT_NAMES}
    for name in ("val", "test"):  # the archive's melanomas on every side, not piled into one
        by = Counter((origins[name][image], dx) for image, _, dx in splits[name])
        assert by[("archive", "mel")] >= 20 and by[("msk", "mel")] >= 50


def test_isic_extra_split_is_reproducible_from_the_seed(tmp_path: Path) -> None:
    cases, _ = load_cases(EXTRA)
    write_splits(
        cases, split_lesions(cases, stratum=lambda c: f"{c.dx}/{c.origin}"), tmp_path, with_origin=True
    )
    for name in SPLIT_NAMES:
        assert (tmp_path / f"{name}.csv").read_text(encoding="utf-8") == (
            REPO / "splits" / "isic-extra" / f"{name}.csv"
        ).read_text(encoding="utf-8")


def test_both_sources_are_assembled_into_one_collection(tmp_path: Path) -> None:
    folder, splits, counts = assemble(default_sources(SHARED, REPO / "splits"), tmp_path)
    assert counts["ham10000/test"] == 1005 and counts["isic-extra/test"] == 318
    cases, missing = load_cases(folder)
    assert missing == 0 and len(cases) == 10015 + 3179
    assert Counter(c.source for c in cases) == {"ham10000": 10015, "isic-extra": 3179}
    assert Counter(c.origin for c in cases if c.source == "isic-extra") == {"msk": 2889, "archive": 290}
    assert (folder / "masks" / "ISIC_0024306_segmentation.png").is_file()  # HAM10000's masks come along
    test_sources = image_sources(splits / "test.csv")
    assert Counter(test_sources.values()) == {"ham10000": 1005, "isic-extra": 318}


def test_make_model_reads_one_folder_as_given_or_assembles_the_sources(tmp_path: Path) -> None:
    import argparse

    single = argparse.Namespace(data=str(HAM), splits=str(REPO / "splits"), source=None)
    assert collection_of(single, tmp_path, World()) == (HAM, REPO / "splits")
    table = tmp_path / "dx.json"
    table.write_text("{}")
    both = argparse.Namespace(
        data=None,
        splits=str(REPO / "splits"),
        source=[f"ham10000={HAM}:{REPO / 'splits'}", f"isic-extra={EXTRA}:{REPO / 'splits' / 'isic-extra'}"],
        dx_map=str(table),
    )
    folder, splits = collection_of(both, tmp_path, World())
    assert (folder / "metadata.csv").is_file() and len(read_split(splits / "val.csv")) == 1015 + 317
