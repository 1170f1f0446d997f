"""Signing a report off: doctors only, the password again, stored immutably as a new version each time."""

from __future__ import annotations

import hashlib

import pytest
from records.helpers import PASSWORD, Clock, Team

from dermdesk.records import AuthenticationFailed, PermissionDenied, Records, RecordValidationError, SignOff
from dermdesk.records.reports import report_relative_path
from dermdesk.reports import render_visit_report, visit_report_data
from dermdesk.reports.preview import draft_preview, rasterise, sign_visit_report
from dermdesk.settings import DermDeskSettings
from dermdesk.tasks import TaskState
from reports import pdf
from reports.seed import Clinic


def test_signing_stores_version_1_then_version_2_and_never_touches_version_1(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings, clock: Clock
) -> None:
    first = sign_visit_report(
        TaskState(), records, team.doctor, clinic.record_number, None, settings, PASSWORD
    )
    version_1 = first.version
    assert version_1 is not None and version_1.version == 1 and version_1.signed_by == "dora"
    stored = records.store.root / report_relative_path(version_1.sha256)
    assert stored.read_bytes() == first.pdf
    assert hashlib.sha256(first.pdf).hexdigest() == version_1.sha256
    before = stored.read_bytes()
    pages = pdf.texts(first.pdf)
    assert all("DRAFT" not in text for text in pages)
    whole = " ".join(pages)
    assert (
        "Signed off by Dr Dora Derm, doctor (dora)" in whole and "version 1 of this visit's report" in whole
    )
    assert len(first.pages) == len(pages) and first.pages[0].width > 500

    clock.advance(minutes=5)
    second = sign_visit_report(
        TaskState(), records, team.doctor, clinic.record_number, None, settings, PASSWORD
    )
    assert second.version is not None and second.version.version == 2
    assert second.version.sha256 != version_1.sha256
    assert stored.read_bytes() == before  # version 1's file is byte-identical
    assert [v.version for v in records.reports.versions(team.staff, clinic.record_number)] == [1, 2]
    assert records.reports.read(team.staff, version_1.id) == before
    signed = [e for e in records.audit.list(team.admin, action="sign-off") if e.object_type == "report"]
    assert [e.detail["version"] for e in signed] == [1, 2]
    assert signed[0].detail["sha256"] == version_1.sha256


def test_staff_cannot_sign_and_a_wrong_password_signs_nothing(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings
) -> None:
    with pytest.raises(PermissionDenied, match="sam is signed in as staff and may not sign off"):
        sign_visit_report(TaskState(), records, team.staff, clinic.record_number, None, settings, PASSWORD)
    with pytest.raises(AuthenticationFailed):
        sign_visit_report(TaskState(), records, team.doctor, clinic.record_number, None, settings, "not it")
    assert records.reports.versions(team.doctor, clinic.record_number) == []
    failed = records.audit.list(team.admin, action="sign-off failed")
    assert [e.detail["reason"] for e in failed] == ["wrong password"]


def test_a_version_signed_meanwhile_elsewhere_refuses_this_sign_off(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings
) -> None:
    def render_while_another_signs(sign_off: SignOff) -> bytes:
        records.reports.sign_off(
            team.doctor, clinic.record_number, None, PASSWORD, lambda s: b"%PDF-1.4 other"
        )
        report = visit_report_data(
            records, team.doctor, clinic.record_number, None, settings, sign_off=sign_off
        )
        return render_visit_report(report)

    with pytest.raises(RecordValidationError, match="signed off at the same time; version 1 exists now"):
        records.reports.sign_off(
            team.doctor, clinic.record_number, None, PASSWORD, render_while_another_signs
        )
    assert [v.version for v in records.reports.versions(team.doctor, clinic.record_number)] == [1]
    with pytest.raises(RecordValidationError, match="not a PDF"):
        records.reports.sign_off(team.doctor, clinic.record_number, None, PASSWORD, lambda s: b"<html>")


def test_the_draft_preview_has_one_picture_per_page(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings
) -> None:
    preview = draft_preview(TaskState(), records, team.staff, clinic.record_number, None, settings, dpi=40)
    assert len(preview.pages) == len(pdf.texts(preview.pdf))
    page = preview.pages[0]
    assert len(page.rgb) == page.width * page.height * 3 and abs(page.width / 40 * 72 - 595.3) < 2
    assert rasterise(preview.pdf, dpi=20)[0].width < page.width


def test_signed_reports_are_backed_up_and_restored_byte_for_byte(
    records: Records, team: Team, clinic: Clinic, settings: DermDeskSettings, tmp_path
) -> None:
    signed = sign_visit_report(
        TaskState(), records, team.doctor, clinic.record_number, None, settings, PASSWORD
    )
    assert signed.version is not None
    backup = records.backup(team.admin, tmp_path / "backup")
    assert backup.missing_images == []
    copied = tmp_path / "backup" / report_relative_path(signed.version.sha256)
    assert copied.read_bytes() == signed.pdf
    fresh = Records.open(settings.model_copy(update={"data_dir": tmp_path / "fresh"}))
    try:
        fresh.restore(tmp_path / "backup", "admin", PASSWORD)
        doctor = fresh.users.login("dora", PASSWORD)
        [version] = fresh.reports.versions(doctor, clinic.record_number)
        assert fresh.reports.read(doctor, version.id) == signed.pdf
    finally:
        fresh.close()
