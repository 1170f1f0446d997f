from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sync.packages import shipped_as_int8

from dermdesk.inference.package import ModelPackage, default_package_dir, load_package, write_manifest

HAM = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ham10000"


@pytest.fixture(scope="session")
def shipped_package() -> ModelPackage:
    return load_package(default_package_dir())


@pytest.fixture
def package_copy(tmp_path: Path, shipped_package: ModelPackage) -> Path:
    """A private copy of the shipped package to tamper with."""
    return Path(shutil.copytree(shipped_package.root, tmp_path / shipped_package.root.name))


@pytest.fixture
def int8_package_copy(package_copy: Path) -> Path:
    """The shipped package's copy as it would ship if INT8 had passed its precision rule: the same
    networks and reference outputs, the manifest's model pointing at the INT8 IR. The station's INT8
    checks are exercised on it whichever precision the shipped package chose."""
    manifest = load_package(package_copy).manifest.to_dict()
    shipped_as_int8(manifest)
    write_manifest(package_copy, manifest)
    return package_copy


@pytest.fixture(scope="session")
def ham_dir() -> Path:
    assert (HAM / "images").is_dir(), f"HAM10000 expected at {HAM}"
    return HAM
