"""``make model``: rebuild the shipped model package from ../shared, end to end, and print its figures.

Steps: split (if not committed) → train (resumes) → export ONNX / FP32 IR / INT8 IR → calibrate and choose
the precision on the validation split → score the test split → write the package and its model card.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch

from dermdesk.files import write_text_atomic
from dermdesk.inference.classes import CLASS_CODES, DISPLAY_NAMES, MALIGNANT_CODES
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.evaluation import ScoredSet, read_labels, report, score_folder
from dermdesk.inference.manifest import FORMAT_VERSION
from dermdesk.inference.package import load_package, write_manifest
from dermdesk.inference.postprocess import calibrated_probabilities
from dermdesk.inference.preprocess import InputSpec, find_lesion_box, normalise, resize_crop
from dermdesk.inference.reference import add_reference
from dermdesk.training import distributed, export, model_card, targets
from dermdesk.training.calibrate import calibrate, kept
from dermdesk.training.dataset import class_counts, load_cases, read_images
from dermdesk.training.gate_fit import fit_gate
from dermdesk.training.model import LesionNet
from dermdesk.training.package_checks import record_consistency, reference_pictures
from dermdesk.training.sources import (
    assemble,
    default_sources,
    image_origins,
    image_sources,
    parse_source,
    read_dx_map,
)
from dermdesk.training.splits import cases_in_split
from dermdesk.training.train import TrainConfig, add_recipe_arguments, recipe_overrides, train

log = logging.getLogger(__name__)

NAME = "dermdesk-lesion"
LICENCE = (
    "non-commercial use only: trained on HAM10000 (CC BY-NC-SA 4.0) and ISIC archive pictures (CC BY-NC 4.0)"
)
SOURCE_CREDITS = {  # what the card and the About box credit, per source
    "ham10000": {
        "name": "HAM10000",
        "citation": "Tschandl, Rosendahl & Kittler, Sci. Data 5, 180161 (2018), doi:10.1038/sdata.2018.161",
        "licence": "CC BY-NC-SA 4.0",
    },
    "isic-extra": {
        "name": "ISIC archive (International Skin Imaging Collaboration): 2,889 pictures of the ISIC 2017 "
        "challenge / ISIC 2019 training set from a second hospital (MSK) and 290 more archive pictures",
        "citation": "Codella et al., arXiv:1710.05006 (ISBI 2017 challenge); Combalia et al., "
        "arXiv:1908.02288 (BCN20000, ISIC 2019 training set)",
        "licence": "CC BY-NC 4.0",
    },
}
CROSS_SOURCE_STUDY = Path("docs/cross-source-study.json")
GROUPS = [
    {
        "code": "malignant",
        "name": "Malignant or pre-malignant",
        "classes": ["mel", "bcc", "akiec"],
        "reassuring": False,
    },
    {
        "code": "benign_other",
        "name": "Benign, other skin disease",
        "classes": ["bkl", "df", "vasc"],
        "reassuring": True,
    },
    {"code": "benign_mole", "name": "Benign, common mole", "classes": ["nv"], "reassuring": True},
]
CALIBRATION_IMAGES = 300
PERTURBATIONS = model_card.PERTURBATIONS


def calibration_inputs(data_dir: Path, splits: Path, spec: InputSpec, seed: int) -> list[np.ndarray]:
    """Unaugmented training images for INT8 calibration, a fixed random sample."""
    cases = cases_in_split(load_cases(data_dir)[0], splits / "train.csv")
    chosen = np.random.default_rng(seed).choice(len(cases), CALIBRATION_IMAGES, replace=False)
    images, _ = read_images([cases[i].image_path for i in sorted(chosen)])
    return [
        normalise(resize_crop(im, find_lesion_box(im), spec.size), spec) for im in images if im is not None
    ]


def draft_manifest(
    version: str, spec: InputSpec, files: dict[str, str], precision: str, architecture: str
) -> dict[str, Any]:
    """A manifest with neutral calibration, used to score the IRs before calibration is chosen."""
    n = len(CLASS_CODES)
    return {
        "format_version": FORMAT_VERSION,
        "name": NAME,
        "version": version,
        "architecture": architecture,
        "precision": precision,
        "classes": [{"code": c, "name": DISPLAY_NAMES[c]} for c in CLASS_CODES],
        "groups": GROUPS,
        "input": {
            "size": spec.size,
            "layout": "NCHW",
            "colour_order": spec.colour_order,
            "mean": list(spec.mean),
            "scale": list(spec.scale),
            "colour_constancy": spec.colour_constancy,
            "crop": "lesion square (dermdesk.inference.preprocess.find_lesion_box), area interpolation",
        },
        "outputs": {"logits": [n], "cam": [n, "h", "w"], "features": [1280]},
        "calibration": {"logit_adjustment": [0.0] * n, "temperature": 1.0},
        "referral": {"thresholds": {c: 1.0 for c in MALIGNANT_CODES}, "min_top_probability": 0.5},
        "files": files,
        "sha256": {},
    }


def collection_of(args: argparse.Namespace, work: Path, world: distributed.World) -> tuple[Path, Path]:
    """The folder and split to train on: one source as given (``--data``/``--splits``), or the sources
    (``--source``, by default HAM10000 and isic-extra) assembled into one collection by rank 0."""
    sources = getattr(args, "source", None)
    if getattr(args, "data", None) and not sources:
        return Path(args.data), Path(args.splits)
    dx_map = read_dx_map(Path(args.dx_map) if getattr(args, "dx_map", None) else None)
    chosen = (
        [parse_source(s, dx_map) for s in sources] if sources else default_sources(splits=Path(args.splits))
    )
    collection, splits = work / "collection", work / "collection-splits"
    if world.is_main:
        collection, splits, counts = assemble(chosen, work)
        log.info("sources assembled: %s", counts)
    distributed.barrier(world)
    return collection, splits


def build(args: argparse.Namespace) -> dict[str, Any]:
    world = distributed.join()
    work = Path(args.work)
    data_dir, splits = collection_of(args, work, world)
    init_weights = getattr(args, "init_weights", None)  # fine-tuning (central retraining)
    cfg = TrainConfig(
        data_dir=str(data_dir),
        splits_dir=str(splits),
        out_dir=str(work / "train"),
        init_weights=init_weights,
        **recipe_overrides(args),
    )
    if args.quick:
        cfg = TrainConfig(
            data_dir=str(data_dir),
            splits_dir=str(splits),
            out_dir=str(work / "train"),
            quick=True,
            init_weights=init_weights,
            **{**recipe_overrides(args), "epochs": 2, "samples_per_epoch": 256},
        )
    started = time.monotonic()
    staging = work / "package"
    recalibrated = getattr(args, "recalibrate", None)
    if recalibrated:  # an existing network, its operating point chosen again on this collection
        if not world.is_main:
            distributed.leave(world)
            return {}
        distributed.leave(world)
        training, spec, cfg = _reuse_network(
            Path(recalibrated), staging, cfg, keep_calibration=getattr(args, "keep_calibration", False)
        )
    else:
        training = train(cfg)
        if not world.is_main:  # rank 0 exports, calibrates and scores; the others are done
            distributed.leave(world)
            return {}
        distributed.leave(world)
        spec = InputSpec(size=cfg.image_size, colour_constancy=cfg.colour_constancy)
        _export_network(
            work, staging, cfg, spec, calibration_inputs(data_dir, splits, spec, cfg.seed), args.quick
        )
    files = {
        "fp32": "model-fp32.xml",
        "fp32_weights": "model-fp32.bin",
        "int8": "model-int8.xml",
        "int8_weights": "model-int8.bin",
        "onnx": "model.onnx",
        "torch": "model.pt",
    }

    val_labels = read_labels(splits / "val.csv", CLASS_CODES)
    test_labels = read_labels(splits / "test.csv", CLASS_CODES)
    if args.quick:
        val_labels, test_labels = val_labels[:60], test_labels[:60]
    images = data_dir / "images"
    cases = load_cases(data_dir)[0]
    train_ids = {r.image_id for r in cases_in_split(cases, splits / "train.csv")}
    natural = class_counts(c.label for c in cases if c.image_id in train_ids).astype(float)
    natural /= natural.sum()
    train_prior = np.asarray(training["train_prior"])

    kept_calibration = training.get("calibration") if getattr(args, "keep_calibration", False) else None
    if kept_calibration is not None:  # the package's own priors, so the kept correction means what it did
        train_prior = np.asarray(kept_calibration["train_prior"])
        natural = np.asarray(kept_calibration["natural_prior"])
    per_precision: dict[str, dict[str, Any]] = {}
    for precision in ("fp32", "int8"):
        manifest = draft_manifest(
            args.version, spec, {**files, "model": files[precision]}, precision, cfg.architecture
        )
        write_manifest(staging, manifest)
        classifier = LesionClassifier(load_package(staging), precision=precision)
        scored = score_folder(classifier, images, val_labels, tta=True)
        cal = (
            calibrate(scored.logits, scored.labels, train_prior, natural, max_ece=None)
            if kept_calibration is None
            else kept(
                scored.logits,
                scored.labels,
                kept_calibration["logit_adjustment"],
                kept_calibration["temperature"],
                kept_calibration["prior_power"],
            )
        )
        per_precision[precision] = {"scored": scored, "calibration": cal}
        log.info("%s validation balanced accuracy %.4f", precision, cal.validation_balanced_accuracy)
    fp32_bacc = per_precision["fp32"]["calibration"].validation_balanced_accuracy
    int8_bacc = per_precision["int8"]["calibration"].validation_balanced_accuracy
    chosen = "int8" if int8_bacc >= fp32_bacc - 0.01 else "fp32"
    why = f"validation balanced accuracy INT8 {int8_bacc:.4f} vs FP32 {fp32_bacc:.4f}: " + (
        "INT8 within 1 point, shipped as INT8"
        if chosen == "int8"
        else "INT8 more than 1 point worse, shipped FP32"
    )
    cal = per_precision[chosen]["calibration"]
    val_scored = per_precision[chosen]["scored"]
    manifest = draft_manifest(
        args.version,
        spec,
        {**files, "model": files[chosen], "model_weights": files[chosen + "_weights"]},
        chosen,
        cfg.architecture,
    )
    manifest["calibration"] = {
        "logit_adjustment": cal.logit_adjustment,
        "temperature": cal.temperature,
        "prior_power": cal.prior_power,
        "train_prior": train_prior.tolist(),
        "natural_prior": natural.tolist(),
        "method": "(logits + prior_power*log(natural_prior) - log(train_prior)) / temperature; "
        + (
            "temperature by validation NLL"
            if kept_calibration is None
            else f"prior_power and temperature kept unchanged from {training['network_name']}"
        ),
    }
    val_probs = calibrated_probabilities(val_scored.logits, _rules_of(manifest))
    referral = targets.choose_referral(val_probs, val_scored.labels, targets.MALIGNANT_REFERRED)
    manifest["referral"] = {
        "thresholds": referral.thresholds,
        "min_top_probability": 0.5,
        "target_sensitivity": referral.sensitivity,
        "target_malignant_referred": targets.MALIGNANT_REFERRED,
        "validation_malignant_referred": round(referral.malignant_referred, 4),
        "validation_benign_referred": round(referral.benign_referred, 4),
    }
    write_manifest(staging, manifest)

    classifier = LesionClassifier(load_package(staging))
    split_cases = {name: cases_in_split(cases, splits / f"{name}.csv") for name in ("train", "val", "test")}
    if args.quick:
        split_cases = {name: c[:60] for name, c in split_cases.items()}
    manifest["gate"] = fit_gate(
        classifier,
        split_cases["train"],
        split_cases["val"],
        split_cases["test"],
        data_dir / "masks",
        per_kind=20 if args.quick else 300,
        train_lesions=60 if args.quick else 2500,
    )
    write_manifest(staging, manifest)
    classifier = LesionClassifier(load_package(staging))
    validation = report(val_scored, classifier)
    test_scored = score_folder(classifier, images, test_labels, tta=True)
    test = report(test_scored, classifier)
    test_targets = _targets_of(test_scored, classifier, train_prior, splits / "test.csv")
    val_targets = _targets_of(val_scored, classifier, train_prior, splits / "val.csv")
    by_source = {
        name: _headline(report(part, classifier))
        for name, part in _by_source(test_scored, splits / "test.csv").items()
    }
    fp32_classifier = LesionClassifier(load_package(staging), precision="fp32")
    test_fp32 = report(
        score_folder(fp32_classifier, images, test_labels, tta=True), fp32_classifier, intervals=False
    )
    robustness = {
        "clean": report(score_folder(classifier, images, test_labels, tta=False), classifier, intervals=False)
    }
    for name, perturb in PERTURBATIONS.items():
        robustness[name] = report(
            score_folder(classifier, images, test_labels, tta=False, perturb=perturb),
            classifier,
            intervals=False,
        )

    manifest.update(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        precision=chosen,
        precision_choice=why,
        licence=LICENCE,
        training_data=training["training_data"] if recalibrated else _training_data(splits, training),
        training={
            k: training.get(k)
            for k in (
                "config",
                "best_epoch",
                "best_validation",
                "train_minutes",
                "history",
                "processes",
                "device",
            )
        },
        calibration_report={
            **({"kept_from": training["network_name"]} if kept_calibration is not None else {}),
            "validation_ece_before": cal.validation_ece_before,
            "validation_ece_after": cal.validation_ece_after,
            "candidates": cal.candidates,
        },
        metrics={
            "validation": _headline(validation),
            "test": _headline(test),
            "test_fp32": _headline(test_fp32),
            "robustness": {k: _headline(v) for k, v in robustness.items()},
            "test_by_source": by_source,
            "melanoma_by_origin": _melanoma_by_origin(test_targets, test_scored, splits / "test.csv"),
            "operating_point": {
                "validation": targets.operating_point_figures(val_targets),
                "test": targets.operating_point_figures(test_targets),
            },
            "notes": "test split scored once, after every choice was made on validation; "
            "TTA (8 views) except the robustness rows",
        },
        extra_files=["model-card.md", "confusion.png", "reliability.png"],
        targets=targets.evaluate(test_targets),
        limits={
            "acral": "acral lesions (palms and soles) are barely represented: 4 pictures in isic-extra, "
            f"{_acral_count(cases)} of the training collection's pictures in all",
            "skin": "darker and East Asian skin are barely represented (HAM10000 and the ISIC archive "
            "pictures come mostly from fair-skinned patients in Europe, Australia and the USA)",
        },
    )
    out = Path(args.out) / f"{NAME}-{args.version}"
    model_card.write(
        staging,
        manifest,
        validation,
        test,
        robustness,
        val_probs_labels=(val_probs, val_scored.labels),
        cross_source=_cross_source_study(),
    )
    write_manifest(staging, manifest)
    # what every station checks the package with: reference pictures (INT8 against recorded FP32 at each
    # load) and, for a full build, the cross-CPU consistency figures in the manifest and card
    add_reference(staging, reference_pictures(images, splits / "test.csv", per_class=1 if args.quick else 3))
    if not args.quick:
        record_consistency(staging, images, splits / "test.csv")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(staging, out)
    package = load_package(out)
    minutes = (time.monotonic() - started) / 60
    return {
        "package": str(out),
        "manifest_sha256": package.manifest_sha256,
        "precision": chosen,
        "why": why,
        "test": _headline(test),
        "validation": _headline(validation),
        "minutes_total": round(minutes, 1),
        "train_minutes": training["train_minutes"],
    }


def _export_network(
    work: Path, staging: Path, cfg: TrainConfig, spec: InputSpec, calib: list[np.ndarray], quick: bool
) -> None:
    """The best checkpoint as the package's network files: torch weights, ONNX, FP32 and INT8 IR."""
    net = LesionNet(cfg.image_size, pretrained=False, architecture=cfg.architecture)
    net.load_state_dict(torch.load(work / "train" / "best.pt"))
    net.eval()
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    torch.save(net.state_dict(), staging / "model.pt")  # for fine-tuning centrally and the eager benchmark
    export.export_onnx(net, staging / "model.onnx")
    ov_model = export.convert_openvino(staging / "model.onnx")
    export.save_fp32(ov_model, staging / "model-fp32.xml")
    export.quantize_int8(ov_model, calib[:32] if quick else calib, staging / "model-int8.xml")


NETWORK_FILES = (
    "model.pt",
    "model.onnx",
    "model-fp32.xml",
    "model-fp32.bin",
    "model-int8.xml",
    "model-int8.bin",
)


def _reuse_network(
    package: Path, staging: Path, cfg: TrainConfig, keep_calibration: bool = False
) -> tuple[dict[str, Any], InputSpec, TrainConfig]:
    """Copy an existing package's network files unchanged (``--recalibrate``), so that only what
    ``make model`` chooses after training (calibration, referral thresholds, gate, figures) is redone on
    this collection. Returns the training facts the card reports, taken from that package."""
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in NETWORK_FILES:
        shutil.copy2(package / name, staging / name)
    size, constancy = manifest["input"]["size"], manifest["input"]["colour_constancy"]
    cfg = dataclasses.replace(
        cfg, image_size=size, colour_constancy=constancy, architecture=manifest["architecture"]
    )
    training = {
        **manifest["training"],
        "network_name": f"{manifest['name']} {manifest['version']}",
        "calibration": manifest["calibration"],
        "train_prior": manifest["calibration"]["train_prior"],
        "training_data": {
            **manifest["training_data"],
            "network_from": f"{manifest['name']} {manifest['version']} (network files unchanged; "
            + (
                "its calibration kept; referral thresholds, gate and figures chosen again by make model "
                "--recalibrate --keep-calibration)"
                if keep_calibration
                else "calibration, referral thresholds, gate and figures chosen again by make model "
                "--recalibrate)"
            ),
        },
    }
    return training, InputSpec(size=size, colour_constancy=constancy), cfg


def _by_source(scored: ScoredSet, split_csv: Path) -> dict[str, ScoredSet]:
    """The scored pictures of each source (none when the split names no sources)."""
    of = image_sources(split_csv)
    names = np.array([of.get(i, "") for i in scored.image_ids])
    out = {}
    for name in sorted(set(names) - {""}):
        keep = names == name
        out[name] = ScoredSet(
            [i for i, k in zip(scored.image_ids, keep, strict=True) if k],
            scored.labels[keep],
            scored.lesions[keep],
            scored.logits[keep],
            [],
        )
    return out


def _targets_of(
    scored: ScoredSet, classifier: LesionClassifier, train_prior: np.ndarray, split_csv: Path
) -> targets.Scored:
    """A scored split as the targets read it: calibrated, at a uniform prior, and the station's referral."""
    of = image_sources(split_csv)
    probs = calibrated_probabilities(scored.logits, classifier.rules)
    rules = classifier.rules
    return targets.Scored(
        labels=scored.labels,
        lesions=scored.lesions,
        collections=np.array([of.get(i, "") for i in scored.image_ids]),
        probabilities=probs,
        uniform=targets.uniform_prior_probabilities(scored.logits, train_prior),
        refer=targets.referred(probs, dict(rules.thresholds), rules.min_top_probability),
    )


def _melanoma_by_origin(part: targets.Scored, scored: ScoredSet, split_csv: Path) -> dict[str, Any]:
    """Melanomas referred and found as the top class, per origin (hospital or archive part): if the model
    had learnt the archive's look instead of the lesion, the archive's melanomas would fare far better."""
    origins = image_origins(split_csv)
    of = np.array([origins.get(i, "") for i in scored.image_ids])
    mel = CLASS_CODES.index("mel")
    out = {}
    for origin in sorted(set(of.tolist()) - {""}):
        keep = (of == origin) & (part.labels == mel)
        if keep.sum() >= 5:
            out[origin] = {
                "melanomas": int(keep.sum()),
                "referred": round(float(part.refer[keep].mean()), 4),
                "top_class": round(float((part.probabilities[keep].argmax(1) == mel).mean()), 4),
            }
    return out


def _training_data(splits: Path, training: dict[str, Any]) -> dict[str, Any]:
    """The sources trained on, with their credits and how many training pictures each gave."""
    of = image_sources(splits / "train.csv")
    counts: dict[str, int] = {}
    for name in of.values():
        counts[name or "ham10000"] = counts.get(name or "ham10000", 0) + 1
    sources: list[dict[str, Any]] = [
        {**SOURCE_CREDITS.get(name, {"name": name, "citation": "", "licence": ""}), "train_pictures": n}
        for name, n in sorted(counts.items())
    ]
    return {
        "name": " + ".join(s["name"].split(" (")[0].split(":")[0] for s in sources),
        "sources": sources,
        "citation": "; ".join(s["citation"] for s in sources if s["citation"]),
        "licence": ", ".join(sorted({s["licence"] for s in sources if s["licence"]})),
        "split": "by lesion_id, stratified by dx (isic-extra: by dx and origin), 80/10/10, seed 20181116 "
        "(splits/*.csv, splits/isic-extra/*.csv)",
        "train_images": int(sum(training["train_class_counts"])),
    }


def _acral_count(cases: list[Any]) -> int:
    return sum(1 for c in cases if c.localization == "acral")


def _cross_source_study() -> dict[str, Any] | None:
    """The HAM10000-only model scored on isic-extra's test lesions (scripts/cross_source_study.py)."""
    if not CROSS_SOURCE_STUDY.is_file():
        return None
    study: dict[str, Any] = json.loads(CROSS_SOURCE_STUDY.read_text(encoding="utf-8"))
    return study


def _rules_of(manifest: dict[str, Any]) -> Any:
    from dermdesk.inference.manifest import ModelManifest
    from dermdesk.inference.postprocess import Rules

    return Rules.from_manifest(ModelManifest.model_validate(manifest))


def _headline(result: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "n_images",
        "accuracy",
        "balanced_accuracy",
        "macro_auc",
        "melanoma_sensitivity_at_80_specificity",
        "melanoma_sensitivity_at_90_specificity",
        "ece",
        "ece_if_calibrated",
        "per_class",
        "confusion",
        "ci95",
    )
    return {k: result[k] for k in keys if k in result}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="one collection to train on (with --splits); default: --source")
    parser.add_argument("--splits", default="splits", help="its split, or the root of the default sources'")
    parser.add_argument(
        "--source",
        action="append",
        help="NAME=DATA_DIR:SPLITS_DIR, repeatable (default: ham10000 and isic-extra from ../shared)",
    )
    parser.add_argument("--dx-map", help="JSON table mapping a source's diagnosis words to the seven codes")
    parser.add_argument("--result", help="also write the summary JSON to this file")
    parser.add_argument("--work", default="work")
    parser.add_argument("--out", default="resources/models")
    parser.add_argument("--version", default="2.0.0")
    parser.add_argument("--quick", action="store_true", help="tiny run for tests; never ship its package")
    parser.add_argument("--init-weights", help="fine-tune from this model.pt instead of ImageNet weights")
    parser.add_argument(
        "--recalibrate",
        metavar="PACKAGE",
        help="no training: keep this package's network and choose calibration, thresholds and gate again",
    )
    parser.add_argument(
        "--keep-calibration",
        action="store_true",
        help="with --recalibrate: keep the package's calibration (α, T) too; choose only thresholds and gate",
    )
    add_recipe_arguments(parser)
    args = parser.parse_args(argv)
    if args.keep_calibration and not args.recalibrate:
        parser.error("--keep-calibration keeps the calibration of the package given to --recalibrate")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    result = build(args)
    if not result:  # not rank 0
        return
    if args.result:
        write_text_atomic(Path(args.result), json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
