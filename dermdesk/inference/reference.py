"""Reference pictures in a model package: public pictures with the outputs the publisher's networks gave.

Two checks use them:
- a station that installs an update must reproduce the recorded FP32 probabilities within `TOLERANCE`
  (`check_reference`). Signature and checksums prove the files are the ones published; this proves they
  also behave as published on this station's OpenVINO and CPU. FP32 is the yardstick because it computes
  the same on every instruction set measured (`dermdesk bench consistency`), while INT8 kernels differ;
- at every load, INT8 is compared with the same recorded FP32 outputs and the station runs FP32 where
  they differ by more than the package's `int8_tolerance` (`dermdesk.inference.precision`).
The pictures are public data-set images, never clinic cases.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from dermdesk.i18n import _
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.images import load_rgb
from dermdesk.inference.manifest import ReferencePicture, ReferenceSection
from dermdesk.inference.package import ModelPackage, ModelPackageError, load_package, write_manifest
from dermdesk.inference.postprocess import calibrated_probabilities

TOLERANCE = 0.02  # FP32 on a station against FP32 as published (measured spread across CPUs: 0.000)
# How much further from FP32 INT8 on another CPU may be than it was on the publisher's, for any picture and
# class: six times the largest spread of INT8 across instruction sets measured after NNCF's overflow fix
# (0.005, docs/performance.md); an INT8 network that computes otherwise departs by 0.05-0.3 on some picture.
INT8_CPU_MARGIN = 0.03
PREFIX = "reference-"  # beside the other files: a package stays one flat folder


def probabilities(classifier: LesionClassifier, path: Path) -> list[float]:
    """Calibrated probabilities of one picture (no test-time augmentation, no gate)."""
    logits = classifier.raw_logits(load_rgb(path), tta=False)
    return [round(float(p), 7) for p in calibrated_probabilities(logits, classifier.rules)]


def largest_difference(a: tuple[float, ...] | list[float], b: tuple[float, ...] | list[float]) -> float:
    if len(a) != len(b):
        raise ModelPackageError("reference values do not fit the model's classes")
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


def int8_excess(here: tuple[float, ...] | list[float], picture: ReferencePicture) -> float:
    """How much further from the recorded FP32 output INT8 is here than it was for the publisher (largest
    over the classes); against FP32 alone when the publisher's INT8 output was not recorded."""
    if picture.fp32 is None:
        raise ModelPackageError(_("a reference picture has no recorded FP32 values"))
    published = picture.int8 if picture.int8 is not None else picture.fp32
    if not len(here) == len(picture.fp32) == len(published):
        raise ModelPackageError("reference values do not fit the model's classes")
    return max(abs(h - f) - abs(p - f) for h, f, p in zip(here, picture.fp32, published, strict=True))


def add_reference(root: Path, pictures: list[Path]) -> None:
    """Copy `pictures` into the package, record FP32 and INT8 probabilities and the INT8 tolerance."""
    names = []
    for picture in pictures:
        name = PREFIX + picture.name
        shutil.copyfile(picture, root / name)
        names.append(name)
    package = load_package(root)
    fp32 = LesionClassifier(package, precision="fp32")
    int8 = LesionClassifier(package, precision="int8") if "int8" in package.manifest.files else None
    recorded: dict[str, ReferencePicture] = {}
    for name in names:
        expected = probabilities(fp32, root / name)
        quantised = probabilities(int8, root / name) if int8 is not None else None
        recorded[name] = ReferencePicture(
            fp32=tuple(expected), int8=None if quantised is None else tuple(quantised)
        )
    manifest = package.manifest.to_dict()
    manifest["reference"] = ReferenceSection(pictures=recorded, int8_tolerance=INT8_CPU_MARGIN).model_dump(
        mode="json", exclude_none=True
    )
    manifest["extra_files"] = sorted(set(manifest.get("extra_files", [])) | set(names))
    write_manifest(root, manifest)


def check_reference(package: ModelPackage) -> None:
    """Refuse a package without reference pictures or whose FP32 probabilities differ by more than
    TOLERANCE from the published ones (packages from before FP32 was recorded: the shipped precision)."""
    reference = package.manifest.reference
    if reference is None or not reference.pictures:
        raise ModelPackageError(
            _("{name}: the package has no reference pictures to check it with").format(name=package.root.name)
        )
    precision = "fp32" if all(p.fp32 is not None for p in reference.pictures.values()) else "model"
    classifier = LesionClassifier(package, precision=precision)
    for name, picture in reference.pictures.items():
        expected = picture.fp32 if precision == "fp32" else picture.model
        if expected is None:
            raise ModelPackageError(
                _("{name}: reference picture {name2} has no recorded values").format(
                    name=package.root.name, name2=name
                )
            )
        got = probabilities(classifier, package.root / name)
        worst = largest_difference(got, expected)
        if worst > TOLERANCE:
            raise ModelPackageError(
                _(
                    "{name}: on reference picture {name2} a probability differs by {worst:.3f} from "
                    "the published value (at most {TOLERANCE}); this station does not run the model "
                    "as published"
                ).format(name=package.root.name, name2=name, worst=worst, TOLERANCE=TOLERANCE)
            )
