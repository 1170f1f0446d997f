"""A model update offered to an administrator: downloaded and verified from the real central service on
127.0.0.1 but not used until installed; the card's figures beside the current model's; declined
versions not offered again; tampered or unsigned packages never offered and nothing installed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dermdesk.central.config import CentralConfig
from dermdesk.central.publish import publish_package
from dermdesk.inference.signing import new_key_pair
from dermdesk.settings import DermDeskSettings, load_settings
from dermdesk.sync.update_offer import check_for_update, decline
from dermdesk.sync.updates import UpdateError, use_model
from dermdesk.sync.uploader import make_session
from sync.packages import AFTER_NEXT, NEXT, REFERENCE, small_package
from sync.servers import LiveServer


@pytest.fixture
def signing(central_config: CentralConfig) -> bytes:
    private_pem, public_pem = new_key_pair()
    central_config.signing_key_path.parent.mkdir(parents=True)
    central_config.signing_key_path.write_bytes(private_pem)
    return public_pem


@pytest.fixture
def station(settings, central: LiveServer, device_token: str, signing: bytes, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DERMDESK_UPLOAD_URL", central.url)
    monkeypatch.setenv("DERMDESK_DEVICE_TOKEN", device_token)
    monkeypatch.setenv("DERMDESK_UPDATE_PUBLIC_KEY", signing.decode())
    return load_settings().settings


def better(manifest: dict[str, Any]) -> None:
    manifest["metrics"]["test"]["balanced_accuracy"] = 0.7412


def check(settings: DermDeskSettings):  # type: ignore[no-untyped-def]
    return check_for_update(settings, make_session(settings, backoff_factor=0.01, retries=1))


def test_an_offer_is_verified_shown_with_figures_and_used_only_once_installed(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path
) -> None:
    assert check(station) is None  # nothing published
    publish_package(central_config, small_package(tmp_path / "c", NEXT, better), {}, REFERENCE)
    offer = check(station)
    assert offer is not None and offer.version == NEXT and offer.folder.is_dir()
    figures = {f.key: f for f in offer.figures}
    assert figures["balanced_accuracy"].offered == pytest.approx(0.7412)
    assert figures["balanced_accuracy"].current is not None
    assert figures["balanced_accuracy"].current != pytest.approx(0.7412)
    assert load_settings().settings.model_dir is None  # offered, not in use
    loaded = load_settings()
    updated = use_model(loaded.settings, loaded.store, offer.folder)
    assert load_settings().settings.model_dir == updated.model_dir == offer.folder
    assert check(load_settings().settings) is None  # up to date now


def test_a_declined_version_is_not_offered_again_but_a_newer_one_is(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path
) -> None:
    publish_package(central_config, small_package(tmp_path / "a", NEXT), {}, REFERENCE)
    offer = check(station)
    assert offer is not None
    decline(station, offer)
    assert not offer.folder.exists() and check(station) is None
    publish_package(central_config, small_package(tmp_path / "b", AFTER_NEXT), {}, REFERENCE)
    newer = check(station)
    assert newer is not None and newer.version == AFTER_NEXT


def test_a_tampered_or_unsigned_model_is_never_offered(
    station: DermDeskSettings, central_config: CentralConfig, tmp_path: Path
) -> None:
    publish_package(central_config, small_package(tmp_path / "a", NEXT), {}, REFERENCE)
    (folder,) = [p for p in central_config.models_dir.iterdir() if not p.name.startswith(".")]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["referral"]["thresholds"]["mel"] = 0.99  # edited after signing
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UpdateError):
        check(station)
    assert [p for p in station.models_dir.iterdir() if p.is_dir()] == []  # nothing kept
    (folder / "manifest.sig").unlink()
    with pytest.raises(UpdateError, match="not signed"):
        check(station)
    assert load_settings().settings.model_dir is None


def test_a_centre_that_cannot_be_asked_is_not_called_a_refusal(settings: DermDeskSettings) -> None:
    from dermdesk.sync.update_offer import describe_refusal
    from dermdesk.sync.updates import UpdateCheckError
    from sync.servers import free_port

    away = settings.with_overrides(upload_url=f"http://127.0.0.1:{free_port()}", device_token="t")
    with pytest.raises(UpdateCheckError) as caught:
        check(away)
    line = describe_refusal(caught.value)
    assert line.startswith("Could not check for a model update") and "nothing answers" in line
    assert load_settings().settings.model_dir is None
