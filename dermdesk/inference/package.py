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

from pydantic import ValidationError

from dermdesk.files import write_atomic
from dermdesk.i18n import _
from dermdesk.inference.manifest import FORMAT_VERSION, GroupEntry, ModelManifest
from dermdesk.inference.preprocess import COLOUR_CONSTANCY, InputSpec
from dermdesk.resources import resource_path

MANIFEST = "manifest.json"
GroupSpec = GroupEntry  # the name callers used before the manifest was typed


class ModelPackageError(ValueError):
    """The model package is missing, incomplete, tampered with or from an unknown format."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelPackage:
    """A verified package: its folder, typed manifest and the manifest's own sha256."""

    root: Path
    manifest: ModelManifest
    manifest_sha256: str

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def class_codes(self) -> tuple[str, ...]:
        return self.manifest.class_codes

    @property
    def display_names(self) -> dict[str, str]:
        return self.manifest.display_names

    @property
    def groups(self) -> tuple[GroupEntry, ...]:
        return self.manifest.groups

    @property
    def input_spec(self) -> InputSpec:
        spec = self.manifest.input
        return InputSpec(
            size=spec.size,
            colour_order=spec.colour_order,
            mean=spec.mean,
            scale=spec.scale,
            colour_constancy=spec.colour_constancy,
        )

    def file(self, role: str) -> Path:
        """The path of a file by its role: ``model`` (shipped precision), ``fp32``, ``int8``, ``onnx``."""
        if role not in self.manifest.files:
            raise ModelPackageError(
                _("model package {name} has no {role} file").format(name=self.root.name, role=role)
            )
        return self.root / self.manifest.files[role]

    @property
    def summary(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "sha256": self.manifest_sha256}


def parse_manifest(raw: bytes, label: str) -> ModelManifest:
    """The typed manifest of `raw` bytes; ModelPackageError naming the first problem otherwise."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelPackageError(
            _("{label}: {MANIFEST} is damaged ({exc})").format(label=label, MANIFEST=MANIFEST, exc=exc)
        ) from exc
    if not isinstance(data, dict):
        raise ModelPackageError(
            _("{label}: {MANIFEST} is not a JSON object").format(label=label, MANIFEST=MANIFEST)
        )
    version = data.get("format_version")
    if version is not None and version != FORMAT_VERSION:
        raise ModelPackageError(
            _(
                "{label}: package format {version} is not supported by this DermDesk (expects "
                "{FORMAT_VERSION}); update DermDesk"
            ).format(label=label, version=version, FORMAT_VERSION=FORMAT_VERSION)
        )
    try:
        manifest = ModelManifest.model_validate(data)
    except ValidationError as exc:
        missing = [".".join(map(str, e["loc"])) for e in exc.errors() if e["type"] == "missing"]
        if missing:
            raise ModelPackageError(
                _("{label}: {MANIFEST} lacks {value}").format(
                    label=label, MANIFEST=MANIFEST, value=", ".join(missing)
                )
            ) from exc
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the manifest"
        raise ModelPackageError(
            _("{label}: {MANIFEST} is not valid at {where}: {first}").format(
                label=label, MANIFEST=MANIFEST, where=where, first=first["msg"]
            )
        ) from exc
    constancy = manifest.input.colour_constancy
    if constancy not in COLOUR_CONSTANCY:
        raise ModelPackageError(
            _(
                "{label}: the model asks for colour constancy {constancy!r}, which this DermDesk "
                "does not know (it knows {value}); update DermDesk"
            ).format(label=label, constancy=constancy, value=", ".join(COLOUR_CONSTANCY))
        )
    return manifest


def load_package(root: Path | str) -> ModelPackage:
    """Read and verify a package; raise ModelPackageError with a message support staff can act on."""
    root = Path(root)
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        raise ModelPackageError(
            _("{root}: not a model package (no {MANIFEST})").format(root=root, MANIFEST=MANIFEST)
        )
    raw = manifest_path.read_bytes()
    manifest = parse_manifest(raw, root.name)
    checksums = manifest.sha256
    for role, name in manifest.files.items():
        if name not in checksums:
            raise ModelPackageError(
                _("{name}: no checksum for the {role} file {name2}").format(
                    name=root.name, role=role, name2=name
                )
            )
    for name, expected in checksums.items():
        path = root / name
        if not path.is_file():
            raise ModelPackageError(
                _("{name}: file {name2} is missing — the package is incomplete").format(
                    name=root.name, name2=name
                )
            )
        if sha256_file(path) != expected:
            raise ModelPackageError(
                _(
                    "{name}: file {name2} does not match its checksum — the package was altered or "
                    "damaged; it will not be used"
                ).format(name=root.name, name2=name)
            )
    return ModelPackage(root, manifest, hashlib.sha256(raw).hexdigest())


def write_manifest(root: Path, manifest: dict[str, Any] | ModelManifest) -> str:
    """Fill in the sha256 of every listed file, validate, write the manifest atomically; return its sha256."""
    data = manifest.to_dict() if isinstance(manifest, ModelManifest) else dict(manifest)
    files = sorted(set(data["files"].values()) | set(data.get("extra_files", [])))
    data["sha256"] = {name: sha256_file(root / name) for name in files}
    parse_manifest(json.dumps(data).encode("utf-8"), root.name)  # never write what a station would refuse
    encoded = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    write_atomic(root / MANIFEST, encoded)
    return hashlib.sha256(encoded).hexdigest()


def default_package_dir() -> Path:
    """The newest shipped package under ``resources/models``."""
    models = resource_path("models")
    candidates = sorted(p for p in models.glob("*/") if (p / MANIFEST).is_file())
    if not candidates:
        raise ModelPackageError(_("no model package found under {models}").format(models=models))
    return candidates[-1]
