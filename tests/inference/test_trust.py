"""The model's signature is verified at every load: an edited package with recomputed checksums, an
unsigned one, one signed by an unknown or revoked key, or one with an unknown manifest field is refused;
the shipped package carries the project's signature."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dermdesk.cli import main
from dermdesk.inference.package import ModelPackageError, default_package_dir, load_package, write_manifest
from dermdesk.inference.signing import SignatureError, load_private_key, new_key_pair, sign_package
from dermdesk.inference.trust import active_package, fingerprint, trusted_keys, verify_trusted

REPO = Path(__file__).resolve().parents[2]


def edit_like_an_attacker(root: Path) -> None:
    """Raise the melanoma referral threshold and change the weights, then recompute every checksum."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    manifest["referral"]["thresholds"]["mel"] = 0.99
    weights = root / manifest["files"]["model_weights"]
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01
    weights.write_bytes(bytes(data))
    write_manifest(root, manifest)
    load_package(root)  # the checksums alone are satisfied: that was the hole


def test_the_shipped_package_is_signed_by_the_shipped_project_key() -> None:
    package = active_package(None)
    assert package.name == "dermdesk-lesion"
    assert any(key.source.endswith(".pub.pem") for key in trusted_keys())


def test_an_edited_package_with_recomputed_checksums_is_refused(package_copy: Path) -> None:
    edit_like_an_attacker(package_copy)
    with pytest.raises(SignatureError, match="not signed by a key this station trusts"):
        active_package(package_copy)


def test_the_cli_exits_non_zero_naming_the_reason(package_copy: Path, tmp_path: Path) -> None:
    """Named with --model or DERMDESK_MODEL_DIR, a package that fails verification stops the command."""
    edit_like_an_attacker(package_copy)
    picture = REPO.parent / "shared" / "data" / "ham10000" / "images" / "ISIC_0024306.jpg"
    cmd = [sys.executable, "-m", "dermdesk", "classify", "--no-tta", str(picture)]
    by_option = subprocess.run([*cmd, "--model", str(package_copy)], capture_output=True, text=True)
    assert by_option.returncode == 1 and by_option.stdout == ""
    assert "not signed by a key this station trusts" in by_option.stderr
    env = {"DERMDESK_MODEL_DIR": str(package_copy), "DERMDESK_DATA_DIR": str(tmp_path / "data")}
    by_env = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env})
    assert by_env.returncode == 1 and "not signed by a key this station trusts" in by_env.stderr


def test_an_unsigned_package_is_refused(package_copy: Path) -> None:
    (package_copy / "manifest.sig").unlink()
    with pytest.raises(SignatureError, match="not signed; it will not be used"):
        active_package(package_copy)


def test_a_package_signed_by_an_unknown_key_is_refused_until_that_key_is_trusted(package_copy: Path) -> None:
    private_pem, public_pem = new_key_pair()
    sign_package(package_copy, load_private_key(private_pem))
    with pytest.raises(SignatureError, match="not signed by a key this station trusts"):
        active_package(package_copy)
    assert active_package(package_copy, public_pem.decode()).name == "dermdesk-lesion"


def test_a_revoked_key_is_not_trusted(package_copy: Path, tmp_path: Path) -> None:
    private_pem, public_pem = new_key_pair()
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    (keys_dir / "old.pub.pem").write_bytes(public_pem)
    sign_package(package_copy, load_private_key(private_pem))
    keys = trusted_keys(keys_dir=keys_dir)
    assert verify_trusted(package_copy, keys).name == "dermdesk-lesion"
    (keys_dir / "revoked.txt").write_text(f"# rotated 2026\n{keys[0].fingerprint}\n")
    with pytest.raises(SignatureError, match="No trusted key"):
        trusted_keys(keys_dir=keys_dir)
    assert fingerprint(keys[0].key) == keys[0].fingerprint


def test_an_unknown_manifest_field_is_refused_within_the_same_format(package_copy: Path) -> None:
    manifest = json.loads((package_copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["auto_refer_off"] = True
    with pytest.raises(ModelPackageError, match="does not know for format 1: auto_refer_off"):
        write_manifest(package_copy, manifest)
    manifest.pop("auto_refer_off")
    manifest["referral"]["skip_melanoma"] = True
    with pytest.raises(ModelPackageError, match="skip_melanoma"):
        write_manifest(package_copy, manifest)
    manifest["referral"].pop("skip_melanoma")
    manifest["format_version"] = 2
    manifest["auto_refer_off"] = True
    (package_copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelPackageError, match="package format 2 is not supported"):
        load_package(package_copy)


def test_models_list_shows_the_verified_shipped_package(capsys: pytest.CaptureFixture[str]) -> None:
    shipped = load_package(default_package_dir()).manifest.version
    assert main(["models", "list"]) == 0
    assert capsys.readouterr().out.startswith(f"* dermdesk-lesion {shipped}")
