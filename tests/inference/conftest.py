from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dermdesk.inference.package import ModelPackage, default_package_dir, load_package

HAM = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ham10000"


@pytest.fixture(scope="session")
def shipped_package() -> ModelPackage:
    return load_package(default_package_dir())


@pytest.fixture
def package_copy(tmp_path: Path, shipped_package: ModelPackage) -> Path:
    """A private copy of the shipped package to tamper with."""
    return Path(shutil.copytree(shipped_package.root, tmp_path / shipped_package.root.name))


@pytest.fixture(scope="session")
def ham_dir() -> Path:
    assert (HAM / "images").is_dir(), f"HAM10000 expected at {HAM}"
    return HAM
