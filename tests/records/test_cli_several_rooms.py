"""The command line for several rooms: `patients list` pages and says when it stopped; `diagnose
--amends` signs a different final diagnosis only as an explicit amendment."""

from __future__ import annotations

import json

import pytest

from dermdesk.cli import main
from dermdesk.records import NewLesion, Records
from dermdesk.settings import DermDeskSettings
from records.helpers import PASSWORD, Team, new_patient

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_patients_list_pages_and_says_when_more_follow(
    records: Records, team: Team, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(7):
        records.patients.register(team.staff, new_patient(f"DD-1000{index}"))
    monkeypatch.setenv("DERMDESK_USER", "sam")
    monkeypatch.setenv("DERMDESK_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert main(["patients", "list", "--per-page", "3", "--json"]) == 0
    out = capsys.readouterr()
    assert [p["record_number"] for p in json.loads(out.out)] == ["DD-10000", "DD-10001", "DD-10002"]
    assert "Patients 1-3 of 7; the next ones: --page 2" in out.err
    assert main(["patients", "list", "--per-page", "3", "--page", "3"]) == 0
    out = capsys.readouterr()
    assert out.out.split()[0] == "DD-10006" and "next ones" not in out.err  # the last page: no note
    assert main(["patients", "list", "--per-page", "0"]) == 1
    assert "--per-page 1 to 1000" in capsys.readouterr().err


def test_diagnose_signs_a_different_final_diagnosis_only_as_an_amendment(
    records: Records,
    team: Team,
    patient: str,
    settings: DermDeskSettings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records.lesions.add(team.staff, patient, NewLesion("anterior torso"))
    monkeypatch.setenv("DERMDESK_USER", "dora")
    monkeypatch.setenv("DERMDESK_PASSWORD", PASSWORD)
    base = ["diagnose", "--patient", patient, "--lesion", "L1", "--confirm", "clinical", "--sign-off"]
    assert main([*base, "--dx", "nv", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)["id"]
    assert main([*base, "--dx", "mel"]) == 1
    err = capsys.readouterr().err
    assert f"already has a signed final diagnosis: nv (diagnosis {first}" in err and "amendment" in err
    assert main([*base, "--dx", "mel", "--amends", str(first)]) == 0
    assert f"amending diagnosis {first}" in capsys.readouterr().out
