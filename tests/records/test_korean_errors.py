"""The records' refusals in Korean (issue 27): a real records service on a real SQLite file, the screen
set to Korean, each refusal read back in Korean; the audit log keeps its English words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dermdesk.i18n import set_language
from dermdesk.records import NotFound, PermissionDenied, RecordValidationError, Records
from dermdesk.records.edits import PatientDetails
from dermdesk.records.errors import ChangedElsewhere
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
        "sam 님은 임상 직원(으)로 로그인되어 있어 사용자 계정 관리 권한이 없습니다. 관리자 역할의 계정이 필요합니다."
    )
    (entry,) = records.audit.list(team.admin, action="permission denied")
    assert "may not manage user accounts" in str(entry.detail)  # the audit log stays in English
    assert "권한" not in str(entry.detail)


def test_a_lock_out_and_a_change_made_elsewhere_are_said_in_korean(
    records: Records, team: Team, patient: str, korean: None
) -> None:
    seen = records.patients.get(team.staff, patient)
    records.edits.update_patient(team.staff, patient, PatientDetails("010-1234-5678", 3), seen_version=seen.row_version)
    with pytest.raises(ChangedElsewhere) as refused:
        records.edits.update_patient(team.staff, patient, PatientDetails("other", 2), seen_version=seen.row_version)
    assert str(refused.value).startswith("환자 DD-000001을(를) 연 뒤 다른 스테이션이 변경했습니다.")
    with pytest.raises(RecordValidationError, match="다른 관리자가 할 수 있습니다"):
        records.users.disable(team.admin, "admin")
    for _attempt in range(5):
        with pytest.raises(Exception):  # noqa: B017 - wrong passwords until the lock-out
            records.users.login("dora", "not the password")
    with pytest.raises(Exception) as locked:  # noqa: B017
        records.users.login("dora", PASSWORD)
    assert "잠" in str(locked.value) or "로그인" in str(locked.value), str(locked.value)
