"""Retraining on the clinics' cases, and the gate a candidate must pass before clinics receive it.

When `retrain_threshold` new labelled cases have arrived since the current model, `retrain`:
1. writes a combined collection in the HAM10000 layout: the base data (HAM10000) plus the clinics' cases,
   with the clinics' cases added to the training split only, so validation and test stay the fixed,
   held-out lesions of the base split;
2. trains a candidate with the project's pipeline, launched as `make model` is, under `torchrun` with
   `training_processes` processes (`dermdesk.training.launch`; `quick` for tests);
3. `gate_and_publish`: scores the current model and the candidate on the same held-out images at the
   clinical operating point and publishes (signed) only if the candidate refers no more benign lesions
   when both refer 95 % of the malignant ones (ranking by the malignant probability) and its own
   thresholds do not refer more than 10 points more benign lesions than the model in use's; balanced
   accuracy is recorded too, for information. Both sets of
   numbers go into the candidate's manifest and model card either way. The cases are marked with the
   candidate's version either way, so a held-back candidate does not start a retraining at every
   following case; every labelled case stays in every later training collection.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dermdesk.central import store
from dermdesk.central.config import CentralConfig
from dermdesk.central.publish import export_collection, publish_package
from dermdesk.i18n import N_
from dermdesk.inference.classes import CLASS_CODES
from dermdesk.inference.manifest import ModelManifest
from dermdesk.inference.package import default_package_dir, load_package, write_manifest

log = logging.getLogger(__name__)

REFERENCE_COUNT = 4  # held-out base pictures shipped in each package for the clinics' behaviour check
HEADLINE = (
    "n_images",
    "accuracy",
    "balanced_accuracy",
    "macro_auc",
    "melanoma_sensitivity_at_80_specificity",
    "benign_referred_at_target",
    "malignant_referred",
    "benign_referred",
)


@dataclass(frozen=True)
class Decision:
    """What the gate decided, with the figures of both models on the same held-out images."""

    published: bool
    current: dict[str, Any]
    candidate: dict[str, Any]
    reason: str


def current_model_dir(config: CentralConfig) -> Path:
    """The latest published package, else `DERMDESK_CENTRAL_BASE_MODEL`, else the shipped one."""
    row = store.latest_model(store.open_engine(config.url))
    if row is not None:
        return config.models_dir / str(row["folder"])
    base = os.environ.get("DERMDESK_CENTRAL_BASE_MODEL")
    return Path(base) if base else default_package_dir()


def score(package_dir: Path, data_dir: Path, labels_csv: Path, limit: int | None) -> dict[str, Any]:
    """Headline figures of a package on held-out images (no test-time augmentation)."""
    from dermdesk.inference.classifier import LesionClassifier
    from dermdesk.inference.evaluation import read_labels, report, score_folder
    from dermdesk.inference.postprocess import calibrated_probabilities
    from dermdesk.training import targets

    labels = read_labels(labels_csv, CLASS_CODES)[:limit]
    classifier = LesionClassifier(load_package(package_dir))
    scored = score_folder(classifier, data_dir / "images", labels, tta=False)
    result = report(scored, classifier, intervals=False)
    probs = calibrated_probabilities(scored.logits, classifier.rules)
    rules = classifier.rules
    refer = targets.referred(probs, dict(rules.thresholds), rules.min_top_probability)
    malignant, benign = targets.referral_shares(scored.labels, refer)
    result["malignant_referred"], result["benign_referred"] = malignant, benign
    result["benign_referred_at_target"] = targets.benign_referred_at(probs, scored.labels)
    return {key: result[key] for key in HEADLINE if key in result}


BENIGN_SLACK = 0.10  # more benign referrals at the shipped thresholds the gate lets a candidate add


def gate_and_publish(
    config: CentralConfig,
    candidate_dir: Path,
    current_dir: Path,
    data_dir: Path,
    labels_csv: Path,
    *,
    limit: int | None = None,
    case_ids: list[int] | None = None,
) -> Decision:
    """Publish the candidate only if it is no worse than the current model at the clinical operating
    point on the held-out images: no more benign lesions referred when both refer 95 % of the malignant
    ones."""
    from dermdesk.training.targets import MALIGNANT_REFERRED

    current = score(current_dir, data_dir, labels_csv, limit)
    candidate = score(candidate_dir, data_dir, labels_csv, limit)
    ranks = candidate["benign_referred_at_target"] <= current["benign_referred_at_target"]
    # what the clinics get is the shipped thresholds' point: a candidate that ranks better but whose
    # thresholds refer many more benign lesions is not better for them (unless the model in use refers no
    # malignant lesion at all, when any candidate that ranks better is)
    burden = candidate["benign_referred"] - current["benign_referred"]
    shipped_ok = burden <= BENIGN_SLACK or current["malignant_referred"] == 0
    better = ranks and shipped_ok
    reason = (
        f"held-out benign lesions referred when {MALIGNANT_REFERRED:.0%} of the malignant ones are: "
        f"{candidate['benign_referred_at_target']:.4f} (candidate) vs "
        f"{current['benign_referred_at_target']:.4f} (current, {load_package(current_dir).version}); at "
        f"their own thresholds malignant/benign referred {candidate['malignant_referred']:.3f}/"
        f"{candidate['benign_referred']:.3f} vs {current['malignant_referred']:.3f}/"
        f"{current['benign_referred']:.3f}; on {candidate['n_images']} images: "
        + ("no worse, published" if better else "worse, held back")
    )
    _record(candidate_dir, current, candidate, reason)
    log.info("Retraining gate: %s", reason)
    if better:
        pictures = _reference_pictures(data_dir / "images", labels_csv)
        publish_package(config, candidate_dir, {"held_out": candidate, "previous": current}, pictures)
    if case_ids:  # counted once: the next retraining waits for `retrain_threshold` newer cases
        store.mark_used(store.open_engine(config.url), case_ids, load_package(candidate_dir).version)
    return Decision(better, current, candidate, reason)


def _record(candidate_dir: Path, current: dict[str, Any], candidate: dict[str, Any], reason: str) -> None:
    """The comparison into the candidate's manifest and model card (re-checksummed)."""
    manifest = load_package(candidate_dir).manifest.to_dict()
    manifest["central_comparison"] = {"current": current, "candidate": candidate, "decision": reason}
    card = candidate_dir / "model-card.md"
    lines = [
        "",
        "## Central retraining: comparison with the model in use",
        "",
        "| figure | model in use | this model |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {key} | {current.get(key)} | {candidate.get(key)} |" for key in HEADLINE]
    lines += ["", f"Decision: {reason}.", ""]
    with card.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    extras = set(manifest.get("extra_files", [])) | {"model-card.md"}
    manifest["extra_files"] = sorted(extras)
    write_manifest(candidate_dir, manifest)


def combined_collection(
    config: CentralConfig, base_data: Path, base_splits: Path, work: Path, up_to: int | None = None
) -> tuple[Path, Path, list[int]]:
    """Base data plus the clinics' labelled cases in one HAM10000-layout folder, and splits in which the
    clinics' cases join the training split only; with the ids of the cases no retraining had used (up to
    case `up_to`, the newest when the job started), which this one marks as used."""
    clinic = work / "clinic"
    shutil.rmtree(clinic, ignore_errors=True)
    export_collection(config, clinic)
    collection, splits = work / "collection", work / "splits"
    shutil.rmtree(collection, ignore_errors=True)
    shutil.rmtree(splits, ignore_errors=True)
    (collection / "images").mkdir(parents=True)
    if (base_data / "masks").is_dir():  # the non-lesion gate cuts skin patches outside the base masks
        (collection / "masks").symlink_to((base_data / "masks").resolve())
    splits.mkdir(parents=True)
    for source in (base_data / "images", clinic / "images"):
        for image in source.iterdir():
            (collection / "images" / image.name).symlink_to(image.resolve())
    base_rows = _rows(base_data / "HAM10000_metadata.csv")
    clinic_rows = _rows(clinic / "HAM10000_metadata.csv")
    _write(collection / "HAM10000_metadata.csv", base_rows + clinic_rows)
    for name in ("val", "test"):
        shutil.copyfile(base_splits / f"{name}.csv", splits / f"{name}.csv")
    train_rows = _rows(base_splits / "train.csv")
    columns = list(train_rows[0]) if train_rows else ["image_id", "lesion_id", "dx"]
    _write(splits / "train.csv", train_rows + [{c: row.get(c, "") for c in columns} for row in clinic_rows])
    engine = store.open_engine(config.url)
    used = store.unused_labelled_ids(engine, store.last_case_id(engine) if up_to is None else up_to)
    return collection, splits, used


def inherited_recipe(manifest: ModelManifest) -> dict[str, object]:
    """The recipe the current model was trained with, for a candidate fine-tuned from its weights.

    The candidate must have the same network and see pictures the same way (input size, colour constancy):
    weights trained on colour-balanced crops and fine-tuned on raw ones would be quietly worse. Packages
    from before the recipe was recorded were trained with the defaults, which then apply.
    """
    from dermdesk.training.train import recipe_overrides

    recipe = recipe_overrides(argparse.Namespace(**(manifest.extra("training") or {}).get("config", {})))
    recipe["architecture"] = manifest.architecture
    return recipe


def recipe_arguments(recipe: dict[str, object]) -> list[str]:
    """The recipe as `make model`'s command-line flags."""
    from dermdesk.training.train import RECIPE_FLAGS

    flag_of = {name: flag for flag, (name, _, _) in RECIPE_FLAGS.items()}
    out: list[str] = []
    for name, value in recipe.items():
        if name in flag_of and value is not None:
            out += [flag_of[name], str(value)]
    return out


def retrain(
    config: CentralConfig,
    base_data: Path,
    base_splits: Path,
    work: Path,
    *,
    version: str,
    quick: bool = False,
    up_to: int | None = None,
    progress: Callable[[str], None] = lambda _text: None,
) -> Decision:
    """Train a candidate on base data plus the clinics' cases and publish it if it passes the gate."""
    from dermdesk.training.launch import run_make_model

    progress(N_("collecting the clinics' cases"))
    collection, splits, case_ids = combined_collection(config, base_data, base_splits, work, up_to)
    current = current_model_dir(config)
    out = work / "candidates"
    current_manifest = load_package(current).manifest
    manifest_files = current_manifest.files
    init = str(current / manifest_files["torch"]) if "torch" in manifest_files else None
    if init is None:
        log.warning("The current model %s has no torch weights: the candidate starts from ImageNet", current)
    arguments = [
        "--data",
        str(collection),
        "--splits",
        str(splits),
        "--work",
        str(work / "build"),
        "--out",
        str(out),
        "--version",
        version,
        *(["--quick"] if quick else []),
        *(["--init-weights", init] if init else []),
        *recipe_arguments(inherited_recipe(current_manifest)),
    ]
    progress(
        f"training {version} on {len(case_ids)} new case(s) under torchrun, "
        f"{config.training_processes} process(es); log {work / 'training.log'}"
    )
    built = run_make_model(arguments, config.training_processes, work / "training.log")
    progress(N_("comparing the candidate with the model in use on the held-out images"))
    return gate_and_publish(
        config,
        Path(built["package"]),
        current,
        base_data,
        base_splits / "test.csv",
        limit=150 if quick else None,  # enough malignant lesions for the operating point
        case_ids=case_ids,
    )


def _reference_pictures(images: Path, labels_csv: Path) -> list[Path]:
    from dermdesk.inference.evaluation import find_image

    found = (find_image(images, row["image_id"]) for row in _rows(labels_csv))
    return [path for path in found if path is not None][:REFERENCE_COUNT]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    columns = list(rows[0]) if rows else ["lesion_id", "image_id", "dx"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def next_version(version: str) -> str:
    """1.0.3 -> 1.0.4 (a version without three numbers gets ``.1`` appended)."""
    parts = version.split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[0]}.{parts[1]}.{int(parts[2]) + 1}"
    return version + ".1"


def retrain_hook(config: CentralConfig) -> Any:
    """The job runner's retraining from `DERMDESK_CENTRAL_BASE_DATA` / `_BASE_SPLITS` (and `_QUICK`
    for tests), called with the job's `up_to` case and a `progress` callback; None, with a warning, when no
    base data is configured (cases are still received)."""
    data = os.environ.get("DERMDESK_CENTRAL_BASE_DATA")
    splits = os.environ.get("DERMDESK_CENTRAL_BASE_SPLITS")
    if not data or not splits:
        log.warning("Retraining is off: set DERMDESK_CENTRAL_BASE_DATA and DERMDESK_CENTRAL_BASE_SPLITS")
        return None
    quick = os.environ.get("DERMDESK_CENTRAL_QUICK") == "1"

    def run(up_to: int | None = None, progress: Callable[[str], None] = lambda _text: None) -> Decision:
        version = next_version(load_package(current_model_dir(config)).version)
        return retrain(
            config,
            Path(data),
            Path(splits),
            config.home / "work",
            version=version,
            quick=quick,
            up_to=up_to,
            progress=progress,
        )

    return run
