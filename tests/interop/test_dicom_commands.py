"""`dermdesk dicom export|import` end to end (in-process `dermdesk.cli.main`): JSON for programs, a
one-line reason and exit code 1 for a refused file, and nothing filed from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from records.helpers import PASSWORD, Team
from reports.seed import FAMILY, GIVEN

from dermdesk.cli import main
from dermdesk.records import Records
from interop.conftest import Visit


def as_user(monkeypatch: pytest.MonkeyPatch, username: str) -> None:
    monkeypatch.setenv("DERMDESK_USER", username)
    monkeypatch.setenv("DERMDESK_PASSWORD", PASSWORD)


def test_export_then_import_into_another_station_through_the_cli(
    records: Records,
    team: Team,
    visit: Visit,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    as_user(monkeypatch, "dora")
    out = tmp_path / "dicom"
    capsys.readouterr()
    assert (
        main(["dicom", "export", "--patient", "dd-000777", "--visit", "latest", "--out", str(out), "--json"])
        == 0
    )
    exported = json.loads(capsys.readouterr().out)
    assert exported["patient"] == "DD-000777" and len(exported["files"]) == len(list(out.glob("*.dcm")))
    stills = [f for f in exported["files"] if f["kind"] == "dermoscopy" and f["lesion"] == "L1"]

    # another station: an administrator, a staff member and the same patient, through the CLI
    other = ["--data-dir", str(tmp_path / "other")]
    monkeypatch.setenv("DERMDESK_NEW_PASSWORD", PASSWORD)
    assert main([*other, "users", "add", "admin", "--role", "admin", "--name", "IT"]) == 0
    as_user(monkeypatch, "admin")
    assert main([*other, "users", "add", "sam", "--role", "staff", "--name", "Sam"]) == 0
    as_user(monkeypatch, "sam")
    born = ["--born", "1971-05-17", "--sex", "female"]
    assert main([*other, "patients", "add", "DD-000777", "--given", GIVEN, "--family", FAMILY, *born]) == 0
    assert (
        main([*other, "patients", "add", "DD-000778", "--given", "Grace", "--family", "Hopper", *born]) == 0
    )

    capsys.readouterr()
    assert main([*other, "dicom", "import", stills[0]["path"], "--patient", "DD-000777", "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert imported["imported"][0]["uids_kept"] is True
    assert imported["imported"][0]["lighting_mode"] == "white_polarised"

    # a still of this patient offered for another one: refused in one line, nothing filed
    capsys.readouterr()
    assert main([*other, "dicom", "import", stills[0]["path"], "--patient", "DD-000778"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("dermdesk: error: ") and err.count("\n") == 0
    assert "belongs to another patient (DD-000777)" in err
    capsys.readouterr()
    assert main([*other, "patients", "show", "DD-000778", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["lesions"] == []

    # several files: the good ones are filed, the refused one is named, the exit code says so
    not_dicom = tmp_path / "photo.jpg"
    not_dicom.write_bytes(b"\xff\xd8\xff\xe0 not really")
    uv = next(f for f in exported["files"] if f["kind"] == "spectral" and f["lesion"] == "L1")
    capsys.readouterr()
    args = [*other, "dicom", "import", uv["path"], str(not_dicom), "--patient", "DD-000777", "--lesion", "L1"]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert "Imported as image 2 of lesion L1" in captured.out
    assert "photo.jpg is not a DICOM file" in captured.err
