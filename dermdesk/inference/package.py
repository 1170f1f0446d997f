"""Model packages: a folder with ``manifest.json``, the network files, and a checksum for each.

The manifest plays the role of OpenVINO model_api's stored parameters: everything needed to turn pixels
into advice (input size, normalisation, calibration, groups, thresholds) travels with the weights and is
validated on load. A package whose files do not match their checksums is refused, never half-loaded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dermdesk.inference.preprocess import COLOUR_CONSTANCY, InputSpec
from dermdesk.resources import resource_path

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_REQUIRED = (
    "format_version",
    "name",
    "version",
    "classes",
    "groups",
    "input",
    "calibration",
    "referral",
    "files",
    "sha256",
)


class ModelPackageError(ValueError):
    """The model package is missing, incomplete, tampered with or from an unknown format."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str
    classes: tuple[str, ...]
    reassuring: bool


@dataclass(frozen=True)
class ModelPackage:
    """A verified package: its folder, parsed manifest and the manifest's own sha256."""

    root: Path
    manifest: dict[str, Any]
    manifest_sha256: str

    @property
    def name(self) -> str:
        return str(self.manifest["name"])

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def class_codes(self) -> tuple[str, ...]:
        return tuple(c["code"] for c in self.manifest["classes"])

    @property
    def display_names(self) -> dict[str, str]:
        return {c["code"]: c["name"] for c in self.manifest["classes"]}

    @property
    def groups(self) -> tuple[GroupSpec, ...]:
        return tuple(
            GroupSpec(g["code"], g["name"], tuple(g["classes"]), bool(g["reassuring"]))
            for g in self.manifest["groups"]
        )

    @property
    def input_spec(self) -> InputSpec:
        spec = self.manifest["input"]
        return InputSpec(
            size=int(spec["size"]),
            colour_order=str(spec["colour_order"]),
            mean=tuple(float(v) for v in spec["mean"]),  # type: ignore[arg-type]
            scale=tuple(float(v) for v in spec["scale"]),  # type: ignore[arg-type]
            colour_constancy=str(spec.get("colour_constancy", "none")),
        )

    def file(self, role: str) -> Path:
        """The path of a file by its role: ``model`` (shipped precision), ``fp32``, ``int8``, ``onnx``."""
        files: dict[str, str] = self.manifest["files"]
        if role not in files:
            raise ModelPackageError(f"model package {self.root.name} has no {role} file")
        return self.root / files[role]

    @property
    def summary(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "sha256": self.manifest_sha256}


def load_package(root: Path | str) -> ModelPackage:
    """Read and verify a package; raise ModelPackageError with a message support staff can act on."""
    root = Path(root)
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        raise ModelPackageError(f"{root}: not a model package (no {MANIFEST})")
    raw = manifest_path.read_bytes()
    try:
        manifest = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelPackageError(f"{root.name}: {MANIFEST} is damaged ({exc})") from exc
    missing = [key for key in _REQUIRED if key not in manifest]
    if missing:
        raise ModelPackageError(f"{root.name}: {MANIFEST} lacks {', '.join(missing)}")
    if manifest["format_version"] != FORMAT_VERSION:
        raise ModelPackageError(
            f"{root.name}: package format {manifest['format_version']} is not supported by this DermDesk "
            f"(expects {FORMAT_VERSION}); update DermDesk"
        )
    constancy = manifest["input"].get("colour_constancy", "none")
    if constancy not in COLOUR_CONSTANCY:
        raise ModelPackageError(
            f"{root.name}: the model asks for colour constancy {constancy!r}, which this DermDesk does not "
            f"know (it knows {', '.join(COLOUR_CONSTANCY)}); update DermDesk"
        )
    checksums: dict[str, str] = manifest["sha256"]
    for role, name in manifest["files"].items():
        if name not in checksums:
            raise ModelPackageError(f"{root.name}: no checksum for the {role} file {name}")
    for name, expected in checksums.items():
        path = root / name
        if not path.is_file():
            raise ModelPackageError(f"{root.name}: file {name} is missing — the package is incomplete")
        if sha256_file(path) != expected:
            raise ModelPackageError(
                f"{root.name}: file {name} does not match its checksum — the package was altered or damaged; "
                "it will not be used"
            )
    return ModelPackage(root, manifest, hashlib.sha256(raw).hexdigest())


def write_manifest(root: Path, manifest: dict[str, Any]) -> str:
    """Fill in the sha256 of every listed file and write the manifest atomically; return its sha256."""
    files = sorted(set(manifest["files"].values()) | set(manifest.get("extra_files", [])))
    manifest["sha256"] = {name: sha256_file(root / name) for name in files}
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    tmp = root / (MANIFEST + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(root / MANIFEST)
    return hashlib.sha256(data).hexdigest()


def default_package_dir() -> Path:
    """The newest shipped package under ``resources/models``."""
    models = resource_path("models")
    candidates = sorted(p for p in models.glob("*/") if (p / MANIFEST).is_file())
    if not candidates:
        raise ModelPackageError(f"no model package found under {models}")
    return candidates[-1]
