"""The documented service: the systemd unit and the Windows scheduled task run the upload command, and
the command takes turns with another process that holds the station's sender lock (the window)."""

from __future__ import annotations

import configparser
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from records.helpers import Team

from dermdesk.cli import main
from dermdesk.records import Records
from dermdesk.settings import DermDeskSettings
from dermdesk.sync.sender_lock import lock_path
from sync.conftest import shareable_case
from sync.servers import LiveServer

SERVICE = Path(__file__).resolve().parents[2] / "installer" / "service"
HOLD = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1], timeout=0)
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_the_command_skips_its_pass_while_another_process_sends(
    records: Records,
    team: Team,
    settings: DermDeskSettings,
    central: LiveServer,
    device_token: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys,
) -> None:  # type: ignore[no-untyped-def]
    shareable_case(records, team, "DD-002900", 1)
    monkeypatch.setenv("DERMDESK_UPLOAD_URL", central.url)
    monkeypatch.setenv("DERMDESK_DEVICE_TOKEN", device_token)
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    window = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert window.stdout is not None and window.stdout.readline().strip() == "held"
        assert main(["upload", "--once"]) == 0
        assert "Another sender" in capsys.readouterr().out
        assert records.outbox.counts()["queued"] == 1
    finally:
        window.kill()
        window.wait()
    assert main(["upload", "--once"]) == 0  # the other sender is gone: this one sends
    assert records.outbox.counts()["sent"] == 1


def test_the_systemd_unit_runs_the_periodic_sender() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(SERVICE / "dermdesk-upload.service")
    command = unit["Service"]["ExecStart"].split()
    assert command[0].endswith("/dermdesk") and command[1:] == ["upload"]
    assert unit["Service"]["Restart"] == "on-failure" and unit["Install"]["WantedBy"] == "default.target"


def test_the_windows_task_runs_one_pass_at_a_time() -> None:
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    task = ET.parse(SERVICE / "dermdesk-upload-task.xml").getroot()
    exe = task.find("t:Actions/t:Exec/t:Command", ns)
    arguments = task.find("t:Actions/t:Exec/t:Arguments", ns)
    assert exe is not None and exe.text is not None and exe.text.strip('"').endswith("dermdesk.exe")
    assert arguments is not None and arguments.text == "upload --once"
    policy = task.find("t:Settings/t:MultipleInstancesPolicy", ns)
    assert policy is not None and policy.text == "IgnoreNew"
    interval = task.find("t:Triggers/t:TimeTrigger/t:Repetition/t:Interval", ns)
    assert interval is not None and interval.text == "PT15M"
