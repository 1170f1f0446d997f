"""Quantise a package's INT8 network again from its FP32 weights, with nothing else retrained.

`python -m dermdesk.training.requantize PACKAGE` replaces `model-int8.*` with a quantisation whose weights
cannot saturate on CPUs without VNNI (`export.quantize_int8`), re-scores the validation and test splits,
the robustness rows and the unsuitable-image gate with it, records reference pictures with their FP32 and
INT8 outputs (the station's INT8 check), and writes the model card again. The FP32 weights, calibration,
referral thresholds and gate weights stay as they were: the figures change only as much as INT8 does.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openvino as ov

from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.evaluation import read_labels, report, score_folder
from dermdesk.inference.gate import LesionGate
from dermdesk.inference.package import load_package, write_manifest
from dermdesk.inference.postprocess import calibrated_probabilities
from dermdesk.inference.reference import add_reference
from dermdesk.training import export, model_card
from dermdesk.training.dataset import load_cases
from dermdesk.training.gate_fit import gate_metrics
from dermdesk.training.make_model import PERTURBATIONS, _headline, calibration_inputs
from dermdesk.training.package_checks import record_consistency, reference_pictures
from dermdesk.training.splits import cases_in_split
from dermdesk.training.train import TrainConfig

log = logging.getLogger(__name__)

SEED = 20181116  # the training seed: the same calibration pictures as when the package was built


def requantize(package_dir: Path, data_dir: Path, splits: Path) -> dict[str, Any]:
    """Replace the INT8 network, re-score everything INT8 touches, and rewrite manifest and card."""
    package = load_package(package_dir)
    spec = package.input_spec
    model = ov.Core().read_model(package.file("fp32"))
    export.quantize_int8(
        model, calibration_inputs(data_dir, splits, spec, SEED), package_dir / "model-int8.xml"
    )
    manifest = package.manifest.to_dict()
    manifest.pop("reference", None)
    manifest["extra_files"] = [n for n in manifest.get("extra_files", []) if not n.startswith("reference-")]
    write_manifest(package_dir, manifest)

    package = load_package(package_dir)
    int8 = LesionClassifier(package, precision="int8")
    fp32 = LesionClassifier(package, precision="fp32")
    images = data_dir / "images"
    val_labels = read_labels(splits / "val.csv", CLASS_CODES)
    test_labels = read_labels(splits / "test.csv", CLASS_CODES)
    val_scored = score_folder(int8, images, val_labels, tta=True)
    fp32_val = report(score_folder(fp32, images, val_labels, tta=True), fp32, intervals=False)
    validation = report(val_scored, int8)
    test = report(score_folder(int8, images, test_labels, tta=True), int8)
    robustness = {"clean": report(score_folder(int8, images, test_labels, tta=False), int8, intervals=False)}
    for name, perturb in PERTURBATIONS.items():
        scored = score_folder(int8, images, test_labels, tta=False, perturb=perturb)
        robustness[name] = report(scored, int8, intervals=False)
    cases = load_cases(data_dir)[0]
    gate = LesionGate.from_manifest(package.manifest)
    if gate is not None:
        metrics = gate_metrics(
            int8,
            gate,
            cases_in_split(cases, splits / "val.csv"),
            cases_in_split(cases, splits / "test.csv"),
            data_dir / "masks",
        )
        manifest["gate"]["metrics"] = {**manifest["gate"]["metrics"], **metrics}

    int8_bacc, fp32_bacc = validation["balanced_accuracy"], fp32_val["balanced_accuracy"]
    first_choice = str(manifest.get("precision_choice", "")).split(". INT8 quantised again")[0]
    manifest["precision_choice"] = (
        f"{first_choice}. INT8 quantised again on {datetime.now(UTC).date().isoformat()} with 7-bit weights "
        "(NNCF overflow fix on every layer) so that CPUs with and without VNNI compute the same, and checked "
        "against FP32 at every load; with this package's calibration, validation balanced accuracy INT8 "
        f"{int8_bacc:.4f} vs FP32 {fp32_bacc:.4f} (the precision is chosen again when the package is rebuilt)"
    )
    manifest["quantisation"] = {
        "method": "NNCF post-training quantisation, MIXED preset, fast bias correction, overflow fix on "
        f"every layer; 300 unaugmented training pictures (seed {SEED})",
        "requantized": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    metrics_entry = manifest["metrics"]
    metrics_entry.update(
        validation=_headline(validation),
        test=_headline(test),
        robustness={k: _headline(v) for k, v in robustness.items()},
    )
    val_probs = calibrated_probabilities(val_scored.logits, int8.rules)
    rewrite_card(package_dir, manifest, validation, test, robustness, (val_probs, val_scored.labels))
    write_manifest(package_dir, manifest)
    add_reference(package_dir, reference_pictures(images, splits / "test.csv"))
    record_consistency(package_dir, images, splits / "test.csv")
    package = load_package(package_dir)
    return {
        "package": str(package_dir),
        "manifest_sha256": package.manifest_sha256,
        "validation": _headline(validation),
        "test": _headline(test),
        "int8_tolerance": package.manifest.reference.int8_tolerance if package.manifest.reference else None,
    }


# The card's sections whose figures come from the INT8 network; the rest (training, calibration, limits)
# describes what did not change and keeps the words written for this package.
INT8_SECTIONS = (
    "## Targets",
    "## Performance",
    "## Robustness (test split, single view)",
    "## When the app does not classify",
)


def rewrite_card(
    package_dir: Path,
    manifest: dict[str, Any],
    validation: dict[str, Any],
    test: dict[str, Any],
    robustness: dict[str, dict[str, Any]],
    val_probs_labels: tuple[Any, Any],
) -> None:
    """Render a card with today's generator, then take from it only the sections INT8 changed."""
    training = dict(manifest.get("training", {}))
    if "config" not in training:  # a package from before the recipe was recorded: the defaults of then
        training["config"] = asdict(TrainConfig(data_dir="", splits_dir="", out_dir=""))
    card = package_dir / "model-card.md"
    with tempfile.TemporaryDirectory() as tmp:
        model_card.write(
            Path(tmp), {**manifest, "training": training}, validation, test, robustness, val_probs_labels
        )
        fresh = (Path(tmp) / "model-card.md").read_text(encoding="utf-8")
        for picture in ("confusion.png", "reliability.png"):
            shutil.copyfile(Path(tmp) / picture, package_dir / picture)
    text = card.read_text(encoding="utf-8")
    for heading in INT8_SECTIONS:
        text = replace_section(text, heading, section(fresh, heading))
    precision_line = re.compile(r"^- Shipped precision:.*?(?=^- )", flags=re.S | re.M)
    found = precision_line.search(fresh)
    if found is not None:
        text = precision_line.sub(lambda _: found.group(0), text, count=1)
    card.write_text(text, encoding="utf-8")


def section(text: str, heading: str) -> str:
    """From `heading` up to (not including) the next level-2 heading."""
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[start : end + 1] if end >= 0 else text[start:]


def replace_section(text: str, heading: str, replacement: str) -> str:
    old = section(text, heading)
    return text.replace(old, replacement, 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("package", type=Path)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ham10000"))
    parser.add_argument("--splits", type=Path, default=Path("splits"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    print(json.dumps(requantize(args.package, args.data, args.splits), indent=2))


if __name__ == "__main__":
    main()
