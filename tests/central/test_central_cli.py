"""`dermdesk-central keys init` and `devices add`."""

from __future__ import annotations

import os
from pathlib import Path

from dermdesk.central import store
from dermdesk.central.cli import main
from dermdesk.central.config import CentralConfig
from dermdesk.central.retrain import next_version


def test_keys_are_private_and_never_replaced(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    keys = tmp_path / "keys"
    assert main(["--home", str(tmp_path / "home"), "keys", "init", "--dir", str(keys)]) == 0
    assert "BEGIN PUBLIC KEY" in capsys.readouterr().out
    if os.name == "posix":
        assert (keys / "signing-key.pem").stat().st_mode & 0o777 == 0o600
    assert main(["--home", str(tmp_path / "home"), "keys", "init", "--dir", str(keys)]) == 1
    assert "refusing to replace" in capsys.readouterr().err


def test_a_device_token_is_printed_once_and_authenticates(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    assert main(["--home", str(home), "devices", "add", "clinic-a"]) == 0
    token = capsys.readouterr().out.strip()
    engine = store.open_engine(CentralConfig(home=home).url)
    assert store.device_for_token(engine, token) is not None and store.device_for_token(engine, "x") is None
    assert token.encode() not in (home / "central.sqlite").read_bytes()  # only its digest is kept
    assert main(["--home", str(home), "devices", "add", "clinic-a"]) == 1


def test_next_version() -> None:
    assert next_version("1.0.9") == "1.0.10" and next_version("2024a") == "2024a.1"


def test_clinics_devices_and_dermatologists_from_the_command_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from dermdesk.central import clinics

    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "clinics", "add", "Seoul Skin Clinic"]) == 0
    assert main([*home, "clinics", "add", "Seoul Skin Clinic"]) == 1
    assert "exists already" in capsys.readouterr().err
    assert main([*home, "devices", "add", "station-1", "--clinic", "Seoul Skin Clinic"]) == 0
    token = capsys.readouterr().out.strip()
    assert main([*home, "devices", "add", "station-2", "--clinic", "Nowhere"]) == 1
    assert "no clinic called" in capsys.readouterr().err
    engine = store.open_engine(CentralConfig(home=tmp_path / "home").url)
    device = store.device_for_token(engine, token)
    assert device is not None and clinics.clinic_of_device(engine, device) is not None
    assert main([*home, "dermatologists", "add", "Dr Hana Seo", "KMA-12345"]) == 0
    specialist = capsys.readouterr().out.strip()
    assert main([*home, "dermatologists", "assign", "KMA-12345", "Seoul Skin Clinic"]) == 0
    assert main([*home, "dermatologists", "assign", "KMA-00000", "Seoul Skin Clinic"]) == 1
    capsys.readouterr()
    assert main([*home, "dermatologists", "list"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["clinics"] == ["Seoul Skin Clinic"] and listed[0]["registration_number"] == "KMA-12345"
    assert main([*home, "clinics", "list"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["devices"] == ["station-1"]
    person = clinics.dermatologist_for_token(engine, specialist)
    assert person is not None and person.name == "Dr Hana Seo"
