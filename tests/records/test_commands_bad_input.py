"""Bad input at the command line: damaged pictures are refused even with --no-classify, `images add`
classifies with the model in use (not the shipped one), a named package that fails verification stops
the command, names with control characters or text-direction marks are refused, `patients list` is
audited per patient, and `audit verify` reports a tampered trail."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy import text
from sync.packages import newer_version, small_package

from dermdesk.cli import main
from dermdesk.inference.signing import load_private_key, new_key_pair, sign_package
from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings
from records.test_commands import ADMIN_PW, HAM_IMAGES, STAFF_PW, as_user, clinic, fail, run_json

__all__ = ["clinic"]  # the fixture, shared with test_commands


def picture_bytes() -> bytes:
    return cv2.imencode(".jpg", cv2.imread(str(HAM_IMAGES / "ISIC_0024306.jpg")))[1].tobytes()


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("truncated.jpg", lambda: picture_bytes()[: len(picture_bytes()) // 2]),
        ("garbage.png", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
        ("one-pixel.png", lambda: cv2.imencode(".png", np.zeros((1, 1, 3), np.uint8))[1].tobytes()),
    ],
)
def test_damaged_pictures_are_not_filed_even_without_classifying(
    clinic: DermDeskSettings,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    make: object,
) -> None:
    path = tmp_path / name
    path.write_bytes(make())  # type: ignore[operator]
    args = ["images", "add", "--patient", "DD-0001", "--site", "anterior torso", "--no-classify", str(path)]
    error = fail(capsys, *args)
    assert name in error and ("damaged" in error or "too small" in error or "not a picture" in error)
    assert not list((clinic.data_dir / "images").rglob("*.*"))  # nothing filed


def signed_update(tmp_path: Path, version: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    private_pem, public_pem = new_key_pair()  # a throw-away key, trusted through the setting
    package = small_package(  # without the reference pictures, which small_package does not copy
        tmp_path / f"dermdesk-lesion-{version}", version, lambda manifest: manifest.pop("reference", None)
    )
    sign_package(package, load_private_key(private_pem))
    monkeypatch.setenv("DERMDESK_UPDATE_PUBLIC_KEY", public_pem.decode())
    return package


def test_images_add_classifies_with_the_model_in_use(
    clinic: DermDeskSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    installed = signed_update(tmp_path, newer_version(7), monkeypatch)
    monkeypatch.setenv("DERMDESK_MODEL_DIR", str(installed))
    picture = tmp_path / "lesion.jpg"
    picture.write_bytes(picture_bytes())
    filed = run_json(
        capsys, "images", "add", "--patient", "DD-0001", "--site", "anterior torso", str(picture)
    )
    assert filed["prediction"]["model_version"] == newer_version(7)  # type: ignore[index]


def test_a_named_package_that_fails_verification_stops_images_add(
    clinic: DermDeskSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    installed = signed_update(tmp_path, newer_version(8), monkeypatch)
    monkeypatch.setenv("DERMDESK_UPDATE_PUBLIC_KEY", new_key_pair()[1].decode())  # not the signer's key
    picture = tmp_path / "lesion.jpg"
    picture.write_bytes(picture_bytes())
    error = fail(
        capsys,
        "images",
        "add",
        "--patient",
        "DD-0001",
        "--site",
        "anterior torso",
        "--model",
        str(installed),
        str(picture),
    )
    assert "not signed by a key this station trusts" in error
    assert not list((clinic.data_dir / "images").rglob("*.*"))


@pytest.mark.parametrize(
    ("family", "reason"),
    [
        ("Love\u202elace", "text-direction mark"),
        ("Love\x07lace", "control character"),
        ("Love\nlace", "control"),
    ],
)
def test_names_with_hidden_characters_are_refused(
    clinic: DermDeskSettings, capsys: pytest.CaptureFixture[str], family: str, reason: str
) -> None:
    args = ["patients", "add", "DD-0002", "--given", "Ada", "--family", family, "--born", "1971-05-17"]
    error = fail(capsys, *args, "--sex", "female")
    assert reason in error and "family name" in error


def test_names_in_every_script_are_accepted(
    clinic: DermDeskSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["patients", "add", "DD-0003", "--given", "\u0645\u06cc\u200c\u0646\u0627", "--family", "\ubc15"]
    assert main([*args, "--born", "1980-01-02", "--sex", "female"]) == 0, capsys.readouterr().err


def test_a_patient_list_is_audited_per_patient(
    clinic: DermDeskSettings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = run_json(capsys, "patients", "list")
    assert [p["record_number"] for p in listed] == ["DD-0001"]  # type: ignore[union-attr]
    as_user(monkeypatch, "admin", ADMIN_PW)
    with Records.open(clinic) as records:
        admin = records.users.login("admin", ADMIN_PW)
        entries = records.audit.list(admin, action="list patients")
    assert [(e.username, e.object_id) for e in entries] == [("sam", "DD-0001")]


def test_audit_verify_reports_a_tampered_trail(
    clinic: DermDeskSettings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    as_user(monkeypatch, "admin", ADMIN_PW)
    assert main(["audit", "verify"]) == 0
    assert "Audit trail intact" in capsys.readouterr().out
    as_user(monkeypatch, "sam", STAFF_PW)
    assert "may not read the audit log" in fail(capsys, "audit", "verify")
    with Records.open(clinic) as records, records.database.engine.begin() as conn:
        if records.database.is_sqlite:
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
        conn.execute(text("DELETE FROM audit_events WHERE action = 'register patient'"))
    as_user(monkeypatch, "admin", ADMIN_PW)
    capsys.readouterr()
    assert main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "does not follow" in err
    assert main(["audit", "verify", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["intact"] is False
