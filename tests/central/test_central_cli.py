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
