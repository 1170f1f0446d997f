"""`dermdesk consult` in-process against the real central service on 127.0.0.1: consent, preview, send,
sync, status, acknowledge; bad input gets one line and exit code 1, and nothing is queued."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from records.helpers import PASSWORD, Team

from dermdesk.central.config import CentralConfig
from dermdesk.cli import main
from dermdesk.records import Records
from sync.conftest import add_capture, add_patient
from sync.consult_fixtures import ANSWER, Specialist, clinic_station
from sync.servers import LiveServer


def as_user(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("DERMDESK_USER", name)
    monkeypatch.setenv("DERMDESK_PASSWORD", PASSWORD)


def test_consult_commands_send_follow_and_acknowledge(
    records: Records,
    team: Team,
    central: LiveServer,
    central_config: CentralConfig,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys,
) -> None:  # type: ignore[no-untyped-def]
    token, specialist_token = clinic_station(central_config)
    add_patient(records, team, "DD-003001", given_name="Minho", family_name="Lee")
    add_capture(records, team, "DD-003001", 1)
    monkeypatch.setenv("DERMDESK_UPLOAD_URL", central.url)
    monkeypatch.setenv("DERMDESK_DEVICE_TOKEN", token)
    as_user(monkeypatch, "sam")
    send = ["consult", "send", "DD-003001", "L1", "--urgency", "soon", "--history", "itch=yes"]
    assert main([*send, "--question", "Changing mole"]) == 1
    assert "not consented to teleconsultation" in capsys.readouterr().err
    assert main(["consult", "consent", "DD-003001", "--given"]) == 0
    assert main([*send, "--question", "Minho Lee's mole changed"]) == 1
    err = capsys.readouterr().err
    assert "remove them before sending" in err and len(err.strip().splitlines()) == 1
    assert main([*send, "--question", "Changing mole", "--history", "colour=red"]) == 1
    assert "unknown history fact" in capsys.readouterr().err
    assert main([*send, "--question", "Changing mole", "--preview"]) == 0
    assert "What will leave:" in capsys.readouterr().out
    assert records.consults.inbox(team.staff) == []  # a preview queues nothing
    assert main([*send, "--question", "Changing mole; excise?"]) == 0
    assert "queued" in capsys.readouterr().out
    assert main(["consult", "sync"]) == 0
    assert "1 sent" in capsys.readouterr().out
    central_id = records.consults.inbox(team.staff)[0].central_id
    assert central_id is not None
    assert Specialist(central.url, specialist_token).reply(central_id, ANSWER).status_code == 201
    assert main(["consult", "sync"]) == 0
    capsys.readouterr()
    consult_id = str(records.consults.inbox(team.staff)[0].id)
    assert main(["consult", "status", consult_id]) == 0
    assert "Answer by Dr Hana Seo (reg. KMA-12345)" in capsys.readouterr().out
    assert main(["consult", "acknowledge", consult_id]) == 1  # staff may not
    assert "record diagnoses" in capsys.readouterr().err
    as_user(monkeypatch, "dora")
    assert main(["consult", "acknowledge", consult_id]) == 0
    assert main(["consult", "acknowledge", consult_id]) == 1
    assert "no answer waiting" in capsys.readouterr().err
    assert main(["consult", "status", "999"]) == 1
    assert "no consult 999" in capsys.readouterr().err
    assert main(["consult", "--json", "list"]) == 0
    listed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert listed[0]["state"] == "answered"


def test_bad_clips_are_refused_by_the_command(
    records: Records, team: Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    add_patient(records, team, "DD-003101")
    add_capture(records, team, "DD-003101", 2)
    records.consults.set_consent(team.staff, "DD-003101", True)
    as_user(monkeypatch, "sam")
    assert main(["consult", "send", "DD-003101", "L1", "--question", "Changing mole"]) == 0
    capsys.readouterr()
    consult_id = str(records.consults.inbox(team.staff)[0].id)
    fake = tmp_path / "clip.webm"
    fake.write_bytes(b"not a clip at all")
    assert main(["consult", "more", consult_id, "--clip", str(fake)]) == 1
    assert "not a WebM" in capsys.readouterr().err
    assert main(["consult", "more", consult_id, "--record-seconds", "30"]) == 1
    assert "up to 10 seconds" in capsys.readouterr().err
    assert len(records.consults.inbox(team.staff)) == 1
