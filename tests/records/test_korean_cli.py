"""The records commands in Korean (issue 27): messages for people in the station's language, Hangul
names listed family name first and found by initial consonants, a resident registration number refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dermdesk.cli import main
from dermdesk.i18n import set_language
from dermdesk.settings import DermDeskSettings

ADMIN_PW, STAFF_PW = "admin password 1", "staff password"


@pytest.fixture
def korean_station(settings: DermDeskSettings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DERMDESK_LANGUAGE", "ko")
    monkeypatch.setenv("DERMDESK_NEW_PASSWORD", ADMIN_PW)
    assert main(["users", "add", "admin", "--role", "admin", "--name", "IT"]) == 0
    monkeypatch.setenv("DERMDESK_USER", "admin")
    monkeypatch.setenv("DERMDESK_PASSWORD", ADMIN_PW)
    monkeypatch.setenv("DERMDESK_NEW_PASSWORD", STAFF_PW)
    assert main(["users", "add", "sam", "--role", "staff", "--name", "Sam"]) == 0
    monkeypatch.setenv("DERMDESK_USER", "sam")
    monkeypatch.setenv("DERMDESK_PASSWORD", STAFF_PW)
    yield
    set_language("en")


def test_korean_patients_through_the_command_line(
    korean_station: None, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ["patients", "add", "KR-0001", "--given", "민수", "--family", "김", "--born", "1980-03-02"]
    capsys.readouterr()
    assert main([*add, "--sex", "male", "--contact", "800302-1234567"]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("dermdesk: 오류: ") and "주민등록번호" in error and "저장하지 않으니" in error
    assert main([*add, "--sex", "male", "--report-language", "ko"]) == 0
    assert "환자 KR-0001를 등록했습니다." in capsys.readouterr().out
    assert main(["patients", "list", "--search", "ㄱㅁㅅ"]) == 0
    listed = capsys.readouterr().out
    assert "김민수" in listed and "생년월일 1980-03-02" in listed
    assert main(["patients", "list", "--search", "ㅎ"]) == 0
    assert "찾은 환자가 없습니다." in capsys.readouterr().out
