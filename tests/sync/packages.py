"""Real, small model packages for the update and retraining tests, made from the shipped model."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dermdesk.inference.package import default_package_dir, write_manifest

KEEP_ROLES = ("model", "model_weights", "int8", "int8_weights", "fp32", "fp32_weights")
HAM = Path(__file__).resolve().parents[3] / "shared" / "data" / "ham10000"
REFERENCE = [HAM / "images" / "ISIC_0024306.jpg", HAM / "images" / "ISIC_0024307.jpg"]
SHIPPED_VERSION = json.loads((default_package_dir() / "manifest.json").read_text(encoding="utf-8"))["version"]


def newer_version(step: int = 1) -> str:
    """A version ``step`` patch releases after the shipped package's: updates only move forward, so the
    update tests' versions follow whichever package ships instead of naming one."""
    major, minor, patch = (int(part) for part in SHIPPED_VERSION.split("."))
    return f"{major}.{minor}.{patch + step}"


NEXT, AFTER_NEXT = newer_version(1), newer_version(2)


def shipped_as_int8(manifest: dict[str, Any]) -> None:
    """``small_package``'s ``adjust`` for a package that ships its INT8 network (the station then checks
    INT8 against the recorded FP32 reference outputs), whichever precision the shipped package chose."""
    manifest["precision"] = "int8"
    manifest["files"]["model"] = manifest["files"]["int8"]
    manifest["files"]["model_weights"] = manifest["files"]["int8_weights"]


def small_package(out: Path, version: str, adjust: Callable[[dict[str, Any]], None] | None = None) -> Path:
    """The shipped model's INT8 and FP32 networks as a new version (a real, runnable package); `adjust`
    may change its manifest (e.g. its calibration) first."""
    source = default_package_dir()
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = {role: manifest["files"][role] for role in KEEP_ROLES}
    manifest["extra_files"] = []
    manifest["version"] = version
    if adjust is not None:
        adjust(manifest)
    out.mkdir(parents=True)
    for name in set(manifest["files"].values()):
        shutil.copyfile(source / name, out / name)
    write_manifest(out, manifest)
    return out
