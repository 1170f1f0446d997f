"""The received cases as a training collection, and publishing a signed model package.

`export_collection` writes the HAM10000 layout that `dermdesk.training.dataset.load_cases` reads
(`HAM10000_metadata.csv` + `images/<image_id>.png`), so the project's training pipeline trains on clinic
cases exactly as on HAM10000. `publish_package` copies a verified package into the service's models
folder, signs its manifest with the service's Ed25519 key and makes it the latest model.
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from dermdesk.central import store
from dermdesk.central.config import CentralConfig
from dermdesk.inference.package import load_package
from dermdesk.inference.reference import add_reference
from dermdesk.inference.signing import load_private_key, sign_package

log = logging.getLogger(__name__)

HAM_COLUMNS = ("lesion_id", "image_id", "dx", "dx_type", "age", "sex", "localization")
DX_TYPES = {
    "histopathology": "histo",
    "follow-up": "follow_up",
    "consensus": "consensus",
    "clinical": "consensus",
    "teledermatology": "consensus",
}
LOCALIZATION = {  # ISIC general sites to HAM10000's localization words
    "anterior torso": "chest",
    "posterior torso": "back",
    "lateral torso": "trunk",
    "head/neck": "face",
    "upper extremity": "upper extremity",
    "lower extremity": "lower extremity",
    "palms/soles": "acral",
    "oral/genital": "genital",
}


def export_collection(config: CentralConfig, out: Path, *, labelled_only: bool = True) -> int:
    """Write the received cases in the HAM10000 layout under `out`; return how many."""
    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for case in store.all_cases(store.open_engine(config.url)):
        meta = case["metadata"]
        if labelled_only and meta.get("diagnosis") is None:
            continue
        image_id = store.case_name(case["id"])
        target = images / f"{image_id}.png"
        if not target.exists():
            source = store.image_path(config.images_dir, case["image_sha256"])
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
        rows.append(
            {
                "lesion_id": meta["lesion_id"],
                "image_id": image_id,
                "dx": meta.get("diagnosis") or "",
                "dx_type": DX_TYPES.get(meta.get("diagnosis_confirm_type") or "", ""),
                "age": "" if meta.get("age_approx") is None else f"{float(meta['age_approx']):.1f}",
                "sex": meta.get("sex") or "unknown",
                "localization": LOCALIZATION.get(meta.get("anatom_site_general") or "", "unknown"),
            }
        )
    with (out / "HAM10000_metadata.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HAM_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    log.info("Exported %d case(s) to %s", len(rows), out)
    return len(rows)


def publish_package(
    config: CentralConfig, package_dir: Path, metrics: dict[str, Any], reference: list[Path]
) -> Path:
    """Copy the package, add the `reference` pictures (public data, never clinic cases) with the
    probabilities it gives them, sign it and publish it as the latest model; return its folder."""
    if not reference:
        raise ValueError("a published model needs reference pictures for the clinics to check it with")
    package = load_package(package_dir)
    key = load_private_key(config.signing_key_path.read_bytes())
    folder_name = f"{package.name}-{package.version}"
    target = config.models_dir / folder_name
    if target.exists():
        raise ValueError(f"model {folder_name} is already published; give the candidate a new version")
    staging = config.models_dir / f".{folder_name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(package_dir, staging)
    (staging / "manifest.sig").unlink(missing_ok=True)
    add_reference(staging, reference)
    package = load_package(staging)
    sign_package(staging, key)
    staging.rename(target)
    store.publish_model(
        store.open_engine(config.url),
        package.name,
        package.version,
        folder_name,
        package.manifest_sha256,
        metrics,
    )
    log.info("Published %s (signed)", folder_name)
    return target
