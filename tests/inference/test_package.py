"""Model packages are verified on load; a tampered, incomplete or foreign package is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermdesk.inference.package import ModelPackage, ModelPackageError, load_package, write_manifest
from dermdesk.inference.postprocess import Rules

REMOVE = object()


def edit_manifest(package: Path, keys: list[str], value: object) -> None:
    """Set (or, with REMOVE, delete) one entry of a package's manifest file as a hand editor would: no
    checksum or signature is renewed."""
    path = package / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    *parents, last = keys
    target = manifest
    for key in parents:
        target = target[key]
    if value is REMOVE:
        del target[last]
    else:
        target[last] = value
    path.write_text(json.dumps(manifest), encoding="utf-8")


def test_shipped_package_is_complete_and_consistent(shipped_package: ModelPackage) -> None:
    m = shipped_package.manifest
    assert shipped_package.class_codes == ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")
    assert m.precision in {"int8", "fp32"}
    for role in ("model", "fp32", "int8", "onnx"):
        assert shipped_package.file(role).is_file()
    assert set(m.referral.thresholds) == {"mel", "bcc", "akiec"}
    rules = Rules.from_manifest(m)
    assert rules.temperature > 0
    assert "CC BY-NC-SA" in m.extra("licence")
    card = (shipped_package.root / "model-card.md").read_text(encoding="utf-8")
    assert "non-commercial" in card and "confusion.png" in card


def test_a_changed_weight_byte_is_refused(package_copy: Path) -> None:
    weights = next(package_copy.glob("model-int8.bin"))
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelPackageError, match="does not match its checksum"):
        load_package(package_copy)


def test_a_missing_file_is_refused(package_copy: Path) -> None:
    (package_copy / "model.onnx").unlink()
    with pytest.raises(ModelPackageError, match="missing"):
        load_package(package_copy)


def test_a_damaged_manifest_is_refused(package_copy: Path) -> None:
    (package_copy / "manifest.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(ModelPackageError, match="damaged"):
        load_package(package_copy)


def test_an_edited_threshold_changes_the_manifest_checksum(
    package_copy: Path, shipped_package: ModelPackage
) -> None:
    edit_manifest(package_copy, ["referral", "thresholds", "mel"], 0.99)
    assert load_package(package_copy).manifest_sha256 != shipped_package.manifest_sha256


def test_a_newer_format_is_refused(package_copy: Path) -> None:
    edit_manifest(package_copy, ["format_version"], 99)
    with pytest.raises(ModelPackageError, match="update DermDesk"):
        load_package(package_copy)


def test_an_unknown_colour_constancy_is_refused_on_load(package_copy: Path) -> None:
    """A package from a newer DermDesk that balances colour in a way this one cannot is not half-used."""
    edit_manifest(package_copy, ["input", "colour_constancy"], "retinex")
    with pytest.raises(ModelPackageError, match=r"colour constancy 'retinex'.*update DermDesk"):
        load_package(package_copy)


def test_not_a_package(tmp_path: Path) -> None:
    with pytest.raises(ModelPackageError, match="not a model package"):
        load_package(tmp_path)


def test_a_manifest_without_calibration_is_refused(package_copy: Path) -> None:
    edit_manifest(package_copy, ["calibration"], REMOVE)
    with pytest.raises(ModelPackageError, match="lacks calibration"):
        load_package(package_copy)


def test_a_manifest_with_a_wrong_type_names_the_field(package_copy: Path) -> None:
    edit_manifest(package_copy, ["calibration", "temperature"], "warm")
    with pytest.raises(ModelPackageError, match=r"not valid at calibration\.temperature"):
        load_package(package_copy)


def test_calibration_that_does_not_fit_the_classes_is_refused(package_copy: Path) -> None:
    edit_manifest(package_copy, ["calibration", "logit_adjustment"], [0.0, 0.0])
    with pytest.raises(ModelPackageError, match="2 values for 7 classes"):
        load_package(package_copy)


def test_write_manifest_refuses_what_a_station_would_refuse(package_copy: Path) -> None:
    manifest = load_package(package_copy).manifest.to_dict()
    manifest["precision"] = "int4"
    with pytest.raises(ModelPackageError, match="precision"):
        write_manifest(package_copy, manifest)
    assert load_package(package_copy).manifest.precision in {"int8", "fp32"}  # the old one is untouched


def test_reference_values_in_the_first_format_still_load() -> None:
    """Packages published before FP32 was recorded hold {picture: [probabilities, shipped precision]}."""
    from dermdesk.inference.manifest import ReferenceSection

    section = ReferenceSection.model_validate({"reference-a.jpg": [0.9, 0.1]})
    picture = section.pictures["reference-a.jpg"]
    assert picture.model == (0.9, 0.1) and picture.fp32 is None and section.int8_tolerance is None
