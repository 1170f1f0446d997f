"""The records' refusals in Korean (issue 27): a real records service on a real SQLite file, the screen
set to Korean, each refusal read back in Korean; the audit log keeps its English words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dermdesk.i18n import set_language
from dermdesk.records import NotFound, PermissionDenied, Records, RecordValidationError
from dermdesk.records.edits import PatientDetails
from dermdesk.records.errors import AccountLocked, AuthenticationFailed, ChangedElsewhere
from records.helpers import PASSWORD, Team


@pytest.fixture
def backend() -> str:
    """These tests read messages, not storage: one real SQLite file is enough."""
    return "sqlite"


@pytest.fixture
def korean() -> Iterator[None]:
    set_language("ko")
    yield
    set_language("en")


def test_a_patient_not_found_is_said_in_korean(records: Records, team: Team, korean: None) -> None:
    with pytest.raises(NotFound) as refused:
        records.patients.get(team.staff, "DD-999999")
    assert str(refused.value) == "등록번호가 DD-999999인 환자가 없습니다."


def test_a_refused_permission_is_korean_on_screen_and_english_in_the_audit_log(
    records: Records, team: Team, korean: None
) -> None:
    with pytest.raises(PermissionDenied) as refused:
        records.users.add(team.staff, "kim", "김 간호사", "staff", PASSWORD)
    shown = str(refused.value)
    assert shown == (
        "sam 님은 임상 직원(으)로 로그인되어 있어 사용자 계정 관리 권한이 없습니다. "
        "관리자 역할의 계정이 필요합니다."
    )
    (entry,) = records.audit.list(team.admin, action="refused")
    assert "may not manage user accounts" in str(entry.detail)  # the audit log stays in English
    assert "권한" not in str(entry.detail)


def test_a_lock_out_and_a_change_made_elsewhere_are_said_in_korean(
    records: Records, team: Team, patient: str, korean: None
) -> None:
    seen = records.patients.get(team.staff, patient)
    records.edits.update_patient(
        team.staff, patient, PatientDetails("010-1234-5678", 3), seen_version=seen.row_version
    )
    with pytest.raises(ChangedElsewhere) as refused:
        records.edits.update_patient(
            team.staff, patient, PatientDetails("other", 2), seen_version=seen.row_version
        )
    assert str(refused.value).startswith("환자 DD-000001을(를) 연 뒤 다른 스테이션이 변경했습니다.")
    with pytest.raises(RecordValidationError) as last:
        records.users.disable(team.admin, "admin")
    assert str(last.value) == "admin은(는) 마지막 활성 관리자이므로 사용 중지할 수 없습니다."
    for _attempt in range(4):
        with pytest.raises(AuthenticationFailed, match=r"^사용자 이름 또는 비밀번호"):
            records.users.login("dora", "not the password")
    with pytest.raises(
        AccountLocked, match=r"^비밀번호를 여러 번 잘못 입력했습니다: 계정 dora이\(가\) .*까지 잠겼습니다"
    ):
        records.users.login("dora", "not the password")
    with pytest.raises(
        AccountLocked, match=r"^계정 dora은\(는\) 비밀번호를 여러 번 잘못 입력하여 .*까지 잠겼습니다"
    ):
        records.users.login("dora", PASSWORD)
