"""`dermdesk upload --once` end to end in-process, against the real central service on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from records.helpers import Team

from dermdesk.cli import main
from dermdesk.records import Records
from sync.conftest import shareable_case
from sync.servers import LiveServer


def test_upload_once_sends_the_queue_and_reports_it(
    records: Records,
    team: Team,
    central: LiveServer,
    device_token: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys,
) -> None:  # type: ignore[no-untyped-def]
    shareable_case(records, team, "DD-000900", 1)
    shareable_case(records, team, "DD-000901", 2)
    monkeypatch.setenv("DERMDESK_UPLOAD_URL", central.url)
    monkeypatch.setenv("DERMDESK_DEVICE_TOKEN", device_token)
    assert main(["upload", "--status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["queued"] == 2 and [c["state"] for c in status["cases"]] == ["queued", "queued"]
    assert main(["upload", "--once", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["sent"]) == 2 and out["queue"]["sent"] == 2 and out["stopped"] is None


def test_upload_errors_are_one_line(records: Records, central: LiveServer, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["upload", "--once"]) == 1
    assert "DERMDESK_UPLOAD_URL" in capsys.readouterr().err
    monkeypatch.setenv("DERMDESK_UPLOAD_URL", central.url)
    monkeypatch.setenv("DERMDESK_DEVICE_TOKEN", "wrong")
    assert main(["upload", "--once"]) == 0  # nothing queued: nothing refused
