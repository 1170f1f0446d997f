"""The records subcommands end to end (in-process `dermdesk.cli.main`): users, patients, images,
diagnose, backup and restore; one-line errors with exit code 1; audited access."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from dermdesk.cli import main
from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings
from records.helpers import write_png

HAM_IMAGES = Path(__file__).resolve().parents[3] / "shared" / "data" / "ham10000" / "images"

ADMIN_PW, DOCTOR_PW, STAFF_PW = "admin password 1", "doctor password", "staff password"


def as_user(monkeypatch: pytest.MonkeyPatch, username: str, password: str) -> None:
    monkeypatch.setenv("DERMDESK_USER", username)
    monkeypatch.setenv("DERMDESK_PASSWORD", password)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("dermdesk: error: ")
    return err


@pytest.fixture
def clinic(settings: DermDeskSettings, monkeypatch: pytest.MonkeyPatch) -> DermDeskSettings:
    """A station with an admin, a doctor, a staff member and one patient, set up through the CLI."""
    monkeypatch.setenv("DERMDESK_NEW_PASSWORD", ADMIN_PW)
    assert main(["users", "add", "admin", "--role", "admin", "--name", "IT"]) == 0
    as_user(monkeypatch, "admin", ADMIN_PW)
    for name, role, password in (("dora", "doctor", DOCTOR_PW), ("sam", "staff", STAFF_PW)):
        monkeypatch.setenv("DERMDESK_NEW_PASSWORD", password)
        assert main(["users", "add", name, "--role", role, "--name", name.title()]) == 0
    as_user(monkeypatch, "sam", STAFF_PW)
    assert (
        main(
            [
                "patients",
                "add",
                "dd-0001",
                "--given",
                "Ada",
                "--family",
                "Lovelace",
                "--born",
                "1971-05-17",
                "--sex",
                "female",
                "--fitzpatrick",
                "2",
            ]
        )
        == 0
    )
    return settings


def test_capture_diagnose_show_backup_restore(
    clinic: DermDeskSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    picture = write_png(tmp_path / "lesion.png", 5)
    filed = run_json(
        capsys,
        "images",
        "add",
        "--patient",
        "DD-0001",
        "--site",
        "upper_extremity",
        "--site-detail",
        "left forearm",
        "--x",
        "0.2",
        "--y",
        "0.6",
        "--view",
        "front",
        "--no-classify",
        str(picture),
    )
    assert filed["lesion_label"] == "L1" and filed["prediction"] is None  # type: ignore[index]
    assert "not classified" in filed["note"]  # type: ignore[index]

    as_user(monkeypatch, "dora", DOCTOR_PW)
    diagnosis = run_json(
        capsys,
        "diagnose",
        "--patient",
        "dd-0001",
        "--lesion",
        "l1",
        "--dx",
        "nv",
        "--confirm",
        "clinical",
        "--sign-off",
    )
    assert diagnosis["signed_off_by"] == "dora"  # type: ignore[index]
    record = run_json(capsys, "patients", "show", "DD-0001")
    (lesion,) = record["lesions"]  # type: ignore[index]
    assert lesion["site_detail"] == "left forearm" and lesion["images"][0]["sha256"] == filed["sha256"]  # type: ignore[index]
    assert main(["patients", "show", "DD-0001"]) == 0
    assert "diagnosis 1: nv (clinical) by dora, signed off by dora" in capsys.readouterr().out

    as_user(monkeypatch, "admin", ADMIN_PW)
    backup = run_json(capsys, "backup", str(tmp_path / "backup"))
    assert backup["images"] == 1  # type: ignore[index]
    restored_dir = tmp_path / "restored"
    monkeypatch.delenv("DERMDESK_DATABASE_URL", raising=False)  # restore onto a SQLite station
    assert main(["--data-dir", str(restored_dir), "restore", str(tmp_path / "backup")]) == 0
    as_user(monkeypatch, "dora", DOCTOR_PW)
    assert main(["--data-dir", str(restored_dir), "patients", "show", "DD-0001", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {**record, "visits": record["visits"]}  # type: ignore[dict-item]


def test_access_through_the_cli_is_audited(
    clinic: DermDeskSettings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "patients", "list")
    run_json(capsys, "patients", "show", "DD-0001")
    with Records.open(clinic) as records:
        admin = records.users.login("admin", ADMIN_PW)
        actions = [(e.action, e.username) for e in records.audit.list(admin)]
    for expected in (
        ("register patient", "sam"),
        ("list patients", "sam"),
        ("view patient", "sam"),
        ("login ok", "sam"),
        ("add user", "admin"),
    ):
        assert expected in actions


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_errors_are_one_line_with_exit_code_1(
    clinic: DermDeskSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    assert "already exists" in fail(
        capsys,
        "patients",
        "add",
        "DD-0001",
        "--given",
        "A",
        "--family",
        "B",
        "--born",
        "1980-01-01",
        "--sex",
        "male",
    )
    assert "Record number 'DD 2' is not valid" in fail(capsys, "patients", "show", "DD 2")
    assert "may not record diagnoses" in fail(
        capsys, "diagnose", "--patient", "DD-0001", "--lesion", "L1", "--dx", "mel", "--confirm", "clinical"
    )
    assert "not a picture" in fail(
        capsys,
        "images",
        "add",
        "--patient",
        "DD-0001",
        "--site",
        "head/neck",
        "--no-classify",
        str(Path(__file__)),
    )
    assert "may not back up" in fail(capsys, "backup", str(tmp_path / "b"))
    monkeypatch.setenv("DERMDESK_PASSWORD", "wrong")
    assert "Wrong user name or password" in fail(capsys, "patients", "list")
    monkeypatch.delenv("DERMDESK_PASSWORD")
    assert "set DERMDESK_USER and DERMDESK_PASSWORD" in fail(capsys, "patients", "list")
    monkeypatch.setenv("DERMDESK_NEW_PASSWORD", "short")
    as_user(monkeypatch, "admin", ADMIN_PW)
    assert "at least 10 characters" in fail(capsys, "users", "reset-password", "sam")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("refused", [False, True], ids=["assessed", "refused-by-the-model-gate"])
def test_images_add_classifies_with_the_model_package(
    clinic: DermDeskSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    refused: bool,
) -> None:
    """The command's model path with the shipped package: a melanoma picture of the test split is assessed
    (and referred), a plain grey picture is refused by the model's own gate."""
    if refused:
        grey = np.full((150, 200, 3), 128, np.uint8)
        picture = str(tmp_path / "grey.png")
        assert cv2.imwrite(picture, grey)
    else:
        picture = str(HAM_IMAGES / "ISIC_0024333.jpg")  # melanoma (test split)
    filed = run_json(
        capsys,
        "images",
        "add",
        "--patient",
        "DD-0001",
        "--site",
        "posterior torso",
        picture,
    )
    as_user(monkeypatch, "dora", DOCTOR_PW)
    (lesion,) = run_json(capsys, "patients", "show", "DD-0001")["lesions"]  # type: ignore[index]
    if refused:
        assert filed["prediction"] is None and "does not look like a skin lesion" in filed["note"]  # type: ignore[index]
        assert lesion["images"][0]["predictions"] == [] and lesion["referrals"] == []
        return
    prediction = filed["prediction"]  # type: ignore[index]
    assert len(prediction["ranking"]) == 7 and prediction["refer"] is True
    assert lesion["images"][0]["predictions"][0]["model_name"] == "dermdesk-lesion"
    assert lesion["referrals"][0]["status"] == "suggested"


def test_the_first_account_must_be_an_admin(
    settings: DermDeskSettings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DERMDESK_NEW_PASSWORD", STAFF_PW)
    assert "first account must be an administrator" in fail(
        capsys, "users", "add", "sam", "--role", "staff", "--name", "Sam"
    )
