"""Which model package the station may use: signed by a key it trusts, checked at every load.

Why every load and not only at download: checksums in the manifest prove nothing against someone who
edits the package, because they can recompute them. Only a signature by a key whose private half never
leaves the publisher ties the weights and decision thresholds to a release. So every path that opens a
package for advice (the window at start-up and on every switch, `classify`, `images add`, reports, the
self-test) goes through `active_package`, which verifies the signature over ``manifest.json`` and then
every file's checksum.

Trusted keys: every ``*.pub.pem`` in ``resources/keys/`` (shipped with the app: the project key that
signs the shipped model, and the central service's key where a clinic group ships one), plus the key in
the `update_public_key` setting (a clinic's own central service; tests use throw-away keys there).
Rotation: ship the new public key beside the old one, sign new releases with the new key, and remove the
old public key once no installed package needs it; a key listed in ``resources/keys/revoked.txt``
(one SHA-256 fingerprint of the raw public key per line) is never trusted, even when configured.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dermdesk.i18n import _
from dermdesk.inference.package import ModelPackage, default_package_dir
from dermdesk.inference.signing import SignatureError, load_public_key, verify_package
from dermdesk.resources import resource_path

log = logging.getLogger(__name__)

KEYS_DIR = ("keys",)
REVOKED = "revoked.txt"


@dataclass(frozen=True)
class TrustedKey:
    """A public key the station accepts model signatures from, and where it came from."""

    key: Ed25519PublicKey
    source: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the 32 raw public-key bytes, hex: how keys are named in logs and the revocation list."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def trusted_keys(configured: str | None = None, keys_dir: Path | None = None) -> list[TrustedKey]:
    """The shipped keys plus the configured one, less revoked ones; SignatureError when none is left."""
    folder = keys_dir or resource_path(*KEYS_DIR)
    keys: list[TrustedKey] = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.pub.pem")):
            keys.append(TrustedKey(load_public_key(path.read_bytes()), path.name))
    if configured:
        keys.append(TrustedKey(load_public_key(configured), "the update_public_key setting"))
    revoked = _revoked(folder)
    kept = [k for k in keys if k.fingerprint not in revoked]
    if not kept:
        raise SignatureError(
            _(
                "No trusted key for model packages: the app's resources/keys folder is empty and "
                "no DERMDESK_UPDATE_PUBLIC_KEY is set; no model can be used."
            )
        )
    return kept


def _revoked(folder: Path) -> set[str]:
    path = folder / REVOKED
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="ascii").splitlines()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def verify_trusted(root: Path, keys: list[TrustedKey]) -> ModelPackage:
    """The package at `root` if a trusted key signed its manifest and every file matches; else the
    reason (SignatureError for a missing or foreign signature, ModelPackageError for a damaged file)."""
    last: SignatureError | None = None
    for trusted in keys:
        try:
            package = verify_package(root, trusted.key)
        except SignatureError as exc:
            last = exc
            if "not signed" in str(exc) or "not a model package" in str(exc):
                raise
            continue
        log.info("Model %s %s: signature by %s verified", package.name, package.version, trusted.source)
        return package
    raise SignatureError(
        _(
            "{name}: the package is not signed by a key this station trusts — it was altered "
            "or comes from elsewhere; it will not be used"
        ).format(name=root.name)
    ) from last


def active_folder(model_dir: Path | None) -> Path:
    """The folder the station uses: the configured one, else the newest shipped package."""
    return model_dir if model_dir is not None else default_package_dir()


def active_package(model_dir: Path | None, configured_key: str | None = None) -> ModelPackage:
    """The one package every classifying path uses, verified now (signature, then checksums)."""
    return verify_trusted(active_folder(model_dir), trusted_keys(configured_key))
