"""A new model from the central service, offered to an administrator before it is used.

Why offered and not installed: the window checks at start and daily, but switching the model that ranks
diagnoses is an administrator's decision, made on what changed. So a check downloads the latest model
and verifies it (signature by a trusted key, every checksum, the reference pictures) into its folder
beside the current one, and stops there: the offer carries the version and the figures of its signed
card next to the current model's. Installing is the audited switch (`updates.use_model`, verified
again); declining removes the download and remembers the version, so it is not offered again (a newer
one is). A package that fails verification is never offered: the check says why and nothing changes.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from dermdesk.files import write_text_atomic
from dermdesk.i18n import N_, _
from dermdesk.inference.package import ModelPackage, ModelPackageError
from dermdesk.inference.trust import active_package
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.updates import (
    UpdateCheckError,
    UpdateError,
    active_version,
    fetch_verified,
    latest_offer,
    version_key,
)

log = logging.getLogger(__name__)

DECLINED_NAME = "declined.json"
FIGURES = (  # the card's headline figures, on the held-out test split (validation when absent)
    ("balanced_accuracy", N_("Balanced accuracy")),
    ("accuracy", N_("Accuracy")),
    ("macro_auc", N_("Mean AUC")),
    ("melanoma_sensitivity_at_80_specificity", N_("Melanoma sensitivity (specificity 80%)")),
    ("ece", N_("Calibration error (lower is better)")),
)


@dataclass(frozen=True)
class Figure:
    """One line of the comparison: what it measures, the current model's value and the offered one's."""

    key: str
    label: str
    current: float | None
    offered: float | None


@dataclass(frozen=True)
class UpdateOffer:
    """A verified model waiting for an administrator."""

    name: str
    version: str
    folder: Path
    current_name: str
    current_version: str
    figures: tuple[Figure, ...]
    n_images: int | None  # how many test pictures the offered figures come from


def card_figures(package: ModelPackage | None) -> tuple[dict[str, float], int | None]:
    """The headline figures of a package's signed card (test split, else validation)."""
    if package is None:
        return {}, None
    metrics = package.manifest.extra("metrics") or {}
    split = metrics.get("test") or metrics.get("validation") or {}
    if not isinstance(split, dict):
        return {}, None
    values = {key: float(split[key]) for key, _label in FIGURES if isinstance(split.get(key), int | float)}
    count = split.get("n_images")
    return values, int(count) if isinstance(count, int) else None


def check_for_update(settings: DermDeskSettings, session: requests.Session) -> UpdateOffer | None:
    """The centre's latest model, verified and ready to install, if it is newer than the one in use and
    not declined; None otherwise. UpdateError when it cannot be reached or the model is refused."""
    offer = latest_offer(settings, session)
    if offer is None or version_key(offer.version) <= version_key(active_version(settings)):
        return None
    if offer.version in declined(settings):
        return None
    package = fetch_verified(settings, session, offer)
    try:
        current: ModelPackage | None = active_package(settings.model_dir, settings.update_public_key)
    except ModelPackageError:
        current = None
    now_values, _count = card_figures(current)
    new_values, count = card_figures(package)
    figures = tuple(Figure(key, label, now_values.get(key), new_values.get(key)) for key, label in FIGURES)
    log.info("Model update %s %s verified and waiting for an administrator", package.name, package.version)
    return UpdateOffer(
        package.name,
        package.version,
        package.root,
        current.name if current else "",
        current.version if current else active_version(settings),
        figures,
        count,
    )


def declined(settings: DermDeskSettings) -> set[str]:
    path = settings.models_dir / DECLINED_NAME
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError):
        log.warning("The declined-models list is unreadable; no version is treated as declined")
        return set()
    return {str(v) for v in data} if isinstance(data, list) else set()


def decline(settings: DermDeskSettings, offer: UpdateOffer) -> None:
    """Not this version: forget the download and do not offer it again."""
    versions = sorted(declined(settings) | {offer.version}, key=version_key)
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(settings.models_dir / DECLINED_NAME, json.dumps(versions))
    if offer.folder.parent == settings.models_dir and offer.folder != settings.model_dir:
        shutil.rmtree(offer.folder, ignore_errors=True)
    log.info("Model update %s %s declined", offer.name, offer.version)


def describe_refusal(error: UpdateError) -> str:
    """The line the window shows when a check failed: could not ask, or found a model it will not use."""
    if isinstance(error, UpdateCheckError):
        return _("Could not check for a model update: {error}").format(error=error)
    return _("A model update was refused and nothing was installed: {error}").format(error=error)
