"""Settings: precedence, a corrupt file, a newer file, migrations, atomic saves."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dermdesk.settings import (
    MIGRATIONS,
    SCHEMA_VERSION,
    CameraSource,
    DermDeskSettings,
    PaperSize,
    load_settings,
    migrate,
)


def write_settings(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_defaults_come_from_the_class_and_the_test_folders(station_dirs) -> None:
    loaded = load_settings()
    assert loaded.notices == []
    assert loaded.settings.data_dir == station_dirs.data_dir  # DERMDESK_DATA_DIR set by conftest
    assert loaded.settings.camera_source is CameraSource.VIRTUAL
    assert loaded.settings.schema_version == SCHEMA_VERSION


def test_precedence_is_cli_then_environment_then_file(station_dirs, monkeypatch, tmp_path) -> None:
    write_settings(
        station_dirs.settings_file,
        {"schema_version": SCHEMA_VERSION, "fps": 15, "camera_index": 2, "data_dir": str(tmp_path / "file")},
    )
    monkeypatch.setenv("DERMDESK_FPS", "25")
    monkeypatch.delenv("DERMDESK_DATA_DIR")
    settings = load_settings().settings
    assert settings.fps == 25.0  # environment beats file
    assert settings.camera_index == 2  # file beats default
    assert settings.data_dir == tmp_path / "file"
    monkeypatch.setenv("DERMDESK_DATA_DIR", str(tmp_path / "env"))
    assert load_settings().settings.data_dir == tmp_path / "env"
    assert load_settings(data_dir=tmp_path / "cli").settings.data_dir == tmp_path / "cli"


def test_an_invalid_environment_value_is_ignored_with_a_notice(monkeypatch) -> None:
    monkeypatch.setenv("DERMDESK_FPS", "fast")
    loaded = load_settings()
    assert loaded.settings.fps == 30.0
    assert any("DERMDESK_FPS" in notice for notice in loaded.notices)


def test_a_corrupt_file_is_kept_aside_and_defaults_are_used(station_dirs) -> None:
    station_dirs.config_dir.mkdir(parents=True)
    station_dirs.settings_file.write_text("{ not json", encoding="utf-8")
    loaded = load_settings()
    assert loaded.settings.camera_index == 0
    assert len(loaded.notices) == 1 and "could not be read" in loaded.notices[0]
    backups = list(station_dirs.config_dir.glob("settings.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == "{ not json"
    assert loaded.store.save(loaded.settings.model_copy(update={"camera_index": 1}))
    assert json.loads(station_dirs.settings_file.read_text(encoding="utf-8"))["camera_index"] == 1


def test_a_damaged_file_is_set_aside_once_and_replaced_by_a_valid_one(station_dirs) -> None:
    """Every start used to warn again and add another settings.json.corrupt-* copy."""
    write_settings(
        station_dirs.settings_file, {"schema_version": SCHEMA_VERSION, "fps": -3, "camera_index": 2}
    )
    first = load_settings()
    assert len(first.notices) == 1 and "could not be read" in first.notices[0]
    assert "The values that could be read are kept" in first.notices[0]
    assert first.settings.camera_index == 2 and first.settings.fps == 30.0
    stored = json.loads(station_dirs.settings_file.read_text(encoding="utf-8"))
    assert stored["camera_index"] == 2 and "fps" not in stored
    for _ in range(2):
        again = load_settings()
        assert again.notices == [] and again.settings.camera_index == 2
    assert len(list(station_dirs.config_dir.glob("settings.json.corrupt-*"))) == 1


def test_a_file_with_invalid_values_counts_as_corrupt(station_dirs) -> None:
    write_settings(station_dirs.settings_file, {"schema_version": SCHEMA_VERSION, "fps": -3})
    loaded = load_settings()
    assert loaded.settings.fps == 30.0
    assert "could not be read" in loaded.notices[0]


def test_a_file_from_a_newer_version_is_never_overwritten(station_dirs) -> None:
    newer = {"schema_version": SCHEMA_VERSION + 1, "fps": 60, "something_new": True}
    write_settings(station_dirs.settings_file, newer)
    loaded = load_settings()
    assert loaded.settings.fps == 30.0  # defaults, in memory only
    assert "newer DermDesk" in loaded.notices[0]
    assert loaded.store.read_only
    assert loaded.store.save(loaded.settings.model_copy(update={"fps": 10})) is False
    assert json.loads(station_dirs.settings_file.read_text(encoding="utf-8")) == newer


def test_version_1_files_are_migrated_renaming_camera_to_camera_index(station_dirs) -> None:
    write_settings(station_dirs.settings_file, {"camera": 3, "last_lighting": "uv_365", "fps": 20})
    loaded = load_settings()
    assert loaded.notices == []
    assert loaded.settings.camera_index == 3
    assert loaded.settings.lighting_mode == "uv_365"
    assert loaded.settings.fps == 20.0
    loaded.store.save(loaded.settings)
    saved = json.loads(station_dirs.settings_file.read_text(encoding="utf-8"))
    assert saved["schema_version"] == SCHEMA_VERSION
    assert saved["camera_index"] == 3 and "camera" not in saved


def test_every_older_version_has_a_migration_step() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))
    upgraded = migrate({"schema_version": 1, "camera": 1})
    assert upgraded == {
        "schema_version": SCHEMA_VERSION,
        "camera_index": 1,
        "cameras": {},
        "paper_size": "A4",
        "upload_unlabelled": False,
    }


def test_saving_is_atomic_and_keeps_overrides_out_of_the_file(station_dirs, monkeypatch) -> None:
    monkeypatch.setenv("DERMDESK_FPS", "12")
    loaded = load_settings()
    changed = loaded.settings.model_copy(update={"camera_index": 4})
    assert loaded.store.save(changed)
    saved = json.loads(station_dirs.settings_file.read_text(encoding="utf-8"))
    assert saved == {"schema_version": SCHEMA_VERSION, "camera_index": 4}  # not fps, not data_dir
    assert [p.name for p in station_dirs.config_dir.iterdir()] == ["settings.json"]  # no temp left
    if os.name == "posix":  # it may hold the device token and the database password
        assert station_dirs.settings_file.stat().st_mode & 0o777 == 0o600


def test_with_overrides_validates_command_line_values(tmp_path) -> None:
    settings = DermDeskSettings(data_dir=tmp_path)
    assert settings.with_overrides(data_dir=None) is settings
    assert settings.with_overrides(data_dir=str(tmp_path / "x")).data_dir == tmp_path / "x"
    with pytest.raises(ValueError):
        settings.with_overrides(fps=-1)


def test_version_2_files_gain_empty_camera_profiles_and_profiles_round_trip(station_dirs) -> None:
    write_settings(station_dirs.settings_file, {"schema_version": 2, "camera_index": 1})
    loaded = load_settings()
    assert loaded.notices == [] and loaded.settings.cameras == {}
    changed = loaded.settings.with_camera_profile(
        "camera:1",
        controls={"exposure": 120.0, "exposure.auto": False},
        contact=False,
        scales={"10x": {"mm_per_pixel": 0.02, "width": 1280, "height": 720}},
        magnification="10x",
    )
    assert loaded.store.save(changed)
    again = load_settings().settings.camera_profile("camera:1")
    assert again.controls == {"exposure": 120.0, "exposure.auto": False}
    assert again.contact is False and again.scale is not None and again.scale.mm_per_pixel == 0.02
    assert load_settings().settings.camera_profile("virtual").contact is True  # defaults for the unknown


def test_version_3_files_gain_report_settings_and_paper_size_takes_any_case(
    station_dirs, monkeypatch
) -> None:
    write_settings(station_dirs.settings_file, {"schema_version": 3, "camera_index": 1})
    loaded = load_settings()
    assert loaded.notices == []
    assert loaded.settings.paper_size is PaperSize.A4 and loaded.settings.clinic_name == ""
    assert loaded.settings.clinic_logo is None
    monkeypatch.setenv("DERMDESK_PAPER_SIZE", "letter")
    monkeypatch.setenv("DERMDESK_CLINIC_NAME", "Hautarztpraxis Süd")
    loaded = load_settings()
    assert loaded.settings.paper_size is PaperSize.LETTER
    assert loaded.settings.clinic_name == "Hautarztpraxis Süd"
    monkeypatch.setenv("DERMDESK_PAPER_SIZE", "A3")
    loaded = load_settings()
    assert loaded.settings.paper_size is PaperSize.A4
    assert any("DERMDESK_PAPER_SIZE" in notice for notice in loaded.notices)


def test_standby_delay_defaults_to_a_minute_and_refuses_negative_values(station_dirs, monkeypatch) -> None:
    assert load_settings().settings.standby_after_seconds == 60
    monkeypatch.setenv("DERMDESK_STANDBY_AFTER_SECONDS", "0")
    assert load_settings().settings.standby_after_seconds == 0  # never
    monkeypatch.setenv("DERMDESK_STANDBY_AFTER_SECONDS", "-5")
    loaded = load_settings()
    assert loaded.settings.standby_after_seconds == 60
    assert any("standby_after_seconds" in notice for notice in loaded.notices)
