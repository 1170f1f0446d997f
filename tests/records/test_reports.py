"""Signed report versions in the records (SQLite and PostgreSQL): next version on each sign-off, files
content-addressed and never replaced, read back verified, doctors only; visits found by id, date or newest."""

from __future__ import annotations

from datetime import date

import pytest

from dermdesk.records import (
    CaptureRequest,
    ImageStoreError,
    NewLesion,
    NotFound,
    PermissionDenied,
    Records,
    RecordValidationError,
    parse_visit,
)
from dermdesk.records.reports import report_relative_path
from records.helpers import PASSWORD, Clock, Team, png_bytes


def pdf_of(sign_off: object) -> bytes:
    return f"%PDF-1.4 signed as version {sign_off.version} by {sign_off.username}".encode()  # type: ignore[attr-defined]


def test_each_sign_off_stores_the_next_version_and_keeps_the_earlier_files(
    records: Records, team: Team, patient: str, clock: Clock
) -> None:
    records.captures.save(
        team.staff, CaptureRequest(patient, png_bytes(1), new_lesion=NewLesion("head/neck"))
    )
    context = records.reports.context(team.staff, patient)
    assert (
        context.clinician == "Sam Staff" and context.people["sam"] == "Sam Staff" and context.versions == ()
    )
    first = records.reports.sign_off(team.doctor, patient, None, PASSWORD, pdf_of)
    stored = records.store.root / report_relative_path(first.sha256)
    assert first.version == 1 and first.signed_by_name == "Dr Dora Derm"
    assert stored.read_bytes() == b"%PDF-1.4 signed as version 1 by dora"
    clock.advance(minutes=1)
    second = records.reports.sign_off(team.doctor, patient, context.visit_id, PASSWORD, pdf_of)
    assert second.version == 2 and stored.read_bytes() == b"%PDF-1.4 signed as version 1 by dora"
    assert [v.version for v in records.reports.versions(team.staff, patient, context.visit_date)] == [1, 2]
    assert records.reports.read(team.staff, second.id) == b"%PDF-1.4 signed as version 2 by dora"
    stored.write_bytes(b"%PDF-1.4 tampered")
    with pytest.raises(ImageStoreError, match="does not match its checksum"):
        records.reports.read(team.staff, first.id)
    with pytest.raises(PermissionDenied):
        records.reports.sign_off(team.staff, patient, None, PASSWORD, pdf_of)
    with pytest.raises(RecordValidationError, match="not a PDF"):
        records.reports.sign_off(team.doctor, patient, None, PASSWORD, lambda _s: b"not a pdf")
    assert [e.detail["version"] for e in records.audit.list(team.admin, action="sign-off")] == [1, 2]


def test_visits_are_found_by_number_date_or_as_the_newest(records: Records, team: Team, patient: str) -> None:
    with pytest.raises(NotFound, match="has no visits yet"):
        records.reports.context(team.staff, patient)
    records.captures.save(
        team.staff, CaptureRequest(patient, png_bytes(2), new_lesion=NewLesion("head/neck"))
    )
    newest = records.reports.context(team.staff, patient)
    assert records.reports.context(team.staff, patient, newest.visit_id).visit_date == newest.visit_date
    assert records.reports.context(team.staff, patient, newest.visit_date).visit_id == newest.visit_id
    with pytest.raises(NotFound, match="has no visit on 1999-01-02"):
        records.reports.context(team.staff, patient, date(1999, 1, 2))
    assert parse_visit("latest") is None and parse_visit(" 12 ") == 12
    assert parse_visit("2026-11-21") == date(2026, 11, 21)
    with pytest.raises(RecordValidationError, match="give the visit's date"):
        parse_visit("yesterday")
