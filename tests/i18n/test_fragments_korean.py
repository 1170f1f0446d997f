"""No English fragment glued into a Korean sentence (issue 27), each from the real thing with the screen
in Korean: a worklist on another machine without TLS, a V4L2 light switch that fails (a fake `v4l2-ctl`
on PATH: we have no UVC dermatoscope), a clinic logo that is not a picture, an offline sign-in with no
note, a visit refused by a real FHIR server on 127.0.0.1 (the failure text kept in the queue), and the
referral letter command writing into a folder that does not exist or cannot be written."""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from interop.conftest import (  # noqa: F401  (fixtures)
    Visit,
    clock,
    records,
    settings,
    team,
    visit,
)
from interop.fhir_server import fhir_server
from records.helpers import Team

from dermdesk.capture.lighting import LightingError, LightingMode
from dermdesk.capture.lighting.v4l2 import V4l2Lighting
from dermdesk.cli import main
from dermdesk.i18n import set_language
from dermdesk.interop.destinations import DestinationError, worklist_node
from dermdesk.interop.fhir_send import queue_fhir, send_fhir_pending
from dermdesk.interop.outbox import InteropOutbox, JobState
from dermdesk.records import DatabaseUnavailable, Records
from dermdesk.records.offline_sign_in import sign_in_offline
from dermdesk.reports import ReportError
from dermdesk.reports.data import clinic_of
from dermdesk.settings import DermDeskSettings

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ENGLISH_WORD = re.compile(r"\b(the|of|to|at|and|could|not|write|switch|list|refused)\b", re.IGNORECASE)


@pytest.fixture
def korean() -> Iterator[None]:
    set_language("ko")
    yield
    set_language("en")


def no_english(text: str) -> None:
    assert not ENGLISH_WORD.search(text), text


def test_a_worklist_on_another_machine_without_tls_is_named_in_korean(
    settings: DermDeskSettings,  # noqa: F811
    korean: None,
) -> None:
    settings = settings.with_overrides(worklist_host="10.1.2.3", pacs_tls=False, interop_allow_insecure=False)
    with pytest.raises(DestinationError) as refused:
        worklist_node(settings)
    text = str(refused.value)
    assert "워크리스트" in text and "10.1.2.3" in text
    no_english(text)


FAKE_V4L2 = """#!{python}
import os, sys
if "--list-ctrls" in sys.argv:
    sys.stdout.write("led_white 0x0a046d05 (bool) : default=1 value=1\\n")
    sys.stdout.write("led_uv 0x0a046d06 (bool) : default=0 value=0\\n")
    sys.exit(0)
sys.stderr.write("VIDIOC_S_EXT_CTRLS: failed: Invalid argument\\n")
sys.exit(255)
"""


def test_a_failing_light_switch_is_told_in_korean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, korean: None
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "v4l2-ctl"
    script.write_text(FAKE_V4L2.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    leds = V4l2Lighting(
        "/dev/video9",
        {
            LightingMode.WHITE: {"led_white": 1, "led_uv": 0},
            LightingMode.UV_365: {"led_white": 0, "led_uv": 1},
        },
    )
    leds.open()
    with pytest.raises(LightingError) as failed:
        leds.set_mode(LightingMode.UV_365)
    text = str(failed.value)
    assert "/dev/video9" in text and "전환" in text and "VIDIOC_S_EXT_CTRLS" in text
    assert LightingMode.UV_365.label in text  # the glossary's Korean name of the light
    no_english(text.replace("VIDIOC_S_EXT_CTRLS: failed: Invalid argument", ""))


def test_a_clinic_logo_that_is_not_a_picture_is_refused_in_korean(
    settings: DermDeskSettings,  # noqa: F811
    tmp_path: Path,
    korean: None,
) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"this is not a picture")
    with pytest.raises(ReportError) as refused:
        clinic_of(settings.with_overrides(clinic_logo=logo))
    text = str(refused.value)
    assert str(logo) in text and "사진" in text and "clinic_logo" in text
    no_english(text.replace(str(logo), "").replace("UnidentifiedImageError", ""))


def test_an_offline_sign_in_without_a_note_is_refused_in_korean(tmp_path: Path, korean: None) -> None:
    with pytest.raises(DatabaseUnavailable) as refused:
        sign_in_offline(tmp_path, "dora", "some password", datetime.now(UTC))
    text = str(refused.value)
    assert text.startswith("병원 기록 서버") and "dora" in text
    no_english(text)


def test_a_visit_the_ehr_refuses_keeps_its_failure_in_korean(
    records: Records,  # noqa: F811
    team: Team,  # noqa: F811
    visit: Visit,  # noqa: F811
    settings: DermDeskSettings,  # noqa: F811
    korean: None,
) -> None:
    with fhir_server() as ehr:
        ehr.fail_with.append((422, "Patient.birthDate: not allowed in the future"))
        settings = settings.with_overrides(fhir_url=ehr.url)
        queue_fhir(records, team.doctor, visit.record_number, None, settings)
        report = send_fhir_pending(records, team.doctor, settings)
    (done,) = report.jobs
    assert done.state is JobState.FAILED
    (kept,) = InteropOutbox.of(settings).jobs()  # read back from the queue on disk
    text = kept.last_error or ""
    assert text.startswith("EHR가 방문을 거부했습니다") and "Patient.birthDate" in text
    set_language("en")  # the stored text stays as said at the time
    (kept,) = InteropOutbox.of(settings).jobs()
    assert (kept.last_error or "").startswith("EHR가 방문을 거부했습니다")


def test_the_referral_command_says_in_korean_where_the_letter_cannot_go(
    station_dirs: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    try:
        monkeypatch.setenv("DERMDESK_NEW_PASSWORD", "admin password 1")
        assert main(["users", "add", "boss", "--role", "admin", "--name", "IT"]) == 0
        monkeypatch.setenv("DERMDESK_USER", "boss")
        monkeypatch.setenv("DERMDESK_PASSWORD", "admin password 1")
        monkeypatch.setenv("DERMDESK_NEW_PASSWORD", "doctor password")
        assert main(["users", "add", "dora", "--role", "doctor", "--name", "Dora"]) == 0
        monkeypatch.setenv("DERMDESK_USER", "dora")
        monkeypatch.setenv("DERMDESK_PASSWORD", "doctor password")
        monkeypatch.setenv("DERMDESK_LANGUAGE", "ko")
        for out in (tmp_path / "gone" / "letter.pdf", Path("/proc/letter.pdf")):
            capsys.readouterr()
            code = main(
                ["referral", "--patient", "KR-1", "--lesion", "L1", "--to", "Dr A. Berg", "--out", str(out)]
            )
            err = capsys.readouterr().err
            assert code == 1, err
            assert "진료의뢰서 작성 작업을 할 수 없습니다" in err, err
            no_english(err.replace(str(out.parent), ""))
    finally:
        set_language("en")
