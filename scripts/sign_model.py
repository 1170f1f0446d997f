"""Sign a model package for release: ``python scripts/sign_model.py --key KEY.pem [PACKAGE]``.

`make model` writes an unsigned package (any old ``manifest.sig`` goes with the old folder), which no
station will use. The person releasing a model signs it here with the project's Ed25519 private key and
commits the resulting ``manifest.sig`` with the package. The private key is never in git or CI: it lives
offline with the release manager (see docs/security.md, "Keys"); `--new-key` creates a pair, writing the
private half 0600 where you say and the public half into ``resources/keys/`` for the app to trust.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dermdesk.inference.package import ModelPackageError, default_package_dir
from dermdesk.inference.signing import SignatureError, load_private_key, new_key_pair, sign_package
from dermdesk.inference.trust import fingerprint, trusted_keys, verify_trusted
from dermdesk.resources import resource_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", type=Path, help="package folder (default: the newest shipped)")
    parser.add_argument("--key", type=Path, required=True, help="the Ed25519 private key (PEM), kept offline")
    parser.add_argument("--new-key", metavar="NAME", help="first create a key pair named NAME at --key")
    args = parser.parse_args(argv)
    if args.new_key:
        private_pem, public_pem = new_key_pair()
        fd = os.open(args.key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(private_pem)
        (resource_path("keys") / f"{args.new_key}.pub.pem").write_bytes(public_pem)
    package = args.package or default_package_dir()
    try:
        private_key = load_private_key(args.key.read_bytes())
        sign_package(package, private_key)
        verified = verify_trusted(package, trusted_keys())  # the app's own view: is the key shipped?
    except (OSError, ModelPackageError, SignatureError, ValueError) as exc:
        print(f"sign_model: error: {exc}", file=sys.stderr)
        return 1
    print(
        f"Signed {verified.name} {verified.version} with key {fingerprint(private_key.public_key())[:16]}; "
        f"commit {package / 'manifest.sig'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
