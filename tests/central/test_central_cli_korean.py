"""`dermdesk-central` speaks Korean to a Korean administrator: DERMDESK_CENTRAL_LANGUAGE=ko, or a Korean
system locale when it is not set. Its errors, confirmations, help and job listing are read back from the
real command (its tables in a real SQLite file); the JSON it prints for programs stays as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dermdesk.central import jobs, store
from dermdesk.central.cli import LANGUAGE_ENV, main
from dermdesk.central.config import CentralConfig
from dermdesk.i18n import current_language


@pytest.fixture
def korean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LANGUAGE_ENV, "ko")


def test_the_administrators_errors_and_confirmations_are_korean(
    tmp_path: Path, korean: None, capsys: pytest.CaptureFixture[str]
) -> None:
    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "clinics", "add", "서울피부과"]) == 0
    assert capsys.readouterr().out == "의원 1: 서울피부과\n"
    assert main([*home, "clinics", "add", "서울피부과"]) == 1
    assert capsys.readouterr().err == "dermdesk-central: '서울피부과' 의원이 이미 있습니다\n"
    assert main([*home, "devices", "add", "station-1", "--clinic", "없는의원"]) == 1
    assert (
        "'없는의원' 의원이 없습니다. `dermdesk-central clinics add`로 추가하십시오" in capsys.readouterr().err
    )
    assert main([*home, "dermatologists", "add", "서하나", "KMA-12345"]) == 0
    capsys.readouterr()
    assert main([*home, "dermatologists", "assign", "KMA-00000", "서울피부과"]) == 1
    assert "면허 번호가 'KMA-00000'인 피부과 전문의가 없습니다" in capsys.readouterr().err
    assert main([*home, "dermatologists", "assign", "KMA-12345", "서울피부과"]) == 0
    assert capsys.readouterr().out == "KMA-12345이(가) 서울피부과의 자문에 답합니다\n"
    assert current_language() == "en"  # the process's language is given back (tests run in-process)


def test_web_enrolment_and_unlock_in_korean(
    tmp_path: Path, korean: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "dermatologists", "add", "서하나", "KMA-12345"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main([*home, "web", "enrol", "--dermatologist", "KMA-12345", "--password-stdin"]) == 1
    assert "비밀번호는 12-256자여야 합니다" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    assert main([*home, "web", "enrol", "--admin", "nobody", "--password-stdin"]) == 1
    assert "활성 관리자 'nobody'이(가) 없습니다. 먼저 `admins add`로 등록하십시오" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    assert main([*home, "web", "enrol", "--dermatologist", "KMA-12345", "--password-stdin"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "로그인 이름: KMA-12345"
    assert printed[1].startswith("TOTP 비밀 키 (한 번만 표시됩니다): ")
    assert printed[2].startswith("인증 앱에 추가하십시오: otpauth://totp/")
    assert main([*home, "web", "unlock", "KMA-12345"]) == 0
    assert capsys.readouterr().out == "KMA-12345은(는) 다시 로그인할 수 있습니다\n"
    assert main([*home, "web", "unlock", "KMA-99999"]) == 1
    assert capsys.readouterr().err == "dermdesk-central: 웹 계정 'KMA-99999'이(가) 없습니다\n"


def test_the_job_listing_says_states_in_korean_and_the_json_keeps_them(
    tmp_path: Path, korean: None, capsys: pytest.CaptureFixture[str]
) -> None:
    config = CentralConfig(home=tmp_path / "home")
    config.home.mkdir(parents=True)
    with jobs.open_engine(config.url).begin() as conn:
        conn.execute(
            jobs.jobs.insert().values(kind=jobs.RETRAIN, state=jobs.QUEUED, queued_at=store.utcnow())
        )
    assert main(["--home", str(config.home), "jobs", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("작업 실행기: 시작된 적 없음 (")
    assert listed[1].startswith("경고: ")
    assert "재학습" in listed[2] and "대기 중" in listed[2] and "시도 0회" in listed[2]
    assert main(["--home", str(config.home), "jobs", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)  # for programs: the stored words, whatever the language
    assert data["runner"]["state"] == "never started" and data["jobs"][0]["state"] == "queued"
    assert main(["--home", str(config.home), "jobs", "show", "99"]) == 1
    assert capsys.readouterr().err == "dermdesk-central: 작업 99이(가) 없습니다\n"
    assert main(["--home", str(config.home), "sweep"]) == 0
    assert capsys.readouterr().out == "어떤 사례도 가리키지 않는 사진 0장을 지웠습니다\n"


def test_the_help_is_korean(korean: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert "DermDesk 중앙 재학습 서비스" in shown and "서명 키" in shown and "HTTP API를 실행합니다" in shown


def test_a_korean_system_locale_picks_korean_and_an_unknown_language_english(tmp_path: Path) -> None:
    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if k not in (LANGUAGE_ENV, "LANGUAGE", "LC_ALL")}
        return subprocess.run(
            [sys.executable, "-m", "dermdesk.central.cli", "--home", str(tmp_path / "home"), *args],
            env={**clean, **env},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )

    assert run("clinics", "add", "Seoul").returncode == 0
    korean = run("clinics", "add", "Seoul", LANG="ko_KR.UTF-8", LC_MESSAGES="ko_KR.UTF-8")
    assert korean.returncode == 1 and "'Seoul' 의원이 이미 있습니다" in korean.stderr
    unknown = run("clinics", "add", "Seoul", **{LANGUAGE_ENV: "xx"})
    assert unknown.returncode == 1 and "a clinic called 'Seoul' exists already" in unknown.stderr


def test_the_job_runners_state_and_a_second_runner_are_korean(tmp_path: Path) -> None:
    """What admins read about the job runner: its state, a job waiting for it, and the refusal of a second
    runner while one holds the lease (a real lease in a real SQLite file)."""
    from dermdesk.i18n import set_language

    engine = jobs.open_engine(CentralConfig(home=tmp_path / "home").url)
    set_language("ko")
    try:
        assert "작업 실행기가 한 번도 실행된 적이 없습니다" in jobs.runner_status(engine)["detail"]
        with engine.begin() as conn:
            conn.execute(
                jobs.jobs.insert().values(kind=jobs.RETRAIN, state=jobs.QUEUED, queued_at=store.utcnow())
            )
        assert "이를 맡을 작업 실행기가 없습니다" in jobs.runner_status(engine)["warning"]
        jobs.take_lease(engine)
        assert jobs.runner_status(engine)["detail"].endswith(f"의 pid {os.getpid()}")
        with engine.begin() as conn:  # the lease now held by another live process on this host
            conn.execute(jobs.runners.update().values(pid=1))
        with pytest.raises(jobs.RunnerBusyError, match="다른 작업 실행기가 실행 중입니다"):
            jobs.take_lease(engine)
    finally:
        set_language("en")
