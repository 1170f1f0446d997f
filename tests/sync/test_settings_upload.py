"""Settings v5: the central service's connection, with a v4 -> v5 migration."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from dermdesk.settings import DermDeskSettings, load_settings, migrate


def test_a_v4_file_gains_the_upload_settings_switched_off(station_dirs) -> None:  # type: ignore[no-untyped-def]
    station_dirs.config_dir.mkdir(parents=True)
    station_dirs.settings_file.write_text(json.dumps({"schema_version": 4, "paper_size": "Letter"}))
    settings = load_settings().settings
    assert (
        settings.schema_version == 5 and settings.upload_url is None and settings.upload_unlabelled is False
    )
    assert settings.clinic_secret_path == settings.data_dir / "sync" / "clinic-secret"
    assert migrate({"schema_version": 4})["upload_unlabelled"] is False


def test_environment_connects_a_station(station_dirs, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DERMDESK_UPLOAD_URL", "https://central.example.org/")
    monkeypatch.setenv("DERMDESK_DEVICE_TOKEN", "abc")
    settings = load_settings().settings
    assert settings.upload_url == "https://central.example.org" and settings.device_token == "abc"


def test_an_upload_url_must_be_http(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="https://"):
        DermDeskSettings(data_dir=tmp_path, upload_url="ftp://central")
