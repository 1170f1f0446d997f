"""Reference pictures in a model package: the publisher records the probabilities its model gives them,
and a station that installs the package must reproduce them within `TOLERANCE`.

Why: signature and checksums prove the files are the ones published; this proves they also behave as
published on this station's OpenVINO and CPU (a broken runtime, a wrong precision, a package built with a
mismatched manifest). The pictures are public data-set images, never clinic cases.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.images import load_rgb
from dermdesk.inference.package import ModelPackage, ModelPackageError, load_package, write_manifest
from dermdesk.inference.postprocess import calibrated_probabilities

TOLERANCE = 0.02
PREFIX = "reference-"  # beside the other files: a package stays one flat folder


def probabilities(classifier: LesionClassifier, path: Path) -> list[float]:
    """Calibrated probabilities of one picture (no test-time augmentation, no gate)."""
    logits = classifier.raw_logits(load_rgb(path), tta=False)
    return [float(p) for p in calibrated_probabilities(logits, classifier.rules)]


def add_reference(root: Path, pictures: list[Path]) -> None:
    """Copy `pictures` into the package, record the package's probabilities for them, re-checksum."""
    names = []
    for picture in pictures:
        name = PREFIX + picture.name
        shutil.copyfile(picture, root / name)
        names.append(name)
    package = load_package(root)
    classifier = LesionClassifier(package)
    manifest = dict(package.manifest)
    manifest["reference"] = {name: probabilities(classifier, root / name) for name in names}
    manifest["extra_files"] = sorted(set(manifest.get("extra_files", [])) | set(names))
    write_manifest(root, manifest)


def check_reference(package: ModelPackage) -> None:
    """Refuse a package without reference pictures or whose probabilities differ by more than TOLERANCE."""
    recorded: dict[str, list[float]] = package.manifest.get("reference") or {}
    if not recorded:
        raise ModelPackageError(
            f"{package.root.name}: the package has no reference pictures to check it with"
        )
    classifier = LesionClassifier(package)
    for name, expected in recorded.items():
        got = probabilities(classifier, package.root / name)
        if len(got) != len(expected):
            raise ModelPackageError(f"{package.root.name}: reference values for {name} do not fit the model")
        worst = max(abs(a - b) for a, b in zip(got, expected, strict=True))
        if worst > TOLERANCE:
            raise ModelPackageError(
                f"{package.root.name}: on reference picture {name} a probability differs by {worst:.3f} "
                f"from the published value (at most {TOLERANCE}); this station does not run the model as "
                "published"
            )
