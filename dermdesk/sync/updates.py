"""Model updates from the central service: check, download, verify, install beside the current model,
switch atomically; the previous model stays for rollback.

Why verify before anything is used: a clinic must never run a model it cannot verify. A download goes
into a hidden folder under `<data_dir>/models/`; only after the Ed25519 signature over its manifest
(against the keys this station trusts, `dermdesk.inference.trust`) and every file's sha256 check out is
it renamed into place, and only then does `model_dir` in the settings (written atomically) point at it.
Any failure removes the hidden folder and leaves the settings, hence the running model, as they were.

Forward only: an update must carry a higher version than the model in use (a server offering an older,
validly signed release cannot take a clinic back to it), and only the files its signed manifest lists
are fetched (anything else in the server's folder is ignored). Going back is an administrator's explicit,
audited act (`dermdesk models rollback` / `models use`), never an update's.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from dermdesk.files import write_text_atomic
from dermdesk.i18n import gettext
from dermdesk.inference.package import ModelPackage, ModelPackageError, default_package_dir, load_package
from dermdesk.inference.reference import check_reference
from dermdesk.inference.signing import SIGNATURE, SignatureError
from dermdesk.inference.trust import TrustedKey, trusted_keys, verify_trusted
from dermdesk.settings import DermDeskSettings, SettingsStore
from dermdesk.sync.uploader import network_reason

log = logging.getLogger(__name__)

LATEST_PATH = "/v1/models/latest"
MANIFEST_NAME = "manifest.json"
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")
MAX_FILE_BYTES = 512 * 1024 * 1024


class UpdateError(RuntimeError):
    """No update could be installed; the message says why, and the current model keeps running."""


class UpdateCheckError(UpdateError):
    """The central service could not be asked (away, token refused); nothing was refused or installed."""


@dataclass(frozen=True)
class ModelOffer:
    """What the central service publishes as its latest model."""

    name: str
    version: str
    manifest_sha256: str
    files: dict[str, int]  # file name -> size in bytes

    @property
    def folder_name(self) -> str:
        return f"{self.name}-{self.version}"


def station_keys(settings: DermDeskSettings) -> list[TrustedKey]:
    """The keys this station trusts (shipped plus configured); UpdateError when there is none."""
    try:
        return trusted_keys(settings.update_public_key)
    except SignatureError as exc:
        raise UpdateError(str(exc)) from exc


def version_key(version: str) -> tuple[int, ...]:
    """``1.0.10`` -> (1, 0, 10): versions compare by number; anything else is refused."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError as exc:
        raise UpdateError(
            gettext("The model version {version!r} is not a number like 1.0.2.").format(version=version)
        ) from exc


def active_version(settings: DermDeskSettings) -> str:
    """The version of the model in use (the shipped one when none is configured)."""
    folder = settings.model_dir or default_package_dir()
    try:
        return load_package(folder).version
    except ModelPackageError:
        return "0"


def latest_offer(settings: DermDeskSettings, session: requests.Session) -> ModelOffer | None:
    """The central service's latest model, or None when it has published none."""
    if not settings.upload_url:
        raise UpdateError(gettext("No central service is configured (DERMDESK_UPLOAD_URL)."))
    try:
        response = session.get(settings.upload_url + LATEST_PATH, timeout=(5, 30))
    except requests.RequestException as exc:
        raise UpdateCheckError(
            gettext("The central service cannot be reached ({reason}).").format(
                reason=gettext(network_reason(exc))
            )
        ) from exc
    if response.status_code == 404:
        return None
    if response.status_code in (401, 403):
        raise UpdateCheckError(
            gettext("The central service refused this station's device token; ask clinic IT for one.")
        )
    if response.status_code != 200:
        raise UpdateCheckError(
            gettext("The central service answered HTTP {status} when asked for models.").format(
                status=response.status_code
            )
        )
    data: dict[str, Any] = response.json()
    offer = ModelOffer(
        str(data["name"]), str(data["version"]), str(data["manifest_sha256"]), dict(data["files"])
    )
    for name in [offer.name, offer.version, *offer.files]:
        if not SAFE_NAME.match(name):
            raise UpdateError(
                gettext("The central service offered a model with an unsafe name {name!r}.").format(name=name)
            )
    return offer


def current_package(settings: DermDeskSettings) -> ModelPackage | None:
    if settings.model_dir is None:
        return None
    try:
        return load_package(settings.model_dir)
    except ModelPackageError:
        return None


def install_update(
    settings: DermDeskSettings, store: SettingsStore, session: requests.Session
) -> tuple[DermDeskSettings, ModelPackage] | None:
    """Fetch, verify and activate the latest model if it is not the one in use; None when up to date."""
    public_key = station_keys(settings)
    offer = latest_offer(settings, session)
    if offer is None:
        return None
    current = current_package(settings)
    if current is not None and current.manifest_sha256 == offer.manifest_sha256:
        return None
    in_use = active_version(settings)
    if version_key(offer.version) <= version_key(in_use):
        if version_key(offer.version) == version_key(in_use):
            return None
        raise UpdateError(
            gettext(
                "The central service offers version {version}, older than {in_use} in use; "
                "models only move forward. An administrator can roll back explicitly (dermdesk "
                "models rollback)."
            ).format(version=offer.version, in_use=in_use)
        )
    models = settings.models_dir
    target = models / offer.folder_name
    if target.exists():
        package = _verified(target, public_key)
    else:
        package = _download_verified(settings, session, offer, public_key, target)
    updated = _switch(settings, store, target)
    log.info("Model %s %s installed and in use", package.name, package.version)
    return updated, package


def fetch_verified(settings: DermDeskSettings, session: requests.Session, offer: ModelOffer) -> ModelPackage:
    """The offered package, downloaded (unless already here) and verified, in its folder under
    `models_dir`; not switched to. UpdateError with the reason when it cannot be trusted."""
    target = settings.models_dir / offer.folder_name
    if target.exists():
        return _verified(target, station_keys(settings))
    return _download_verified(settings, session, offer, station_keys(settings), target)


def _download_verified(
    settings: DermDeskSettings, session: requests.Session, offer: ModelOffer, public_key: Any, target: Path
) -> ModelPackage:
    incoming = settings.models_dir / f".incoming-{offer.folder_name}-{secrets.token_hex(4)}"
    incoming.mkdir(parents=True)
    try:
        base = f"{settings.upload_url}/v1/models/{offer.name}/{offer.version}/"
        for name in (MANIFEST_NAME, SIGNATURE):  # first what is signed, then only what it lists
            if name not in offer.files:
                what = "is not signed (no manifest.sig)" if name == SIGNATURE else f"lacks {name}"
                raise UpdateError(
                    gettext("The central service's model {what}; it will not be used.").format(what=what)
                )
            _fetch(session, base, incoming, name, offer.files[name])
        listed = sorted(_listed_files(incoming))
        for name in listed:
            if name not in offer.files:
                raise UpdateError(
                    gettext("The central service's model lacks the file {name} its manifest lists.").format(
                        name=name
                    )
                )
            _fetch(session, base, incoming, name, offer.files[name])
        ignored = sorted(set(offer.files) - set(listed) - {MANIFEST_NAME, SIGNATURE})
        if ignored:
            log.warning(
                "Model update: %d file(s) not in the signed manifest were not installed", len(ignored)
            )
        package = _verified(incoming, public_key)
        if package.manifest_sha256 != offer.manifest_sha256:
            raise UpdateError(
                gettext("The downloaded manifest is not the one the central service announced.")
            )
        if version_key(package.version) != version_key(offer.version) or package.name != offer.name:
            raise UpdateError(
                gettext("The signed manifest names another model or version than the one announced.")
            )
        try:
            check_reference(package)
        except ModelPackageError as exc:
            raise UpdateError(
                gettext("The model update was refused: {exc}. The current model stays in use.").format(
                    exc=exc
                )
            ) from exc
        incoming.rename(target)  # atomic on one file system: the folder appears whole or not at all
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    return load_package(target)


def _listed_files(folder: Path) -> set[str]:
    """The files the downloaded (not yet verified) manifest lists; each must be a plain, safe name."""
    try:
        data = json.loads((folder / MANIFEST_NAME).read_bytes())
        names = set(data["sha256"])
    except (ValueError, KeyError, TypeError) as exc:
        raise UpdateError(gettext("The central service's model manifest is damaged.")) from exc
    for name in names:
        if not isinstance(name, str) or not SAFE_NAME.match(name) or name in (MANIFEST_NAME, SIGNATURE):
            raise UpdateError(
                gettext("The model manifest lists an unsafe file name {name!r}.").format(name=name)
            )
    return names


def _fetch(session: requests.Session, base: str, folder: Path, name: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise UpdateError(
            gettext("The model file {name} is too large ({size} bytes).").format(name=name, size=size)
        )
    _download(session, base + name, folder / name, size)


def _verified(folder: Path, public_key: list[TrustedKey]) -> ModelPackage:
    try:
        return verify_trusted(folder, public_key)
    except SignatureError as exc:
        raise UpdateError(
            gettext("The model update was refused: {exc}. The current model stays in use.").format(exc=exc)
        ) from exc
    except ModelPackageError as exc:
        raise UpdateError(
            gettext("The model update was refused: {exc}. The current model stays in use.").format(exc=exc)
        ) from exc


def _download(session: requests.Session, url: str, path: Path, size: int) -> None:
    try:
        with session.get(url, stream=True, timeout=(5, 60)) as response:
            if response.status_code != 200:
                raise UpdateError(
                    gettext("Downloading {name} failed: HTTP {status_code}.").format(
                        name=path.name, status_code=response.status_code
                    )
                )
            written = 0
            with path.open("wb") as handle:
                for block in response.iter_content(1 << 20):
                    written += len(block)
                    if written > size:
                        raise UpdateError(
                            gettext("The model file {name} is larger than announced.").format(name=path.name)
                        )
                    handle.write(block)
    except requests.RequestException as exc:
        raise UpdateError(
            gettext("Downloading {name} failed ({reason}).").format(
                name=path.name, reason=str(exc).splitlines()[0][:160]
            )
        ) from exc
    if written != size:
        raise UpdateError(
            gettext("The model file {name} arrived incomplete ({written} of {size} bytes).").format(
                name=path.name, written=written, size=size
            )
        )


def installed_models(settings: DermDeskSettings) -> list[Path]:
    """Installed update folders, oldest name first (hidden incoming folders excluded)."""
    if not settings.models_dir.is_dir():
        return []
    return sorted(p for p in settings.models_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def use_model(settings: DermDeskSettings, store: SettingsStore, folder: Path) -> DermDeskSettings:
    """Switch to an installed (or the shipped) package after verifying its signature and files again.
    The caller has checked that an administrator asked for it and audits the switch."""
    try:
        verify_trusted(folder, station_keys(settings))
    except ModelPackageError as exc:
        raise UpdateError(gettext("{exc}; the current model stays in use.").format(exc=exc)) from exc
    return _switch(settings, store, folder)


def rollback(settings: DermDeskSettings, store: SettingsStore) -> DermDeskSettings:
    """Go back to the model used before the last switch (the shipped one when that was in use); the
    caller has checked that an administrator asked for it and audits it."""
    history = _history(settings)
    if not history:
        raise UpdateError(gettext("There is no earlier model to go back to."))
    previous = history.pop()
    folder = Path(previous) if previous else default_package_dir()
    try:
        verify_trusted(folder, station_keys(settings))
    except ModelPackageError as exc:
        raise UpdateError(gettext("{exc}; the current model stays in use.").format(exc=exc)) from exc
    updated = settings.model_copy(update={"model_dir": Path(previous) if previous else None})
    store.save(updated)
    _write_history(settings, history)
    return updated


def _switch(settings: DermDeskSettings, store: SettingsStore, folder: Path) -> DermDeskSettings:
    history = _history(settings)
    history.append(str(settings.model_dir) if settings.model_dir else None)
    updated = settings.model_copy(update={"model_dir": folder})
    store.save(updated)
    _write_history(settings, history[-20:])
    return updated


def _history_path(settings: DermDeskSettings) -> Path:
    return settings.models_dir / "history.json"


def _history(settings: DermDeskSettings) -> list[str | None]:
    path = _history_path(settings)
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("The model history %s is unreadable; starting a new one", path)
        return []
    return [item if isinstance(item, str) else None for item in data] if isinstance(data, list) else []


def _write_history(settings: DermDeskSettings, history: list[str | None]) -> None:
    path = _history_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(history))
