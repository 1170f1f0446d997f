"""Ed25519 signatures of model packages: the central service signs, every clinic verifies.

What is signed is the exact bytes of ``manifest.json``; the manifest holds the sha256 of every other file
(`dermdesk.inference.package`), so a valid signature plus matching checksums means every byte of the
package is what the central service published. The signature lives beside the manifest as
``manifest.sig`` (base64 of the 64-byte signature).
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dermdesk.files import write_text_atomic
from dermdesk.i18n import _
from dermdesk.inference.package import MANIFEST, ModelPackage, ModelPackageError, load_package

SIGNATURE = "manifest.sig"


class SignatureError(ModelPackageError):
    """The package is unsigned, signed by another key, or its signature does not match."""


def new_key_pair() -> tuple[bytes, bytes]:
    """A fresh key pair as (private PEM, public PEM)."""
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private_pem, public_pem(private.public_key())


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError(_("the signing key is not an Ed25519 key"))
    return key


def load_public_key(text: str | bytes) -> Ed25519PublicKey:
    """A public key from PEM, or from the base64 of its 32 raw bytes (short enough for a setting)."""
    raw = text.encode() if isinstance(text, str) else text
    try:
        if b"BEGIN" in raw:
            key = serialization.load_pem_public_key(raw)
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(raw.strip(), validate=True))
    except (ValueError, binascii.Error) as exc:
        raise SignatureError(_("the trusted update key cannot be read ({exc})").format(exc=exc)) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SignatureError(_("the trusted update key is not an Ed25519 key"))
    return key


def sign_package(root: Path, private_key: Ed25519PrivateKey) -> Path:
    """Write ``manifest.sig`` for the package at `root` (its checksums are verified first)."""
    load_package(root)
    signature = private_key.sign((root / MANIFEST).read_bytes())
    path = root / SIGNATURE
    write_text_atomic(path, base64.b64encode(signature).decode("ascii") + "\n", encoding="ascii")
    return path


def verify_package(root: Path, public_key: Ed25519PublicKey) -> ModelPackage:
    """The package, verified: signature over the manifest by `public_key`, then every checksum."""
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        raise SignatureError(
            _("{name}: not a model package (no {MANIFEST})").format(name=root.name, MANIFEST=MANIFEST)
        )
    sig_path = root / SIGNATURE
    if not sig_path.is_file():
        raise SignatureError(
            _("{name}: the model package is not signed; it will not be used").format(name=root.name)
        )
    try:
        signature = base64.b64decode(sig_path.read_bytes().strip(), validate=True)
        public_key.verify(signature, manifest_path.read_bytes())
    except (InvalidSignature, binascii.Error, ValueError) as exc:
        raise SignatureError(
            _(
                "{name}: the signature does not match the trusted key — the package was altered "
                "or comes from elsewhere; it will not be used"
            ).format(name=root.name)
        ) from exc
    return load_package(root)
