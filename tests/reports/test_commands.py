"""`dermdesk report` and `dermdesk referral` end to end (in-process CLI): files written, signed versions
stored, audited; unwritable, read-only and full folders give one line and leave nothing behind."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest
from records.helpers import PASSWORD, Team

import dermdesk.benchmarks.report
import dermdesk.files
import dermdesk.reports.output
from dermdesk.cli import main
from dermdesk.records import Records
from reports import pdf
from reports.seed import Clinic


def as_user(monkeypatch: pytest.MonkeyPatch, username: str) -> None:
    monkeypatch.setenv("DERMDESK_USER", username)
    monkeypatch.setenv("DERMDESK_PASSWORD", PASSWORD)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("dermdesk: error: "), err
    return err


def test_report_draft_then_signed_off(
    records: Records, team: Team, clinic: Clinic, tmp_path: Path, monkeypatch, capsys
) -> None:
    as_user(monkeypatch, "sam")
    draft = tmp_path / "draft.pdf"
    facts = run_json(
        capsys, "report", "--patient", clinic.record_number, "--visit", "latest", "--out", str(draft)
    )
    assert facts["signed"] is False and facts["lesions"] == 2 and facts["out"] == str(draft)
    assert all("DRAFT" in text for text in pdf.texts(draft.read_bytes()))
    err = fail(
        capsys,
        "report",
        "--patient",
        clinic.record_number,
        "--visit",
        "latest",
        "--out",
        str(draft),
        "--sign-off",
    )
    assert "may not sign off" in err

    as_user(monkeypatch, "dora")
    signed = tmp_path / "signed.pdf"
    visit = clinic.second_visit.isoformat()
    facts = run_json(
        capsys,
        "report",
        "--patient",
        clinic.record_number.lower(),
        "--visit",
        visit,
        "--out",
        str(signed),
        "--sign-off",
    )
    assert (
        facts["signed"] is True
        and facts["version"] == 1
        and facts["pages"] == len(pdf.texts(signed.read_bytes()))
    )
    assert all("DRAFT" not in text for text in pdf.texts(signed.read_bytes()))
    versions = records.reports.versions(team.doctor, clinic.record_number)
    assert [(v.version, v.sha256) for v in versions] == [(1, facts["sha256"])]
    exports = [e.detail for e in records.audit.list(team.admin, action="export")]
    assert [(e["kind"], e["sha256"]) for e in exports][-2:] == [
        ("visit report", pdf.sha256(draft.read_bytes())),
        ("visit report", facts["sha256"]),
    ]


def test_a_stored_version_is_written_again_byte_for_byte(
    records: Records, team: Team, clinic: Clinic, tmp_path: Path, monkeypatch, capsys
) -> None:
    as_user(monkeypatch, "dora")
    base = ["report", "--patient", clinic.record_number, "--visit", "latest"]
    signed = tmp_path / "signed.pdf"
    assert run_json(capsys, *base, "--out", str(signed), "--sign-off")["version"] == 1
    again = tmp_path / "again.pdf"
    facts = run_json(capsys, *base, "--out", str(again), "--version", "1")
    assert again.read_bytes() == signed.read_bytes() and facts["sha256"] == pdf.sha256(signed.read_bytes())
    assert "has no signed version 2 (signed versions: 1)" in fail(
        capsys, *base, "--out", str(again), "--version", "2"
    )

    def disk_full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    real_write_atomic = dermdesk.files.write_atomic

    def output_disk_full(path: Path, data: bytes, **options: Any) -> None:
        """Only the disk the PDF goes to is full; the records' store still has room."""
        with monkeypatch.context() as full:
            full.setattr(dermdesk.files, "_write_all", disk_full)
            real_write_atomic(path, data, **options)

    monkeypatch.setattr(dermdesk.reports.output, "write_atomic", output_disk_full)
    err = fail(capsys, *base, "--out", str(tmp_path / "third.pdf"), "--sign-off")
    assert "is full" in err and "signed off and stored as version 2; write it with --version 2" in err
    assert not (tmp_path / "third.pdf").exists()


def test_referral_letter_from_the_command_line(
    records: Records, team: Team, clinic: Clinic, tmp_path: Path, monkeypatch, capsys
) -> None:
    as_user(monkeypatch, "dora")
    out = tmp_path / "letter.pdf"
    facts = run_json(
        capsys,
        "referral",
        "--patient",
        clinic.record_number,
        "--lesion",
        "L2",
        "--to",
        "Dr A. Berg, City Skin Clinic",
        "--out",
        str(out),
    )
    assert facts["lesion"] == "L2" and facts["to"] == "Dr A. Berg"
    assert "City Skin Clinic" in " ".join(pdf.texts(out.read_bytes()))
    err = fail(
        capsys,
        "referral",
        "--patient",
        clinic.record_number,
        "--lesion",
        "L1",
        "--to",
        "Dr A",
        "--out",
        str(out),
    )
    assert "Give the reason (--reason)" in err


def test_unwritable_targets_are_one_line_errors_and_leave_nothing(
    records: Records, team: Team, clinic: Clinic, tmp_path: Path, monkeypatch, capsys
) -> None:
    as_user(monkeypatch, "dora")
    folder = tmp_path / "out"
    folder.mkdir()
    base = ["report", "--patient", clinic.record_number, "--visit", "latest", "--sign-off", "--out"]
    assert "does not exist" in fail(capsys, *base, str(folder / "no" / "such" / "r.pdf"))
    assert "is a folder" in fail(capsys, *base, str(folder))

    real_open = os.open

    def read_only(path, flags, mode=0o777):  # root ignores file modes, so the refusal is simulated
        raise PermissionError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(dermdesk.reports.output.os, "open", read_only)
    err = fail(capsys, *base, str(folder / "r.pdf"))
    assert "cannot be written to (read-only or no permission)" in err and "Nothing was written" in err
    monkeypatch.setattr(dermdesk.reports.output.os, "open", real_open)
    assert records.reports.versions(team.doctor, clinic.record_number) == []  # refused before signing

    def disk_full(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(dermdesk.files, "_write_all", disk_full)
    draft = [
        "report",
        "--patient",
        clinic.record_number,
        "--visit",
        "latest",
        "--out",
        str(folder / "r.pdf"),
    ]
    assert "is full" in fail(capsys, *draft)
    assert list(folder.iterdir()) == []


def test_an_empty_visit_and_an_unknown_patient_are_one_line_errors(
    records: Records, team: Team, clinic: Clinic, tmp_path: Path, monkeypatch, capsys
) -> None:
    as_user(monkeypatch, "dora")
    out = str(tmp_path / "r.pdf")
    assert "No patient has the record number DD-404" in fail(
        capsys, "report", "--patient", "DD-404", "--visit", "1", "--out", out
    )
    assert "not valid" in fail(
        capsys, "report", "--patient", clinic.record_number, "--visit", "soon", "--out", out
    )
    assert not Path(out).exists()


@pytest.mark.slow  # a benchmark run: `make test`, not the quick lane
def test_bench_report_measures_a_five_lesion_report(station_dirs, capsys, monkeypatch) -> None:
    monkeypatch.setattr(dermdesk.benchmarks.report, "STILL_SIZE", (320, 180))  # the suite stays quick
    assert main(["bench", "report", "--seconds", "2", "--json"]) == 0, capsys.readouterr().err
    figures = json.loads(capsys.readouterr().out)["report"]
    assert figures["lesions"] == 5 and figures["pictures"] == 15 and figures["runs"] == 2
    assert figures["still_size"] == "320x180 PNG"
    assert figures["pages"] >= 2 and figures["median_s"] > 0 and isinstance(figures["goal_met"], bool)
