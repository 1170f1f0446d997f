"""Signed model updates: published by the real central service on 127.0.0.1, downloaded, verified and
activated by a clinic, then used for a prediction; tampered, unsigned or foreign packages are refused and
the current model stays."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import cv2
import pytest
import requests

from dermdesk.central.config import CentralConfig
from dermdesk.central.publish import publish_package
from dermdesk.inference.classifier import LesionClassifier
from dermdesk.inference.package import default_package_dir, load_package, write_manifest
from dermdesk.inference.signing import load_private_key, new_key_pair, sign_package
from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings, load_settings
from dermdesk.sync.updates import UpdateError, install_update, installed_models, use_model
from dermdesk.sync.uploader import make_session
from sync.packages import AFTER_NEXT, HAM, NEXT, REFERENCE, SHIPPED_VERSION, shipped_as_int8, small_package
from sync.servers import LiveServer


@pytest.fixture
def signing(central_config: CentralConfig) -> bytes:
    private_pem, public_pem = new_key_pair()
    central_config.signing_key_path.parent.mkdir(parents=True)
    central_config.signing_key_path.write_bytes(private_pem)
    return public_pem


@pytest.fixture
def station(
    settings: DermDeskSettings, central: LiveServer, device_token: str, signing: bytes, monkeypatch
) -> DermDeskSettings:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DERMDESK_UPLOAD_URL", central.url)
    monkeypatch.setenv("DERMDESK_DEVICE_TOKEN", device_token)
    monkeypatch.setenv("DERMDESK_UPDATE_PUBLIC_KEY", signing.decode())
    return load_settings().settings


def update(settings: DermDeskSettings):  # type: ignore[no-untyped-def]
    loaded = load_settings()
    return install_update(
        loaded.settings, loaded.store, make_session(settings, backoff_factor=0.01, retries=1)
    )


def test_a_signed_update_is_installed_switched_to_and_classifies(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path
) -> None:
    assert update(station) is None  # nothing published yet
    publish_package(
        central_config, small_package(tmp_path / "candidate", NEXT), {"balanced_accuracy": 0.7}, REFERENCE
    )
    result = update(station)
    assert result is not None
    settings, package = result
    assert package.version == NEXT and settings.model_dir == station.models_dir / f"dermdesk-lesion-{NEXT}"
    assert load_settings().settings.model_dir == settings.model_dir  # saved: the station uses it from now on
    assert update(station) is None  # up to date
    rgb = cv2.cvtColor(cv2.imread(str(HAM / "images" / "ISIC_0024306.jpg")), cv2.COLOR_BGR2RGB)
    classification = LesionClassifier(load_package(settings.model_dir)).classify(rgb, tta=False)
    assert classification.assessment is not None
    assert abs(sum(classification.assessment.probabilities.values()) - 1) < 1e-3


def tamper_published(central_config: CentralConfig, name: str, change) -> None:  # type: ignore[no-untyped-def]
    (folder,) = [p for p in central_config.models_dir.iterdir() if not p.name.startswith(".")]
    change(folder / name)


def test_a_tampered_weights_file_is_refused_and_the_current_model_stays(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path
) -> None:
    publish_package(central_config, small_package(tmp_path / "candidate", NEXT), {}, REFERENCE)

    def flip(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))

    tamper_published(central_config, "model-int8.bin", flip)
    with pytest.raises(UpdateError, match=r"does not match its checksum.*current model stays"):
        update(station)
    assert load_settings().settings.model_dir is None  # still the shipped model
    assert list(station.models_dir.iterdir()) == []  # nothing half-installed


def test_a_manifest_changed_after_signing_is_refused(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path
) -> None:
    publish_package(central_config, small_package(tmp_path / "candidate", NEXT), {}, REFERENCE)

    def relabel(path: Path) -> None:  # consistent checksums, but not what the centre signed
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["referral"]["thresholds"]["mel"] = 0.99
        write_manifest(path.parent, manifest)

    tamper_published(central_config, "manifest.json", relabel)
    with pytest.raises(UpdateError, match="not signed by a key this station trusts"):
        update(station)
    assert load_settings().settings.model_dir is None


def test_unsigned_or_foreign_packages_are_refused(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    publish_package(central_config, small_package(tmp_path / "candidate", NEXT), {}, REFERENCE)
    monkeypatch.setenv("DERMDESK_UPDATE_PUBLIC_KEY", new_key_pair()[1].decode())
    with pytest.raises(UpdateError, match="not signed by a key this station trusts"):
        update(load_settings().settings)
    monkeypatch.setenv("DERMDESK_UPDATE_PUBLIC_KEY", station.update_public_key or "")
    tamper_published(central_config, "manifest.sig", Path.unlink)
    with pytest.raises(UpdateError, match="not signed"):
        update(station)
    assert load_settings().settings.model_dir is None


def test_a_station_that_does_not_trust_the_centres_key_installs_nothing(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    publish_package(central_config, small_package(tmp_path / "candidate", NEXT), {}, REFERENCE)
    monkeypatch.delenv("DERMDESK_UPDATE_PUBLIC_KEY")  # only the shipped project key is trusted now
    with pytest.raises(UpdateError, match="not signed by a key this station trusts"):
        update(load_settings().settings)
    assert load_settings().settings.model_dir is None


def test_an_older_signed_version_is_not_installed(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path
) -> None:
    """Forward only: a server offering a validly signed older release cannot take the clinic back."""
    publish_package(central_config, small_package(tmp_path / "new", AFTER_NEXT), {}, REFERENCE)
    assert update(station) is not None
    publish_package(central_config, small_package(tmp_path / "old", NEXT), {}, REFERENCE)
    with pytest.raises(
        UpdateError, match=re.escape(f"older than {AFTER_NEXT} in use; models only move forward")
    ):
        update(station)
    assert load_settings().settings.model_dir == station.models_dir / f"dermdesk-lesion-{AFTER_NEXT}"
    assert not (station.models_dir / f"dermdesk-lesion-{NEXT}").exists()


def test_only_files_the_signed_manifest_lists_are_installed(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path
) -> None:
    publish_package(central_config, small_package(tmp_path / "candidate", NEXT), {}, REFERENCE)
    tamper_published(central_config, "planted.py", lambda path: path.write_text("print('hello')\n"))
    _settings, package = update(station)
    installed = sorted(p.name for p in package.root.iterdir())
    assert "planted.py" not in installed
    assert set(installed) == {"manifest.json", "manifest.sig", *package.manifest.sha256}


def test_switching_back_to_an_earlier_model(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path
) -> None:
    publish_package(central_config, small_package(tmp_path / "a", NEXT), {}, REFERENCE)
    update(station)
    loaded = load_settings()
    assert [p.name for p in installed_models(loaded.settings)] == [f"dermdesk-lesion-{NEXT}"]
    use_model(loaded.settings, loaded.store, default_package_dir())
    assert load_settings().settings.model_dir == default_package_dir()


def test_downloads_need_a_device_token(station: DermDeskSettings, central: LiveServer) -> None:
    assert requests.get(central.url + "/v1/models/latest", timeout=5).status_code == 401


ADMIN_PASSWORD = "admin password 1"


def admin_and_staff(settings: DermDeskSettings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with Records.open(settings) as records:
        admin = records.users.create_first_admin("admin", "IT", ADMIN_PASSWORD)
        records.users.add(admin, "sam", "Sam", "staff", ADMIN_PASSWORD)


def as_user(monkeypatch, name: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DERMDESK_USER", name)
    monkeypatch.setenv("DERMDESK_PASSWORD", ADMIN_PASSWORD)


def test_models_commands_update_list_and_roll_back(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from dermdesk.cli import main

    publish_package(central_config, small_package(tmp_path / "a", NEXT), {}, REFERENCE)
    assert main(["models", "update"]) == 0
    assert f"Installed and in use: dermdesk-lesion {NEXT}" in capsys.readouterr().out
    assert main(["models", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith(f"  dermdesk-lesion {SHIPPED_VERSION}") and listing[1].startswith(
        f"* dermdesk-lesion {NEXT}"
    )
    admin_and_staff(station, monkeypatch)
    as_user(monkeypatch, "sam")
    assert main(["models", "rollback"]) == 1  # staff may not; the attempt is audited
    assert "may not switch or roll back the model" in capsys.readouterr().err
    as_user(monkeypatch, "admin")
    assert main(["models", "rollback"]) == 0
    assert load_settings().settings.model_dir is None
    assert main(["models", "rollback"]) == 1
    assert "no earlier model" in capsys.readouterr().err
    with Records.open(load_settings().settings) as records:
        admin = records.users.login("admin", ADMIN_PASSWORD)
        actions = [(e.action, e.username) for e in records.audit.list(admin)]
    assert ("refused", "sam") in actions and ("model rollback", "admin") in actions


def test_a_signed_package_that_does_not_behave_as_published_is_refused(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path
) -> None:
    publish_package(central_config, small_package(tmp_path / "candidate", NEXT), {}, REFERENCE)

    def shift_reference(path: Path) -> None:  # signed by the centre, but its recorded values are off
        manifest = json.loads(path.read_text(encoding="utf-8"))
        name = next(iter(manifest["reference"]["pictures"]))
        manifest["reference"]["pictures"][name]["fp32"][0] += 0.05
        write_manifest(path.parent, manifest)
        sign_package(path.parent, load_private_key(central_config.signing_key_path.read_bytes()))

    tamper_published(central_config, "manifest.json", shift_reference)
    from dermdesk.central import store

    engine = store.open_engine(central_config.url)
    with engine.begin() as conn:  # the centre announces the re-signed manifest
        conn.execute(
            store.published.update().values(
                manifest_sha256=hashlib.sha256(
                    (central_config.models_dir / f"dermdesk-lesion-{NEXT}" / "manifest.json").read_bytes()
                ).hexdigest()
            )
        )
    with pytest.raises(UpdateError, match=r"differs by 0\.05"):
        update(station)
    assert load_settings().settings.model_dir is None


@pytest.mark.slow  # a subprocess per instruction set: `make test`, not the quick lane
@pytest.mark.parametrize("cap", ["SSE41", "AVX", "AVX2", None])
def test_the_reference_check_passes_on_every_emulated_instruction_set(
    central_config: CentralConfig, signing: bytes, tmp_path: Path, cap: str | None
) -> None:
    """A station on an older or newer CPU reproduces the published FP32 outputs; INT8 stays within the
    package's tolerance of them, so that CPU runs INT8 too. (A tampered manifest: the test above.)"""
    import os
    import subprocess
    import sys

    candidate = small_package(tmp_path / "candidate", NEXT, shipped_as_int8)
    published = publish_package(central_config, candidate, {}, REFERENCE)
    reference = load_package(published).manifest.reference
    assert reference is not None and reference.int8_tolerance is not None
    assert all(p.fp32 is not None and p.int8 is not None for p in reference.pictures.values())
    code = (
        "import sys\n"
        "from dermdesk.inference.package import load_package\n"
        "from dermdesk.inference.precision import last_choice, open_station_classifier\n"
        "from dermdesk.inference.reference import check_reference\n"
        "package = load_package(sys.argv[1])\n"
        "check_reference(package)\n"
        "open_station_classifier(package)\n"
        "print(last_choice().precision)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA")}
    if cap is not None:
        env["ONEDNN_MAX_CPU_ISA"] = cap
    done = subprocess.run(
        [sys.executable, "-c", code, str(published)], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "int8"
