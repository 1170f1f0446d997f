"""An administrator is warned at sign-in when the audit trail failed its start-up check; others are not."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from dermdesk.records import Records, Role, UserInfo
from dermdesk.settings import DermDeskSettings
from dermdesk.ui.admin.audit_warning import audit_warning_text, show_audit_warning

PASSWORD = "correct horse battery"


def test_only_an_administrator_is_warned_of_a_tampered_trail(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = DermDeskSettings(data_dir=tmp_path / "station")
    with Records.open(settings) as records:
        admin = records.users.create_first_admin("admin", "IT", PASSWORD)
        staff = records.users.add(admin, "sam", "Sam", "staff", PASSWORD)
        assert audit_warning_text(records.startup(), admin) is None  # intact
        with records.database.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))
            conn.execute(text("DELETE FROM audit_events WHERE action = 'add user'"))
        report = records.startup()
    warning = audit_warning_text(report, admin)
    assert warning is not None and "no longer in the chain" in warning
    assert audit_warning_text(report, staff) is None
    assert staff.role is Role.STAFF and isinstance(admin, UserInfo)
    box = show_audit_warning(None, warning)
    qtbot.addWidget(box)
    assert box.isVisible() and "audit trail failed its check" in box.text()
    box.close()
